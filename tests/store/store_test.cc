// Persistence and storage faults, through the public Engine API: what a
// reopened database gives back, Verify(), file modes, files that are not
// (our) databases, revisions without gaps, a read-only file, a full disk,
// a database locked by another process, and two engines (processes) on
// one file.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite_store.h"
#include "support/child_process.h"
#include "support/cli_runner.h"
#include "support/db_content.h"
#include "support/pg_cluster.h"
#include "support/random_identifiers.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/mutation.h"

namespace toegang::testing {
namespace {

const std::vector<std::string>& AllPersons() {
  static const std::vector<std::string> kAll = {
      kWvOcmw,  kEmpOcmw, kEmp2Ocmw, kWvWzc, kEmpWzc,  kWvStopped,
      kWvOther, kUser1,   kUser2,    kUser3, kOutsider};
  return kAll;
}

const std::vector<std::string>& AllHcos() {
  static const std::vector<std::string> kAll = {
      "",          kHcoOcmw,    kHcoSociaalHuis,   kHcoOcmwClosed, kHcoWzc,
      kHcoWzcOost, kHcoStopped, kHcoStoppedClosed, kHcoOther,      kHcoUnknown};
  return kAll;
}

// Every check answer of the cast, one line each.
std::vector<std::string> CheckAnswers(const Engine& engine) {
  std::vector<std::string> out;
  for (const std::string& insz : AllPersons()) {
    for (const char* app : {"ama-wvg", "vipa"}) {
      for (const std::string& hco : AllHcos()) {
        Result<Decision> d = engine.Check(insz, app, hco);
        if (!d.ok()) {
          out.push_back(fmt::format("{} {} {}: {}", insz, app, hco,
                                    d.status().ToString()));
          continue;
        }
        out.push_back(fmt::format("{} {} {}: {} r{} [{}]", insz, app, hco,
                                  d->allowed, d->revision,
                                  fmt::join(d->facilities, ",")));
      }
    }
  }
  return out;
}

std::string StatsLine(const Stats& s, bool with_vertices) {
  return fmt::format(
      "revision={} enterprises={} active={} persons={} facilities={} "
      "htbs={} domain_managers={} subafdelingen={} users={} rights={} "
      "audit_rows={} edges={} vertices={}",
      s.revision, s.enterprises, s.active_enterprises, s.persons, s.facilities,
      s.htbs, s.domain_managers, s.subafdelingen, s.users, s.rights,
      s.audit_rows, s.graph_edges,
      with_vertices ? std::to_string(s.graph_vertices) : "-");
}

std::string AuditLine(const AuditRecord& r) {
  return fmt::format("#{} r{} {} actor={} {} kbo={} {} code={} {} | {}", r.seq,
                     r.revision, r.at, r.actor, r.action, r.kbo, r.outcome,
                     r.code, r.detail, r.message);
}

std::vector<AuditRecord> FullAudit(const Engine& engine) {
  AuditQuery q;
  q.limit = 1000000;
  Result<std::vector<AuditRecord>> rows = engine.Audit(q);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? rows.value() : std::vector<AuditRecord>{};
}

std::vector<std::string> AuditLines(const Engine& engine) {
  std::vector<std::string> out;
  for (const AuditRecord& r : FullAudit(engine)) out.push_back(AuditLine(r));
  return out;
}

Stats MustStats(const Engine& engine) {
  Result<Stats> s = engine.GetStats();
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? s.value() : Stats{};
}

std::vector<std::string> MustVerify(const Engine& engine) {
  Result<std::vector<std::string>> problems = engine.Verify();
  EXPECT_TRUE(problems.ok()) << problems.status().ToString();
  return problems.ok() ? problems.value()
                       : std::vector<std::string>{"Verify() failed"};
}

// After BuildOcmwChain: more of the manual's procedures on kOcmw and kWzc,
// including every kind of removal, so that a reload has to reproduce
// additions and removals alike.
std::vector<Mutation> MoreMutations() {
  std::vector<Mutation> out;
  auto add = [&](const M& m) { out.push_back(m.m); };
  add(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
  add(M(Action::kAuthorize, kEmp2Ocmw).Hco(kHcoOcmw).App("vipa"));
  add(M(Action::kGrantRight, kUser3).Hco(kHcoOcmw).Insz(kUser1).App("vipa"));
  add(M(Action::kAddUser, kUser2).Hco(kHcoOcmw).Insz(kOutsider).App("ama-wvg"));
  add(M(Action::kCreateSubafdeling, kEmpOcmw)
          .Kbo(kOcmw)
          .Hco(kHcoSociaalHuis)
          .Email("sociaalhuis@ocmw.gent")
          .App("vipa")
          .Manager(kOutsider));
  add(M(Action::kAddUser, kOutsider)
          .Hco(kHcoSociaalHuis)
          .Insz(kUser3)
          .App("vipa"));
  add(M(Action::kAddManager, kEmpOcmw).Hco(kHcoSociaalHuis).Insz(kUser1));
  add(M(Action::kRemoveManager, kEmpOcmw).Hco(kHcoSociaalHuis).Insz(kUser1));
  add(M(Action::kDeauthorize, kEmp2Ocmw).Hco(kHcoOcmw).App("vipa"));
  add(M(Action::kRevokeRight, kUser2)
          .Hco(kHcoOcmw)
          .Insz(kOutsider)
          .App("ama-wvg"));
  add(M(Action::kRemoveUser, kUser2).Hco(kHcoOcmw).Insz(kOutsider));
  add(M(Action::kRemoveCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
  // The WZC: its own chain, one subafdeling created and removed again.
  add(M(Action::kAppointHtb, kWvWzc)
          .Kbo(kWzc)
          .Insz(kEmpWzc)
          .Email("htb@delinde.be"));
  add(M(Action::kActivateCapacity, kEmpWzc).Kbo(kWzc));
  add(M(Action::kCreateSubafdeling, kEmpWzc)
          .Kbo(kWzc)
          .Hco(kHcoWzc)
          .Email("toegang@delinde.be")
          .App("ama-wvg")
          .App("vipa"));
  add(M(Action::kAddUser, kEmpWzc)
          .Hco(kHcoWzc)
          .Insz(kUser2)
          .App("ama-wvg")
          .App("vipa"));
  add(M(Action::kCreateSubafdeling, kEmpWzc)
          .Kbo(kWzc)
          .Hco(kHcoWzcOost)
          .Email("oost@delinde.be")
          .App("ama-wvg"));
  add(M(Action::kAddUser, kEmpWzc)
          .Hco(kHcoWzcOost)
          .Insz(kUser1)
          .App("ama-wvg"));
  add(M(Action::kRemoveSubafdeling, kEmpWzc).Hco(kHcoWzcOost));
  // The OCMW's WV replaces the HTB.
  add(M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw));
  return out;
}

// Mutations that a rule refuses in the state MoreMutations() leaves.
std::vector<Mutation> RefusedMutations() {
  std::vector<Mutation> out;
  out.push_back(M(Action::kAppointHtb, kOutsider).Kbo(kOcmw).Insz(kUser1).m);
  out.push_back(M(Action::kGrantRight, kUser1)
                    .Hco(kHcoOcmw)
                    .Insz(kUser1)
                    .App("ama-wvg")
                    .m);
  out.push_back(M(Action::kActivateCapacity, kEmp2Ocmw).Kbo(kOcmw).m);
  out.push_back(M(Action::kAddUser, kEmpWzc).Hco(kHcoWzcOost).Insz(kUser3).m);
  return out;
}

// The tests every store must pass (store.h's contract as the engine sees
// it), run against SQLite and PostgreSQL (support/pg_cluster.h): each on a
// fresh federation in a fresh database of the parameter's store.
class StoreContractTest : public PerStoreTest {};

INSTANTIATE_TEST_SUITE_P(Stores, StoreContractTest, kBothStores, StoreKindName);

// --- reopen -------------------------------------------------------------

TEST_P(StoreContractTest, ReopenGivesBackTheSameState) {
  TestFederation& fed = *fed_;
  fed.BuildOcmwChain();
  for (const Mutation& m : MoreMutations()) fed.MustApply(m);
  for (const Mutation& m : RefusedMutations()) {
    Result<CommitInfo> r = fed.engine().Apply(m);
    EXPECT_EQ(r.status().kind(), Status::Kind::kRefused)
        << ActionName(m.action) << ": " << r.status().ToString();
  }
  // The run did something worth comparing.
  ASSERT_TRUE(fed.Allowed(kUser1, "ama-wvg", kHcoOcmw));
  ASSERT_TRUE(fed.Allowed(kUser2, "vipa", kHcoWzc));
  ASSERT_TRUE(fed.Allowed(kUser3, "vipa", kHcoSociaalHuis));
  ASSERT_FALSE(fed.Allowed(kUser1, "vipa"));
  ASSERT_FALSE(fed.Allowed(kUser1, "ama-wvg", kHcoWzcOost));

  const std::vector<std::string> checks = CheckAnswers(fed.engine());
  const Stats stats = MustStats(fed.engine());
  const std::vector<std::string> audit = AuditLines(fed.engine());
  const uint64_t revision = fed.engine().revision();
  EXPECT_EQ(stats.revision, revision);
  EXPECT_EQ(MustVerify(fed.engine()), std::vector<std::string>{});

  fed.Reopen();
  EXPECT_EQ(fed.engine().revision(), revision);
  EXPECT_EQ(CheckAnswers(fed.engine()), checks);
  const Stats reopened = MustStats(fed.engine());
  // Vertices are never removed from the live graph (delegation_graph.h,
  // invariant 6), so a removed subafdeling still has a vertex until the
  // next load; every other figure must be identical.
  EXPECT_EQ(StatsLine(reopened, false), StatsLine(stats, false));
  EXPECT_LE(reopened.graph_vertices, stats.graph_vertices);
  EXPECT_EQ(AuditLines(fed.engine()), audit);
  EXPECT_EQ(MustVerify(fed.engine()), std::vector<std::string>{});

  // A second reopen of an unchanged database is identical in every figure.
  fed.Reopen();
  EXPECT_EQ(StatsLine(MustStats(fed.engine()), true),
            StatsLine(reopened, true));
  EXPECT_EQ(CheckAnswers(fed.engine()), checks);
}

TEST_P(StoreContractTest, VerifyPassesAfterEveryMutationAndAfterReopen) {
  TestFederation& fed = *fed_;
  EXPECT_EQ(MustVerify(fed.engine()), std::vector<std::string>{});
  fed.BuildOcmwChain();
  EXPECT_EQ(MustVerify(fed.engine()), std::vector<std::string>{});
  for (const Mutation& m : MoreMutations()) {
    fed.MustApply(m);
    EXPECT_EQ(MustVerify(fed.engine()), std::vector<std::string>{})
        << "after " << ActionName(m.action);
  }
  fed.Reopen();
  EXPECT_EQ(MustVerify(fed.engine()), std::vector<std::string>{});
}

// Verify() is not vacuous: each kind of damage done behind the engine's
// back is reported.
TEST(StoreTest, VerifyFindsDamageDoneBehindTheEnginesBack) {
  struct Damage {
    const char* what;
    const char* sql;
  };
  const std::vector<Damage> damages = {
      {"an audit row missing", "DELETE FROM audit WHERE revision = 6"},
      {"the revision ahead of the log",
       "UPDATE revision SET value = value + 1"},
      {"a right without its user",
       "PRAGMA foreign_keys = OFF; DELETE FROM user WHERE insz = "
       "'81050003552'"},
      {"a user the graph does not have",
       "INSERT INTO user (subafdeling, insz, by_insz, revision, at) "
       "SELECT id, '75460898095', by_insz, revision, at FROM subafdeling"},
  };
  for (const Damage& d : damages) {
    SCOPED_TRACE(d.what);
    TestFederation fed;
    fed.BuildOcmwChain();
    ASSERT_EQ(MustVerify(fed.engine()), std::vector<std::string>{});
    {
      SQLite::Database db(fed.db_path(), SQLite::OPEN_READWRITE);
      db.exec(d.sql);
    }
    EXPECT_NE(MustVerify(fed.engine()), std::vector<std::string>{});
  }
}

// --- file modes ---------------------------------------------------------

class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return static_cast<mode_t>(-1);
  return st.st_mode & 07777;
}

TEST(StoreTest, NewDatabaseFilesAreMode0600EvenWithUmask022) {
  ScopedUmask mask(022);
  TempDir dir;
  const std::string db = dir.File("new.db");
  OpenOptions create;
  create.create_if_missing = true;
  Result<std::unique_ptr<Engine>> e = Engine::Open(db, create);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  // Write something so that the WAL is in use.
  ImportReport report;
  ASSERT_TRUE(
      (*e)->ImportPersons(dir.Write("p.csv", PersonsCsv()), {}, &report).ok());
  ASSERT_TRUE(std::filesystem::exists(db + "-wal"));
  ASSERT_TRUE(std::filesystem::exists(db + "-shm"));
  EXPECT_EQ(ModeOf(db), 0600u);
  EXPECT_EQ(ModeOf(db + "-wal"), 0600u);
  EXPECT_EQ(ModeOf(db + "-shm"), 0600u);
}

// --- files that are not (our) databases ---------------------------------

TEST(StoreTest, MissingFileWithoutCreateIsNotInitialized) {
  TempDir dir;
  const std::string db = dir.File("missing.db");
  Result<std::unique_ptr<Engine>> e = Engine::Open(db);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), code::kNotInitialized);
  EXPECT_EQ(e.status().kind(), Status::Kind::kStorage);
  EXPECT_FALSE(std::filesystem::exists(db)) << "Open created the file";
}

std::vector<std::string> DirectoryListing(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Opening path (with and without create_if_missing) fails with code and
// leaves the file, and its directory, as they were.
void ExpectRefusedUntouched(const std::string& path, std::string_view code) {
  const std::string before = ReadFile(path);
  ASSERT_FALSE(before.empty());
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const std::vector<std::string> listing = DirectoryListing(dir);
  for (bool create : {false, true}) {
    OpenOptions o;
    o.create_if_missing = create;
    Result<std::unique_ptr<Engine>> e = Engine::Open(path, o);
    ASSERT_FALSE(e.ok()) << "create_if_missing=" << create;
    EXPECT_EQ(e.status().code(), code) << e.status().ToString();
    EXPECT_EQ(e.status().kind(), Status::Kind::kStorage);
    EXPECT_FALSE(e.status().message().empty());
  }
  EXPECT_EQ(ReadFile(path), before) << "the file was changed";
  EXPECT_EQ(DirectoryListing(dir), listing) << "files were left behind";
}

TEST(StoreTest, TextFileIsNotADatabaseAndIsLeftUntouched) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += fmt::format("line {} of somebody's notes, not a database\n", i);
  }
  const std::string path = dir.Write("notes.txt", text);
  ExpectRefusedUntouched(path, code::kNotADatabase);
}

