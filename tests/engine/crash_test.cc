// Crash test (SPEC 9, "nothing acknowledged is lost"): a writer process
// runs a long, seeded mix of mutations and imports (whole-registry
// functions and facilities files, KBO Open Data full extracts among them)
// against a database and is killed with SIGKILL at random moments, many
// rounds in a row. After
// each kill the database is reopened and must
//   - open, with Verify() finding nothing wrong;
//   - be at a revision >= the last one the writer acknowledged;
//   - hold exactly the logical content (every row but the timestamps) of a
//     reference database that ran the same steps without being killed, up
//     to the last acknowledged step or one step further (a commit that
//     landed just before the kill, before its acknowledgement): never a
//     part of a step;
//   - have an audit log whose committed revisions are exactly 1..revision.
// The next round's writer goes on from there on the same database. The
// suite runs against both stores (Stores/CrashTest.*/Sqlite, .../Postgres).
//
// The writer acknowledges a step by writing (step, revision) to a pipe
// after Apply() / Import*() returned, as a gateway would answer its caller.
//
// Environment (for `make crash ROUNDS=500`): TOEGANG_CRASH_ROUNDS (default
// 6), TOEGANG_CRASH_SEED (default 1), TOEGANG_CRASH_MAX_MS, the longest
// wait before a kill (default 250 on SQLite, 1000 on PostgreSQL).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/db_content.h"
#include "support/pg_cluster.h"
#include "support/random_identifiers.h"
#include "support/random_mutations.h"
#include "support/store_content.h"
#include "support/test_federation.h"
#include "toegang/engine.h"

namespace toegang::testing {
namespace {

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::strtoull(v, nullptr, 10);
}

// --- the deterministic sequence -----------------------------------------

enum class StepKind {
  kMutation,
  kImportPersons,
  kImportFunctions,
  kImportFacilities,
  kImportKbo,
  kImportRejected,  // a persons file with a bad row: refused, audited
};

struct Step {
  StepKind kind = StepKind::kMutation;
  Mutation mutation;
};

// The manual's chain on the OCMW (TestFederation::BuildOcmwChain), so
// that the random steps after it have something to build on.
std::vector<Mutation> ChainSteps() {
  return {
      M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmpOcmw).m,
      M(Action::kActivateCapacity, kEmpOcmw).Kbo(kOcmw).m,
      M(Action::kSetTb, kEmpOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw).m,
      M(Action::kCreateSubafdeling, kEmp2Ocmw)
          .Kbo(kOcmw)
          .Hco(kHcoOcmw)
          .Email("toegang@ocmw.gent")
          .App("ama-wvg")
          .Manager(kUser3)
          .m,
      M(Action::kAddUser, kEmp2Ocmw)
          .Hco(kHcoOcmw)
          .Insz(kUser1)
          .App("ama-wvg")
          .m,
  };
}

// Step i of the run with this seed: the same every time it is asked for.
Step MakeStep(uint64_t seed, uint64_t i) {
  std::mt19937_64 rng(seed * 1000003u + i);
  Step step;
  static const std::vector<Mutation> kChain = ChainSteps();
  if (i < kChain.size()) {
    step.mutation = kChain[i];
    return step;
  }
  const int kind = std::uniform_int_distribution<int>(0, 99)(rng);
  if (kind < 3) {
    step.kind = StepKind::kImportPersons;
    return step;
  }
  if (kind < 5) {
    step.kind = StepKind::kImportFacilities;
    return step;
  }
  if (kind < 7) {
    step.kind = StepKind::kImportKbo;
    return step;
  }
  if (kind < 8) {
    step.kind = StepKind::kImportFunctions;
    return step;
  }
  if (kind < 9) {
    step.kind = StepKind::kImportRejected;
    return step;
  }
  step.mutation = RandomMutation(rng, 0);
  return step;
}

