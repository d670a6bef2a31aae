// The names people use (issue 28 item 6): an application by the names of
// the manual ("e-loket AMA WVG", "Aanbod (van) arbeidsmatige activiteiten",
// "eVIPA"), and the roles by their old names ("VTE", "lokale beheerder",
// "co-lokale beheerder"), wherever one is accepted: the engine's check,
// explain, listings and mutations, the HTTP decision service and the C API.
// The CLI's side is in cli_test.cc.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "decision_service.h"
#include "model/catalogue.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/mutation.h"
#include "toegang/queries.h"
#include "toegang/toegang.h"

namespace toegang::testing {
namespace {

using json = nlohmann::json;

// Every alias of migration 0004 with the code it names, and forms of them
// that differ in case and white space only.
struct Alias {
  const char* text;
  const char* code;
};
const std::vector<Alias>& Aliases() {
  static const std::vector<Alias> v = {
      {"e-loket AMA WVG", "ama-wvg"},
      {"E-Loket ama wvg", "ama-wvg"},
      {" e-loket\tAMA   WVG ", "ama-wvg"},
      {"Aanbod van arbeidsmatige activiteiten", "ama-wvg"},
      {"AANBOD VAN ARBEIDSMATIGE ACTIVITEITEN", "ama-wvg"},
      {"Aanbod arbeidsmatige activiteiten", "ama-wvg"},
      {"aanbod  arbeidsmatige activiteiten", "ama-wvg"},
      {"eVIPA", "vipa"},
      {"EVIPA", "vipa"},
      {"evipa", "vipa"},
  };
  return v;
}

TEST(ActionGroupTest, OldAndDutchRoleNames) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {"htb", "htb"},
      {"vte", "htb"},
      {"VTE", "htb"},
      {"hoofdtoegangsbeheerder", "htb"},
      {"tb", "tb"},
      {"lokale-beheerder", "tb"},
      {"lokale beheerder", "tb"},
      {"Lokale Beheerder", "tb"},
      {"lokale_beheerder", "tb"},
      {"toegangsbeheerder", "tb"},
      {"co-tb", "co-tb"},
      {"co-lokale-beheerder", "co-tb"},
      {"co-lokale beheerder", "co-tb"},
      {"Co-Lokale  Beheerder", "co-tb"},
      {"co lokale beheerder", "co-tb"},
      {"co-toegangsbeheerder", "co-tb"},
      {"gebruiker", "user"},
      {"user", "user"},
      {"hoedanigheid", "hoedanigheid"},
      {"subafdeling", "subafdeling"},
  };
  for (const auto& [word, group] : cases) {
    const std::optional<std::string_view> g = ActionGroup(word);
    ASSERT_TRUE(g.has_value()) << word;
    EXPECT_EQ(*g, group) << word;
  }
  for (std::string_view word :
       {"", "lokale", "beheerder", "co", "co-lokale", "users", "check",
        "verantwoordelijke", "htbx", "co-htb", "-", "lokale--"}) {
    EXPECT_FALSE(ActionGroup(word).has_value()) << word;
  }
}

TEST(ActionGroupTest, ActionNamesWithOldRoleNames) {
  const std::vector<std::pair<std::string_view, Action>> cases = {
      {"htb.appoint", Action::kAppointHtb},
      {"vte.appoint", Action::kAppointHtb},
      {"VTE.Appoint", Action::kAppointHtb},
      {"lokale-beheerder.set", Action::kSetTb},
      {"lokale beheerder.set", Action::kSetTb},
      {"lokale-beheerder.add-co", Action::kAddCoTb},
      {"co-lokale-beheerder.add", Action::kAddCoTb},
      {"co-lokale beheerder.add", Action::kAddCoTb},
      {"co-lokale.beheerder.add",
       Action::kAddCoTb},  // "co-lokale beheerder add"
      {"co-tb.add", Action::kAddCoTb},
      {"co-tb.add-co", Action::kAddCoTb},
      {"co-lokale-beheerder.remove", Action::kRemoveCoTb},
      {"co-toegangsbeheerder.remove-co", Action::kRemoveCoTb},
      {"gebruiker.grant", Action::kGrantRight},
      {"user.remove", Action::kRemoveUser},
  };
  for (const auto& [name, action] : cases) {
    const std::optional<Action> a = ActionFromName(name);
    ASSERT_TRUE(a.has_value()) << name;
    EXPECT_EQ(*a, action) << name;
  }
  for (std::string_view name :
       {"co-lokale-beheerder.set", "co-tb.appoint", "vte.set", "tb",
        "lokale-beheerder", ".add", "user.", "co-lokale.add", "tb.add"}) {
    EXPECT_FALSE(ActionFromName(name).has_value()) << name;
  }
}