TEST(StoreTest, ShortTextFileIsNotADatabaseAndIsLeftUntouched) {
  TempDir dir;
  const std::string path = dir.Write("short.txt", "hello\n");
  ExpectRefusedUntouched(path, code::kNotADatabase);
}

TEST(StoreTest, ForeignSqliteDatabaseIsNotADatabaseAndIsLeftUntouched) {
  TempDir dir;
  const std::string path = dir.File("other.sqlite");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE recipe (name TEXT PRIMARY KEY, minutes INTEGER)");
    db.exec("INSERT INTO recipe VALUES ('stoofvlees', 180), ('waterzooi', 60)");
  }
  ExpectRefusedUntouched(path, code::kNotADatabase);
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM recipe").getInt(), 2);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_master").getInt(), 2);
}

TEST(StoreTest, NewerSchemaIsSchemaTooNewAndIsLeftUntouched) {
  TempDir dir;
  const std::string path = dir.File("future.db");
  int version = 0;
  {
    OpenOptions create;
    create.create_if_missing = true;
    Result<std::unique_ptr<Engine>> e = Engine::Open(path, create);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
  }
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    version = db.execAndGet("PRAGMA user_version").getInt();
    ASSERT_GT(version, 0);
    db.exec(fmt::format("PRAGMA user_version = {}", version + 1));
  }
  // Closing the last connection checkpoints the WAL into the file.
  ASSERT_FALSE(std::filesystem::exists(path + "-wal"));
  ExpectRefusedUntouched(path, code::kSchemaTooNew);
  const std::string bytes = ReadFile(path);
  ExpectError(
      Spawn({"--json", "--db", path, "stats"}, dir.path(), std::nullopt), 4,
      "schema_too_new");
  ExpectError(Spawn({"--json", "--db", path, "init"}, dir.path(), std::nullopt),
              4, "schema_too_new");
  EXPECT_EQ(ReadFile(path), bytes);
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), version + 1);
}

