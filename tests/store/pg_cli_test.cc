// The CLI on PostgreSQL: init, the registry imports, the manual's
// procedure, check, explain, who, stats, verify and audit through
// `--db postgresql://...` print what they print on an SQLite file, word for
// word (the database's name and the audit's times aside).
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "support/cli_runner.h"
#include "support/pg_cluster.h"
#include "support/test_federation.h"

namespace toegang::testing {
namespace {

struct Step {
  std::vector<std::string> args;
  int exit = 0;
  std::string out;  // stdout then stderr, the database's name as DB
};

// Runs the whole session against db (files in dir) and returns each
// command's exit and output.
std::vector<Step> Session(const std::string& db, const TempDir& dir) {
  const std::string ent = dir.Write("enterprise.csv", EnterpriseCsv());
  const std::string den = dir.Write("denomination.csv", DenominationCsv());
  const std::string per = dir.Write("persons.csv", PersonsCsv());
  const std::string fun = dir.Write("functions.csv", FunctionsCsv());
  const std::string fac = dir.Write("facilities.csv", FacilitiesCsv());
  const std::vector<std::vector<std::string>> commands = {
      {"init"},
      {"import", "kbo", "--enterprises", ent, "--denominations", den},
      {"import", "persons", per},
      {"import", "functions", fun},
      {"import", "facilities", fac},
      {"htb", "appoint", "--kbo", kOcmw, "--insz", kEmpOcmw, "--by", kWvOcmw,
       "--email", "htb@ocmw.gent"},
      {"hoedanigheid", "activate", "--kbo", kOcmw, "--hoedanigheid",
       "ehealth-gezondheidszorg", "--by", kEmpOcmw},
      {"tb", "set", "--kbo", kOcmw, "--hoedanigheid", "ehealth-gezondheidszorg",
       "--subdivisie", "gezondheidszorg", "--insz", kEmp2Ocmw, "--by",
       kEmpOcmw},
      {"subafdeling", "create", "--kbo", kOcmw, "--hco", kHcoOcmw, "--email",
       "toegang@ocmw.gent", "--beheerder", kUser3, "--authorize", "ama-wvg",
       "--by", kEmp2Ocmw},
      {"user", "add", "--hco", kHcoOcmw, "--insz", kUser1, "--right", "ama-wvg",
       "--by", kEmp2Ocmw},
      // Refused: not a manager of the subafdeling (audited).
      {"user", "add", "--hco", kHcoOcmw, "--insz", kUser2, "--right", "ama-wvg",
       "--by", kOutsider},
      {"check", "--insz", kUser1, "--app", "ama-wvg", "--hco", kHcoOcmw},
      {"check", "--insz", kUser2, "--app", "ama-wvg"},
      {"--json", "check", "--insz", kUser1, "--app", "ama-wvg"},
      {"explain", "--insz", kUser1, "--app", "ama-wvg", "--hco", kHcoOcmw},
      {"explain", "--insz", kUser2, "--app", "ama-wvg"},
      {"who", "--kbo", kOcmw},
      {"--json", "stats"},
      {"verify"},
      {"--json", "audit", "--limit", "100"},
  };
  // The audit's times, and the graph's figures in stats (the live graph
  // keeps vertices a reload does not; both reload here, but the figures
  // are the graph's, not the store's).
  static const std::regex kTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  std::vector<Step> steps;
  for (const std::vector<std::string>& args : commands) {
    std::vector<std::string> full = {"--db", db};
    full.insert(full.end(), args.begin(), args.end());
    CliRun r = Spawn(full, dir.path(), std::nullopt);
    std::string out = r.out + "\n--\n" + r.err;
    for (size_t at = out.find(db); at != std::string::npos;
         at = out.find(db, at)) {
      out.replace(at, db.size(), "DB");
    }
    steps.push_back({args, r.exit, std::regex_replace(out, kTime, "TIME")});
  }
  return steps;
}

TEST(PostgresCliTest, EveryCommandAnswersAsOnSqlite) {
  std::string why;
  PgCluster* cluster = PgCluster::Get(&why);
  const std::string pg = cluster == nullptr ? "" : cluster->NewDatabase();
  TOEGANG_SKIP_WITHOUT_STORE(pg, why);
  TempDir sqlite_dir, pg_dir;
  const std::vector<Step> on_sqlite =
      Session(sqlite_dir.File("federation.db"), sqlite_dir);
  const std::vector<Step> on_pg = Session(pg, pg_dir);
  ASSERT_EQ(on_pg.size(), on_sqlite.size());

  // The session did what it says on SQLite: every command but the refused
  // one and the denied check and explain succeeded.
  for (size_t i = 0; i < on_sqlite.size(); ++i) {
    const bool fails = i == 10 || i == 12 || i == 15;
    EXPECT_EQ(on_sqlite[i].exit != 0, fails) << i << ": " << on_sqlite[i].out;
  }
  EXPECT_NE(on_sqlite[19].out.find("\"refused\""), std::string::npos);

  for (size_t i = 0; i < on_sqlite.size(); ++i) {
    std::string cmd;
    for (const std::string& a : on_sqlite[i].args) cmd += " " + a;
    EXPECT_EQ(on_pg[i].exit, on_sqlite[i].exit) << cmd;
    EXPECT_EQ(on_pg[i].out, on_sqlite[i].out) << cmd;
  }
}

// init names the database back, but never a password written in the URI
// (trust authentication on the test cluster: the password is not needed).
TEST(PostgresCliTest, InitNeverShowsThePasswordOfTheUri) {
  std::string why;
  PgCluster* cluster = PgCluster::Get(&why);
  const std::string pg = cluster == nullptr ? "" : cluster->NewDatabase();
  TOEGANG_SKIP_WITHOUT_STORE(pg, why);
  const std::string prefix = "postgresql://postgres@";
  ASSERT_EQ(pg.rfind(prefix, 0), 0u) << pg;
  const std::string with_password = "postgresql://postgres:s3cret-word@" +
                                    pg.substr(prefix.size()) +
                                    "?connect_timeout=5&password=other-s3cret";
  TempDir dir;
  for (bool json : {false, true}) {
    std::vector<std::string> args = {"--db", with_password};
    if (json) args.push_back("--json");
    args.push_back("init");
    CliRun r = Spawn(args, dir.path(), std::nullopt);
    EXPECT_EQ(r.exit, 0) << r.out << r.err;
    const std::string all = r.out + r.err;
    EXPECT_EQ(all.find("s3cret"), std::string::npos) << all;
    EXPECT_NE(all.find("postgres:***@"), std::string::npos) << all;
    EXPECT_NE(all.find("password=***"), std::string::npos) << all;
  }
}

}  // namespace
}  // namespace toegang::testing
