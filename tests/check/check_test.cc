// The access decision of SPEC 4.5: each of its seven conditions made false
// on an otherwise allowed chain denies access, and made true again grants
// it again; the decision's revision and facilities; input validation.
//
// Conditions 2 (the enterprise has an HTB) and 3 (the capacity is active)
// cannot be made false through the public API: an HTB can be replaced but
// not removed, and a capacity cannot be deactivated. They are tested on the
// loading side: the test removes the row from the database file, as a
// database written by another tool or an older version could hold it, and
// reopens the engine; the public API then makes the condition true again.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/mutation.h"
#include "toegang/status.h"

namespace toegang::testing {
namespace {

constexpr const char* kStranger = "01490700185";  // valid, unknown
constexpr const char* kAmaWvgName =
    "Departement Welzijn, Volksgezondheid en Gezin: Aanbod van arbeidsmatige "
    "activiteiten";

const std::vector<std::string>& Persons() {
  static const std::vector<std::string> v = {
      kWvOcmw,  kEmpOcmw, kEmp2Ocmw, kWvWzc, kEmpWzc,   kWvStopped,
      kWvOther, kUser1,   kUser2,    kUser3, kOutsider, kStranger};
  return v;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string FacilitiesCsvWith(const std::string& row) {
  return "hco,name,type_code,kbo,status\n" + row + "\n";
}

std::string EnterpriseCsvWithOcmw(const char* status) {
  return "\"EnterpriseNumber\",\"Status\",\"JuridicalSituation\","
         "\"TypeOfEnterprise\",\"JuridicalForm\",\"JuridicalFormCAC\","
         "\"StartDate\"\n"
         "\"0403.019.261\",\"" +
         std::string(status) + "\",\"000\",\"2\",\"416\",\"\",\"01-01-1977\"\n";
}

class CheckTest : public ::testing::Test {
 protected:
  // kOcmw: the manual's chain (kUser1 holds ama-wvg at 12345).
  void SetUp() override {
    fed_.BuildOcmwChain();
    ASSERT_TRUE(fed_.Allowed(kUser1));
  }

  Engine& engine() { return fed_.engine(); }

  // The decision; checks the invariants every decision has: made at the
  // engine's revision, facilities sorted and unique, allowed exactly when
  // there is a facility.
  Decision Decide(const std::string& insz, const std::string& app = "ama-wvg",
                  const std::string& hco = "") {
    Result<Decision> d = engine().Check(insz, app, hco);
    EXPECT_TRUE(d.ok()) << insz << " " << app << " " << hco << ": "
                        << d.status().ToString();
    if (!d.ok()) return Decision{};
    EXPECT_EQ(d->revision, engine().revision());
    EXPECT_TRUE(std::is_sorted(d->facilities.begin(), d->facilities.end()));
    EXPECT_EQ(std::adjacent_find(d->facilities.begin(), d->facilities.end()),
              d->facilities.end());
    EXPECT_EQ(d->allowed, !d->facilities.empty());
    return d.value();
  }

  bool Allowed(const std::string& insz, const std::string& app = "ama-wvg",
               const std::string& hco = "") {
    return Decide(insz, app, hco).allowed;
  }

  // kUser1 reaches ama-wvg through 12345 exactly when allowed.
  void ExpectChain(bool allowed) {
    const std::vector<std::string> through =
        allowed ? std::vector<std::string>{kHcoOcmw}
                : std::vector<std::string>{};
    EXPECT_EQ(Decide(kUser1).facilities, through);
    EXPECT_EQ(Decide(kUser1, "ama-wvg", kHcoOcmw).facilities, through);
  }

  void Import(const std::string& what, const std::string& csv) {
    ImportReport report;
    const std::string path =
        fed_.dir().Write(what + "-" + std::to_string(++imports_) + ".csv", csv);
    Status s = what == "facilities"
                   ? engine().ImportFacilities(path, ImportOptions{}, &report)
                   : engine().ImportKbo(path, "", ImportOptions{}, &report);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(report.invalid, 0u);
    ASSERT_GT(report.revision, 0u);
    EXPECT_EQ(report.revision, engine().revision());
  }

  std::vector<std::string> Problems() {
    Result<std::vector<std::string>> p = engine().Verify();
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? p.value() : std::vector<std::string>{"verify failed"};
  }

  // Every answer for the cast, as text.
  std::vector<std::string> Answers(const std::string& app) {
    std::vector<std::string> out;
    for (const std::string& p : Persons()) {
      for (const std::string& hco : AllHcos()) {
        Result<Decision> d = engine().Check(p, app, hco);
        std::string line = p + " " + hco + ": ";
        if (!d.ok()) {
          line += d.status().code();
        } else {
          line += std::to_string(d->revision) + " " +
                  (d->allowed ? "yes " + Join(d->facilities) : "no");
        }
        out.push_back(line);
      }
    }
    return out;
  }

  TestFederation fed_;
  int imports_ = 0;
};

// --- 1. the enterprise is known in the KBO and active ------------------

TEST_F(CheckTest, EnterpriseStoppedDeniesAndActiveAgainAllows) {
  fed_.BuildWzcChain();
  Import("kbo", EnterpriseCsvWithOcmw("ST"));
  ExpectChain(false);
  EXPECT_TRUE(Allowed(kUser2));  // another enterprise is not affected
  fed_.Reopen();
  ExpectChain(false);
  Import("kbo", EnterpriseCsvWithOcmw("AC"));
  ExpectChain(true);
  fed_.Reopen();
  ExpectChain(true);
}

// --- 2. the enterprise has an HTB ---------------------------------------

TEST_F(CheckTest, NoHtbDeniesAndAnAppointedHtbAllows) {
  fed_.BuildWzcChain();
  fed_.DeleteRowAndReopen("DELETE FROM htb WHERE kbo = ?", kOcmw);
  ExpectChain(false);
  EXPECT_TRUE(Allowed(kUser2));
  fed_.MustApply(M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmpOcmw));
  ExpectChain(true);
}

// --- 3. the capacity is active for the enterprise -----------------------

TEST_F(CheckTest, InactiveCapacityDeniesAndActivationAllows) {
  fed_.BuildWzcChain();
  fed_.DeleteRowAndReopen("DELETE FROM active_capacity WHERE kbo = ?", kOcmw);
  ExpectChain(false);
  EXPECT_TRUE(Allowed(kUser2));
  fed_.MustApply(M(Action::kActivateCapacity, kEmpOcmw).Kbo(kOcmw));
  ExpectChain(true);
}

// --- 4. the facility is active (and is facility hco when given) ---------

TEST_F(CheckTest, ClosedFacilityDeniesAndReopenedAllows) {
  Import("facilities",
         FacilitiesCsvWith("12345,OCMW Gent,009,0403019261,closed"));
  ExpectChain(false);
  Import("facilities",
         FacilitiesCsvWith("12345,OCMW Gent,009,0403019261,active"));
  ExpectChain(true);
}

// A facility that CoBRHA moves to another organizer no longer grants
// through the old enterprise's subafdeling, which takes no new grants
// either; the move is audited under both enterprises.
TEST_F(CheckTest, FacilityMovedToAnotherEnterpriseDeniesThroughTheOldOne) {
  Import("facilities",
         FacilitiesCsvWith("12345,OCMW Gent,009,0428759497,active"));
  ExpectChain(false);
  Result<CommitInfo> add = engine().Apply(
      M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2).App("ama-wvg"));
  ASSERT_FALSE(add.ok());
  EXPECT_EQ(add.status().code(), code::kFacilityNotOfEnterprise);
  EXPECT_NE(add.status().message().find("subafdeling remove"),
            std::string::npos);
  for (const char* kbo : {kOcmw, kWzc}) {
    AuditQuery q;
    q.kbo = kbo;
    q.limit = 1000;
    Result<std::vector<AuditRecord>> rows = engine().Audit(q);
    ASSERT_TRUE(rows.ok());
    EXPECT_TRUE(std::any_of(rows->begin(), rows->end(),
                            [](const auto& r) {
                              return r.action == "import.facility" &&
                                     r.detail.find("12345") !=
                                         std::string::npos;
                            }))
        << "no move audited under " << kbo;
  }
  // Moved back, the old subafdeling grants again.
  Import("facilities",
         FacilitiesCsvWith("12345,OCMW Gent,009,0403019261,active"));
  ExpectChain(true);
}

TEST_F(CheckTest, ClosingOneOfTwoFacilitiesLeavesTheOther) {
  fed_.BuildWzcChain();
  ASSERT_EQ(Decide(kUser2).facilities,
            (std::vector<std::string>{kHcoWzc, kHcoWzcOost}));
  Import("facilities",
         FacilitiesCsvWith("0012345,WZC De Linde,034,0428759497,closed"));
  EXPECT_EQ(Decide(kUser2).facilities, std::vector<std::string>{kHcoWzcOost});
  EXPECT_FALSE(Allowed(kUser2, "ama-wvg", kHcoWzc));
  EXPECT_TRUE(Allowed(kUser2, "ama-wvg", kHcoWzcOost));
  Import("facilities",
         FacilitiesCsvWith("0012345,WZC De Linde,034,0428759497,active"));
  EXPECT_EQ(Decide(kUser2).facilities,
            (std::vector<std::string>{kHcoWzc, kHcoWzcOost}));
}

TEST_F(CheckTest, HcoFilter) {
  EXPECT_EQ(Decide(kUser1, "ama-wvg", kHcoOcmw).facilities,
            std::vector<std::string>{kHcoOcmw});
  EXPECT_TRUE(Allowed(kUser1, "ama-wvg", " 12345 "));  // white space trimmed
  // Another facility of the enterprise, a closed one, one of another
  // enterprise, a valid HCO CoBRHA does not know, and leading zeros.
  for (const char* hco :
       {kHcoSociaalHuis, kHcoOcmwClosed, kHcoWzc, kHcoUnknown, "012345", "0"}) {
    EXPECT_FALSE(Allowed(kUser1, "ama-wvg", hco)) << hco;
  }
}

// --- 5. the subafdeling is authorized for the application ---------------

TEST_F(CheckTest, DeauthorizedDeniesAndAuthorizedWithGrantAllows) {
  fed_.MustApply(
      M(Action::kDeauthorize, kEmp2Ocmw).Hco(kHcoOcmw).App("ama-wvg"));
  ExpectChain(false);
  // Deauthorizing revoked the right (SPEC 4.4): authorizing again is not
  // enough ...
  fed_.MustApply(M(Action::kAuthorize, kEmp2Ocmw).Hco(kHcoOcmw).App("ama-wvg"));
  ExpectChain(false);
  // ... the right is granted again.
  fed_.MustApply(
      M(Action::kGrantRight, kUser3).Hco(kHcoOcmw).Insz(kUser1).App("ama-wvg"));
  ExpectChain(true);
}

TEST_F(CheckTest, RightWithoutAuthorizationDenies) {
  // Through the API condition 5 never fails alone: deauthorizing revokes
  // the rights (above). A database where a right outlived its
  // authorization (foreign keys not enforced by whoever wrote it) must
  // still deny.
  fed_.DeleteRowAndReopen(
      "DELETE FROM authorization WHERE application = 'ama-wvg' AND "
      "subafdeling = (SELECT id FROM subafdeling WHERE hco = ?)",
      kHcoOcmw);
  ExpectChain(false);
  EXPECT_FALSE(Problems().empty());  // verify reports it
  fed_.MustApply(M(Action::kAuthorize, kEmp2Ocmw).Hco(kHcoOcmw).App("ama-wvg"));
  ExpectChain(true);
  EXPECT_TRUE(Problems().empty());
}

// --- 6. the person is a user of the subafdeling -------------------------

TEST_F(CheckTest, RemovedUserIsDeniedAndAddedAgainAllowed) {
  EXPECT_FALSE(Allowed(kUser2));  // never a user
  fed_.MustApply(M(Action::kRemoveUser, kUser3).Hco(kHcoOcmw).Insz(kUser1));
  ExpectChain(false);
  // A user again, but without the right, is still denied.
  fed_.MustApply(M(Action::kAddUser, kUser3).Hco(kHcoOcmw).Insz(kUser1));
  ExpectChain(false);
  fed_.MustApply(
      M(Action::kGrantRight, kUser3).Hco(kHcoOcmw).Insz(kUser1).App("ama-wvg"));
  ExpectChain(true);
  fed_.MustApply(M(Action::kRemoveUser, kUser3).Hco(kHcoOcmw).Insz(kUser1));
  fed_.MustApply(
      M(Action::kAddUser, kUser3).Hco(kHcoOcmw).Insz(kUser1).App("ama-wvg"));
  ExpectChain(true);
}

// --- 7. the person holds the right --------------------------------------

TEST_F(CheckTest, RevokedRightDeniesAndGrantAllows) {
  fed_.MustApply(M(Action::kRevokeRight, kEmpOcmw)
                     .Hco(kHcoOcmw)
                     .Insz(kUser1)
                     .App("ama-wvg"));
  ExpectChain(false);
  // Still a user.
  Status still =
      engine().May(M(Action::kAddUser, kEmpOcmw).Hco(kHcoOcmw).Insz(kUser1));
  EXPECT_EQ(still.code(), code::kAlreadyUser);
  fed_.MustApply(M(Action::kGrantRight, kEmpOcmw)
                     .Hco(kHcoOcmw)
                     .Insz(kUser1)
                     .App("ama-wvg"));
  ExpectChain(true);
}

// --- the decision ---------------------------------------------------------

TEST_F(CheckTest, RevisionIsTheEnginesRevision) {
  const uint64_t before = engine().revision();
  EXPECT_GT(before, 0u);
  EXPECT_EQ(Decide(kUser1).revision, before);
  EXPECT_EQ(Decide(kOutsider).revision, before);  // denied ones too
  CommitInfo info =
      fed_.MustApply(M(Action::kAddUser, kUser3).Hco(kHcoOcmw).Insz(kUser2));
  EXPECT_EQ(info.revision, before + 1);
  EXPECT_EQ(Decide(kUser1).revision, before + 1);
  EXPECT_EQ(Decide(kUser2).revision, before + 1);
  Import("facilities",
         FacilitiesCsvWith("45678,Sociaal Huis Gent,089,0403019261,closed"));
  EXPECT_EQ(Decide(kUser1).revision, before + 2);
  EXPECT_EQ(Decide(kUser1, "ama-wvg", kHcoUnknown).revision, before + 2);
}

TEST_F(CheckTest, FacilitiesListEveryGrantingFacilitySorted) {
  fed_.BuildWzcChain();
  // Created 0012346 first; listed in HCO order.
  EXPECT_EQ(Decide(kUser2).facilities,
            (std::vector<std::string>{kHcoWzc, kHcoWzcOost}));
  EXPECT_EQ(Decide(kUser2, "ama-wvg", kHcoWzcOost).facilities,
            std::vector<std::string>{kHcoWzcOost});
  EXPECT_EQ(Decide(kUser2, "ama-wvg", kHcoWzc).facilities,
            std::vector<std::string>{kHcoWzc});
  EXPECT_EQ(Decide(kUser2, "vipa").facilities,
            std::vector<std::string>{kHcoWzcOost});
  EXPECT_FALSE(Allowed(kUser2, "vipa", kHcoWzc));
  // Across enterprises.
  fed_.MustApply(
      M(Action::kAddUser, kEmpWzc).Hco(kHcoWzc).Insz(kUser1).App("ama-wvg"));
  EXPECT_EQ(Decide(kUser1).facilities,
            (std::vector<std::string>{kHcoWzc, kHcoOcmw}));
  // Losing one leaves the other.
  fed_.MustApply(M(Action::kRevokeRight, kEmpWzc)
                     .Hco(kHcoWzc)
                     .Insz(kUser2)
                     .App("ama-wvg"));
  EXPECT_EQ(Decide(kUser2).facilities, std::vector<std::string>{kHcoWzcOost});
}

TEST_F(CheckTest, ValidUnknownInszIsDenied) {
  for (const char* insz : {kStranger, "00000100195", "98.47.28-997.65"}) {
    Decision d = Decide(insz);
    EXPECT_FALSE(d.allowed) << insz;
    EXPECT_TRUE(d.facilities.empty());
    EXPECT_FALSE(Allowed(insz, "ama-wvg", kHcoOcmw));
  }
  // Known persons without the right.
  for (const char* insz : {kOutsider, kWvOcmw, kEmpOcmw, kEmp2Ocmw, kUser3}) {
    EXPECT_FALSE(Allowed(insz)) << insz;
  }
  // kUser1 in another written form is kUser1.
  EXPECT_TRUE(Allowed("81.05.00-035.52"));
}

TEST_F(CheckTest, InvalidInputIsInvalidInput) {
  struct Case {
    const char* insz;
    const char* app;
    const char* hco;
    std::string_view code;
  };
  for (const Case& c : std::vector<Case>{
           {"12345678901", "ama-wvg", "", code::kInvalidInsz},
           {"81050103521", "ama-wvg", kHcoOcmw, code::kInvalidInsz},
           {"8105000355", "ama-wvg", "", code::kInvalidInsz},
           {kUser1, "ama", "", code::kUnknownApplication},
           {kUser1, "e-loket", kHcoOcmw, code::kUnknownApplication},
           {kUser1, "e-loket AMA", kHcoOcmw, code::kUnknownApplication},
           {kUser1, "ama-wvg", "12a45", code::kInvalidHco},
           {kUser1, "ama-wvg", "1234567890123456", code::kInvalidHco},
           {kUser1, "ama-wvg", "-12345", code::kInvalidHco},
       }) {
    Result<Decision> d = engine().Check(c.insz, c.app, c.hco);
    ASSERT_FALSE(d.ok()) << c.insz << " " << c.app << " " << c.hco;
    EXPECT_EQ(d.status().kind(), Status::Kind::kInvalidInput);
    EXPECT_EQ(d.status().code(), c.code) << d.status().ToString();
    EXPECT_FALSE(d.status().message().empty());
  }
}

TEST_F(CheckTest, ApplicationByNameIsAmaWvg) {
  fed_.BuildWzcChain();
  const std::vector<std::string> by_code = Answers("ama-wvg");
  std::string upper = kAmaWvgName;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char ch) { return std::toupper(ch); });
  std::string lower = kAmaWvgName;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  for (const std::string& name :
       {std::string(kAmaWvgName), upper, lower, std::string("AMA-WVG")}) {
    EXPECT_EQ(Answers(name), by_code) << name;
  }
  EXPECT_NE(Answers("vipa"), by_code);
  EXPECT_TRUE(Allowed(kUser1, upper, kHcoOcmw));
}

