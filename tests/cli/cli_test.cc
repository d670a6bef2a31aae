// The real `toegang` binary (SPEC 7): every command, its exit code, its
// --json output, the database options, aliases, languages, imports with
// and without --skip-invalid, and audit / changes paging.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "support/cli_runner.h"
#include "support/db_content.h"
#include "support/test_federation.h"
#include "toegang/identifiers.h"

namespace toegang::testing {
namespace {

std::string Data(const std::string& relative) {
  return std::string(TOEGANG_TESTDATA_DIR) + "/" + relative;
}

class CliTest : public ::testing::Test {
 protected:
  CliTest() : db_(dir_.File("cli.db")) {}

  // toegang --db DB args...
  CliRun Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_});
    return Spawn(args, dir_.path(), std::nullopt);
  }
  // toegang --db DB --json args...; expects exit, returns the object.
  json Json(std::vector<std::string> args, int exit = 0) {
    args.insert(args.begin(), "--json");
    CliRun r = Run(args);
    EXPECT_EQ(r.exit, exit) << Describe(r);
    return OneObject(r);
  }
  // toegang --db DB args... with a terminal for stdin, stdout and stderr
  // (script(1)): its exit code and everything it wrote, both streams in
  // one. args are quoted for the shell in single quotes.
  std::pair<int, std::string> OnTerminal(const std::vector<std::string>& args) {
    std::string line = fmt::format("'{}' --db '{}'", TOEGANG_CLI_PATH, db_);
    for (const std::string& a : args) line += " '" + a + "'";
    const std::string command =
        fmt::format("script -qec \"{}\" /dev/null", line);
    std::string shown;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return {-1, ""};
    char buf[512];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) shown.append(buf, n);
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, shown};
  }
  // A mutation that must commit as the next revision.
  json Commit(std::vector<std::string> args) {
    const uint64_t before = revision_;
    json j = Json(std::move(args));
    EXPECT_EQ(j.value("ok", false), true) << j.dump();
    EXPECT_EQ(j.value("revision", uint64_t{0}), before + 1) << j.dump();
    EXPECT_TRUE(j.contains("changes") && j["changes"].is_array() &&
                !j["changes"].empty())
        << j.dump();
    revision_ = j.value("revision", before);
    return j;
  }

  // init and the fixture's registries, through the CLI.
  void InitAndImport() {
    json j = Json({"init"});
    EXPECT_EQ(j.value("ok", false), true);
    EXPECT_EQ(j.value("revision", 99), 0);
    const std::string ent = dir_.Write("enterprise.csv", EnterpriseCsv());
    const std::string den = dir_.Write("denomination.csv", DenominationCsv());
    j = Json({"import", "kbo", "--enterprises", ent, "--denominations", den});
    EXPECT_EQ(j.value("inserted", 0), 4) << j.dump();
    EXPECT_EQ(j.value("ignored", 0), 1) << j.dump();
    EXPECT_EQ(j.value("revision", 0), 1) << j.dump();
    j = Json({"import", "persons", dir_.Write("p.csv", PersonsCsv())});
    EXPECT_EQ(j.value("inserted", 0), 11) << j.dump();
    j = Json({"import", "functions", dir_.Write("f.csv", FunctionsCsv())});
    EXPECT_EQ(j.value("inserted", 0), 7) << j.dump();
    j = Json({"import", "facilities", dir_.Write("c.csv", FacilitiesCsv())});
    EXPECT_EQ(j.value("inserted", 0), 8) << j.dump();
    EXPECT_EQ(j.value("revision", 0), 4) << j.dump();
    revision_ = 4;
  }

  // The manual's chain on kOcmw, as TestFederation::BuildOcmwChain.
  void BuildChain() {
    Commit({"htb", "appoint", "--kbo", "0403.019.261", "--insz", kEmpOcmw,
            "--by", kWvOcmw, "--email", "htb@ocmw.gent", "--phone",
            "+32 9 266 99 00"});
    Commit({"hoedanigheid", "activate", "--kbo", kOcmw, "--hoedanigheid",
            "ehealth-gezondheidszorg", "--by", kEmpOcmw});
    Commit({"tb", "set", "--kbo", kOcmw, "--hoedanigheid",
            "eHealth Gezondheidszorg", "--subdivisie", "gezondheidszorg",
            "--insz", kEmp2Ocmw, "--by", kEmpOcmw});
    Commit({"subafdeling", "create", "--kbo", kOcmw, "--hco", kHcoOcmw,
            "--email", "toegang@ocmw.gent", "--beheerder", kUser3,
            "--authorize", "ama-wvg", "--by", kEmp2Ocmw});
    Commit({"user", "add", "--hco", kHcoOcmw, "--insz", kUser1, "--right",
            "ama-wvg", "--by", kEmp2Ocmw});
  }

  json Check(const std::string& insz, const std::string& app, int exit,
             const std::string& hco = "") {
    std::vector<std::string> args = {"check", "--insz", insz, "--app", app};
    if (!hco.empty()) args.insert(args.end(), {"--hco", hco});
    return Json(args, exit);
  }

  std::vector<json> AllAudit() {
    json j = Json({"audit", "--limit", "10000"});
    EXPECT_TRUE(j["next"].is_null());
    std::vector<json> out;
    for (const json& row : j["rows"]) out.push_back(row);
    return out;
  }

  TempDir dir_;
  std::string db_;
  uint64_t revision_ = 0;
};

// --- init and imports -----------------------------------------------------

TEST_F(CliTest, InitCreatesA0600DatabaseAndImportsTheRegistries) {
  const mode_t old = ::umask(022);
  InitAndImport();
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::stat(db_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);

  json s = Json({"stats"});
  EXPECT_EQ(s["revision"], 4);
  EXPECT_EQ(s["enterprises"], 4);
  EXPECT_EQ(s["active_enterprises"], 3);
  EXPECT_EQ(s["persons"], 11);
  EXPECT_EQ(s["facilities"], 8);
  EXPECT_EQ(s["htbs"], 0);

  // init on an existing database keeps it.
  json again = Json({"init"});
  EXPECT_EQ(again["revision"], 4);
  // Importing the same file again changes nothing.
  json same = Json({"import", "persons", dir_.File("p.csv")});
  EXPECT_EQ(same["inserted"], 0);
  EXPECT_EQ(same["unchanged"], 11);
  EXPECT_EQ(same["revision"], 0);

  // Text mode says what happened.
  CliRun text = Run({"import", "persons", dir_.File("p.csv")});
  EXPECT_EQ(text.exit, 0) << Describe(text);
  EXPECT_NE(text.out.find("nothing changed"), std::string::npos)
      << Describe(text);
  CliRun verify = Run({"verify"});
  EXPECT_EQ(verify.exit, 0) << Describe(verify);
  EXPECT_NE(verify.out.find("ok"), std::string::npos);
}

// stats counts in the database without loading the graph (a one-shot
// command at national scale); --graph loads it and adds its figures,
// with the same counts.
TEST_F(CliTest, StatsCountsWithoutTheGraphAndGraphLoadsIt) {
  InitAndImport();
  const json counts = Json({"stats"});
  EXPECT_EQ(counts["graph_loaded"], false);
  EXPECT_FALSE(counts.contains("graph_vertices"));
  const json full = Json({"stats", "--graph"});
  EXPECT_EQ(full["graph_loaded"], true);
  EXPECT_GT(full["graph_vertices"].get<uint64_t>(), 0u);
  EXPECT_GT(full["graph_edges"].get<uint64_t>(), 0u);
  for (const char* k :
       {"revision", "enterprises", "active_enterprises", "persons",
        "facilities", "htbs", "users", "rights", "audit_rows"}) {
    EXPECT_EQ(counts[k], full[k]) << k;
  }
  const CliRun text = Run({"stats"});
  EXPECT_EQ(text.exit, 0) << Describe(text);
  EXPECT_NE(text.out.find("toegang stats --graph"), std::string::npos)
      << text.out;
}

// backup writes one committed revision while the database is in use (here
// a writer holds its write transaction open all along: the copy neither
// waits for it nor holds its rows), with mode 0600, a copy verify passes,
// and never overwrites a file.
TEST_F(CliTest, BackupCopiesOneCommittedRevisionAndNeverOverwrites) {
  InitAndImport();
  BuildChain();
  const uint64_t revision = Json({"stats"})["revision"];
  const std::string copy = dir_.File("backup.db");
  {
    SQLite::Database writer(db_, SQLite::OPEN_READWRITE);
    writer.exec("BEGIN IMMEDIATE");
    writer.exec(
        "INSERT INTO person (insz, name) VALUES ('00000000097', "
        "'Not Committed')");
    json j = Json({"backup", copy});
    EXPECT_EQ(j["ok"], true);
    EXPECT_EQ(j["revision"], revision);
    EXPECT_GT(j["bytes"].get<uint64_t>(), 0u);
    writer.exec("ROLLBACK");
  }
  struct stat st {};
  ASSERT_EQ(::stat(copy.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));
  EXPECT_EQ(CommittedContent(copy), CommittedContent(db_))
      << FirstDifference(CommittedContent(copy), CommittedContent(db_));
  CliRun verify =
      Spawn({"--json", "--db", copy, "verify"}, dir_.path(), std::nullopt);
  EXPECT_EQ(verify.exit, 0) << Describe(verify);
  // The copy stays at its revision when the original moves on.
  Commit({"user", "add", "--hco", kHcoOcmw, "--insz", kUser2, "--app",
          "ama-wvg", "--by", kEmp2Ocmw});
  CliRun old =
      Spawn({"--json", "--db", copy, "stats"}, dir_.path(), std::nullopt);
  EXPECT_EQ(OneObject(old)["revision"], revision);
  // An existing file is refused and left as it was.
  const std::string before = ReadFile(copy);
  ExpectError(Run({"--json", "backup", copy}), 4, "file_exists");
  EXPECT_EQ(ReadFile(copy), before);
}

