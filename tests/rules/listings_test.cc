// The helpdesk listings of SPEC 4.6: access and users agree exactly with
// check; managed-by for every kind of administrator; who field by field;
// keyset pagination, also while mutations interleave between pages; and
// the CLI's access / users / managed-by / who output.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "base/time_util.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/queries.h"

namespace toegang::testing {
namespace {

constexpr const char* kStranger = "01490700185";  // valid, not imported

const std::vector<std::string>& People() {
  static const std::vector<std::string> v = {
      kWvOcmw,  kEmpOcmw, kEmp2Ocmw, kWvWzc, kEmpWzc,   kWvStopped,
      kWvOther, kUser1,   kUser2,    kUser3, kOutsider, kStranger};
  return v;
}

const std::vector<std::string>& FacilityHcos() {
  static const std::vector<std::string> v = {
      kHcoOcmw,    kHcoSociaalHuis, kHcoOcmwClosed,
      kHcoWzc,     kHcoWzcOost,     kHcoStoppedClosed,
      kHcoStopped, kHcoOther,       kHcoUnknown};
  return v;
}

const std::vector<std::string>& Apps() {
  static const std::vector<std::string> v = {"ama-wvg", "vipa"};
  return v;
}

// A valid INSZ of a person born on yymmdd (before 2000) with sequence
// number seq (1..998).
std::string MakeInsz(int seq, uint64_t yymmdd = 850101) {
  const uint64_t base = yymmdd * 1000 + static_cast<uint64_t>(seq);
  return fmt::format("{:09}{:02}", base, 97 - base % 97);
}

// "2026-11-28T17:41:53Z".
bool IsIsoUtc(const std::string& s) {
  const std::string form = "dddd-dd-ddTdd:dd:ddZ";
  if (s.size() != form.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool ok =
        form[i] == 'd' ? (s[i] >= '0' && s[i] <= '9') : s[i] == form[i];
    if (!ok) return false;
  }
  return true;
}

// Walks every page of a listing with the given limit. Checks the page
// contract on the way: no page larger than the limit, every page but the
// last full, a cursor exactly when another page follows, and each page
// read at the engine's revision.
template <typename T>
std::vector<T> WalkPages(
    const std::function<Result<Page<T>>(const PageRequest&)>& fetch,
    size_t limit, Engine& engine) {
  std::vector<T> all;
  PageRequest req;
  req.limit = limit;
  for (int guard = 0; guard < 1000; ++guard) {
    Result<Page<T>> page = fetch(req);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) break;
    EXPECT_LE(page->items.size(), limit);
    EXPECT_EQ(page->revision, engine.revision());
    all.insert(all.end(), page->items.begin(), page->items.end());
    if (page->next_cursor.empty()) break;
    EXPECT_EQ(page->items.size(), limit) << "a page before the last is full";
    req.cursor = page->next_cursor;
  }
  return all;
}

std::vector<std::string> AccessKeys(const std::vector<AccessEntry>& v) {
  std::vector<std::string> out;
  out.reserve(v.size());
  for (const AccessEntry& e : v) {
    out.push_back(fmt::format("{}@{}", e.application, e.hco));
  }
  return out;
}

std::vector<std::string> UserKeys(const std::vector<UserEntry>& v) {
  std::vector<std::string> out;
  for (const UserEntry& u : v) {
    std::string apps;
    for (const std::string& a : u.applications) apps += " " + a;
    out.push_back(u.person.insz + apps);
  }
  return out;
}

std::vector<std::string> ManagedKeys(const std::vector<ManagedEntry>& v) {
  std::vector<std::string> out;
  out.reserve(v.size());
  for (const ManagedEntry& e : v) {
    out.push_back(fmt::format("{} {} {} {}/{} {}", e.kbo, e.kind, e.role,
                              e.capacity, e.subdivision, e.hco));
  }
  return out;
}

class ListingsTest : public ::testing::Test {
 protected:
  Engine& engine() { return fed_.engine(); }

  // kOcmw: the manual's chain. kWzc, a second enterprise with two
  // facilities: kEmpWzc HTB; subafdelingen 0012346 (ama-wvg, vipa) and
  // 0012345 (ama-wvg); kUser2 holds ama-wvg at both and vipa at 0012346;
  // kUser3 is a user at 0012345 without any right.
  void BuildTwoChains() {
    fed_.BuildOcmwChain();
    fed_.BuildWzcChain();
    fed_.MustApply(M(Action::kAddUser, kEmpWzc).Hco(kHcoWzc).Insz(kUser3));
  }