// 200 persons beyond the cast, the same every time; their names change
// with the step, so that a persons import rewrites many rows.
std::string PersonsFile(uint64_t i) {
  std::string csv = "insz,name\n";
  std::mt19937_64 fixed(42);
  for (int n = 0; n < 200; ++n) {
    csv += fmt::format("{},Persoon {} v{}\n", RandomInsz(fixed), n, i % 7);
  }
  return csv + fmt::format("{},Ahmed El Amrani v{}\n", kUser1, i % 7);
}

std::string FacilitiesFile(uint64_t i) {
  return fmt::format(
      "hco,name,type_code,kbo,status\n"
      "12345,OCMW Gent,009,0403019261,active\n"
      "45678,Sociaal Huis Gent,089,0403019261,{}\n"
      "0012346,WZC De Linde Oost,034,0428759497,{}\n",
      i % 2 == 0 ? "active" : "closed", i % 3 == 0 ? "closed" : "active");
}

std::string EnterprisesFile(uint64_t i) {
  return EnterpriseCsv() +
         fmt::format(
             "\"0884.303.369\",\"{}\",\"000\",\"2\",\"706\",\"\","
             "\"29-02-2008\"\n",
             i % 2 == 0 ? "ST" : "AC");
}

std::string FunctionsFile(uint64_t i) {
  return FunctionsCsv() +
         fmt::format("0403019261,{},employee\n", i % 2 == 0 ? kUser1 : kUser2);
}

std::string Write(const std::string& dir, uint64_t i, const char* name,
                  const std::string& content) {
  const std::string path = fmt::format("{}/step-{}-{}", dir, i, name);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  return path;
}

// Runs step i on engine; import files go to dir. Returns what Apply or the
// import returned.
Status RunStep(Engine& engine, const Step& step, const std::string& dir,
               uint64_t i) {
  ImportReport report;
  switch (step.kind) {
    case StepKind::kMutation: {
      Result<CommitInfo> r = engine.Apply(step.mutation);
      return r.ok() ? Status::Ok() : r.status();
    }
    case StepKind::kImportPersons:
      return engine.ImportPersons(Write(dir, i, "persons.csv", PersonsFile(i)),
                                  {}, &report);
    case StepKind::kImportFunctions: {
      // Every other one is the whole registry (--full): what it does not
      // list ends.
      ImportOptions o;
      o.full = i % 2 == 0;
      return engine.ImportFunctions(
          Write(dir, i, "functions.csv", FunctionsFile(i)), o, &report);
    }
    case StepKind::kImportFacilities: {
      ImportOptions o;
      o.full = i % 2 == 1;
      return engine.ImportFacilities(
          Write(dir, i, "facilities.csv", FacilitiesFile(i)), o, &report);
    }
    case StepKind::kImportKbo: {
      if (i % 2 == 0) {
        return engine.ImportKbo(
            Write(dir, i, "enterprise.csv", EnterprisesFile(i)),
            Write(dir, i, "denomination.csv", DenominationCsv()), {}, &report);
      }
      // A KBO Open Data full extract (numbered by the step, so never one
      // applied already): what it does not list stops.
      const std::string extract = fmt::format("{}/step-{}-extract", dir, i);
      std::filesystem::create_directories(extract);
      std::ofstream(extract + "/meta.csv", std::ios::trunc) << fmt::format(
          "\"Variable\",\"Value\"\n\"SnapshotDate\",\"05-12-2026\"\n"
          "\"ExtractTimestamp\",\"06-12-2026 04:00:00\"\n"
          "\"ExtractType\",\"full\"\n\"ExtractNumber\",\"{}\"\n"
          "\"Version\",\"1.0.0\"\n",
          i);
      std::ofstream(extract + "/enterprise.csv", std::ios::trunc)
          << EnterprisesFile(i);
      std::ofstream(extract + "/denomination.csv", std::ios::trunc)
          << DenominationCsv();
      return engine.ImportKboOpenData(extract, {}, &report);
    }
    case StepKind::kImportRejected:
      return engine.ImportPersons(
          Write(dir, i, "bad.csv",
                PersonsFile(i) + "12345678901,Foute Checksum\n"),
          {}, &report);
  }
  return Status::Ok();
}

