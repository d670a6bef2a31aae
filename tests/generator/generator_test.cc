// The federation generator (tools/generator, SPEC 8) and `toegang
// generate` (SPEC 7): the database it writes opens and verifies, is the
// same for the same seed, holds only valid identifiers and every edge case
// of SPEC 4, and answers checks the way SPEC 4.5 says it should.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "federation_generator.h"
#include "identifier_maker.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"

namespace toegang::testing {
namespace {

constexpr uint64_t kPersons = 3000;
constexpr uint64_t kSeed = 11;

Status Generate(const std::string& path, uint64_t persons, uint64_t seed,
                GenerateSummary* summary, bool overwrite = false) {
  GenerateOptions o;
  o.persons = persons;
  o.seed = seed;
  o.out_path = path;
  o.overwrite = overwrite;
  return GenerateFederation(o, summary);
}

// Every row of every table, in rowid order, as text: the logical content
// (without the database's random id and history chain, which every file
// gets of its own).
std::vector<std::string> Dump(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  std::vector<std::string> tables;
  {
    SQLite::Statement q(db,
                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "ORDER BY name");
    while (q.executeStep()) tables.push_back(q.getColumn(0).getString());
  }
  std::vector<std::string> out;
  for (const std::string& t : tables) {
    // Table names come from the file's own catalogue, not from input.
    SQLite::Statement q(db, "SELECT * FROM \"" + t + "\"");
    while (q.executeStep()) {
      std::string row = t;
      for (int c = 0; c < q.getColumnCount(); ++c) {
        const std::string name = q.getColumnName(c);
        if (name == "database_id" || name == "chain") continue;
        row += "|" + q.getColumn(c).getString();
      }
      out.push_back(std::move(row));
    }
  }
  return out;
}

int64_t Count(SQLite::Database& db, const std::string& sql) {
  return db.execAndGet(sql).getInt64();
}

// One federation of kPersons shared by the tests of the suite (generating
// it takes a fraction of a second; loading it into an engine a bit more).
class GeneratorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    path_ = new std::string(dir_->File("gen.db"));
    summary_ = new GenerateSummary;
    Status s = Generate(*path_, kPersons, kSeed, summary_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    Result<std::unique_ptr<Engine>> e = Engine::Open(*path_);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(e).value().release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    delete summary_;
    delete path_;
    delete dir_;
  }

