// SPEC 9, "no SQL is built from input text": text that would break SQL
// built by concatenation is stored verbatim and drops nothing, and a scan
// of engine/src and of the generator (tools/generator, which writes
// databases of its own) finds every SQL string handed to SQLite to be a
// literal (or one of a short, reasoned list of compiled-in texts).
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "support/cli_runner.h"
#include "support/db_content.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"

namespace toegang::testing {
namespace {

// --- input text that is SQL --------------------------------------------

constexpr const char* kDropPerson = "Robert'); DROP TABLE person; --";
constexpr const char* kOrTrue = "x\" OR \"1\"=\"1";
constexpr const char* kDeleteAudit = "Zorg'; DELETE FROM audit; --";
// E-mail addresses may hold quotes and semicolons, not spaces.
constexpr const char* kDropEmail = "x');DROP/**/TABLE/**/person;--@ocmw.gent";
constexpr const char* kConcatEmail =
    "'||(SELECT/**/insz/**/FROM/**/htb)||'@x.be";

std::string CsvQuoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string PersonName(const std::string& db, const std::string& insz) {
  SQLite::Database d(db, SQLite::OPEN_READONLY);
  SQLite::Statement q(d, "SELECT name FROM person WHERE insz = ?");
  q.bind(1, insz);
  return q.executeStep() ? q.getColumn(0).getString() : "<missing>";
}

int TableCount(const std::string& db) {
  SQLite::Database d(db, SQLite::OPEN_READONLY);
  return d.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
      .getInt();
}

TEST(SecurityTest, SqlInNamesAndEmailsIsStoredVerbatimAndDropsNothing) {
  TestFederation fed;
  const int tables = TableCount(fed.db_path());
  ImportReport report;
  ASSERT_TRUE(
      fed.engine()
          .ImportPersons(
              fed.dir().Write("evil-persons.csv",
                              std::string("insz,name\n") + kUser1 + "," +
                                  CsvQuoted(kDropPerson) + "\n" + kUser2 + "," +
                                  CsvQuoted(kOrTrue) + "\n"),
              {}, &report)
          .ok());
  EXPECT_EQ(report.updated, 2u);
  ASSERT_TRUE(fed.engine()
                  .ImportFacilities(
                      fed.dir().Write("evil-facilities.csv",
                                      std::string("hco,name,type_code,kbo,"
                                                  "status\n12399,") +
                                          CsvQuoted(kDeleteAudit) +
                                          ",009,0403019261,active\n"),
                      {}, &report)
                  .ok());
  fed.MustApply(M(Action::kAppointHtb, kWvOcmw)
                    .Kbo(kOcmw)
                    .Insz(kEmpOcmw)
                    .Email(kDropEmail));
  fed.MustApply(M(Action::kActivateCapacity, kEmpOcmw).Kbo(kOcmw));
  fed.MustApply(M(Action::kCreateSubafdeling, kEmpOcmw)
                    .Kbo(kOcmw)
                    .Hco("12399")
                    .Email(kConcatEmail)
                    .App("ama-wvg"));
  const size_t audit_rows = fed.engine().GetStats()->audit_rows;

  for (int pass = 0; pass < 2; ++pass) {
    SCOPED_TRACE(pass == 0 ? "live" : "after reopen");
    EXPECT_EQ(TableCount(fed.db_path()), tables);
    EXPECT_EQ(PersonName(fed.db_path(), kUser1), kDropPerson);
    EXPECT_EQ(PersonName(fed.db_path(), kUser2), kOrTrue);
    Result<Stats> stats = fed.engine().GetStats();
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->persons, 11u);
    EXPECT_EQ(stats->audit_rows, audit_rows);
    Result<WhoReport> who = fed.engine().Who(kOcmw);
    ASSERT_TRUE(who.ok()) << who.status().ToString();
    ASSERT_TRUE(who->htb.has_value());
    EXPECT_EQ(who->htb->email, kDropEmail);
    bool found = false;
    for (const WhoReport::Subafdeling& s : who->subafdelingen) {
      if (s.hco != "12399") continue;
      found = true;
      EXPECT_EQ(s.facility_name, kDeleteAudit);
      EXPECT_EQ(s.email, kConcatEmail);
    }
    EXPECT_TRUE(found);
    fed.Reopen();
  }
}

TEST(SecurityTest, SqlInCliArgumentsIsInvalidInputAndChangesNothing) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.Close();
  const std::vector<std::string> before = DbContent(fed.db_path());
  struct Case {
    std::vector<std::string> args;
    const char* code;
  };
  const std::vector<Case> cases = {
      {{"check", "--insz", "81050003552' OR '1'='1", "--app", "ama-wvg"},
       "invalid_insz"},
      {{"check", "--insz", kUser1, "--app", "ama-wvg' OR 1=1 --"},
       "unknown_application"},
      {{"check", "--insz", kUser1, "--app", "ama-wvg", "--hco",
        "12345; DROP TABLE user"},
       "invalid_hco"},
      {{"who", "--kbo", "0403019261'); DROP TABLE enterprise; --"},
       "invalid_kbo"},
      {{"user", "add", "--hco", kHcoOcmw, "--insz", kUser2, "--by",
        "85073003328 OR 1=1"},
       "invalid_insz"},
      {{"audit", "--kbo", "' UNION SELECT * FROM person --"}, "invalid_kbo"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"--json", "--db", fed.db_path()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const CliRun r = Spawn(args, fed.dir().path(), std::nullopt);
    ExpectError(r, 2, c.code);
  }
  EXPECT_EQ(DbContent(fed.db_path()), before);
}

// --- the source scan ------------------------------------------------------

// Removes // and /* */ comments outside string literals (raw strings
// included), keeping line breaks.
std::string StripComments(const std::string& src) {
  std::string out;
  for (size_t i = 0; i < src.size();) {
    if (src.compare(i, 3, "R\"(") == 0) {
      const size_t end = src.find(")\"", i + 3);
      const size_t stop = end == std::string::npos ? src.size() : end + 2;
      out.append(src, i, stop - i);
      i = stop;
    } else if (src[i] == '"' || src[i] == '\'') {
      const char quote = src[i];
      size_t j = i + 1;
      while (j < src.size() && src[j] != quote) j += src[j] == '\\' ? 2 : 1;
      out.append(src, i, std::min(j + 1, src.size()) - i);
      i = j + 1;
    } else if (src.compare(i, 2, "//") == 0) {
      while (i < src.size() && src[i] != '\n') ++i;
    } else if (src.compare(i, 2, "/*") == 0) {
      const size_t end = src.find("*/", i + 2);
      i = end == std::string::npos ? src.size() : end + 2;
    } else {
      out += src[i++];
    }
  }
  return out;
}

// The text from `open` (just after an opening parenthesis) to its
// matching closing parenthesis, string literals skipped over.
std::string ArgumentsFrom(const std::string& src, size_t open) {
  int depth = 1;
  size_t i = open;
  while (i < src.size()) {
    const char c = src[i];
    if (src.compare(i, 3, "R\"(") == 0) {
      const size_t end = src.find(")\"", i + 3);
      i = end == std::string::npos ? src.size() : end + 2;
      continue;
    }
    if (c == '"' || c == '\'') {
      size_t j = i + 1;
      while (j < src.size() && src[j] != c) j += src[j] == '\\' ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) break;
    ++i;
  }
  return src.substr(open, i - open);
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.pop_back();
  }
  size_t b = 0;
  while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  return s.substr(b);
}

