// The public contract of the explanation in toegang/answer_json.h: one line of
// JSON with every documented field, persons as {"insz", "name"} or null, the
// lists in their order, text escaped so that it parses back unchanged, and
// invalid UTF-8 replaced rather than an error.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "toegang/answer_json.h"
#include "toegang/queries.h"

namespace toegang::testing {
namespace {

using json = nlohmann::json;

Explanation Allowed() {
  Explanation e;
  e.allowed = true;
  e.revision = 42;
  e.facilities = {"0012345", "12345"};
  ChainLink wv;
  wv.step = "wv";
  wv.person = PersonRef{"93051822361", "An Peeters"};
  wv.text = "An Peeters is the legal representative.";
  ChainLink htb;
  htb.step = "htb";
  htb.person = PersonRef{"85073003328", ""};  // not in the registry
  htb.made_by = PersonRef{"93051822361", "An Peeters"};
  htb.revision = 7;
  htb.at = "2026-03-01T10:00:00Z";
  htb.text = "appointed HTB";
  ChainLink right;
  right.step = "right";
  right.revision = 12;
  right.at = "2026-03-02T11:30:00Z";
  right.text = "holds ama-wvg";
  e.chain = {wv, htb, right};
  e.summary = "Allowed through 0012345.";
  return e;
}

Explanation Denied() {
  Explanation e;
  e.revision = 9;
  e.reason = "right_missing";
  e.condition = 7;
  e.manual = "3.7";
  e.candidate_kbo = "0428759497";
  e.candidate_hco = "0012345";
  e.fixers = {{"75060898009", "Jan Janssens"}, {"17073003384", ""}};
  e.where_to_ask = {"0428759497", "0403019261"};
  e.summary = "Niet toegelaten.";
  return e;
}

json Parsed(const Explanation& e) {
  const std::string text = ExplanationToJson(e);
  EXPECT_EQ(text.find('\n'), std::string::npos) << "one line: " << text;
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << text;
  return j;
}

TEST(ExplanationJsonTest, HasEveryDocumentedFieldAndNoOther) {
  for (const Explanation& e : {Allowed(), Denied(), Explanation{}}) {
    const json j = Parsed(e);
    ASSERT_TRUE(j.is_object());
    std::vector<std::string> keys;
    for (const auto& [key, value] : j.items()) keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<std::string>{
                        "allowed", "candidate_hco", "candidate_kbo", "chain",
                        "condition", "facilities", "fixer_roles", "fixers",
                        "login_checklist", "manual", "reason", "revision",
                        "summary", "where_to_ask"}));
    EXPECT_TRUE(j["allowed"].is_boolean());
    EXPECT_TRUE(j["revision"].is_number_unsigned());
    EXPECT_TRUE(j["condition"].is_number_integer());
    for (const char* list : {"facilities", "chain", "login_checklist", "fixers",
                             "fixer_roles", "where_to_ask"}) {
      EXPECT_TRUE(j[list].is_array()) << list;
    }
  }
}

TEST(ExplanationJsonTest, AnAllowedChainKeepsItsLinksInOrder) {
  const json j = Parsed(Allowed());
  EXPECT_EQ(j["allowed"], true);
  EXPECT_EQ(j["revision"], 42);
  EXPECT_EQ(j["facilities"], json({"0012345", "12345"}));
  ASSERT_EQ(j["chain"].size(), 3u);
  const json& wv = j["chain"][0];
  EXPECT_EQ(wv["step"], "wv");
  EXPECT_EQ(wv["person"],
            json({{"insz", "93051822361"}, {"name", "An Peeters"}}));
  EXPECT_TRUE(wv["made_by"].is_null());
  EXPECT_EQ(wv["revision"], 0);
  EXPECT_EQ(wv["at"], "");
  const json& htb = j["chain"][1];
  EXPECT_EQ(htb["step"], "htb");
  EXPECT_EQ(htb["person"], json({{"insz", "85073003328"}, {"name", ""}}));
  EXPECT_EQ(htb["made_by"]["insz"], "93051822361");
  EXPECT_EQ(htb["revision"], 7);
  EXPECT_EQ(htb["at"], "2026-03-01T10:00:00Z");
  EXPECT_EQ(htb["text"], "appointed HTB");
  const json& right = j["chain"][2];
  EXPECT_EQ(right["step"], "right");
  EXPECT_TRUE(right["person"].is_null());
  EXPECT_TRUE(right["made_by"].is_null());
  EXPECT_EQ(j["reason"], "");
  EXPECT_EQ(j["condition"], 0);
  EXPECT_TRUE(j["fixers"].empty());
  EXPECT_EQ(j["summary"], "Allowed through 0012345.");
}

TEST(ExplanationJsonTest, ADenialNamesItsConditionFixersAndWhereToAsk) {
  const json j = Parsed(Denied());
  EXPECT_EQ(j["allowed"], false);
  EXPECT_EQ(j["revision"], 9);
  EXPECT_TRUE(j["facilities"].empty());
  EXPECT_TRUE(j["chain"].empty());
  EXPECT_EQ(j["reason"], "right_missing");
  EXPECT_EQ(j["condition"], 7);
  EXPECT_EQ(j["manual"], "3.7");
  EXPECT_EQ(j["candidate_kbo"], "0428759497");
  EXPECT_EQ(j["candidate_hco"], "0012345");
  EXPECT_EQ(j["fixers"],
            json::parse(R"([{"insz": "75060898009", "name": "Jan Janssens"},
                            {"insz": "17073003384", "name": ""}])"));
  EXPECT_EQ(j["where_to_ask"], json({"0428759497", "0403019261"}));
  EXPECT_EQ(j["summary"], "Niet toegelaten.");
}

TEST(ExplanationJsonTest, TextIsEscapedAndReadsBackUnchanged) {
  Explanation e = Denied();
  const std::string awkward =
      "Quote \" backslash \\ tab \t newline \n bell \x07 Zoë 'Ş' {}[],:";
  e.fixers = {{"75060898009", awkward}};
  e.summary = awkward;
  const json j = Parsed(e);
  EXPECT_EQ(j["summary"], awkward);
  EXPECT_EQ(j["fixers"][0]["name"], awkward);
}

TEST(ExplanationJsonTest, InvalidUtf8IsReplacedNotAnError) {
  Explanation e = Allowed();
  e.chain[0].person->name = "Pe\xffters";
  e.summary = "bad \xc3 byte";
  const json j = Parsed(e);
  EXPECT_EQ(j["chain"][0]["person"]["name"], "Pe\xEF\xBF\xBDters");
  EXPECT_EQ(j["summary"], "bad \xEF\xBF\xBD byte");
}

}  // namespace
}  // namespace toegang::testing
