// The registries as they are really published (issue 23), through the
// engine: whole-registry functions and facilities imports (--full), what an
// ended function means for the powers of a WV and an HTB, and the audit
// rows of every registry change.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/pg_cluster.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"

namespace toegang::testing {
namespace {

using Kind = Status::Kind;

// The fixture's functions file without the lines that contain any of drop.
std::string FunctionsWithout(const std::vector<std::string>& drop) {
  std::string out;
  std::string all = FunctionsCsv();
  size_t start = 0;
  while (start < all.size()) {
    size_t end = all.find('\n', start);
    std::string line = all.substr(start, end - start);
    start = end + 1;
    bool keep = std::none_of(drop.begin(), drop.end(), [&](const auto& d) {
      return line.find(d) != std::string::npos;
    });
    if (keep) out += line + "\n";
  }
  return out;
}

std::string FacilitiesWithout(const std::string& hco_line_start) {
  std::string out;
  std::string all = FacilitiesCsv();
  size_t start = 0;
  while (start < all.size()) {
    size_t end = all.find('\n', start);
    std::string line = all.substr(start, end - start);
    start = end + 1;
    if (line.rfind(hco_line_start + ",", 0) != 0) out += line + "\n";
  }
  return out;
}

class RegistryTest : public ::testing::Test {
 protected:
  // On a database file, or on `db` (support/pg_cluster.h).
  explicit RegistryTest(const std::string& db = "") : fed_(db) {}
  Engine& engine() { return fed_.engine(); }

  ImportReport Functions(const std::string& name, const std::string& csv,
                         bool full, Status* status = nullptr) {
    ImportOptions o;
    o.full = full;
    ImportReport r;
    Status s = engine().ImportFunctions(fed_.dir().Write(name, csv), o, &r);
    if (status != nullptr) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    return r;
  }
  ImportReport Facilities(const std::string& name, const std::string& csv,
                          bool full) {
    ImportOptions o;
    o.full = full;
    ImportReport r;
    Status s = engine().ImportFacilities(fed_.dir().Write(name, csv), o, &r);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return r;
  }

  std::vector<AuditRecord> AuditOf(const std::string& kbo,
                                   const std::string& action) {
    AuditQuery q;
    q.kbo = kbo;
    q.limit = 10000;
    Result<std::vector<AuditRecord>> rows = engine().Audit(q);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<AuditRecord> out;
    if (!rows.ok()) return out;
    for (const AuditRecord& r : *rows) {
      if (r.action == action) out.push_back(r);
    }
    return out;
  }

  Status May(const Mutation& m) { return engine().May(m); }

  TestFederation fed_;
};

TEST_F(RegistryTest, FullFunctionsImportEndsAWvWhoLosesEveryPowerAtOnce) {
  fed_.BuildOcmwChain();  // the WV kWvOcmw appointed kEmpOcmw as HTB
  const Mutation appoint =
      M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw);
  ASSERT_TRUE(May(appoint).ok());
  const uint64_t before = engine().revision();

  ImportReport r = Functions("functions-2026-12.csv",
                             FunctionsWithout({kWvOcmw}), /*full=*/true);
  EXPECT_EQ(r.changes.functions_ended, 1u);
  EXPECT_EQ(r.changes.functions_added, 0u);
  EXPECT_EQ(r.revision, before + 1);

  // may and apply refuse with the code that names the ended function.
  Status may = May(appoint);
  EXPECT_EQ(may.kind(), Kind::kRefused);
  EXPECT_EQ(may.code(), code::kFunctionEnded) << may.ToString();
  EXPECT_NE(may.message().find("ended"), std::string::npos);
  Result<CommitInfo> applied = engine().Apply(appoint);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.status().code(), code::kFunctionEnded);

  // The HTB they appointed stays, and so does the access under it; who
  // marks the appointment as made by a former WV.
  Result<WhoReport> who = engine().Who(kOcmw);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  ASSERT_TRUE(who->htb.has_value());
  EXPECT_EQ(who->htb->person.insz, kEmpOcmw);
  EXPECT_TRUE(who->htb->appointed_by_former_wv);
  EXPECT_TRUE(who->htb->still_listed);
  EXPECT_TRUE(who->legal_representatives.empty());
  EXPECT_TRUE(fed_.Allowed(kUser1));