TEST(StoreTest, EmptyFileWithoutCreateIsNotInitializedAndStaysEmpty) {
  TempDir dir;
  const std::string path = dir.Write("empty.db", "");
  Result<std::unique_ptr<Engine>> e = Engine::Open(path);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), code::kNotInitialized);
  EXPECT_EQ(e.status().kind(), Status::Kind::kStorage);
  EXPECT_EQ(std::filesystem::file_size(path), 0u);
  EXPECT_EQ(DirectoryListing(dir.path()), std::vector<std::string>{"empty.db"});
  // With create_if_missing it becomes a toegang database.
  OpenOptions create;
  create.create_if_missing = true;
  e = Engine::Open(path, create);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ((*e)->revision(), 0u);
}

TEST(StoreTest, DirectoryIsNotADatabase) {
  TempDir dir;
  Result<std::unique_ptr<Engine>> e = Engine::Open(dir.path());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().kind(), Status::Kind::kStorage);
  EXPECT_EQ(e.status().code(), code::kNotADatabase);
}

// --- revisions ----------------------------------------------------------

TEST_P(StoreContractTest, TheAuditReadsNewestFirstWithTheActorsNames) {
  TestFederation& fed = *fed_;
  fed.BuildOcmwChain();
  // A refusal is a row of the log too.
  ASSERT_FALSE(
      fed.engine().Apply(M(Action::kActivateCapacity, kUser1).Kbo(kOcmw)).ok());
  AuditQuery all;
  all.kbo = kOcmw;
  all.limit = 1000;
  Result<std::vector<AuditRecord>> oldest = fed.engine().Audit(all);
  ASSERT_TRUE(oldest.ok()) << oldest.status().ToString();
  ASSERT_GE(oldest->size(), 6u);
  // The HTB's appointment, by the WV (registry rows have no actor).
  auto appointed = std::find_if(
      oldest->begin(), oldest->end(),
      [](const AuditRecord& r) { return r.action == "htb.appoint"; });
  ASSERT_NE(appointed, oldest->end());
  EXPECT_EQ(appointed->actor_name, "Wendy Verhoeven");

  AuditQuery newest = all;
  newest.newest_first = true;
  newest.limit = 3;
  Result<std::vector<AuditRecord>> first = fed.engine().Audit(newest);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 3u);
  EXPECT_EQ(first->front().seq, oldest->back().seq);
  EXPECT_EQ(first->front().outcome, "refused");
  EXPECT_EQ(first->front().actor, kUser1);
  EXPECT_EQ(first->front().actor_name, "Ahmed El Amrani");
  // The next page: the rows before the cursor, still newest first.
  newest.before_seq = first->back().seq;
  Result<std::vector<AuditRecord>> second = fed.engine().Audit(newest);
  ASSERT_TRUE(second.ok());
  ASSERT_FALSE(second->empty());
  EXPECT_EQ(second->front().seq, (*oldest)[oldest->size() - 4].seq);
  // All of it: the log in reverse.
  newest.before_seq = 0;
  newest.limit = 1000;
  Result<std::vector<AuditRecord>> every = fed.engine().Audit(newest);
  ASSERT_TRUE(every.ok());
  ASSERT_EQ(every->size(), oldest->size());
  for (size_t i = 0; i < every->size(); ++i) {
    EXPECT_EQ((*every)[i].seq, (*oldest)[oldest->size() - 1 - i].seq);
  }
}