  static TempDir* dir_;
  static std::string* path_;
  static GenerateSummary* summary_;
  static Engine* engine_;
};

TempDir* GeneratorTest::dir_ = nullptr;
std::string* GeneratorTest::path_ = nullptr;
GenerateSummary* GeneratorTest::summary_ = nullptr;
Engine* GeneratorTest::engine_ = nullptr;

TEST_F(GeneratorTest, OpensAndVerifiesClean) {
  ASSERT_NE(engine_, nullptr);
  Result<std::vector<std::string>> problems = engine_->Verify();
  ASSERT_TRUE(problems.ok()) << problems.status().ToString();
  EXPECT_TRUE(problems->empty()) << problems->front();
  EXPECT_EQ(engine_->revision(), summary_->revision);
  EXPECT_GT(summary_->revision, 2u);
}

TEST_F(GeneratorTest, SummaryMatchesTheDatabase) {
  Result<Stats> st = engine_->GetStats();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  const GenerateSummary& s = *summary_;
  EXPECT_EQ(st->persons, kPersons);
  EXPECT_EQ(st->persons, s.persons);
  EXPECT_EQ(st->enterprises, s.enterprises);
  EXPECT_EQ(st->enterprises - st->active_enterprises, s.stopped_enterprises);
  EXPECT_EQ(st->facilities, s.facilities);
  EXPECT_EQ(st->htbs, s.htbs);
  EXPECT_EQ(st->domain_managers, s.domain_managers);
  EXPECT_EQ(st->subafdelingen, s.subafdelingen);
  EXPECT_EQ(st->users, s.users);
  EXPECT_EQ(st->rights, s.rights);
  EXPECT_EQ(st->audit_rows, s.audit_rows);
  // About one enterprise per 50 persons.
  EXPECT_EQ(s.enterprises, kPersons / 50);
  struct stat file {};
  ASSERT_EQ(::stat(path_->c_str(), &file), 0);
  EXPECT_EQ(s.file_bytes, static_cast<uint64_t>(file.st_size));
  EXPECT_EQ(file.st_mode & 0777, 0600u);
}

TEST_F(GeneratorTest, EveryIdentifierIsValidAndCanonical) {
  SQLite::Database db(*path_, SQLite::OPEN_READONLY);
  const char* insz_queries[] = {
      "SELECT insz FROM person",
      "SELECT insz FROM function",
      "SELECT insz FROM htb UNION ALL SELECT by_insz FROM htb",
      "SELECT by_insz FROM active_capacity",
      "SELECT insz FROM domain_manager UNION ALL SELECT by_insz FROM "
      "domain_manager",
      "SELECT by_insz FROM subafdeling",
      "SELECT insz FROM subafdeling_manager UNION ALL SELECT by_insz FROM "
      "subafdeling_manager",
      "SELECT by_insz FROM authorization",
      "SELECT insz FROM user UNION ALL SELECT by_insz FROM user",
      "SELECT insz FROM user_right UNION ALL SELECT by_insz FROM user_right"};
  size_t checked = 0, bis = 0, born_2000 = 0;
  for (const char* sql : insz_queries) {
    SQLite::Statement q(db, sql);
    while (q.executeStep()) {
      const std::string text = q.getColumn(0).getString();
      Result<Insz> insz = Insz::Parse(text);
      ASSERT_TRUE(insz.ok()) << sql << ": " << insz.status().ToString();
      ASSERT_EQ(insz->ToString(), text);
      ++checked;
      bis += insz->IsBis() ? 1 : 0;
      // Only the 2-prefixed form of the checksum fits.
      const uint64_t base = insz->value() / 100;
      born_2000 += (97 - base % 97) != insz->value() % 100 ? 1 : 0;
    }
  }
  EXPECT_GT(checked, kPersons * 3);
  EXPECT_GT(bis, 0u);
  EXPECT_GT(born_2000, 0u);

  size_t kbos = 0;
  for (const char* sql :
       {"SELECT kbo FROM enterprise", "SELECT kbo FROM facility",
        "SELECT kbo FROM audit WHERE kbo != ''"}) {
    SQLite::Statement q(db, sql);
    while (q.executeStep()) {
      const std::string text = q.getColumn(0).getString();
      Result<Kbo> kbo = Kbo::Parse(text);
      ASSERT_TRUE(kbo.ok()) << sql << ": " << kbo.status().ToString();
      ASSERT_EQ(kbo->ToString(), text);
      ++kbos;
    }
  }
  EXPECT_GT(kbos, summary_->enterprises);

  SQLite::Statement fac(db, "SELECT hco, type_code FROM facility");
  while (fac.executeStep()) {
    Result<Hco> hco = Hco::Parse(fac.getColumn(0).getString());
    ASSERT_TRUE(hco.ok()) << hco.status().ToString();
    EXPECT_EQ(hco->str(), fac.getColumn(0).getString());
    EXPECT_TRUE(TypeCode::Parse(fac.getColumn(1).getString()).ok());
  }
  // Distinct persons have distinct numbers (the primary key says so) and
  // every person has a name.
  EXPECT_EQ(Count(db, "SELECT count(*) FROM person WHERE name = ''"), 0);
}

TEST_F(GeneratorTest, SameSeedSameContentOtherSeedOtherContent) {
  TempDir dir;
  GenerateSummary again, other;
  ASSERT_TRUE(Generate(dir.File("again.db"), kPersons, kSeed, &again).ok());
  ASSERT_TRUE(Generate(dir.File("other.db"), kPersons, kSeed + 1, &other).ok());
  const std::vector<std::string> first = Dump(*path_);
  EXPECT_GT(first.size(), kPersons * 3);
  EXPECT_EQ(Dump(dir.File("again.db")), first);
  const std::vector<std::string> different = Dump(dir.File("other.db"));
  EXPECT_NE(different, first);
  // Not merely shifted: the persons themselves differ.
  std::set<std::string> a(first.begin(), first.end());
  size_t shared_persons = 0;
  for (const std::string& row : different) {
    if (row.rfind("person|", 0) == 0 && a.count(row) > 0) ++shared_persons;
  }
  EXPECT_LT(shared_persons, kPersons / 10);
}

TEST_F(GeneratorTest, EveryEdgeCaseOfSpec4IsPresent) {
  SQLite::Database db(*path_, SQLite::OPEN_READONLY);
  // OCMWs: juridical form 416, with facilities of type 009/010.
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM enterprise e WHERE juridical_form = "
                  "'416' AND EXISTS (SELECT 1 FROM facility f WHERE f.kbo = "
                  "e.kbo AND f.type_code IN ('009', '010'))"),
            0);
  // ... whose ama-wvg sits only on 009/010 (the catalogue's facility rule),
  // while another of their facilities does carry a subafdeling.
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM authorization a JOIN subafdeling s ON "
                  "s.id = a.subafdeling JOIN facility f ON f.hco = s.hco "
                  "WHERE a.application = 'ama-wvg' AND f.type_code IN "
                  "('009', '010')"),
            0);
  EXPECT_EQ(Count(db,
                  "SELECT count(*) FROM authorization a JOIN subafdeling s ON "
                  "s.id = a.subafdeling JOIN facility f ON f.hco = s.hco "
                  "WHERE a.application = 'ama-wvg' AND f.type_code NOT IN "
                  "('009', '010') AND EXISTS (SELECT 1 FROM facility o WHERE "
                  "o.kbo = s.kbo AND o.type_code IN ('009', '010', '089'))"),
            0);
  // Active enterprises without HTB.
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM enterprise e WHERE active AND NOT "
                  "EXISTS (SELECT 1 FROM htb h WHERE h.kbo = e.kbo)"),
            0);
  // An HTB who never activated the hoedanigheid.
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM htb h WHERE NOT EXISTS (SELECT 1 FROM "
                  "active_capacity c WHERE c.kbo = h.kbo)"),
            0);
  // Stopped enterprises: one stopped before anything was delegated, one
  // stopped after (its delegation stays, and grants nothing).
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM enterprise e WHERE NOT active AND NOT "
                  "EXISTS (SELECT 1 FROM htb h WHERE h.kbo = e.kbo)"),
            0);
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM enterprise e WHERE NOT active AND "
                  "EXISTS (SELECT 1 FROM subafdeling s WHERE s.kbo = e.kbo)"),
            0);
  // Closed facilities, with and without a subafdeling.
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM facility f WHERE NOT active AND "
                  "EXISTS (SELECT 1 FROM subafdeling s WHERE s.hco = f.hco)"),
            0);
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM facility f WHERE NOT active AND NOT "
                  "EXISTS (SELECT 1 FROM subafdeling s WHERE s.hco = f.hco)"),
            0);
  // Unauthorized subafdelingen, and subafdelingen with vipa only.
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM subafdeling s WHERE NOT EXISTS "
                  "(SELECT 1 FROM authorization a WHERE a.subafdeling = "
                  "s.id)"),
            0);
  // Users whose ama-wvg right was revoked where it is authorized.
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM user u JOIN authorization a ON "
                  "a.subafdeling = u.subafdeling AND a.application = "
                  "'ama-wvg' WHERE NOT EXISTS (SELECT 1 FROM user_right r "
                  "WHERE r.subafdeling = u.subafdeling AND r.insz = u.insz "
                  "AND r.application = 'ama-wvg')"),
            0);
  // Persons who are users nowhere, and persons who are users of two or
  // three subafdelingen (but never more).
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM person p WHERE NOT EXISTS (SELECT 1 "
                  "FROM user u WHERE u.insz = p.insz)"),
            0);
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM (SELECT insz FROM user GROUP BY insz "
                  "HAVING count(*) >= 2)"),
            0);
  EXPECT_EQ(Count(db,
                  "SELECT count(*) FROM (SELECT insz FROM user GROUP BY insz "
                  "HAVING count(*) > 3)"),
            0);
  // Named subafdeling managers, TBs and co-TBs; the HTB is neither.
  EXPECT_GT(Count(db, "SELECT count(*) FROM subafdeling_manager"), 0);
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM domain_manager WHERE role = "
                  "'co_tb'"),
            0);
  EXPECT_EQ(Count(db,
                  "SELECT count(*) FROM domain_manager d JOIN htb h ON h.kbo "
                  "= d.kbo AND h.insz = d.insz"),
            0);
  // Every HTB was appointed by a WV of the enterprise and is a WV or
  // employee of it.
  EXPECT_EQ(Count(db,
                  "SELECT count(*) FROM htb h WHERE NOT EXISTS (SELECT 1 FROM "
                  "function f WHERE f.kbo = h.kbo AND f.insz = h.by_insz AND "
                  "f.role = 'legal_representative') OR NOT EXISTS (SELECT 1 "
                  "FROM function f WHERE f.kbo = h.kbo AND f.insz = "
                  "h.insz)"),
            0);
  // Enterprises have one or two facilities, the large ones more.
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM (SELECT kbo FROM facility GROUP BY "
                  "kbo HAVING count(*) = 1)"),
            0);
  EXPECT_GT(Count(db,
                  "SELECT count(*) FROM (SELECT kbo FROM facility GROUP BY "
                  "kbo HAVING count(*) = 2)"),
            0);
  // Skewed sizes: the largest enterprise is several times the median.
  std::vector<int64_t> sizes;
  SQLite::Statement q(db,
                      "SELECT count(*) FROM function GROUP BY kbo ORDER BY 1");
  while (q.executeStep()) sizes.push_back(q.getColumn(0).getInt64());
  ASSERT_FALSE(sizes.empty());
  EXPECT_GT(sizes.back(), 4 * sizes[sizes.size() / 2]);
}

