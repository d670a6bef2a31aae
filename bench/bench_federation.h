// A generated federation at one scale of SPEC 8, with what every benchmark
// of bench/ needs around it: the engine opened on it, a query stream (50 %
// allowed) and the two baselines of SPEC 8 built from the same database:
//  (a) std::unordered_map from the INSZ (a 64-bit number) to a vector of
//      (facility, enterprise, application) grants, with flag arrays for
//      facilities and enterprises;
//  (b) the best indexed SQLite query (prepared statement, covering index,
//      WAL, mmap) over the same file.
// Both baselines are checked to give the engine's answer on the whole
// stream before anything is timed.
//
// Thread safety: Get() builds each scale once (not thread-safe: call it
// from the benchmark setup); the engine and baseline (a) may then be read
// from any thread; baseline (b) only from one.
#ifndef TOEGANG_BENCH_BENCH_FEDERATION_H_
#define TOEGANG_BENCH_BENCH_FEDERATION_H_

#include <SQLiteCpp/SQLiteCpp.h>
#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "toegang/engine.h"
#include "toegang/mutation.h"

namespace toegang::bench {

struct Query {
  std::string insz, app, hco;  // as a gateway gets them; hco may be empty
  uint64_t insz_number = 0;
  bool allowed = false;  // the engine's answer
};

// Baseline (a).
class HashMapBaseline {
 public:
  bool Allowed(const Query& q) const;
  size_t MemoryBytes() const;
  void Build(SQLite::Database& db);

 private:
  struct Grant {
    uint32_t facility, enterprise;
    uint8_t app;
  };
  std::unordered_map<uint64_t, std::vector<Grant>> grants_;
  std::unordered_map<std::string, uint32_t> facility_by_hco_;
  std::vector<uint8_t> facility_active_;
  std::vector<uint32_t> facility_organizer_;
  std::vector<uint8_t> enterprise_ok_;  // active, rooted, capacity active
};

// Baseline (b).
class SqliteBaseline {
 public:
  explicit SqliteBaseline(const std::string& path);
  bool Allowed(const Query& q);

 private:
  SQLite::Database db_;
  SQLite::Statement any_, at_;
};

// Prints what went wrong and ends the benchmark program (setup failures).
[[noreturn]] void Die(const std::string& what);

// Resident set size of this process now, in bytes.
size_t ResidentBytes();

struct BenchFederation {
  std::string scale;  // "S", "M", "L"
  uint64_t persons = 0;
  std::string path;
  double generate_seconds = 0;  // 0 when the file was reused
  double open_seconds = 0;
  // Growth of the resident set while opening the engine and while
  // building baseline (a); negative when the process gave back more than
  // it took (at S the growth is within the allocator's noise).
  double engine_rss_bytes = 0, baseline_a_rss_bytes = 0;
  // The engine's bases in a mapped file at that moment (Stats), which the
  // resident-set growth counts only as far as they were read.
  double engine_mapped_bytes = 0;
  std::unique_ptr<Engine> engine;
  // 50 % allowed each: without a facility, and with one.
  std::vector<Query> mixed, with_hco;
  std::vector<Query> allowed_only, denied_only;
  HashMapBaseline baseline_a;
  std::unique_ptr<SqliteBaseline> baseline_b;
  size_t rights = 0;

  // The federation of a scale, generated into $TOEGANG_BENCH_DIR (default
  // ./bench-data) on first use and reused after.
  static BenchFederation& Get(const std::string& scale);
  // Only the database file of a scale (generated on first use, like Get),
  // for benchmarks that open their own engines; `generated_seconds` (when
  // not null) gets the generation time, 0 when the file was reused.
  static std::string Path(const std::string& scale,
                          double* generated_seconds = nullptr);
  static uint64_t PersonsOf(const std::string& scale);
  // The engine follows other processes' commits every this often.
  static constexpr int kFollowMs = 10;
};

// A user at an authorized subafdeling who lacks one authorized right, and
// the HTB who may grant it: flipping that right is the write workload.
struct Flip {
  Mutation grant, revoke;
};

// The nth such right of the SQLite file at path (a generated federation:
// the same one of the same persons and seed in any store). Ends the
// program when there is none.
Flip FindFlip(const std::string& path, int nth);

// Another process that commits on demand, for the cross-process
// benchmarks: this program again (/proc/self/exe, not a forked copy of
// this one, which could inherit a lock some thread holds, the follower's
// or SQLite's), whose main passes a command line that starts with
// kChildWriterFlag to ChildWriterMain. The child opens its own engine on
// db and flips the nth right of FindFlip(flips_from, nth), a grant then a
// revoke, one per Flip(). Destroying it flips the right back when it was
// left granted, then waits for the child.
inline constexpr const char* kChildWriterFlag = "--toegang-child-writer";
class CommittingChild {
 public:
  CommittingChild(const std::string& db, const std::string& flips_from,
                  int nth);
  ~CommittingChild();
  CommittingChild(const CommittingChild&) = delete;
  CommittingChild& operator=(const CommittingChild&) = delete;

  // False when the pipes, the process or its engine failed.
  bool ok() const { return ok_; }
  // The revision the child's commit made, 0 on failure.
  uint64_t Flip();

 private:
  bool ok_ = false;
  bool granted_ = false;
  int to_child_ = -1, from_child_ = -1;
  int pid_ = -1;
};

// The child's main: argv = {program, kChildWriterFlag, db, flips_from, nth,
// in fd, out fd}. Per byte on `in` ('g' grant, 'r' revoke) it commits and
// answers the revision on `out` (0 on failure); it first answers 1 when
// its engine opened, 0 when not.
int ChildWriterMain(int argc, char** argv);

// Times, per iteration, opening db with options and answering the first
// check q (closing is not part of it), as the OpenToFirstCheck benchmarks
// of both programs do. expect_snapshot: skipped with the reason unless the
// engine started from its index snapshot. Unless one-shot, it then waits
// (untimed) for the background load, whose time is the counter
// graph_load_s.
void TimeOpenToFirstCheck(benchmark::State& state, const std::string& db,
                          const OpenOptions& options, const Query& q,
                          bool expect_snapshot);

// Per iteration, generates a federation of state.range(0) persons (seed
// 1) into out_path(): a file it replaces (replace_file), else a new
// database; the counters rights (per generation) and rights_per_s. The
// bulk path for grants: SPEC 6 has no import format for the delegation
// state.
void TimeGenerate(benchmark::State& state,
                  const std::function<std::string()>& out_path,
                  bool replace_file);

// Per iteration, the child commits, and the iteration's (manual) time is
// how long after that commit returned revision() reaches it; the seconds,
// one per iteration. Skipped on a failed commit.
std::vector<double> TimeUntilSeen(benchmark::State& state,
                                  CommittingChild& child,
                                  const std::function<uint64_t()>& revision);

// An allowed question for OpenToFirstCheck: a right of the SQLite file at
// path that the engine allows, found with a service engine, whose full
// load leaves a current index snapshot behind when it closes.
Query FirstAllowed(const std::string& path);

}  // namespace toegang::bench

#endif  // TOEGANG_BENCH_BENCH_FEDERATION_H_
