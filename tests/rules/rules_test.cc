// The rules of SPEC 4.4: every mutation, by every kind of actor, and every
// refusal code, through Engine::May and Engine::Apply.
//
// Each refusal is checked the same way (ExpectRefused): May() and Apply()
// agree; the Status has the expected kind, code and a message that names
// the remedy; nothing changed (revision, registry counts, every access
// decision of the cast, and a set of May() probes that reveal who holds
// which role); a refusal (kRefused) is in the audit log with the actor and
// the code, invalid input (kInvalidInput) is not.
//
// Not testable through the public API, so not tested here:
// subdivision_not_in_capacity and application_not_in_capacity need a
// second capacity, and the catalogue (schema migration 0001) has only one
// and no API extends it.
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <regex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "support/pg_cluster.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"
#include "toegang/mutation.h"
#include "toegang/status.h"

namespace toegang::testing {
namespace {

using Kind = Status::Kind;

// Valid INSZs (SPEC 3 test vectors) that the fixture's registries do not
// list; the tests give them roles.
constexpr const char* kFormerHtb = "00012556777";  // employee of kOcmw
constexpr const char* kFormerTb = "81000003517";
constexpr const char* kRemovedCoTb = "00000100166";
constexpr const char* kPlainUser = "80240199943";  // user without rights
constexpr const char* kNewPerson = "98472899765";
constexpr const char* kNewPerson2 = "75260898052";
constexpr const char* kStranger = "01490700185";  // never given anything
constexpr const char* kOtherTb = "92521506931";   // TB of kWzc
constexpr const char* kCoTb = kUser2;             // co-TB of kOcmw
constexpr const char* kManager = kUser3;          // manager of 12345

// Names from the fixture's persons file, as messages name people.
constexpr const char* kNameWvOcmw = "Wendy Verhoeven";
constexpr const char* kNameHtb = "Hilde Bosmans";           // kEmpOcmw
constexpr const char* kNameTb = "Tom Claes";                // kEmp2Ocmw
constexpr const char* kNameCoTb = "Ana Lukasiewicz";        // kUser2
constexpr const char* kNameManager = "Els Van den Broeck";  // kUser3

const std::vector<std::string>& Everyone() {
  static const std::vector<std::string> v = {
      kWvOcmw,    kEmpOcmw,    kEmp2Ocmw, kWvWzc,       kEmpWzc,
      kWvStopped, kWvOther,    kUser1,    kUser2,       kUser3,
      kOutsider,  kFormerHtb,  kFormerTb, kRemovedCoTb, kPlainUser,
      kNewPerson, kNewPerson2, kStranger, kOtherTb};
  return v;
}

std::string Canonical(const std::string& insz) {
  Result<Insz> i = Insz::Parse(insz);
  return i.ok() ? i->ToString() : insz;
}

std::string DisplayInsz(const std::string& insz) {
  Result<Insz> i = Insz::Parse(insz);
  return i.ok() ? i->Display() : insz;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

// Everything observable that a mutation could change, as text lines: the
// revision, the counts, every access decision of everyone, and May()
// probes whose codes reveal who is HTB, TB/co-TB, manager and user where,
// which capacities are active and which applications are authorized.
std::vector<std::string> Fingerprint(const Engine& e) {
  std::vector<std::string> out;
  out.push_back("revision " + std::to_string(e.revision()));
  Result<Stats> s = e.GetStats();
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (s.ok()) {
    out.push_back("stats " + std::to_string(s->revision) + " " +
                  std::to_string(s->persons) + " " + std::to_string(s->htbs) +
                  " " + std::to_string(s->domain_managers) + " " +
                  std::to_string(s->subafdelingen) + " " +
                  std::to_string(s->users) + " " + std::to_string(s->rights) +
                  " " + std::to_string(s->graph_vertices) + " " +
                  std::to_string(s->graph_edges));
  }
  for (const std::string& p : Everyone()) {
    for (const char* app : {"ama-wvg", "vipa"}) {
      for (const std::string& hco : AllHcos()) {
        Result<Decision> d = e.Check(p, app, hco);
        std::string line = "check " + p + " " + app + " " + hco + ": ";
        if (!d.ok()) {
          line += d.status().code();
        } else {
          line += d->allowed ? "yes " + Join(d->facilities) : "no";
        }
        out.push_back(line);
      }
    }
  }
  auto probe = [&](const std::string& what, const Mutation& m) {
    out.push_back("may " + what + ": " + e.May(m).code());
  };
  for (const std::string& p : Everyone()) {
    for (const char* kbo : {kOcmw, kWzc, kStopped, kOther}) {
      probe("activate " + p + " " + kbo,
            M(Action::kActivateCapacity, p).Kbo(kbo));
    }
    for (const auto& [htb, kbo, hco] : {std::tuple(kEmpOcmw, kOcmw, kHcoOcmw),
                                        std::tuple(kEmpWzc, kWzc, kHcoWzc)}) {
      probe("co-tb " + p + " " + kbo,
            M(Action::kAddCoTb, htb).Kbo(kbo).Insz(p));
      probe("user-by " + p + " " + hco,
            M(Action::kAddUser, p).Hco(hco).Insz(kNewPerson2));
      probe("user " + p + " " + hco, M(Action::kAddUser, htb).Hco(hco).Insz(p));
      probe("manager " + p + " " + hco,
            M(Action::kAddManager, htb).Hco(hco).Insz(p));
    }
    probe("create-by " + p, M(Action::kCreateSubafdeling, p)
                                .Kbo(kOcmw)
                                .Hco(kHcoSociaalHuis)
                                .Email("a@b.be")
                                .App("vipa"));
  }
  for (const char* htb : {kEmpOcmw, kEmpWzc}) {
    for (const char* hco : {kHcoOcmw, kHcoSociaalHuis, kHcoWzc, kHcoWzcOost}) {
      for (const char* app : {"ama-wvg", "vipa"}) {
        probe(std::string("authorize ") + htb + " " + hco + " " + app,
              M(Action::kAuthorize, htb).Hco(hco).App(app));
      }
    }
  }
  return out;
}

// Every audit row after seq, in order.
std::vector<AuditRecord> AuditAfter(const Engine& e, uint64_t seq) {
  std::vector<AuditRecord> all;
  AuditQuery q;
  q.after_seq = seq;
  q.limit = 1000;
  for (;;) {
    Result<std::vector<AuditRecord>> r = e.Audit(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) break;
    all.insert(all.end(), r->begin(), r->end());
    if (r->size() < q.limit) break;
    q.after_seq = r->back().seq;
  }
  return all;
}

uint64_t LastSeq(const Engine& e) {
  std::vector<AuditRecord> all = AuditAfter(e, 0);
  return all.empty() ? 0 : all.back().seq;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Asserts that m is refused (kind, code) by May() and by Apply() alike,
// with a message naming each of mentions, and that nothing changed.
void ExpectRefused(TestFederation& fed, const Mutation& m, Kind kind,
                   std::string_view code,
                   const std::vector<std::string>& mentions = {},
                   const std::vector<std::string>& not_mentioned = {}) {
  SCOPED_TRACE(std::string(ActionName(m.action)) + " by " + m.actor +
               ", expecting " + std::string(code));
  Engine& e = fed.engine();
  const std::vector<std::string> before = Fingerprint(e);
  const uint64_t revision = e.revision();
  const uint64_t seq = LastSeq(e);

  const Status may = e.May(m);
  const Result<CommitInfo> applied = e.Apply(m);
  ASSERT_FALSE(applied.ok()) << "applied; May said " << may.ToString();
  const Status& s = applied.status();
  EXPECT_EQ(s.kind(), kind) << s.ToString();
  EXPECT_EQ(s.code(), code) << s.ToString();
  EXPECT_FALSE(s.message().empty());
  for (const std::string& text : mentions) {
    EXPECT_TRUE(Contains(s.message(), text))
        << "message lacks \"" << text << "\": " << s.message();
  }
  for (const std::string& text : not_mentioned) {
    EXPECT_FALSE(Contains(s.message(), text))
        << "message names \"" << text << "\": " << s.message();
  }
  EXPECT_EQ(may.kind(), s.kind());
  EXPECT_EQ(may.code(), s.code());
  EXPECT_EQ(may.message(), s.message());

  EXPECT_EQ(e.revision(), revision);
  EXPECT_EQ(Fingerprint(e), before);

  const std::vector<AuditRecord> rows = AuditAfter(e, seq);
  if (kind == Kind::kRefused) {
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].outcome, "refused");
    EXPECT_EQ(rows[0].revision, 0u);
    EXPECT_EQ(rows[0].actor, Canonical(m.actor));
    EXPECT_EQ(rows[0].action, ActionName(m.action));
    EXPECT_EQ(rows[0].code, code);
    EXPECT_EQ(rows[0].message, s.message());
  } else {
    EXPECT_TRUE(rows.empty())
        << rows.size() << " audit rows, first " << rows.front().code;
  }
}

// Asserts that May() allows m and Apply() commits it as the next revision,
// with one audit row per change, all by the actor. Returns what it did.
CommitInfo ExpectAllowed(TestFederation& fed, const Mutation& m) {
  SCOPED_TRACE(std::string(ActionName(m.action)) + " by " + m.actor);
  Engine& e = fed.engine();
  const uint64_t revision = e.revision();
  const uint64_t seq = LastSeq(e);
  const Status may = e.May(m);
  EXPECT_TRUE(may.ok()) << may.ToString();
  Result<CommitInfo> r = e.Apply(m);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return CommitInfo{};
  EXPECT_EQ(r->revision, revision + 1);
  EXPECT_EQ(e.revision(), r->revision);
  EXPECT_FALSE(r->changes.empty());
  if (!r->changes.empty()) {
    // The first change is the mutation itself (engine.h, CommitInfo).
    const std::string& first = r->changes.front();
    EXPECT_EQ(first.substr(0, first.find(' ')), ActionName(m.action)) << first;
  }
  const std::vector<AuditRecord> rows = AuditAfter(e, seq);
  EXPECT_EQ(rows.size(), r->changes.size());
  for (const AuditRecord& row : rows) {
    EXPECT_EQ(row.outcome, "ok");
    EXPECT_EQ(row.revision, r->revision);
    EXPECT_EQ(row.actor, Canonical(m.actor));
    EXPECT_TRUE(row.code.empty()) << row.code;
  }
  // The graph in memory still equals the database and keeps the model's
  // invariants (one HTB, one TB per domain, rights within authorizations).
  Result<std::vector<std::string>> problems = e.Verify();
  EXPECT_TRUE(problems.ok()) << problems.status().ToString();
  if (problems.ok()) {
    EXPECT_TRUE(problems->empty()) << problems->front();
  }
  return std::move(r).value();
}

// Lines of changes that start with action and mention every one of words.
size_t CountChanges(const std::vector<std::string>& changes,
                    std::string_view action,
                    const std::vector<std::string>& words) {
  return static_cast<size_t>(
      std::count_if(changes.begin(), changes.end(), [&](const std::string& c) {
        if (c.substr(0, c.find(' ')) != action) return false;
        return std::all_of(
            words.begin(), words.end(),
            [&](const std::string& w) { return Contains(c, w); });
      }));
}

// Audit rows of a revision with this action whose detail mentions every
// one of words.
size_t CountAudit(const Engine& e, uint64_t revision, std::string_view action,
                  const std::vector<std::string>& words) {
  const std::vector<AuditRecord> rows = AuditAfter(e, 0);
  return static_cast<size_t>(
      std::count_if(rows.begin(), rows.end(), [&](const AuditRecord& r) {
        if (r.revision != revision || r.action != action || r.outcome != "ok") {
          return false;
        }
        return std::all_of(
            words.begin(), words.end(),
            [&](const std::string& w) { return Contains(r.detail, w); });
      }));
}

std::string EnterpriseCsvWithOcmw(const char* status) {
  return "\"EnterpriseNumber\",\"Status\",\"JuridicalSituation\","
         "\"TypeOfEnterprise\",\"JuridicalForm\",\"JuridicalFormCAC\","
         "\"StartDate\"\n"
         "\"0403.019.261\",\"" +
         std::string(status) + "\",\"000\",\"2\",\"416\",\"\",\"01-01-1977\"\n";
}

class RulesTest : public ::testing::Test {
 protected:
  // On a database file, or on `db` (a PostgreSQL URI).
  explicit RulesTest(const std::string& db = "") : fed_(db) {}