// The engine's answers agree with SPEC 4.5 evaluated in SQL over the same
// rows, and both answers occur.
TEST_F(GeneratorTest, ChecksAgreeWithSpecAndGoBothWays) {
  SQLite::Database db(*path_, SQLite::OPEN_READONLY);
  std::set<std::string> expected;
  {
    SQLite::Statement q(
        db,
        "SELECT DISTINCT r.insz FROM user_right r JOIN subafdeling s ON s.id "
        "= r.subafdeling JOIN enterprise e ON e.kbo = s.kbo AND e.active "
        "JOIN htb h ON h.kbo = s.kbo JOIN active_capacity c ON c.kbo = s.kbo "
        "AND c.capacity = s.capacity JOIN facility f ON f.hco = s.hco AND "
        "f.active AND f.kbo = s.kbo JOIN authorization a ON a.subafdeling = "
        "s.id AND a.application = r.application JOIN user u ON "
        "u.subafdeling = s.id AND u.insz = r.insz WHERE r.application = "
        "'ama-wvg'");
    while (q.executeStep()) expected.insert(q.getColumn(0).getString());
  }
  std::set<std::string> allowed;
  size_t denied = 0;
  SQLite::Statement persons(db, "SELECT insz FROM person");
  while (persons.executeStep()) {
    const std::string insz = persons.getColumn(0).getString();
    Result<Decision> d = engine_->Check(insz, "ama-wvg");
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    if (d->allowed) {
      allowed.insert(insz);
      EXPECT_FALSE(d->facilities.empty());
    } else {
      ++denied;
    }
  }
  EXPECT_EQ(allowed, expected);
  EXPECT_GT(allowed.size(), kPersons / 2);
  EXPECT_GT(denied, kPersons / 50);
}

