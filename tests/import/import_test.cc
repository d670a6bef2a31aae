// Registry imports through Engine::Import* (SPEC 6): the sample files of
// tests/data (see tests/data/README.md for what each line holds), re-import,
// atomic refusal and --skip-invalid, status changes, and broken files.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"

namespace toegang::testing {
namespace {

std::string Data(const std::string& relative) {
  return std::string(TOEGANG_TESTDATA_DIR) + "/" + relative;
}

// An empty database in its own directory.
class FreshDb {
 public:
  FreshDb() : path_(dir_.File("import.db")) {
    OpenOptions o;
    o.create_if_missing = true;
    Result<std::unique_ptr<Engine>> e = Engine::Open(path_, o);
    if (!e.ok()) {
      ADD_FAILURE() << e.status().ToString();
      return;
    }
    engine_ = std::move(e).value();
  }
  Engine& engine() { return *engine_; }
  const TempDir& dir() const { return dir_; }
  const std::string& path() const { return path_; }

  // The name the database holds for an enterprise (read directly).
  std::string EnterpriseName(const std::string& kbo) const {
    SQLite::Database db(path_, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT name FROM enterprise WHERE kbo = ?");
    q.bind(1, kbo);
    return q.executeStep() ? q.getColumn(0).getString() : "<none>";
  }
  int Count(const std::string& sql) const {
    SQLite::Database db(path_, SQLite::OPEN_READONLY);
    return db.execAndGet(sql).getInt();
  }

 private:
  TempDir dir_;
  std::string path_;
  std::unique_ptr<Engine> engine_;
};

Stats MustStats(const Engine& e) {
  Result<Stats> s = e.GetStats();
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? s.value() : Stats{};
}

// The registry and delegation figures of Stats (not the audit log).
std::string Registries(const Stats& s) {
  return fmt::format(
      "revision={} enterprises={} active={} persons={} facilities={} "
      "htbs={} domain_managers={} subafdelingen={} users={} rights={}",
      s.revision, s.enterprises, s.active_enterprises, s.persons, s.facilities,
      s.htbs, s.domain_managers, s.subafdelingen, s.users, s.rights);
}

std::vector<AuditRecord> AuditAfter(const Engine& e, uint64_t after_seq) {
  AuditQuery q;
  q.after_seq = after_seq;
  q.limit = 100000;
  Result<std::vector<AuditRecord>> rows = e.Audit(q);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? rows.value() : std::vector<AuditRecord>{};
}

uint64_t LastSeq(const Engine& e) {
  std::vector<AuditRecord> all = AuditAfter(e, 0);
  return all.empty() ? 0 : all.back().seq;
}

using Lines = std::vector<std::pair<size_t, std::string>>;

Lines ErrorLines(const ImportReport& r) {
  Lines out;
  for (const RowError& e : r.errors) out.emplace_back(e.line, e.code);
  return out;
}

std::string ReportText(const ImportReport& r) {
  std::string out = fmt::format(
      "rows={} inserted={} updated={} unchanged={} ignored={} invalid={} "
      "revision={}",
      r.rows, r.inserted, r.updated, r.unchanged, r.ignored, r.invalid,
      r.revision);
  for (const RowError& e : r.errors) {
    out += fmt::format("\n  {}:{}: {}: {}", e.file, e.line, e.code, e.message);
  }
  return out;
}

// The good sample files, in dependency order.
void ImportGoodFiles(Engine& e) {
  ImportReport r;
  ASSERT_TRUE(e.ImportKbo(Data("kbo/enterprise.csv"),
                          Data("kbo/denomination.csv"), {}, &r)
                  .ok())
      << ReportText(r);
  ASSERT_TRUE(e.ImportPersons(Data("persons.csv"), {}, &r).ok())
      << ReportText(r);
  ASSERT_TRUE(e.ImportFunctions(Data("functions.csv"), {}, &r).ok())
      << ReportText(r);
  ASSERT_TRUE(e.ImportFacilities(Data("facilities.csv"), {}, &r).ok())
      << ReportText(r);
}

void ImportGoodKbo(Engine& e) {
  ImportReport r;
  ASSERT_TRUE(e.ImportKbo(Data("kbo/enterprise.csv"),
                          Data("kbo/denomination.csv"), {}, &r)
                  .ok())
      << ReportText(r);
}

// --- good files -----------------------------------------------------------

TEST(ImportTest, GoodFilesImportWithTheExpectedCounts) {
  FreshDb db;
  Engine& e = db.engine();
  ImportReport r;

  ASSERT_TRUE(e.ImportKbo(Data("kbo/enterprise.csv"),
                          Data("kbo/denomination.csv"), {}, &r)
                  .ok())
      << ReportText(r);
  EXPECT_EQ(r.rows, 8u + 14u) << ReportText(r);
  EXPECT_EQ(r.inserted, 8u);
  EXPECT_EQ(r.updated, 0u);
  EXPECT_EQ(r.ignored, 2u) << "the two establishment units";
  EXPECT_EQ(r.invalid, 0u);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.rows, r.inserted + r.updated + r.unchanged + r.ignored);
  EXPECT_EQ(r.revision, 1u);
  EXPECT_EQ(e.revision(), 1u);