// --- the writer process -------------------------------------------------

struct Ack {
  uint64_t step;
  uint64_t revision;
};

constexpr uint64_t kMaxStepsPerRound = 1000000;

// The child: runs steps first, first+1, ... and acknowledges each on fd.
// Exit codes (only when not killed): 10 open failed, 11 a storage error,
// 12 the pipe failed, 0 ran out of steps.
[[noreturn]] void RunWriter(const std::string& db, const std::string& dir,
                            uint64_t seed, uint64_t first, int fd) {
  Result<std::unique_ptr<Engine>> opened = Engine::Open(db);
  if (!opened.ok()) ::_exit(10);
  Engine& engine = **opened;
  for (uint64_t i = first; i < first + kMaxStepsPerRound; ++i) {
    Status s = RunStep(engine, MakeStep(seed, i), dir, i);
    if (s.kind() == Status::Kind::kStorage) ::_exit(11);
    const Ack ack{i, engine.revision()};
    if (::write(fd, &ack, sizeof ack) != static_cast<ssize_t>(sizeof ack)) {
      ::_exit(12);
    }
  }
  ::_exit(0);
}

// Every committed audit row's revision, which must be exactly 1..revision.
void ExpectGapFreeAudit(const Engine& engine) {
  AuditQuery q;
  q.limit = 100000000;
  Result<std::vector<AuditRecord>> rows = engine.Audit(q);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  std::set<uint64_t> committed;
  for (const AuditRecord& r : *rows) {
    if (r.outcome == "ok") committed.insert(r.revision);
  }
  std::set<uint64_t> expected;
  for (uint64_t r = 1; r <= engine.revision(); ++r) expected.insert(r);
  EXPECT_EQ(committed, expected) << "audit revisions have gaps";
}

// The logical content of the database of `kind`: on SQLite every row of
// every table (support/db_content.h); on PostgreSQL what a copy copies
// (support/store_content.h), with the audit log's order instead of its
// sequence numbers, which a rolled-back transaction of a killed writer
// used up.
std::vector<std::string> Content(StoreKind kind, const std::string& db) {
  return kind == StoreKind::kSqlite ? DbContent(db) : StoreContent(db, false);
}

// Run against each store: on PostgreSQL the writer is a client of the
// throw-away cluster (support/pg_cluster.h), and a kill ends its session
// with the transaction in it.
class CrashTest : public ::testing::TestWithParam<StoreKind> {};
INSTANTIATE_TEST_SUITE_P(Stores, CrashTest, kBothStores, StoreKindName);