// The edge cases are live: explain finds each failing condition of SPEC
// 4.5 somewhere in the generated federation.
TEST_F(GeneratorTest, ExplainFindsEveryReason) {
  SQLite::Database db(*path_, SQLite::OPEN_READONLY);
  std::set<std::string> reasons;
  SQLite::Statement persons(db, "SELECT insz FROM person");
  while (persons.executeStep()) {
    Result<Explanation> e = engine_->Explain(persons.getColumn(0).getString(),
                                             "ama-wvg", "", Lang::kEn);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    if (!e->allowed) reasons.insert(e->reason);
  }
  // With a facility: an enterprise without HTB, one without hoedanigheid.
  auto explain_at = [&](const std::string& sql) {
    SQLite::Statement q(db, sql);
    ASSERT_TRUE(q.executeStep()) << sql;
    Result<Explanation> e =
        engine_->Explain(q.getColumn(0).getString(), "ama-wvg",
                         q.getColumn(1).getString(), Lang::kEn);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_FALSE(e->allowed);
    reasons.insert(e->reason);
  };
  explain_at(
      "SELECT p.insz, f.hco FROM facility f JOIN enterprise e ON e.kbo = "
      "f.kbo AND e.active JOIN function p ON p.kbo = f.kbo WHERE NOT EXISTS "
      "(SELECT 1 FROM htb h WHERE h.kbo = f.kbo) AND f.active LIMIT 1");
  explain_at(
      "SELECT h.insz, f.hco FROM htb h JOIN enterprise e ON e.kbo = h.kbo "
      "AND e.active JOIN facility f ON f.kbo = h.kbo AND f.active WHERE NOT "
      "EXISTS (SELECT 1 FROM active_capacity c WHERE c.kbo = h.kbo) LIMIT 1");
  for (const std::string_view r :
       {code::kEnterpriseInactive, code::kNoHtb, code::kCapacityInactive,
        code::kFacilityInactive, code::kApplicationNotAuthorized,
        code::kNotAUser, code::kRightMissing}) {
    EXPECT_EQ(reasons.count(std::string(r)), 1u) << r;
  }
}