  Engine& engine() { return fed_.engine(); }

  bool Allowed(const std::string& insz, const std::string& app = "ama-wvg",
               const std::string& hco = "") {
    return fed_.Allowed(insz, app, hco);
  }

  void Import(const std::string& what, const std::string& csv) {
    ImportReport report;
    const std::string path = fed_.dir().Write(what + "-extra.csv", csv);
    Status s = what == "functions"
                   ? engine().ImportFunctions(path, ImportOptions{}, &report)
               : what == "facilities"
                   ? engine().ImportFacilities(path, ImportOptions{}, &report)
                   : engine().ImportKbo(path, "", ImportOptions{}, &report);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(report.invalid, 0u);
  }

  // The standard chain. kOcmw: the WV appointed kFormerHtb, who activated
  // the capacity, then replaced them by kEmpOcmw (HTB); the HTB set TB
  // kFormerTb, then replaced them by kEmp2Ocmw (TB); added co-TBs kCoTb
  // and kRemovedCoTb, and removed the latter. The TB created subafdeling
  // 12345 (ama-wvg, manager kManager) and added kUser1 with ama-wvg; the
  // manager added kPlainUser without rights. kWzc: HTB kEmpWzc, TB
  // kOtherTb, who created subafdeling 0012345 for ama-wvg.
  void BuildChain() {
    Import("functions", "kbo,insz,role\n0403019261,00012556777,employee\n");
    fed_.MustApply(M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kFormerHtb));
    fed_.MustApply(M(Action::kActivateCapacity, kFormerHtb).Kbo(kOcmw));
    fed_.MustApply(M(Action::kAppointHtb, kWvOcmw)
                       .Kbo(kOcmw)
                       .Insz(kEmpOcmw)
                       .Email("htb@ocmw.gent")
                       .Phone("+32 9 266 99 00"));
    fed_.MustApply(M(Action::kSetTb, kEmpOcmw).Kbo(kOcmw).Insz(kFormerTb));
    fed_.MustApply(M(Action::kSetTb, kEmpOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw));
    fed_.MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kCoTb));
    fed_.MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kRemovedCoTb));
    fed_.MustApply(
        M(Action::kRemoveCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kRemovedCoTb));
    fed_.MustApply(M(Action::kCreateSubafdeling, kEmp2Ocmw)
                       .Kbo(kOcmw)
                       .Hco(kHcoOcmw)
                       .Email("toegang@ocmw.gent")
                       .App("ama-wvg")
                       .Manager(kManager));
    fed_.MustApply(M(Action::kAddUser, kEmp2Ocmw)
                       .Hco(kHcoOcmw)
                       .Insz(kUser1)
                       .App("ama-wvg"));
    fed_.MustApply(
        M(Action::kAddUser, kManager).Hco(kHcoOcmw).Insz(kPlainUser));
    fed_.MustApply(M(Action::kAppointHtb, kWvWzc).Kbo(kWzc).Insz(kEmpWzc));
    fed_.MustApply(M(Action::kActivateCapacity, kEmpWzc).Kbo(kWzc));
    fed_.MustApply(M(Action::kSetTb, kEmpWzc).Kbo(kWzc).Insz(kOtherTb));
    fed_.MustApply(M(Action::kCreateSubafdeling, kOtherTb)
                       .Kbo(kWzc)
                       .Hco(kHcoWzc)
                       .Email("toegang@delinde.be")
                       .App("ama-wvg"));
    ASSERT_TRUE(Allowed(kUser1));
    ASSERT_FALSE(Allowed(kPlainUser));
  }

  TestFederation fed_;
};

// --- the rules' scenario on each store ---------------------------------

// The standard chain (BuildChain: the manual's procedure with replaced
// HTB and TB and a removed co-TB), its refusals (each audited), a revoke,
// and the same answers after a reopen, on SQLite and on PostgreSQL
// (support/pg_cluster.h).
class RulesOnEachStoreTest : private StoreOfTheParam,
                             public RulesTest,
                             public ::testing::WithParamInterface<StoreKind> {
 protected:
  // SQLite: the fixture's own file; PostgreSQL: the new database ("" when
  // the cluster cannot run, and SetUp skips).
  RulesOnEachStoreTest()
      : RulesTest(GetParam() == StoreKind::kSqlite ? "" : db) {}
  void SetUp() override { TOEGANG_SKIP_WITHOUT_STORE(db, why); }
};

INSTANTIATE_TEST_SUITE_P(Stores, RulesOnEachStoreTest, kBothStores,
                         StoreKindName);

TEST_P(RulesOnEachStoreTest, TheStandardChainItsRefusalsAndARevoke) {
  BuildChain();
  ExpectRefused(fed_, M(Action::kSetTb, kFormerHtb).Kbo(kOcmw).Insz(kOutsider),
                Kind::kRefused, code::kNotAuthorized);
  ExpectRefused(fed_,
                M(Action::kAddUser, kPlainUser).Hco(kHcoOcmw).Insz(kOutsider),
                Kind::kRefused, code::kNotAuthorized);
  ExpectRefused(fed_,
                M(Action::kAddUser, kRemovedCoTb).Hco(kHcoOcmw).Insz(kOutsider),
                Kind::kRefused, code::kNotAuthorized);
  ExpectAllowed(fed_, M(Action::kGrantRight, kManager)
                          .Hco(kHcoOcmw)
                          .Insz(kPlainUser)
                          .App("ama-wvg"));
  EXPECT_TRUE(Allowed(kPlainUser, "ama-wvg", kHcoOcmw));
  ExpectAllowed(
      fed_,
      M(Action::kRevokeRight, kCoTb).Hco(kHcoOcmw).Insz(kUser1).App("ama-wvg"));
  EXPECT_FALSE(Allowed(kUser1));
  // Every answer, and the revision, again after a reopen (the graph's
  // figures aside: the live graph keeps vertices a load does not make).
  auto answers = [&] {
    std::vector<std::string> out = Fingerprint(engine());
    std::erase_if(out, [](const std::string& line) {
      return line.starts_with("stats ");
    });
    return out;
  };
  const std::vector<std::string> before = answers();
  fed_.Reopen();
  EXPECT_EQ(answers(), before);
  EXPECT_TRUE(Allowed(kPlainUser, "ama-wvg", kHcoOcmw));
  EXPECT_FALSE(Allowed(kUser1));
  Result<std::vector<std::string>> problems = engine().Verify();
  ASSERT_TRUE(problems.ok()) << problems.status().ToString();
  EXPECT_EQ(*problems, std::vector<std::string>{});
}

// --- actor x mutation --------------------------------------------------

enum class Role {
  kAsWv,           // WV of kOcmw, not its HTB
  kAsHtb,          // HTB of kOcmw
  kAsTb,           // TB of kOcmw's domain (an employee, not the HTB)
  kAsCoTb,         // co-TB of kOcmw's domain
  kAsManager,      // named manager of subafdeling 12345
  kAsUser,         // user of 12345 with ama-wvg
  kAsOutsider,     // in the persons registry, no function anywhere
  kAsStranger,     // a valid INSZ the federation does not know
  kAsFormerHtb,    // kOcmw's HTB before kEmpOcmw (still an employee)
  kAsFormerTb,     // kOcmw's TB before kEmp2Ocmw
  kAsRemovedCoTb,  // a co-TB of kOcmw who was removed
  kAsOtherWv,      // WV of kWzc
  kAsOtherHtb,     // HTB of kWzc
  kAsOtherTb,      // TB of kWzc
};

struct RoleInfo {
  Role role;
  const char* name;
  const char* insz;
};