  std::vector<AccessEntry> AllAccess(const std::string& insz) {
    Result<Page<AccessEntry>> p = engine().Access(insz, PageRequest{10000, ""});
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    if (!p.ok()) return {};
    EXPECT_TRUE(p->next_cursor.empty());
    return p->items;
  }
  std::vector<UserEntry> AllUsers(const std::string& hco,
                                  const std::string& app = "") {
    Result<Page<UserEntry>> p =
        engine().Users(hco, app, PageRequest{10000, ""});
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    if (!p.ok()) return {};
    EXPECT_TRUE(p->next_cursor.empty());
    return p->items;
  }
  std::vector<ManagedEntry> AllManaged(const std::string& insz) {
    Result<Page<ManagedEntry>> p =
        engine().ManagedBy(insz, PageRequest{10000, ""});
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    if (!p.ok()) return {};
    EXPECT_TRUE(p->next_cursor.empty());
    return p->items;
  }

  // Compares access and users with check for every person x application x
  // facility of the fixture; returns how many (person, app, hco) were
  // allowed, so callers can see the state was not trivially empty.
  int ExpectListingsAgreeWithCheck() {
    int allowed_count = 0;
    // access(insz) == every (app, hco) check allows, in (app, hco) order.
    for (const std::string& p : People()) {
      std::vector<std::string> expected;
      for (const std::string& app : Apps()) {
        Result<Decision> any = engine().Check(p, app);
        EXPECT_TRUE(any.ok());
        for (const std::string& hco : FacilityHcos()) {
          Result<Decision> d = engine().Check(p, app, hco);
          EXPECT_TRUE(d.ok()) << d.status().ToString();
          if (d.ok() && d->allowed) {
            expected.push_back(fmt::format("{}@{}", app, hco));
            ++allowed_count;
          }
        }
        // Without a facility: the same facilities as the listing.
        std::vector<std::string> via;
        for (const AccessEntry& e : AllAccess(p)) {
          if (e.application == app) via.push_back(e.hco);
        }
        EXPECT_EQ(via, any->facilities) << p << " " << app;
      }
      std::sort(expected.begin(), expected.end());
      EXPECT_EQ(AccessKeys(AllAccess(p)), expected) << "access of " << p;
    }
    // users(hco, app) and users(hco) == who check allows there (an HCO the
    // registry does not hold is refused instead: see
    // UsersOfAnUnknownFacilityIsRefusedAndInputIsValidated).
    for (const std::string& hco : FacilityHcos()) {
      if (hco == kHcoUnknown) continue;
      std::map<std::string, std::vector<std::string>> any_app;
      for (const std::string& app : Apps()) {
        std::vector<std::string> expected;
        for (const std::string& p : People()) {
          Result<Decision> d = engine().Check(p, app, hco);
          if (d.ok() && d->allowed) {
            expected.push_back(fmt::format("{} {}", p, app));
            any_app[p].push_back(app);
          }
        }
        std::sort(expected.begin(), expected.end());
        EXPECT_EQ(UserKeys(AllUsers(hco, app)), expected)
            << "users of " << hco << " " << app;
      }
      std::vector<std::string> expected;
      for (auto& [p, apps] : any_app) {
        std::sort(apps.begin(), apps.end());
        std::string line = p;
        for (const std::string& a : apps) line += " " + a;
        expected.push_back(line);
      }
      EXPECT_EQ(UserKeys(AllUsers(hco)), expected) << "users of " << hco;
    }
    return allowed_count;
  }

  TestFederation fed_;
};

// --- access and users are check -----------------------------------------

TEST_F(ListingsTest, AccessAndUsersAgreeWithCheckEverywhere) {
  BuildTwoChains();
  // kUser1 at 12345 (ama-wvg); kUser2 at 0012345 (ama-wvg) and 0012346
  // (ama-wvg, vipa).
  EXPECT_EQ(ExpectListingsAgreeWithCheck(), 4);
  EXPECT_EQ(AccessKeys(AllAccess(kUser2)),
            (std::vector<std::string>{"ama-wvg@0012345", "ama-wvg@0012346",
                                      "vipa@0012346"}));
  std::vector<AccessEntry> a = AllAccess(kUser1);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].facility_name, "OCMW Gent");
  EXPECT_EQ(a[0].kbo, kOcmw);
  std::vector<UserEntry> u = AllUsers(kHcoWzcOost);
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].person.insz, kUser2);
  EXPECT_EQ(u[0].person.name, "Ana Lukasiewicz");
  EXPECT_EQ(u[0].applications, (std::vector<std::string>{"ama-wvg", "vipa"}));

  // Each way a chain breaks, the listings follow check.
  ImportReport r;
  fed_.MustApply(M(Action::kRevokeRight, kEmpWzc)
                     .Hco(kHcoWzcOost)
                     .Insz(kUser2)
                     .App("vipa"));
  EXPECT_EQ(ExpectListingsAgreeWithCheck(), 3);
  ASSERT_TRUE(
      engine()
          .ImportFacilities(fed_.dir().Write("closed.csv",
                                             "hco,name,type_code,kbo,status\n"
                                             "0012346,WZC De Linde Oost,034,"
                                             "0428759497,closed\n"),
                            ImportOptions{}, &r)
          .ok());
  EXPECT_EQ(ExpectListingsAgreeWithCheck(), 2);
  EXPECT_TRUE(AllUsers(kHcoWzcOost).empty());
  ASSERT_TRUE(engine()
                  .ImportKbo(fed_.dir().Write(
                                 "stopped.csv",
                                 "\"EnterpriseNumber\",\"Status\","
                                 "\"JuridicalSituation\",\"TypeOfEnterprise\","
                                 "\"JuridicalForm\",\"JuridicalFormCAC\","
                                 "\"StartDate\"\n\"0428.759.497\",\"ST\","
                                 "\"000\",\"2\",\"017\",\"\",\"28-02-1986\"\n"),
                             "", ImportOptions{}, &r)
                  .ok());
  EXPECT_EQ(ExpectListingsAgreeWithCheck(), 1);
  EXPECT_TRUE(AllAccess(kUser2).empty());
  fed_.MustApply(M(Action::kRemoveUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser1));
  EXPECT_EQ(ExpectListingsAgreeWithCheck(), 0);
}