TEST_P(StoreContractTest, RevisionsAreGapFreeAndRefusalsDoNotCount) {
  TestFederation& fed = *fed_;
  Engine& engine = fed.engine();
  std::vector<Mutation> run;
  run.push_back(M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmpOcmw).m);
  run.push_back(M(Action::kActivateCapacity, kEmpOcmw).Kbo(kOcmw).m);
  run.push_back(M(Action::kSetTb, kEmpOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw).m);
  run.push_back(M(Action::kCreateSubafdeling, kEmp2Ocmw)
                    .Kbo(kOcmw)
                    .Hco(kHcoOcmw)
                    .Email("toegang@ocmw.gent")
                    .App("ama-wvg")
                    .Manager(kUser3)
                    .m);
  run.push_back(M(Action::kAddUser, kEmp2Ocmw)
                    .Hco(kHcoOcmw)
                    .Insz(kUser1)
                    .App("ama-wvg")
                    .m);
  for (const Mutation& m : MoreMutations()) run.push_back(m);

  const std::vector<Mutation> refused = RefusedMutations();
  std::vector<Mutation> invalid;
  invalid.push_back(
      M(Action::kAddUser, "12345678901").Hco(kHcoOcmw).Insz(kUser2).m);
  invalid.push_back(M(Action::kGrantRight, kEmpOcmw)
                        .Hco(kHcoOcmw)
                        .Insz(kUser1)
                        .App("no-such-app")
                        .m);

  size_t refusals_made = 0;
  for (size_t i = 0; i < run.size(); ++i) {
    const uint64_t before = engine.revision();
    Result<CommitInfo> r = engine.Apply(run[i]);
    ASSERT_TRUE(r.ok()) << i << " " << ActionName(run[i].action) << ": "
                        << r.status().ToString();
    EXPECT_EQ(r->revision, before + 1) << ActionName(run[i].action);
    EXPECT_EQ(engine.revision(), before + 1);
    EXPECT_FALSE(r->changes.empty());
    // Between commits: a refusal and an invalid request change nothing.
    if (i % 5 == 4) {
      const Mutation& no = refused[refusals_made % refused.size()];
      const size_t audit_rows = MustStats(engine).audit_rows;
      Result<CommitInfo> nr = engine.Apply(no);
      EXPECT_FALSE(nr.ok());
      EXPECT_EQ(nr.status().kind(), Status::Kind::kRefused)
          << nr.status().ToString();
      EXPECT_EQ(engine.revision(), before + 1);
      EXPECT_EQ(MustStats(engine).audit_rows, audit_rows + 1)
          << "a refusal is recorded in the audit log";
      ++refusals_made;
      for (const Mutation& bad : invalid) {
        Result<CommitInfo> ir = engine.Apply(bad);
        EXPECT_EQ(ir.status().kind(), Status::Kind::kInvalidInput)
            << ir.status().ToString();
      }
      EXPECT_EQ(engine.revision(), before + 1);
      EXPECT_EQ(MustStats(engine).audit_rows, audit_rows + 1)
          << "invalid input is not recorded";
    }
  }
  ASSERT_GT(refusals_made, 0u);

  const uint64_t n = engine.revision();
  std::set<uint64_t> committed;
  size_t refused_rows = 0;
  for (const AuditRecord& r : FullAudit(engine)) {
    if (r.outcome == "ok") {
      EXPECT_GT(r.revision, 0u) << AuditLine(r);
      committed.insert(r.revision);
    } else {
      EXPECT_EQ(r.outcome, "refused");
      EXPECT_EQ(r.revision, 0u) << AuditLine(r);
      EXPECT_FALSE(r.code.empty());
      EXPECT_FALSE(r.actor.empty());
      ++refused_rows;
    }
  }
  EXPECT_EQ(refused_rows, refusals_made);
  std::set<uint64_t> expected;
  for (uint64_t i = 1; i <= n; ++i) expected.insert(i);
  EXPECT_EQ(committed, expected);
  // 4 imports of the fixture, then every mutation of the run.
  EXPECT_EQ(n, 4 + run.size());
  EXPECT_EQ(MustVerify(engine), std::vector<std::string>{});
}