// True when text is only string literals ("..." or R"(...)"), which the
// compiler joins: nothing of it comes from outside the binary.
bool IsOnlyLiterals(const std::string& text) {
  size_t i = 0;
  bool any = false;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    } else if (text.compare(i, 3, "R\"(") == 0) {
      const size_t end = text.find(")\"", i + 3);
      if (end == std::string::npos) return false;
      i = end + 2;
      any = true;
    } else if (text[i] == '"') {
      size_t j = i + 1;
      while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
      if (j >= text.size()) return false;
      i = j + 1;
      any = true;
    } else {
      return false;
    }
  }
  return any;
}

// Splits "a, b" at its top-level commas.
std::vector<std::string> SplitArguments(const std::string& args) {
  std::vector<std::string> out;
  int depth = 0;
  std::string cur;
  for (size_t i = 0; i < args.size(); ++i) {
    const char c = args[i];
    if (c == '"') {
      size_t j = i + 1;
      while (j < args.size() && args[j] != '"') j += args[j] == '\\' ? 2 : 1;
      cur.append(args, i, j + 1 - i);
      i = j;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(Trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!Trim(cur).empty()) out.push_back(Trim(cur));
  return out;
}

// SQL texts that are not literals, each compiled in and reasoned about:
// (file, as the scan names it; the SQL argument as written there).
const std::set<std::pair<std::string, std::string>>& ReviewedNonLiterals() {
  static const std::set<std::pair<std::string, std::string>> kReviewed = {
      // The schema migrations of schema/, compiled into the library.
      {"engine/src/store/sqlite_store.cc",
       "std::string(Migrations()[static_cast<size_t>(v)].sql)"},
      // The schema version: the migration loop's own integer.
      {"engine/src/store/sqlite_store.cc",
       "fmt::format(\"PRAGMA user_version = {}\", v + 1)"},
      // StatementCache::Get prepares the text it is given; its callers
      // (statements.Get(...) sites, scanned above) must pass literals.
      {"engine/src/store/statement_cache.cc", "std::string(sql)"},
      // BatchInsert prepares its head (a literal at each BatchInsert
      // construction, scanned above) followed by "(?, ...)" lists.
      {"engine/src/store/batch_insert.cc", "head_ + Placeholders(rows)"},
      // The bulk writer's INSERT head per table: "INSERT INTO", a table
      // name and its columns from the compiled-in kBulkTableColumns
      // (bulk_rows.h), "VALUES".
      {"engine/src/store/sqlite_bulk_writer.cc", "head"},
      // The bulk writer rebuilds each index it dropped from the schema's
      // own CREATE INDEX text, read back from sqlite_master.
      {"engine/src/store/sqlite_bulk_writer.cc", "create_index"},
      // ... and drops the row_count triggers for the load, named and made
      // again from their own text in sqlite_master.
      {"engine/src/store/sqlite_bulk_writer.cc", "drop_trigger"},
      {"engine/src/store/sqlite_bulk_writer.cc", "create_trigger"},
      // A catalogue table's SELECT, a literal of ReplayCatalogue
      // (load_replay.cc), with the order the rows were written in.
      {"engine/src/store/sqlite_store.cc",
       "fmt::format(\"{} ORDER BY rowid\", table_sql)"},
      // The statements of a commit: one literal per kind of op, in
      // OpRowWrites (commit_rows.cc), values bound as parameters.
      {"engine/src/store/sqlite_store.cc", "w.sql"},
      // The audit log's revisions: a literal in history_chain.h.
      {"engine/src/store/sqlite_store.cc", "kAuditRevisionsSql"},
      // A load step's statement over the whole tables: a literal per step
      // (LoadStepSql, in the same file).
      {"engine/src/store/sqlite_store.cc", "LoadStepSql(s)"},
      // A part's statement: a literal of part_load.cc whose {set} marks
      // ExpandPartSql replaces with "SELECT value FROM json_each(?N)", the
      // values bound as parameters.
      {"engine/src/store/sqlite_store.cc", "expanded"},
      // toegang copy: the SELECT and the INSERT of a table, made of the
      // literal table and column names of CopyTables (database_copy.cc)
      // and "?" marks; the values bound as parameters.
      {"engine/src/store/sqlite_store.cc", "selects[i]"},
      {"engine/src/store/sqlite_store.cc", "insert"},
  };
  return kReviewed;
}

struct SqlSite {
  std::string file;
  std::string call;  // e.g. "exec", "Statement"
  std::string sql;   // the SQL argument as written
};

// Every place in src where SQL text is handed to SQLite: the SQL argument
// of SQLite::Statement and BatchInsert constructors (also through
// make_unique),
// Database::exec / execAndGet / tryExec, StatementCache::Get (called on a
// cache named statements or statements_), and any sqlite3_exec /
// sqlite3_prepare*, and the head of a BatchInsert (the store's bulk writer).
std::vector<SqlSite> FindSqlSites(const std::string& file,
                                  const std::string& raw) {
  const std::string src = StripComments(raw);
  std::vector<SqlSite> out;
  static const std::regex kStatement(R"(SQLite::Statement\s+\w+\s*[\({])");
  static const std::regex kExec(R"((\.|->)\s*(exec|execAndGet|tryExec)\s*\()");
  static const std::regex kRaw(R"(\b(sqlite3_exec|sqlite3_prepare\w*)\s*\()");
  static const std::regex kCached(R"(\bstatements_?\s*(\.|->)\s*Get\s*\()");
  static const std::regex kMadeStatement(
      R"(make_unique\s*<\s*(SQLite::Statement|BatchInsert)\s*>\s*\()");
  static const std::regex kBatch(R"(\bBatchInsert\s+\w+\s*[\({])");
  for (auto it = std::sregex_iterator(src.begin(), src.end(), kStatement);
       it != std::sregex_iterator(); ++it) {
    const size_t open = static_cast<size_t>(it->position() + it->length());
    std::vector<std::string> args = SplitArguments(ArgumentsFrom(src, open));
    out.push_back({file, "Statement", args.size() >= 2 ? args[1] : ""});
  }
  for (auto it = std::sregex_iterator(src.begin(), src.end(), kExec);
       it != std::sregex_iterator(); ++it) {
    const size_t open = static_cast<size_t>(it->position() + it->length());
    const std::string args = Trim(ArgumentsFrom(src, open));
    if (args.empty()) continue;  // Statement::exec(): runs a prepared one
    out.push_back({file, (*it)[2].str(), args});
  }
  for (auto it = std::sregex_iterator(src.begin(), src.end(), kCached);
       it != std::sregex_iterator(); ++it) {
    const size_t open = static_cast<size_t>(it->position() + it->length());
    out.push_back(
        {file, "StatementCache::Get", Trim(ArgumentsFrom(src, open))});
  }
  for (auto it = std::sregex_iterator(src.begin(), src.end(), kBatch);
       it != std::sregex_iterator(); ++it) {
    const size_t open = static_cast<size_t>(it->position() + it->length());
    std::vector<std::string> args = SplitArguments(ArgumentsFrom(src, open));
    out.push_back({file, "BatchInsert", args.size() >= 2 ? args[1] : ""});
  }
  for (auto it = std::sregex_iterator(src.begin(), src.end(), kMadeStatement);
       it != std::sregex_iterator(); ++it) {
    const size_t open = static_cast<size_t>(it->position() + it->length());
    std::vector<std::string> args = SplitArguments(ArgumentsFrom(src, open));
    out.push_back({file, "Statement", args.size() >= 2 ? args[1] : ""});
  }
  for (auto it = std::sregex_iterator(src.begin(), src.end(), kRaw);
       it != std::sregex_iterator(); ++it) {
    const size_t open = static_cast<size_t>(it->position() + it->length());
    std::vector<std::string> args = SplitArguments(ArgumentsFrom(src, open));
    out.push_back({file, (*it)[1].str(), args.size() >= 2 ? args[1] : ""});
  }
  return out;
}

// Why site is not acceptable, or "" when it is: a literal; a variable
// declared in the same file only as `const char*` (pointing at literals);
// or a reviewed compiled-in text.
std::string Problem(const SqlSite& site, const std::string& file_text) {
  if (IsOnlyLiterals(site.sql)) return "";
  // A macro of the same file whose body is only literals (a column
  // expression several statements share) counts as its literals.
  static const std::regex kDefine(
      R"re(#define\s+([A-Z][A-Z0-9_]*)\s+((?:[^\n]*\\\n)*[^\n]*))re");
  std::string expanded = site.sql;
  for (auto it =
           std::sregex_iterator(file_text.begin(), file_text.end(), kDefine);
       it != std::sregex_iterator(); ++it) {
    std::string body = (*it)[2].str();
    for (size_t at; (at = body.find("\\\n")) != std::string::npos;) {
      body.erase(at, 2);
    }
    if (!IsOnlyLiterals(body)) continue;
    expanded = std::regex_replace(
        expanded, std::regex("\\b" + (*it)[1].str() + "\\b"), body);
  }
  if (expanded != site.sql && IsOnlyLiterals(expanded)) return "";
  if (ReviewedNonLiterals().count({site.file, site.sql}) > 0) return "";
  static const std::regex kIdentifier(R"([A-Za-z_]\w*)");
  if (std::regex_match(site.sql, kIdentifier)) {
    const std::regex as_char_ptr("const char\\s*\\*\\s*(const\\s+)?" +
                                 site.sql + "\\b");
    const std::regex as_other("(std::string|string_view|auto)&?\\s+" +
                              site.sql + "\\b");
    if (std::regex_search(file_text, as_char_ptr) &&
        !std::regex_search(file_text, as_other)) {
      return "";
    }
    return "variable `" + site.sql + "` is not only a const char*";
  }
  return "not a literal: " + site.sql;
}

std::vector<std::string> ScanProblems(
    const std::vector<std::pair<std::string, std::string>>& files,
    size_t* sites_seen) {
  std::vector<std::string> problems;
  *sites_seen = 0;
  for (const auto& [name, text] : files) {
    for (const SqlSite& site : FindSqlSites(name, text)) {
      ++*sites_seen;
      const std::string p = Problem(site, StripComments(text));
      if (!p.empty()) problems.push_back(name + ": " + site.call + ": " + p);
    }
  }
  return problems;
}

TEST(SecurityTest, SourceScanFlagsSqlBuiltFromText) {
  // The scan is not vacuous: each way of building SQL from text is found.
  const std::string bad = R"cc(
    void F(SQLite::Database& db, const std::string& name, int v) {
      SQLite::Statement q(db, "SELECT * FROM person WHERE name = '" + name + "'");
      db.exec(fmt::format("DELETE FROM user WHERE insz = '{}'", name));
      std::string sql = "DELETE FROM person WHERE name = '" + name + "'";
      db_->execAndGet(sql);
      sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr);
      SQLite::Statement ok(db, "SELECT 1 FROM person WHERE name = ?");
      // db.exec("a comment is not code " + name);
      auto c = statements_->Get("SELECT * FROM user WHERE insz = " + name);
      auto d = statements.Get("SELECT 1 FROM user WHERE insz = ?");
      auto e = std::make_unique<SQLite::Statement>(db, "DELETE " + name);
      BatchInsert rows(db, "INSERT INTO " + name + " VALUES", 2);
      BatchInsert ok_rows(db, "INSERT INTO person (insz, name) VALUES", 2);
      db.exec(std::string(sql));  // reviewed in statement_cache.cc only
      auto g = std::make_unique<BatchInsert>(db, "INSERT INTO " + name, 1);
    }
  )cc";
  size_t sites = 0;
  const std::vector<std::string> problems =
      ScanProblems({{"bad.cc", bad}}, &sites);
  EXPECT_EQ(sites, 12u);
  EXPECT_EQ(problems.size(), 9u) << ::testing::PrintToString(problems);
}