const std::vector<RoleInfo>& Roles() {
  static const std::vector<RoleInfo> v = {
      {Role::kAsWv, "Wv", kWvOcmw},
      {Role::kAsHtb, "Htb", kEmpOcmw},
      {Role::kAsTb, "Tb", kEmp2Ocmw},
      {Role::kAsCoTb, "CoTb", kCoTb},
      {Role::kAsManager, "Manager", kManager},
      {Role::kAsUser, "User", kUser1},
      {Role::kAsOutsider, "Outsider", kOutsider},
      {Role::kAsStranger, "Stranger", kStranger},
      {Role::kAsFormerHtb, "FormerHtb", kFormerHtb},
      {Role::kAsFormerTb, "FormerTb", kFormerTb},
      {Role::kAsRemovedCoTb, "RemovedCoTb", kRemovedCoTb},
      {Role::kAsOtherWv, "OtherEnterpriseWv", kWvWzc},
      {Role::kAsOtherHtb, "OtherEnterpriseHtb", kEmpWzc},
      {Role::kAsOtherTb, "OtherEnterpriseTb", kOtherTb},
  };
  return v;
}

void PrintTo(const RoleInfo& r, std::ostream* os) { *os << r.name; }

struct ActionCase {
  const char* name;
  Mutation (*make)(const std::string& actor);
  std::vector<Role> allowed;
  // When an allowed actor is nevertheless refused in the chain's state
  // (the capacity is already active), the code; else empty.
  std::string_view allowed_code;
  // What the same mutation meets once it is applied.
  std::string_view again_code;
  // Whom a not_authorized message names as able to act.
  std::vector<std::string> who;
};

void PrintTo(const ActionCase& c, std::ostream* os) { *os << c.name; }

const std::vector<Role> kHtbOnly = {Role::kAsHtb};
const std::vector<Role> kDomainManagers = {Role::kAsHtb, Role::kAsTb,
                                           Role::kAsCoTb};
const std::vector<Role> kSubafdelingManagers = {
    Role::kAsHtb, Role::kAsTb, Role::kAsCoTb, Role::kAsManager};

const std::vector<ActionCase>& ActionCases() {
  static const std::vector<ActionCase> v = {
      {"AppointHtb",
       [](const std::string& a) -> Mutation {
         return M(Action::kAppointHtb, a).Kbo(kOcmw).Insz(kFormerHtb);
       },
       {Role::kAsWv},
       "",
       code::kAlreadyHtb,
       {kNameWvOcmw}},
      {"ActivateCapacity",
       [](const std::string& a) -> Mutation {
         return M(Action::kActivateCapacity, a).Kbo(kOcmw);
       },
       kHtbOnly,
       code::kAlreadyActive,
       "",
       {kNameHtb}},
      {"SetTb",
       [](const std::string& a) -> Mutation {
         return M(Action::kSetTb, a).Kbo(kOcmw).Insz(kNewPerson);
       },
       kHtbOnly,
       "",
       code::kAlreadyManager,
       {kNameHtb}},
      {"AddCoTb",
       [](const std::string& a) -> Mutation {
         return M(Action::kAddCoTb, a).Kbo(kOcmw).Insz(kNewPerson);
       },
       kHtbOnly,
       "",
       code::kAlreadyManager,
       {kNameHtb}},
      {"RemoveCoTb",
       [](const std::string& a) -> Mutation {
         return M(Action::kRemoveCoTb, a).Kbo(kOcmw).Insz(kCoTb);
       },
       kHtbOnly,
       "",
       code::kNotAManager,
       {kNameHtb}},
      {"CreateSubafdeling",
       [](const std::string& a) -> Mutation {
         return M(Action::kCreateSubafdeling, a)
             .Kbo(kOcmw)
             .Hco(kHcoSociaalHuis)
             .Email("sociaalhuis@ocmw.gent")
             .App("vipa");
       },
       kDomainManagers,
       "",
       code::kAlreadyExists,
       {kNameHtb, kNameTb, kNameCoTb}},
      {"Authorize",
       [](const std::string& a) -> Mutation {
         return M(Action::kAuthorize, a).Hco(kHcoOcmw).App("vipa");
       },
       kDomainManagers,
       "",
       code::kAlreadyAuthorized,
       {kNameHtb, kNameTb, kNameCoTb}},
      {"Deauthorize",
       [](const std::string& a) -> Mutation {
         return M(Action::kDeauthorize, a).Hco(kHcoOcmw).App("ama-wvg");
       },
       kDomainManagers,
       "",
       code::kApplicationNotAuthorized,
       {kNameHtb, kNameTb, kNameCoTb}},
      {"RemoveSubafdeling",
       [](const std::string& a) -> Mutation {
         return M(Action::kRemoveSubafdeling, a).Hco(kHcoOcmw);
       },
       kDomainManagers,
       "",
       code::kSubafdelingUnknown,
       {kNameHtb, kNameTb, kNameCoTb}},
      {"AddManager",
       [](const std::string& a) -> Mutation {
         return M(Action::kAddManager, a).Hco(kHcoOcmw).Insz(kNewPerson);
       },
       kDomainManagers,
       "",
       code::kAlreadyManager,
       {kNameHtb, kNameTb, kNameCoTb}},
      {"RemoveManager",
       [](const std::string& a) -> Mutation {
         return M(Action::kRemoveManager, a).Hco(kHcoOcmw).Insz(kManager);
       },
       kDomainManagers,
       "",
       code::kNotAManager,
       {kNameHtb, kNameTb, kNameCoTb}},
      {"AddUser",
       [](const std::string& a) -> Mutation {
         return M(Action::kAddUser, a)
             .Hco(kHcoOcmw)
             .Insz(kNewPerson)
             .App("ama-wvg");
       },
       kSubafdelingManagers,
       "",
       code::kAlreadyUser,
       {kNameHtb, kNameTb, kNameCoTb, kNameManager}},
      {"GrantRight",
       [](const std::string& a) -> Mutation {
         return M(Action::kGrantRight, a)
             .Hco(kHcoOcmw)
             .Insz(kPlainUser)
             .App("ama-wvg");
       },
       kSubafdelingManagers,
       "",
       code::kAlreadyGranted,
       {kNameHtb, kNameTb, kNameCoTb, kNameManager}},
      {"RevokeRight",
       [](const std::string& a) -> Mutation {
         return M(Action::kRevokeRight, a)
             .Hco(kHcoOcmw)
             .Insz(kUser1)
             .App("ama-wvg");
       },
       kSubafdelingManagers,
       "",
       code::kRightMissing,
       {kNameHtb, kNameTb, kNameCoTb, kNameManager}},
      {"RemoveUser",
       [](const std::string& a) -> Mutation {
         return M(Action::kRemoveUser, a).Hco(kHcoOcmw).Insz(kUser1);
       },
       kSubafdelingManagers,
       "",
       code::kNotAUser,
       {kNameHtb, kNameTb, kNameCoTb, kNameManager}},
  };
  return v;
}

class RulesActorTest
    : public RulesTest,
      public ::testing::WithParamInterface<std::tuple<ActionCase, RoleInfo>> {};

TEST_P(RulesActorTest, AllowedOrNotAuthorized) {
  const auto& [c, role] = GetParam();
  BuildChain();
  const Mutation m = c.make(role.insz);
  const bool allowed = std::find(c.allowed.begin(), c.allowed.end(),
                                 role.role) != c.allowed.end();
  if (!allowed) {
    // Former and removed administrators are not named as able to act.
    ExpectRefused(fed_, m, Kind::kRefused, code::kNotAuthorized, c.who,
                  {DisplayInsz(kFormerHtb), DisplayInsz(kFormerTb),
                   DisplayInsz(kRemovedCoTb)});
    // The helpdesk finds the refusal under the enterprise concerned.
    AuditQuery q;
    q.kbo = kOcmw;
    q.limit = 100000;
    Result<std::vector<AuditRecord>> rows = engine().Audit(q);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    ASSERT_FALSE(rows->empty());
    EXPECT_EQ(rows->back().outcome, "refused");
    EXPECT_EQ(rows->back().code, code::kNotAuthorized);
    EXPECT_EQ(rows->back().actor, role.insz);
    return;
  }
  if (!c.allowed_code.empty()) {
    ExpectRefused(fed_, m, Kind::kRefused, c.allowed_code);
    return;
  }
  ExpectAllowed(fed_, m);
  // The change took effect: the same mutation now meets its "already"
  // rule.
  ExpectRefused(fed_, m, Kind::kRefused, c.again_code);
}

INSTANTIATE_TEST_SUITE_P(
    RulesMatrix, RulesActorTest,
    ::testing::Combine(::testing::ValuesIn(ActionCases()),
                       ::testing::ValuesIn(Roles())),
    [](const ::testing::TestParamInfo<std::tuple<ActionCase, RoleInfo>>& i) {
      return std::string(std::get<0>(i.param).name) + "_by_" +
             std::get<1>(i.param).name;
    });

// --- the actor itself ---------------------------------------------------

class RulesActorInputTest : public RulesTest,
                            public ::testing::WithParamInterface<ActionCase> {};

TEST_P(RulesActorInputTest, MissingOrInvalidActorIsInvalidInput) {
  BuildChain();
  const ActionCase& c = GetParam();
  ExpectRefused(fed_, c.make(""), Kind::kInvalidInput, code::kUsage, {"--by"});
  ExpectRefused(fed_, c.make("12345678901"), Kind::kInvalidInput,
                code::kInvalidInsz, {"--by"});
  ExpectRefused(fed_, c.make("81050103521"), Kind::kInvalidInput,
                code::kInvalidInsz, {"--by"});
}

INSTANTIATE_TEST_SUITE_P(RulesEveryMutation, RulesActorInputTest,
                         ::testing::ValuesIn(ActionCases()),
                         [](const ::testing::TestParamInfo<ActionCase>& i) {
                           return std::string(i.param.name);
                         });