// The application is --app in every command, by its code or its display
// name ("e-loket AMA WVG", as the manual and the e-desk call it); --right
// and --authorize stay as the same option's older names.
TEST_F(CliTest, TheApplicationIsAppEverywhereByCodeOrName) {
  InitAndImport();
  BuildChain();  // user add ... --right ama-wvg: the older name still works
  Commit({"user", "add", "--hco", kHcoOcmw, "--insz", kUser2, "--app",
          "e-loket AMA WVG", "--by", kEmp2Ocmw});
  EXPECT_EQ(Check(kUser2, "ama-wvg", 0)["allowed"], true);
  EXPECT_EQ(Check(kUser2, "e-loket AMA WVG", 0)["allowed"], true);
  json may = Json({"may", "--by", kEmp2Ocmw, "--action", "user.revoke", "--hco",
                   kHcoOcmw, "--insz", kUser2, "--app", "e-loket AMA WVG"});
  EXPECT_EQ(may["allowed"], true) << may.dump();
  // One application where the action takes one, whatever the names.
  const uint64_t before = Json({"stats"})["revision"];
  ExpectError(
      Run({"--json", "user", "revoke", "--hco", kHcoOcmw, "--insz", kUser2,
           "--app", "ama-wvg", "--right", "vipa", "--by", kEmp2Ocmw}),
      2, "usage");
  EXPECT_EQ(Json({"stats"})["revision"], before);
  Commit({"user", "revoke", "--hco", kHcoOcmw, "--insz", kUser2, "--right",
          "ama-wvg", "--by", kEmp2Ocmw});
  EXPECT_EQ(Check(kUser2, "ama-wvg", 1)["allowed"], false);
  // Each mutation's help names --app.
  const CliRun help = Run({"user", "grant", "--help"});
  EXPECT_EQ(help.exit, 0);
  EXPECT_NE(help.out.find("--app APP"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("the same as --app"), std::string::npos) << help.out;
}

// stats reads the counts the schema keeps (schema/0005_row_counts.sql):
// they must equal the tables' own counts after every kind of writer
// (imports, mutations, a removal whose users cascade, the generator's bulk
// load), and verify names a count that drifted.
TEST_F(CliTest, KeptCountsEqualTheTablesAfterEveryWriter) {
  auto expect_counts_true = [](const std::string& db, const json& stats) {
    SQLite::Database d(db, SQLite::OPEN_READONLY);
    auto count = [&](const char* sql) {
      return static_cast<uint64_t>(d.execAndGet(sql).getInt64());
    };
    EXPECT_EQ(stats["enterprises"], count("SELECT count(*) FROM enterprise"));
    EXPECT_EQ(stats["active_enterprises"],
              count("SELECT count(*) FROM enterprise WHERE active = 1"));
    EXPECT_EQ(stats["persons"], count("SELECT count(*) FROM person"));
    EXPECT_EQ(stats["facilities"], count("SELECT count(*) FROM facility"));
    EXPECT_EQ(stats["htbs"], count("SELECT count(*) FROM htb"));
    EXPECT_EQ(stats["domain_managers"],
              count("SELECT count(*) FROM domain_manager"));
    EXPECT_EQ(stats["subafdelingen"],
              count("SELECT count(*) FROM subafdeling"));
    EXPECT_EQ(stats["users"], count("SELECT count(*) FROM user"));
    EXPECT_EQ(stats["rights"], count("SELECT count(*) FROM user_right"));
    EXPECT_EQ(stats["audit_rows"], count("SELECT count(*) FROM audit"));
  };
  InitAndImport();
  BuildChain();
  json stats = Json({"stats"});
  EXPECT_GT(stats["users"].get<uint64_t>(), 0u);
  expect_counts_true(db_, stats);
  // The subafdeling goes with its user, manager and rights (cascades).
  Commit({"subafdeling", "remove", "--hco", kHcoOcmw, "--by", kEmp2Ocmw});
  stats = Json({"stats"});
  EXPECT_EQ(stats["users"], 0u);
  expect_counts_true(db_, stats);
  // An enterprise stopped by a KBO import counts as inactive no more.
  const std::string stopped = dir_.Write(
      "stop.csv",
      "\"EnterpriseNumber\",\"Status\",\"JuridicalSituation\","
      "\"TypeOfEnterprise\",\"JuridicalForm\",\"JuridicalFormCAC\","
      "\"StartDate\"\n\"0403.019.261\",\"ST\",\"000\",\"2\",\"017\",\"\","
      "\"01-01-2000\"\n");
  const uint64_t active = stats["active_enterprises"];
  Json({"import", "kbo", "--enterprises", stopped});
  stats = Json({"stats"});
  EXPECT_EQ(stats["active_enterprises"], active - 1);
  expect_counts_true(db_, stats);

  // The generator's bulk load counts once at its end.
  const std::string generated = dir_.File("generated.db");
  CliRun gen =
      Spawn({"--json", "generate", "--persons", "3000", "--out", generated},
            dir_.path(), std::nullopt);
  ASSERT_EQ(gen.exit, 0) << Describe(gen);
  CliRun gen_stats =
      Spawn({"--json", "--db", generated, "stats"}, dir_.path(), std::nullopt);
  ASSERT_EQ(gen_stats.exit, 0) << Describe(gen_stats);
  const json g = OneObject(gen_stats);
  EXPECT_GT(g["rights"].get<uint64_t>(), 0u);
  expect_counts_true(generated, g);
  // ... and keeps counting after it (its triggers are back).
  {
    SQLite::Database d(generated, SQLite::OPEN_READWRITE);
    d.exec(
        "DELETE FROM user_right WHERE rowid IN (SELECT rowid FROM "
        "user_right LIMIT 3)");
  }
  CliRun after =
      Spawn({"--json", "--db", generated, "stats"}, dir_.path(), std::nullopt);
  expect_counts_true(generated, OneObject(after));

  // A count that drifted is a verify problem.
  EXPECT_EQ(Json({"verify"})["ok"], true);
  {
    SQLite::Database d(db_, SQLite::OPEN_READWRITE);
    d.exec("UPDATE row_count SET n = n + 2 WHERE name = 'person'");
  }
  CliRun drifted = Run({"--json", "verify"});
  ExpectError(drifted, 4, "verify_failed");
  EXPECT_NE(OneObject(drifted)["problems"].dump().find(
                "row_count says 13 rows of person, the table holds 11"),
            std::string::npos)
      << Describe(drifted);
}

// A spreadsheet's "CSV" in Belgium is separated by ';': the import says
// so once, for the file, instead of refusing every line; nothing changes.
TEST_F(CliTest, ASemicolonSeparatedFileIsNamedAsSuch) {
  InitAndImport();
  const uint64_t revision = Json({"stats"})["revision"];
  const std::string persons = dir_.Write("semi.csv",
                                         "insz;name\n85073003328;Jan Peeters\n"
                                         "81050003552;Ahmed El Amrani\n");
  CliRun text = Run({"import", "persons", persons});
  EXPECT_EQ(text.exit, 2) << Describe(text);
  EXPECT_NE(text.err.find("semi.csv is separated by ';'"), std::string::npos)
      << Describe(text);
  EXPECT_EQ(text.err.find("semi.csv:2"), std::string::npos)
      << "one message for the file, not one per line: " << Describe(text);
  const std::string kbo = dir_.Write(
      "semi-kbo.csv",
      "\"EnterpriseNumber\";\"Status\";\"JuridicalSituation\";"
      "\"TypeOfEnterprise\";\"JuridicalForm\";\"JuridicalFormCAC\";"
      "\"StartDate\"\n\"0403.019.261\";\"AC\";\"000\";\"2\";\"017\";\"\";"
      "\"01-01-2000\"\n");
  json j = Json({"import", "kbo", "--enterprises", kbo}, 2);
  EXPECT_EQ(j["error"], "import_rejected") << j.dump();
  EXPECT_NE(j["message"].get<std::string>().find("separated by ';'"),
            std::string::npos)
      << j.dump();
  EXPECT_EQ(Json({"stats"})["revision"], revision);
}

TEST_F(CliTest, ImportSkipInvalidExitsZeroOnABadFileAndTwoWithout) {
  Json({"init"});
  const std::string bad = Data("bad/persons.csv");
  // Atomic: refused as invalid input, each bad line listed.
  CliRun atomic = Run({"--json", "import", "persons", bad});
  ExpectError(atomic, 2, "import_rejected");
  json j = OneObject(atomic);
  std::vector<std::pair<int, std::string>> lines;
  for (const json& e : j["errors"]) {
    lines.emplace_back(e["line"].get<int>(), e["code"].get<std::string>());
  }
  EXPECT_EQ(lines,
            (std::vector<std::pair<int, std::string>>{{3, "invalid_insz"},
                                                      {5, "invalid_row"},
                                                      {6, "invalid_name"},
                                                      {8, "invalid_row"},
                                                      {10, "invalid_insz"}}))
      << j.dump();
  EXPECT_EQ(Json({"stats"})["persons"], 0);

  // Text mode: the bad lines on stderr as FILE:LINE: CODE.
  CliRun text = Run({"import", "persons", bad});
  EXPECT_EQ(text.exit, 2) << Describe(text);
  EXPECT_NE(text.err.find(bad + ":3: invalid_insz"), std::string::npos)
      << Describe(text);
  EXPECT_NE(text.err.find("import_rejected"), std::string::npos);

  // --skip-invalid: the good rows load, the bad ones are still reported.
  json skipped = Json({"import", "persons", bad, "--skip-invalid"});
  EXPECT_EQ(skipped["inserted"], 4) << skipped.dump();
  EXPECT_EQ(skipped["invalid"], 5);
  EXPECT_EQ(skipped["errors"].size(), 5u);
  EXPECT_EQ(skipped["revision"], 1);
  EXPECT_EQ(Json({"stats"})["persons"], 4);

  // KBO files too, with a wrong header refused even with --skip-invalid.
  ExpectError(Run({"--json", "import", "kbo", "--enterprises",
                   Data("kbo/enterprise.csv"), "--denominations",
                   Data("bad/denomination_header.csv"), "--skip-invalid"}),
              2, "import_rejected");
  json kbo = Json({"import", "kbo", "--enterprises", Data("bad/enterprise.csv"),
                   "--skip-invalid"});
  EXPECT_EQ(kbo["inserted"], 4);
  EXPECT_EQ(kbo["invalid"], 8);

  // A missing file is an I/O error; a missing argument a usage error.
  ExpectError(Run({"--json", "import", "persons", dir_.File("none.csv")}), 4,
              "io_error");
  ExpectError(Run({"--json", "import", "persons"}), 2, "usage");
  ExpectError(Run({"--json", "import", "kbo"}), 2, "usage");
  ExpectError(Run({"--json", "import", "people", bad}), 2, "usage");
  ExpectError(Run({"--json", "import"}), 2, "usage");
}

// --- the delegation commands ----------------------------------------------

TEST_F(CliTest, EveryMutationCommandCommitsTheNextRevision) {
  InitAndImport();
  BuildChain();
  EXPECT_EQ(revision_, 9u);
  json j = Check(kUser1, "ama-wvg", 0);
  EXPECT_EQ(j["allowed"], true);

  Commit({"tb", "add-co", "--kbo", kOcmw, "--insz", kUser2, "--by", kEmpOcmw});
  Commit(
      {"tb", "remove-co", "--kbo", kOcmw, "--insz", kUser2, "--by", kEmpOcmw});
  Commit({"subafdeling", "authorize", "--hco", kHcoOcmw, "--app", "vipa",
          "--by", kEmp2Ocmw});
  Commit({"subafdeling", "add-beheerder", "--hco", kHcoOcmw, "--insz",
          kOutsider, "--by", kEmp2Ocmw});
  Commit({"subafdeling", "remove-beheerder", "--hco", kHcoOcmw, "--insz",
          kOutsider, "--by", kEmp2Ocmw});
  Commit({"user", "grant", "--hco", kHcoOcmw, "--insz", kUser1, "--right",
          "vipa", "--by", kUser3});
  EXPECT_EQ(Check(kUser1, "vipa", 0)["allowed"], true);
  Commit({"user", "revoke", "--hco", kHcoOcmw, "--insz", kUser1, "--right",
          "vipa", "--by", kUser3});
  EXPECT_EQ(Check(kUser1, "vipa", 1)["allowed"], false);
  Commit({"user", "add", "--hco", kHcoOcmw, "--insz", kUser2, "--right",
          "ama-wvg", "--right", "vipa", "--by", kUser3});
  EXPECT_EQ(Check(kUser2, "vipa", 0)["allowed"], true);
  // Deauthorizing revokes the right of every user, as further changes.
  json deauth = Commit({"subafdeling", "deauthorize", "--hco", kHcoOcmw,
                        "--app", "vipa", "--by", kEmp2Ocmw});
  EXPECT_EQ(deauth["action"], "subafdeling.deauthorize");
  EXPECT_EQ(deauth["changes"].size(), 2u) << deauth.dump();
  EXPECT_EQ(Check(kUser2, "vipa", 1)["allowed"], false);
  Commit(
      {"user", "remove", "--hco", kHcoOcmw, "--insz", kUser2, "--by", kUser3});
  EXPECT_EQ(Check(kUser2, "ama-wvg", 1)["allowed"], false);
  Commit({"subafdeling", "create", "--kbo", kOcmw, "--hco", kHcoSociaalHuis,
          "--email", "sh@ocmw.gent", "--authorize", "vipa", "--by", kEmpOcmw});
  Commit({"user", "add", "--hco", kHcoSociaalHuis, "--insz", kUser2, "--right",
          "vipa", "--by", kEmpOcmw});
  EXPECT_EQ(Check(kUser2, "vipa", 0)["facilities"],
            json::array({kHcoSociaalHuis}));
  Commit({"subafdeling", "remove", "--hco", kHcoSociaalHuis, "--by", kEmpOcmw});
  EXPECT_EQ(Check(kUser2, "vipa", 1)["allowed"], false);

  // The surviving state.
  json s = Json({"stats"});
  EXPECT_EQ(s["revision"], revision_);
  EXPECT_EQ(s["htbs"], 1);
  EXPECT_EQ(s["domain_managers"], 1);
  EXPECT_EQ(s["subafdelingen"], 1);
  EXPECT_EQ(s["users"], 1);
  EXPECT_EQ(s["rights"], 1);
  json v = Json({"verify"});
  EXPECT_EQ(v["ok"], true);
  EXPECT_EQ(v["problems"], json::array());
  EXPECT_EQ(v["revision"], revision_);

  // Text output of a mutation names the revision and each change.
  CliRun text =
      Run({"user", "add", "--hco", kHcoOcmw, "--insz", kUser2, "--by", kUser3});
  EXPECT_EQ(text.exit, 0) << Describe(text);
  EXPECT_EQ(text.out.rfind(fmt::format("ok: revision {}\n", revision_ + 1), 0),
            0u)
      << Describe(text);
}

TEST_F(CliTest, OldTermsAreAliases) {
  InitAndImport();
  json j = Commit(
      {"vte", "appoint", "--kbo", kOcmw, "--insz", kEmpOcmw, "--by", kWvOcmw});
  EXPECT_EQ(j["action"], "htb.appoint");
  Commit({"hoedanigheid", "activate", "--kbo", kOcmw, "--by", kEmpOcmw});
  j = Commit({"lokale-beheerder", "set", "--kbo", kOcmw, "--insz", kEmp2Ocmw,
              "--by", kEmpOcmw});
  EXPECT_EQ(j["action"], "tb.set");
  j = Commit({"lokale-beheerder", "add-co", "--kbo", kOcmw, "--insz", kUser2,
              "--by", kEmpOcmw});
  EXPECT_EQ(j["action"], "tb.add-co");
  // The aliased changes are recorded under the current names.
  std::vector<std::string> actions;
  for (const json& row : AllAudit()) {
    actions.push_back(row["action"].get<std::string>());
  }
  ASSERT_GE(actions.size(), 4u);
  EXPECT_EQ(std::vector<std::string>(actions.end() - 4, actions.end()),
            (std::vector<std::string>{"htb.appoint", "hoedanigheid.activate",
                                      "tb.set", "tb.add-co"}));
  // The TB set through the alias may act as TB.
  Commit({"subafdeling", "create", "--kbo", kOcmw, "--hco", kHcoOcmw, "--email",
          "t@ocmw.gent", "--by", kEmp2Ocmw});
  ExpectError(Run({"--json", "lokale-beheerder", "appoint", "--kbo", kOcmw,
                   "--by", kEmpOcmw}),
              2, "usage");
}

// The co-TB by the manual's old name, written either way, and by its own
// group; the roles' other words, in any case.
TEST_F(CliTest, OldRoleNamesIncludingCoLokaleBeheerder) {
  InitAndImport();
  Commit(
      {"VTE", "appoint", "--kbo", kOcmw, "--insz", kEmpOcmw, "--by", kWvOcmw});
  Commit({"hoedanigheid", "activate", "--kbo", kOcmw, "--by", kEmpOcmw});
  json j = Commit({"co-lokale-beheerder", "add", "--kbo", kOcmw, "--insz",
                   kUser2, "--by", kEmpOcmw});
  EXPECT_EQ(j["action"], "tb.add-co");
  j = Commit({"co-lokale beheerder", "remove", "--kbo", kOcmw, "--insz", kUser2,
              "--by", kEmpOcmw});
  EXPECT_EQ(j["action"], "tb.remove-co");
  j = Commit(
      {"co-tb", "add-co", "--kbo", kOcmw, "--insz", kUser2, "--by", kEmpOcmw});
  EXPECT_EQ(j["action"], "tb.add-co");
  j = Commit({"Lokale Beheerder", "set", "--kbo", kOcmw, "--insz", kEmp2Ocmw,
              "--by", kEmpOcmw});
  EXPECT_EQ(j["action"], "tb.set");
  j = Commit({"toegangsbeheerder", "remove-co", "--kbo", kOcmw, "--insz",
              kUser2, "--by", kEmpOcmw});
  EXPECT_EQ(j["action"], "tb.remove-co");
  // may understands the same words, before a dot or a space.
  for (const std::string action :
       {"co-lokale beheerder.add", "co-lokale-beheerder add",
        "Co-Lokale Beheerder add", "co-tb.add", "tb.add-co"}) {
    json may = Json({"may", "--by", kEmpOcmw, "--action", action, "--kbo",
                     kOcmw, "--insz", kUser2});
    EXPECT_EQ(may["allowed"], true) << action << ": " << may.dump();
    EXPECT_EQ(may["action"], "tb.add-co") << action;
  }
  EXPECT_EQ(Json({"stats"})["revision"], revision_);  // may changed nothing
  // A co-TB cannot be "set": the co-TB group has add and remove only.
  ExpectError(Run({"--json", "co-lokale-beheerder", "set", "--kbo", kOcmw,
                   "--insz", kUser2, "--by", kEmpOcmw}),
              2, "usage");
  ExpectError(Run({"--json", "co-lokale", "add", "--kbo", kOcmw, "--insz",
                   kUser2, "--by", kEmpOcmw}),
              2, "usage");
}

// The application by the names the manual uses, case-insensitively, in
// check and in the mutations; shown and stored by its code.
TEST_F(CliTest, ApplicationByTheNamesOfTheManual) {
  InitAndImport();
  BuildChain();
  for (const std::string name :
       {"e-loket AMA WVG", "E-LOKET ama wvg", "  e-loket   AMA WVG ",
        "Aanbod van arbeidsmatige activiteiten",
        "aanbod arbeidsmatige activiteiten"}) {
    json yes = Check(kUser1, name, 0);
    EXPECT_EQ(yes["allowed"], true) << name;
    EXPECT_EQ(yes["revision"], revision_) << name;
  }
  EXPECT_EQ(Check(kUser1, "eVIPA", 1)["allowed"], false);
  json j = Commit({"subafdeling", "authorize", "--hco", kHcoOcmw, "--app",
                   "EVIPA", "--by", kEmp2Ocmw});
  j = Commit({"user", "grant", "--hco", kHcoOcmw, "--insz", kUser1, "--right",
              "evipa", "--by", kEmp2Ocmw});
  EXPECT_EQ(Check(kUser1, "vipa", 0)["allowed"], true);
  EXPECT_EQ(Check(kUser1, "eVIPA", 0)["allowed"], true);
  // The audit keeps the code, never the alias.
  const std::vector<json> audit = AllAudit();
  ASSERT_GE(audit.size(), 2u);
  EXPECT_NE(audit.back().dump().find("\"vipa\""), std::string::npos)
      << audit.back().dump();
  EXPECT_EQ(audit.back().dump().find("eVIPA"), std::string::npos)
      << audit.back().dump();
  // "e-loket" alone names no application; the message lists the aliases.
  CliRun unknown =
      Run({"--json", "check", "--insz", kUser1, "--app", "e-loket"});
  EXPECT_EQ(unknown.exit, 2) << Describe(unknown);
  EXPECT_NE(unknown.out.find("unknown_application"), std::string::npos)
      << Describe(unknown);
  EXPECT_NE(unknown.out.find("e-loket AMA WVG"), std::string::npos)
      << Describe(unknown);
}

// --- check, may and the exit codes ----------------------------------------

TEST_F(CliTest, CheckAnswersWithAllowedRevisionAndFacilities) {
  InitAndImport();
  BuildChain();
  json yes = Check(kUser1, "ama-wvg", 0);
  EXPECT_EQ(yes["allowed"], true);
  EXPECT_EQ(yes["revision"], revision_);
  EXPECT_EQ(yes["facilities"], json::array({kHcoOcmw}));
  // By application name, and through the facility.
  EXPECT_EQ(Check(kUser1,
                  "Departement Welzijn, Volksgezondheid en Gezin: Aanbod van "
                  "arbeidsmatige activiteiten",
                  0)["allowed"],
            true);
  EXPECT_EQ(Check(kUser1, "ama-wvg", 0, kHcoOcmw)["allowed"], true);
  // The INSZ in display form is the same person, echoed canonically.
  json display = Check("81.05.00-035.52", "ama-wvg", 0);
  EXPECT_EQ(display["allowed"], true);
  EXPECT_EQ(display["insz"], kUser1);
  // Global options may also follow the command.
  CliRun late = Run({"check", "--insz", kUser1, "--app", "ama-wvg", "--json"});
  EXPECT_EQ(late.exit, 0) << Describe(late);
  EXPECT_EQ(OneObject(late)["allowed"], true);

  json no = Check(kUser1, "ama-wvg", 1, kHcoSociaalHuis);
  EXPECT_EQ(no["allowed"], false);
  EXPECT_EQ(no["revision"], revision_);
  EXPECT_EQ(no["facilities"], json::array());
  EXPECT_EQ(Check(kUser1, "vipa", 1)["allowed"], false);
  // A valid INSZ nobody knows is simply denied.
  EXPECT_EQ(Check("00000100166", "ama-wvg", 1)["allowed"], false);
  EXPECT_EQ(Check(kUser1, "ama-wvg", 1, kHcoUnknown)["allowed"], false);

  // Invalid input is exit 2 with the code.
  ExpectError(
      Run({"--json", "check", "--insz", "81050103521", "--app", "ama-wvg"}), 2,
      "invalid_insz");
  ExpectError(
      Run({"--json", "check", "--insz", "12345678901", "--app", "ama-wvg"}), 2,
      "invalid_insz");
  ExpectError(Run({"--json", "check", "--insz", kUser1, "--app", "nope"}), 2,
              "unknown_application");
  ExpectError(Run({"--json", "check", "--insz", kUser1, "--app", "ama-wvg",
                   "--hco", "12A45"}),
              2, "invalid_hco");
  ExpectError(Run({"--json", "check", "--insz", kUser1}), 2, "usage");

  // --at-least: met, or a storage-class failure to reach it.
  EXPECT_EQ(Json({"check", "--insz", kUser1, "--app", "ama-wvg", "--at-least",
                  std::to_string(revision_)})["allowed"],
            true);
  ExpectError(Run({"--json", "check", "--insz", kUser1, "--app", "ama-wvg",
                   "--at-least", std::to_string(revision_ + 1)}),
              4, "revision_not_reached");

  // Text mode: exit codes are the same, the answer on one line.
  CliRun text = Run({"check", "--insz", kUser1, "--app", "ama-wvg"});
  EXPECT_EQ(text.exit, 0);
  EXPECT_NE(text.out.find("ALLOWED"), std::string::npos) << Describe(text);
  EXPECT_NE(text.out.find(kHcoOcmw), std::string::npos);
  text = Run({"check", "--insz", kUser2, "--app", "ama-wvg"});
  EXPECT_EQ(text.exit, 1);
  EXPECT_NE(text.out.find("DENIED"), std::string::npos) << Describe(text);
  text = Run({"check", "--insz", "81050103521", "--app", "ama-wvg"});
  EXPECT_EQ(text.exit, 2);
  EXPECT_TRUE(text.out.empty()) << Describe(text);
  EXPECT_NE(text.err.find("invalid_insz"), std::string::npos);
}

TEST_F(CliTest, DutchOutputWithLangNl) {
  InitAndImport();
  BuildChain();
  CliRun yes =
      Run({"--lang", "nl", "check", "--insz", kUser1, "--app", "ama-wvg"});
  EXPECT_EQ(yes.exit, 0) << Describe(yes);
  EXPECT_NE(yes.out.find("TOEGESTAAN"), std::string::npos) << Describe(yes);
  EXPECT_NE(yes.out.find("revisie"), std::string::npos) << Describe(yes);
  EXPECT_EQ(yes.out.find("ALLOWED"), std::string::npos) << Describe(yes);
  CliRun no = Run({"--lang=nl", "check", "--insz", kUser2, "--app", "ama-wvg"});
  EXPECT_EQ(no.exit, 1) << Describe(no);
  EXPECT_NE(no.out.find("GEWEIGERD"), std::string::npos) << Describe(no);
  EXPECT_EQ(no.out.find("DENIED"), std::string::npos) << Describe(no);
  CliRun en =
      Run({"--lang", "en", "check", "--insz", kUser2, "--app", "ama-wvg"});
  EXPECT_NE(en.out.find("DENIED"), std::string::npos) << Describe(en);
  ExpectError(Run({"--json", "--lang", "fr", "check", "--insz", kUser2, "--app",
                   "ama-wvg"}),
              2, "usage");
  // Any case, before or after the command.
  CliRun upper =
      Run({"--lang", "NL", "check", "--insz", kUser2, "--app", "ama-wvg"});
  EXPECT_NE(upper.out.find("GEWEIGERD"), std::string::npos) << Describe(upper);
  CliRun after =
      Run({"check", "--insz", kUser2, "--app", "ama-wvg", "--lang=Nl"});
  EXPECT_NE(after.out.find("GEWEIGERD"), std::string::npos) << Describe(after);
  ExpectError(Run({"--json", "check", "--insz", kUser2, "--app", "ama-wvg",
                   "--lang", "FR"}),
              2, "usage");
}

TEST_F(CliTest, RefusalsAreExitThreeAndMayAsksWithoutChanging) {
  InitAndImport();
  BuildChain();
  // A rule refuses: exit 3 with the rule's code.
  ExpectError(Run({"--json", "htb", "appoint", "--kbo", kOcmw, "--insz", kUser1,
                   "--by", kOutsider}),
              3, "not_authorized");
  ExpectError(Run({"--json", "user", "grant", "--hco", kHcoOcmw, "--insz",
                   kUser1, "--right", "ama-wvg", "--by", kEmp2Ocmw}),
              3, "already_granted");
  ExpectError(Run({"--json", "subafdeling", "create", "--kbo", kOcmw, "--hco",
                   kHcoSociaalHuis, "--email", "x@ocmw.gent", "--authorize",
                   "ama-wvg", "--by", kEmpOcmw}),
              3, "wrong_facility_type");
  CliRun text =
      Run({"hoedanigheid", "activate", "--kbo", kOcmw, "--by", kEmpOcmw});
  EXPECT_EQ(text.exit, 3) << Describe(text);
  EXPECT_NE(text.err.find("already_active"), std::string::npos)
      << Describe(text);
  // Invalid input in a mutation: exit 2.
  ExpectError(Run({"--json", "htb", "appoint", "--kbo", "0403019262", "--insz",
                   kUser1, "--by", kWvOcmw}),
              2, "invalid_kbo");
  ExpectError(Run({"--json", "user", "add", "--hco", kHcoOcmw, "--insz", kUser2,
                   "--by", "81050103521"}),
              2, "invalid_insz");
  ExpectError(
      Run({"--json", "user", "add", "--hco", kHcoOcmw, "--insz", kUser2}), 2,
      "usage");
  // Nothing of that changed anything.
  EXPECT_EQ(Json({"stats"})["revision"], revision_);

  // may: 0 when allowed, 1 when a rule would refuse; never a change.
  json may = Json({"may", "--by", kEmp2Ocmw, "--action", "user.add", "--hco",
                   kHcoOcmw, "--insz", kUser2});
  EXPECT_EQ(may["allowed"], true);
  EXPECT_EQ(may["action"], "user.add");
  EXPECT_EQ(may["revision"], revision_);
  json nope = Json({"may", "--by", kOutsider, "--action", "user.add", "--hco",
                    kHcoOcmw, "--insz", kUser2},
                   1);
  EXPECT_EQ(nope["allowed"], false);
  EXPECT_EQ(nope["code"], "not_authorized");
  EXPECT_FALSE(nope["message"].get<std::string>().empty());
  json alias = Json({"may", "--by", kWvOcmw, "--action", "vte.appoint", "--kbo",
                     kOcmw, "--insz", kEmp2Ocmw});
  EXPECT_EQ(alias["action"], "htb.appoint");
  ExpectError(Run({"--json", "may", "--by", kOutsider, "--action", "user.fly",
                   "--hco", kHcoOcmw}),
              2, "usage");
  ExpectError(Run({"--json", "may", "--by", kOutsider}), 2, "usage");
  ExpectError(Run({"--json", "may", "--by", "12345678901", "--action",
                   "user.add", "--hco", kHcoOcmw, "--insz", kUser2}),
              2, "invalid_insz");
  EXPECT_EQ(Json({"stats"})["revision"], revision_);
  EXPECT_EQ(Check(kUser2, "ama-wvg", 1)["allowed"], false);
}

TEST_F(CliTest, UsageErrorsAreExitTwo) {
  InitAndImport();
  ExpectError(Run({"--json", "fly"}), 2, "usage");
  ExpectError(Run({"--json", "--bogus", "stats"}), 2, "usage");
  ExpectError(Run({"--json", "stats", "--bogus"}), 2, "usage");
  ExpectError(Run({"--json", "check", "--insz", kUser1, "--app", "ama-wvg",
                   "--colour", "red"}),
              2, "usage");
  ExpectError(Run({"--json", "user", "add", "--hco", kHcoOcmw, "--insz", kUser1,
                   "--by", kEmpOcmw, "--kleur", "rood"}),
              2, "usage");
  ExpectError(Run({"--json", "user", "fly", "--by", kEmpOcmw}), 2, "usage");
  ExpectError(Run({"--json", "user"}), 2, "usage");
  ExpectError(Run({"--json", "user", "--hco", kHcoOcmw}), 2, "usage");
  ExpectError(Run({"--json", "changes"}), 2, "usage");
  ExpectError(Run({"--json", "audit", "--limit", "many"}), 2, "usage");
  // Stray words are not silently dropped.
  ExpectError(Run({"--json", "verify", "extra"}), 2, "usage");
  ExpectError(
      Run({"--json", "check", "--insz", kUser1, "--app", "ama-wvg", "vipa"}), 2,
      "usage");
  ExpectError(Run({"--json", "user", "add", "--hco", kHcoOcmw, "--insz", kUser1,
                   "--right", "ama-wvg", "vipa", "--by", kEmpOcmw}),
              2, "usage");
  ExpectError(Run({"--json", "import", "persons", Data("persons.csv"),
                   Data("persons.csv")}),
              2, "usage");
  // Text mode: the usage error on stderr, nothing on stdout.
  CliRun text = Run({"fly"});
  EXPECT_EQ(text.exit, 2) << Describe(text);
  EXPECT_TRUE(text.out.empty()) << Describe(text);
  EXPECT_NE(text.err.find("fly"), std::string::npos) << Describe(text);
  CliRun none = Run({});
  EXPECT_EQ(none.exit, 2) << Describe(none);
  EXPECT_NE(none.err.find("usage"), std::string::npos) << Describe(none);
  ExpectError(Run({"--json"}), 2, "usage");
  ExpectError(Spawn({"--json", "stats", "--db"}, dir_.path(), db_), 2, "usage");
  ExpectError(Spawn({"--json", "--db"}, dir_.path(), db_), 2, "usage");
  CliRun help = Run({"--help"});
  EXPECT_EQ(help.exit, 0) << Describe(help);
  EXPECT_NE(help.out.find("subafdeling "), std::string::npos);
  // Nothing was created or changed by any of it.
  EXPECT_EQ(Json({"stats"})["revision"], 4);
}

// --- the database: --db, TOEGANG_DB, missing ------------------------------

TEST_F(CliTest, MissingDatabaseIsExitFourForEveryCommand) {
  const std::string missing = dir_.File("missing.db");
  const std::vector<std::vector<std::string>> commands = {
      {"stats"},
      {"verify"},
      {"audit"},
      {"changes", "--since", "0"},
      {"check", "--insz", kUser1, "--app", "ama-wvg"},
      {"may", "--by", kWvOcmw, "--action", "htb.appoint", "--kbo", kOcmw,
       "--insz", kEmpOcmw},
      {"htb", "appoint", "--kbo", kOcmw, "--insz", kEmpOcmw, "--by", kWvOcmw},
      {"import", "persons", Data("persons.csv")},
  };
  for (const std::vector<std::string>& c : commands) {
    std::vector<std::string> args = {"--json", "--db", missing};
    args.insert(args.end(), c.begin(), c.end());
    ExpectError(Spawn(args, dir_.path(), std::nullopt), 4, "not_initialized");
  }
  EXPECT_FALSE(std::filesystem::exists(missing));
  // init where no file can be created: an I/O error.
  ExpectError(Spawn({"--json", "--db", dir_.File("no/such/dir/x.db"), "init"},
                    dir_.path(), std::nullopt),
              4, "io_error");
  // A file that is not a database is a storage error too, and is kept.
  const std::string text = dir_.Write("notes.txt", std::string(4096, 'x'));
  ExpectError(
      Spawn({"--json", "--db", text, "stats"}, dir_.path(), std::nullopt), 4,
      "not_a_database");
  EXPECT_EQ(ReadFile(text), std::string(4096, 'x'));
}

// verify on a terminal tells each step as it begins (a minute at ten
// million persons is long to wait in silence); into a pipe it tells
// nothing but the answer. --thorough also finds an index that no longer
// matches its table, which the default check of the pages passes.
TEST_F(CliTest, VerifyShowsItsStepsOnATerminalAndThoroughChecksIndexes) {
  InitAndImport();
  BuildChain();
  const auto [exit, shown] = OnTerminal({"verify"});
  EXPECT_EQ(exit, 0) << shown;
  for (const char* step : {"verify [1/3] checking the database (",
                           "verify [2/3] loading the graph (",
                           "verify [3/3] checking the model's rules (",
                           "ok: database and graph agree"}) {
    EXPECT_NE(shown.find(step), std::string::npos) << step << " in:\n" << shown;
  }
  CliRun piped = Run({"verify"});
  EXPECT_EQ(piped.exit, 0) << Describe(piped);
  EXPECT_EQ(piped.err.find("verify ["), std::string::npos) << piped.err;

  // The index of users by INSZ, redefined behind SQLite's back so that its
  // entries no longer match the rows.
  {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    const int version = db.execAndGet("PRAGMA schema_version").getInt();
    db.exec("PRAGMA writable_schema = ON");
    EXPECT_EQ(db.exec("UPDATE sqlite_schema SET sql = 'CREATE INDEX "
                      "user_by_insz ON user(subafdeling)' WHERE name = "
                      "'user_by_insz'"),
              1);
    db.exec(fmt::format("PRAGMA schema_version = {}", version + 1));
  }
  EXPECT_EQ(Json({"verify"})["ok"], true);
  CliRun thorough = Run({"--json", "verify", "--thorough"});
  ExpectError(thorough, 4, "verify_failed");
  EXPECT_NE(OneObject(thorough)["problems"].dump().find("user_by_insz"),
            std::string::npos)
      << Describe(thorough);
}

// A mutation that takes away more than it names (a cascade) says so:
// `may` before, the mutation after; on a terminal, where a person types,
// it waits for --yes and changes nothing without it. A script (no
// terminal) goes ahead as before.
TEST_F(CliTest, MayAndMutationsStateTheCascadeAndATerminalAsksForYes) {
  InitAndImport();
  BuildChain();
  const std::string user1 = Insz::Parse(kUser1)->Display();
  const std::string manager = Insz::Parse(kUser3)->Display();
  const std::vector<std::string> remove = {"subafdeling", "remove", "--hco",
                                           kHcoOcmw,      "--by",   kEmp2Ocmw};

  CliRun may = Run({"may", "--action", "subafdeling.remove", "--hco", kHcoOcmw,
                    "--by", kEmp2Ocmw});
  EXPECT_EQ(may.exit, 0) << Describe(may);
  for (const char* line :
       {"subafdeling.remove would also:", "  revoke 1 right: ",
        "  remove 1 user: ", "  remove 1 manager: ",
        "  withdraw 1 application: ama-wvg"}) {
    EXPECT_NE(may.out.find(line), std::string::npos) << line << "\n" << may.out;
  }
  EXPECT_NE(may.out.find(user1 + ") ama-wvg"), std::string::npos) << may.out;
  EXPECT_NE(may.out.find(manager), std::string::npos) << may.out;
  json j = Json({"may", "--action", "subafdeling.remove", "--hco", kHcoOcmw,
                 "--by", kEmp2Ocmw});
  ASSERT_EQ(j["cascade"].size(), 4u) << j.dump();
  EXPECT_EQ(j["cascade"][0]["action"], "user.revoke");
  EXPECT_EQ(j["cascade"][0]["count"], 1);
  EXPECT_EQ(j["cascade"][3]["action"], "subafdeling.deauthorize");
  CliRun nl = Run({"--lang", "nl", "may", "--action", "subafdeling.remove",
                   "--hco", kHcoOcmw, "--by", kEmp2Ocmw});
  EXPECT_NE(nl.out.find("subafdeling.remove zou ook:\n  1 recht intrekken: "),
            std::string::npos)
      << nl.out;
  // Adding a user takes nothing away: nothing to state.
  j = Json({"may", "--action", "user.add", "--hco", kHcoOcmw, "--insz", kUser2,
            "--app", "ama-wvg", "--by", kEmp2Ocmw});
  EXPECT_EQ(j["allowed"], true) << j.dump();
  EXPECT_EQ(j["cascade"], json::array()) << j.dump();

  // On a terminal without --yes: the cascade, confirmation_needed, and
  // nothing changed.
  const auto [refused, said] = OnTerminal(remove);
  EXPECT_EQ(refused, 2) << said;
  EXPECT_NE(said.find("subafdeling.remove would also:"), std::string::npos)
      << said;
  EXPECT_NE(said.find("confirmation_needed"), std::string::npos) << said;
  EXPECT_NE(said.find("--yes"), std::string::npos) << said;
  EXPECT_EQ(Json({"stats"})["revision"], revision_);
  Check(kUser1, "ama-wvg", 0);

  // Without a terminal (a script): it goes ahead and states what it took.
  CliRun deauthorize = Run({"subafdeling", "deauthorize", "--hco", kHcoOcmw,
                            "--app", "ama-wvg", "--by", kEmp2Ocmw});
  EXPECT_EQ(deauthorize.exit, 0) << Describe(deauthorize);
  EXPECT_NE(deauthorize.out.find("subafdeling.deauthorize also did:\n  "
                                 "revoke 1 right: "),
            std::string::npos)
      << deauthorize.out;
  ++revision_;
  Check(kUser1, "ama-wvg", 1);

  // On a terminal with --yes: done.
  std::vector<std::string> confirmed = remove;
  confirmed.push_back("--yes");
  const auto [done, told] = OnTerminal(confirmed);
  EXPECT_EQ(done, 0) << told;
  EXPECT_NE(told.find("subafdeling.remove also did:"), std::string::npos)
      << told;
  EXPECT_EQ(Json({"stats"})["revision"], revision_ + 1);
}

// --lang nl (in any case) turns error messages Dutch: the code's own
// sentence with the remedy, then the particulars as details. The code
// and the exit code stay; JSON adds message_nl beside message.
TEST_F(CliTest, LangNlGivesDutchErrorMessages) {
  InitAndImport();
  BuildChain();
  // kUser2 manages nothing.
  const std::vector<std::string> grant = {"user",   "add",  "--hco", kHcoOcmw,
                                          "--insz", kUser2, "--app", "ama-wvg",
                                          "--by",   kUser2};
  std::vector<std::string> dutch = {"--lang", "NL"};
  dutch.insert(dutch.end(), grant.begin(), grant.end());
  CliRun nl = Run(dutch);
  EXPECT_EQ(nl.exit, 3) << Describe(nl);
  EXPECT_NE(nl.err.find("toegang: not_authorized: U mag deze wijziging niet "
                        "uitvoeren."),
            std::string::npos)
      << nl.err;
  EXPECT_NE(nl.err.find("\n  details: only the HTB"), std::string::npos)
      << nl.err;
  CliRun en = Run(grant);
  EXPECT_EQ(en.exit, 3);
  EXPECT_EQ(en.err.find("details:"), std::string::npos) << en.err;
  EXPECT_EQ(en.err.find("U mag"), std::string::npos) << en.err;

  CliRun insz = Run(
      {"--lang", "nl", "check", "--insz", "12345678901", "--app", "ama-wvg"});
  EXPECT_EQ(insz.exit, 2);
  EXPECT_NE(insz.err.find("invalid_insz: Dit is geen geldig "
                          "rijksregisternummer"),
            std::string::npos)
      << insz.err;
  CliRun usage = Run({"--lang", "nl", "chekc"});
  EXPECT_EQ(usage.exit, 2);
  EXPECT_NE(usage.err.find("usage: Het commando is niet volledig"),
            std::string::npos)
      << usage.err;
  EXPECT_NE(usage.err.find("check"), std::string::npos) << usage.err;

  json j =
      Json({"--lang", "nl", "may", "--action", "user.add", "--hco", kHcoOcmw,
            "--insz", kUser2, "--app", "ama-wvg", "--by", kUser2},
           1);
  EXPECT_EQ(j["code"], "not_authorized");
  EXPECT_EQ(j["message_nl"].get<std::string>().rfind("U mag", 0), 0u)
      << j.dump();
  CliRun json_error =
      Run({"--json", "--lang", "nl", "user", "add", "--hco", kHcoOcmw, "--insz",
           kUser2, "--app", "ama-wvg", "--by", kUser2});
  j = OneObject(json_error);
  EXPECT_EQ(j["error"], "not_authorized");
  EXPECT_NE(j["message"].get<std::string>().find("only the HTB"),
            std::string::npos);
  EXPECT_TRUE(j.contains("message_nl")) << j.dump();
}

TEST_F(CliTest, DamagedOrNewerDatabasesAreExitFour) {
  InitAndImport();
  BuildChain();
  EXPECT_EQ(Json({"verify"})["ok"], true);
  {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    db.exec("DELETE FROM audit WHERE revision = 6");
  }
  CliRun damaged = Run({"--json", "verify"});
  ExpectError(damaged, 4, "verify_failed");
  json j = OneObject(damaged);
  ASSERT_TRUE(j.contains("problems"));
  EXPECT_FALSE(j["problems"].empty()) << j.dump();
  CliRun text = Run({"verify"});
  EXPECT_EQ(text.exit, 4);
  EXPECT_NE(text.err.find("verify_failed"), std::string::npos)
      << Describe(text);

  {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    const int version = db.execAndGet("PRAGMA user_version").getInt();
    db.exec(fmt::format("PRAGMA user_version = {}", version + 1));
  }
  const std::string before = ReadFile(db_);
  ExpectError(Run({"--json", "stats"}), 4, "schema_too_new");
  ExpectError(Run({"--json", "init"}), 4, "schema_too_new");
  EXPECT_EQ(ReadFile(db_), before);
}

TEST_F(CliTest, ToegangDbIsUsedWithoutDbAndDbWinsOverIt) {
  InitAndImport();
  const std::string missing = dir_.File("missing.db");
  // TOEGANG_DB alone.
  CliRun env = Spawn({"--json", "stats"}, dir_.path(), db_);
  EXPECT_EQ(env.exit, 0) << Describe(env);
  EXPECT_EQ(OneObject(env)["revision"], 4);
  // --db wins over TOEGANG_DB, both ways round.
  CliRun db_wins =
      Spawn({"--json", "--db", db_, "stats"}, dir_.path(), missing);
  EXPECT_EQ(db_wins.exit, 0) << Describe(db_wins);
  EXPECT_EQ(OneObject(db_wins)["revision"], 4);
  ExpectError(Spawn({"--json", "--db", missing, "stats"}, dir_.path(), db_), 4,
              "not_initialized");
  ExpectError(Spawn({"--json", "--db=" + missing, "stats"}, dir_.path(), db_),
              4, "not_initialized");
  ExpectError(Spawn({"--json", "stats"}, dir_.path(), missing), 4,
              "not_initialized");
  // Neither: ./toegang.db in the working directory.
  TempDir cwd;
  ExpectError(Spawn({"--json", "stats"}, cwd.path(), std::nullopt), 4,
              "not_initialized");
  CliRun init = Spawn({"--json", "init"}, cwd.path(), std::nullopt);
  EXPECT_EQ(init.exit, 0) << Describe(init);
  EXPECT_TRUE(std::filesystem::exists(cwd.File("toegang.db")));
  // An empty TOEGANG_DB counts as unset.
  CliRun empty = Spawn({"--json", "stats"}, cwd.path(), std::string());
  EXPECT_EQ(empty.exit, 0) << Describe(empty);
  // The mutation went to the --db file, not to TOEGANG_DB's.
  CliRun m = Spawn({"--json", "--db", db_, "htb", "appoint", "--kbo", kOcmw,
                    "--insz", kEmpOcmw, "--by", kWvOcmw},
                   dir_.path(), cwd.File("toegang.db"));
  EXPECT_EQ(m.exit, 0) << Describe(m);
  EXPECT_EQ(Json({"stats"})["htbs"], 1);
  CliRun other =
      Spawn({"--json", "stats"}, dir_.path(), cwd.File("toegang.db"));
  EXPECT_EQ(OneObject(other)["htbs"], 0) << Describe(other);
}

// --- audit and changes ----------------------------------------------------

TEST_F(CliTest, AuditPagingWalksEveryRowExactlyOnce) {
  InitAndImport();
  BuildChain();
  // Some refusals among the commits.
  Run({"htb", "appoint", "--kbo", kOcmw, "--insz", kUser1, "--by", kOutsider});
  Commit({"user", "add", "--hco", kHcoOcmw, "--insz", kUser2, "--by", kUser3});
  Run({"user", "add", "--hco", kHcoOcmw, "--insz", kUser2, "--by", kUser3});
  const std::vector<json> all = AllAudit();
  ASSERT_GT(all.size(), 10u);

  std::vector<json> walked;
  std::string after = "0";
  for (int page = 0; page < 100; ++page) {
    json j = Json({"audit", "--limit", "2", "--after", after});
    ASSERT_TRUE(j["rows"].is_array());
    EXPECT_LE(j["rows"].size(), 2u);
    for (const json& row : j["rows"]) walked.push_back(row);
    if (j["next"].is_null()) break;
    ASSERT_EQ(j["next"], walked.back()["seq"]);
    after = std::to_string(j["next"].get<uint64_t>());
  }
  ASSERT_EQ(walked.size(), all.size());
  std::set<uint64_t> seqs;
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(walked[i], all[i]) << i;
    seqs.insert(walked[i]["seq"].get<uint64_t>());
  }
  EXPECT_EQ(seqs.size(), all.size()) << "a row came twice";

  // The rows carry what happened, refusals included.
  size_t refused = 0;
  for (const json& row : all) {
    ASSERT_TRUE(row.contains("outcome") && row.contains("action") &&
                row.contains("revision") && row.contains("seq"));
    if (row["outcome"] == "refused") {
      ++refused;
      EXPECT_TRUE(row["revision"].is_null());
      EXPECT_TRUE(row.contains("code"));
    } else {
      EXPECT_TRUE(row["revision"].is_number());
    }
  }
  EXPECT_EQ(refused, 2u);

  // --kbo: only the enterprise's rows.
  json mine = Json({"audit", "--kbo", "0403.019.261"});
  ASSERT_FALSE(mine["rows"].empty());
  for (const json& row : mine["rows"]) EXPECT_EQ(row["kbo"], kOcmw);
  ExpectError(Run({"--json", "audit", "--kbo", "0403019262"}), 2,
              "invalid_kbo");

  // Text mode offers the cursor.
  CliRun text = Run({"audit", "--limit", "3"});
  EXPECT_EQ(text.exit, 0);
  EXPECT_NE(text.out.find("--after"), std::string::npos) << Describe(text);
}

