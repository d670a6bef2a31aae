// SQLite against PostgreSQL in the same run (issue 26): the same
// generated federation (seed 8) in an SQLite file and in a throw-away
// PostgreSQL 15 cluster on this machine (tests/support/pg_throwaway.h:
// initdb, fsync on, 127.0.0.1, the bench's own), and per store
//   StoreMutation/durable/<store>/S    one durable commit (Engine::Apply,
//                                      a right granted or revoked), with
//                                      p50_us and p99_us;
//   BulkLoad/generate/<store>/100000   a federation of 100,000 persons
//                                      written by the generator's bulk
//                                      path (SQLite: multi-row INSERTs;
//                                      PostgreSQL: COPY), rights_per_s;
//   CrossHostVisibility/<store>/S      a commit by an engine in another
//                                      process, until a follower engine
//                                      (kFollower, follow every 50 ms as
//                                      `serve` does) has it: p50_ms and
//                                      p99_ms (PostgreSQL: LISTEN/NOTIFY
//                                      wakes it; SQLite: the poll);
//   Generate/postgres/M                writing M into PostgreSQL (the
//                                      data for the next ones);
//   OpenToFirstCheck/<how>/M           open and answer one check, each
//                                      store from its index snapshot
//                                      (PostgreSQL: the local file
//                                      TOEGANG_INDEX_SNAPSHOT names) and
//                                      by the full load, and PostgreSQL as
//                                      a one-shot engine (the CLI: the
//                                      person's part); graph_load_s.
// The PostgreSQL databases are vacuumed and checkpointed once generated.
//
//   build/bench/toegang_store_bench
//   TOEGANG_BENCH_DIR=/path build/bench/toegang_store_bench   (SQLite files)
//
// The SQLite federations are BenchFederation's files (generated into
// $TOEGANG_BENCH_DIR when missing, reused otherwise); PostgreSQL's are
// generated into the cluster at the start of the run.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "bench_federation.h"
#include "federation_generator.h"
#include "store/pg_connection.h"
#include "support/pg_throwaway.h"
#include "toegang/engine.h"