TEST_F(RulesTest, ActorInDisplayFormIsAuditedCanonically) {
  BuildChain();
  // kEmpOcmw written as on an eID card; a refusal records the 11 digits.
  ExpectRefused(fed_,
                M(Action::kActivateCapacity, "85.07.30-033.28").Kbo(kOcmw),
                Kind::kRefused, code::kAlreadyActive);
  ExpectAllowed(
      fed_,
      M(Action::kAddUser, "85.07.30-033.28").Hco(kHcoOcmw).Insz(kNewPerson));
}

// --- stopped enterprise: nothing can be granted -------------------------

class RulesStoppedTest : public RulesTest,
                         public ::testing::WithParamInterface<ActionCase> {};

TEST_P(RulesStoppedTest, GrantingOnAStoppedEnterpriseIsRefused) {
  BuildChain();
  Import("kbo", EnterpriseCsvWithOcmw("ST"));
  ASSERT_FALSE(Allowed(kUser1));
  const ActionCase& c = GetParam();
  // Made by an actor who could otherwise make it.
  const char* actor = c.allowed.front() == Role::kAsWv ? kWvOcmw : kEmpOcmw;
  ExpectRefused(fed_, c.make(actor), Kind::kRefused, code::kEnterpriseInactive,
                {"1.1", "0403.019.261"});
}

std::vector<ActionCase> GrantingCases() {
  std::vector<ActionCase> out;
  for (const ActionCase& c : ActionCases()) {
    const std::string n = c.name;
    if (n == "AppointHtb" || n == "ActivateCapacity" || n == "SetTb" ||
        n == "AddCoTb" || n == "CreateSubafdeling" || n == "Authorize" ||
        n == "AddManager" || n == "AddUser" || n == "GrantRight") {
      out.push_back(c);
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(RulesGranting, RulesStoppedTest,
                         ::testing::ValuesIn(GrantingCases()),
                         [](const ::testing::TestParamInfo<ActionCase>& i) {
                           return std::string(i.param.name);
                         });

TEST_F(RulesTest, StoppedEnterpriseActiveAgainAllowsGrantingAgain) {
  BuildChain();
  Import("kbo", EnterpriseCsvWithOcmw("ST"));
  ExpectRefused(fed_,
                M(Action::kAddUser, kEmpOcmw).Hco(kHcoOcmw).Insz(kNewPerson),
                Kind::kRefused, code::kEnterpriseInactive);
  Import("kbo", EnterpriseCsvWithOcmw("AC"));
  ExpectAllowed(fed_,
                M(Action::kAddUser, kEmpOcmw).Hco(kHcoOcmw).Insz(kNewPerson));
}

// --- closed facility: nothing can be granted on it ----------------------

// Facility 12345 (the chain's subafdeling) as CoBRHA lists it.
std::string FacilityOcmw(const char* status) {
  return std::string(
             "hco,name,type_code,kbo,status\n12345,OCMW Gent,009,"
             "0403019261,") +
         status + "\n";
}

class RulesClosedFacilityTest
    : public RulesTest,
      public ::testing::WithParamInterface<ActionCase> {};

// Every grant on the subafdeling of a facility CoBRHA closed is refused
// with facility_closed and the manual's remedy, before (and so also for)
// an actor who could otherwise make it.
TEST_P(RulesClosedFacilityTest, GrantingOnAClosedFacilityIsRefused) {
  BuildChain();
  Import("facilities", FacilityOcmw("closed"));
  ASSERT_FALSE(Allowed(kUser1));
  const ActionCase& c = GetParam();
  ExpectRefused(fed_, c.make(kEmpOcmw), Kind::kRefused, code::kFacilityClosed,
                {"12345", "closed in CoBRHA", "1.1", "CoBRHA",
                 "zorgenwerk.zorg@vlaanderen.be"});
  ExpectRefused(fed_, c.make(kEmp2Ocmw), Kind::kRefused, code::kFacilityClosed);
}

std::vector<ActionCase> GrantingOnSubafdelingCases() {
  std::vector<ActionCase> out;
  for (const ActionCase& c : ActionCases()) {
    const std::string n = c.name;
    if (n == "Authorize" || n == "AddManager" || n == "AddUser" ||
        n == "GrantRight") {
      out.push_back(c);
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(RulesGranting, RulesClosedFacilityTest,
                         ::testing::ValuesIn(GrantingOnSubafdelingCases()),
                         [](const ::testing::TestParamInfo<ActionCase>& i) {
                           return std::string(i.param.name);
                         });

// Taking away stays possible on a closed facility (the clean-up), and once
// CoBRHA lists it as active again, granting works again.
TEST_F(RulesTest, ClosedFacilityAllowsTakingAwayAndReopenedAllowsGranting) {
  BuildChain();
  Import("facilities", FacilityOcmw("closed"));
  ExpectAllowed(fed_, M(Action::kRevokeRight, kEmpOcmw)
                          .Hco(kHcoOcmw)
                          .Insz(kUser1)
                          .App("ama-wvg"));
  ExpectAllowed(
      fed_, M(Action::kRemoveManager, kEmpOcmw).Hco(kHcoOcmw).Insz(kManager));
  ExpectRefused(fed_,
                M(Action::kGrantRight, kEmpOcmw)
                    .Hco(kHcoOcmw)
                    .Insz(kUser1)
                    .App("ama-wvg"),
                Kind::kRefused, code::kFacilityClosed);
  Import("facilities", FacilityOcmw("active"));
  ExpectAllowed(fed_, M(Action::kGrantRight, kEmpOcmw)
                          .Hco(kHcoOcmw)
                          .Insz(kUser1)
                          .App("ama-wvg"));
  EXPECT_TRUE(Allowed(kUser1));
}

// Creating a subafdeling (with or without authorizations) on a closed
// facility is refused with the same code and remedy.
TEST_F(RulesTest, CreateSubafdelingOnAClosedFacilityIsRefused) {
  BuildChain();
  for (bool with_app : {false, true}) {
    M m = M(Action::kCreateSubafdeling, kEmpOcmw)
              .Kbo(kOcmw)
              .Hco(kHcoOcmwClosed)
              .Email("oud@ocmw.gent");
    if (with_app) m.App("ama-wvg");
    ExpectRefused(fed_, m, Kind::kRefused, code::kFacilityClosed,
                  {kHcoOcmwClosed, "1.1", "zorgenwerk.zorg@vlaanderen.be"});
  }
}

// --- appoint HTB (manual 3.2) -------------------------------------------

TEST_F(RulesTest, AppointHtbByWv) {
  // A WV may appoint an employee, or themself.
  CommitInfo info = ExpectAllowed(fed_, M(Action::kAppointHtb, kWvWzc)
                                            .Kbo(kWzc)
                                            .Insz(kEmpWzc)
                                            .Email("htb@delinde.be")
                                            .Phone("09 123 45 67"));
  ASSERT_FALSE(info.changes.empty());
  EXPECT_TRUE(Contains(info.changes[0], kEmpWzc)) << info.changes[0];
  ExpectAllowed(fed_, M(Action::kActivateCapacity, kEmpWzc).Kbo(kWzc));
  ExpectAllowed(fed_,
                M(Action::kAppointHtb, kWvOther).Kbo(kOther).Insz(kWvOther));
  ExpectAllowed(fed_, M(Action::kActivateCapacity, kWvOther).Kbo(kOther));
}

TEST_F(RulesTest, AppointHtbNeedsAKnownActiveEnterprise) {
  ExpectRefused(
      fed_, M(Action::kAppointHtb, kWvOcmw).Kbo(kUnknownKbo).Insz(kEmpOcmw),
      Kind::kRefused, code::kEnterpriseUnknown, {"0444.712.336", "import kbo"});
  ExpectRefused(
      fed_, M(Action::kAppointHtb, kWvStopped).Kbo(kStopped).Insz(kWvStopped),
      Kind::kRefused, code::kEnterpriseInactive, {"1.1", "0353.456.320"});
}

TEST_F(RulesTest, AppointHtbNeedsAWv) {
  // An employee, a WV of another enterprise and an outsider are not WVs;
  // the message names the WV.
  for (const char* actor : {kEmpOcmw, kWvWzc, kOutsider, kStranger}) {
    ExpectRefused(fed_, M(Action::kAppointHtb, actor).Kbo(kOcmw).Insz(kEmpOcmw),
                  Kind::kRefused, code::kNotAuthorized, {kNameWvOcmw, "3.2"});
  }
}

TEST_F(RulesTest, AppointeeMustBeWvOrEmployee) {
  for (const char* appointee : {kOutsider, kWvWzc, kEmpWzc, kStranger}) {
    ExpectRefused(fed_,
                  M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(appointee),
                  Kind::kRefused, code::kNotWvOrEmployee, {"3.2"});
  }
}

TEST_F(RulesTest, AppointSameHtbAgainIsAlreadyHtb) {
  ExpectAllowed(fed_,
                M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmpOcmw));
  ExpectRefused(fed_, M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmpOcmw),
                Kind::kRefused, code::kAlreadyHtb,
                {kNameHtb, "3.2", "ERANOVA", "02-511 51 51", "7:00 to 20:00"});
}

TEST_F(RulesTest, AppointHtbInvalidInput) {
  ExpectRefused(fed_,
                M(Action::kAppointHtb, "12345678901").Kbo(kOcmw).Insz(kEmpOcmw),
                Kind::kInvalidInput, code::kInvalidInsz, {"--by"});
  ExpectRefused(fed_,
                M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz("81050103521"),
                Kind::kInvalidInput, code::kInvalidInsz, {"--insz"});
  ExpectRefused(
      fed_, M(Action::kAppointHtb, kWvOcmw).Kbo("0431150351").Insz(kEmpOcmw),
      Kind::kInvalidInput, code::kInvalidKbo);
  ExpectRefused(fed_, M(Action::kAppointHtb, kWvOcmw).Insz(kEmpOcmw),
                Kind::kInvalidInput, code::kUsage, {"--kbo"});
  ExpectRefused(fed_, M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw),
                Kind::kInvalidInput, code::kUsage, {"--insz"});
  ExpectRefused(fed_, M(Action::kAppointHtb, "").Kbo(kOcmw).Insz(kEmpOcmw),
                Kind::kInvalidInput, code::kUsage, {"--by"});
  ExpectRefused(fed_,
                M(Action::kAppointHtb, kWvOcmw)
                    .Kbo(kOcmw)
                    .Insz(kEmpOcmw)
                    .Email("htb-at-ocmw.gent"),
                Kind::kInvalidInput, code::kInvalidEmail);
  ExpectRefused(fed_,
                M(Action::kAppointHtb, kWvOcmw)
                    .Kbo(kOcmw)
                    .Insz(kEmpOcmw)
                    .Phone("call me"),
                Kind::kInvalidInput, code::kInvalidPhone);
}

TEST_F(RulesTest, HtbReplacementTakesTheRoleNotTheGrants) {
  ExpectAllowed(fed_,
                M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw));
  ExpectAllowed(fed_, M(Action::kActivateCapacity, kEmp2Ocmw).Kbo(kOcmw));
  ExpectAllowed(fed_, M(Action::kSetTb, kEmp2Ocmw).Kbo(kOcmw).Insz(kFormerTb));
  CommitInfo info = ExpectAllowed(
      fed_, M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmpOcmw));
  ASSERT_FALSE(info.changes.empty());
  EXPECT_TRUE(Contains(info.changes[0], kEmpOcmw)) << info.changes[0];
  EXPECT_TRUE(Contains(info.changes[0], kEmp2Ocmw))
      << "names the HTB replaced: " << info.changes[0];
  EXPECT_EQ(CountAudit(engine(), info.revision, "htb.appoint",
                       {std::string("\"previous\":\"") + kEmp2Ocmw + "\""}),
            1u);

  // The old HTB can no longer act as HTB or as TB of the domain; the
  // messages name the new HTB.
  ExpectRefused(fed_, M(Action::kSetTb, kEmp2Ocmw).Kbo(kOcmw).Insz(kNewPerson),
                Kind::kRefused, code::kNotAuthorized, {kNameHtb});
  ExpectRefused(fed_,
                M(Action::kAddCoTb, kEmp2Ocmw).Kbo(kOcmw).Insz(kNewPerson),
                Kind::kRefused, code::kNotAuthorized, {kNameHtb});
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kEmp2Ocmw)
                    .Kbo(kOcmw)
                    .Hco(kHcoOcmw)
                    .Email("a@ocmw.gent")
                    .App("ama-wvg"),
                Kind::kRefused, code::kNotAuthorized, {kNameHtb});
  // Its grants stay: the capacity stays active and the TB it set stays TB.
  ExpectRefused(fed_, M(Action::kActivateCapacity, kEmpOcmw).Kbo(kOcmw),
                Kind::kRefused, code::kAlreadyActive);
  ExpectAllowed(fed_, M(Action::kCreateSubafdeling, kFormerTb)
                          .Kbo(kOcmw)
                          .Hco(kHcoOcmw)
                          .Email("a@ocmw.gent")
                          .App("ama-wvg"));
  // The new HTB acts.
  ExpectAllowed(fed_,
                M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kNewPerson));
  // And all of it survives a reopen.
  fed_.Reopen();
  ExpectRefused(fed_,
                M(Action::kAddCoTb, kEmp2Ocmw).Kbo(kOcmw).Insz(kNewPerson2),
                Kind::kRefused, code::kNotAuthorized, {kNameHtb});
  ExpectAllowed(fed_,
                M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kNewPerson2));
}