TEST(CatalogueAliasTest, AliasesNameTheirApplicationOnly) {
  Catalogue c;
  ASSERT_TRUE(c.AddCapacity({"cap", "Capacity"}));
  ASSERT_TRUE(c.AddApplication({"ama-wvg", "Aanbod van iets", 0}));
  ASSERT_TRUE(c.AddApplication({"vipa", "Infrastructuur", 0}));
  EXPECT_TRUE(c.AddApplicationAlias("e-loket AMA WVG", 0));
  EXPECT_TRUE(c.AddApplicationAlias("eVIPA", 1));
  // An alias may not name two applications, nor repeat a code or a name.
  EXPECT_FALSE(c.AddApplicationAlias("E-LOKET  ama wvg", 1));
  EXPECT_FALSE(c.AddApplicationAlias("VIPA", 0));
  EXPECT_FALSE(c.AddApplicationAlias("aanbod van iets", 1));
  EXPECT_FALSE(c.AddApplicationAlias("  ", 0));
  EXPECT_FALSE(c.AddApplicationAlias("x", 2));  // no such application
  EXPECT_EQ(c.application_aliases().size(), 2u);

  EXPECT_EQ(*c.FindApplication("e-loket ama wvg"), 0);
  EXPECT_EQ(*c.FindApplication("evipa"), 1);
  EXPECT_EQ(*c.FindApplication("Aanbod  van IETS"), 0);  // names likewise
  Result<AppId> unknown = c.FindApplication("e-loket");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), code::kUnknownApplication);
  EXPECT_NE(unknown.status().message().find(
                "ama-wvg (\"Aanbod van iets\"; also \"e-loket AMA WVG\")"),
            std::string::npos)
      << unknown.status().message();
  EXPECT_NE(unknown.status().message().find(
                "vipa (\"Infrastructuur\"; also \"eVIPA\")"),
            std::string::npos)
      << unknown.status().message();
}

class AliasEngineTest : public ::testing::Test {
 protected:
  void SetUp() override { fed_.BuildOcmwChain(); }
  Engine& engine() { return fed_.engine(); }
  TestFederation fed_;
};

TEST_F(AliasEngineTest, CheckExplainAndUsersTakeEveryAlias) {
  for (const Alias& a : Aliases()) {
    Result<Decision> by_alias = engine().Check(kUser1, a.text, "");
    Result<Decision> by_code = engine().Check(kUser1, a.code, "");
    ASSERT_TRUE(by_alias.ok())
        << a.text << ": " << by_alias.status().ToString();
    ASSERT_TRUE(by_code.ok());
    EXPECT_EQ(by_alias->allowed, by_code->allowed) << a.text;
    EXPECT_EQ(by_alias->facilities, by_code->facilities) << a.text;
    EXPECT_EQ(by_alias->allowed, std::string(a.code) == "ama-wvg") << a.text;

    Result<Explanation> why = engine().Explain(kUser1, a.text, "", Lang::kEn);
    ASSERT_TRUE(why.ok()) << a.text << ": " << why.status().ToString();
    EXPECT_EQ(why->allowed, by_code->allowed) << a.text;

    Result<Page<UserEntry>> users =
        engine().Users(kHcoOcmw, a.text, PageRequest{});
    ASSERT_TRUE(users.ok()) << a.text << ": " << users.status().ToString();
    Result<Page<UserEntry>> users_by_code =
        engine().Users(kHcoOcmw, a.code, PageRequest{});
    ASSERT_TRUE(users_by_code.ok());
    EXPECT_EQ(users->items.size(), users_by_code->items.size()) << a.text;
  }
}