// A mistyped HCO is an error, never a quiet "none" (issue 25).
TEST_F(ListingsTest, UsersOfAnUnknownFacilityIsRefusedAndInputIsValidated) {
  fed_.BuildOcmwChain();
  Result<Page<UserEntry>> none = engine().Users(kHcoUnknown, "", PageRequest{});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), code::kFacilityUnknown);
  EXPECT_EQ(none.status().kind(), Status::Kind::kRefused);
  EXPECT_NE(none.status().message().find(kHcoUnknown), std::string::npos)
      << none.status().message();

  Result<Page<UserEntry>> bad_hco = engine().Users("12a45", "", PageRequest{});
  ASSERT_FALSE(bad_hco.ok());
  EXPECT_EQ(bad_hco.status().code(), code::kInvalidHco);
  Result<Page<UserEntry>> bad_app =
      engine().Users(kHcoOcmw, "no-such-app", PageRequest{});
  ASSERT_FALSE(bad_app.ok());
  EXPECT_EQ(bad_app.status().code(), code::kUnknownApplication);
  Result<Page<AccessEntry>> bad_insz =
      engine().Access("12345678901", PageRequest{});
  ASSERT_FALSE(bad_insz.ok());
  EXPECT_EQ(bad_insz.status().code(), code::kInvalidInsz);
  Result<Page<AccessEntry>> zero = engine().Access(kUser1, PageRequest{0, ""});
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().kind(), Status::Kind::kInvalidInput);
  // A person the federation does not know may use nothing.
  EXPECT_TRUE(AllAccess(kStranger).empty());
}

// --- managed-by -------------------------------------------------------------

TEST_F(ListingsTest, ManagedByNamesWhatEachAdministratorMayAdminister) {
  fed_.BuildOcmwChain();
  // A second subafdeling, vipa only (ama-wvg is not allowed on type 089),
  // and kUser2 as co-TB of the domain.
  fed_.MustApply(M(Action::kCreateSubafdeling, kEmpOcmw)
                     .Kbo(kOcmw)
                     .Hco(kHcoSociaalHuis)
                     .Email("sh@ocmw.gent")
                     .App("vipa"));
  fed_.MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
  const std::string dom = "ehealth-gezondheidszorg/gezondheidszorg";

  EXPECT_EQ(
      ManagedKeys(AllManaged(kEmpOcmw)),
      (std::vector<std::string>{
          "0403019261 enterprise htb / ", "0403019261 domain htb " + dom + " ",
          "0403019261 subafdeling htb " + dom + " 12345",
          "0403019261 subafdeling htb " + dom + " 45678"}));
  EXPECT_EQ(ManagedKeys(AllManaged(kEmp2Ocmw)),
            (std::vector<std::string>{
                "0403019261 domain tb " + dom + " ",
                "0403019261 subafdeling tb " + dom + " 12345",
                "0403019261 subafdeling tb " + dom + " 45678"}));
  EXPECT_EQ(ManagedKeys(AllManaged(kUser2)),
            (std::vector<std::string>{
                "0403019261 domain co_tb " + dom + " ",
                "0403019261 subafdeling co_tb " + dom + " 12345",
                "0403019261 subafdeling co_tb " + dom + " 45678"}));
  // The named manager of 12345 only.
  std::vector<ManagedEntry> m = AllManaged(kUser3);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].kind, "subafdeling");
  EXPECT_EQ(m[0].role, "manager");
  EXPECT_EQ(m[0].kbo, kOcmw);
  EXPECT_EQ(m[0].enterprise_name, "OCMW Gent");
  EXPECT_EQ(m[0].capacity, "ehealth-gezondheidszorg");
  EXPECT_EQ(m[0].subdivision, "gezondheidszorg");
  EXPECT_EQ(m[0].hco, kHcoOcmw);
  EXPECT_EQ(m[0].facility_name, "OCMW Gent");
  // Users, outsiders and strangers administer nothing.
  EXPECT_TRUE(AllManaged(kUser1).empty());
  EXPECT_TRUE(AllManaged(kOutsider).empty());
  EXPECT_TRUE(AllManaged(kStranger).empty());
  EXPECT_TRUE(AllManaged(kWvOcmw).empty());  // a WV is not an HTB

  // The strongest role wins: a named manager who becomes co-TB.
  fed_.MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser3));
  EXPECT_EQ(ManagedKeys(AllManaged(kUser3)),
            (std::vector<std::string>{
                "0403019261 domain co_tb " + dom + " ",
                "0403019261 subafdeling co_tb " + dom + " 12345",
                "0403019261 subafdeling co_tb " + dom + " 45678"}));

  // The TB appointed HTB: HTB everywhere, though also reached as TB.
  fed_.MustApply(M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw));
  EXPECT_EQ(
      ManagedKeys(AllManaged(kEmp2Ocmw)),
      (std::vector<std::string>{
          "0403019261 enterprise htb / ", "0403019261 domain htb " + dom + " ",
          "0403019261 subafdeling htb " + dom + " 12345",
          "0403019261 subafdeling htb " + dom + " 45678"}));
  // The replaced HTB has nothing left.
  EXPECT_TRUE(AllManaged(kEmpOcmw).empty());

  // A removed subafdeling is administered by nobody.
  fed_.MustApply(M(Action::kRemoveSubafdeling, kEmp2Ocmw).Hco(kHcoOcmw));
  EXPECT_EQ(AllManaged(kUser3).size(), 2u);  // as co-TB: domain, 45678
  EXPECT_EQ(ManagedKeys(AllManaged(kEmp2Ocmw)).back(),
            "0403019261 subafdeling htb " + dom + " 45678");
}