TEST_F(RulesTest, UserAddedByAReplacedHtbKeepsAccess) {
  // SPEC 4.4, last line: grants belong to the organization.
  ExpectAllowed(fed_,
                M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw));
  ExpectAllowed(fed_, M(Action::kActivateCapacity, kEmp2Ocmw).Kbo(kOcmw));
  ExpectAllowed(fed_, M(Action::kCreateSubafdeling, kEmp2Ocmw)
                          .Kbo(kOcmw)
                          .Hco(kHcoOcmw)
                          .Email("a@ocmw.gent")
                          .App("ama-wvg"));
  ExpectAllowed(
      fed_,
      M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser1).App("ama-wvg"));
  ASSERT_TRUE(Allowed(kUser1));
  ExpectAllowed(fed_,
                M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmpOcmw));
  EXPECT_TRUE(Allowed(kUser1));
  EXPECT_TRUE(Allowed(kUser1, "ama-wvg", kHcoOcmw));
  // The replaced HTB cannot manage the user any more ...
  ExpectRefused(fed_,
                M(Action::kRemoveUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser1),
                Kind::kRefused, code::kNotAuthorized, {kNameHtb});
  ExpectRefused(fed_, M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2),
                Kind::kRefused, code::kNotAuthorized, {kNameHtb});
  fed_.Reopen();
  EXPECT_TRUE(Allowed(kUser1));
  // ... the new one can.
  ExpectAllowed(fed_, M(Action::kRevokeRight, kEmpOcmw)
                          .Hco(kHcoOcmw)
                          .Insz(kUser1)
                          .App("ama-wvg"));
  EXPECT_FALSE(Allowed(kUser1));
}

// --- activate capacity (3.4) --------------------------------------------

TEST_F(RulesTest, ActivateCapacity) {
  ExpectAllowed(fed_,
                M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmpOcmw));
  ExpectRefused(fed_, M(Action::kActivateCapacity, kWvOcmw).Kbo(kOcmw),
                Kind::kRefused, code::kNotAuthorized, {kNameHtb, "3.4"});
  ExpectRefused(fed_,
                M(Action::kActivateCapacity, kEmpOcmw)
                    .Kbo(kOcmw)
                    .Cap("geen-hoedanigheid"),
                Kind::kInvalidInput, code::kUnknownCapacity,
                {"ehealth-gezondheidszorg"});
  // By name, in any case.
  ExpectAllowed(fed_, M(Action::kActivateCapacity, kEmpOcmw)
                          .Kbo(kOcmw)
                          .Cap("EHEALTH GEZONDHEIDSZORG"));
  ExpectRefused(fed_,
                M(Action::kActivateCapacity, kEmpOcmw)
                    .Kbo(kOcmw)
                    .Cap("ehealth-gezondheidszorg"),
                Kind::kRefused, code::kAlreadyActive);
}

TEST_F(RulesTest, ActivateCapacityNeedsAKnownActiveEnterprise) {
  ExpectRefused(fed_, M(Action::kActivateCapacity, kWvOcmw).Kbo(kUnknownKbo),
                Kind::kRefused, code::kEnterpriseUnknown);
  ExpectRefused(fed_, M(Action::kActivateCapacity, kWvStopped).Kbo(kStopped),
                Kind::kRefused, code::kEnterpriseInactive, {"1.1"});
  ExpectRefused(fed_, M(Action::kActivateCapacity, kWvOcmw).Kbo("0884303370"),
                Kind::kInvalidInput, code::kInvalidKbo);
}

// --- TB and co-TBs (3.5) ------------------------------------------------

TEST_F(RulesTest, DomainNeedsAnActiveCapacity) {
  ExpectAllowed(fed_,
                M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmpOcmw));
  for (Action a : {Action::kSetTb, Action::kAddCoTb}) {
    ExpectRefused(fed_, M(a, kEmpOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw),
                  Kind::kRefused, code::kCapacityInactive, {"3.4", kNameHtb});
  }
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kEmpOcmw)
                    .Kbo(kOcmw)
                    .Hco(kHcoOcmw)
                    .Email("a@ocmw.gent"),
                Kind::kRefused, code::kCapacityInactive, {"3.4"});
  ExpectAllowed(fed_, M(Action::kActivateCapacity, kEmpOcmw).Kbo(kOcmw));
  ExpectAllowed(fed_, M(Action::kSetTb, kEmpOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw));
}

TEST_F(RulesTest, OnePersonOneDomainRole) {
  BuildChain();
  // TB, co-TB or HTB again as TB or co-TB of the same domain. (tb set of
  // the co-TB promotes them: life_cycle_test.cc.)
  for (Action a : {Action::kSetTb, Action::kAddCoTb}) {
    for (const char* who : {kEmp2Ocmw, kCoTb, kEmpOcmw}) {
      if (a == Action::kSetTb && who == kCoTb) continue;
      ExpectRefused(fed_, M(a, kEmpOcmw).Kbo(kOcmw).Insz(who), Kind::kRefused,
                    code::kAlreadyManager, {"3.5"});
    }
  }
}

TEST_F(RulesTest, RemoveCoTbOfSomeoneWhoIsNot) {
  BuildChain();
  for (const char* who : {kOutsider, kEmp2Ocmw, kEmpOcmw, kRemovedCoTb}) {
    ExpectRefused(fed_, M(Action::kRemoveCoTb, kEmpOcmw).Kbo(kOcmw).Insz(who),
                  Kind::kRefused, code::kNotAManager, {who});
  }
}

TEST_F(RulesTest, DomainCatalogueNamesAndInvalidInput) {
  BuildChain();
  ExpectAllowed(fed_, M(Action::kAddCoTb, kEmpOcmw)
                          .Kbo("BE 0403.019.261")
                          .Cap("eHealth Gezondheidszorg")
                          .Sub("GEZONDHEIDSZORG")
                          .Insz("98.47.28-997.65"));
  ExpectRefused(fed_,
                M(Action::kAddCoTb, kEmpOcmw)
                    .Kbo(kOcmw)
                    .Sub("thuiszorg")
                    .Insz(kNewPerson2),
                Kind::kInvalidInput, code::kUnknownSubdivision,
                {"gezondheidszorg"});
  ExpectRefused(fed_,
                M(Action::kSetTb, kEmpOcmw).Kbo(kOcmw).Insz("85133000105"),
                Kind::kInvalidInput, code::kInvalidInsz);
  ExpectRefused(fed_, M(Action::kSetTb, kEmpOcmw).Kbo(kOcmw),
                Kind::kInvalidInput, code::kUsage);
  ExpectRefused(fed_,
                M(Action::kSetTb, kEmpOcmw).Kbo("2111111111").Insz(kNewPerson2),
                Kind::kInvalidInput, code::kInvalidKbo);
  ExpectRefused(fed_,
                M(Action::kSetTb, kEmpOcmw).Kbo(kUnknownKbo).Insz(kNewPerson2),
                Kind::kRefused, code::kEnterpriseUnknown);
}