  ASSERT_TRUE(e.ImportPersons(Data("persons.csv"), {}, &r).ok())
      << ReportText(r);
  EXPECT_EQ(r.rows, 11u);
  EXPECT_EQ(r.inserted, 11u);
  EXPECT_EQ(r.invalid, 0u);
  EXPECT_EQ(r.revision, 2u);

  ASSERT_TRUE(e.ImportFunctions(Data("functions.csv"), {}, &r).ok())
      << ReportText(r);
  EXPECT_EQ(r.rows, 11u);
  EXPECT_EQ(r.inserted, 11u);
  EXPECT_EQ(r.invalid, 0u);
  EXPECT_EQ(r.revision, 3u);

  ASSERT_TRUE(e.ImportFacilities(Data("facilities.csv"), {}, &r).ok())
      << ReportText(r);
  EXPECT_EQ(r.rows, 9u);
  EXPECT_EQ(r.inserted, 9u);
  EXPECT_EQ(r.invalid, 0u);
  EXPECT_EQ(r.revision, 4u);
  EXPECT_EQ(e.revision(), 4u);

  const Stats s = MustStats(e);
  EXPECT_EQ(s.enterprises, 8u);
  EXPECT_EQ(s.active_enterprises, 7u);  // 0353.456.320 is stopped
  EXPECT_EQ(s.persons, 11u);
  EXPECT_EQ(s.facilities, 9u);
  EXPECT_EQ(s.revision, 4u);
  EXPECT_EQ(db.Count("SELECT count(*) FROM function"), 11);
  // HCO 12345 and 0012345 are distinct facilities.
  EXPECT_EQ(db.Count("SELECT count(*) FROM facility WHERE hco IN "
                     "('12345', '0012345')"),
            2);
  // Closed facilities: 200431 (closed) and 88123 (gesloten).
  EXPECT_EQ(db.Count("SELECT count(*) FROM facility WHERE active = 0"), 2);
  // The formatted INSZ is stored in its canonical form.
  EXPECT_EQ(db.Count("SELECT count(*) FROM person WHERE insz = "
                     "'67021212365'"),
            1);