// --- read-only database file --------------------------------------------

// The "name=value" lines of a child's report.
std::map<std::string, std::string> ReportLines(const std::string& report) {
  std::map<std::string, std::string> got;
  std::istringstream lines(report);
  for (std::string line; std::getline(lines, line);) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) got[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return got;
}

TEST(StoreTest, ReadOnlyDatabaseFileRefusesWritesAndStaysIntact) {
  TestFederation fed;
  fed.BuildOcmwChain();
  const std::string path = fed.db_path();
  const uint64_t revision = fed.engine().revision();
  const std::vector<std::string> checks = CheckAnswers(fed.engine());
  // The fixture's engine stays open, as a gateway's would.
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);

  // What a process that cannot write the file sees. Each line:
  // "name=value".
  const std::string report = InChildWithoutFileCapabilities([&] {
    std::ostringstream out;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    out << "writable=" << (fd >= 0) << "\n";
    if (fd >= 0) ::close(fd);
    Result<std::unique_ptr<Engine>> e = Engine::Open(path);
    out << "open=" << (e.ok() ? "ok" : e.status().code()) << "\n";
    out << "open_kind=" << static_cast<int>(e.status().kind()) << "\n";
    if (e.ok()) {
      Engine& engine = **e;
      out << "revision=" << engine.revision() << "\n";
      out << "checks_same=" << (CheckAnswers(engine) == checks) << "\n";
      Result<CommitInfo> r = engine.Apply(M(Action::kAddUser, kEmp2Ocmw)
                                              .Hco(kHcoOcmw)
                                              .Insz(kUser2)
                                              .App("ama-wvg"));
      out << "apply=" << (r.ok() ? "ok" : r.status().code()) << "\n";
      out << "apply_kind=" << static_cast<int>(r.status().kind()) << "\n";
      out << "apply_says_read_only="
          << (r.status().message().find("read-only") != std::string::npos)
          << "\n";
      out << "revision_after=" << engine.revision() << "\n";
      ImportReport ir;
      Status s = engine.ImportPersons(
          fed.dir().Write(
              "ro-persons.csv",
              "insz,name\n" + std::string(kUser2) + ",Iemand Anders\n"),
          {}, &ir);
      out << "import=" << (s.ok() ? "ok" : s.code()) << "\n";
      out << "import_kind=" << static_cast<int>(s.kind()) << "\n";
    }
    return out.str();
  });
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);

  std::map<std::string, std::string> got = ReportLines(report);
  ASSERT_NE(report, "cannot drop caps");
  // The precondition: the child really cannot write the file.
  ASSERT_EQ(got["writable"], "0") << report;
  const std::string storage =
      std::to_string(static_cast<int>(Status::Kind::kStorage));
  if (got["open"] != "ok") {
    // Refusing to open a database it cannot write is acceptable, as a
    // storage error.
    EXPECT_EQ(got["open_kind"], storage) << report;
  } else {
    // Queries work; writes are refused as storage errors, changing nothing.
    EXPECT_EQ(got["revision"], std::to_string(revision)) << report;
    EXPECT_EQ(got["checks_same"], "1") << report;
    EXPECT_EQ(got["apply_kind"], storage) << report;
    EXPECT_EQ(got["apply_says_read_only"], "1") << report;
    EXPECT_EQ(got["revision_after"], std::to_string(revision)) << report;
    EXPECT_EQ(got["import_kind"], storage) << report;
  }

  // Whatever the child did, the database is intact.
  fed.Reopen();
  EXPECT_EQ(fed.engine().revision(), revision);
  EXPECT_EQ(CheckAnswers(fed.engine()), checks);
  EXPECT_FALSE(fed.Allowed(kUser2));
  EXPECT_EQ(MustVerify(fed.engine()), std::vector<std::string>{});
}

// --- a full disk ----------------------------------------------------------