TEST_F(RulesTest, TbReplacement) {
  BuildChain();
  // kEmp2Ocmw is TB and created 12345; kNewPerson, not in any registry,
  // replaces them.
  CommitInfo info = ExpectAllowed(
      fed_, M(Action::kSetTb, kEmpOcmw).Kbo(kOcmw).Insz(kNewPerson));
  ASSERT_FALSE(info.changes.empty());
  EXPECT_TRUE(Contains(info.changes[0], kNewPerson)) << info.changes[0];
  EXPECT_TRUE(Contains(info.changes[0], kEmp2Ocmw))
      << "names the TB replaced: " << info.changes[0];
  ExpectRefused(
      fed_, M(Action::kAuthorize, kEmp2Ocmw).Hco(kHcoOcmw).App("vipa"),
      Kind::kRefused, code::kNotAuthorized, {kNameHtb, kNameCoTb}, {kNameTb});
  ExpectAllowed(fed_,
                M(Action::kAuthorize, kNewPerson).Hco(kHcoOcmw).App("vipa"));
  // What the old TB made stays.
  EXPECT_TRUE(Allowed(kUser1));
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kNewPerson)
                    .Kbo(kOcmw)
                    .Hco(kHcoOcmw)
                    .Email("a@ocmw.gent"),
                Kind::kRefused, code::kAlreadyExists);
  // The old TB may now become co-TB.
  ExpectAllowed(fed_, M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw));
}

TEST_F(RulesTest, RemovedCoTbLosesPowerButGrantsStay) {
  BuildChain();
  ExpectAllowed(
      fed_,
      M(Action::kAddUser, kCoTb).Hco(kHcoOcmw).Insz(kNewPerson).App("ama-wvg"));
  ExpectAllowed(fed_, M(Action::kRemoveCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kCoTb));
  ExpectRefused(fed_,
                M(Action::kAddUser, kCoTb).Hco(kHcoOcmw).Insz(kNewPerson2),
                Kind::kRefused, code::kNotAuthorized, {kNameHtb, kNameTb});
  EXPECT_TRUE(Allowed(kNewPerson));
}

// --- create subafdeling (3.6) --------------------------------------------

TEST_F(RulesTest, CreateSubafdelingWithAuthorizationsAndManagers) {
  BuildChain();
  CommitInfo info = ExpectAllowed(
      fed_, M(Action::kCreateSubafdeling, kCoTb)
                .Kbo(kOcmw)
                .Hco(kHcoSociaalHuis)
                .Email("sociaalhuis@ocmw.gent")
                .App("Vlaams infrastructuurfonds voor Persoonsgebonden "
                     "aangelegenheden")
                .Manager("92.20.00-069.63")
                .Manager(kNewPerson));
  EXPECT_EQ(CountChanges(info.changes, "subafdeling.authorize", {"vipa"}), 1u);
  EXPECT_EQ(CountChanges(info.changes, "subafdeling.add-beheerder", {kUser3}),
            1u);
  EXPECT_EQ(
      CountChanges(info.changes, "subafdeling.add-beheerder", {kNewPerson}),
      1u);
  // A named manager adds users; the application is authorized.
  ExpectAllowed(fed_, M(Action::kAddUser, kNewPerson)
                          .Hco(kHcoSociaalHuis)
                          .Insz(kUser2)
                          .App("vipa"));
  EXPECT_TRUE(Allowed(kUser2, "vipa", kHcoSociaalHuis));
  EXPECT_FALSE(Allowed(kUser2, "ama-wvg"));
}

TEST_F(RulesTest, CreateSubafdelingFacilityRules) {
  BuildChain();
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kEmpOcmw)
                    .Kbo(kOcmw)
                    .Hco(kHcoUnknown)
                    .Email("a@ocmw.gent"),
                Kind::kRefused, code::kFacilityUnknown,
                {"zorgenwerk.zorg@vlaanderen.be", kHcoUnknown});
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kEmpOcmw)
                    .Kbo(kOcmw)
                    .Hco(kHcoWzc)
                    .Email("a@ocmw.gent"),
                Kind::kRefused, code::kFacilityNotOfEnterprise,
                {"0428.759.497"});
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kEmpOcmw)
                    .Kbo(kOcmw)
                    .Hco(kHcoOcmwClosed)
                    .Email("a@ocmw.gent"),
                Kind::kRefused, code::kFacilityClosed, {kHcoOcmwClosed, "1.1"});
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kEmp2Ocmw)
                    .Kbo(kOcmw)
                    .Hco(kHcoOcmw)
                    .Email("a@ocmw.gent"),
                Kind::kRefused, code::kAlreadyExists, {"3.6"});
}

TEST_F(RulesTest, CreateSubafdelingRefusalsAreForDomainManagersToo) {
  BuildChain();
  // Who may not act is told so before the facility is looked at.
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kManager)
                    .Kbo(kOcmw)
                    .Hco(kHcoUnknown)
                    .Email("a@ocmw.gent"),
                Kind::kRefused, code::kNotAuthorized);
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kEmpWzc)
                    .Kbo(kOcmw)
                    .Hco(kHcoSociaalHuis)
                    .Email("a@ocmw.gent"),
                Kind::kRefused, code::kNotAuthorized);
}

TEST_F(RulesTest, OcmwCarriesAmaWvgOnlyOnType009Or010) {
  BuildChain();
  // 45678 is type 089: an OCMW carries ama-wvg only on 009/010; the
  // message names the enterprise's right facility.
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kEmp2Ocmw)
                    .Kbo(kOcmw)
                    .Hco(kHcoSociaalHuis)
                    .Email("a@ocmw.gent")
                    .App("ama-wvg"),
                Kind::kRefused, code::kWrongFacilityType,
                {kHcoOcmw, kHcoSociaalHuis, "009", "010"});
  // With vipa too, nothing is created.
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kEmp2Ocmw)
                    .Kbo(kOcmw)
                    .Hco(kHcoSociaalHuis)
                    .Email("a@ocmw.gent")
                    .App("vipa")
                    .App("ama-wvg"),
                Kind::kRefused, code::kWrongFacilityType, {kHcoOcmw});
  // vipa has no facility rule.
  ExpectAllowed(fed_, M(Action::kCreateSubafdeling, kEmp2Ocmw)
                          .Kbo(kOcmw)
                          .Hco(kHcoSociaalHuis)
                          .Email("a@ocmw.gent")
                          .App("vipa"));
  // Authorizing ama-wvg later meets the same rule.
  ExpectRefused(
      fed_,
      M(Action::kAuthorize, kEmp2Ocmw).Hco(kHcoSociaalHuis).App("ama-wvg"),
      Kind::kRefused, code::kWrongFacilityType, {kHcoOcmw});
  // A non-OCMW carries ama-wvg on a type 034 facility.
  ExpectAllowed(fed_, M(Action::kCreateSubafdeling, kEmpWzc)
                          .Kbo(kWzc)
                          .Hco(kHcoWzcOost)
                          .Email("oost@delinde.be")
                          .App("ama-wvg"));
  ExpectAllowed(fed_, M(Action::kAddUser, kOtherTb)
                          .Hco(kHcoWzcOost)
                          .Insz(kUser3)
                          .App("ama-wvg"));
  EXPECT_TRUE(Allowed(kUser3, "ama-wvg", kHcoWzcOost));
}

TEST_F(RulesTest, CreateSubafdelingInvalidInput) {
  BuildChain();
  auto create = [](const std::string& hco) {
    return M(Action::kCreateSubafdeling, kEmp2Ocmw).Kbo(kOcmw).Hco(hco);
  };
  ExpectRefused(fed_, create("45a78").Email("a@ocmw.gent"), Kind::kInvalidInput,
                code::kInvalidHco);
  ExpectRefused(fed_, create("1234567890123456").Email("a@ocmw.gent"),
                Kind::kInvalidInput, code::kInvalidHco);
  ExpectRefused(fed_, create("").Email("a@ocmw.gent"), Kind::kInvalidInput,
                code::kUsage, {"--hco"});
  ExpectRefused(fed_, create(kHcoSociaalHuis), Kind::kInvalidInput,
                code::kInvalidEmail, {"--email"});
  ExpectRefused(fed_, create(kHcoSociaalHuis).Email("sociaal huis@ocmw"),
                Kind::kInvalidInput, code::kInvalidEmail);
  ExpectRefused(fed_, create(kHcoSociaalHuis).Email("a@ocmw.gent").App("ama"),
                Kind::kInvalidInput, code::kUnknownApplication, {"vipa"});
  ExpectRefused(
      fed_, create(kHcoSociaalHuis).Email("a@ocmw.gent").Manager("47060200096"),
      Kind::kInvalidInput, code::kInvalidInsz, {"--beheerder"});
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kEmp2Ocmw)
                    .Kbo("0403019262")
                    .Hco(kHcoSociaalHuis)
                    .Email("a@ocmw.gent"),
                Kind::kInvalidInput, code::kInvalidKbo);
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kEmp2Ocmw)
                    .Kbo(kUnknownKbo)
                    .Hco(kHcoSociaalHuis)
                    .Email("a@ocmw.gent"),
                Kind::kRefused, code::kEnterpriseUnknown);
  ExpectRefused(fed_,
                M(Action::kCreateSubafdeling, kWvStopped)
                    .Kbo(kStopped)
                    .Hco(kHcoStopped)
                    .Email("a@gestopt.be"),
                Kind::kRefused, code::kEnterpriseInactive, {"1.1"});
}

// --- authorize / deauthorize (3.6) --------------------------------------