  // Each import is one summary audit row of its own revision; each
  // function added also has its own row (a registry change that can
  // change a decision), before the summary.
  std::vector<std::string> actions;
  for (const AuditRecord& a : AuditAfter(e, 0)) {
    EXPECT_EQ(a.outcome, "ok");
    EXPECT_TRUE(a.actor.empty());
    actions.push_back(fmt::format("r{} {}", a.revision, a.action));
  }
  std::vector<std::string> expected = {"r1 import.kbo", "r2 import.persons"};
  for (int i = 0; i < 11; ++i) expected.push_back("r3 import.function");
  expected.push_back("r3 import.functions");
  expected.push_back("r4 import.facilities");
  EXPECT_EQ(actions, expected);
  Result<std::vector<std::string>> problems = e.Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
}

TEST(ImportTest, DenominationPicksTheDutchOfficialName) {
  FreshDb db;
  ImportGoodKbo(db.engine());
  // Official Dutch over official French and over a Dutch abbreviation.
  EXPECT_EQ(db.EnterpriseName("0403019261"), "OCMW Gent");
  EXPECT_EQ(db.EnterpriseName("0428759497"),
            "Woonzorgcentrum \"De Linde\", vzw");
  // An official name (French) wins over a Dutch name of another type.
  EXPECT_EQ(db.EnterpriseName("0884303369"),
            "Société coopérative \"Les Érables\", SC");
  EXPECT_EQ(db.EnterpriseName("0850512331"), "Seniorenheim Sankt Vith VoG");
  EXPECT_EQ(db.EnterpriseName("0353456320"), "Dagcentrum 't Zonneke");
  // Establishment units are not enterprises and name none.
  EXPECT_EQ(db.Count("SELECT count(*) FROM enterprise"), 8);
  EXPECT_EQ(db.Count("SELECT count(*) FROM enterprise WHERE name LIKE "
                     "'%Vestiging%' OR name LIKE '%exploitation%'"),
            0);

  // The order of the rows does not matter: French first, Dutch last.
  FreshDb other;
  const std::string den =
      other.dir().Write("den.csv",
                        "\"EntityNumber\",\"Language\",\"TypeOfDenomination\","
                        "\"Denomination\"\n"
                        "\"0403.019.261\",\"1\",\"001\",\"CPAS de Gand\"\n"
                        "\"0403.019.261\",\"2\",\"002\",\"OCMW\"\n"
                        "\"0403.019.261\",\"0\",\"001\",\"Onbekende taal\"\n"
                        "\"0403.019.261\",\"2\",\"001\",\"OCMW Gent\"\n"
                        "\"0403.019.261\",\"1\",\"002\",\"CPAS\"\n");
  ImportReport r;
  ASSERT_TRUE(
      other.engine().ImportKbo(Data("kbo/enterprise.csv"), den, {}, &r).ok())
      << ReportText(r);
  EXPECT_EQ(other.EnterpriseName("0403019261"), "OCMW Gent");

  // A later import that only has the French name changes it, as an update.
  const std::string fr =
      other.dir().Write("fr.csv",
                        "\"EntityNumber\",\"Language\",\"TypeOfDenomination\","
                        "\"Denomination\"\n"
                        "\"0403.019.261\",\"1\",\"001\",\"CPAS de Gand\"\n");
  ASSERT_TRUE(
      other.engine().ImportKbo(Data("kbo/enterprise.csv"), fr, {}, &r).ok())
      << ReportText(r);
  EXPECT_EQ(r.inserted, 0u);
  EXPECT_EQ(r.updated, 1u) << ReportText(r);
  EXPECT_GT(r.revision, 0u);
  EXPECT_EQ(other.EnterpriseName("0403019261"), "CPAS de Gand");
}

TEST(ImportTest, ReimportingTheSameFilesChangesNothing) {
  FreshDb db;
  Engine& e = db.engine();
  ImportGoodFiles(e);
  const Stats before = MustStats(e);
  const uint64_t revision = e.revision();
  ASSERT_EQ(revision, 4u);

  ImportReport r;
  ASSERT_TRUE(e.ImportKbo(Data("kbo/enterprise.csv"),
                          Data("kbo/denomination.csv"), {}, &r)
                  .ok());
  EXPECT_EQ(r.inserted, 0u) << ReportText(r);
  EXPECT_EQ(r.updated, 0u) << ReportText(r);
  EXPECT_EQ(r.ignored, 2u);
  EXPECT_EQ(r.unchanged, 8u + 12u);
  EXPECT_EQ(r.revision, 0u);

  for (const auto& [name, file] :
       std::vector<std::pair<std::string, std::string>>{
           {"persons", Data("persons.csv")},
           {"functions", Data("functions.csv")},
           {"facilities", Data("facilities.csv")}}) {
    Status s = name == "persons"     ? e.ImportPersons(file, {}, &r)
               : name == "functions" ? e.ImportFunctions(file, {}, &r)
                                     : e.ImportFacilities(file, {}, &r);
    ASSERT_TRUE(s.ok()) << name << ": " << s.ToString();
    EXPECT_EQ(r.inserted, 0u) << name;
    EXPECT_EQ(r.updated, 0u) << name;
    EXPECT_EQ(r.unchanged, r.rows) << name;
    EXPECT_EQ(r.revision, 0u) << name;
  }
  EXPECT_EQ(e.revision(), revision);
  const Stats after = MustStats(e);
  EXPECT_EQ(Registries(after), Registries(before));
  EXPECT_EQ(after.audit_rows, before.audit_rows)
      << "an import that changes nothing leaves no audit row";
}

// --- bad files ------------------------------------------------------------

struct BadFile {
  std::string name;  // for messages
  std::string kind;  // kbo | denominations | persons | functions | facilities
  std::string file;  // relative to tests/data
  Lines bad;         // (line, code) as tests/data/README.md lists them
  size_t good;       // good data rows that a skip_invalid load inserts
};

std::vector<BadFile> BadFiles() {
  const std::string row(code::kInvalidRow);
  const std::string kbo(code::kInvalidKbo);
  const std::string insz(code::kInvalidInsz);
  return {
      {"enterprise",
       "kbo",
       "bad/enterprise.csv",
       {{3, kbo},
        {4, row},
        {6, row},
        {7, row},
        {8, row},
        {9, kbo},
        {11, row},
        {12, row}},
       4},
      {"denomination",
       "denominations",
       "bad/denomination.csv",
       {{3, row}, {5, kbo}, {6, row}, {7, row}, {8, row}, {10, kbo}},
       0},
      {"persons",
       "persons",
       "bad/persons.csv",
       {{3, insz},
        {5, row},
        {6, std::string(code::kInvalidName)},
        {8, row},
        {10, insz}},
       4},
      {"functions",
       "functions",
       "bad/functions.csv",
       {{3, row}, {4, kbo}, {5, insz}, {6, row}, {8, row}},
       3},
      {"facilities",
       "facilities",
       "bad/facilities.csv",
       {{3, std::string(code::kInvalidHco)},
        {4, row},
        {5, std::string(code::kInvalidTypeCode)},
        {6, kbo},
        {7, row},
        {8, row}},
       2},
  };
}

Status RunBad(Engine& e, const BadFile& b, const ImportOptions& o,
              ImportReport* r) {
  const std::string file = Data(b.file);
  if (b.kind == "kbo") return e.ImportKbo(file, "", o, r);
  if (b.kind == "denominations") {
    return e.ImportKbo(Data("kbo/enterprise.csv"), file, o, r);
  }
  if (b.kind == "persons") return e.ImportPersons(file, o, r);
  if (b.kind == "functions") return e.ImportFunctions(file, o, r);
  return e.ImportFacilities(file, o, r);
}

TEST(ImportTest, BadFilesAreRefusedAtomicallyWithTheirLineNumbers) {
  for (const BadFile& b : BadFiles()) {
    SCOPED_TRACE(b.name);
    for (bool loaded : {false, true}) {
      SCOPED_TRACE(loaded ? "on the good registries" : "on a fresh database");
      FreshDb db;
      Engine& e = db.engine();
      if (loaded) {
        ImportGoodFiles(e);
      } else if (b.kind == "functions" || b.kind == "facilities") {
        ImportGoodKbo(e);  // their enterprises, and nothing else
      }
      const Stats before = MustStats(e);
      const uint64_t seq = LastSeq(e);

      ImportReport r;
      Status s = RunBad(e, b, {}, &r);
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(s.code(), code::kImportRejected) << s.ToString();
      EXPECT_EQ(s.kind(), Status::Kind::kInvalidInput);
      EXPECT_EQ(ErrorLines(r), b.bad) << ReportText(r);
      EXPECT_EQ(r.invalid, b.bad.size());
      for (const RowError& err : r.errors) {
        EXPECT_EQ(err.file, Data(b.file));
        EXPECT_FALSE(err.message.empty());
      }
      EXPECT_EQ(r.revision, 0u);
      // Nothing changed: not the registries, not the revision; the audit
      // log has at most the record of the refusal.
      EXPECT_EQ(e.revision(), before.revision);
      EXPECT_EQ(Registries(MustStats(e)), Registries(before));
      for (const AuditRecord& a : AuditAfter(e, seq)) {
        EXPECT_EQ(a.outcome, "refused") << a.action;
        EXPECT_EQ(a.revision, 0u);
      }
      // ... and the same holds for a new engine on the file.
      Result<std::unique_ptr<Engine>> again = Engine::Open(db.path());
      ASSERT_TRUE(again.ok());
      EXPECT_EQ(Registries(MustStats(**again)), Registries(before));
    }
  }
}

TEST(ImportTest, SkipInvalidLoadsTheGoodRowsAndReportsTheBadOnes) {
  for (const BadFile& b : BadFiles()) {
    SCOPED_TRACE(b.name);
    FreshDb db;
    Engine& e = db.engine();
    // Functions and facilities need their enterprises.
    if (b.kind == "functions" || b.kind == "facilities") ImportGoodKbo(e);
    const Stats before = MustStats(e);
    ImportOptions o;
    o.skip_invalid = true;
    ImportReport r;
    Status s = RunBad(e, b, o, &r);
    ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << ReportText(r);
    EXPECT_EQ(ErrorLines(r), b.bad) << ReportText(r);
    EXPECT_EQ(r.invalid, b.bad.size());
    EXPECT_EQ(r.revision, before.revision + 1);
    EXPECT_EQ(e.revision(), before.revision + 1);
    const Stats after = MustStats(e);
    if (b.kind == "kbo") {
      EXPECT_EQ(r.inserted, b.good);
      // Lines 2, 5, 10 and 13; line 5 is stopped.
      EXPECT_EQ(after.enterprises, 4u);
      EXPECT_EQ(after.active_enterprises, 3u);
      EXPECT_EQ(db.EnterpriseName("0850512331"), "");
    } else if (b.kind == "denominations") {
      // The enterprises of the good file, named by lines 2, 9 and 11;
      // line 4 is an establishment unit.
      EXPECT_EQ(r.inserted, 8u);
      EXPECT_EQ(r.ignored, 1u);
      EXPECT_EQ(db.EnterpriseName("0403019261"), "OCMW Gent");
      EXPECT_EQ(db.EnterpriseName("0444712336"),
                "Atelier protégé \"Le Trèfle\", ASBL");
      EXPECT_EQ(db.EnterpriseName("1023456797"), "Maatwerkbedrijf Ateljee, cv");
      // Bad rows name nothing.
      EXPECT_EQ(db.EnterpriseName("0884303369"), "");
    } else if (b.kind == "persons") {
      EXPECT_EQ(r.inserted, b.good);
      EXPECT_EQ(after.persons, before.persons + b.good);
    } else if (b.kind == "functions") {
      EXPECT_EQ(r.inserted, b.good);
      EXPECT_EQ(db.Count("SELECT count(*) FROM function"),
                static_cast<int>(b.good));
    } else {
      EXPECT_EQ(r.inserted, b.good);
      EXPECT_EQ(after.facilities, before.facilities + b.good);
      EXPECT_EQ(db.Count("SELECT count(*) FROM facility WHERE hco = "
                         "'78901' AND active = 0"),
                1);
    }
    // The import's audit row counts the skipped rows.
    std::vector<AuditRecord> rows = AuditAfter(e, 0);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows.back().revision, r.revision);
    EXPECT_NE(
        rows.back().detail.find(fmt::format("\"invalid\":{}", b.bad.size())),
        std::string::npos)
        << rows.back().detail;
    Result<std::vector<std::string>> problems = e.Verify();
    ASSERT_TRUE(problems.ok());
    EXPECT_TRUE(problems->empty());
  }
}

TEST(ImportTest, WrongHeaderRefusesTheWholeFileEvenWithSkipInvalid) {
  for (bool skip : {false, true}) {
    SCOPED_TRACE(skip ? "skip_invalid" : "atomic");
    FreshDb db;
    Engine& e = db.engine();
    ImportOptions o;
    o.skip_invalid = skip;
    ImportReport r;
    // The denomination file's header has an extra column.
    Status s = e.ImportKbo(Data("kbo/enterprise.csv"),
                           Data("bad/denomination_header.csv"), o, &r);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), code::kImportRejected);
    EXPECT_EQ(s.kind(), Status::Kind::kInvalidInput);
    EXPECT_EQ(ErrorLines(r), (Lines{{1, std::string(code::kInvalidHeader)}}))
        << ReportText(r);
    EXPECT_EQ(MustStats(e).enterprises, 0u) << "the enterprises rolled back";
    EXPECT_EQ(e.revision(), 0u);

