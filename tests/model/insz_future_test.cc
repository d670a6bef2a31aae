// SPEC 3: an INSZ whose check digits hold only in the born-in-or-after-2000
// form while 2000 + YY lies after the current year (49090136943, born
// 2049) is refused with invalid_insz, saying why, by every way in: the
// engine's check and mutations, the registry imports, the HTTP decision
// service, the C API and the CLI. (identifiers_test.cc has the rule itself,
// generator_test.cc the generator.)
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "decision_service.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/mutation.h"
#include "toegang/queries.h"
#include "toegang/toegang.h"

namespace toegang::testing {
namespace {

using json = nlohmann::json;

constexpr const char* kBorn2049 = "49090136943";
constexpr const char* kBorn2049Display = "49.09.01-369.43";
constexpr std::string_view kWhy = "born in 2049, which is in the future";

bool Says(std::string_view message, std::string_view part) {
  return message.find(part) != std::string_view::npos;
}

void ExpectFutureRefusal(const Status& s, const std::string& where) {
  EXPECT_EQ(s.kind(), Status::Kind::kInvalidInput) << where;
  EXPECT_EQ(s.code(), code::kInvalidInsz) << where << ": " << s.ToString();
  EXPECT_TRUE(Says(s.message(), kWhy)) << where << ": " << s.message();
}

// The INSZ header of a default ServiceOptions.
std::string_view DefaultInszHeader() {
  static const serve::ServiceOptions defaults;
  return defaults.insz_header;
}

class InszFutureTest : public ::testing::Test {
 protected:
  void SetUp() override { fed_.BuildOcmwChain(); }
  TestFederation fed_;
};

TEST_F(InszFutureTest, EngineCheckExplainAndMutationsRefuseIt) {
  Engine& e = fed_.engine();
  for (const char* text : {kBorn2049, kBorn2049Display}) {
    Result<Decision> d = e.Check(text, "ama-wvg", "");
    ASSERT_FALSE(d.ok()) << text;
    ExpectFutureRefusal(d.status(), std::string("check ") + text);
    ExpectFutureRefusal(e.Check(text, "ama-wvg", kHcoOcmw).status(),
                        std::string("check at a facility ") + text);
    ExpectFutureRefusal(e.Explain(text, "ama-wvg", "", Lang::kEn).status(),
                        std::string("explain ") + text);
  }
  const uint64_t before = e.revision();
  Result<CommitInfo> add = e.Apply(M(Action::kAddUser, kEmp2Ocmw)
                                       .Hco(kHcoOcmw)
                                       .Insz(kBorn2049)
                                       .App("ama-wvg"));
  ASSERT_FALSE(add.ok());
  ExpectFutureRefusal(add.status(), "user add");
  Result<CommitInfo> by =
      e.Apply(M(Action::kAddUser, kBorn2049).Hco(kHcoOcmw).Insz(kOutsider));
  ASSERT_FALSE(by.ok());
  ExpectFutureRefusal(by.status(), "user add --by");
  EXPECT_EQ(e.revision(), before);  // nothing changed
}

TEST_F(InszFutureTest, ImportsRefuseTheRow) {
  Engine& e = fed_.engine();
  const uint64_t before = e.revision();
  ImportReport r;
  Status s = e.ImportPersons(
      fed_.dir().Write("future.csv", "insz,name\n" + std::string(kBorn2049) +
                                         ",Toekomstig Kind\n"),
      ImportOptions{}, &r);
  EXPECT_FALSE(s.ok());
  ASSERT_EQ(r.errors.size(), 1u) << s.ToString();
  EXPECT_EQ(r.errors[0].code, code::kInvalidInsz);
  EXPECT_TRUE(Says(r.errors[0].message, kWhy)) << r.errors[0].message;

  ImportReport f;
  Status fs = e.ImportFunctions(
      fed_.dir().Write("future-functions.csv", "kbo,insz,role\n0403019261," +
                                                   std::string(kBorn2049) +
                                                   ",employee\n"),
      ImportOptions{}, &f);
  EXPECT_FALSE(fs.ok());
  ASSERT_EQ(f.errors.size(), 1u) << fs.ToString();
  EXPECT_EQ(f.errors[0].code, code::kInvalidInsz);
  EXPECT_TRUE(Says(f.errors[0].message, kWhy)) << f.errors[0].message;
  EXPECT_EQ(e.revision(), before);
}

TEST_F(InszFutureTest, HttpServiceAnswers400) {
  serve::ServiceOptions options;
  serve::DecisionService service(&fed_.engine(), options);
  const std::string target =
      "/v1/check?insz=" + std::string(kBorn2049) + "&app=ama-wvg";
  serve::HttpRequest request;
  request.method = "GET";
  request.target = target;
  serve::HttpResponse response = service.Handle(request);
  EXPECT_EQ(response.status, 400) << response.body;
  const json body = json::parse(response.body);
  EXPECT_EQ(body["error"], code::kInvalidInsz);
  EXPECT_TRUE(Says(body["message"].get<std::string>(), kWhy)) << body;

  // The gateway endpoint, with the INSZ in the header.
  serve::HttpRequest auth;
  auth.method = "GET";
  auth.target = "/v1/auth";
  auth.header = [](const void*, std::string_view name) -> std::string_view {
    return name == DefaultInszHeader() ? kBorn2049 : std::string_view();
  };
  serve::HttpResponse refused = service.Handle(auth);
  EXPECT_EQ(refused.status, 403);
  bool named = false;
  for (const auto& [name, value] : refused.headers) {
    named =
        named || (name == serve::kErrorHeader && value == code::kInvalidInsz);
  }
  EXPECT_TRUE(named) << "no " << serve::kErrorHeader << ": invalid_insz";
}

TEST_F(InszFutureTest, CApiReturnsInvalidInput) {
  toegang_engine* engine = nullptr;
  ASSERT_EQ(toegang_open(fed_.db_path().c_str(), 0, &engine), TOEGANG_OK)
      << toegang_last_error();
  int allowed = -1;
  EXPECT_EQ(toegang_check(engine, kBorn2049, "ama-wvg", nullptr, &allowed,
                          nullptr, nullptr, 0, nullptr),
            TOEGANG_INVALID_INPUT);
  EXPECT_EQ(std::string(toegang_last_error_code()), code::kInvalidInsz);
  EXPECT_TRUE(Says(toegang_last_error(), kWhy)) << toegang_last_error();
  toegang_close(engine);
}

TEST_F(InszFutureTest, CliExitsTwoWithTheReason) {
  fed_.Close();
  const std::string out = fed_.dir().File("cli.out");
  const std::string err = fed_.dir().File("cli.err");
  const int rc = std::system(
      (ShellQuote(TOEGANG_CLI_PATH) + " --db " + ShellQuote(fed_.db_path()) +
       " --json check --insz " + kBorn2049Display + " --app ama-wvg >" +
       ShellQuote(out) + " 2>" + ShellQuote(err))
          .c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 2) << ReadFile(out) << ReadFile(err);
  const std::string said = ReadFile(out) + ReadFile(err);
  EXPECT_TRUE(Says(said, code::kInvalidInsz)) << said;
  EXPECT_TRUE(Says(said, kWhy)) << said;
}

}  // namespace
}  // namespace toegang::testing
