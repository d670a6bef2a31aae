// The JSON forms of the answers (toegang/answer_json.h): the decision, the
// explanation and the who-card, as the CLI, the HTTP service and the C API
// give them.
#include "toegang/answer_json.h"

#include <gtest/gtest.h>

#include "toegang/text.h"

namespace toegang {
namespace {

Decision Allowed() {
  Decision d;
  d.allowed = true;
  d.revision = 12;
  d.facilities = {"1100234", "1100235"};
  d.insz = "88080862668";
  d.application = "ama-wvg";
  return d;
}

TEST(AnswerJsonTest, DecisionKeepsTheServiceKeyOrder) {
  EXPECT_EQ(
      AnswerText(DecisionJson(Allowed())),
      R"({"allowed":true,"revision":12,"facilities":["1100234","1100235"],)"
      R"("insz":"88080862668","app":"ama-wvg"})");
}

TEST(AnswerJsonTest, DecisionEchoesTheFacilityOnlyWhenAsked) {
  Decision d;
  d.revision = 3;
  d.insz = "75113051741";
  d.application = "vipa";
  d.hco = "1100235";
  EXPECT_EQ(AnswerText(DecisionJson(d)),
            R"({"allowed":false,"revision":3,"facilities":[],)"
            R"("insz":"75113051741","app":"vipa","hco":"1100235"})");
}

TEST(AnswerJsonTest, DecisionSortedAsTheCliPrintsIt) {
  Decision d = Allowed();
  d.hco = "1100234";
  const nlohmann::json sorted = DecisionJson(d);
  EXPECT_EQ(
      AnswerText(sorted),
      R"({"allowed":true,"app":"ama-wvg","facilities":["1100234",)"
      R"("1100235"],"hco":"1100234","insz":"88080862668","revision":12})");
}

TEST(AnswerJsonTest, FacilitiesListJoinsWithCommas) {
  EXPECT_EQ(FacilitiesList(Allowed()), "1100234,1100235");
  EXPECT_EQ(FacilitiesList(Decision{}), "");
}

TEST(AnswerJsonTest, ExplanationHasEveryFieldAndNullForAbsentPersons) {
  Explanation e;
  e.revision = 7;
  e.reason = "not_a_user";
  e.condition = 6;
  e.manual = "3.7";
  e.candidate_kbo = "0412345614";
  e.candidate_hco = "1100234";
  e.fixers = {{"69072331112", "Sofie Jacobs"}};
  e.where_to_ask = {"0412345614"};
  e.summary = "S";
  ChainLink l;
  l.step = "subafdeling";
  l.made_by = PersonRef{"69072331112", ""};
  l.revision = 9;
  l.at = "2026-01-02T03:04:05Z";
  l.text = "T";
  e.chain = {l};
  const nlohmann::json j = ExplanationJson(e);
  EXPECT_EQ(j.size(), 14u);  // with fixer_roles and login_checklist
  EXPECT_EQ(j["allowed"], false);
  EXPECT_EQ(j["revision"], 7);
  EXPECT_EQ(j["reason"], "not_a_user");
  EXPECT_EQ(j["condition"], 6);
  EXPECT_EQ(j["manual"], "3.7");
  EXPECT_EQ(j["candidate_kbo"], "0412345614");
  EXPECT_EQ(j["candidate_hco"], "1100234");
  EXPECT_EQ(j["fixers"],
            nlohmann::json::parse(
                R"([{"insz":"69072331112","name":"Sofie Jacobs"}])"));
  EXPECT_EQ(j["where_to_ask"], nlohmann::json::parse(R"(["0412345614"])"));
  EXPECT_EQ(j["facilities"], nlohmann::json::array());
  EXPECT_EQ(j["summary"], "S");
  EXPECT_EQ(j["login_checklist"], nlohmann::json::array());
  ASSERT_EQ(j["chain"].size(), 1u);
  EXPECT_EQ(
      j["chain"][0],
      nlohmann::json::parse(R"({"step":"subafdeling","person":null,"made_by":)"
                            R"({"insz":"69072331112","name":""},"revision":9,)"
                            R"("at":"2026-01-02T03:04:05Z","text":"T"})"));
  EXPECT_EQ(ExplanationToJson(e), AnswerText(j));
}

TEST(AnswerJsonTest, InvalidUtf8IsReplacedNotAnError) {
  Explanation e;
  e.summary = "caf\xE9";
  EXPECT_NE(ExplanationToJson(e).find("\"summary\":\"caf\xEF\xBF\xBD\""),
            std::string::npos);
}

TEST(AnswerJsonTest, ABidirectionalControlInANameIsEscapedWhenShown) {
  Explanation e;
  e.fixers = {{"69072331112", "Eve\xE2\x80\xAE"}};  // U+202E
  const std::string shown = JsonDisplaySafe(ExplanationToJson(e));
  EXPECT_EQ(shown.find("\xE2\x80\xAE"), std::string::npos);
  EXPECT_NE(shown.find("Eve\\u202E"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(shown), ExplanationJson(e));
}

TEST(AnswerJsonTest, WhoCard) {
  WhoReport w;
  w.kbo = "0412345614";
  w.name = "vzw Broeders van Bijstand";
  w.active = true;
  w.legal_representatives = {{"78051212326", "Greet Willems"}};
  w.active_capacities = {"eHealth Gezondheidszorg"};
  w.revision = 15;
  WhoReport::Htb h;
  h.person = {"82010124596", "Koen Maes"};
  h.email = "koen@example";
  h.revision = 5;
  h.at = "2026-01-01T00:00:00Z";
  h.appointed_by = PersonRef{"78051212326", "Greet Willems"};
  h.appointed_by_former_wv = true;
  h.still_listed = false;
  w.htb = h;
  WhoReport::Domain d;
  d.capacity = "eHealth Gezondheidszorg";
  d.subdivision = "Gezondheidszorg";
  d.co_tbs = {{"90031540289", "Pieter Smet"}};
  w.domains = {d};
  WhoReport::Subafdeling s;
  s.hco = "1100234";
  s.facility_name = "Dagcentrum Terloo";
  s.facility_type = "009";
  s.facility_active = true;
  s.applications = {"ama-wvg"};
  s.users = 2;
  w.subafdelingen = {s};

  const nlohmann::json j = WhoJson(w);
  EXPECT_EQ(j["kbo"], "0412345614");
  EXPECT_EQ(j["name"], "vzw Broeders van Bijstand");
  EXPECT_EQ(j["active"], true);
  EXPECT_EQ(j["revision"], 15);
  EXPECT_EQ(j["legal_representatives"][0]["name"], "Greet Willems");
  EXPECT_EQ(j["active_capacities"][0], "eHealth Gezondheidszorg");
  EXPECT_EQ(j["htb"]["person"]["insz"], "82010124596");
  EXPECT_EQ(j["htb"]["email"], "koen@example");
  EXPECT_EQ(j["htb"]["phone"], "");
  EXPECT_EQ(j["htb"]["appointed_by"]["insz"], "78051212326");
  EXPECT_EQ(j["htb"]["appointed_by_former_wv"], true);
  EXPECT_EQ(j["htb"]["still_listed"], false);
  EXPECT_EQ(j["htb"]["revision"], 5);
  EXPECT_TRUE(j["domains"][0]["tb"].is_null());
  EXPECT_EQ(j["domains"][0]["co_tbs"][0]["insz"], "90031540289");
  EXPECT_EQ(j["subafdelingen"][0]["hco"], "1100234");
  EXPECT_EQ(j["subafdelingen"][0]["facility_active"], true);
  EXPECT_EQ(j["subafdelingen"][0]["users"], 2);
  EXPECT_EQ(j["subafdelingen"][0]["managers"], nlohmann::json::array());

  w.htb.reset();
  EXPECT_TRUE(WhoJson(w)["htb"].is_null());
}

}  // namespace
}  // namespace toegang