// The disk fills up under a writer: in a child process no file may grow
// past 24 KiB (RLIMIT_FSIZE; writes beyond fail with EFBIG as on a full
// disk). A large import fails as a storage error, changing nothing; the
// engine goes on answering; a small mutation either commits (and is then
// there after a reopen) or fails the same way. The file stays whole.
TEST(StoreTest, FullDiskRefusesTheWriteAndDamagesNothing) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.Close();
  const std::string path = fed.db_path();
  const std::vector<std::string> before = DbContent(path);
  std::mt19937_64 rng(3);
  std::string csv = "insz,name\n";
  for (int i = 0; i < 3000; ++i) {
    csv += RandomInsz(rng) + "," + std::string(150, 'n') + "\n";
  }
  const std::string big = fed.dir().Write("many.csv", csv);

  const std::string report = InChild([&] {
    std::ostringstream out;
    Result<std::unique_ptr<Engine>> e = Engine::Open(path);
    if (!e.ok()) return "open=" + e.status().code() + "\n";
    Engine& engine = **e;
    ::signal(SIGXFSZ, SIG_IGN);  // a failing write, not a killed process
    const rlim_t limit = 24 * 1024;
    const rlimit full{limit, limit};
    if (::setrlimit(RLIMIT_FSIZE, &full) != 0) return std::string("rlimit");
    const uint64_t revision = engine.revision();
    ImportReport ir;
    Status s = engine.ImportPersons(big, {}, &ir);
    out << "import=" << (s.ok() ? "ok" : s.code()) << "\n";
    out << "import_kind=" << static_cast<int>(s.kind()) << "\n";
    out << "import_message=" << !s.message().empty() << "\n";
    out << "revision_same=" << (engine.revision() == revision) << "\n";
    out << "check=" << engine.Check(kUser1, "ama-wvg")->allowed << "\n";
    Result<CommitInfo> r = engine.Apply(M(Action::kAddUser, kEmp2Ocmw)
                                            .Hco(kHcoOcmw)
                                            .Insz(kUser2)
                                            .App("ama-wvg"));
    out << "apply=" << (r.ok() ? "ok" : r.status().code()) << "\n";
    out << "apply_kind=" << static_cast<int>(r.status().kind()) << "\n";
    return out.str();
  });
  std::map<std::string, std::string> got = ReportLines(report);
  const std::string storage =
      std::to_string(static_cast<int>(Status::Kind::kStorage));
  // SQLite reports EFBIG as an I/O error (a real ENOSPC is SQLITE_FULL,
  // storage_error); either way a storage kind, exit 4.
  EXPECT_EQ(got["import"], "io_error") << report;
  EXPECT_EQ(got["import_kind"], storage) << report;
  EXPECT_EQ(got["import_message"], "1") << report;
  EXPECT_EQ(got["revision_same"], "1") << report;
  EXPECT_EQ(got["check"], "1") << report;
  ASSERT_TRUE(got["apply"] == "ok" || got["apply_kind"] == storage) << report;

  fed.Reopen();
  Result<std::vector<std::string>> problems = fed.engine().Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_EQ(*problems, std::vector<std::string>{});
  EXPECT_EQ(MustStats(fed.engine()).persons, 11u);
  if (got["apply"] == "ok") {
    // Acknowledged, so it is there.
    EXPECT_TRUE(fed.Allowed(kUser2, "ama-wvg", kHcoOcmw));
  } else {
    EXPECT_EQ(DbContent(path), before);
  }
  // With room again, the same import goes through.
  ImportReport ir;
  ASSERT_TRUE(fed.engine().ImportPersons(big, {}, &ir).ok());
  EXPECT_EQ(ir.inserted, 3000u);
}

// --- a database locked by another process --------------------------------

// Another process holds a write transaction (BEGIN EXCLUSIVE) on the file.
// Queries go on; a mutation waits out the busy timeout and fails as a
// storage error naming the lock, through the API and the CLI (exit 4),
// changing nothing; once the lock is gone the same mutation commits.
TEST(StoreTest, DatabaseLockedByAnotherProcessIsAStorageErrorUntilReleased) {
  TestFederation fed;
  fed.BuildOcmwChain();
  const std::string path = fed.db_path();
  const uint64_t revision = fed.engine().revision();
  int locked[2], release[2];
  ASSERT_EQ(::pipe(locked), 0);
  ASSERT_EQ(::pipe(release), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(locked[0]);
    ::close(release[1]);
    try {
      SQLite::Database db(path, SQLite::OPEN_READWRITE);
      db.exec("BEGIN EXCLUSIVE");
      if (::write(locked[1], "L", 1) != 1) ::_exit(2);
      char byte = 0;
      if (::read(release[0], &byte, 1) != 1) ::_exit(3);
      db.exec("ROLLBACK");
    } catch (const SQLite::Exception&) {
      ::_exit(4);
    }
    ::_exit(0);
  }
  ::close(locked[1]);
  ::close(release[0]);
  char byte = 0;
  ASSERT_EQ(::read(locked[0], &byte, 1), 1) << "the child did not lock";

  EXPECT_TRUE(fed.Allowed(kUser1, "ama-wvg", kHcoOcmw));
  const Mutation add =
      M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2).App("ama-wvg");
  Result<CommitInfo> r = fed.engine().Apply(add);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), Status::Kind::kStorage);
  EXPECT_EQ(r.status().code(), code::kStorageError);
  EXPECT_NE(r.status().message().find("lock"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(fed.engine().revision(), revision);
  const CliRun cli = Spawn({"--json", "--db", path, "user", "add", "--hco",
                            kHcoOcmw, "--insz", kUser2, "--by", kEmp2Ocmw},
                           fed.dir().path(), std::nullopt);
  ExpectError(cli, 4, "storage_error");

  ASSERT_EQ(::write(release[1], "R", 1), 1);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  ::close(locked[0]);
  ::close(release[1]);
  EXPECT_FALSE(fed.Allowed(kUser2));
  r = fed.engine().Apply(add);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->revision, revision + 1);
  EXPECT_TRUE(fed.Allowed(kUser2));
  EXPECT_EQ(MustVerify(fed.engine()), std::vector<std::string>{});
}