    // An enterprise file whose last column is misnamed.
    const std::string bad_header = db.dir().Write(
        "enterprise.csv",
        "\"EnterpriseNumber\",\"Status\",\"JuridicalSituation\","
        "\"TypeOfEnterprise\",\"JuridicalForm\",\"JuridicalFormCAC\","
        "\"Startdatum\"\n"
        "\"0403.019.261\",\"AC\",\"000\",\"2\",\"416\",\"\",\"01-01-1977\"\n");
    s = e.ImportKbo(bad_header, "", o, &r);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), code::kImportRejected);
    EXPECT_EQ(ErrorLines(r), (Lines{{1, std::string(code::kInvalidHeader)}}))
        << ReportText(r);
    // A data row where the header belongs.
    const std::string no_header = db.dir().Write(
        "enterprise2.csv",
        "\"0403.019.261\",\"AC\",\"000\",\"2\",\"416\",\"\",\"01-01-1977\"\n");
    s = e.ImportKbo(no_header, "", o, &r);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(ErrorLines(r), (Lines{{1, std::string(code::kInvalidHeader)}}))
        << ReportText(r);
    EXPECT_EQ(MustStats(e).enterprises, 0u);
    EXPECT_EQ(e.revision(), 0u);
  }
}

// --- registry changes -----------------------------------------------------