  // Its own audit row, found under the enterprise, naming the person, the
  // old and new value and the file.
  std::vector<AuditRecord> rows = AuditOf(kOcmw, "import.function");
  ASSERT_FALSE(rows.empty());
  const nlohmann::json d = nlohmann::json::parse(rows.back().detail);
  EXPECT_EQ(d["insz"], kWvOcmw);
  EXPECT_EQ(d["kbo"], kOcmw);
  EXPECT_EQ(d["change"], "ended");
  EXPECT_EQ(d["old"], "legal_representative");
  EXPECT_EQ(d["new"], "none");
  EXPECT_EQ(d["source"], "functions-2026-12.csv");
  EXPECT_EQ(rows.back().revision, r.revision);

  // Survives a restart (the ended function is in the database).
  fed_.Reopen();
  EXPECT_EQ(May(appoint).code(), code::kFunctionEnded);

  // Listed again: a WV again, with their power back.
  ImportReport back = Functions("functions-2027-01.csv", FunctionsCsv(), true);
  EXPECT_EQ(back.changes.functions_added, 1u);
  EXPECT_EQ(back.changes.functions_ended, 0u);
  EXPECT_TRUE(May(appoint).ok()) << May(appoint).ToString();
  who = engine().Who(kOcmw);
  ASSERT_TRUE(who.ok());
  EXPECT_FALSE(who->htb->appointed_by_former_wv);
}

TEST_F(RegistryTest, WithoutFullNothingEnds) {
  fed_.BuildOcmwChain();
  ImportReport r =
      Functions("partial.csv", FunctionsWithout({kWvOcmw}), /*full=*/false);
  EXPECT_EQ(r.changes.functions_ended, 0u);
  EXPECT_EQ(r.revision, 0u);  // nothing changed
  EXPECT_TRUE(
      May(M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw)).ok());
  ImportReport f =
      Facilities("partial-facilities.csv", FacilitiesWithout(kHcoOcmw), false);
  EXPECT_EQ(f.changes.facilities_closed, 0u);
  EXPECT_TRUE(fed_.Allowed(kUser1));
}

TEST_F(RegistryTest, FullRefusesSkipInvalidAndEndsNothingOnABadFile) {
  fed_.BuildOcmwChain();
  const uint64_t before = engine().revision();
  ImportOptions o;
  o.full = true;
  o.skip_invalid = true;
  ImportReport r;
  Status s = engine().ImportFunctions(
      fed_.dir().Write("f.csv", FunctionsWithout({kWvOcmw})), o, &r);
  EXPECT_EQ(s.kind(), Kind::kInvalidInput);
  EXPECT_EQ(s.code(), code::kUsage);
  // A bad row in a --full file: rejected, nothing ended.
  Status bad;
  Functions("bad.csv",
            FunctionsWithout({kWvOcmw}) + "0403019261,12345678901,employee\n",
            true, &bad);
  EXPECT_EQ(bad.code(), code::kImportRejected);
  EXPECT_EQ(engine().revision(), before);
  EXPECT_TRUE(
      May(M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw)).ok());
}