// The C++ files under `folder` (of the source tree), each named by its
// path from the top of the tree.
std::vector<std::pair<std::string, std::string>> SourcesUnder(
    const std::string& folder) {
  // TOEGANG_ENGINE_SRC_DIR is <tree>/engine/src.
  const std::filesystem::path tree =
      std::filesystem::path(TOEGANG_ENGINE_SRC_DIR).parent_path().parent_path();
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(tree / folder)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".cc" && ext != ".h") continue;
    files.emplace_back(entry.path().lexically_relative(tree).string(),
                       ReadFile(entry.path().string()));
  }
  return files;
}

// Scans the C++ files under `folder`: at least min_files of them, where
// at least min_sites hand SQL to SQLite (fewer means the scan broke), and
// every SQL text among them a literal or reviewed.
void ExpectOnlyLiteralSql(const std::string& folder, size_t min_files,
                          size_t min_sites) {
  const std::vector<std::pair<std::string, std::string>> files =
      SourcesUnder(folder);
  ASSERT_GE(files.size(), min_files);
  size_t sites = 0;
  const std::vector<std::string> problems = ScanProblems(files, &sites);
  EXPECT_EQ(problems, std::vector<std::string>{});
  EXPECT_GE(sites, min_sites);
}

TEST(SecurityTest, SqlHandedToSqliteInEngineSourcesIsLiteral) {
  // The store has dozens of statements.
  ExpectOnlyLiteralSql("engine/src", 10, 60);
}

TEST(SecurityTest, TheGeneratorHandsNoSqlToSqlite) {
  // It writes through the store's bulk writer: the schema has one owner.
  const std::vector<std::pair<std::string, std::string>> files =
      SourcesUnder("tools/generator");
  ASSERT_GE(files.size(), 4u);
  size_t sites = 0;
  EXPECT_EQ(ScanProblems(files, &sites), std::vector<std::string>{});
  EXPECT_EQ(sites, 0u);
}

}  // namespace
}  // namespace toegang::testing