std::string WithLineReplaced(std::string csv, const std::string& from,
                             const std::string& to) {
  const size_t at = csv.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) csv.replace(at, from.size(), to);
  return csv;
}

std::vector<AuditRecord> RowsOf(const std::vector<AuditRecord>& rows,
                                const std::string& action) {
  std::vector<AuditRecord> out;
  for (const AuditRecord& r : rows) {
    if (r.action == action) out.push_back(r);
  }
  return out;
}

TEST(ImportTest, StoppedEnterpriseIsAppliedAndAudited) {
  TestFederation fed;
  fed.BuildOcmwChain();
  Engine& e = fed.engine();
  ASSERT_TRUE(fed.Allowed(kUser1));
  const Stats before = MustStats(e);
  uint64_t seq = LastSeq(e);

  const std::string stopped = fed.dir().Write(
      "stopped.csv",
      WithLineReplaced(EnterpriseCsv(), "\"0403.019.261\",\"AC\"",
                       "\"0403.019.261\",\"ST\""));
  ImportReport r;
  ASSERT_TRUE(e.ImportKbo(stopped, "", {}, &r).ok()) << ReportText(r);
  EXPECT_EQ(r.updated, 1u) << ReportText(r);
  EXPECT_EQ(r.unchanged, 3u);
  EXPECT_EQ(r.inserted, 0u);
  EXPECT_EQ(r.revision, before.revision + 1);
  EXPECT_EQ(e.revision(), r.revision);
  EXPECT_EQ(MustStats(e).active_enterprises, before.active_enterprises - 1);
  EXPECT_FALSE(fed.Allowed(kUser1)) << "a stopped enterprise grants nothing";

  std::vector<AuditRecord> stops =
      RowsOf(AuditAfter(e, seq), "import.enterprise");
  ASSERT_EQ(stops.size(), 1u);
  EXPECT_EQ(stops[0].kbo, kOcmw);
  EXPECT_EQ(stops[0].revision, r.revision);
  EXPECT_EQ(stops[0].outcome, "ok");
  EXPECT_NE(stops[0].message.find("stopped"), std::string::npos)
      << stops[0].message;
  // It is found by the enterprise's own audit trail too.
  AuditQuery by_kbo;
  by_kbo.kbo = kOcmw;
  by_kbo.after_seq = seq;
  Result<std::vector<AuditRecord>> mine = e.Audit(by_kbo);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(RowsOf(*mine, "import.enterprise").size(), 1u);

  // Importing the same file again changes and records nothing.
  seq = LastSeq(e);
  ASSERT_TRUE(e.ImportKbo(stopped, "", {}, &r).ok());
  EXPECT_EQ(r.updated, 0u);
  EXPECT_EQ(r.revision, 0u);
  EXPECT_TRUE(AuditAfter(e, seq).empty());

  // Active again: applied, audited, and access is back.
  ASSERT_TRUE(
      e.ImportKbo(fed.dir().Write("active.csv", EnterpriseCsv()), "", {}, &r)
          .ok());
  EXPECT_EQ(r.updated, 1u);
  std::vector<AuditRecord> back =
      RowsOf(AuditAfter(e, seq), "import.enterprise");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].revision, r.revision);
  EXPECT_TRUE(fed.Allowed(kUser1));

  // The state survives a reopen.
  fed.Reopen();
  EXPECT_TRUE(fed.Allowed(kUser1));
  EXPECT_EQ(MustStats(fed.engine()).active_enterprises,
            before.active_enterprises);
}