// Store::BeginWrite: what is written under the lock becomes durable at
// the lock's Commit, and not at all when the lock is dropped; a second
// lock on the same store is refused rather than deadlocking; and while
// the lock is held another connection cannot write.
TEST(StoreTest, WriteLockCommitsOrRollsBackWhatWasWrittenUnderIt) {
  TestFederation fed;
  fed.BuildOcmwChain();
  Result<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(fed.db_path(), /*create_if_missing=*/false);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto audit_rows = [&] {
    Result<StoreCounts> c = (*store)->Counts();
    EXPECT_TRUE(c.ok());
    return c.ok() ? c->audit_rows : size_t{0};
  };
  AuditRecord refusal;
  refusal.action = "user.add";
  refusal.code = "not_a_manager";
  refusal.detail = "{}";
  refusal.message = "test";
  const size_t before = audit_rows();
  {
    Result<std::unique_ptr<WriteLock>> lock = (*store)->BeginWrite();
    ASSERT_TRUE(lock.ok()) << lock.status().ToString();
    Result<std::unique_ptr<WriteLock>> again = (*store)->BeginWrite();
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.status().code(), code::kStorageError);
    ASSERT_TRUE((*store)->RecordRefusal(refusal).ok());
    EXPECT_EQ(audit_rows(), before + 1);  // this connection sees its own
    SQLite::Database other(fed.db_path(), SQLite::OPEN_READWRITE, 0);
    EXPECT_THROW(other.exec("BEGIN IMMEDIATE"), SQLite::Exception);
  }  // dropped: rolled back
  EXPECT_EQ(audit_rows(), before);
  {
    Result<std::unique_ptr<WriteLock>> lock = (*store)->BeginWrite();
    ASSERT_TRUE(lock.ok()) << lock.status().ToString();
    ASSERT_TRUE((*store)->RecordRefusal(refusal).ok());
    ASSERT_TRUE((*lock)->Commit().ok());
  }
  EXPECT_EQ(audit_rows(), before + 1);
  // Without a lock, a write is its own transaction again.
  ASSERT_TRUE((*store)->RecordRefusal(refusal).ok());
  EXPECT_EQ(audit_rows(), before + 2);
  Result<std::vector<AuditRecord>> seen = fed.engine().Audit(AuditQuery{});
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(
      std::count_if(seen->begin(), seen->end(),
                    [](const AuditRecord& r) { return r.message == "test"; }),
      2);
}

// A link keeps a number into the provenance table, not the revision
// itself (link_graph.h, Link): a mutation beyond the 48 bits that links once
// held commits, and its revision reads back exact, before and after a
// reopen.
TEST(StoreTest, RevisionsBeyondFortyEightBitsReadBackExactly) {
  TestFederation fed;
  fed.BuildOcmwChain();
  const uint64_t high = (uint64_t{1} << 52) + 3;
  fed.DeleteRowAndReopen("UPDATE revision SET value = ? WHERE id = 1",
                         std::to_string(high));
  ASSERT_EQ(fed.engine().revision(), high);
  fed.MustApply(M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw));
  ASSERT_EQ(fed.engine().revision(), high + 1);
  for (int pass = 0; pass < 2; ++pass) {
    Result<WhoReport> who = fed.engine().Who(kOcmw);
    ASSERT_TRUE(who.ok()) << who.status().ToString();
    ASSERT_TRUE(who->htb.has_value());
    EXPECT_EQ(who->htb->person.insz, kEmp2Ocmw);
    EXPECT_EQ(who->htb->revision, high + 1) << "pass " << pass;
    fed.Reopen();
  }
}

// --- two engines on one database ----------------------------------------