// graph --format svg draws the picture with Graphviz's library in the
// process: an <svg> with the enterprise's name as text, and the INSZ
// masked as in the DOT.
TEST_F(CliTest, GraphDrawsAnSvgWithGraphvizsLibrary) {
  InitAndImport();
  BuildChain();
  const CliRun svg = Run({"graph", "--kbo", kOcmw, "--format", "svg"});
  ASSERT_EQ(svg.exit, 0) << Describe(svg);
  EXPECT_EQ(svg.out.rfind("<svg", 0), 0u) << svg.out.substr(0, 200);
  EXPECT_NE(svg.out.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.out.find("OCMW Gent"), std::string::npos);
  EXPECT_EQ(svg.out.find(kUser1), std::string::npos) << "an INSZ in full";
  const json j = Json({"graph", "--kbo", kOcmw, "--format", "svg"});
  EXPECT_EQ(j["kbo"], kOcmw);
  EXPECT_EQ(j["svg"].get<std::string>().rfind("<svg", 0), 0u);
  ExpectError(Run({"--json", "graph", "--kbo", kOcmw, "--format", "png"}), 2,
              "usage");
}

// audit --insz: the rows a person made or is named in; --hco: the rows
// that name a facility. Each gives exactly the rows of the whole log that
// match, in either form of the number, and with --since too.
TEST_F(CliTest, AuditFiltersByPersonAndByFacility) {
  InitAndImport();
  BuildChain();
  Commit({"user", "add", "--hco", kHcoOcmw, "--insz", kUser2, "--app",
          "ama-wvg", "--by", kEmp2Ocmw});
  // A refusal names the person too (the actor).
  Run({"user", "add", "--hco", kHcoOcmw, "--insz", kOutsider, "--by", kUser1});
  const std::vector<json> all = AllAudit();
  auto seqs_where = [&](auto match) {
    std::vector<uint64_t> out;
    for (const json& row : all) {
      if (match(row)) out.push_back(row["seq"].get<uint64_t>());
    }
    return out;
  };
  auto seqs_of = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "audit");
    std::vector<uint64_t> out;
    const json page = Json(args);  // the rows live as long as it does
    for (const json& row : page["rows"]) {
      out.push_back(row["seq"].get<uint64_t>());
    }
    return out;
  };
  auto names = [](const json& row, const char* key, const std::string& v) {
    return row.contains("detail") && row["detail"].contains(key) &&
           row["detail"][key] == v;
  };
  for (const std::string insz : {kUser1, kEmp2Ocmw, kUser2}) {
    const std::vector<uint64_t> expected = seqs_where([&](const json& row) {
      return row["actor"] == insz || names(row, "insz", insz);
    });
    ASSERT_FALSE(expected.empty()) << insz;
    EXPECT_EQ(seqs_of({"--insz", insz, "--limit", "10000"}), expected) << insz;
  }
  // The dotted form, and one page after a revision.
  EXPECT_EQ(seqs_of({"--insz", "81.05.00-035.52", "--since", "8"}),
            seqs_where([&](const json& row) {
              return row["revision"].is_number() &&
                     row["revision"].get<uint64_t>() > 8 &&
                     (row["actor"] == kUser1 || names(row, "insz", kUser1));
            }));
  const std::vector<uint64_t> at_facility =
      seqs_where([&](const json& row) { return names(row, "hco", kHcoOcmw); });
  ASSERT_GE(at_facility.size(), 4u);
  EXPECT_EQ(seqs_of({"--hco", kHcoOcmw, "--limit", "10000"}), at_facility);
  EXPECT_TRUE(seqs_of({"--hco", kHcoWzc}).empty());
  ExpectError(Run({"--json", "audit", "--insz", "81050003553"}), 2,
              "invalid_insz");
  ExpectError(Run({"--json", "audit", "--hco", "12a45"}), 2, "invalid_hco");
}

