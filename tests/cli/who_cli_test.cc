// `toegang who --insz` and `who --hco` (tools/cli/who_command.cc): the
// person's and the facility's cards, as text and as JSON, and their
// errors; `who --kbo` stays as it was.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/cli_runner.h"
#include "support/test_federation.h"

namespace toegang::testing {
namespace {

class WhoCliTest : public ::testing::Test {
 protected:
  WhoCliTest() {
    fed_.BuildOcmwChain();
    fed_.Close();  // the CLI opens the database itself
  }

  CliRun Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", fed_.db_path()});
    return Spawn(args, fed_.dir().path(), std::nullopt);
  }
  json Json(std::vector<std::string> args, int exit = 0) {
    args.insert(args.begin(), "--json");
    CliRun r = Run(args);
    EXPECT_EQ(r.exit, exit) << Describe(r);
    return OneObject(r);
  }

  static const json* Decision(const json& card, const std::string& app) {
    for (const json& d : card["decisions"]) {
      if (d["app"] == app) return &d;
    }
    return nullptr;
  }

  TestFederation fed_;
};

TEST_F(WhoCliTest, PersonCardShowsRolesMembershipsAndDecisions) {
  // The TB: an employee of the OCMW, appointed TB by the HTB.
  json j = Json({"who", "--insz", kEmp2Ocmw});
  EXPECT_EQ(j["person"]["insz"], kEmp2Ocmw);
  EXPECT_EQ(j["person"]["name"], "Tom Claes");
  EXPECT_EQ(j["known"], true);
  ASSERT_EQ(j["functions"].size(), 1u) << j;
  EXPECT_EQ(j["functions"][0]["kind"], "employee");
  EXPECT_EQ(j["functions"][0]["enterprise"]["kbo"], kOcmw);
  ASSERT_EQ(j["roles"].size(), 1u) << j;
  EXPECT_EQ(j["roles"][0]["role"], "tb");
  EXPECT_EQ(j["roles"][0]["made"]["by"]["insz"], kEmpOcmw);
  EXPECT_FALSE(j["roles"][0]["made"]["at"].get<std::string>().empty());
  EXPECT_TRUE(j["memberships"].empty());

  // The user: one membership with its right, allowed for ama-wvg and
  // denied for the other applications.
  j = Json({"who", "--insz", kUser1});
  ASSERT_EQ(j["memberships"].size(), 1u) << j;
  EXPECT_EQ(j["memberships"][0]["hco"], kHcoOcmw);
  EXPECT_EQ(j["memberships"][0]["rights"], json::array({"ama-wvg"}));
  EXPECT_EQ(j["memberships"][0]["made"]["by"]["insz"], kEmp2Ocmw);
  const json* ama = Decision(j, "ama-wvg");
  ASSERT_NE(ama, nullptr) << j;
  EXPECT_EQ((*ama)["explanation"]["allowed"], true);
  EXPECT_EQ((*ama)["explanation"]["facilities"], json::array({kHcoOcmw}));
  const json* vipa = Decision(j, "vipa");
  ASSERT_NE(vipa, nullptr) << j;
  EXPECT_EQ((*vipa)["explanation"]["allowed"], false);
  EXPECT_FALSE((*vipa)["explanation"]["reason"].get<std::string>().empty());

  // The manager of the subafdeling: a role with where.
  j = Json({"who", "--insz", kUser3});
  ASSERT_EQ(j["roles"].size(), 1u) << j;
  EXPECT_EQ(j["roles"][0]["role"], "manager");
  EXPECT_EQ(j["roles"][0]["hco"], kHcoOcmw);
  EXPECT_EQ(j["roles"][0]["enterprise"]["kbo"], kOcmw);
}

TEST_F(WhoCliTest, ADeniedPersonNamesTheReasonAndTheFixersWithContact) {
  const json j = Json({"who", "--insz", kUser2});
  const json* ama = Decision(j, "ama-wvg");
  ASSERT_NE(ama, nullptr) << j;
  EXPECT_EQ((*ama)["explanation"]["allowed"], false);
  EXPECT_EQ((*ama)["explanation"]["reason"], "not_a_user");

  // The same in Dutch text: the short reason and the fixers.
  CliRun r = Run({"--lang", "nl", "who", "--insz", kUser1});
  EXPECT_EQ(r.exit, 0) << Describe(r);
  // The INSZ in the display form every command shows (JSON: digits).
  EXPECT_NE(r.out.find("Ahmed El Amrani (81.05.00-035.52)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("toegestaan via HCO 12345"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Lidmaatschappen:"), std::string::npos) << r.out;

  // A user of the subafdeling without the vipa right: fixers with role.
  r = Run({"--lang", "en", "who", "--insz", kUser1});
  EXPECT_NE(r.out.find("vipa"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("denied:"), std::string::npos) << r.out;
}

TEST_F(WhoCliTest, AnUnknownButValidPersonHasAnEmptyCard) {
  const json j = Json({"who", "--insz", "85010100115"});
  EXPECT_EQ(j["known"], false);
  EXPECT_TRUE(j["roles"].empty());
  for (const json& d : j["decisions"]) {
    EXPECT_EQ(d["explanation"]["allowed"], false) << d;
  }
  EXPECT_FALSE(j["decisions"].empty());
}

TEST_F(WhoCliTest, FacilityCardShowsOrganizerManagersAndMembers) {
  json j = Json({"who", "--hco", kHcoOcmw});
  EXPECT_EQ(j["hco"], kHcoOcmw);
  EXPECT_EQ(j["active"], true);
  EXPECT_EQ(j["organizer"]["kbo"], kOcmw);
  EXPECT_EQ(j["htb"]["insz"], kEmpOcmw);
  EXPECT_EQ(j["htb_email"], "htb@ocmw.gent");
  ASSERT_EQ(j["subafdelingen"].size(), 1u) << j;
  const json& s = j["subafdelingen"][0];
  EXPECT_EQ(s["email"], "toegang@ocmw.gent");
  EXPECT_EQ(s["applications"], json::array({"ama-wvg"}));
  ASSERT_EQ(s["managers"].size(), 1u);
  EXPECT_EQ(s["managers"][0]["insz"], kUser3);
  EXPECT_EQ(s["tb"]["insz"], kEmp2Ocmw);
  ASSERT_EQ(s["members"].size(), 1u);
  EXPECT_EQ(s["members"][0]["person"]["insz"], kUser1);
  EXPECT_EQ(s["members"][0]["rights"], json::array({"ama-wvg"}));

  // Revoking the right keeps the member, now without rights.
  CliRun r = Run({"user", "revoke", "--by", kEmp2Ocmw, "--hco", kHcoOcmw,
                  "--insz", kUser1, "--right", "ama-wvg"});
  ASSERT_EQ(r.exit, 0) << Describe(r);
  j = Json({"who", "--hco", kHcoOcmw});
  ASSERT_EQ(j["subafdelingen"][0]["members"].size(), 1u) << j;
  EXPECT_TRUE(j["subafdelingen"][0]["members"][0]["rights"].empty()) << j;

  // A facility without subafdeling, organized but closed.
  j = Json({"who", "--hco", kHcoOcmwClosed});
  EXPECT_EQ(j["active"], false);
  EXPECT_TRUE(j["subafdelingen"].empty());
  r = Run({"who", "--hco", kHcoOcmwClosed});
  EXPECT_NE(r.out.find("closed in CoBRHA"), std::string::npos) << r.out;
}

TEST_F(WhoCliTest, UnknownFacilityIsFacilityUnknownExitThree) {
  json j = Json({"who", "--hco", kHcoUnknown}, 3);
  EXPECT_EQ(j["error"], "facility_unknown") << j;
  CliRun r = Run({"who", "--hco", kHcoUnknown});
  EXPECT_EQ(r.exit, 3) << Describe(r);
  EXPECT_NE(r.err.find(kHcoUnknown), std::string::npos) << r.err;
}

TEST_F(WhoCliTest, BadInputIsExitTwo) {
  EXPECT_EQ(Run({"who"}).exit, 2);
  EXPECT_EQ(Run({"who", "--insz", kUser1, "--hco", kHcoOcmw}).exit, 2);
  EXPECT_EQ(Run({"who", "--insz", "12345678901"}).exit, 2);  // bad check
  EXPECT_EQ(Run({"who", "--hco", "12a45"}).exit, 2);
  // --kbo is the enterprise's card as before.
  const json j = Json({"who", "--kbo", kOcmw});
  EXPECT_EQ(j["kbo"], kOcmw);
  EXPECT_EQ(j["htb"]["person"]["insz"], kEmpOcmw);
}

}  // namespace
}  // namespace toegang::testing
