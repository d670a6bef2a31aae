// Catalogue: capacities (hoedanigheden), their subdivisions and applications,
// the other names of applications, and the application facility rules
// (SPEC 4.1). Loaded from the database, where migration 0001 seeds it
// (application aliases: migration 0004).
//
// Entries are referred to by small dense ids (their index), which the graph
// uses in bit masks; there are at most kMaxApplications applications.
//
// Thread safety: immutable after loading; safe to share.
#ifndef TOEGANG_CATALOGUE_H_
#define TOEGANG_CATALOGUE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "toegang/status.h"

namespace toegang {

using CapacityId = uint8_t;
using SubdivisionId = uint8_t;
using AppId = uint8_t;

struct CapacityEntry {
  std::string code;
  std::string name;
};
struct SubdivisionEntry {
  std::string code;
  std::string name;
  CapacityId capacity = 0;
};
struct ApplicationEntry {
  std::string code;
  std::string name;
  CapacityId capacity = 0;
};
// Another name people use for an application ("e-loket AMA WVG", "eVIPA").
struct ApplicationAlias {
  std::string alias;
  AppId application = 0;
};
// An enterprise that has a facility of trigger_type may carry the
// application only on facilities whose type is in allowed_types.
struct FacilityRule {
  AppId application = 0;
  std::vector<std::string> trigger_types;
  std::vector<std::string> allowed_types;
};

class Catalogue {
 public:
  static constexpr size_t kMaxApplications = 64;
  static constexpr size_t kMaxCapacities = 64;

  // Builders used by the store while loading. Return false when the limits
  // above would be exceeded.
  bool AddCapacity(CapacityEntry e);
  bool AddSubdivision(SubdivisionEntry e);
  bool AddApplication(ApplicationEntry e);
  // Returns false when the alias is empty, when application is not an
  // application, or when the alias already names an application (a code,
  // a name or an alias, as FindApplication compares them).
  bool AddApplicationAlias(std::string alias, AppId application);
  void AddFacilityRule(AppId app, std::string trigger, std::string allowed);

  // Looks an entry up by code or by name, case-insensitively and with runs
  // of white space taken as one space (an application also by any of its
  // aliases). An empty text picks the only entry when there is exactly one
  // (SPEC 7: options may be left out while only one exists); not so for an
  // application, which must be named. Failure: kInvalidInput with
  // unknown_capacity / unknown_subdivision / unknown_application (or usage
  // when the text is empty and there are several), listing what exists.
  Result<CapacityId> FindCapacity(std::string_view text) const;
  Result<SubdivisionId> FindSubdivision(std::string_view text,
                                        CapacityId capacity) const;
  Result<AppId> FindApplication(std::string_view text) const;
  Result<std::vector<AppId>> FindApplications(
      const std::vector<std::string>& texts) const;

  const CapacityEntry& capacity(CapacityId id) const { return capacities_[id]; }
  const SubdivisionEntry& subdivision(SubdivisionId id) const {
    return subdivisions_[id];
  }
  const ApplicationEntry& application(AppId id) const {
    return applications_[id];
  }
  size_t capacity_count() const { return capacities_.size(); }
  size_t subdivision_count() const { return subdivisions_.size(); }
  size_t application_count() const { return applications_.size(); }
  const std::vector<ApplicationAlias>& application_aliases() const {
    return aliases_;
  }
  const std::vector<FacilityRule>& facility_rules() const { return rules_; }

 private:
  std::vector<CapacityEntry> capacities_;
  std::vector<SubdivisionEntry> subdivisions_;
  std::vector<ApplicationEntry> applications_;
  std::vector<ApplicationAlias> aliases_;
  std::vector<FacilityRule> rules_;
};

}  // namespace toegang

#endif  // TOEGANG_CATALOGUE_H_