TEST(ImportTest, ClosedFacilityIsAppliedAndAudited) {
  TestFederation fed;
  fed.BuildOcmwChain();
  Engine& e = fed.engine();
  ASSERT_TRUE(fed.Allowed(kUser1, "ama-wvg", kHcoOcmw));
  const uint64_t seq = LastSeq(e);
  const uint64_t revision = e.revision();

  ImportReport r;
  ASSERT_TRUE(
      e.ImportFacilities(
           fed.dir().Write("closed.csv",
                           WithLineReplaced(FacilitiesCsv(),
                                            "12345,OCMW Gent,009,0403019261,"
                                            "active",
                                            "12345,OCMW Gent,009,0403019261,"
                                            "closed")),
           {}, &r)
          .ok())
      << ReportText(r);
  EXPECT_EQ(r.updated, 1u) << ReportText(r);
  EXPECT_EQ(r.unchanged, 7u);
  EXPECT_EQ(r.revision, revision + 1);
  EXPECT_FALSE(fed.Allowed(kUser1)) << "a closed facility grants nothing";

  std::vector<AuditRecord> closes =
      RowsOf(AuditAfter(e, seq), "import.facility");
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_EQ(closes[0].kbo, kOcmw);
  EXPECT_EQ(closes[0].revision, r.revision);
  EXPECT_NE(closes[0].detail.find(kHcoOcmw), std::string::npos);
  EXPECT_NE(closes[0].message.find("closed"), std::string::npos)
      << closes[0].message;
  // The import's own summary row has the same revision.
  EXPECT_EQ(RowsOf(AuditAfter(e, seq), "import.facilities").size(), 1u);

  // Open again: applied and audited as reopened.
  uint64_t seq2 = LastSeq(e);
  ASSERT_TRUE(
      e.ImportFacilities(fed.dir().Write("open.csv", FacilitiesCsv()), {}, &r)
          .ok());
  EXPECT_EQ(r.updated, 1u);
  std::vector<AuditRecord> reopened =
      RowsOf(AuditAfter(e, seq2), "import.facility");
  ASSERT_EQ(reopened.size(), 1u);
  EXPECT_EQ(reopened[0].revision, r.revision);
  EXPECT_NE(reopened[0].message.find("reopened"), std::string::npos)
      << reopened[0].message;
  EXPECT_TRUE(fed.Allowed(kUser1));

  // A new name only is an update, but no status change to audit.
  seq2 = LastSeq(e);
  ASSERT_TRUE(
      e.ImportFacilities(
           fed.dir().Write("renamed.csv",
                           WithLineReplaced(FacilitiesCsv(), "12345,OCMW Gent,",
                                            "12345,OCMW Gent Centrum,")),
           {}, &r)
          .ok());
  EXPECT_EQ(r.updated, 1u);
  EXPECT_GT(r.revision, 0u);
  EXPECT_TRUE(RowsOf(AuditAfter(e, seq2), "import.facility").empty());
  EXPECT_TRUE(fed.Allowed(kUser1));
}