TEST_F(RulesTest, AuthorizeRules) {
  BuildChain();
  ExpectRefused(
      fed_, M(Action::kAuthorize, kEmpOcmw).Hco(kHcoSociaalHuis).App("vipa"),
      Kind::kRefused, code::kSubafdelingUnknown, {kHcoSociaalHuis, "3.6"});
  ExpectRefused(fed_,
                M(Action::kAuthorize, kEmpOcmw).Hco(kHcoUnknown).App("vipa"),
                Kind::kRefused, code::kSubafdelingUnknown, {"CoBRHA", "3.6"});
  ExpectRefused(fed_,
                M(Action::kAuthorize, kEmpOcmw).Hco(kHcoOcmw).App("AMA-WVG"),
                Kind::kRefused, code::kAlreadyAuthorized);
  ExpectRefused(fed_,
                M(Action::kDeauthorize, kEmpOcmw).Hco(kHcoOcmw).App("vipa"),
                Kind::kRefused, code::kApplicationNotAuthorized,
                {"3.6", kNameHtb, kNameTb});
  ExpectRefused(fed_, M(Action::kAuthorize, kEmpOcmw).Hco(kHcoOcmw),
                Kind::kInvalidInput, code::kUsage);
  ExpectRefused(
      fed_,
      M(Action::kAuthorize, kEmpOcmw).Hco(kHcoOcmw).App("vipa").App("ama-wvg"),
      Kind::kInvalidInput, code::kUsage);
  ExpectRefused(fed_,
                M(Action::kAuthorize, kEmpOcmw).Hco(kHcoOcmw).App("e-loket"),
                Kind::kInvalidInput, code::kUnknownApplication);
  ExpectRefused(fed_, M(Action::kAuthorize, kEmpOcmw).Hco("x12345").App("vipa"),
                Kind::kInvalidInput, code::kInvalidHco);
  ExpectRefused(fed_, M(Action::kAuthorize, kEmpOcmw).App("vipa"),
                Kind::kInvalidInput, code::kUsage, {"--hco"});
  // With --kbo naming another enterprise, there is no such subafdeling.
  ExpectRefused(
      fed_, M(Action::kAuthorize, kEmpOcmw).Kbo(kWzc).Hco(kHcoOcmw).App("vipa"),
      Kind::kRefused, code::kSubafdelingUnknown);
  ExpectAllowed(
      fed_,
      M(Action::kAuthorize, kEmpOcmw).Kbo(kOcmw).Hco(kHcoOcmw).App("vipa"));
}

TEST_F(RulesTest, DeauthorizeRevokesTheRightFromEveryUser) {
  BuildChain();
  ExpectAllowed(fed_,
                M(Action::kAuthorize, kEmpOcmw).Hco(kHcoOcmw).App("vipa"));
  ExpectAllowed(fed_, M(Action::kAddUser, kManager)
                          .Hco(kHcoOcmw)
                          .Insz(kNewPerson)
                          .App("ama-wvg")
                          .App("vipa"));
  ExpectAllowed(
      fed_,
      M(Action::kGrantRight, kManager).Hco(kHcoOcmw).Insz(kUser1).App("vipa"));
  ASSERT_TRUE(Allowed(kUser1) && Allowed(kNewPerson));

  CommitInfo info = ExpectAllowed(
      fed_, M(Action::kDeauthorize, kCoTb).Hco(kHcoOcmw).App("ama-wvg"));
  // One revocation for each holder of ama-wvg, none for the others.
  EXPECT_EQ(CountChanges(info.changes, "user.revoke", {kUser1, "ama-wvg"}), 1u);
  EXPECT_EQ(CountChanges(info.changes, "user.revoke", {kNewPerson, "ama-wvg"}),
            1u);
  EXPECT_EQ(CountChanges(info.changes, "user.revoke", {}), 2u);
  EXPECT_EQ(CountChanges(info.changes, "subafdeling.deauthorize",
                         {kHcoOcmw, "ama-wvg"}),
            1u);
  EXPECT_EQ(info.changes.size(), 3u);
  // Each revocation is audited.
  for (const char* who : {kUser1, kNewPerson}) {
    EXPECT_EQ(CountAudit(engine(), info.revision, "user.revoke",
                         {std::string("\"insz\":\"") + who + "\"",
                          "\"app\":\"ama-wvg\""}),
              1u)
        << who;
  }
  EXPECT_EQ(CountAudit(engine(), info.revision, "user.revoke", {}), 2u);

  EXPECT_FALSE(Allowed(kUser1));
  EXPECT_FALSE(Allowed(kNewPerson));
  EXPECT_TRUE(Allowed(kUser1, "vipa"));
  EXPECT_TRUE(Allowed(kNewPerson, "vipa"));
  // The users stay users; a new grant needs the authorization first, and
  // authorizing again restores no right.
  ExpectRefused(fed_, M(Action::kAddUser, kEmpOcmw).Hco(kHcoOcmw).Insz(kUser1),
                Kind::kRefused, code::kAlreadyUser);
  ExpectRefused(fed_,
                M(Action::kGrantRight, kEmpOcmw)
                    .Hco(kHcoOcmw)
                    .Insz(kUser1)
                    .App("ama-wvg"),
                Kind::kRefused, code::kApplicationNotAuthorized);
  ExpectAllowed(fed_,
                M(Action::kAuthorize, kEmpOcmw).Hco(kHcoOcmw).App("ama-wvg"));
  EXPECT_FALSE(Allowed(kUser1));
  fed_.Reopen();
  EXPECT_FALSE(Allowed(kUser1));
  EXPECT_TRUE(Allowed(kUser1, "vipa"));
  Result<std::vector<std::string>> problems = engine().Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty()) << problems->front();
}

// --- remove subafdeling -------------------------------------------------

// Where the first change line of this action that mentions word sits, or
// changes.size().
size_t PositionOf(const std::vector<std::string>& changes,
                  std::string_view action, const std::string& word) {
  for (size_t i = 0; i < changes.size(); ++i) {
    if (changes[i].substr(0, changes[i].find(' ')) == action &&
        Contains(changes[i], word)) {
      return i;
    }
  }
  return changes.size();
}

TEST_F(RulesTest, WhatAChangeCausesIsPlannedInInszOrderNotInTheGraphsOrder) {
  // The ops become audit rows, which must read the same on an engine that
  // made the edges one by one and on one that loaded them at once (a
  // reopened engine lists a subafdeling's edges in another order). kUser1
  // (81...) got the right and became a user before kPlainUser (80...).
  BuildChain();
  fed_.MustApply(M(Action::kGrantRight, kManager)
                     .Hco(kHcoOcmw)
                     .Insz(kPlainUser)
                     .App("ama-wvg"));
  ASSERT_LT(std::string(kPlainUser), std::string(kUser1));
  CommitInfo info = ExpectAllowed(
      fed_, M(Action::kRemoveSubafdeling, kEmp2Ocmw).Hco(kHcoOcmw));
  const size_t n = info.changes.size();
  for (const char* action : {"user.revoke", "user.remove"}) {
    SCOPED_TRACE(action);
    const size_t plain = PositionOf(info.changes, action, kPlainUser);
    const size_t user1 = PositionOf(info.changes, action, kUser1);
    ASSERT_LT(plain, n);
    ASSERT_LT(user1, n);
    EXPECT_LT(plain, user1);
  }
}

TEST_F(RulesTest, ARefusalListsThePersonsWhoCanHelpInInszOrder) {
  BuildChain();
  const Result<CommitInfo> r =
      engine().Apply(M(Action::kCreateSubafdeling, kOutsider)
                         .Kbo(kOcmw)
                         .Hco(kHcoSociaalHuis)
                         .Email("a@ocmw.gent")
                         .App("ama-wvg"));
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.status().code(), code::kNotAuthorized);
  // The HTB, the TB and the co-TB, as "YY.MM.DD-SSS.CC".
  static const std::regex kShown(R"(\d\d\.\d\d\.\d\d-\d\d\d\.\d\d)");
  const std::string& m = r.status().message();
  std::vector<std::string> shown;
  for (auto it = std::sregex_iterator(m.begin(), m.end(), kShown);
       it != std::sregex_iterator(); ++it) {
    shown.push_back(it->str());
  }
  ASSERT_GE(shown.size(), 3u) << m;
  auto digits = [](std::string s) {
    s.erase(std::remove_if(s.begin(), s.end(),
                           [](char c) { return c == '.' || c == '-'; }),
            s.end());
    return s;
  };
  for (size_t i = 1; i < shown.size(); ++i) {
    EXPECT_LT(digits(shown[i - 1]), digits(shown[i])) << m;
  }
}

TEST_F(RulesTest, RemoveSubafdelingRemovesItsUsersAndRights) {
  BuildChain();
  CommitInfo info = ExpectAllowed(
      fed_, M(Action::kRemoveSubafdeling, kEmp2Ocmw).Hco(kHcoOcmw));
  EXPECT_EQ(CountChanges(info.changes, "user.revoke", {kUser1, "ama-wvg"}), 1u);
  EXPECT_EQ(CountChanges(info.changes, "user.remove", {kUser1}), 1u);
  EXPECT_EQ(CountChanges(info.changes, "user.remove", {kPlainUser}), 1u);
  EXPECT_EQ(
      CountChanges(info.changes, "subafdeling.remove-beheerder", {kManager}),
      1u);
  EXPECT_EQ(CountChanges(info.changes, "subafdeling.deauthorize", {"ama-wvg"}),
            1u);
  EXPECT_EQ(CountChanges(info.changes, "subafdeling.remove", {kHcoOcmw}), 1u);
  EXPECT_EQ(CountAudit(engine(), info.revision, "user.revoke",
                       {std::string("\"insz\":\"") + kUser1 + "\""}),
            1u);
  EXPECT_EQ(CountAudit(engine(), info.revision, "user.remove", {}), 2u);
  EXPECT_EQ(CountAudit(engine(), info.revision, "subafdeling.remove", {}), 1u);

  EXPECT_FALSE(Allowed(kUser1));
  Result<Stats> stats = engine().GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->subafdelingen, 1u);  // 0012345 of kWzc remains
  EXPECT_EQ(stats->users, 0u);
  EXPECT_EQ(stats->rights, 0u);
  ExpectRefused(fed_, M(Action::kAddUser, kEmpOcmw).Hco(kHcoOcmw).Insz(kUser1),
                Kind::kRefused, code::kSubafdelingUnknown);

  // Created again, it starts empty: no users, no managers.
  ExpectAllowed(fed_, M(Action::kCreateSubafdeling, kEmpOcmw)
                          .Kbo(kOcmw)
                          .Hco(kHcoOcmw)
                          .Email("b@ocmw.gent")
                          .App("ama-wvg"));
  EXPECT_FALSE(Allowed(kUser1));
  ExpectRefused(fed_, M(Action::kAddUser, kManager).Hco(kHcoOcmw).Insz(kUser1),
                Kind::kRefused, code::kNotAuthorized);
  ExpectRefused(fed_,
                M(Action::kGrantRight, kEmpOcmw)
                    .Hco(kHcoOcmw)
                    .Insz(kUser1)
                    .App("ama-wvg"),
                Kind::kRefused, code::kNotAUser);
  ExpectAllowed(
      fed_,
      M(Action::kAddUser, kEmpOcmw).Hco(kHcoOcmw).Insz(kUser1).App("ama-wvg"));
  EXPECT_TRUE(Allowed(kUser1));
  fed_.Reopen();
  EXPECT_TRUE(Allowed(kUser1));
  Result<std::vector<std::string>> problems = engine().Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty()) << problems->front();
}