TEST_P(CrashTest, KilledWriterLosesNothingAcknowledgedAndHalfAppliesNothing) {
  const uint64_t rounds = EnvOr("TOEGANG_CRASH_ROUNDS", 6);
  const uint64_t seed = EnvOr("TOEGANG_CRASH_SEED", 1);
  // PostgreSQL's writer opens and commits slower (a round trip and the
  // server's fsync per step): a longer window, for as many steps a round.
  const uint64_t max_ms =
      std::max<uint64_t>(EnvOr("TOEGANG_CRASH_MAX_MS",
                               GetParam() == StoreKind::kSqlite ? 250 : 1000),
                         2);
  TempDir crashed_dir, reference_dir;
  std::string why;
  const std::string crashed_db = StoreDatabase(GetParam(), crashed_dir, &why);
  TOEGANG_SKIP_WITHOUT_STORE(crashed_db, why);
  const std::string reference_db =
      StoreDatabase(GetParam(), reference_dir, &why);
  TOEGANG_SKIP_WITHOUT_STORE(reference_db, why);
  TestFederation crashed(crashed_db);  // killed again and again
  crashed.Close();
  TestFederation reference(reference_db);  // the same steps, never killed
  TempDir files;                           // import files of both, by step

  std::mt19937_64 timing(seed);
  uint64_t next = 0;      // the first step the next writer runs
  uint64_t acked = 0;     // steps acknowledged over the whole run
  uint64_t ahead = 0;     // rounds where an unacknowledged step had landed
  uint64_t mid_open = 0;  // rounds killed before the first acknowledgement
  for (uint64_t round = 0; round < rounds; ++round) {
    SCOPED_TRACE(
        fmt::format("round {} (seed {}, from step {})", round, seed, next));
    int ack_fd = -1;
    const pid_t pid = ForkWriter(&ack_fd, [&](int fd) {
      RunWriter(crashed.db_path(), files.path(), seed, next, fd);
    });
    ASSERT_GE(pid, 0);
    // Most kills come after some steps; a few during the open.
    const uint64_t wait_us =
        std::uniform_int_distribution<uint64_t>(0, max_ms * 1000)(timing);
    ::usleep(static_cast<useconds_t>(wait_us));
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the writer ended by itself, exit " << WEXITSTATUS(status);

    int64_t last_step = static_cast<int64_t>(next) - 1;
    uint64_t last_revision = 0;
    Ack ack{};
    while (::read(ack_fd, &ack, sizeof ack) ==
           static_cast<ssize_t>(sizeof ack)) {
      EXPECT_EQ(static_cast<int64_t>(ack.step), last_step + 1);
      last_step = static_cast<int64_t>(ack.step);
      last_revision = ack.revision;
      ++acked;
    }
    ::close(ack_fd);
    if (last_step < static_cast<int64_t>(next)) ++mid_open;

    crashed.Reopen();
    Engine& engine = crashed.engine();
    ASSERT_GE(engine.revision(), last_revision) << "acknowledged commits lost";
    Result<std::vector<std::string>> problems = engine.Verify();
    ASSERT_TRUE(problems.ok()) << problems.status().ToString();
    ASSERT_EQ(*problems, std::vector<std::string>{});
    ExpectGapFreeAudit(engine);

    // The reference runs every acknowledged step...
    for (uint64_t i = next; static_cast<int64_t>(i) <= last_step; ++i) {
      (void)RunStep(reference.engine(), MakeStep(seed, i), files.path(), i);
    }
    next = static_cast<uint64_t>(last_step + 1);
    const std::vector<std::string> got = Content(GetParam(), crashed_db);
    std::vector<std::string> want = Content(GetParam(), reference_db);
    if (got != want) {
      // ... and perhaps the one after it, which may have committed just
      // before the kill. Nothing else is allowed.
      (void)RunStep(reference.engine(), MakeStep(seed, next), files.path(),
                    next);
      ++next;
      ++ahead;
      want = Content(GetParam(), reference_db);
      ASSERT_EQ(got, want) << "not the state after step " << next - 2
                           << " nor after " << next - 1 << "; first "
                           << "difference: " << FirstDifference(got, want);
    }
    ASSERT_EQ(engine.revision(), reference.engine().revision());
    crashed.Close();
  }
  std::cout << fmt::format(
      "crash test on {}: {} rounds (seed {}, kills within {} ms): {} steps "
      "acknowledged, revision {} reached, {} rounds with a commit landed "
      "before its acknowledgement, {} rounds killed before the first step\n",
      GetParam() == StoreKind::kSqlite ? "SQLite" : "PostgreSQL", rounds, seed,
      max_ms, acked, reference.engine().revision(), ahead, mid_open);
  // The run did something: steps were acknowledged and committed.
  EXPECT_GT(acked, 0u);
  EXPECT_GT(reference.engine().revision(), 4u);
}

}  // namespace
}  // namespace toegang::testing