// docs/model.md, "Registry changes": an HTB whom the KBO no longer lists
// as WV or employee stays HTB (their users keep access) but administers
// nothing; a WV appoints a new HTB. A TB need not be an employee: keeps.
TEST_F(RegistryTest, HtbNoLongerListedKeepsTheRoleButAdministersNothing) {
  fed_.BuildOcmwChain();  // HTB kEmpOcmw (employee), TB kEmp2Ocmw
  const Mutation htb_adds =
      M(Action::kAddUser, kEmpOcmw).Hco(kHcoOcmw).Insz(kUser2);
  const Mutation tb_adds =
      M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2);
  ASSERT_TRUE(May(htb_adds).ok());
  ImportReport r = Functions("f.csv", FunctionsWithout({kEmpOcmw, kEmp2Ocmw}),
                             /*full=*/true);
  EXPECT_EQ(r.changes.functions_ended, 2u);

  EXPECT_TRUE(fed_.Allowed(kUser1));  // the chain stays rooted
  Status may = May(htb_adds);
  EXPECT_EQ(may.code(), code::kFunctionEnded) << may.ToString();
  EXPECT_EQ(May(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2)).code(),
            code::kFunctionEnded);
  EXPECT_TRUE(May(tb_adds).ok()) << May(tb_adds).ToString();
  Result<WhoReport> who = engine().Who(kOcmw);
  ASSERT_TRUE(who.ok());
  ASSERT_TRUE(who->htb.has_value());
  EXPECT_FALSE(who->htb->still_listed);

  // The WV appoints a new HTB from the people still listed.
  ASSERT_TRUE(engine()
                  .ImportFunctions(
                      fed_.dir().Write("new.csv", "kbo,insz,role\n0403019261," +
                                                      std::string(kUser3) +
                                                      ",employee\n"),
                      ImportOptions{}, &r)
                  .ok());
  fed_.MustApply(M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kUser3));
  EXPECT_TRUE(May(M(Action::kAddUser, kUser3).Hco(kHcoOcmw).Insz(kUser2)).ok());
  EXPECT_TRUE(fed_.Allowed(kUser1));
}

TEST_F(RegistryTest, FullFacilitiesImportClosesTheUnlistedAndAuditsEach) {
  fed_.BuildOcmwChain();
  ASSERT_TRUE(fed_.Allowed(kUser1, "ama-wvg", kHcoOcmw));
  ImportReport r =
      Facilities("cobrha-2026-12.csv", FacilitiesWithout(kHcoOcmw), true);
  EXPECT_EQ(r.changes.facilities_closed, 1u);
  EXPECT_GT(r.revision, 0u);
  EXPECT_FALSE(fed_.Allowed(kUser1));
  // A closed facility (10001) absent from the file stays closed: no row.
  std::vector<AuditRecord> rows = AuditOf(kOcmw, "import.facility");
  ASSERT_EQ(rows.size(), 1u);
  nlohmann::json d = nlohmann::json::parse(rows[0].detail);
  EXPECT_EQ(d["hco"], kHcoOcmw);
  EXPECT_EQ(d["change"], "closed");
  EXPECT_EQ(d["old"], "active");
  EXPECT_EQ(d["new"], "closed");
  EXPECT_EQ(d["source"], "cobrha-2026-12.csv");
  // Grants on it are refused (facility_closed), and listing it again
  // reopens it.
  EXPECT_EQ(
      May(M(Action::kAddUser, kEmpOcmw).Hco(kHcoOcmw).Insz(kUser2)).code(),
      code::kFacilityClosed);
  ImportReport back = Facilities("cobrha-2027-01.csv", FacilitiesCsv(), true);
  EXPECT_EQ(back.changes.facilities_reopened, 1u);
  EXPECT_TRUE(fed_.Allowed(kUser1));
  rows = AuditOf(kOcmw, "import.facility");
  ASSERT_EQ(rows.size(), 2u);
  d = nlohmann::json::parse(rows[1].detail);
  EXPECT_EQ(d["change"], "reopened");
  EXPECT_EQ(d["source"], "cobrha-2027-01.csv");
}