// --- subafdeling managers -----------------------------------------------

TEST_F(RulesTest, SubafdelingManagers) {
  BuildChain();
  ExpectRefused(fed_,
                M(Action::kAddManager, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kManager),
                Kind::kRefused, code::kAlreadyManager, {kNameManager});
  ExpectRefused(
      fed_, M(Action::kRemoveManager, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kOutsider),
      Kind::kRefused, code::kNotAManager, {kHcoOcmw});
  ExpectRefused(
      fed_, M(Action::kAddManager, kEmp2Ocmw).Hco(kHcoOcmw).Insz("99020299964"),
      Kind::kInvalidInput, code::kInvalidInsz);
  ExpectRefused(
      fed_,
      M(Action::kAddManager, kEmp2Ocmw).Hco(kHcoSociaalHuis).Insz(kNewPerson),
      Kind::kRefused, code::kSubafdelingUnknown);
  ExpectAllowed(
      fed_, M(Action::kRemoveManager, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kManager));
  ExpectRefused(fed_,
                M(Action::kAddUser, kManager).Hco(kHcoOcmw).Insz(kNewPerson),
                Kind::kRefused, code::kNotAuthorized, {kNameHtb, kNameTb},
                {kNameManager});
  // The users the manager added stay.
  ExpectRefused(fed_,
                M(Action::kAddUser, kEmpOcmw).Hco(kHcoOcmw).Insz(kPlainUser),
                Kind::kRefused, code::kAlreadyUser);
}

// --- users and rights (3.7) ---------------------------------------------

TEST_F(RulesTest, UserRules) {
  BuildChain();
  ExpectRefused(fed_, M(Action::kAddUser, kManager).Hco(kHcoOcmw).Insz(kUser1),
                Kind::kRefused, code::kAlreadyUser, {"user grant"});
  for (Action a : {Action::kGrantRight, Action::kRevokeRight}) {
    ExpectRefused(fed_,
                  M(a, kManager).Hco(kHcoOcmw).Insz(kOutsider).App("ama-wvg"),
                  Kind::kRefused, code::kNotAUser, {"3.7"});
  }
  ExpectRefused(fed_,
                M(Action::kRemoveUser, kManager).Hco(kHcoOcmw).Insz(kStranger),
                Kind::kRefused, code::kNotAUser, {"3.7"});
  ExpectRefused(fed_,
                M(Action::kGrantRight, kManager)
                    .Hco(kHcoOcmw)
                    .Insz(kUser1)
                    .App("ama-wvg"),
                Kind::kRefused, code::kAlreadyGranted);
  ExpectRefused(
      fed_,
      M(Action::kGrantRight, kManager).Hco(kHcoOcmw).Insz(kUser1).App("vipa"),
      Kind::kRefused, code::kApplicationNotAuthorized, {"3.6", kNameHtb});
  ExpectRefused(fed_,
                M(Action::kAddUser, kManager)
                    .Hco(kHcoOcmw)
                    .Insz(kNewPerson)
                    .App("ama-wvg")
                    .App("vipa"),
                Kind::kRefused, code::kApplicationNotAuthorized);
  ExpectRefused(fed_,
                M(Action::kRevokeRight, kManager)
                    .Hco(kHcoOcmw)
                    .Insz(kPlainUser)
                    .App("ama-wvg"),
                Kind::kRefused, code::kRightMissing);
  ExpectAllowed(fed_,
                M(Action::kAuthorize, kEmpOcmw).Hco(kHcoOcmw).App("vipa"));
  ExpectRefused(
      fed_,
      M(Action::kRevokeRight, kManager).Hco(kHcoOcmw).Insz(kUser1).App("vipa"),
      Kind::kRefused, code::kRightMissing);
  ExpectRefused(
      fed_, M(Action::kAddUser, kManager).Hco(kHcoSociaalHuis).Insz(kNewPerson),
      Kind::kRefused, code::kSubafdelingUnknown, {"3.6"});
  // A user need not be in the persons registry; rights are independent.
  ExpectAllowed(
      fed_,
      M(Action::kAddUser, kManager).Hco(kHcoOcmw).Insz(kStranger).App("vipa"));
  EXPECT_TRUE(Allowed(kStranger, "vipa"));
  EXPECT_FALSE(Allowed(kStranger, "ama-wvg"));
}

TEST_F(RulesTest, UserInvalidInput) {
  BuildChain();
  ExpectRefused(fed_,
                M(Action::kAddUser, kManager).Hco(kHcoOcmw).Insz("12345678901"),
                Kind::kInvalidInput, code::kInvalidInsz, {"--insz"});
  ExpectRefused(fed_, M(Action::kAddUser, kManager).Hco(kHcoOcmw),
                Kind::kInvalidInput, code::kUsage, {"--insz"});
  ExpectRefused(fed_,
                M(Action::kAddUser, kManager).Hco("12 345").Insz(kNewPerson),
                Kind::kInvalidInput, code::kInvalidHco);
  ExpectRefused(fed_, M(Action::kAddUser, kManager).Insz(kNewPerson),
                Kind::kInvalidInput, code::kUsage, {"--hco"});
  ExpectRefused(fed_,
                M(Action::kAddUser, kManager)
                    .Hco(kHcoOcmw)
                    .Insz(kNewPerson)
                    .App("ama_wvg"),
                Kind::kInvalidInput, code::kUnknownApplication);
  ExpectRefused(fed_,
                M(Action::kGrantRight, kManager).Hco(kHcoOcmw).Insz(kPlainUser),
                Kind::kInvalidInput, code::kUsage);
  ExpectRefused(
      fed_,
      M(Action::kRevokeRight, kManager).Hco(kHcoOcmw).Insz(kUser1).App("nope"),
      Kind::kInvalidInput, code::kUnknownApplication);
  ExpectRefused(
      fed_, M(Action::kRemoveUser, kManager).Hco(kHcoOcmw).Insz("81022903534"),
      Kind::kInvalidInput, code::kInvalidInsz);
}

TEST_F(RulesTest, RemoveUserRemovesItsRights) {
  BuildChain();
  ExpectAllowed(fed_,
                M(Action::kAuthorize, kEmpOcmw).Hco(kHcoOcmw).App("vipa"));
  ExpectAllowed(
      fed_,
      M(Action::kGrantRight, kManager).Hco(kHcoOcmw).Insz(kUser1).App("vipa"));
  ASSERT_TRUE(Allowed(kUser1, "vipa"));
  CommitInfo info = ExpectAllowed(
      fed_, M(Action::kRemoveUser, kManager).Hco(kHcoOcmw).Insz(kUser1));
  EXPECT_EQ(CountChanges(info.changes, "user.remove", {kUser1}), 1u);
  EXPECT_EQ(CountChanges(info.changes, "user.revoke", {kUser1, "ama-wvg"}), 1u);
  EXPECT_EQ(CountChanges(info.changes, "user.revoke", {kUser1, "vipa"}), 1u);
  EXPECT_EQ(info.changes.size(), 3u);
  EXPECT_EQ(CountAudit(engine(), info.revision, "user.revoke",
                       {std::string("\"insz\":\"") + kUser1 + "\""}),
            2u);
  EXPECT_FALSE(Allowed(kUser1));
  EXPECT_FALSE(Allowed(kUser1, "vipa"));
  // Added again, the person has no rights until granted.
  ExpectAllowed(fed_, M(Action::kAddUser, kManager).Hco(kHcoOcmw).Insz(kUser1));
  EXPECT_FALSE(Allowed(kUser1));
  EXPECT_FALSE(Allowed(kUser1, "vipa"));
  ExpectAllowed(
      fed_,
      M(Action::kGrantRight, kManager).Hco(kHcoOcmw).Insz(kUser1).App("vipa"));
  EXPECT_FALSE(Allowed(kUser1));
  EXPECT_TRUE(Allowed(kUser1, "vipa"));
}

TEST_F(RulesTest, SubafdelingManagerCannotActOnAnotherSubafdeling) {
  BuildChain();
  ExpectAllowed(fed_, M(Action::kCreateSubafdeling, kEmpOcmw)
                          .Kbo(kOcmw)
                          .Hco(kHcoSociaalHuis)
                          .Email("a@ocmw.gent")
                          .App("vipa"));
  ExpectRefused(
      fed_, M(Action::kAddUser, kManager).Hco(kHcoSociaalHuis).Insz(kNewPerson),
      Kind::kRefused, code::kNotAuthorized, {kNameHtb, kNameTb, kNameCoTb},
      {kNameManager});
  // Nor can the TB of another enterprise.
  ExpectRefused(
      fed_, M(Action::kAddUser, kOtherTb).Hco(kHcoSociaalHuis).Insz(kNewPerson),
      Kind::kRefused, code::kNotAuthorized);
}

}  // namespace
}  // namespace toegang::testing