TEST(ImportTest, RowsNamingAnUnknownEnterpriseAreRowErrors) {
  const std::string unknown(code::kEnterpriseUnknown);
  for (bool skip : {false, true}) {
    SCOPED_TRACE(skip ? "skip_invalid" : "atomic");
    TestFederation fed;
    Engine& e = fed.engine();
    const Stats before = MustStats(e);
    ImportOptions o;
    o.skip_invalid = skip;
    ImportReport r;

    const std::string facilities =
        fed.dir().Write("fac.csv",
                        "hco,name,type_code,kbo,status\n"
                        "55501,Nieuw Dagcentrum,094,0403019261,active\n"
                        "55502,Onbekende Inrichter,094," +
                            std::string(kUnknownKbo) +
                            ",active\n"
                            "55503,Nog een,094,0428759497,active\n");
    Status s = e.ImportFacilities(facilities, o, &r);
    EXPECT_EQ(ErrorLines(r), (Lines{{3, unknown}})) << ReportText(r);
    if (skip) {
      ASSERT_TRUE(s.ok()) << s.ToString();
      EXPECT_EQ(r.inserted, 2u);
      EXPECT_EQ(MustStats(e).facilities, before.facilities + 2);
    } else {
      EXPECT_EQ(s.code(), code::kImportRejected);
      EXPECT_EQ(MustStats(e).facilities, before.facilities);
    }

    const std::string functions = fed.dir().Write(
        "fun.csv", "kbo,insz,role\n" + std::string(kUnknownKbo) + "," + kUser1 +
                       ",employee\n"
                       "0403019261," +
                       kUser2 + ",employee\n");
    s = e.ImportFunctions(functions, o, &r);
    EXPECT_EQ(ErrorLines(r), (Lines{{2, unknown}})) << ReportText(r);
    if (skip) {
      ASSERT_TRUE(s.ok()) << s.ToString();
      EXPECT_EQ(r.inserted, 1u);
      // kUser2 is now an employee of the OCMW: the WV may make them HTB.
      Result<CommitInfo> htb =
          e.Apply(M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kUser2));
      EXPECT_TRUE(htb.ok()) << htb.status().ToString();
    } else {
      EXPECT_EQ(s.code(), code::kImportRejected);
      Status may =
          e.May(M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kUser2));
      EXPECT_EQ(may.code(), code::kNotWvOrEmployee) << may.ToString();
    }
  }
}

// --- broken files ---------------------------------------------------------

TEST(ImportTest, EmptyFileIsRefused) {
  TestFederation fed;
  Engine& e = fed.engine();
  const Stats before = MustStats(e);
  const std::string empty = fed.dir().Write("empty.csv", "");
  ImportReport r;
  for (int which = 0; which < 4; ++which) {
    SCOPED_TRACE(which);
    Status s = which == 0   ? e.ImportKbo(empty, "", {}, &r)
               : which == 1 ? e.ImportPersons(empty, {}, &r)
               : which == 2 ? e.ImportFunctions(empty, {}, &r)
                            : e.ImportFacilities(empty, {}, &r);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), code::kImportRejected) << s.ToString();
    EXPECT_EQ(s.kind(), Status::Kind::kInvalidInput);
    EXPECT_EQ(r.invalid, 1u);
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 1u);
  }
  EXPECT_EQ(Registries(MustStats(e)), Registries(before));
}

TEST(ImportTest, HeaderOnlyFileImportsNothing) {
  TestFederation fed;
  Engine& e = fed.engine();
  const Stats before = MustStats(e);
  ImportReport r;
  struct Case {
    std::string header;
    int which;
  };
  const std::vector<Case> cases = {
      {EnterpriseCsv().substr(0, EnterpriseCsv().find('\n') + 1), 0},
      {"insz,name\n", 1},
      {"kbo,insz,role\n", 2},
      {"hco,name,type_code,kbo,status\n", 3}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.header);
    const std::string file = fed.dir().Write("header.csv", c.header);
    Status s = c.which == 0   ? e.ImportKbo(file, "", {}, &r)
               : c.which == 1 ? e.ImportPersons(file, {}, &r)
               : c.which == 2 ? e.ImportFunctions(file, {}, &r)
                              : e.ImportFacilities(file, {}, &r);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(r.rows, 0u);
    EXPECT_EQ(r.invalid, 0u);
    EXPECT_EQ(r.revision, 0u);
  }
  const Stats after = MustStats(e);
  EXPECT_EQ(Registries(after), Registries(before));
  EXPECT_EQ(after.audit_rows, before.audit_rows);
}