TEST_P(StoreContractTest, TwoEnginesOnOneDatabaseCatchUpBeforeEachMutation) {
  TestFederation& fed = *fed_;
  Engine& a = fed.engine();
  Result<std::unique_ptr<Engine>> opened = Engine::Open(fed.db_path());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Engine& b = **opened;
  ASSERT_EQ(a.revision(), b.revision());

  // Through A: the chain down to the subafdeling.
  fed.MustApply(M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmpOcmw));
  fed.MustApply(M(Action::kActivateCapacity, kEmpOcmw).Kbo(kOcmw));
  fed.MustApply(M(Action::kSetTb, kEmpOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw));
  fed.MustApply(M(Action::kCreateSubafdeling, kEmp2Ocmw)
                    .Kbo(kOcmw)
                    .Hco(kHcoOcmw)
                    .Email("toegang@ocmw.gent")
                    .App("ama-wvg"));
  const uint64_t after_a = a.revision();
  ASSERT_LT(b.revision(), after_a);  // B has not looked yet

  // B adds a user to the subafdeling that only A has seen.
  Result<CommitInfo> added =
      b.Apply(M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2));
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->revision, after_a + 1);
  EXPECT_EQ(b.revision(), after_a + 1);

  // A, now behind, grants the right to the user that only B has added.
  Result<CommitInfo> granted = a.Apply(M(Action::kGrantRight, kEmp2Ocmw)
                                           .Hco(kHcoOcmw)
                                           .Insz(kUser2)
                                           .App("ama-wvg"));
  ASSERT_TRUE(granted.ok()) << granted.status().ToString();
  EXPECT_EQ(granted->revision, after_a + 2);
  EXPECT_TRUE(fed.Allowed(kUser2, "ama-wvg", kHcoOcmw));

  // B creates a second subafdeling: its id must not collide with A's.
  Result<CommitInfo> created = b.Apply(M(Action::kCreateSubafdeling, kEmpOcmw)
                                           .Kbo(kOcmw)
                                           .Hco(kHcoSociaalHuis)
                                           .Email("sh@ocmw.gent")
                                           .App("vipa"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->revision, after_a + 3);

  // A removes the user; B, behind again, must see that before it plans.
  ASSERT_TRUE(
      a.Apply(M(Action::kRemoveUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2))
          .ok());
  Result<CommitInfo> stale = b.Apply(M(Action::kRevokeRight, kEmp2Ocmw)
                                         .Hco(kHcoOcmw)
                                         .Insz(kUser2)
                                         .App("ama-wvg"));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().kind(), Status::Kind::kRefused);
  EXPECT_EQ(stale.status().code(), code::kNotAUser)
      << stale.status().ToString();
  EXPECT_EQ(b.revision(), a.revision());

  // An import through B is seen by a mutation through A.
  ImportReport report;
  ASSERT_TRUE(
      b.ImportFacilities(fed.dir().Write("more.csv",
                                         "hco,name,type_code,kbo,status\n"
                                         "12399,OCMW Gent Noord,009,0403019261,"
                                         "active\n"),
                         {}, &report)
          .ok());
  EXPECT_EQ(report.revision, a.revision() + 1);
  Result<CommitInfo> on_new = a.Apply(M(Action::kCreateSubafdeling, kEmpOcmw)
                                          .Kbo(kOcmw)
                                          .Hco("12399")
                                          .Email("noord@ocmw.gent")
                                          .App("ama-wvg"));
  ASSERT_TRUE(on_new.ok()) << on_new.status().ToString();
  EXPECT_EQ(on_new->revision, report.revision + 1);

  EXPECT_EQ(MustVerify(a), std::vector<std::string>{});
  EXPECT_EQ(MustVerify(b), std::vector<std::string>{});

  // Both agree on the audit log, and a fresh engine agrees with A.
  EXPECT_EQ(AuditLines(a), AuditLines(b));
  Result<std::unique_ptr<Engine>> fresh = Engine::Open(fed.db_path());
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(CheckAnswers(**fresh), CheckAnswers(a));
  EXPECT_EQ(MustVerify(**fresh), std::vector<std::string>{});
}

// Two writers on two connections (two engines), committing at once:
// they serialize on the database's write lock, so every commit gets its
// own revision and the history stays 1, 2, 3 ... without a gap.
TEST_P(StoreContractTest, ConcurrentWritersOnTwoConnectionsStayGapFree) {
  TestFederation& fed = *fed_;
  fed.BuildOcmwChain();
  fed.BuildWzcChain();
  Result<std::unique_ptr<Engine>> opened = Engine::Open(fed.db_path());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Engine& other = **opened;
  const uint64_t start = fed.engine().revision();
  constexpr int kRounds = 15;
  // Each writer adds and removes a co-TB of its own enterprise.
  auto writer = [](Engine& engine, const char* htb, const char* kbo,
                   const char* co_tb, std::vector<uint64_t>* revisions) {
    for (int i = 0; i < kRounds; ++i) {
      for (Action a : {Action::kAddCoTb, Action::kRemoveCoTb}) {
        Result<CommitInfo> r = engine.Apply(M(a, htb).Kbo(kbo).Insz(co_tb));
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        if (r.ok()) revisions->push_back(r->revision);
      }
    }
  };
  std::vector<uint64_t> mine, theirs;
  std::thread t(writer, std::ref(other), kEmpWzc, kWzc, kOutsider, &theirs);
  writer(fed.engine(), kEmpOcmw, kOcmw, kUser2, &mine);
  t.join();
  std::set<uint64_t> all(mine.begin(), mine.end());
  all.insert(theirs.begin(), theirs.end());
  ASSERT_EQ(all.size(), 4u * kRounds);  // no revision given twice
  EXPECT_EQ(*all.begin(), start + 1);
  EXPECT_EQ(*all.rbegin(), start + 4 * kRounds);  // and none skipped
  ASSERT_TRUE(fed.engine()
                  .CatchUp(start + 4 * kRounds, std::chrono::milliseconds(5000))
                  .ok());
  EXPECT_EQ(MustVerify(fed.engine()), std::vector<std::string>{});
}

// SPEC 4.7: a reader in another engine demands at least a revision and
// catches up within the bound, or says it could not.
TEST_P(StoreContractTest, CatchUpReachesAnotherEnginesCommitOrReportsTheBound) {
  TestFederation& fed = *fed_;
  Result<std::unique_ptr<Engine>> other = Engine::Open(fed.db_path());
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  Engine& reader = **other;
  fed.BuildOcmwChain();
  const uint64_t written = fed.engine().revision();
  // The reader has not seen the chain yet: it opened before.
  EXPECT_LT(reader.revision(), written);
  Result<Decision> stale = reader.Check(kUser1, "ama-wvg");
  ASSERT_TRUE(stale.ok());
  EXPECT_FALSE(stale->allowed);

  EXPECT_TRUE(reader.CatchUp(written, std::chrono::milliseconds(1000)).ok());
  EXPECT_EQ(reader.revision(), written);
  Result<Decision> fresh = reader.Check(kUser1, "ama-wvg");
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(fresh->allowed);
  EXPECT_EQ(fresh->revision, written);

  Status beyond = reader.CatchUp(written + 1, std::chrono::milliseconds(30));
  EXPECT_EQ(beyond.code(), code::kRevisionNotReached);
  EXPECT_EQ(beyond.kind(), Status::Kind::kStorage);
  EXPECT_NE(beyond.message().find(std::to_string(written)), std::string::npos);
}

}  // namespace
}  // namespace toegang::testing