TEST(GeneratorLibraryTest, RefusesBadOptionsAndExistingFiles) {
  TempDir dir;
  GenerateSummary s;
  Status zero = Generate(dir.File("z.db"), 0, 1, &s);
  EXPECT_EQ(zero.code(), code::kUsage);
  EXPECT_EQ(zero.kind(), Status::Kind::kInvalidInput);
  Status huge = Generate(dir.File("z.db"), kMaxGeneratedPersons + 1, 1, &s);
  EXPECT_EQ(huge.code(), code::kUsage);
  EXPECT_FALSE(std::filesystem::exists(dir.File("z.db")));

  const std::string taken = dir.Write("taken.db", "precious");
  Status exists = Generate(taken, 100, 1, &s);
  EXPECT_EQ(exists.code(), code::kFileExists);
  EXPECT_EQ(exists.kind(), Status::Kind::kStorage);
  EXPECT_NE(exists.message().find("--force"), std::string::npos);
  EXPECT_EQ(ReadFile(taken), "precious");
  EXPECT_EQ(Generate(dir.path(), 100, 1, &s).code(), code::kFileExists);

  // Replacing: a stale WAL of the old file must not leak into the new one.
  dir.Write("taken.db-wal", "not a wal of this database");
  ASSERT_TRUE(Generate(taken, 100, 1, &s, /*overwrite=*/true).ok());
  EXPECT_FALSE(std::filesystem::exists(taken + "-wal"));
  // Nothing else is left beside the output (no temporary files).
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1u);
  Result<std::unique_ptr<Engine>> e = Engine::Open(taken);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  Result<std::vector<std::string>> problems = (*e)->Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
  EXPECT_EQ((*e)->revision(), s.revision);
}