TEST_F(RegistryTest, EveryFunctionAddedAndEnterpriseStoppedHasItsOwnAuditRow) {
  // The fixture imported 7 functions: one row each, under their enterprise.
  std::vector<AuditRecord> rows = AuditOf(kOcmw, "import.function");
  ASSERT_EQ(rows.size(), 3u);
  for (const AuditRecord& r : rows) {
    nlohmann::json d = nlohmann::json::parse(r.detail);
    EXPECT_EQ(d["change"], "added");
    EXPECT_EQ(d["old"], "none");
    EXPECT_EQ(d["source"], "functions.csv");
    EXPECT_TRUE(r.actor.empty());
    EXPECT_NE(r.message.find("0403.019.261"), std::string::npos) << r.message;
  }
  // A stopped enterprise: its own row with old and new value and the file.
  ImportReport r;
  ASSERT_TRUE(engine()
                  .ImportKbo(fed_.dir().Write(
                                 "enterprise-stop.csv",
                                 "\"EnterpriseNumber\",\"Status\","
                                 "\"JuridicalSituation\",\"TypeOfEnterprise\","
                                 "\"JuridicalForm\",\"JuridicalFormCAC\","
                                 "\"StartDate\"\n\"0403.019.261\",\"ST\","
                                 "\"000\",\"2\",\"416\",\"\",\"01-01-1977\"\n"),
                             "", ImportOptions{}, &r)
                  .ok());
  EXPECT_EQ(r.changes.enterprises_stopped, 1u);
  rows = AuditOf(kOcmw, "import.enterprise");
  ASSERT_EQ(rows.size(), 1u);
  nlohmann::json d = nlohmann::json::parse(rows[0].detail);
  EXPECT_EQ(d["old"], "active");
  EXPECT_EQ(d["new"], "stopped");
  EXPECT_EQ(d["source"], "enterprise-stop.csv");
}

// --- dry run and impact ----------------------------------------------------

std::string EnterpriseCsvWith(const std::string& kbo_display,
                              const std::string& status) {
  return "\"EnterpriseNumber\",\"Status\",\"JuridicalSituation\","
         "\"TypeOfEnterprise\",\"JuridicalForm\",\"JuridicalFormCAC\","
         "\"StartDate\"\n\"" +
         kbo_display + "\",\"" + status +
         "\",\"000\",\"2\",\"017\",\"\",\"28-02-1986\"\n";
}

const AccessImpact& ImpactOn(const ImportReport& r, const std::string& app) {
  static const AccessImpact kNone;
  for (const AccessImpact& i : r.impact) {
    if (i.application == app) return i;
  }
  ADD_FAILURE() << "no impact entry for " << app;
  return kNone;
}

size_t AuditRows(const Engine& e) {
  AuditQuery q;
  q.limit = 100000;
  Result<std::vector<AuditRecord>> rows = e.Audit(q);
  EXPECT_TRUE(rows.ok());
  return rows.ok() ? rows->size() : 0;
}

class ImpactTest : public RegistryTest {
 protected:
  explicit ImpactTest(const std::string& db = "") : RegistryTest(db) {
    fed_.BuildOcmwChain();  // kUser1: ama-wvg at 12345 (kOcmw)
    fed_.BuildWzcChain();   // kUser2: ama-wvg at 0012345 and 0012346,
                            // vipa at 0012346 (kWzc)
  }

  ImportReport Kbo(const std::string& csv, bool dry_run) {
    ImportOptions o;
    o.dry_run = dry_run;
    ImportReport r;
    Status s = engine().ImportKbo(fed_.dir().Write("enterprise-upd.csv", csv),
                                  "", o, &r);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return r;
  }
};

