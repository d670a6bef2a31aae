// The KBO Open Data import at real size (issue 23): the real CLI
// (`toegang import kbo-open-data`) run as a child process on a fresh copy
// of the M federation, with the extracts of kbo_extract.h:
//   KboImport/full/zip/M        the full extract as downloaded (2 million
//                               enterprises, 3.5 million denominations)
//   KboImport/full/folder/M     the same, unpacked
//   KboImport/update/zip/M      the update extract that follows it (20,000
//                               rows), on the database the full one made
// and, in the same run, the baselines that give them a scale:
//   KboImport/baseline/import_kbo/M         `toegang import kbo` of the
//       full extract's two CSV files (the import without extracts, its
//       sequence and its stops)
//   KboImport/baseline/read_zip             reading the two files out of
//       the zip (libzip, inflate), nothing else
//   KboImport/baseline/update_import_kbo/M  `toegang import kbo` of the
//       update's insert files on the same database
// Time is the child's wall time (manual time, one import per iteration);
// the counter peak_rss_MB is the child's peak resident set (wait4's
// ru_maxrss) and cpu_s its user + system time (on a busy machine the
// wall time waits for the CPU too), so it is the whole CLI: opening the
// database, loading the model for the impact, the import and its commit. Each
// run checks the child's JSON report (the rows, the enterprises stopped), so a
// fast import that did the wrong thing stops the benchmark.
//
//   make bench-kbo
//   build-bench/bench/toegang_kbo_bench --benchmark_filter=full/zip
//
// The extracts and the federation are generated once into
// $TOEGANG_BENCH_DIR (default ./bench-data) and reused; $TOEGANG_CLI
// names the CLI to run (default: the one built beside this benchmark).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "bench_federation.h"
#include "kbo_extract.h"

extern char** environ;

namespace toegang::bench {
namespace {

namespace fs = std::filesystem;

constexpr const char* kScale = "M";

struct ChildRun {
  int exit_code = -1;
  double seconds = 0;
  double peak_rss_bytes = 0;
  double cpu_seconds = 0;  // user + system
  nlohmann::json report;   // the CLI's --json answer
};

std::string Cli() {
  const char* env = std::getenv("TOEGANG_CLI");
  return env != nullptr ? env : TOEGANG_CLI_PATH;
}

// Runs the CLI with args (after `--json --db db`), its stdout into a file
// read back as JSON; times it and reads its peak resident set.
ChildRun RunCli(const std::string& db, const std::vector<std::string>& args) {
  const std::string cli = Cli();
  const std::string out_path = db + ".out";
  std::vector<std::string> argv_s = {cli, "--json", "--db", db};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ChildRun run;
  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, cli.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) Die(fmt::format("cannot run {}", cli));
  int status = 0;
  struct rusage usage {};
  if (wait4(pid, &status, 0, &usage) != pid) Die("wait4 failed");
  run.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.peak_rss_bytes = static_cast<double>(usage.ru_maxrss) * 1024.0;
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  run.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  std::ifstream in(out_path);
  std::stringstream text;
  text << in.rdbuf();
  run.report = nlohmann::json::parse(text.str(), nullptr, false);
  fs::remove(out_path);
  if (run.exit_code != 0 || run.report.is_discarded()) {
    Die(fmt::format("{} {} exited with {}: {}", cli, fmt::join(args, " "),
                    run.exit_code, text.str()));
  }
  return run;
}

// A fresh copy of a database file (with its -wal, if any) at to.
void CopyDb(const std::string& from, const std::string& to) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(to + suffix);
    if (fs::exists(from + suffix)) {
      fs::copy_file(from + suffix, to + suffix);
    }
  }
}

void RemoveDb(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-index"}) {
    fs::remove(path + suffix);
  }
}

const KboExtracts& Extracts() {
  return KboExtracts::Get(BenchFederation::Path(kScale), kScale);
}

// The database after the full extract: where the update applies. Made
// once (untimed) next to the extracts.
const std::string& AfterFull() {
  static std::string path;
  if (!path.empty()) return path;
  const KboExtracts& x = Extracts();
  path = x.dir + "/after-full.db";
  if (!fs::exists(path)) {
    const std::string tmp = x.dir + "/after-full.part.db";
    CopyDb(BenchFederation::Path(kScale), tmp);
    RunCli(tmp, {"import", "kbo-open-data", x.full_zip});
    fs::rename(tmp, path);
    RemoveDb(tmp);
  }
  return path;
}

uint64_t Count(const nlohmann::json& report, const char* key) {
  return report.value(key, uint64_t{0});
}

void Expect(bool ok, const std::string& what) {
  if (!ok) Die(what);
}

enum class Full { kZip, kFolder, kImportKbo };