namespace toegang::bench {
namespace {

using Clock = std::chrono::steady_clock;
using testing::PgCluster;

constexpr int kFollowMs = 50;  // `toegang serve --follow-ms` default

double Seconds(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

PgCluster& Cluster() {
  std::string why;
  PgCluster* c = PgCluster::Get(&why);
  if (c == nullptr) Die("PostgreSQL cannot run here: " + why);
  return *c;
}

// The federation of a scale in the store: a file's path, or the URI of
// a database of the cluster (generated once per run, the time in
// *seconds).
std::string Federation(const std::string& store, const std::string& scale,
                       double* seconds = nullptr) {
  if (store == "sqlite") return BenchFederation::Path(scale);
  static std::map<std::string, std::pair<std::string, double>> made;
  auto it = made.find(scale);
  if (it == made.end()) {
    const std::string uri =
        Cluster().Uri("federation_" + std::string(1, char(scale[0] | 0x20)));
    fmt::print(stderr, "bench: generating {} into PostgreSQL ...\n", scale);
    GenerateOptions o;
    o.persons = BenchFederation::PersonsOf(scale);
    o.seed = 8;  // as BenchFederation's files
    o.out_path = uri;
    GenerateSummary summary;
    const auto t0 = Clock::now();
    Status s = GenerateFederation(o, &summary);
    if (!s.ok()) Die(s.ToString());
    const double generated = Seconds(t0);
    // Vacuumed and checkpointed now, not by autovacuum and the
    // checkpointer during the figures that follow (both start on their
    // own after a bulk load, and their writes slowed reads 1.5-3x here).
    try {
      PgConnection::Connect(uri)->Run("VACUUM ANALYZE");
      PgConnection::Connect(uri)->Run("CHECKPOINT");
    } catch (const PgError& e) {
      Die(e.what());
    }
    it = made.emplace(scale, std::make_pair(uri, generated)).first;
  }
  if (seconds != nullptr) *seconds = it->second.second;
  return it->second.first;
}

void Percentiles(benchmark::State& state, std::vector<double> v,
                 const char* unit, double scale) {
  if (v.empty()) return;
  std::sort(v.begin(), v.end());
  state.counters[fmt::format("p50_{}", unit)] = v[v.size() / 2] * scale;
  state.counters[fmt::format("p99_{}", unit)] =
      v[std::min(v.size() - 1, v.size() * 99 / 100)] * scale;
}

// --- a durable commit -------------------------------------------------

void DurableMutation(benchmark::State& state, std::string store) {
  const std::string db = Federation(store, "S");
  const Flip flip = FindFlip(BenchFederation::Path("S"), 0);
  Result<std::unique_ptr<Engine>> e = Engine::Open(db);
  if (!e.ok()) {
    state.SkipWithError(e.status().ToString().c_str());
    return;
  }
  bool grant = true;
  std::vector<double> secs;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    Result<CommitInfo> r = (*e)->Apply(grant ? flip.grant : flip.revoke);
    secs.push_back(Seconds(t0));
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      break;
    }
    grant = !grant;
  }
  if (!grant) (void)(*e)->Apply(flip.revoke);  // leave it as found
  Percentiles(state, secs, "us", 1e6);
}

// --- bulk ---------------------------------------------------------------

void BulkLoad(benchmark::State& state, std::string store) {
  static int n = 0;
  TimeGenerate(
      state,
      [&] {
        if (store == "postgres") {
          return Cluster().Uri(fmt::format("bulk_load_{}", ++n));
        }
        const char* dir = std::getenv("TOEGANG_BENCH_DIR");
        return std::string(dir != nullptr ? dir : "bench-data") +
               "/store-bulk-load.db";
      },
      /*replace_file=*/store == "sqlite");
}

// --- another process's commit -------------------------------------------

void CrossHostVisibility(benchmark::State& state, std::string store) {
  const std::string db = Federation(store, "S");
  const std::string sqlite = BenchFederation::Path("S");
  OpenOptions o;
  o.mode = OpenMode::kFollower;
  o.follow_interval = std::chrono::milliseconds(kFollowMs);
  Result<std::unique_ptr<Engine>> follower = Engine::Open(db, o);
  if (!follower.ok()) {
    state.SkipWithError(follower.status().ToString().c_str());
    return;
  }
  std::vector<double> secs;
  {
    CommittingChild child(db, sqlite, 3);
    if (!child.ok()) {
      state.SkipWithError("the child could not open the database");
      return;
    }
    secs = TimeUntilSeen(state, child, [&] { return (*follower)->revision(); });
  }
  Percentiles(state, secs, "ms", 1e3);
}

// --- open to first check at M -------------------------------------------

void OpenToFirstCheck(benchmark::State& state, std::string store,
                      std::string how) {
  const std::string db = Federation(store, "M");
  // Found once (the service engine that finds it leaves the SQLite file's
  // index snapshot current for the first of these).
  static const Query q = FirstAllowed(BenchFederation::Path("M"));
  OpenOptions options;
  options.index_snapshot = how == "snapshot";
  if (how == "one_shot") options.mode = OpenMode::kOneShot;
  if (store == "postgres" && how == "snapshot") {
    // The local snapshot file of an engine on a server's database
    // (engine/settings.h), written by a first service engine's full load.
    const std::string file =
        std::filesystem::path(BenchFederation::Path("M")).parent_path() /
        "federation-M.postgres-index";
    options.index_snapshot_file = file;
    Result<std::unique_ptr<Engine>> first = Engine::Open(db, options);
    if (!first.ok() || !(*first)->Refresh().ok()) {
      state.SkipWithError("the first load failed");
      return;
    }
  }
  TimeOpenToFirstCheck(state, db, options, q, how == "snapshot");
}

void GenerateIntoPostgres(benchmark::State& state) {
  double seconds = 0;
  for (auto _ : state) {
    (void)Federation("postgres", "M", &seconds);
    state.SetIterationTime(seconds);
  }
  state.counters["persons"] =
      static_cast<double>(BenchFederation::PersonsOf("M"));
}

void Register() {
  using benchmark::RegisterBenchmark;
  for (const char* store : {"sqlite", "postgres"}) {
    RegisterBenchmark(fmt::format("StoreMutation/durable/{}/S", store).c_str(),
                      DurableMutation, std::string(store))
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
  }
  for (const char* store : {"sqlite", "postgres"}) {
    RegisterBenchmark(fmt::format("BulkLoad/generate/{}", store).c_str(),
                      BulkLoad, std::string(store))
        ->Arg(100'000)
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  for (const char* store : {"sqlite", "postgres"}) {
    RegisterBenchmark(fmt::format("CrossHostVisibility/{}/S", store).c_str(),
                      CrossHostVisibility, std::string(store))
        ->Iterations(100)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  }
  // M into PostgreSQL, timed on its own, before what needs it.
  RegisterBenchmark("Generate/postgres/M", GenerateIntoPostgres)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kSecond);
  const std::pair<const char*, const char*> opens[] = {
      {"sqlite", "snapshot"},
      {"sqlite", "full_load"},
      {"postgres", "snapshot"},
      {"postgres", "full_load"},
      {"postgres", "one_shot"}};
  for (const auto& [store, how] : opens) {
    RegisterBenchmark(
        fmt::format("OpenToFirstCheck/{}_{}/M", store, how).c_str(),
        OpenToFirstCheck, std::string(store), std::string(how))
        ->Iterations(how == std::string("one_shot") ? 5 : 1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
}

}  // namespace
}  // namespace toegang::bench

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);  // a child gone shows as a failed write
  if (argc > 1 && std::string(argv[1]) == toegang::bench::kChildWriterFlag) {
    return toegang::bench::ChildWriterMain(argc, argv);
  }
  toegang::bench::Register();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