TEST_F(ImpactTest, DryRunWritesNothingAndReportsWhatTheImportThenDoes) {
  const uint64_t revision = engine().revision();
  const size_t audit_rows = AuditRows(engine());
  const std::string stop = EnterpriseCsvWith("0428.759.497", "ST");

  ImportReport dry = Kbo(stop, /*dry_run=*/true);
  EXPECT_TRUE(dry.dry_run);
  EXPECT_EQ(dry.revision, 0u);
  EXPECT_EQ(dry.updated, 1u);
  EXPECT_EQ(dry.changes.enterprises_stopped, 1u);
  EXPECT_EQ(ImpactOn(dry, "ama-wvg").lose, 1u);
  EXPECT_EQ(ImpactOn(dry, "ama-wvg").losing, std::vector<std::string>{kUser2});
  EXPECT_EQ(ImpactOn(dry, "vipa").lose, 1u);
  EXPECT_EQ(ImpactOn(dry, "ama-wvg").gain, 0u);
  // Nothing written: revision, audit log and access as before, also for a
  // fresh engine on the file.
  EXPECT_EQ(engine().revision(), revision);
  EXPECT_EQ(AuditRows(engine()), audit_rows);
  EXPECT_TRUE(fed_.Allowed(kUser2));
  fed_.Reopen();
  EXPECT_EQ(engine().revision(), revision);
  EXPECT_TRUE(fed_.Allowed(kUser2, "vipa"));

  // The real import reports the same impact, and does it.
  ImportReport real = Kbo(stop, /*dry_run=*/false);
  EXPECT_FALSE(real.dry_run);
  EXPECT_EQ(real.revision, revision + 1);
  ASSERT_EQ(real.impact.size(), dry.impact.size());
  for (size_t i = 0; i < real.impact.size(); ++i) {
    EXPECT_EQ(real.impact[i].application, dry.impact[i].application);
    EXPECT_EQ(real.impact[i].lose, dry.impact[i].lose);
    EXPECT_EQ(real.impact[i].gain, dry.impact[i].gain);
    EXPECT_EQ(real.impact[i].losing, dry.impact[i].losing);
  }
  EXPECT_FALSE(fed_.Allowed(kUser2));
  EXPECT_FALSE(fed_.Allowed(kUser2, "vipa"));
  EXPECT_TRUE(fed_.Allowed(kUser1));

  // Active again: the same person gains both back.
  ImportReport back = Kbo(EnterpriseCsvWith("0428.759.497", "AC"), false);
  EXPECT_EQ(back.changes.enterprises_reactivated, 1u);
  EXPECT_EQ(ImpactOn(back, "ama-wvg").gain, 1u);
  EXPECT_EQ(ImpactOn(back, "ama-wvg").gaining,
            std::vector<std::string>{kUser2});
  EXPECT_EQ(ImpactOn(back, "vipa").gain, 1u);
  EXPECT_TRUE(fed_.Allowed(kUser2, "vipa"));
}

// Someone who keeps the application through another facility loses
// nothing; the impact is per person and application, not per facility.
TEST_F(ImpactTest, ClosingOneOfTwoFacilitiesLosesOnlyWhatHasNoOtherWay) {
  ImportOptions o;
  o.full = true;
  o.dry_run = true;
  ImportReport r;
  Status s = engine().ImportFacilities(
      fed_.dir().Write("c.csv", FacilitiesWithout(kHcoWzc)), o, &r);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(r.changes.facilities_closed, 1u);
  EXPECT_EQ(ImpactOn(r, "ama-wvg").lose, 0u);  // kUser2 still via 0012346
  EXPECT_EQ(ImpactOn(r, "vipa").lose, 0u);
  r = ImportReport();
  ASSERT_TRUE(
      engine()
          .ImportFacilities(
              fed_.dir().Write("c2.csv", FacilitiesWithout(kHcoWzcOost)), o, &r)
          .ok());
  EXPECT_EQ(ImpactOn(r, "ama-wvg").lose, 0u);  // still via 0012345
  EXPECT_EQ(ImpactOn(r, "vipa").lose, 1u);     // vipa only at 0012346
  EXPECT_TRUE(fed_.Allowed(kUser2, "vipa"));   // a dry run
}

class ImpactOnEachStoreTest : private StoreOfTheParam,
                              public ImpactTest,
                              public ::testing::WithParamInterface<StoreKind> {
 protected:
  ImpactOnEachStoreTest()
      : ImpactTest(GetParam() == StoreKind::kSqlite ? "" : db) {}
  void SetUp() override { TOEGANG_SKIP_WITHOUT_STORE(db, why); }
};

INSTANTIATE_TEST_SUITE_P(Stores, ImpactOnEachStoreTest, kBothStores,
                         StoreKindName);

