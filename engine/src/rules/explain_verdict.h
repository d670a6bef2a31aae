// Explain's verdict (SPEC 4.5), apart from its text: for a question that
// is denied, the closest candidate subafdeling, the first condition that
// fails for it and who can fix that; for one that is allowed, the
// subafdeling that grants. Data only: explain_text.h words it, in Dutch
// or English.
//
// The conditions are attribute reads on the vertices the walks reach;
// Evaluate() applies them in the order of SPEC 4.5, exactly as
// DelegationGraph::GrantingFacilities does, so that explain and check
// agree.
//
// Thread safety: reads the graph it is given, which must not change while
// a VerdictFinder is used.
#ifndef TOEGANG_RULES_EXPLAIN_VERDICT_H_
#define TOEGANG_RULES_EXPLAIN_VERDICT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "graph/delegation_graph.h"
#include "model/catalogue.h"

namespace toegang {

// The failing conditions, in the order of SPEC 4.5: a later one is closer
// to access. kNone: every condition holds.
enum class Reason : uint8_t {
  kEnterpriseInactive,
  kNoHtb,
  kCapacityInactive,
  kFacilityInactive,
  kNoSubafdeling,
  kApplicationNotAuthorized,
  // Authorized, but the application's facility rule (the OCMW rule, SPEC
  // 4.1, manual 1.1) forbids it at the facility as CoBRHA lists the
  // enterprise's facilities now; condition 5 still.
  kWrongFacilityType,
  kNotAUser,
  kRightMissing,
  kNone,
};

// A reason as Explanation reports it: its code, the SPEC 4.5 condition
// number and the manual section that fixes it. no_subafdeling counts as
// condition 4: no subafdeling D has the asked facility.
struct ReasonInfo {
  const char* code;
  int condition;
  const char* manual;
};
ReasonInfo Info(Reason reason);

// What ties a person to the model (one hop from the person).
struct Ties {
  std::vector<Vertex> user_of;  // subafdelingen, sorted
  // WV, employee, HTB, TB/co-TB, manager; by KBO number.
  std::vector<Vertex> enterprises;
};
Ties PersonTies(const DelegationGraph& graph, Vertex person);

// A candidate and where it stands.
struct Verdict {
  Reason reason = Reason::kNone;
  Vertex enterprise = kNoVertex;
  Vertex facility = kNoVertex;
  Vertex subafdeling = kNoVertex;  // kNoVertex: a user nowhere, or no
                                   // subafdeling at the asked facility
  std::vector<Vertex> domains;     // no_subafdeling: the capacity's domains
};

// A role that lets a person fix a failing condition.
struct FixerRole {
  enum class Kind : uint8_t {
    kWv,
    kHtb,
    kTb,
    kCoTb,
    kManager,
    kHtbOf,  // HTB of the enterprise `kbo` (a user nowhere)
  };
  Kind kind;
  uint64_t kbo = 0;
  bool operator==(const FixerRole&) const = default;
};

// Who can fix a verdict, with the roles that make them able to (in the
// order found).
struct Fixer {
  Vertex person = kNoVertex;
  std::vector<FixerRole> roles;
};
// By INSZ.
using Fixers = std::map<uint64_t, Fixer>;

class VerdictFinder {
 public:
  // person: the asked person's vertex (kNoVertex when unknown); hco: the
  // asked facility, or empty.
  VerdictFinder(const DelegationGraph& graph, Vertex person, AppId app,
                const std::string& hco);

  // The first failing condition for subafdeling s.
  Verdict Evaluate(Vertex s) const;
  // The subafdeling through which facility `hco` grants (the oldest where
  // every condition holds); kNoVertex when none does.
  Vertex GrantingSubafdeling(const Ties& ties, const std::string& hco) const;
  // The verdict of a denied question: with an HCO, the facility walked
  // from its enterprise down; else the closest subafdeling the person is a
  // user of; else not_a_user nowhere. Never kNone.
  Verdict Denied(const Ties& ties) const;
  // Who can fix the verdict's condition.
  Fixers FixersOf(const Verdict& verdict, const Ties& ties) const;

 private:
  Verdict Closest(const std::vector<Vertex>& subs) const;
  bool Closer(const Verdict& a, const Verdict& b) const;
  Verdict WalkFacility() const;
  void AddFixer(Vertex p, FixerRole role, Fixers* fixers) const;
  void AddDomainManagers(Vertex d, Fixers* fixers) const;

  const DelegationGraph& g_;
  const Catalogue& cat_;
  const Vertex person_;
  const AppId app_;
  const std::string hco_;
};

}  // namespace toegang

#endif  // TOEGANG_RULES_EXPLAIN_VERDICT_H_