TEST_F(CheckTest, VipaAndAmaWvgAreIndependent) {
  EXPECT_FALSE(Allowed(kUser1, "vipa"));
  fed_.MustApply(M(Action::kAuthorize, kEmpOcmw).Hco(kHcoOcmw).App("vipa"));
  EXPECT_FALSE(Allowed(kUser1, "vipa"));  // authorized, not granted
  fed_.MustApply(
      M(Action::kGrantRight, kUser3).Hco(kHcoOcmw).Insz(kUser1).App("vipa"));
  EXPECT_TRUE(Allowed(kUser1, "vipa"));
  EXPECT_TRUE(Allowed(kUser1, "ama-wvg"));
  fed_.MustApply(M(Action::kRevokeRight, kUser3)
                     .Hco(kHcoOcmw)
                     .Insz(kUser1)
                     .App("ama-wvg"));
  EXPECT_FALSE(Allowed(kUser1, "ama-wvg"));
  EXPECT_EQ(Decide(kUser1, "vipa").facilities,
            std::vector<std::string>{kHcoOcmw});
  fed_.MustApply(M(Action::kDeauthorize, kEmpOcmw).Hco(kHcoOcmw).App("vipa"));
  EXPECT_FALSE(Allowed(kUser1, "vipa"));
  // A user with vipa only is not let into ama-wvg.
  fed_.MustApply(M(Action::kAuthorize, kEmpOcmw).Hco(kHcoOcmw).App("vipa"));
  fed_.MustApply(
      M(Action::kAddUser, kUser3).Hco(kHcoOcmw).Insz(kUser2).App("vipa"));
  EXPECT_TRUE(Allowed(kUser2, "vipa", kHcoOcmw));
  EXPECT_FALSE(Allowed(kUser2, "ama-wvg", kHcoOcmw));
}