// A one-shot engine (the CLI) loads no model for an import: it reads the
// part of the federation the import changed, inside the import's
// transaction, after the rows are written (import_impact.h). Its report
// must be the service engine's, also for a person whose other rights are
// at an enterprise the import does not touch: kUser2 keeps ama-wvg at
// kOcmw when kWzc stops, and loses only vipa.
TEST_P(ImpactOnEachStoreTest, AOneShotEngineReportsTheImpactOfTheWholeModel) {
  fed_.MustApply(
      M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2).App("ama-wvg"));
  const std::string stop = EnterpriseCsvWith("0428.759.497", "ST");
  auto one_shot = [&](const std::string& name, const std::string& csv,
                      bool dry_run, bool facilities) {
    OpenOptions open;
    open.mode = OpenMode::kOneShot;
    Result<std::unique_ptr<Engine>> e = Engine::Open(fed_.db_path(), open);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    ImportReport r;
    if (!e.ok()) return r;
    ImportOptions o;
    o.dry_run = dry_run;
    o.full = facilities;
    const std::string path = fed_.dir().Write(name, csv);
    Status s = facilities ? (*e)->ImportFacilities(path, o, &r)
                          : (*e)->ImportKbo(path, "", o, &r);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return r;
  };
  auto same = [](const ImportReport& a, const ImportReport& b) {
    ASSERT_EQ(a.impact.size(), b.impact.size());
    for (size_t i = 0; i < a.impact.size(); ++i) {
      EXPECT_EQ(a.impact[i].application, b.impact[i].application);
      EXPECT_EQ(a.impact[i].lose, b.impact[i].lose) << a.impact[i].application;
      EXPECT_EQ(a.impact[i].gain, b.impact[i].gain) << a.impact[i].application;
      EXPECT_EQ(a.impact[i].losing, b.impact[i].losing);
      EXPECT_EQ(a.impact[i].gaining, b.impact[i].gaining);
    }
  };

  ImportReport service = Kbo(stop, /*dry_run=*/true);
  EXPECT_EQ(ImpactOn(service, "ama-wvg").lose, 0u);  // still via kOcmw
  EXPECT_EQ(ImpactOn(service, "vipa").losing, std::vector<std::string>{kUser2});
  same(one_shot("stop.csv", stop, /*dry_run=*/true, false), service);
  // The real import, on the one-shot engine: the same report, and done.
  const uint64_t revision = engine().revision();
  ImportReport real = one_shot("stop.csv", stop, /*dry_run=*/false, false);
  same(real, service);
  EXPECT_EQ(real.revision, revision + 1);
  ASSERT_TRUE(engine().Refresh().ok());
  EXPECT_FALSE(fed_.Allowed(kUser2, "vipa"));
  EXPECT_TRUE(fed_.Allowed(kUser2));

  // Active again, then a facility closed by a whole-registry file: the
  // person with no other way loses it, on both engines alike.
  const std::string back = EnterpriseCsvWith("0428.759.497", "AC");
  service = Kbo(back, /*dry_run=*/true);
  EXPECT_EQ(ImpactOn(service, "vipa").gain, 1u);
  same(one_shot("back.csv", back, /*dry_run=*/false, false), service);
  ASSERT_TRUE(engine().Refresh().ok());
  EXPECT_TRUE(fed_.Allowed(kUser2, "vipa"));
  ImportOptions o;
  o.full = true;
  o.dry_run = true;
  service = ImportReport();
  const std::string closing = FacilitiesWithout(kHcoOcmw);
  ASSERT_TRUE(
      engine()
          .ImportFacilities(fed_.dir().Write("f.csv", closing), o, &service)
          .ok());
  EXPECT_EQ(ImpactOn(service, "ama-wvg").losing,
            std::vector<std::string>{kUser1});  // kUser2 keeps kWzc's
  same(one_shot("f.csv", closing, /*dry_run=*/true, true), service);
}

