// The registries as they are really published (issue 23), through the real
// `toegang` binary: grants on a closed facility are refused; a dry run
// prints the impact with masked INSZ (whole in --json) and writes nothing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/cli_runner.h"
#include "support/test_federation.h"

namespace toegang::testing {
namespace {

class RegistryCliTest : public ::testing::Test {
 protected:
  RegistryCliTest() { fed_.BuildOcmwChain(); }

  // Closes the engine so the CLI is the only writer, then runs
  // toegang --db DB args...
  CliRun Run(std::vector<std::string> args) {
    fed_.Close();
    args.insert(args.begin(), {"--db", fed_.db_path()});
    return Spawn(args, fed_.dir().path(), std::nullopt);
  }
  json Json(std::vector<std::string> args, int exit) {
    args.insert(args.begin(), "--json");
    CliRun r = Run(args);
    EXPECT_EQ(r.exit, exit) << Describe(r);
    return OneObject(r);
  }

  TestFederation fed_;
};

TEST_F(RegistryCliTest, GrantsOnAClosedFacilityAreRefusedWithExitThree) {
  const std::string closed = fed_.dir().Write(
      "closed.csv",
      "hco,name,type_code,kbo,status\n12345,OCMW Gent,009,0403019261,closed\n");
  json imported = Json({"import", "facilities", closed}, 0);
  const uint64_t revision = imported.value("revision", uint64_t{0});
  ASSERT_GT(revision, 0u) << imported.dump();

  const std::vector<std::vector<std::string>> grants = {
      {"user", "grant", "--hco", kHcoOcmw, "--insz", kUser1, "--right", "vipa",
       "--by", kEmpOcmw},
      {"user", "add", "--hco", kHcoOcmw, "--insz", kUser2, "--right", "ama-wvg",
       "--by", kEmp2Ocmw},
      {"subafdeling", "authorize", "--hco", kHcoOcmw, "--app", "vipa", "--by",
       kEmpOcmw},
      {"subafdeling", "create", "--kbo", kOcmw, "--hco", kHcoOcmwClosed,
       "--email", "oud@ocmw.gent", "--authorize", "ama-wvg", "--by", kEmpOcmw},
  };
  for (const std::vector<std::string>& g : grants) {
    std::vector<std::string> args = {"--json"};
    args.insert(args.end(), g.begin(), g.end());
    CliRun r = Run(args);
    ExpectError(r, 3, "facility_closed");
    EXPECT_NE(r.out.find("1.1"), std::string::npos) << Describe(r);
    // The text form names the code and the remedy too.
    CliRun text = Run(g);
    EXPECT_EQ(text.exit, 3) << Describe(text);
    EXPECT_NE(text.err.find("facility_closed"), std::string::npos)
        << Describe(text);
    EXPECT_NE(text.err.find("CoBRHA"), std::string::npos) << Describe(text);
  }
  // may says the same, and nothing changed.
  json may = Json({"may", "--by", kEmpOcmw, "--action", "user.grant", "--hco",
                   kHcoOcmw, "--insz", kUser1, "--right", "vipa"},
                  1);
  EXPECT_EQ(may["code"], "facility_closed") << may.dump();
  json stats = Json({"stats"}, 0);
  EXPECT_EQ(stats["revision"], revision) << stats.dump();
}

TEST_F(RegistryCliTest, DryRunMasksInszInTextAndGivesItWholeInJson) {
  const std::string closed = fed_.dir().Write(
      "closed.csv",
      "hco,name,type_code,kbo,status\n12345,OCMW Gent,009,0403019261,closed\n");
  CliRun text = Run({"import", "facilities", closed, "--dry-run"});
  EXPECT_EQ(text.exit, 0) << Describe(text);
  EXPECT_NE(text.out.find("dry run"), std::string::npos) << Describe(text);
  EXPECT_NE(text.out.find("impact on ama-wvg: 1 persons lose access"),
            std::string::npos)
      << Describe(text);
  EXPECT_NE(text.out.find("81.05.00-***.**"), std::string::npos)
      << Describe(text);
  EXPECT_EQ(text.out.find(kUser1), std::string::npos) << Describe(text);

  json j = Json({"import", "facilities", closed, "--dry-run"}, 0);
  EXPECT_EQ(j["dry_run"], true);
  EXPECT_EQ(j["revision"], 0);
  EXPECT_EQ(j["changes"]["facilities_closed"], 1);
  ASSERT_TRUE(j["impact"].is_array()) << j.dump();
  EXPECT_EQ(j["impact"][0]["application"], "ama-wvg");
  EXPECT_EQ(j["impact"][0]["lose"], 1);
  EXPECT_EQ(j["impact"][0]["losing"][0], kUser1);
  // Still allowed: nothing was written.
  json check = Json({"check", "--insz", kUser1, "--app", "ama-wvg"}, 0);
  EXPECT_EQ(check["allowed"], true);
  // The real import prints the same impact.
  json real = Json({"import", "facilities", closed}, 0);
  EXPECT_EQ(real["dry_run"], false);
  EXPECT_GT(real["revision"], 0);
  EXPECT_EQ(real["impact"], j["impact"]);
  // --full with --skip-invalid is a usage error.
  ExpectError(Run({"--json", "import", "functions",
                   fed_.dir().Write("f.csv", FunctionsCsv()), "--full",
                   "--skip-invalid"}),
              2, "usage");
}

}  // namespace
}  // namespace toegang::testing
