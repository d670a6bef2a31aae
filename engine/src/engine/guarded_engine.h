// GuardedEngine<Impl>: the public API's exception boundary. Every method of
// toegang::Engine runs Impl's through CatchAll (base/exception_boundary.h),
// so that what Impl's work throws (std::bad_alloc, a capacity limit's
// std::length_error, ...) reaches the caller as a Status with code
// `internal`, never as an exception (toegang/status.h). Impl's methods are
// called directly, not through the vtable again: the boundary costs a
// check nothing but the try region.
//
// startup() and follow_state() return values, not Status: when one throws,
// it answers a default StartupInfo, or a FollowState with store_ok false
// and no message (the memory for one may be what ran out). revision() only
// reads an atomic and is not wrapped.
//
// Thread safety: that of Impl; the boundary adds no state.
#ifndef TOEGANG_GUARDED_ENGINE_H_
#define TOEGANG_GUARDED_ENGINE_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/exception_boundary.h"
#include "toegang/engine.h"

namespace toegang {

template <typename Impl>
class GuardedEngine final : public Impl {
 public:
  using Impl::Impl;

  Result<CommitInfo> Apply(const Mutation& m) override {
    return CatchAll("apply", [&] { return Impl::Apply(m); });
  }
  Status May(const Mutation& m) const override {
    return CatchAll("may", [&] { return Impl::May(m); });
  }
  Result<MutationPreview> Preview(const Mutation& m) const override {
    return CatchAll("may", [&] { return Impl::Preview(m); });
  }
  Result<Decision> Check(std::string_view insz, std::string_view application,
                         std::string_view hco) const override {
    return CatchAll("check",
                    [&] { return Impl::Check(insz, application, hco); });
  }
  Result<bool> Allowed(std::string_view insz, std::string_view application,
                       std::string_view hco,
                       uint64_t* revision) const override {
    return CatchAll("check", [&] {
      return Impl::Allowed(insz, application, hco, revision);
    });
  }
  Result<Explanation> Explain(std::string_view insz,
                              std::string_view application,
                              std::string_view hco, Lang lang) const override {
    return CatchAll(
        "explain", [&] { return Impl::Explain(insz, application, hco, lang); });
  }
  Result<Page<AccessEntry>> Access(std::string_view insz,
                                   const PageRequest& page) const override {
    return CatchAll("access", [&] { return Impl::Access(insz, page); });
  }
  Result<Page<UserEntry>> Users(std::string_view hco,
                                std::string_view application,
                                const PageRequest& page) const override {
    return CatchAll("users",
                    [&] { return Impl::Users(hco, application, page); });
  }
  Result<Page<ManagedEntry>> ManagedBy(std::string_view insz,
                                       const PageRequest& page) const override {
    return CatchAll("managed-by", [&] { return Impl::ManagedBy(insz, page); });
  }
  Result<WhoReport> Who(std::string_view kbo) const override {
    return CatchAll("who", [&] { return Impl::Who(kbo); });
  }
  Result<PersonCard> WhoPerson(std::string_view insz,
                               Lang lang) const override {
    return CatchAll("who", [&] { return Impl::WhoPerson(insz, lang); });
  }
  Result<FacilityCard> WhoFacility(std::string_view hco) const override {
    return CatchAll("who", [&] { return Impl::WhoFacility(hco); });
  }
  Result<Page<NameHit>> FindByName(std::string_view prefix,
                                   const PageRequest& page) const override {
    return CatchAll("find-by-name",
                    [&] { return Impl::FindByName(prefix, page); });
  }
  Result<std::string> GraphDot(std::string_view kbo,
                               const GraphOptions& options) const override {
    return CatchAll("graph", [&] { return Impl::GraphDot(kbo, options); });
  }
  Status ImportKbo(const std::string& enterprises_csv,
                   const std::string& denominations_csv,
                   const ImportOptions& options,
                   ImportReport* report) override {
    return CatchAll("import kbo", [&] {
      return Impl::ImportKbo(enterprises_csv, denominations_csv, options,
                             report);
    });
  }
  Status ImportKboOpenData(const std::string& path,
                           const ImportOptions& options,
                           ImportReport* report) override {
    return CatchAll("import kbo-open-data", [&] {
      return Impl::ImportKboOpenData(path, options, report);
    });
  }
  Status ImportPersons(const std::string& csv, const ImportOptions& options,
                       ImportReport* report) override {
    return CatchAll("import persons",
                    [&] { return Impl::ImportPersons(csv, options, report); });
  }
  Status ImportFunctions(const std::string& csv, const ImportOptions& options,
                         ImportReport* report) override {
    return CatchAll("import functions", [&] {
      return Impl::ImportFunctions(csv, options, report);
    });
  }
  Status ImportFacilities(const std::string& csv, const ImportOptions& options,
                          ImportReport* report) override {
    return CatchAll("import facilities", [&] {
      return Impl::ImportFacilities(csv, options, report);
    });
  }
  Result<std::vector<AuditRecord>> Audit(
      const AuditQuery& query) const override {
    return CatchAll("audit", [&] { return Impl::Audit(query); });
  }
  using Engine::Verify;
  Result<std::vector<std::string>> Verify(
      const VerifyOptions& options) const override {
    return CatchAll("verify", [&] { return Impl::Verify(options); });
  }
  Result<Stats> GetStats() const override {
    return CatchAll("stats", [&] { return Impl::GetStats(); });
  }
  Status CatchUp(uint64_t revision, std::chrono::milliseconds bound) override {
    return CatchAll("catch-up", [&] { return Impl::CatchUp(revision, bound); });
  }
  Status Refresh() override {
    return CatchAll("refresh", [&] { return Impl::Refresh(); });
  }
  StartupInfo startup() const override {
    try {
      return Impl::startup();
    } catch (...) {
      return StartupInfo();
    }
  }
  FollowState follow_state() const override {
    try {
      return Impl::follow_state();
    } catch (...) {
      FollowState f;
      f.revision = Impl::revision();
      f.store_ok = false;
      return f;
    }
  }
};

}  // namespace toegang

#endif  // TOEGANG_GUARDED_ENGINE_H_