// The OCMW rule (manual 1.1) depends on the facilities' types, which
// CoBRHA can change: the impact counts who loses or gains an application
// through it, on the service and the one-shot engine alike. A type change
// reaches the whole enterprise when it makes it an OCMW or no longer one.
TEST_P(ImpactOnEachStoreTest, CountsWhatTheOcmwRuleTakesAndGivesBack) {
  fed_.MustApply(
      M(Action::kAddUser, kEmpWzc).Hco(kHcoWzc).Insz(kUser3).App("ama-wvg"));
  auto report = [&](bool one_shot, const std::string& name,
                    const std::string& csv, bool dry_run) {
    ImportOptions o;
    o.full = true;
    o.dry_run = dry_run;
    ImportReport r;
    const std::string path = fed_.dir().Write(name, csv);
    if (!one_shot) {
      Status s = engine().ImportFacilities(path, o, &r);
      EXPECT_TRUE(s.ok()) << s.ToString();
      return r;
    }
    OpenOptions open;
    open.mode = OpenMode::kOneShot;
    Result<std::unique_ptr<Engine>> e = Engine::Open(fed_.db_path(), open);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    if (e.ok()) {
      Status s = (*e)->ImportFacilities(path, o, &r);
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    return r;
  };
  // Dry runs, each engine: who loses ama-wvg; vipa has no facility rule.
  auto expect_losing = [&](const std::string& name, const std::string& csv,
                           const std::vector<std::string>& losing) {
    for (bool one_shot : {false, true}) {
      ImportReport r = report(one_shot, name, csv, /*dry_run=*/true);
      EXPECT_EQ(ImpactOn(r, "ama-wvg").losing, losing)
          << name << (one_shot ? ", one-shot" : ", service");
      EXPECT_EQ(ImpactOn(r, "ama-wvg").lose, losing.size()) << name;
      EXPECT_EQ(ImpactOn(r, "ama-wvg").gain, 0u) << name;
      EXPECT_EQ(ImpactOn(r, "vipa").lose, 0u) << name;
    }
  };
  // OCMW Gent's 12345 becomes a woonzorgcentrum: the enterprise still
  // organizes 009 and 089 facilities, and 034 may not carry ama-wvg.
  expect_losing("ocmw-034.csv", FacilitiesCsvRetyped(kHcoOcmw, "034"),
                {kUser1});
  // De Linde Oost becomes an OCMW (009): the enterprise is now one, and
  // ama-wvg stays only at that facility. kUser2 holds it there too.
  expect_losing("oost-009.csv", FacilitiesCsvRetyped(kHcoWzcOost, "009"),
                {kUser3});
  // A facility of type 009 that CoBRHA lists for the first time does the
  // same to the whole of De Linde.
  expect_losing("new-009.csv",
                FacilitiesCsv() + "77001,OCMW De Linde,009,0428759497,active\n",
                {kUser2, kUser3});
  EXPECT_TRUE(fed_.Allowed(kUser3));  // dry runs

  // Done for real, then undone: the access comes back, counted as gained.
  ImportReport real =
      report(true, "oost-009.csv", FacilitiesCsvRetyped(kHcoWzcOost, "009"),
             /*dry_run=*/false);
  EXPECT_EQ(ImpactOn(real, "ama-wvg").losing, std::vector<std::string>{kUser3});
  ASSERT_TRUE(engine().Refresh().ok());
  EXPECT_FALSE(fed_.Allowed(kUser3));
  ImportReport back =
      report(false, "back.csv", FacilitiesCsv(), /*dry_run=*/false);
  EXPECT_EQ(ImpactOn(back, "ama-wvg").gaining,
            std::vector<std::string>{kUser3});
  EXPECT_EQ(ImpactOn(back, "ama-wvg").lose, 0u);
  EXPECT_TRUE(fed_.Allowed(kUser3));
}

TEST_F(ImpactTest, ARejectedDryRunRecordsNoRefusal) {
  const size_t audit_rows = AuditRows(engine());
  ImportOptions o;
  o.dry_run = true;
  ImportReport r;
  Status s = engine().ImportFunctions(
      fed_.dir().Write("bad.csv", "0403019261,12345678901,employee\n"), o, &r);
  EXPECT_EQ(s.code(), code::kImportRejected);
  EXPECT_EQ(AuditRows(engine()), audit_rows);
}

}  // namespace
}  // namespace toegang::testing
