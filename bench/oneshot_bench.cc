// OneShot/<command>/<scale>: the real CLI (`toegang`, built beside this
// program) run as a fresh process per iteration, as a helpdesk runs it, on
// a copy of the generated federation of the scale with a current index
// snapshot beside it and the page cache warm. Each command is timed twice
// in the same run: as the CLI runs it, reading only the part of the
// federation it names (`parts`), and with the whole graph loaded first
// (`full_load`, TOEGANG_ONE_SHOT_LOAD=whole: the baseline, how every
// command but check ran before parts). Reported: the child's wall time (manual
// time: the mean of the iterations; the counter p50_ms is their median), its
// CPU time (user and system, median: cpu_p50_ms; on a shared machine the wall
// time is mostly the wait for a core) and its peak resident set as the counter
// peak_rss_MB (the largest of the iterations, from wait4).
//
//   TOEGANG_BENCH_SCALES=S,M TOEGANG_BENCH_DIR=/work/benchdata
//     build/bench/toegang_oneshot_bench   (one line)
//
// The copy (`oneshot-<scale>.db` in $TOEGANG_BENCH_WORK_DIR, default the
// bench directory) is what the mutations change; the federation itself is
// never written. A third line per command, `postgres`, runs it with parts
// against the same federation (seed 8) generated into a database of a
// throw-away PostgreSQL cluster (tests/support/pg_throwaway.h), as a
// gateway host's admin tool would (no index snapshot there: a check reads
// the person's part); skipped with the reason when PostgreSQL cannot run. The
// mutation benchmark alternates a revoke and a grant of one right, so every
// iteration commits.
#include <SQLiteCpp/SQLiteCpp.h>
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "bench_federation.h"
#include "support/pg_throwaway.h"