TEST(GeneratorLibraryTest, TinyFederationsAreValidToo) {
  for (uint64_t persons : {1, 2, 7, 49, 120}) {
    TempDir dir;
    GenerateSummary s;
    const std::string path = dir.File("tiny.db");
    ASSERT_TRUE(Generate(path, persons, persons, &s).ok()) << persons;
    EXPECT_EQ(s.persons, persons);
    Result<std::unique_ptr<Engine>> e = Engine::Open(path);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    Result<std::vector<std::string>> problems = (*e)->Verify();
    ASSERT_TRUE(problems.ok());
    EXPECT_TRUE(problems->empty()) << persons << ": " << problems->front();
  }
}

// SPEC 3: the 2000 form of an INSZ holds only for a birth year that has
// come. The generator's births end in 2005, so every number it makes is
// valid as of 2005 already, whatever the clock says.
TEST(GeneratorLibraryTest, InszMakerNeverMakesABirthInTheFuture) {
  size_t born_2000 = 0;
  for (uint64_t seed : {1, 11, 4242}) {
    const generator::InszMaker maker(seed);
    for (uint64_t i = 0; i < 100'000; ++i) {
      std::string digits = std::to_string(maker.Make(i));
      digits.insert(0, 11 - digits.size(), '0');
      const Result<Insz> as_of_2005 = Insz::Parse(digits, 2005);
      ASSERT_TRUE(as_of_2005.ok())
          << seed << "/" << i << ": " << as_of_2005.status().ToString();
      born_2000 += Insz::Parse(digits, 1999).ok() ? 0 : 1;
    }
  }
  EXPECT_GT(born_2000, 0u);  // the 2000 form was met, and held
}

struct CliResult {
  int exit = -1;
  std::string out, err;
};

CliResult Cli(const TempDir& dir, const std::string& args) {
  const std::string out = dir.File(".out"), err = dir.File(".err");
  const int rc = std::system((ShellQuote(TOEGANG_CLI_PATH) + " " + args + " >" +
                              ShellQuote(out) + " 2>" + ShellQuote(err))
                                 .c_str());
  return CliResult{WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, ReadFile(out),
                   ReadFile(err)};
}

TEST(GenerateCommandTest, WritesRefusesOverwriteAndSpeaksJson) {
  TempDir dir;
  const std::string db = ShellQuote(dir.File("cli.db"));
  CliResult first = Cli(dir, "generate --persons 400 --seed 5 --out " + db);
  ASSERT_EQ(first.exit, 0) << first.err;
  EXPECT_NE(first.out.find("400 persons"), std::string::npos) << first.out;
  // Not a terminal: no progress bar.
  EXPECT_EQ(first.err, "");

  CliResult verify = Cli(dir, "--db " + db + " verify");
  EXPECT_EQ(verify.exit, 0) << verify.err;

  CliResult again = Cli(dir, "generate --persons 400 --out " + db);
  EXPECT_EQ(again.exit, 4);
  EXPECT_NE(again.err.find("file_exists"), std::string::npos) << again.err;

  CliResult json =
      Cli(dir, "--json generate --persons 400 --seed 6 --force --out " + db);
  ASSERT_EQ(json.exit, 0) << json.err;
  nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["persons"], 400);
  EXPECT_EQ(j["seed"], 6);
  EXPECT_GT(j["users"].get<int>(), 0);
  EXPECT_GT(j["revision"].get<int>(), 1);

  CliResult refused = Cli(dir, "--json generate --persons 400 --out " + db);
  EXPECT_EQ(refused.exit, 4);
  nlohmann::json r = nlohmann::json::parse(refused.out);
  EXPECT_EQ(r["error"], "file_exists");

  CliResult check = Cli(dir, "--json --db " + db + " stats");
  ASSERT_EQ(check.exit, 0) << check.err;
  EXPECT_EQ(nlohmann::json::parse(check.out)["persons"], 400);

  EXPECT_EQ(Cli(dir, "generate --persons 0 --out x.db").exit, 2);
  EXPECT_EQ(Cli(dir, "generate --persons many --out x.db").exit, 2);
  EXPECT_EQ(Cli(dir, "generate --out x.db").exit, 2);
  EXPECT_EQ(Cli(dir, "generate --persons 10").exit, 2);
}

}  // namespace
}  // namespace toegang::testing