TEST_F(CliTest, ChangesSinceListsOnlyCommittedRowsAfterIt) {
  InitAndImport();
  BuildChain();
  const uint64_t since = 6;
  // Refusals after `since`, which changes must not list.
  Run({"htb", "appoint", "--kbo", kOcmw, "--insz", kUser1, "--by", kOutsider});
  Commit({"user", "add", "--hco", kHcoOcmw, "--insz", kUser2, "--by", kUser3});
  Run({"user", "grant", "--hco", kHcoOcmw, "--insz", kUser1, "--right",
       "ama-wvg", "--by", kUser3});

  std::vector<json> expected;
  for (const json& row : AllAudit()) {
    if (row["outcome"] == "ok" && row["revision"].get<uint64_t>() > since) {
      expected.push_back(row);
    }
  }
  json j = Json({"changes", "--since", std::to_string(since)});
  EXPECT_EQ(j["revision"], revision_);
  std::vector<json> got(j["rows"].begin(), j["rows"].end());
  EXPECT_EQ(got, expected);
  // In order, every revision after `since` (a mutation may write several
  // rows under its one revision), and nothing else.
  std::set<uint64_t> revisions;
  uint64_t previous = since;
  for (const json& row : got) {
    EXPECT_EQ(row["outcome"], "ok");
    const uint64_t r = row["revision"].get<uint64_t>();
    EXPECT_GE(r, previous);
    previous = r;
    revisions.insert(r);
  }
  std::set<uint64_t> want;
  for (uint64_t r = since + 1; r <= revision_; ++r) want.insert(r);
  EXPECT_EQ(revisions, want);
  // Filtered by enterprise: exactly the rows of that KBO.
  std::vector<json> of_ocmw;
  for (const json& row : expected) {
    if (row["kbo"] == kOcmw) of_ocmw.push_back(row);
  }
  EXPECT_FALSE(of_ocmw.empty());
  json filtered = Json(
      {"changes", "--since", std::to_string(since), "--kbo", "0403.019.261"});
  EXPECT_EQ(std::vector<json>(filtered["rows"].begin(), filtered["rows"].end()),
            of_ocmw);
  // Nothing after the last revision; everything committed since 0.
  EXPECT_TRUE(
      Json({"changes", "--since", std::to_string(revision_)})["rows"].empty());
  json everything = Json({"changes", "--since", "0", "--limit", "10000"});
  revisions.clear();
  for (const json& row : everything["rows"]) {
    EXPECT_EQ(row["outcome"], "ok");
    revisions.insert(row["revision"].get<uint64_t>());
  }
  EXPECT_EQ(revisions.size(), revision_);
  // Negative numbers are refused, not wrapped round to huge ones.
  ExpectError(Run({"--json", "changes", "--since", "-1"}), 2, "usage");
  ExpectError(Run({"--json", "audit", "--after", "-1"}), 2, "usage");
  ExpectError(Run({"--json", "audit", "--limit", "-2"}), 2, "usage");
  ExpectError(Run({"--json", "check", "--insz", kUser1, "--app", "ama-wvg",
                   "--at-least", "-1"}),
              2, "usage");
  ExpectError(Run({"--json", "changes", "--since", "99999999999999999999"}), 2,
              "usage");
}