TEST_F(ListingsTest, ManagedByOrdersAcrossEnterprises) {
  BuildTwoChains();
  // kEmpWzc: HTB of kWzc and co-TB at kOcmw, whose KBO sorts first.
  fed_.MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kEmpWzc));
  const std::string dom = "ehealth-gezondheidszorg/gezondheidszorg";
  EXPECT_EQ(
      ManagedKeys(AllManaged(kEmpWzc)),
      (std::vector<std::string>{
          "0403019261 domain co_tb " + dom + " ",
          "0403019261 subafdeling co_tb " + dom + " 12345",
          "0428759497 enterprise htb / ", "0428759497 domain htb " + dom + " ",
          "0428759497 subafdeling htb " + dom + " 0012345",
          "0428759497 subafdeling htb " + dom + " 0012346"}));
  for (size_t limit = 1; limit <= 3; ++limit) {
    std::vector<ManagedEntry> walked = WalkPages<ManagedEntry>(
        [&](const PageRequest& r) { return engine().ManagedBy(kEmpWzc, r); },
        limit, engine());
    EXPECT_EQ(ManagedKeys(walked), ManagedKeys(AllManaged(kEmpWzc)))
        << "limit " << limit;
  }
}

// --- who --------------------------------------------------------------------

TEST_F(ListingsTest, WhoReportsEveryFieldOfTheHelpdeskView) {
  const uint64_t before = engine().revision();
  const int64_t t0 = NowSeconds();
  fed_.BuildOcmwChain();
  const uint64_t appointed = before + 1;  // the chain's first commit
  fed_.MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
  fed_.MustApply(M(Action::kCreateSubafdeling, kEmpOcmw)
                     .Kbo(kOcmw)
                     .Hco(kHcoSociaalHuis)
                     .Email("sh@ocmw.gent")
                     .App("vipa"));

  Result<WhoReport> w = engine().Who("0403.019.261");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->kbo, kOcmw);
  EXPECT_EQ(w->name, "OCMW Gent");
  EXPECT_TRUE(w->active);
  EXPECT_EQ(w->revision, engine().revision());
  ASSERT_EQ(w->legal_representatives.size(), 1u);
  EXPECT_EQ(w->legal_representatives[0].insz, kWvOcmw);
  EXPECT_EQ(w->legal_representatives[0].name, "Wendy Verhoeven");

  ASSERT_TRUE(w->htb.has_value());
  EXPECT_EQ(w->htb->person.insz, kEmpOcmw);
  EXPECT_EQ(w->htb->person.name, "Hilde Bosmans");
  EXPECT_EQ(w->htb->email, "htb@ocmw.gent");
  EXPECT_EQ(w->htb->phone, "+32 9 266 99 00");
  ASSERT_TRUE(w->htb->appointed_by.has_value());
  EXPECT_EQ(w->htb->appointed_by->insz, kWvOcmw);
  EXPECT_EQ(w->htb->appointed_by->name, "Wendy Verhoeven");
  EXPECT_EQ(w->htb->revision, appointed);
  EXPECT_TRUE(IsIsoUtc(w->htb->at)) << w->htb->at;
  // Made during this test.
  EXPECT_GE(ParseUtc(w->htb->at), t0);
  EXPECT_LE(ParseUtc(w->htb->at), NowSeconds());

  EXPECT_EQ(w->active_capacities,
            (std::vector<std::string>{"ehealth-gezondheidszorg"}));
  ASSERT_EQ(w->domains.size(), 1u);
  const WhoReport::Domain& d = w->domains[0];
  EXPECT_EQ(d.capacity, "ehealth-gezondheidszorg");
  EXPECT_EQ(d.subdivision, "gezondheidszorg");
  ASSERT_TRUE(d.tb.has_value());
  EXPECT_EQ(d.tb->insz, kEmp2Ocmw);
  EXPECT_EQ(d.tb->name, "Tom Claes");
  ASSERT_EQ(d.co_tbs.size(), 1u);
  EXPECT_EQ(d.co_tbs[0].insz, kUser2);
  EXPECT_EQ(d.co_tbs[0].name, "Ana Lukasiewicz");

  ASSERT_EQ(w->subafdelingen.size(), 2u);
  const WhoReport::Subafdeling& s = w->subafdelingen[0];
  EXPECT_EQ(s.hco, kHcoOcmw);
  EXPECT_EQ(s.facility_name, "OCMW Gent");
  EXPECT_EQ(s.facility_type, "009");
  EXPECT_TRUE(s.facility_active);
  EXPECT_EQ(s.capacity, "ehealth-gezondheidszorg");
  EXPECT_EQ(s.subdivision, "gezondheidszorg");
  EXPECT_EQ(s.email, "toegang@ocmw.gent");
  EXPECT_EQ(s.applications, (std::vector<std::string>{"ama-wvg"}));
  ASSERT_EQ(s.managers.size(), 1u);
  EXPECT_EQ(s.managers[0].insz, kUser3);
  EXPECT_EQ(s.managers[0].name, "Els Van den Broeck");
  EXPECT_EQ(s.users, 1u);
  const WhoReport::Subafdeling& s2 = w->subafdelingen[1];
  EXPECT_EQ(s2.hco, kHcoSociaalHuis);
  EXPECT_EQ(s2.facility_name, "Sociaal Huis Gent");
  EXPECT_EQ(s2.facility_type, "089");
  EXPECT_EQ(s2.email, "sh@ocmw.gent");
  EXPECT_EQ(s2.applications, (std::vector<std::string>{"vipa"}));
  EXPECT_TRUE(s2.managers.empty());
  EXPECT_EQ(s2.users, 0u);

  // A removed subafdeling is no longer listed; users are counted live.
  fed_.MustApply(M(Action::kAddUser, kEmpOcmw).Hco(kHcoOcmw).Insz(kUser2));
  fed_.MustApply(M(Action::kRemoveSubafdeling, kEmpOcmw).Hco(kHcoSociaalHuis));
  w = engine().Who(kOcmw);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->subafdelingen.size(), 1u);
  EXPECT_EQ(w->subafdelingen[0].users, 2u);
}

