// Explain (SPEC 4.5): every denial reason of the reason table, with and
// without an HCO, in Dutch and English, with its condition, manual section,
// candidate and fixers; the chain of an allowed decision; the choice of the
// closest candidate; agreement with check over the whole cast; and the CLI
// command `toegang explain` (--json and --lang nl text).
//
// Conditions 2 and 3 are made false as in check_test.cc: the row is removed
// from the database file behind the engine's back and the engine reopened.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"
#include "toegang/queries.h"

extern char** environ;

namespace toegang::testing {
namespace {

constexpr const char* kStranger = "01490700185";  // valid, not in the model

using Inszs = std::vector<std::string>;

// The cast's names, from the fixture's persons file.
const std::map<std::string, std::string>& Names() {
  static const std::map<std::string, std::string> names = [] {
    std::map<std::string, std::string> m;
    std::istringstream in(PersonsCsv());
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      const size_t comma = line.find(',');
      m[line.substr(0, comma)] = line.substr(comma + 1);
    }
    return m;
  }();
  return names;
}

std::string NameOf(const std::string& insz) {
  auto it = Names().find(insz);
  return it == Names().end() ? std::string() : it->second;
}

std::string Display(const std::string& insz) {
  Result<Insz> i = Insz::Parse(insz);
  EXPECT_TRUE(i.ok()) << insz;
  return i.ok() ? i->Display() : insz;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Language of a summary: Dutch terms in Dutch, English in English.
void ExpectDutch(const std::string& s) {
  EXPECT_TRUE(Has(s, "hoofdtoegangsbeheerder") || Has(s, "subafdeling") ||
              Has(s, "onderneming"))
      << s;
  EXPECT_TRUE(Has(s, "Handleiding")) << s;
  for (const char* english :
       {"access manager", "Manual", "Condition", "Who can fix", " may ",
        " the ", "facility", "enterprise"}) {
    EXPECT_FALSE(Has(s, english)) << "\"" << english << "\" in: " << s;
  }
}

void ExpectEnglish(const std::string& s) {
  EXPECT_TRUE(Has(s, "Manual")) << s;
  for (const char* dutch :
       {"Handleiding", "Voorwaarde", "Wie dit kan", " mag ", "gebruiker",
        "hoofdtoegangsbeheerder", "wettelijk", "onderneming", "voorziening"}) {
    EXPECT_FALSE(Has(s, dutch)) << "\"" << dutch << "\" in: " << s;
  }
}

struct Denial {
  std::string reason;
  int condition = 0;
  std::string manual;
  std::string kbo;  // candidate
  std::string hco;  // candidate
  Inszs fixers;     // sorted by INSZ
  std::vector<std::string> where_to_ask = {};
};

class ExplainTest : public ::testing::Test {
 protected:
  Engine& engine() { return fed_.engine(); }

  Explanation Explain(const std::string& insz, const std::string& app,
                      const std::string& hco, Lang lang) {
    Result<Explanation> e = engine().Explain(insz, app, hco, lang);
    EXPECT_TRUE(e.ok()) << insz << " " << app << " " << hco << ": "
                        << e.status().ToString();
    if (!e.ok()) return Explanation{};
    EXPECT_EQ(e->revision, engine().revision());
    return e.value();
  }

  // Explains in both languages and checks the denial; returns the two
  // explanations (Dutch first).
  std::pair<Explanation, Explanation> ExpectDenied(const std::string& insz,
                                                   const std::string& app,
                                                   const std::string& hco,
                                                   const Denial& want) {
    SCOPED_TRACE("explain " + insz + " " + app + " hco=" + hco);
    EXPECT_FALSE(fed_.Allowed(insz, app, hco));
    Explanation nl = Explain(insz, app, hco, Lang::kNl);
    Explanation en = Explain(insz, app, hco, Lang::kEn);
    for (const Explanation* e : {&nl, &en}) {
      const bool dutch = e == &nl;
      EXPECT_FALSE(e->allowed);
      EXPECT_TRUE(e->facilities.empty());
      EXPECT_TRUE(e->chain.empty());
      EXPECT_EQ(e->reason, want.reason);
      EXPECT_EQ(e->condition, want.condition);
      EXPECT_EQ(e->manual, want.manual);
      EXPECT_EQ(e->candidate_kbo, want.kbo);
      EXPECT_EQ(e->candidate_hco, want.hco);
      EXPECT_EQ(e->where_to_ask, want.where_to_ask);
      Inszs got;
      for (const PersonRef& p : e->fixers) {
        got.push_back(p.insz);
        EXPECT_EQ(p.name, NameOf(p.insz));
        // The summary names each fixer by name and INSZ.
        EXPECT_TRUE(Has(e->summary, p.name)) << p.name << ": " << e->summary;
        EXPECT_TRUE(Has(e->summary, Display(p.insz)))
            << p.insz << ": " << e->summary;
      }
      EXPECT_EQ(got, want.fixers);
      EXPECT_TRUE(
          Has(e->summary, (dutch ? "Handleiding " : "Manual ") + want.manual))
          << e->summary;
      // The person asked about is named.
      EXPECT_TRUE(Has(e->summary, Display(insz))) << e->summary;
      if (dutch) {
        ExpectDutch(e->summary);
      } else {
        ExpectEnglish(e->summary);
      }
    }
    EXPECT_NE(nl.summary, en.summary);
    return {nl, en};
  }

  // kWzc: kWvWzc appoints kEmpWzc as HTB, who activates the capacity.
  void WzcHtbAndCapacity() {
    fed_.MustApply(M(Action::kAppointHtb, kWvWzc).Kbo(kWzc).Insz(kEmpWzc));
    fed_.MustApply(M(Action::kActivateCapacity, kEmpWzc).Kbo(kWzc));
  }

  void Import(const std::string& what, const std::string& csv) {
    ImportReport report;
    const std::string path =
        fed_.dir().Write("import" + std::to_string(imports_++) + ".csv", csv);
    Status s = what == "facilities"
                   ? engine().ImportFacilities(path, ImportOptions{}, &report)
                   : engine().ImportKbo(path, "", ImportOptions{}, &report);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(report.invalid, 0u);
  }

  TestFederation fed_;
  int imports_ = 0;
};

std::string OcmwStopped() {
  return "\"EnterpriseNumber\",\"Status\",\"JuridicalSituation\","
         "\"TypeOfEnterprise\",\"JuridicalForm\",\"JuridicalFormCAC\","
         "\"StartDate\"\n"
         "\"0403.019.261\",\"ST\",\"000\",\"2\",\"416\",\"\",\"01-01-1977\"\n";
}

// --- 1. enterprise_inactive --------------------------------------------------

TEST_F(ExplainTest, EnterpriseInactiveWithHco) {
  auto [nl, en] = ExpectDenied(
      kOutsider, "ama-wvg", kHcoStopped,
      {"enterprise_inactive", 1, "1.1", kStopped, kHcoStopped, {}});
  for (const Explanation& e : {nl, en}) {
    EXPECT_TRUE(Has(e.summary, "0353.456.320")) << e.summary;
    EXPECT_TRUE(Has(e.summary, "Gestopte vzw")) << e.summary;
    EXPECT_TRUE(Has(e.summary, "02-511 51 51")) << e.summary;
    EXPECT_TRUE(Has(e.summary, "contactcenter@eranova.fgov.be"));
  }
  EXPECT_TRUE(Has(nl.summary, "stopgezet in de KBO")) << nl.summary;
  // ERANOVA with its hours (manual 2.2, 3.8).
  EXPECT_TRUE(Has(nl.summary, "elke werkdag van 7 tot 20u")) << nl.summary;
  EXPECT_TRUE(Has(en.summary, "every working day from 7:00 to 20:00"))
      << en.summary;
  EXPECT_TRUE(nl.login_checklist.empty());
  // Condition 1 comes before condition 4: a closed facility of a stopped
  // enterprise is explained by the enterprise.
  ExpectDenied(
      kOutsider, "ama-wvg", kHcoStoppedClosed,
      {"enterprise_inactive", 1, "1.1", kStopped, kHcoStoppedClosed, {}});
}

TEST_F(ExplainTest, EnterpriseInactiveWithoutHco) {
  fed_.BuildOcmwChain();
  Import("kbo", OcmwStopped());
  const Denial want{"enterprise_inactive", 1, "1.1", kOcmw, kHcoOcmw, {}};
  ExpectDenied(kUser1, "ama-wvg", "", want);
  ExpectDenied(kUser1, "ama-wvg", kHcoOcmw, want);
}

// --- 2. no_htb ---------------------------------------------------------------

TEST_F(ExplainTest, NoHtbWithHco) {
  auto [nl, en] = ExpectDenied(kOutsider, "ama-wvg", kHcoWzc,
                               {"no_htb", 2, "3.2", kWzc, kHcoWzc, {kWvWzc}});
  EXPECT_TRUE(Has(nl.summary, "hoofdtoegangsbeheerder (HTB)")) << nl.summary;
  EXPECT_TRUE(Has(nl.summary, "wettelijk vertegenwoordiger")) << nl.summary;
  EXPECT_TRUE(Has(en.summary, "legal representative")) << en.summary;
  for (const Explanation& e : {nl, en}) {
    EXPECT_TRUE(Has(e.summary, "Woonzorgcentrum De Linde (KBO 0428.759.497)"))
        << e.summary;
    EXPECT_TRUE(Has(e.summary, "HCO 0012345 (WZC De Linde)")) << e.summary;
  }
}

TEST_F(ExplainTest, NoHtbWithoutHco) {
  fed_.BuildOcmwChain();
  fed_.DeleteRowAndReopen("DELETE FROM htb WHERE kbo = ?", kOcmw);
  const Denial want{"no_htb", 2, "3.2", kOcmw, kHcoOcmw, {kWvOcmw}};
  ExpectDenied(kUser1, "ama-wvg", "", want);
  ExpectDenied(kUser1, "ama-wvg", kHcoOcmw, want);
}

// --- 3. capacity_inactive ----------------------------------------------------

TEST_F(ExplainTest, CapacityInactiveWithHco) {
  fed_.MustApply(M(Action::kAppointHtb, kWvWzc).Kbo(kWzc).Insz(kEmpWzc));
  auto [nl, en] =
      ExpectDenied(kOutsider, "ama-wvg", kHcoWzc,
                   {"capacity_inactive", 3, "3.4", kWzc, kHcoWzc, {kEmpWzc}});
  EXPECT_TRUE(Has(nl.summary, "hoedanigheid \"eHealth Gezondheidszorg\""))
      << nl.summary;
  EXPECT_TRUE(Has(en.summary, "\"eHealth Gezondheidszorg\"")) << en.summary;
}

TEST_F(ExplainTest, CapacityInactiveWithoutHco) {
  fed_.BuildOcmwChain();
  fed_.DeleteRowAndReopen("DELETE FROM active_capacity WHERE kbo = ?", kOcmw);
  const Denial want{"capacity_inactive", 3, "3.4", kOcmw, kHcoOcmw, {kEmpOcmw}};
  ExpectDenied(kUser1, "ama-wvg", "", want);
  ExpectDenied(kUser1, "ama-wvg", kHcoOcmw, want);
}

// --- 4. facility_inactive ----------------------------------------------------

TEST_F(ExplainTest, FacilityClosedWithHco) {
  fed_.BuildOcmwChain();
  auto [nl, en] =
      ExpectDenied(kUser1, "ama-wvg", kHcoOcmwClosed,
                   {"facility_inactive", 4, "1.1", kOcmw, kHcoOcmwClosed, {}});
  for (const Explanation& e : {nl, en}) {
    EXPECT_TRUE(Has(e.summary, "CoBRHA")) << e.summary;
    EXPECT_TRUE(Has(e.summary, "HCO 10001 (OCMW Gent Oud)")) << e.summary;
    EXPECT_TRUE(Has(e.summary, "zorgenwerk.zorg@vlaanderen.be"));
  }
  EXPECT_TRUE(Has(nl.summary, "gesloten in CoBRHA")) << nl.summary;
}

TEST_F(ExplainTest, FacilityUnknownInCobrha) {
  fed_.BuildOcmwChain();
  auto [nl, en] =
      ExpectDenied(kUser1, "ama-wvg", kHcoUnknown,
                   {"facility_inactive", 4, "1.1", "", kHcoUnknown, {}});
  for (const Explanation& e : {nl, en}) {
    EXPECT_TRUE(Has(e.summary, "zorgenwerk.zorg@vlaanderen.be")) << e.summary;
    EXPECT_TRUE(Has(e.summary, "HCO 999999")) << e.summary;
  }
  EXPECT_TRUE(Has(nl.summary, "maatwerkbedrijf")) << nl.summary;
}

TEST_F(ExplainTest, FacilityClosedWithoutHco) {
  fed_.BuildOcmwChain();
  Import("facilities",
         "hco,name,type_code,kbo,status\n12345,OCMW Gent,009,0403019261,"
         "closed\n");
  const Denial want{"facility_inactive", 4, "1.1", kOcmw, kHcoOcmw, {}};
  ExpectDenied(kUser1, "ama-wvg", "", want);
  ExpectDenied(kUser1, "ama-wvg", kHcoOcmw, want);
}

// --- no_subafdeling ----------------------------------------------------------

// The enterprise has an HTB and the capacity, but the facility is no
// subafdeling yet: walked from the enterprise down all the same.
TEST_F(ExplainTest, NoSubafdelingYet) {
  WzcHtbAndCapacity();
  auto [nl, en] =
      ExpectDenied(kOutsider, "ama-wvg", kHcoWzc,
                   {"no_subafdeling", 4, "3.6", kWzc, kHcoWzc, {kEmpWzc}});
  EXPECT_TRUE(Has(nl.summary, "nog geen subafdeling")) << nl.summary;
  EXPECT_TRUE(Has(nl.summary, "\"Gezondheidszorg\"")) << nl.summary;
  EXPECT_TRUE(Has(en.summary, "not yet a subafdeling")) << en.summary;
  // With a TB and a co-TB for the domain, they can fix it too.
  fed_.MustApply(M(Action::kSetTb, kEmpWzc).Kbo(kWzc).Insz(kUser2));
  fed_.MustApply(M(Action::kAddCoTb, kEmpWzc).Kbo(kWzc).Insz(kUser3));
  ExpectDenied(
      kOutsider, "ama-wvg", kHcoWzc,
      {"no_subafdeling", 4, "3.6", kWzc, kHcoWzc, {kEmpWzc, kUser2, kUser3}});
  // A subafdeling of the other facility does not count for this one.
  fed_.MustApply(M(Action::kCreateSubafdeling, kUser2)
                     .Kbo(kWzc)
                     .Hco(kHcoWzcOost)
                     .Email("oost@delinde.be")
                     .App("ama-wvg"));
  ExpectDenied(
      kOutsider, "ama-wvg", kHcoWzc,
      {"no_subafdeling", 4, "3.6", kWzc, kHcoWzc, {kEmpWzc, kUser2, kUser3}});
}

// An OCMW is told which of its facilities can carry ama-wvg.
TEST_F(ExplainTest, NoSubafdelingAtAnOcmwNamesTheRightFacility) {
  fed_.BuildOcmwChain();
  auto [nl, en] = ExpectDenied(kUser1, "ama-wvg", kHcoSociaalHuis,
                               {"no_subafdeling",
                                4,
                                "3.6",
                                kOcmw,
                                kHcoSociaalHuis,
                                {kEmp2Ocmw, kEmpOcmw}});
  for (const Explanation& e : {nl, en}) {
    EXPECT_TRUE(Has(e.summary, "OCMW")) << e.summary;
    EXPECT_TRUE(Has(e.summary, "009")) << e.summary;
    EXPECT_TRUE(Has(e.summary, "HCO 12345 (OCMW Gent)")) << e.summary;
  }
}

// --- 5. application_not_authorized -------------------------------------------

TEST_F(ExplainTest, ApplicationNotAuthorized) {
  fed_.BuildOcmwChain();
  const Denial want{"application_not_authorized", 5, "3.6", kOcmw, kHcoOcmw,
                    {kEmp2Ocmw, kEmpOcmw}};
  auto [nl, en] = ExpectDenied(kUser1, "vipa", "", want);
  EXPECT_TRUE(Has(nl.summary, "niet geautoriseerd")) << nl.summary;
  EXPECT_TRUE(Has(en.summary, "Vlaams infrastructuurfonds")) << en.summary;
  ExpectDenied(kUser1, "vipa", kHcoOcmw, want);
}

// --- 6. not_a_user -----------------------------------------------------------

TEST_F(ExplainTest, NotAUserWithHco) {
  fed_.BuildOcmwChain();
  const Denial want{"not_a_user", 6,        "3.7",
                    kOcmw,        kHcoOcmw, {kEmp2Ocmw, kEmpOcmw, kUser3}};
  auto [nl, en] = ExpectDenied(kUser2, "ama-wvg", kHcoOcmw, want);
  EXPECT_TRUE(Has(nl.summary, "subafdelingsbeheerder")) << nl.summary;
  EXPECT_TRUE(Has(nl.summary, "geen gebruiker")) << nl.summary;
  // A valid INSZ the model does not know at all.
  ExpectDenied(kStranger, "ama-wvg", kHcoOcmw, want);
}

TEST_F(ExplainTest, NotAUserAnywhereAndTiedToNothing) {
  fed_.BuildOcmwChain();
  auto [nl, en] = ExpectDenied(kOutsider, "ama-wvg", "",
                               {"not_a_user", 6, "3.7", "", "", {}});
  EXPECT_TRUE(Has(nl.summary, "geen enkele subafdeling")) << nl.summary;
  EXPECT_TRUE(Has(nl.summary, "ERANOVA")) << nl.summary;
  ExpectDenied(kStranger, "ama-wvg", "", {"not_a_user", 6, "3.7", "", "", {}});
}

// A user nowhere who works somewhere: that enterprise is where to ask, its
// HTB (once there is one) who can fix it.
TEST_F(ExplainTest, NotAUserAnywhereButEmployeeNamesWhereToAsk) {
  auto [nl, en] = ExpectDenied(kEmpWzc, "ama-wvg", "",
                               {"not_a_user", 6, "3.7", "", "", {}, {kWzc}});
  for (const Explanation& e : {nl, en}) {
    EXPECT_TRUE(Has(e.summary, "Woonzorgcentrum De Linde (KBO 0428.759.497)"))
        << e.summary;
  }
  EXPECT_TRUE(Has(nl.summary, "Waar vragen")) << nl.summary;
  EXPECT_TRUE(Has(en.summary, "Where to ask")) << en.summary;
  // The WV appoints themself HTB: now the HTB can fix it.
  fed_.MustApply(M(Action::kAppointHtb, kWvWzc).Kbo(kWzc).Insz(kWvWzc));
  ExpectDenied(kEmpWzc, "ama-wvg", "",
               {"not_a_user", 6, "3.7", "", "", {kWvWzc}, {kWzc}});
  // A subafdeling manager and a TB are tied to their enterprise too.
  fed_.BuildOcmwChain();
  ExpectDenied(kUser3, "ama-wvg", "",
               {"not_a_user", 6, "3.7", "", "", {kEmpOcmw}, {kOcmw}});
  ExpectDenied(kEmp2Ocmw, "ama-wvg", "",
               {"not_a_user", 6, "3.7", "", "", {kEmpOcmw}, {kOcmw}});
  // Tied to two enterprises: both, in KBO order, and both HTBs.
  fed_.MustApply(M(Action::kActivateCapacity, kWvWzc).Kbo(kWzc));
  fed_.MustApply(M(Action::kSetTb, kWvWzc).Kbo(kWzc).Insz(kUser3));
  ExpectDenied(
      kUser3, "ama-wvg", "",
      {"not_a_user", 6, "3.7", "", "", {kEmpOcmw, kWvWzc}, {kOcmw, kWzc}});
}

// --- 7. right_missing --------------------------------------------------------

TEST_F(ExplainTest, RightMissing) {
  fed_.BuildOcmwChain();
  fed_.MustApply(M(Action::kRevokeRight, kEmpOcmw)
                     .Hco(kHcoOcmw)
                     .Insz(kUser1)
                     .App("ama-wvg"));
  const Denial want{"right_missing", 7,        "3.7",
                    kOcmw,           kHcoOcmw, {kEmp2Ocmw, kEmpOcmw, kUser3}};
  auto [nl, en] = ExpectDenied(kUser1, "ama-wvg", "", want);
  EXPECT_TRUE(Has(nl.summary, "recht")) << nl.summary;
  EXPECT_TRUE(Has(en.summary, "right")) << en.summary;
  ExpectDenied(kUser1, "ama-wvg", kHcoOcmw, want);
}

// --- the closest candidate ---------------------------------------------------

// kUser2 is a user at two subafdelingen: at 0012345 it is not authorized
// for ama-wvg (condition 5), at 12345 the right is missing (condition 7).
// The deeper failure wins, although 0012345 sorts first.
TEST_F(ExplainTest, ClosestCandidateIsTheDeepestFailure) {
  fed_.BuildOcmwChain();
  WzcHtbAndCapacity();
  fed_.MustApply(M(Action::kCreateSubafdeling, kEmpWzc)
                     .Kbo(kWzc)
                     .Hco(kHcoWzc)
                     .Email("linde@delinde.be")
                     .App("vipa"));
  fed_.MustApply(
      M(Action::kAddUser, kEmpWzc).Hco(kHcoWzc).Insz(kUser2).App("vipa"));
  fed_.MustApply(M(Action::kAddUser, kUser3).Hco(kHcoOcmw).Insz(kUser2));
  ExpectDenied(kUser2, "ama-wvg", "",
               {"right_missing",
                7,
                "3.7",
                kOcmw,
                kHcoOcmw,
                {kEmp2Ocmw, kEmpOcmw, kUser3}});
  // Asked through one facility, that one is the candidate.
  ExpectDenied(
      kUser2, "ama-wvg", kHcoWzc,
      {"application_not_authorized", 5, "3.6", kWzc, kHcoWzc, {kEmpWzc}});
  // Both failing at condition 7: the lowest HCO.
  fed_.MustApply(M(Action::kAuthorize, kEmpWzc).Hco(kHcoWzc).App("ama-wvg"));
  ExpectDenied(kUser2, "ama-wvg", "",
               {"right_missing", 7, "3.7", kWzc, kHcoWzc, {kEmpWzc}});
  // A closed facility (condition 4) loses against the missing right.
  Import("facilities",
         "hco,name,type_code,kbo,status\n12345,OCMW Gent,009,0403019261,"
         "closed\n");
  ExpectDenied(kUser2, "ama-wvg", "",
               {"right_missing", 7, "3.7", kWzc, kHcoWzc, {kEmpWzc}});
  fed_.MustApply(
      M(Action::kRevokeRight, kEmpWzc).Hco(kHcoWzc).Insz(kUser2).App("vipa"));
  fed_.MustApply(M(Action::kDeauthorize, kEmpWzc).Hco(kHcoWzc).App("ama-wvg"));
  ExpectDenied(
      kUser2, "ama-wvg", "",
      {"application_not_authorized", 5, "3.6", kWzc, kHcoWzc, {kEmpWzc}});
}

// --- allowed: the chain ------------------------------------------------------

std::vector<std::string> Steps(const Explanation& e) {
  std::vector<std::string> out;
  for (const ChainLink& l : e.chain) out.push_back(l.step);
  return out;
}

// "2026-11-28T17:41:53Z".
bool IsIsoUtc(const std::string& s) {
  const std::string shape = "dddd-dd-ddTdd:dd:ddZ";
  if (s.size() != shape.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool ok =
        shape[i] == 'd' ? (s[i] >= '0' && s[i] <= '9') : s[i] == shape[i];
    if (!ok) return false;
  }
  return true;
}

void ExpectPerson(const std::optional<PersonRef>& p, const std::string& insz,
                  const std::string& what) {
  ASSERT_TRUE(p.has_value()) << what;
  EXPECT_EQ(p->insz, insz) << what;
  EXPECT_EQ(p->name, NameOf(insz)) << what;
}

TEST_F(ExplainTest, AllowedChainOfTheManualsProcedure) {
  fed_.BuildOcmwChain();
  for (Lang lang : {Lang::kNl, Lang::kEn}) {
    const Explanation e = Explain(kUser1, "ama-wvg", "", lang);
    ASSERT_TRUE(e.allowed);
    EXPECT_EQ(e.facilities, std::vector<std::string>{kHcoOcmw});
    EXPECT_TRUE(e.reason.empty());
    EXPECT_EQ(e.condition, 0);
    EXPECT_TRUE(e.fixers.empty());
    ASSERT_EQ(Steps(e),
              (std::vector<std::string>{"wv", "htb", "tb", "subafdeling",
                                        "user", "right"}));
    const std::vector<ChainLink>& c = e.chain;
    ExpectPerson(c[0].person, kWvOcmw, "wv");
    EXPECT_FALSE(c[0].made_by.has_value());  // the KBO
    EXPECT_EQ(c[0].revision, 0u);
    ExpectPerson(c[1].person, kEmpOcmw, "htb");
    ExpectPerson(c[1].made_by, kWvOcmw, "htb appointed by the WV");
    ExpectPerson(c[2].person, kEmp2Ocmw, "tb");
    ExpectPerson(c[2].made_by, kEmpOcmw, "tb appointed by the HTB");
    EXPECT_FALSE(c[3].person.has_value());
    ExpectPerson(c[3].made_by, kEmp2Ocmw, "subafdeling created by the TB");
    ExpectPerson(c[4].person, kUser1, "user");
    ExpectPerson(c[4].made_by, kEmp2Ocmw, "user added by the TB");
    EXPECT_FALSE(c[5].person.has_value());
    ExpectPerson(c[5].made_by, kEmp2Ocmw, "right granted by the TB");
    // Revisions in the order the links were made; ISO-8601 UTC times.
    for (size_t i = 1; i < c.size(); ++i) {
      EXPECT_GT(c[i].revision, 0u) << c[i].step;
      EXPECT_TRUE(IsIsoUtc(c[i].at)) << c[i].at;
      if (i > 1) {
        EXPECT_GE(c[i].revision, c[i - 1].revision) << c[i].step;
      }
    }
    EXPECT_LT(c[1].revision, c[2].revision);
    EXPECT_LT(c[3].revision, c[4].revision);
    EXPECT_EQ(c[4].revision, c[5].revision);  // user add --right: one commit
    for (const ChainLink& l : c) EXPECT_FALSE(l.text.empty()) << l.step;
    if (lang == Lang::kNl) {
      EXPECT_TRUE(Has(c[1].text, "hoofdtoegangsbeheerder")) << c[1].text;
      EXPECT_TRUE(Has(c[2].text, "toegangsbeheerder (TB)")) << c[2].text;
      EXPECT_TRUE(Has(c[4].text, "gebruiker")) << c[4].text;
      EXPECT_TRUE(Has(e.summary, "mag de toepassing")) << e.summary;
    } else {
      EXPECT_TRUE(Has(c[1].text, "main access manager")) << c[1].text;
      EXPECT_TRUE(Has(c[4].text, "user")) << c[4].text;
      EXPECT_TRUE(Has(e.summary, "may use")) << e.summary;
    }
    EXPECT_TRUE(Has(c[3].text, "HCO 12345 (OCMW Gent)")) << c[3].text;
    EXPECT_TRUE(Has(c[1].text, Display(kWvOcmw))) << c[1].text;
    EXPECT_TRUE(Has(e.summary, "HCO 12345")) << e.summary;
  }
  // Through the facility asked for.
  const Explanation at = Explain(kUser1, "ama-wvg", kHcoOcmw, Lang::kEn);
  ASSERT_TRUE(at.allowed);
  EXPECT_EQ(Steps(at).size(), 6u);
}

// An allowed answer ends with what to check when the chain is complete but
// logging in still fails (manual 1.3, 2.2, 3.8), with the person's own
// enterprise and HCO numbers filled in.
TEST_F(ExplainTest, AllowedEndsWithTheManualsLoginChecklist) {
  fed_.BuildOcmwChain();
  const Explanation nl = Explain(kUser1, "ama-wvg", "", Lang::kNl);
  const Explanation en = Explain(kUser1, "ama-wvg", "", Lang::kEn);
  ASSERT_TRUE(nl.allowed);
  ASSERT_EQ(nl.login_checklist.size(), 4u);
  ASSERT_EQ(en.login_checklist.size(), 4u);
  EXPECT_TRUE(Has(nl.login_checklist[0], "Google Chrome"));
  EXPECT_TRUE(Has(nl.login_checklist[1], "itsme"));
  EXPECT_TRUE(Has(nl.login_checklist[1], "www.csam.be"));
  EXPECT_TRUE(Has(nl.login_checklist[2], "https://www.werkzorg.vlaanderen.be"));
  for (const Explanation& e : {nl, en}) {
    const std::string& last = e.login_checklist[3];
    EXPECT_TRUE(Has(last, "02-511 51 51")) << last;
    EXPECT_TRUE(Has(last, "contactcenter@eranova.fgov.be")) << last;
    EXPECT_TRUE(Has(last, "0403.019.261")) << last;  // the OCMW's number
    EXPECT_TRUE(Has(last, kHcoOcmw)) << last;
  }
  EXPECT_TRUE(Has(nl.login_checklist[3], "elke werkdag van 7 tot 20u"));
  EXPECT_TRUE(
      Has(en.login_checklist[3], "every working day from 7:00 to 20:00"));
  EXPECT_TRUE(Has(en.login_checklist[0], "Use Google Chrome"));
  // Denied: no checklist (the chain is not complete).
  EXPECT_TRUE(
      Explain(kUser2, "ama-wvg", "", Lang::kEn).login_checklist.empty());
}

// Without a TB the HTB is TB of every domain (manual 3.3.2); a co-TB who
// built the subafdeling and added the user appears in the chain.
TEST_F(ExplainTest, AllowedChainWithHtbAsTbAndCoTb) {
  WzcHtbAndCapacity();
  fed_.MustApply(M(Action::kAddCoTb, kEmpWzc).Kbo(kWzc).Insz(kUser3));
  fed_.MustApply(M(Action::kCreateSubafdeling, kUser3)
                     .Kbo(kWzc)
                     .Hco(kHcoWzc)
                     .Email("linde@delinde.be")
                     .App("ama-wvg"));
  fed_.MustApply(
      M(Action::kAddUser, kUser3).Hco(kHcoWzc).Insz(kUser2).App("ama-wvg"));
  for (Lang lang : {Lang::kNl, Lang::kEn}) {
    const Explanation e = Explain(kUser2, "ama-wvg", "", lang);
    ASSERT_TRUE(e.allowed);
    ASSERT_EQ(Steps(e),
              (std::vector<std::string>{"wv", "htb", "tb", "co_tb",
                                        "subafdeling", "user", "right"}));
    ExpectPerson(e.chain[0].person, kWvWzc, "wv");
    ExpectPerson(e.chain[1].made_by, kWvWzc, "htb appointed by the WV");
    ExpectPerson(e.chain[2].person, kEmpWzc, "the HTB acts as TB");
    EXPECT_FALSE(e.chain[2].made_by.has_value());
    EXPECT_TRUE(Has(e.chain[2].text, "3.3.2")) << e.chain[2].text;
    ExpectPerson(e.chain[3].person, kUser3, "co-TB");
    ExpectPerson(e.chain[3].made_by, kEmpWzc, "co-TB appointed by the HTB");
    ExpectPerson(e.chain[4].made_by, kUser3, "subafdeling by the co-TB");
    ExpectPerson(e.chain[5].made_by, kUser3, "user added by the co-TB");
  }
}

// An HTB appointed by a WV who is no longer one: no WV link.
TEST_F(ExplainTest, AllowedChainWithoutWvWhenTheAppointerIsNoWv) {
  fed_.BuildOcmwChain();
  fed_.DeleteRowAndReopen(
      "DELETE FROM function WHERE kbo = ? AND role = 'legal_representative'",
      kOcmw);
  const Explanation e = Explain(kUser1, "ama-wvg", "", Lang::kEn);
  ASSERT_TRUE(e.allowed);
  EXPECT_EQ(Steps(e), (std::vector<std::string>{"htb", "tb", "subafdeling",
                                                "user", "right"}));
  ExpectPerson(e.chain[0].made_by, kWvOcmw, "htb still made by");
}

// --- explain agrees with check -----------------------------------------------

TEST_F(ExplainTest, AgreesWithCheckOverTheWholeCast) {
  fed_.BuildOcmwChain();
  WzcHtbAndCapacity();
  fed_.MustApply(M(Action::kCreateSubafdeling, kEmpWzc)
                     .Kbo(kWzc)
                     .Hco(kHcoWzcOost)
                     .Email("oost@delinde.be")
                     .App("ama-wvg")
                     .App("vipa"));
  fed_.MustApply(M(Action::kCreateSubafdeling, kEmpWzc)
                     .Kbo(kWzc)
                     .Hco(kHcoWzc)
                     .Email("linde@delinde.be")
                     .App("ama-wvg"));
  fed_.MustApply(M(Action::kAddUser, kEmpWzc)
                     .Hco(kHcoWzcOost)
                     .Insz(kUser2)
                     .App("ama-wvg")
                     .App("vipa"));
  fed_.MustApply(
      M(Action::kAddUser, kEmpWzc).Hco(kHcoWzc).Insz(kUser2).App("ama-wvg"));
  fed_.MustApply(M(Action::kAddUser, kEmpWzc).Hco(kHcoWzc).Insz(kUser1));
  fed_.MustApply(M(Action::kAddUser, kUser3).Hco(kHcoOcmw).Insz(kEmpWzc));
  Import("facilities",
         "hco,name,type_code,kbo,status\n0012346,WZC De Linde Oost,034,"
         "0428759497,closed\n");
  const std::vector<std::string> persons = {
      kWvOcmw,  kEmpOcmw, kEmp2Ocmw, kWvWzc, kEmpWzc,   kWvStopped,
      kWvOther, kUser1,   kUser2,    kUser3, kOutsider, kStranger};
  const std::vector<std::string> hcos = {
      "",        kHcoOcmw,    kHcoSociaalHuis,   kHcoOcmwClosed,
      kHcoWzc,   kHcoWzcOost, kHcoStoppedClosed, kHcoStopped,
      kHcoOther, kHcoUnknown};
  const std::vector<std::string> reasons = {
      "enterprise_inactive", "no_htb",         "capacity_inactive",
      "facility_inactive",   "no_subafdeling", "application_not_authorized",
      "not_a_user",          "right_missing"};
  size_t allowed = 0, denied = 0;
  std::map<std::string, int> seen;
  for (const char* app : {"ama-wvg", "vipa"}) {
    for (const std::string& p : persons) {
      for (const std::string& hco : hcos) {
        SCOPED_TRACE(::testing::Message() << p << " " << app << " hco=" << hco);
        Result<Decision> d = engine().Check(p, app, hco);
        ASSERT_TRUE(d.ok());
        const Explanation e = Explain(p, app, hco, Lang::kEn);
        ASSERT_EQ(e.allowed, d->allowed);
        EXPECT_EQ(e.facilities, d->facilities);
        EXPECT_EQ(e.revision, d->revision);
        EXPECT_FALSE(e.summary.empty());
        if (e.allowed) {
          ++allowed;
          EXPECT_TRUE(e.reason.empty());
          ASSERT_FALSE(e.chain.empty());
          EXPECT_EQ(e.chain.back().step, "right");
          ExpectPerson(e.chain[e.chain.size() - 2].person, p, "user");
          continue;
        }
        ++denied;
        ++seen[e.reason];
        EXPECT_NE(std::find(reasons.begin(), reasons.end(), e.reason),
                  reasons.end())
            << e.reason;
        EXPECT_GE(e.condition, 1);
        EXPECT_LE(e.condition, 7);
        EXPECT_FALSE(e.manual.empty());
        EXPECT_TRUE(e.chain.empty());
        EXPECT_TRUE(e.candidate_kbo.empty() || e.candidate_kbo.size() == 10u);
        if (!hco.empty()) {
          EXPECT_EQ(e.candidate_hco, hco);
        }
        if (!e.where_to_ask.empty()) {
          EXPECT_TRUE(hco.empty());
          EXPECT_EQ(e.reason, "not_a_user");
        }
        for (size_t i = 1; i < e.fixers.size(); ++i) {
          EXPECT_LT(e.fixers[i - 1].insz, e.fixers[i].insz);
        }
        // The Dutch explanation reaches the same verdict.
        const Explanation nl = Explain(p, app, hco, Lang::kNl);
        EXPECT_EQ(nl.reason, e.reason);
        EXPECT_EQ(nl.candidate_hco, e.candidate_hco);
        EXPECT_EQ(nl.fixers.size(), e.fixers.size());
      }
    }
  }
  // The state is not trivial: both answers and most reasons occur.
  EXPECT_GT(allowed, 0u);
  EXPECT_GT(denied, 0u);
  // (capacity_inactive needs a fourth active enterprise; tested above.)
  for (const char* r :
       {"enterprise_inactive", "no_htb", "facility_inactive", "no_subafdeling",
        "application_not_authorized", "not_a_user", "right_missing"}) {
    EXPECT_GT(seen[r], 0) << r;
  }
}

TEST_F(ExplainTest, InvalidInputIsInvalidInput) {
  struct Case {
    const char* insz;
    const char* app;
    const char* hco;
    std::string_view code;
  };
  for (const Case& c : std::vector<Case>{
           {"12345678901", "ama-wvg", "", code::kInvalidInsz},
           {kUser1, "ama", "", code::kUnknownApplication},
           {kUser1, "ama-wvg", "12a45", code::kInvalidHco},
       }) {
    Result<Explanation> e = engine().Explain(c.insz, c.app, c.hco, Lang::kNl);
    ASSERT_FALSE(e.ok()) << c.insz << " " << c.app << " " << c.hco;
    EXPECT_EQ(e.status().kind(), Status::Kind::kInvalidInput);
    EXPECT_EQ(e.status().code(), c.code);
  }
}

// --- the CLI -----------------------------------------------------------------

struct ExplainRun {
  int exit = -1;
  std::string out;
};

// Runs the toegang binary with args; stdout is captured in a file of dir,
// stderr discarded.
ExplainRun Toegang(const TempDir& dir, std::vector<std::string> args) {
  static int n = 0;
  const std::string out_path = dir.File("explain-out" + std::to_string(n++));
  args.insert(args.begin(), TOEGANG_CLI_PATH);
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&files, STDERR_FILENO, "/dev/null", O_WRONLY,
                                   0);
  pid_t pid = 0;
  ExplainRun run;
  const int rc =
      posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  if (rc != 0) {
    ADD_FAILURE() << "spawn " << TOEGANG_CLI_PATH << ": error " << rc;
    return run;
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  run.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  run.out = ReadFile(out_path);
  return run;
}

nlohmann::json Object(const ExplainRun& r) {
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_TRUE(j.is_object()) << r.out;
  return j.is_object() ? j : nlohmann::json::object();
}

TEST_F(ExplainTest, CliJsonAllowedAndDenied) {
  fed_.BuildOcmwChain();
  const std::string db = fed_.db_path();
  ExplainRun r = Toegang(fed_.dir(), {"--db", db, "--json", "explain", "--insz",
                                      kUser1, "--app", "ama-wvg"});
  EXPECT_EQ(r.exit, 0) << r.out;
  nlohmann::json j = Object(r);
  for (const char* key :
       {"allowed", "revision", "facilities", "chain", "login_checklist",
        "reason", "condition", "manual", "candidate_kbo", "candidate_hco",
        "fixers", "where_to_ask", "summary"}) {
    EXPECT_TRUE(j.contains(key)) << key << ": " << r.out;
  }
  EXPECT_EQ(j["allowed"], true);
  EXPECT_EQ(j["revision"], engine().revision());
  EXPECT_EQ(j["facilities"], nlohmann::json::array({kHcoOcmw}));
  ASSERT_TRUE(j["chain"].is_array());
  ASSERT_EQ(j["chain"].size(), 6u) << r.out;
  EXPECT_EQ(j["chain"][1]["step"], "htb");
  EXPECT_EQ(j["chain"][1]["person"]["insz"], kEmpOcmw);
  EXPECT_EQ(j["chain"][1]["person"]["name"], "Hilde Bosmans");
  EXPECT_EQ(j["chain"][1]["made_by"]["insz"], kWvOcmw);
  EXPECT_TRUE(j["chain"][1]["revision"].is_number());
  EXPECT_TRUE(j["chain"][1]["at"].is_string());
  EXPECT_TRUE(j["chain"][3]["person"].is_null());
  EXPECT_EQ(j["chain"][4]["made_by"]["insz"], kEmp2Ocmw);
  EXPECT_EQ(j["reason"], "");
  EXPECT_TRUE(j["fixers"].empty());

  r = Toegang(fed_.dir(),
              {"--db", db, "--json", "--lang", "nl", "explain", "--insz",
               kUser2, "--app", "ama-wvg", "--hco", kHcoOcmw});
  EXPECT_EQ(r.exit, 1) << r.out;
  j = Object(r);
  EXPECT_EQ(j["allowed"], false);
  EXPECT_EQ(j["reason"], "not_a_user");
  EXPECT_EQ(j["condition"], 6);
  EXPECT_EQ(j["manual"], "3.7");
  EXPECT_EQ(j["candidate_kbo"], kOcmw);
  EXPECT_EQ(j["candidate_hco"], kHcoOcmw);
  ASSERT_EQ(j["fixers"].size(), 3u) << r.out;
  EXPECT_EQ(j["fixers"][0]["insz"], kEmp2Ocmw);
  EXPECT_EQ(j["fixers"][0]["name"], "Tom Claes");
  EXPECT_EQ(j["fixers"][1]["insz"], kEmpOcmw);
  EXPECT_EQ(j["fixers"][2]["insz"], kUser3);
  // The same fixers by role, the one closest to the person first, each
  // with the contact data the model holds for that role.
  ASSERT_GE(j["fixer_roles"].size(), 3u) << r.out;
  const std::vector<std::string> order = {"manager", "co_tb", "tb", "htb",
                                          "wv"};
  std::vector<size_t> ranks;
  for (const auto& f : j["fixer_roles"]) {
    ranks.push_back(static_cast<size_t>(
        std::find(order.begin(), order.end(), f["role"].get<std::string>()) -
        order.begin()));
  }
  EXPECT_TRUE(std::is_sorted(ranks.begin(), ranks.end())) << r.out;
  EXPECT_EQ(ranks.front(), 0u) << "the manager acts first: " << r.out;
  for (const auto& f : j["fixer_roles"]) {
    EXPECT_EQ(f["kbo"], kOcmw) << f;
    if (f["role"] == "htb") {
      EXPECT_EQ(f["person"]["insz"], kEmpOcmw) << f;
      EXPECT_FALSE(f["email"].get<std::string>().empty()) << f;
    }
    if (f["role"] == "manager") {
      EXPECT_EQ(f["hco"], kHcoOcmw) << f;
      EXPECT_FALSE(f["email"].get<std::string>().empty()) << f;
    }
  }
  EXPECT_TRUE(j["chain"].empty());
  EXPECT_TRUE(Has(j["summary"].get<std::string>(), "Handleiding 3.7"));

  // Where to ask, as KBO numbers.
  r = Toegang(fed_.dir(), {"--db", db, "--json", "explain", "--insz", kEmpWzc,
                           "--app", "ama-wvg"});
  EXPECT_EQ(r.exit, 1) << r.out;
  EXPECT_EQ(Object(r)["where_to_ask"], nlohmann::json::array({kWzc}));
}

TEST_F(ExplainTest, CliDutchText) {
  fed_.BuildOcmwChain();
  const std::string db = fed_.db_path();
  ExplainRun r =
      Toegang(fed_.dir(), {"--db", db, "--lang", "nl", "explain", "--insz",
                           kUser2, "--app", "ama-wvg", "--hco", kHcoOcmw});
  EXPECT_EQ(r.exit, 1) << r.out;
  for (const std::string& part :
       {std::string("Voorwaarde 6 faalt"), std::string("Handleiding 3.7"),
        std::string("Reden: not_a_user (voorwaarde 6, handleiding 3.7)"),
        std::string("Kandidaat: KBO 0403.019.261, HCO 12345"),
        std::string("Wie kan het oplossen:"),
        "Tom Claes (" + Display(kEmp2Ocmw) + ")",
        "Hilde Bosmans (" + Display(kEmpOcmw) + ")",
        "Els Van den Broeck (" + Display(kUser3) + ")"}) {
    EXPECT_TRUE(Has(r.out, part)) << part << "\n" << r.out;
  }
  EXPECT_FALSE(Has(r.out, "Who can fix")) << r.out;
  // Each fixer with the role, where and how to reach them, who should act
  // first first: the subafdeling's manager, then the TB, then the HTB.
  const std::string manager = "  Els Van den Broeck (" + Display(kUser3) +
                              "): subafdelingsbeheerder van HCO 12345, "
                              "toegang@ocmw.gent\n";
  const std::string tb =
      "  Tom Claes (" + Display(kEmp2Ocmw) + "): TB van KBO 0403.019.261\n";
  const std::string htb = "  Hilde Bosmans (" + Display(kEmpOcmw) +
                          "): HTB van KBO 0403.019.261, htb@ocmw.gent, "
                          "+32 9 266 99 00\n";
  ASSERT_TRUE(Has(r.out, manager)) << r.out;
  ASSERT_TRUE(Has(r.out, tb)) << r.out;
  ASSERT_TRUE(Has(r.out, htb)) << r.out;
  EXPECT_LT(r.out.find(manager), r.out.find(tb)) << r.out;
  EXPECT_LT(r.out.find(tb), r.out.find(htb)) << r.out;

  r = Toegang(fed_.dir(), {"--db", db, "--lang", "nl", "explain", "--insz",
                           kUser1, "--app", "ama-wvg"});
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_TRUE(Has(r.out, "Keten:")) << r.out;
  EXPECT_TRUE(Has(r.out, "hoofdtoegangsbeheerder (HTB)")) << r.out;

  r = Toegang(fed_.dir(),
              {"--db", db, "explain", "--insz", kUser1, "--app", "ama-wvg"});
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_TRUE(Has(r.out, "Chain:")) << r.out;
  EXPECT_TRUE(Has(r.out, "main access manager (HTB)")) << r.out;
}

TEST_F(ExplainTest, CliPrintsTheLoginChecklistAfterTheChain) {
  fed_.BuildOcmwChain();
  const std::string db = fed_.db_path();
  ExplainRun r = Toegang(fed_.dir(), {"--db", db, "--lang", "nl", "explain",
                                      "--insz", kUser1, "--app", "ama-wvg"});
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_TRUE(Has(r.out,
                  "Lukt het aanmelden toch niet?\n  - Gebruik Google "
                  "Chrome"))
      << r.out;
  r = Toegang(fed_.dir(), {"--db", db, "--json", "explain", "--insz", kUser1,
                           "--app", "ama-wvg"});
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_EQ(Object(r)["login_checklist"].size(), 4u) << r.out;
}

TEST_F(ExplainTest, CliInvalidInputExits2) {
  const std::string db = fed_.db_path();
  ExplainRun r = Toegang(fed_.dir(), {"--db", db, "--json", "explain", "--insz",
                                      "12345678901", "--app", "ama-wvg"});
  EXPECT_EQ(r.exit, 2) << r.out;
  EXPECT_EQ(Object(r)["error"], "invalid_insz");
  r = Toegang(fed_.dir(), {"--db", db, "--json", "explain", "--insz", kUser1});
  EXPECT_EQ(r.exit, 2) << r.out;
  EXPECT_EQ(Object(r)["error"], "usage");
  r = Toegang(fed_.dir(), {"--db", db, "--json", "explain", "--insz", kUser1,
                           "--app", "ama-wvg", "--hco", "12a45"});
  EXPECT_EQ(r.exit, 2) << r.out;
  EXPECT_EQ(Object(r)["error"], "invalid_hco");
}

}  // namespace
}  // namespace toegang::testing