namespace toegang::bench {
namespace {

// One run of the CLI: wall seconds, CPU seconds (user and system), peak
// resident KB, exit code.
struct Run {
  double seconds = 0;
  double cpu_seconds = 0;
  long peak_kb = 0;
  int exit = -1;
};

Run RunCli(const std::vector<std::string>& args, bool full_load) {
  std::vector<char*> argv;
  std::string cli = TOEGANG_CLI_PATH;
  argv.push_back(cli.data());
  std::vector<std::string> copy = args;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  const auto started = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    if (full_load) {
      ::setenv("TOEGANG_ONE_SHOT_LOAD", "whole", 1);
    } else {
      ::unsetenv("TOEGANG_ONE_SHOT_LOAD");
    }
    // The answer is not what is measured: away with it.
    if (std::freopen("/dev/null", "w", stdout) == nullptr) ::_exit(126);
    if (std::freopen("/dev/null", "w", stderr) == nullptr) ::_exit(126);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  struct rusage usage {};
  if (::wait4(pid, &status, 0, &usage) != pid) Die("wait4 failed");
  Run r;
  r.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  r.peak_kb = usage.ru_maxrss;
  r.cpu_seconds =
      static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
      static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) /
          1e6;
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string One(SQLite::Database& db, const char* sql) {
  SQLite::Statement q(db, sql);
  if (!q.executeStep()) Die(fmt::format("no row for: {}", sql));
  return q.getColumn(0).getString();
}

// A scale's working copy and what the commands are asked about: a user's
// right (person, facility, application, enterprise) and the HTB, still
// listed, who may revoke and grant it.
struct Subject {
  std::string db, insz, hco, app, kbo, htb;
};

const Subject& SubjectOf(const std::string& scale) {
  static std::map<std::string, Subject> made;
  auto it = made.find(scale);
  if (it != made.end()) return it->second;
  const std::string source = BenchFederation::Path(scale);
  const char* work_env = std::getenv("TOEGANG_BENCH_WORK_DIR");
  const std::string dir =
      work_env != nullptr
          ? work_env
          : std::filesystem::path(source).parent_path().string();
  Subject s;
  s.db = fmt::format("{}/oneshot-{}.db", dir, scale);
  for (const char* suffix : {"", "-wal", "-shm", "-index"}) {
    std::filesystem::remove(s.db + suffix);
  }
  std::filesystem::copy_file(source, s.db);
  {
    SQLite::Database db(s.db, SQLite::OPEN_READONLY);
    const std::string row = One(
        db,
        "SELECT r.insz || ' ' || s.hco || ' ' || r.application || ' ' || "
        "s.kbo || ' ' || h.insz FROM user_right r JOIN subafdeling s ON s.id "
        "= r.subafdeling JOIN htb h ON h.kbo = s.kbo JOIN function f ON "
        "f.kbo = h.kbo AND f.insz = h.insz JOIN enterprise e ON e.kbo = s.kbo "
        "AND e.active = 1 WHERE r.rowid > (SELECT max(rowid) FROM user_right) "
        "/ 2 LIMIT 1");
    std::istringstream in(row);
    in >> s.insz >> s.hco >> s.app >> s.kbo >> s.htb;
  }
  // A current index snapshot beside the copy: the federation's own, copied
  // with it (the same state), or else one a full load writes at its end.
  if (std::filesystem::exists(source + "-index")) {
    std::filesystem::copy_file(source + "-index", s.db + "-index");
  } else if (RunCli({"--db", s.db, "stats"}, /*full_load=*/true).exit != 0) {
    Die("toegang stats failed on " + s.db);
  }
  return made.emplace(scale, s).first->second;
}

// The same subject on the scale's federation in PostgreSQL, generated
// into the throw-away cluster on first use; nullptr (the reason in *why)
// when PostgreSQL cannot run.
const Subject* PostgresSubjectOf(const std::string& scale, std::string* why) {
  static std::map<std::string, Subject> made;
  auto it = made.find(scale);
  if (it != made.end()) return &it->second;
  testing::PgCluster* cluster = testing::PgCluster::Get(why);
  if (cluster == nullptr) return nullptr;
  Subject s = SubjectOf(scale);
  std::string name = "oneshot_" + scale;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  s.db = cluster->Uri(name);
  // By the CLI in a child process: generated in this one, the federation
  // would inflate every later child's peak (see RunCli's wait4).
  fmt::print(stderr, "bench: generating {} into PostgreSQL ...\n", scale);
  const Run made_by = RunCli({"generate", "--persons",
                              std::to_string(BenchFederation::PersonsOf(scale)),
                              "--seed", "8", "--out", s.db},
                             /*full_load=*/false);
  if (made_by.exit != 0) {
    Die(fmt::format("toegang generate --out {} failed (exit {})", s.db,
                    made_by.exit));
  }
  return &made.emplace(scale, s).first->second;
}

// The command line of each benchmarked command.
std::vector<std::string> Command(const std::string& name, const Subject& s,
                                 int iteration) {
  std::vector<std::string> a = {"--db", s.db};
  auto add = [&](std::initializer_list<std::string> more) {
    a.insert(a.end(), more);
  };
  if (name == "check") add({"check", "--insz", s.insz, "--app", s.app});
  if (name == "explain") add({"explain", "--insz", s.insz, "--app", s.app});
  if (name == "who") add({"who", "--kbo", s.kbo});
  if (name == "access") add({"access", "--insz", s.insz});
  if (name == "users") add({"users", "--hco", s.hco, "--limit", "3"});
  if (name == "managed-by") add({"managed-by", "--insz", s.htb});
  if (name == "may") {
    add({"may", "--by", s.htb, "--action", "user.revoke", "--hco", s.hco,
         "--insz", s.insz, "--app", s.app});
  }
  if (name == "audit") add({"audit", "--limit", "20"});
  if (name == "changes") add({"changes", "--since", "1", "--limit", "20"});
  if (name == "stats") add({"stats"});
  if (name == "verify") add({"verify"});
  if (name == "mutation") {
    add({"user", iteration % 2 == 0 ? "revoke" : "grant", "--hco", s.hco,
         "--insz", s.insz, "--app", s.app, "--by", s.htb});
  }
  return a;
}

void OneShot(benchmark::State& state, const std::string& command,
             const std::string& scale, bool full_load, bool postgres) {
  std::string why;
  const Subject* on =
      postgres ? PostgresSubjectOf(scale, &why) : &SubjectOf(scale);
  if (on == nullptr) {
    state.SkipWithError(("PostgreSQL cannot run here: " + why).c_str());
    return;
  }
  const Subject& s = *on;
  long peak_kb = 0;
  int iteration = 0;
  std::vector<double> seconds, cpu;
  for (auto _ : state) {
    const Run r = RunCli(Command(command, s, iteration++), full_load);
    // check answers 1 (denied) once the mutations have revoked the right.
    if (r.exit != 0 && !(command == "check" && r.exit == 1)) {
      state.SkipWithError(fmt::format("exit {}", r.exit).c_str());
      break;
    }
    state.SetIterationTime(r.seconds);
    seconds.push_back(r.seconds);
    cpu.push_back(r.cpu_seconds);
    peak_kb = std::max(peak_kb, r.peak_kb);
  }
  if (!seconds.empty()) {
    std::sort(seconds.begin(), seconds.end());
    std::sort(cpu.begin(), cpu.end());
    state.counters["p50_ms"] = seconds[seconds.size() / 2] * 1000.0;
    state.counters["cpu_p50_ms"] = cpu[cpu.size() / 2] * 1000.0;
  }
  state.counters["peak_rss_MB"] = static_cast<double>(peak_kb) / 1024.0;
  if (command == "mutation" && iteration % 2 == 1) {
    // Leave the right granted, as found.
    (void)RunCli(Command(command, s, 1), false);
  }
}

std::vector<std::string> Scales() {
  const char* env = std::getenv("TOEGANG_BENCH_SCALES");
  std::vector<std::string> out;
  std::stringstream in(env != nullptr ? env : "S,M");
  for (std::string scale; std::getline(in, scale, ',');) out.push_back(scale);
  return out;
}

// Reads before the mutations (which leave the snapshot behind), each with
// its baseline right after it.
const std::vector<std::string> kCommands = {
    "check", "explain", "who",     "access", "users",  "managed-by",
    "may",   "audit",   "changes", "stats",  "verify", "mutation"};

int Register() {
  for (const std::string& scale : Scales()) {
    const int iterations = scale == "S" ? 21 : scale == "M" ? 11 : 5;
    const int baseline_iterations = scale == "S" ? 21 : 3;
    for (const std::string& command : kCommands) {
      for (const char* how : {"parts", "full_load", "postgres"}) {
        const bool full = std::string_view(how) == "full_load";
        const bool postgres = std::string_view(how) == "postgres";
        // verify loads the whole graph either way; seconds, not ms.
        if (command == "verify" && full) continue;
        const int n =
            command == "verify" ? 3 : (full ? baseline_iterations : iterations);
        const std::string name =
            fmt::format("OneShot/{}/{}/{}", command, scale, how);
        benchmark::RegisterBenchmark(
            name.c_str(),
            [command, scale, full, postgres](benchmark::State& st) {
              OneShot(st, command, scale, full, postgres);
            })
            ->UseManualTime()
            ->Unit(benchmark::kMillisecond)
            ->Iterations(n);
      }
    }
  }
  return 0;
}
const int kRegistered = Register();

}  // namespace
}  // namespace toegang::bench

BENCHMARK_MAIN();