TEST_F(ListingsTest, WhoOfAnEnterpriseWithoutDelegationAndOfAnUnknownOne) {
  Result<WhoReport> w = engine().Who(kStopped);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->name, "Gestopte vzw");
  EXPECT_FALSE(w->active);
  EXPECT_FALSE(w->htb.has_value());
  EXPECT_TRUE(w->active_capacities.empty());
  EXPECT_TRUE(w->domains.empty());
  EXPECT_TRUE(w->subafdelingen.empty());
  ASSERT_EQ(w->legal_representatives.size(), 1u);
  EXPECT_EQ(w->legal_representatives[0].insz, kWvStopped);

  Result<WhoReport> unknown = engine().Who(kUnknownKbo);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().kind(), Status::Kind::kRefused);
  EXPECT_EQ(unknown.status().code(), code::kEnterpriseUnknown);
  EXPECT_NE(unknown.status().message().find("0444.712.336"), std::string::npos)
      << unknown.status().message();
  Result<WhoReport> invalid = engine().Who("0431150351");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().code(), code::kInvalidKbo);
}

// --- pagination -------------------------------------------------------------

TEST_F(ListingsTest, WalkingPagesOfAnySizeReturnsExactlyTheFullList) {
  BuildTwoChains();
  fed_.MustApply(
      M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2).App("ama-wvg"));
  for (const char* p : {kUser3, kOutsider, kWvOther, kStranger}) {
    fed_.MustApply(
        M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(p).App("ama-wvg"));
  }
  ASSERT_EQ(AllAccess(kUser2).size(), 4u);
  ASSERT_EQ(AllUsers(kHcoOcmw).size(), 6u);
  ASSERT_EQ(AllManaged(kEmpOcmw).size(), 3u);
  for (size_t limit = 1; limit <= 3; ++limit) {
    SCOPED_TRACE(limit);
    EXPECT_EQ(
        AccessKeys(WalkPages<AccessEntry>(
            [&](const PageRequest& r) { return engine().Access(kUser2, r); },
            limit, engine())),
        AccessKeys(AllAccess(kUser2)));
    EXPECT_EQ(UserKeys(WalkPages<UserEntry>(
                  [&](const PageRequest& r) {
                    return engine().Users(kHcoOcmw, "", r);
                  },
                  limit, engine())),
              UserKeys(AllUsers(kHcoOcmw)));
    EXPECT_EQ(UserKeys(WalkPages<UserEntry>(
                  [&](const PageRequest& r) {
                    return engine().Users(kHcoOcmw, "ama-wvg", r);
                  },
                  limit, engine())),
              UserKeys(AllUsers(kHcoOcmw, "ama-wvg")));
    EXPECT_EQ(ManagedKeys(WalkPages<ManagedEntry>(
                  [&](const PageRequest& r) {
                    return engine().ManagedBy(kEmpOcmw, r);
                  },
                  limit, engine())),
              ManagedKeys(AllManaged(kEmpOcmw)));
  }
  // Exactly a page full: no cursor to an empty page (one is looked ahead).
  Result<Page<UserEntry>> full =
      engine().Users(kHcoOcmw, "", PageRequest{6, ""});
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->items.size(), 6u);
  EXPECT_TRUE(full->next_cursor.empty());
  Result<Page<AccessEntry>> four = engine().Access(kUser2, PageRequest{4, ""});
  ASSERT_TRUE(four.ok());
  EXPECT_TRUE(four->next_cursor.empty());
  Result<Page<AccessEntry>> three = engine().Access(kUser2, PageRequest{3, ""});
  ASSERT_TRUE(three.ok());
  EXPECT_FALSE(three->next_cursor.empty());
}