TEST_F(AliasEngineTest, MutationsTakeAliasesAndStoreTheCode) {
  fed_.MustApply(M(Action::kAuthorize, kEmp2Ocmw).Hco(kHcoOcmw).App("eVIPA"));
  fed_.MustApply(M(Action::kGrantRight, kEmp2Ocmw)
                     .Hco(kHcoOcmw)
                     .Insz(kUser1)
                     .App("EVIPA"));
  Result<Decision> d = engine().Check(kUser1, "vipa", "");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->allowed);
  // May with the alias, and a revoke by another alias form.
  EXPECT_TRUE(engine()
                  .May(M(Action::kRevokeRight, kEmp2Ocmw)
                           .Hco(kHcoOcmw)
                           .Insz(kUser1)
                           .App("evipa"))
                  .ok());
  // What was stored names the code: reopened, vipa is still granted.
  fed_.Reopen();
  d = engine().Check(kUser1, "vipa", "");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->allowed);
  // And the co-TB by its old name is the same action.
  std::optional<Action> add = ActionFromName("co-lokale beheerder.add");
  ASSERT_TRUE(add.has_value());
  fed_.MustApply(M(*add, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
}

TEST_F(AliasEngineTest, HttpServiceTakesAliases) {
  serve::ServiceOptions options;
  serve::DecisionService service(&engine(), options);
  for (const char* app : {"e-loket%20AMA%20WVG", "e-loket+ama+wvg",
                          "Aanbod%20van%20arbeidsmatige%20activiteiten"}) {
    const std::string target =
        std::string("/v1/check?insz=") + kUser1 + "&app=" + app;
    serve::HttpRequest request;
    request.method = "GET";
    request.target = target;
    serve::HttpResponse r = service.Handle(request);
    ASSERT_EQ(r.status, 200) << app << ": " << r.body;
    EXPECT_EQ(json::parse(r.body)["allowed"], true) << app << ": " << r.body;
  }
  // The gateway's application, as the operator writes it in the
  // auth_request URI or in --app.
  serve::HttpRequest auth;
  auth.method = "GET";
  auth.target = "/v1/auth?app=e-loket%20AMA%20WVG";
  auth.header = [](const void*, std::string_view name) -> std::string_view {
    if (name == serve::ServiceOptions().insz_header) return kUser1;
    return std::string_view();
  };
  EXPECT_EQ(service.Handle(auth).status, 204);
  serve::ServiceOptions by_alias;
  by_alias.default_app = "e-loket AMA WVG";
  serve::DecisionService aliased(&engine(), by_alias);
  auth.target = "/v1/auth";
  EXPECT_EQ(aliased.Handle(auth).status, 204);
}

TEST_F(AliasEngineTest, CApiTakesAliases) {
  toegang_engine* handle = nullptr;
  ASSERT_EQ(toegang_open(fed_.db_path().c_str(), 0, &handle), TOEGANG_OK)
      << toegang_last_error();
  for (const Alias& a : Aliases()) {
    int allowed = -1;
    ASSERT_EQ(toegang_check(handle, kUser1, a.text, nullptr, &allowed, nullptr,
                            nullptr, 0, nullptr),
              TOEGANG_OK)
        << a.text << ": " << toegang_last_error();
    EXPECT_EQ(allowed, std::string(a.code) == "ama-wvg" ? 1 : 0) << a.text;
  }
  toegang_close(handle);
}

}  // namespace
}  // namespace toegang::testing