// Issue 28 through the CLI: the commands that undo roles and change
// contact data, `facilities --kbo`, and `may` for a deactivation.
TEST_F(CliTest, LifeCycleCommandsUndoRolesAndChangeContactData) {
  InitAndImport();
  BuildChain();
  // A co-TB promoted by tb set: two changes, the caused one after.
  Commit({"tb", "add-co", "--kbo", kOcmw, "--insz", kUser2, "--by", kEmpOcmw});
  json promoted =
      Commit({"tb", "set", "--kbo", kOcmw, "--insz", kUser2, "--by", kEmpOcmw});
  ASSERT_EQ(promoted["changes"].size(), 2u) << promoted.dump();
  EXPECT_NE(promoted["changes"][1].get<std::string>().find(
                "tb.remove-co kbo=0403019261"),
            std::string::npos)
      << promoted.dump();
  EXPECT_NE(
      promoted["changes"][1].get<std::string>().find("(because of tb.set)"),
      std::string::npos);
  // tb remove: refused for the wrong person, then done by the HTB.
  ExpectError(Run({"--json", "tb", "remove", "--kbo", kOcmw, "--insz", kUser2,
                   "--by", kUser2}),
              3, "not_authorized");
  json removed = Commit(
      {"tb", "remove", "--kbo", kOcmw, "--insz", kUser2, "--by", kEmpOcmw});
  EXPECT_EQ(removed["action"], "tb.remove");
  json who = Json({"who", "--kbo", kOcmw});
  ASSERT_EQ(who["domains"].size(), 1u);
  EXPECT_TRUE(who["domains"][0]["tb"].is_null()) << who.dump();
  // Contact data.
  Commit({"htb", "set-contact", "--kbo", kOcmw, "--phone", "09 266 99 11",
          "--by", kWvOcmw});
  ExpectError(Run({"--json", "htb", "set-contact", "--kbo", kOcmw, "--phone",
                   "09 266 99 11", "--by", kEmpOcmw}),
              3, "contact_unchanged");
  ExpectError(Run({"--json", "htb", "set-contact", "--kbo", kOcmw, "--email",
                   "nope", "--by", kEmpOcmw}),
              2, "invalid_email");
  Commit({"subafdeling", "set-email", "--hco", kHcoOcmw, "--email",
          "zorg@ocmw.gent", "--by", kUser3});
  who = Json({"who", "--kbo", kOcmw});
  EXPECT_EQ(who["htb"]["phone"], "09 266 99 11");
  EXPECT_EQ(who["subafdelingen"][0]["email"], "zorg@ocmw.gent");
  // facilities --kbo: JSON and text.
  json f = Json({"facilities", "--kbo", "0403.019.261"});
  EXPECT_EQ(f["ocmw"], true);
  ASSERT_EQ(f["facilities"].size(), 3u) << f.dump();
  EXPECT_EQ(f["facilities"][1]["hco"], kHcoOcmw);
  EXPECT_EQ(f["facilities"][1]["subafdelingen"][0]["applications"],
            json::array({"ama-wvg"}));
  EXPECT_EQ(f["facilities"][2]["facility_rule_allows"]["ama-wvg"], false);
  CliRun text = Run({"facilities", "--kbo", kOcmw});
  EXPECT_EQ(text.exit, 0) << Describe(text);
  EXPECT_NE(text.out.find("HCO 45678 Sociaal Huis Gent (type 089, open)"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("OCMW rule: ama-wvg not allowed"), std::string::npos)
      << text.out;
  ExpectError(Run({"--json", "facilities", "--kbo", "0403.019.262"}), 2,
              "invalid_kbo");
  CliRun card = Run({"who", "--hco", kHcoOcmw});
  EXPECT_NE(card.out.find("toegang facilities --kbo 0403.019.261"),
            std::string::npos)
      << card.out;
  // may states that a deactivation would be accepted and changes nothing;
  // then the deactivation takes the subafdeling with it.
  json may = Json({"may", "--by", kEmpOcmw, "--action",
                   "hoedanigheid.deactivate", "--kbo", kOcmw});
  EXPECT_EQ(may["allowed"], true) << may.dump();
  EXPECT_EQ(Check(kUser1, "ama-wvg", 0)["allowed"], true);
  json off =
      Commit({"hoedanigheid", "deactivate", "--kbo", kOcmw, "--by", kEmpOcmw});
  EXPECT_EQ(off["action"], "hoedanigheid.deactivate");
  EXPECT_GT(off["changes"].size(), 4u) << off.dump();
  EXPECT_EQ(Check(kUser1, "ama-wvg", 1)["allowed"], false);
  json v = Json({"verify"});
  EXPECT_EQ(v["ok"], true) << v.dump();
}

}  // namespace
}  // namespace toegang::testing
