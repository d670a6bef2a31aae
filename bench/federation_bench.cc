// The benchmarks of SPEC 8 on generated federations (bench_federation.h):
// check (allowed, denied, with a facility, the full answer), its latency
// percentiles, explain, access, a durable single mutation, open to first
// check, two readers under a 1,000/s writer, how soon another process's
// commit is visible, and bulk loading of grants (the generator's path). Every
// check figure has baselines (a) and (b) on the same stream beside it.
//
//   make bench                                    S and M
//   TOEGANG_BENCH_SCALES=S,M,L make bench         L too (needs about 7 GB)
//   build-bench/bench/toegang_bench --benchmark_filter=Check.*/S
//
// Federations are generated once into $TOEGANG_BENCH_DIR (default
// ./bench-data) and reused.
#include <SQLiteCpp/SQLiteCpp.h>
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_federation.h"
#include "federation_generator.h"
#include "toegang/engine.h"

namespace toegang::bench {
namespace {

using Clock = std::chrono::steady_clock;

const std::vector<Query>& Stream(BenchFederation& f, const std::string& name) {
  if (name == "with_hco") return f.with_hco;
  if (name == "allowed") return f.allowed_only;
  if (name == "denied") return f.denied_only;
  return f.mixed;
}

// --- check ----------------------------------------------------------------

void EngineAllowed(benchmark::State& state, std::string scale,
                   std::string stream) {
  BenchFederation& f = BenchFederation::Get(scale);
  const std::vector<Query>& qs = Stream(f, stream);
  size_t i = 0, allowed = 0;
  for (auto _ : state) {
    const Query& q = qs[i++ & (qs.size() - 1)];
    Result<bool> r = f.engine->Allowed(q.insz, q.app, q.hco);
    allowed += *r ? 1 : 0;
    benchmark::DoNotOptimize(allowed);
  }
  state.counters["allowed"] =
      static_cast<double>(allowed) / static_cast<double>(state.iterations());
}

void EngineCheck(benchmark::State& state, std::string scale,
                 std::string stream) {
  BenchFederation& f = BenchFederation::Get(scale);
  const std::vector<Query>& qs = Stream(f, stream);
  size_t i = 0;
  for (auto _ : state) {
    const Query& q = qs[i++ & (qs.size() - 1)];
    Result<Decision> d = f.engine->Check(q.insz, q.app, q.hco);
    benchmark::DoNotOptimize(d);
  }
}

void BaselineA(benchmark::State& state, std::string scale, std::string stream) {
  BenchFederation& f = BenchFederation::Get(scale);
  const std::vector<Query>& qs = Stream(f, stream);
  size_t i = 0, allowed = 0;
  for (auto _ : state) {
    allowed += f.baseline_a.Allowed(qs[i++ & (qs.size() - 1)]) ? 1 : 0;
    benchmark::DoNotOptimize(allowed);
  }
}

void BaselineB(benchmark::State& state, std::string scale, std::string stream) {
  BenchFederation& f = BenchFederation::Get(scale);
  const std::vector<Query>& qs = Stream(f, stream);
  size_t i = 0, allowed = 0;
  for (auto _ : state) {
    allowed += f.baseline_b->Allowed(qs[i++ & (qs.size() - 1)]) ? 1 : 0;
    benchmark::DoNotOptimize(allowed);
  }
}

// Per-call latency of the engine's check on the mixed stream: each call is
// timed on its own; p50 and p99 in ns as counters (the clock reads add a
// few tens of ns to each).
void EngineLatency(benchmark::State& state, std::string scale) {
  BenchFederation& f = BenchFederation::Get(scale);
  const std::vector<Query>& qs = f.mixed;
  std::vector<double> ns;
  ns.reserve(1 << 20);
  size_t i = 0;
  for (auto _ : state) {
    const Query& q = qs[i++ & (qs.size() - 1)];
    const auto t0 = Clock::now();
    Result<bool> r = f.engine->Allowed(q.insz, q.app, q.hco);
    const auto t1 = Clock::now();
    benchmark::DoNotOptimize(r);
    if (ns.size() < ns.capacity()) {
      ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
    }
  }
  std::sort(ns.begin(), ns.end());
  if (!ns.empty()) {
    state.counters["p50_ns"] = ns[ns.size() / 2];
    state.counters["p99_ns"] = ns[ns.size() * 99 / 100];
  }
  // What the two clock reads alone take (nothing between them), so that a
  // reader can tell the check's share of p50_ns from the timer's.
  std::vector<double> empty;
  empty.reserve(1 << 16);
  while (empty.size() < empty.capacity()) {
    const auto t0 = Clock::now();
    const auto t1 = Clock::now();
    empty.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
  }
  std::sort(empty.begin(), empty.end());
  state.counters["timer_p50_ns"] = empty[empty.size() / 2];
}

// --- helpdesk queries -----------------------------------------------------

void EngineExplain(benchmark::State& state, std::string scale) {
  BenchFederation& f = BenchFederation::Get(scale);
  size_t i = 0;
  for (auto _ : state) {
    const Query& q = f.mixed[i++ & (f.mixed.size() - 1)];
    Result<Explanation> e = f.engine->Explain(q.insz, q.app, q.hco, Lang::kEn);
    benchmark::DoNotOptimize(e);
  }
}

void EngineAccess(benchmark::State& state, std::string scale) {
  BenchFederation& f = BenchFederation::Get(scale);
  size_t i = 0;
  for (auto _ : state) {
    const Query& q = f.mixed[i++ & (f.mixed.size() - 1)];
    Result<Page<AccessEntry>> a = f.engine->Access(q.insz, {});
    benchmark::DoNotOptimize(a);
  }
}

// --- writes -----------------------------------------------------------------

void EngineMutation(benchmark::State& state, std::string scale) {
  BenchFederation& f = BenchFederation::Get(scale);
  const Flip flip = FindFlip(f.path, 0);
  bool grant = true;
  for (auto _ : state) {
    Result<CommitInfo> r = f.engine->Apply(grant ? flip.grant : flip.revoke);
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      break;
    }
    grant = !grant;
  }
  if (!grant) (void)f.engine->Apply(flip.revoke);  // leave it as found
}

// Opening a database and answering the first check, as a service opens it
// (background load), in a process that holds nothing else (so that it runs
// at L too). With `snapshot`, from a current index snapshot, the graph
// still loading; without, by the full load of the graph (no snapshot read
// or written). The counter graph_load_s is the background load.
void OpenToFirstCheck(benchmark::State& state, std::string scale,
                      bool snapshot) {
  const std::string path = BenchFederation::Path(scale);
  const Query q = FirstAllowed(path);
  OpenOptions options;
  options.index_snapshot = snapshot;
  TimeOpenToFirstCheck(state, path, options, q, snapshot);
}

// Query threads, with or without one writer committing about 1,000
// mutations a second.
std::atomic<bool> g_writer_stop{false};
std::atomic<uint64_t> g_writer_commits{0};
std::thread g_writer;

void ReaderThreads(benchmark::State& state, std::string scale,
                   bool with_writer) {
  BenchFederation& f = BenchFederation::Get(scale);
  if (with_writer && state.thread_index() == 0) {
    g_writer_stop = false;
    g_writer_commits = 0;
    const Flip flip = FindFlip(f.path, 1);
    g_writer = std::thread([&f, flip] {
      bool grant = true;
      auto next = Clock::now();
      while (!g_writer_stop.load()) {
        if (f.engine->Apply(grant ? flip.grant : flip.revoke).ok()) {
          ++g_writer_commits;
          grant = !grant;
        }
        next += std::chrono::milliseconds(1);
        std::this_thread::sleep_until(next);
      }
      if (!grant) (void)f.engine->Apply(flip.revoke);
    });
  }
  const std::vector<Query>& qs = f.mixed;
  size_t i = static_cast<size_t>(state.thread_index()) * 7919;
  const auto t0 = Clock::now();
  for (auto _ : state) {
    const Query& q = qs[i++ & (qs.size() - 1)];
    Result<bool> r = f.engine->Allowed(q.insz, q.app, q.hco);
    benchmark::DoNotOptimize(r);
  }
  if (with_writer && state.thread_index() == 0) {
    const double secs =
        std::chrono::duration<double>(Clock::now() - t0).count();
    g_writer_stop = true;
    g_writer.join();
    state.counters["writer_commits_per_s"] =
        static_cast<double>(g_writer_commits.load()) / secs;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// How long after another process's commit returns the engine answers with
// it: a child process commits (its own Engine on the file), the parent's
// engine follows the change log every kFollowMs.
void CrossProcessVisibility(benchmark::State& state, std::string scale) {
  BenchFederation& f = BenchFederation::Get(scale);
  std::vector<double> ms;
  {
    CommittingChild child(f.path, f.path, 2);
    if (!child.ok()) {
      state.SkipWithError("the child could not open the database");
      return;
    }
    for (double secs :
         TimeUntilSeen(state, child, [&] { return f.engine->revision(); })) {
      ms.push_back(secs * 1000);
    }
  }
  std::sort(ms.begin(), ms.end());
  if (!ms.empty()) {
    state.counters["p50_ms"] = ms[ms.size() / 2];
    state.counters["max_ms"] = ms.back();
  }
}

// Bulk loading grants into SQLite: the generator's path (one transaction
// of prepared inserts, indexes built after; TimeGenerate).
void BulkLoad(benchmark::State& state) {
  const char* dir_env = std::getenv("TOEGANG_BENCH_DIR");
  const std::string path =
      std::string(dir_env != nullptr ? dir_env : "bench-data") +
      "/bulk-load.db";
  TimeGenerate(
      state, [&] { return path; }, /*replace_file=*/true);
}

// Sizes, not speed: memory per grant beside baseline (a), and how long the
// generation and the first open took.
void Footprint(benchmark::State& state, std::string scale) {
  BenchFederation& f = BenchFederation::Get(scale);
  for (auto _ : state) benchmark::DoNotOptimize(f.rights);
  Result<Stats> s = f.engine->GetStats();
  const double rights = static_cast<double>(f.rights);
  state.counters["rights"] = rights;
  state.counters["engine_rss_MB"] = f.engine_rss_bytes / 1e6;
  state.counters["engine_B_per_grant"] = f.engine_rss_bytes / rights;
  // The bases in the mapped file, and the footprint were every page of
  // them read in (an upper bound: some of them may be in the RSS already).
  state.counters["mapped_MB"] = f.engine_mapped_bytes / 1e6;
  state.counters["engine_all_pages_B_per_grant"] =
      (f.engine_rss_bytes + f.engine_mapped_bytes) / rights;
  state.counters["index_B_per_grant"] =
      s.ok() ? static_cast<double>(s->index_bytes) / rights : 0;
  state.counters["baseline_a_rss_MB"] = f.baseline_a_rss_bytes / 1e6;
  state.counters["baseline_a_B_per_grant"] = f.baseline_a_rss_bytes / rights;
  // Counted from the containers (the RSS growth can hide reused memory).
  state.counters["baseline_a_counted_B_per_grant"] =
      static_cast<double>(f.baseline_a.MemoryBytes()) / rights;
  state.counters["open_s"] = f.open_seconds;
  state.counters["generate_s"] = f.generate_seconds;
}

void RegisterScale(const std::string& s) {
  using benchmark::RegisterBenchmark;
  for (const char* stream : {"mixed", "with_hco", "allowed", "denied"}) {
    RegisterBenchmark(fmt::format("Check/engine/{}/{}", s, stream).c_str(),
                      EngineAllowed, s, std::string(stream));
  }
  RegisterBenchmark(fmt::format("Check/engine_full_answer/{}/mixed", s).c_str(),
                    EngineCheck, s, std::string("mixed"));
  for (const char* stream : {"mixed", "with_hco"}) {
    RegisterBenchmark(fmt::format("Check/baseline_a/{}/{}", s, stream).c_str(),
                      BaselineA, s, std::string(stream));
    RegisterBenchmark(fmt::format("Check/baseline_b/{}/{}", s, stream).c_str(),
                      BaselineB, s, std::string(stream));
  }
  RegisterBenchmark(fmt::format("CheckLatency/engine/{}", s).c_str(),
                    EngineLatency, s);
  RegisterBenchmark(fmt::format("Explain/{}", s).c_str(), EngineExplain, s);
  RegisterBenchmark(fmt::format("Access/{}", s).c_str(), EngineAccess, s);
  RegisterBenchmark(fmt::format("Mutation/durable/{}", s).c_str(),
                    EngineMutation, s)
      ->Unit(benchmark::kMicrosecond)
      ->UseRealTime();
  // The same readers without the writer: what the machine and the read
  // path scale to on their own.
  for (bool writer : {true, false}) {
    RegisterBenchmark(
        fmt::format("{}/{}", writer ? "ReadersUnderWriter" : "Readers", s)
            .c_str(),
        ReaderThreads, s, writer)
        ->Threads(1)
        ->Threads(2)
        ->UseRealTime();
  }
  RegisterBenchmark(fmt::format("CrossProcessVisibility/{}", s).c_str(),
                    CrossProcessVisibility, s)
      ->Iterations(40)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond);
  for (bool snapshot : {true, false}) {
    RegisterBenchmark(fmt::format("OpenToFirstCheck/{}/{}", s,
                                  snapshot ? "snapshot" : "full_load")
                          .c_str(),
                      OpenToFirstCheck, s, snapshot)
        ->Iterations(s == "S" ? 5 : 1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  RegisterBenchmark(fmt::format("Footprint/{}", s).c_str(), Footprint, s)
      ->Iterations(1);
}

}  // namespace
}  // namespace toegang::bench

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);  // a child gone shows as a failed write
  if (argc > 1 && std::string(argv[1]) == toegang::bench::kChildWriterFlag) {
    return toegang::bench::ChildWriterMain(argc, argv);
  }
  benchmark::RegisterBenchmark("BulkLoad/generate", toegang::bench::BulkLoad)
      ->Arg(100'000)
      ->Iterations(1)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  const char* env = std::getenv("TOEGANG_BENCH_SCALES");
  std::stringstream scales(env != nullptr ? env : "S,M");
  for (std::string s; std::getline(scales, s, ',');) {
    if (!s.empty()) toegang::bench::RegisterScale(s);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