TEST(ImportTest, MissingFileIsAnIoError) {
  TestFederation fed;
  Engine& e = fed.engine();
  const Stats before = MustStats(e);
  const std::string missing = fed.dir().File("no-such-file.csv");
  ImportReport r;
  for (int which = 0; which < 4; ++which) {
    SCOPED_TRACE(which);
    Status s = which == 0   ? e.ImportKbo(missing, "", {}, &r)
               : which == 1 ? e.ImportPersons(missing, {}, &r)
               : which == 2 ? e.ImportFunctions(missing, {}, &r)
                            : e.ImportFacilities(missing, {}, &r);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), code::kIoError) << s.ToString();
    EXPECT_EQ(s.kind(), Status::Kind::kStorage);
    EXPECT_NE(s.message().find(missing), std::string::npos) << s.message();
  }
  // A good enterprise file with a missing denomination file: nothing of
  // the enterprise file is kept either.
  FreshDb db;
  Status s = db.engine().ImportKbo(Data("kbo/enterprise.csv"), missing, {}, &r);
  EXPECT_EQ(s.code(), code::kIoError);
  EXPECT_EQ(MustStats(db.engine()).enterprises, 0u);
  EXPECT_EQ(db.engine().revision(), 0u);
  EXPECT_EQ(Registries(MustStats(e)), Registries(before));
}

TEST(ImportTest, ProgressReachesTheFileSize) {
  FreshDb db;
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  ImportOptions o;
  o.progress = [&](uint64_t done, uint64_t total) {
    calls.emplace_back(done, total);
  };
  ImportReport r;
  ASSERT_TRUE(db.engine().ImportPersons(Data("persons.csv"), o, &r).ok());
  struct stat st {};
  ASSERT_EQ(::stat(Data("persons.csv").c_str(), &st), 0);
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().first, static_cast<uint64_t>(st.st_size));
  EXPECT_EQ(calls.back().second, static_cast<uint64_t>(st.st_size));
}

// The counts of a report add up to its rows, also when a CSV record is
// malformed or enterprises are renamed; a rejected import reports nothing
// as kept, and every kind of rejection is audited.
TEST(ImportTest, ReportCountsAddUpAndRejectionsAreAudited) {
  FreshDb db;
  auto sum = [](const ImportReport& r) {
    return r.inserted + r.updated + r.unchanged + r.ignored + r.invalid;
  };
  ImportReport r;
  ASSERT_TRUE(db.engine()
                  .ImportKbo(Data("kbo/enterprise.csv"),
                             Data("kbo/denomination.csv"), {}, &r)
                  .ok());
  EXPECT_EQ(sum(r), r.rows) << ReportText(r);
  // Rename one enterprise known before: one update, counts still add up.
  std::string renamed = db.dir().Write(
      "rename.csv",
      "\"EntityNumber\",\"Language\",\"TypeOfDenomination\","
      "\"Denomination\"\n\"0403.019.261\",\"2\",\"001\",\"Nieuwe naam\"\n");
  ASSERT_TRUE(
      db.engine().ImportKbo(Data("kbo/enterprise.csv"), renamed, {}, &r).ok());
  EXPECT_EQ(r.updated, 1u) << ReportText(r);
  EXPECT_EQ(sum(r), r.rows) << ReportText(r);

  // A malformed CSV record is a row, and the rejected import keeps nothing.
  const uint64_t before = LastSeq(db.engine());
  std::string bad = db.dir().Write(
      "bad.csv", "insz,name\n93051822361,Jan\n85073003328,\"An \"Peeters\n");
  Status s = db.engine().ImportPersons(bad, {}, &r);
  EXPECT_EQ(s.code(), code::kImportRejected);
  EXPECT_EQ(r.rows, 2u) << ReportText(r);
  EXPECT_EQ(r.invalid, 1u);
  EXPECT_EQ(r.inserted, 0u);
  EXPECT_EQ(MustStats(db.engine()).persons, 0u);

  // A wrong header and an empty file are audited as refusals too.
  std::string header = db.dir().Write("header.csv", "insz,naam,extra\n");
  std::string empty = db.dir().Write("empty.csv", "");
  EXPECT_FALSE(db.engine().ImportFacilities(header, {}, &r).ok());
  EXPECT_FALSE(db.engine().ImportPersons(empty, {}, &r).ok());
  std::vector<AuditRecord> rows = AuditAfter(db.engine(), before);
  ASSERT_EQ(rows.size(), 3u);
  for (const AuditRecord& a : rows) {
    EXPECT_EQ(a.outcome, "refused");
    EXPECT_EQ(a.code, code::kImportRejected);
    EXPECT_EQ(a.revision, 0u);
  }
}

}  // namespace
}  // namespace toegang::testing