TEST_F(ListingsTest, PaginationIsStableUnderInterleavedWrites) {
  fed_.BuildOcmwChain();
  // 30 users at 12345 with ama-wvg, besides kUser1.
  std::set<std::string> present = {kUser1};
  for (int i = 0; i < 30; ++i) {
    const std::string p = MakeInsz(10 + 3 * i);
    fed_.MustApply(
        M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(p).App("ama-wvg"));
    present.insert(p);
  }
  // Who is listed now, and who every mutation below touches: those may or
  // may not appear, all others must appear exactly once.
  std::set<std::string> touched;
  std::vector<std::string> original(present.begin(), present.end());
  std::mt19937 rng(20260607);
  int next_new = 0;

  std::vector<std::string> listed;
  PageRequest req;
  req.limit = 4;
  int pages = 0;
  while (true) {
    Result<Page<UserEntry>> page = engine().Users(kHcoOcmw, "ama-wvg", req);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ASSERT_LE(page->items.size(), 4u);
    EXPECT_EQ(page->revision, engine().revision());
    for (const UserEntry& u : page->items) listed.push_back(u.person.insz);
    ++pages;
    ASSERT_LT(pages, 100);
    if (page->next_cursor.empty()) break;
    req.cursor = page->next_cursor;

    // Between pages: one new user before and one after the cursor (born
    // in 1980 and 1990, the 30 in 1985), one removed, one right revoked,
    // one right revoked and granted again.
    for (uint64_t born : {800101, 900101}) {
      const std::string p = MakeInsz(1 + next_new, born);
      fed_.MustApply(
          M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(p).App("ama-wvg"));
      touched.insert(p);
    }
    ++next_new;
    std::vector<std::string> pick;
    for (const std::string& p : present) {
      if (!touched.count(p)) pick.push_back(p);
    }
    if (pick.size() < 3) continue;
    std::shuffle(pick.begin(), pick.end(), rng);
    fed_.MustApply(
        M(Action::kRemoveUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(pick[0]));
    touched.insert(pick[0]);
    present.erase(pick[0]);
    fed_.MustApply(M(Action::kRevokeRight, kEmp2Ocmw)
                       .Hco(kHcoOcmw)
                       .Insz(pick[1])
                       .App("ama-wvg"));
    touched.insert(pick[1]);
    fed_.MustApply(M(Action::kRevokeRight, kEmp2Ocmw)
                       .Hco(kHcoOcmw)
                       .Insz(pick[2])
                       .App("ama-wvg"));
    fed_.MustApply(M(Action::kGrantRight, kEmp2Ocmw)
                       .Hco(kHcoOcmw)
                       .Insz(pick[2])
                       .App("ama-wvg"));
    touched.insert(pick[2]);
  }
  EXPECT_GT(pages, 5);
  EXPECT_GT(touched.size(), 20u);

  // Strictly increasing: no entry twice, and the order kept.
  for (size_t i = 1; i < listed.size(); ++i) {
    EXPECT_LT(listed[i - 1], listed[i]) << "at " << i;
  }
  // Everyone present and untouched for the whole walk: exactly once.
  size_t stable = 0;
  for (const std::string& p : original) {
    if (touched.count(p)) continue;
    ++stable;
    EXPECT_EQ(std::count(listed.begin(), listed.end(), p), 1) << p;
  }
  EXPECT_GT(stable, 5u);
  // Nobody listed who never had the right.
  std::set<std::string> ever(original.begin(), original.end());
  ever.insert(touched.begin(), touched.end());
  for (const std::string& p : listed) EXPECT_TRUE(ever.count(p)) << p;
}

TEST_F(ListingsTest, AMalformedCursorIsInvalidInput) {
  BuildTwoChains();
  auto expect_usage = [](const Status& s, const std::string& what) {
    EXPECT_EQ(s.kind(), Status::Kind::kInvalidInput) << what;
    EXPECT_EQ(s.code(), code::kUsage) << what;
    EXPECT_NE(s.message().find("cursor"), std::string::npos) << s.message();
  };
  for (const std::string c :
       {"garbage", "ama-wvg|12a45", "ama-wvg|", "|12345", "a|b|c",
        "ama-wvg%ZZ|12345", "ama-wvg|1234567890123456"}) {
    Result<Page<AccessEntry>> r = engine().Access(kUser2, PageRequest{10, c});
    ASSERT_FALSE(r.ok()) << c;
    expect_usage(r.status(), c);
  }
  for (const std::string c : {"123", "8105000355x", "810500035520", "x|y"}) {
    Result<Page<UserEntry>> r = engine().Users(kHcoWzc, "", PageRequest{10, c});
    ASSERT_FALSE(r.ok()) << c;
    expect_usage(r.status(), c);
  }
  for (const std::string c : {"x", "0428759497|1|a|b", "042875949|1|a|b|",
                              "0428759497|7|a|b|", "0428759497|1|a|b|x1"}) {
    Result<Page<ManagedEntry>> r =
        engine().ManagedBy(kEmpWzc, PageRequest{10, c});
    ASSERT_FALSE(r.ok()) << c;
    expect_usage(r.status(), c);
  }
  // A well-formed cursor past the end is simply an empty last page.
  Result<Page<UserEntry>> end =
      engine().Users(kHcoWzc, "", PageRequest{10, "99999999999"});
  ASSERT_TRUE(end.ok());
  EXPECT_TRUE(end->items.empty());
  EXPECT_TRUE(end->next_cursor.empty());
}

// --- the CLI ---------------------------------------------------------------

struct CliRun {
  int exit = -1;
  std::string out;
};

// Runs the toegang binary with args; stdout captured, stderr dropped.
CliRun Cli(const std::vector<std::string>& args) {
  std::string cmd = ShellQuote(TOEGANG_CLI_PATH);
  for (const std::string& a : args) cmd += " " + ShellQuote(a);
  cmd += " 2>/dev/null";
  CliRun r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen " << cmd;
    return r;
  }
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  const int status = ::pclose(pipe);
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class ListingsCliTest : public ListingsTest {
 protected:
  nlohmann::json Json(std::vector<std::string> args, int exit = 0) {
    args.insert(args.begin(), {"--db", fed_.db_path(), "--json"});
    CliRun r = Cli(args);
    EXPECT_EQ(r.exit, exit) << r.out;
    nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_TRUE(j.is_object()) << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
    return j.is_object() ? j : nlohmann::json::object();
  }
  CliRun Text(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", fed_.db_path()});
    return Cli(args);
  }
};

TEST_F(ListingsCliTest, AccessUsersAndManagedByPrintPagesAsJson) {
  BuildTwoChains();
  nlohmann::json a = Json({"access", "--insz", "75.46.08-980.95"});
  EXPECT_EQ(a["insz"], kUser2);
  EXPECT_EQ(a["revision"], engine().revision());
  EXPECT_TRUE(a["next_cursor"].is_null());
  ASSERT_TRUE(a["items"].is_array());
  ASSERT_EQ(a["items"].size(), 3u);
  EXPECT_EQ(a["items"][0], (nlohmann::json{{"application", "ama-wvg"},
                                           {"hco", "0012345"},
                                           {"facility_name", "WZC De Linde"},
                                           {"kbo", kWzc}}));
  EXPECT_EQ(a["items"][2]["application"], "vipa");

  // Paging through the CLI: --limit and the cursor it prints.
  nlohmann::json p1 = Json({"access", "--insz", kUser2, "--limit", "2"});
  ASSERT_EQ(p1["items"].size(), 2u);
  ASSERT_TRUE(p1["next_cursor"].is_string());
  nlohmann::json p2 = Json({"access", "--insz", kUser2, "--limit", "2",
                            "--cursor", p1["next_cursor"].get<std::string>()});
  ASSERT_EQ(p2["items"].size(), 1u);
  EXPECT_EQ(p2["items"][0], a["items"][2]);
  EXPECT_TRUE(p2["next_cursor"].is_null());

  nlohmann::json u = Json({"users", "--hco", kHcoWzcOost});
  ASSERT_EQ(u["items"].size(), 1u);
  EXPECT_EQ(u["items"][0],
            (nlohmann::json{{"insz", kUser2},
                            {"name", "Ana Lukasiewicz"},
                            {"applications", {"ama-wvg", "vipa"}}}));
  nlohmann::json uv = Json({"users", "--hco", kHcoWzc, "--app", "vipa"});
  EXPECT_TRUE(uv["items"].empty());
  EXPECT_TRUE(uv["next_cursor"].is_null());

  nlohmann::json m = Json({"managed-by", "--insz", kEmpWzc});
  ASSERT_EQ(m["items"].size(), 4u);
  EXPECT_EQ(m["items"][0]["kind"], "enterprise");
  EXPECT_EQ(m["items"][0]["role"], "htb");
  EXPECT_EQ(m["items"][0]["enterprise_name"], "Woonzorgcentrum De Linde");
  EXPECT_EQ(m["items"][3]["kind"], "subafdeling");
  EXPECT_EQ(m["items"][3]["hco"], kHcoWzcOost);

  // Errors: exit 2 for bad input and cursors.
  nlohmann::json bad = Json({"access", "--insz", "12345678901"}, 2);
  EXPECT_EQ(bad["error"], "invalid_insz");
  nlohmann::json cur =
      Json({"users", "--hco", kHcoWzc, "--cursor", "nonsense"}, 2);
  EXPECT_EQ(cur["error"], "usage");
  nlohmann::json lim =
      Json({"managed-by", "--insz", kEmpWzc, "--limit", "0"}, 2);
  EXPECT_EQ(lim["error"], "usage");
  nlohmann::json missing = Json({"access"}, 2);
  EXPECT_EQ(missing["error"], "usage");
  // A mistyped HCO: facility_unknown, exit 3 (a rule's refusal).
  nlohmann::json unknown = Json({"users", "--hco", kHcoUnknown}, 3);
  EXPECT_EQ(unknown["error"], "facility_unknown");
}

TEST_F(ListingsCliTest, WhoPrintsTheHelpdeskViewAsJsonAndText) {
  fed_.BuildOcmwChain();
  fed_.MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
  nlohmann::json w = Json({"who", "--kbo", "0403.019.261"});
  EXPECT_EQ(w["kbo"], kOcmw);
  EXPECT_EQ(w["name"], "OCMW Gent");
  EXPECT_EQ(w["active"], true);
  EXPECT_EQ(w["revision"], engine().revision());
  EXPECT_EQ(w["legal_representatives"],
            nlohmann::json::array({nlohmann::json{
                {"insz", kWvOcmw}, {"name", "Wendy Verhoeven"}}}));
  EXPECT_EQ(w["htb"]["person"]["insz"], kEmpOcmw);
  EXPECT_EQ(w["htb"]["email"], "htb@ocmw.gent");
  EXPECT_EQ(w["htb"]["phone"], "+32 9 266 99 00");
  EXPECT_EQ(w["htb"]["appointed_by"]["insz"], kWvOcmw);
  EXPECT_TRUE(w["htb"]["at"].is_string());
  EXPECT_TRUE(w["htb"]["revision"].is_number());
  EXPECT_EQ(w["active_capacities"],
            (nlohmann::json::array({"ehealth-gezondheidszorg"})));
  ASSERT_EQ(w["domains"].size(), 1u);
  EXPECT_EQ(w["domains"][0]["tb"]["insz"], kEmp2Ocmw);
  EXPECT_EQ(w["domains"][0]["co_tbs"][0]["insz"], kUser2);
  ASSERT_EQ(w["subafdelingen"].size(), 1u);
  const nlohmann::json& s = w["subafdelingen"][0];
  EXPECT_EQ(s["hco"], kHcoOcmw);
  EXPECT_EQ(s["facility_type"], "009");
  EXPECT_EQ(s["facility_active"], true);
  EXPECT_EQ(s["applications"], (nlohmann::json::array({"ama-wvg"})));
  EXPECT_EQ(s["managers"][0]["insz"], kUser3);
  EXPECT_EQ(s["users"], 1);

  // Text: a compact report the helpdesk can read out.
  CliRun text = Text({"who", "--kbo", kOcmw});
  EXPECT_EQ(text.exit, 0);
  for (const char* needle :
       {"OCMW Gent (KBO 0403.019.261)", "WV: Wendy Verhoeven (93.05.18-223.61)",
        "HTB: Hilde Bosmans (85.07.30-033.28)", "htb@ocmw.gent",
        "+32 9 266 99 00", "TB Tom Claes (17.07.30-033.84)",
        "co-TB: Ana Lukasiewicz (75.46.08-980.95)", "Subafdeling HCO 12345",
        "managers: Els Van den Broeck (92.20.00-069.63); users: 1"}) {
    EXPECT_NE(text.out.find(needle), std::string::npos) << needle << "\n"
                                                        << text.out;
  }

  // An enterprise without HTB says so; an unknown one is exit 3.
  nlohmann::json other = Json({"who", "--kbo", kOther});
  EXPECT_TRUE(other["htb"].is_null());
  nlohmann::json unknown = Json({"who", "--kbo", kUnknownKbo}, 3);
  EXPECT_EQ(unknown["error"], "enterprise_unknown");
  nlohmann::json invalid = Json({"who", "--kbo", "0431150351"}, 2);
  EXPECT_EQ(invalid["error"], "invalid_kbo");
}

}  // namespace
}  // namespace toegang::testing