TEST_F(CheckTest, SameAnswersAfterReopen) {
  fed_.BuildWzcChain();
  fed_.MustApply(M(Action::kAuthorize, kEmpOcmw).Hco(kHcoOcmw).App("vipa"));
  fed_.MustApply(
      M(Action::kAddUser, kUser3).Hco(kHcoOcmw).Insz(kUser2).App("vipa"));
  fed_.MustApply(
      M(Action::kAddUser, kUser3).Hco(kHcoOcmw).Insz(kStranger).App("vipa"));
  fed_.MustApply(M(Action::kRemoveUser, kUser3).Hco(kHcoOcmw).Insz(kStranger));
  Import("facilities",
         FacilitiesCsvWith("0012345,WZC De Linde,034,0428759497,closed"));
  const uint64_t revision = engine().revision();
  const std::vector<std::string> ama = Answers("ama-wvg");
  const std::vector<std::string> vipa = Answers("vipa");
  // The state is not trivial: some allowed, some denied.
  EXPECT_TRUE(std::any_of(ama.begin(), ama.end(), [](const std::string& s) {
    return s.find("yes") != std::string::npos;
  }));
  EXPECT_TRUE(std::any_of(vipa.begin(), vipa.end(), [](const std::string& s) {
    return s.find("yes") != std::string::npos;
  }));
  fed_.Reopen();
  EXPECT_EQ(engine().revision(), revision);
  EXPECT_EQ(Answers("ama-wvg"), ama);
  EXPECT_EQ(Answers("vipa"), vipa);
}

}  // namespace
}  // namespace toegang::testing