void FullImport(benchmark::State& state, Full how) {
  const KboExtracts& x = Extracts();
  const std::string work = x.dir + "/work.db";
  double peak = 0, cpu = 0;
  for (auto _ : state) {
    CopyDb(BenchFederation::Path(kScale), work);
    std::vector<std::string> args;
    switch (how) {
      case Full::kZip:
        args = {"import", "kbo-open-data", x.full_zip};
        break;
      case Full::kFolder:
        args = {"import", "kbo-open-data", x.full_dir};
        break;
      case Full::kImportKbo:
        args = {"import",          "kbo",
                "--enterprises",   x.full_dir + "/enterprise.csv",
                "--denominations", x.full_dir + "/denomination.csv"};
        break;
    }
    const ChildRun r = RunCli(work, args);
    state.SetIterationTime(r.seconds);
    peak = std::max(peak, r.peak_rss_bytes);
    cpu += r.cpu_seconds;
    const nlohmann::json& rep = r.report;
    Expect(Count(rep, "rows") == x.enterprises + x.denominations &&
               Count(rep, "invalid") == 0,
           "the full import did not read every row: " + rep.dump());
    const uint64_t stopped =
        rep["changes"].value("enterprises_stopped", uint64_t{0});
    Expect(stopped == (how == Full::kImportKbo ? 0 : x.full_stops),
           fmt::format("the full import stopped {} enterprises, expected {}",
                       stopped, x.full_stops));
    // Every enterprise the extract lists that the federation does not know
    // is inserted; the federation's own are kept (updated or unchanged).
    Expect(Count(rep, "inserted") == x.enterprises - x.federation_listed,
           "the full import did not match the federation's enterprises: " +
               rep["inserted"].dump());
  }
  RemoveDb(work);
  state.counters["peak_rss_MB"] = peak / (1024.0 * 1024.0);
  state.counters["cpu_s"] = cpu / static_cast<double>(state.iterations());
  state.counters["rows"] = static_cast<double>(x.enterprises + x.denominations);
  state.counters["stopped"] =
      static_cast<double>(how == Full::kImportKbo ? 0 : x.full_stops);
}

enum class Update { kZip, kImportKbo };

void UpdateImport(benchmark::State& state, Update how) {
  const KboExtracts& x = Extracts();
  const std::string& base = AfterFull();
  const std::string work = x.dir + "/work-update.db";
  double peak = 0, cpu = 0;
  for (auto _ : state) {
    CopyDb(base, work);
    const ChildRun r =
        how == Update::kZip
            ? RunCli(work, {"import", "kbo-open-data", x.update_zip})
            : RunCli(work, {"import", "kbo", "--enterprises",
                            x.update_dir + "/enterprise_insert.csv",
                            "--denominations",
                            x.update_dir + "/denomination_insert.csv"});
    state.SetIterationTime(r.seconds);
    peak = std::max(peak, r.peak_rss_bytes);
    cpu += r.cpu_seconds;
    if (how == Update::kZip) {
      const nlohmann::json& rep = r.report;
      Expect(Count(rep, "rows") == x.update_rows && Count(rep, "invalid") == 0,
             "the update did not read every row: " + rep.dump());
      const uint64_t stopped =
          rep["changes"].value("enterprises_stopped", uint64_t{0});
      Expect(stopped == x.update_stops,
             fmt::format("the update stopped {} enterprises, expected {}",
                         stopped, x.update_stops));
    }
  }
  RemoveDb(work);
  state.counters["peak_rss_MB"] = peak / (1024.0 * 1024.0);
  state.counters["cpu_s"] = cpu / static_cast<double>(state.iterations());
  state.counters["rows"] = static_cast<double>(x.update_rows);
  state.counters["stopped"] =
      static_cast<double>(how == Update::kZip ? x.update_stops : 0);
}

// Inflating enterprise.csv and denomination.csv out of the zip, counting
// their lines: the least any import of the zip does.
void ReadZip(benchmark::State& state) {
  const KboExtracts& x = Extracts();
  uint64_t lines = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    int error = 0;
    zip_t* z = zip_open(x.full_zip.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (z == nullptr) Die("cannot open " + x.full_zip);
    lines = 0;
    std::array<char, 1 << 16> buf{};
    for (const char* name : {"enterprise.csv", "denomination.csv"}) {
      zip_file_t* f = zip_fopen(z, name, 0);
      if (f == nullptr) Die(fmt::format("{} has no {}", x.full_zip, name));
      zip_int64_t n = 0;
      while ((n = zip_fread(f, buf.data(), buf.size())) > 0) {
        lines +=
            static_cast<uint64_t>(std::count(buf.data(), buf.data() + n, '\n'));
      }
      zip_fclose(f);
    }
    zip_discard(z);
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count());
  }
  // Two header lines besides the rows.
  Expect(lines == x.enterprises + x.denominations + 2,
         fmt::format("read {} lines out of the zip", lines));
  state.counters["rows"] = static_cast<double>(x.enterprises + x.denominations);
}

void Register() {
  auto add = [](const std::string& name, auto fn, auto... args) {
    benchmark::RegisterBenchmark(name.c_str(), fn, args...)
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kSecond);
  };
  const std::string m = kScale;
  add("KboImport/full/zip/" + m, FullImport, Full::kZip);
  add("KboImport/full/folder/" + m, FullImport, Full::kFolder);
  add("KboImport/baseline/import_kbo/" + m, FullImport, Full::kImportKbo);
  add("KboImport/baseline/read_zip", ReadZip);
  add("KboImport/update/zip/" + m, UpdateImport, Update::kZip);
  add("KboImport/baseline/update_import_kbo/" + m, UpdateImport,
      Update::kImportKbo);
}

}  // namespace
}  // namespace toegang::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  toegang::bench::Register();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
