#include "bench_federation.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <stdexcept>
#include <thread>

#include "federation_generator.h"

namespace toegang::bench {
namespace {

// Queries per stream: enough that at M and L the persons asked about do not
// all stay in the cache (a gateway sees the whole population).
constexpr size_t kStream = 1 << 20;

uint64_t Digits(const std::string& s) {
  uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<uint64_t>(c - '0');
  return v;
}

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
      .count();
}

}  // namespace

void Die(const std::string& what) {
  fmt::print(stderr, "bench: {}\n", what);
  std::exit(1);
}

size_t ResidentBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long pages = 0, resident = 0;
  const int n = std::fscanf(f, "%lu %lu", &pages, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

namespace {

// The resident set before a model is built. Heap that earlier work in this
// process freed (generating the federation, an earlier scale's benchmarks)
// is handed back first: otherwise the engine's own malloc_trim after its
// load hands it back inside the measurement, and the growth reads low
// (negative, once, at L after generating the federation in-process).
size_t ResidentBytesBefore() {
  malloc_trim(0);
  return ResidentBytes();
}

}  // namespace

// --- baseline (a) -------------------------------------------------------

void HashMapBaseline::Build(SQLite::Database& db) {
  std::unordered_map<std::string, uint32_t> enterprise;
  {
    SQLite::Statement q(db,
                        "SELECT e.kbo, e.active, h.kbo IS NOT NULL, c.kbo IS "
                        "NOT NULL FROM enterprise e LEFT JOIN htb h ON h.kbo "
                        "= e.kbo LEFT JOIN active_capacity c ON c.kbo = e.kbo");
    while (q.executeStep()) {
      auto [it, added] = enterprise.emplace(
          q.getColumn(0).getString(), static_cast<uint32_t>(enterprise.size()));
      if (!added) continue;
      enterprise_ok_.push_back(q.getColumn(1).getInt() != 0 &&
                               q.getColumn(2).getInt() != 0 &&
                               q.getColumn(3).getInt() != 0);
    }
  }
  {
    SQLite::Statement q(db, "SELECT hco, active, kbo FROM facility");
    while (q.executeStep()) {
      facility_by_hco_.emplace(q.getColumn(0).getString(),
                               static_cast<uint32_t>(facility_active_.size()));
      facility_active_.push_back(q.getColumn(1).getInt() != 0);
      facility_organizer_.push_back(enterprise.at(q.getColumn(2).getString()));
    }
  }
  SQLite::Statement q(
      db,
      "SELECT r.insz, r.application, s.hco, s.kbo FROM user_right r JOIN "
      "subafdeling s ON s.id = r.subafdeling JOIN authorization a ON "
      "a.subafdeling = r.subafdeling AND a.application = r.application");
  while (q.executeStep()) {
    grants_[Digits(q.getColumn(0).getString())].push_back(
        Grant{facility_by_hco_.at(q.getColumn(2).getString()),
              enterprise.at(q.getColumn(3).getString()),
              static_cast<uint8_t>(q.getColumn(1).getString() == "vipa")});
  }
}

bool HashMapBaseline::Allowed(const Query& q) const {
  const uint8_t app = q.app == "vipa" ? 1 : 0;
  uint32_t only = UINT32_MAX;
  if (!q.hco.empty()) {
    auto f = facility_by_hco_.find(q.hco);
    if (f == facility_by_hco_.end()) return false;
    only = f->second;
  }
  auto it = grants_.find(Digits(q.insz));
  if (it == grants_.end()) return false;
  for (const Grant& g : it->second) {
    if (g.app == app && (only == UINT32_MAX || g.facility == only) &&
        facility_active_[g.facility] &&
        facility_organizer_[g.facility] == g.enterprise &&
        enterprise_ok_[g.enterprise]) {
      return true;
    }
  }
  return false;
}

size_t HashMapBaseline::MemoryBytes() const {
  // Nodes of the map (key, vector, next pointer, cached hash) plus buckets
  // plus the vectors' heap blocks; the facility index alike.
  size_t bytes =
      grants_.bucket_count() * sizeof(void*) +
      grants_.size() *
          (sizeof(uint64_t) + sizeof(std::vector<Grant>) + 2 * sizeof(void*));
  for (const auto& [insz, v] : grants_) bytes += v.capacity() * sizeof(Grant);
  bytes += facility_by_hco_.bucket_count() * sizeof(void*) +
           facility_by_hco_.size() * (sizeof(std::string) + 16 + 16);
  bytes += facility_active_.capacity() + enterprise_ok_.capacity() +
           facility_organizer_.capacity() * sizeof(uint32_t);
  return bytes;
}

// --- baseline (b) -------------------------------------------------------

namespace {
constexpr const char* kSqlCheck =
    "SELECT 1 FROM user_right r JOIN subafdeling s ON s.id = r.subafdeling "
    "JOIN authorization a ON a.subafdeling = r.subafdeling AND "
    "a.application = r.application JOIN facility f ON f.hco = s.hco AND "
    "f.kbo = s.kbo AND f.active = 1 JOIN enterprise e ON e.kbo = s.kbo AND "
    "e.active = 1 JOIN htb h ON h.kbo = s.kbo JOIN active_capacity c ON "
    "c.kbo = s.kbo AND c.capacity = s.capacity WHERE r.insz = ?1 AND "
    "r.application = ?2";
}  // namespace

SqliteBaseline::SqliteBaseline(const std::string& path)
    : db_([&] {
        {
          // The covering index the query wants (kept in the bench file).
          SQLite::Database w(path, SQLite::OPEN_READWRITE, 60000);
          w.exec(
              "CREATE INDEX IF NOT EXISTS bench_right ON user_right(insz, "
              "application, subafdeling)");
        }
        return SQLite::Database(path, SQLite::OPEN_READONLY);
      }()),
      any_(db_, std::string(kSqlCheck) + " LIMIT 1"),
      at_(db_, std::string(kSqlCheck) + " AND s.hco = ?3 LIMIT 1") {
  db_.exec("PRAGMA mmap_size = 4294967296");
  db_.exec("PRAGMA cache_size = -1048576");
}

bool SqliteBaseline::Allowed(const Query& q) {
  SQLite::Statement& s = q.hco.empty() ? any_ : at_;
  s.reset();
  s.bind(1, q.insz);
  s.bind(2, q.app);
  if (!q.hco.empty()) s.bind(3, q.hco);
  const bool allowed = s.executeStep();
  // Done with it: a statement left on a row keeps a read transaction open,
  // which stops every WAL checkpoint of the file while the engine's writer
  // benchmarks run on it (the WAL then grows and each commit slows down).
  s.reset();
  return allowed;
}

// --- the federation -----------------------------------------------------

uint64_t BenchFederation::PersonsOf(const std::string& scale) {
  if (scale == "S") return 10'000;
  if (scale == "M") return 1'000'000;
  if (scale == "L") return 10'000'000;
  Die("unknown scale " + scale);
}

std::string BenchFederation::Path(const std::string& scale,
                                  double* generated_seconds) {
  const char* dir_env = std::getenv("TOEGANG_BENCH_DIR");
  const std::string dir = dir_env != nullptr ? dir_env : "bench-data";
  std::filesystem::create_directories(dir);
  const std::string path = fmt::format("{}/federation-{}.db", dir, scale);
  if (generated_seconds != nullptr) *generated_seconds = 0;
  if (!std::filesystem::exists(path)) {
    fmt::print(stderr, "bench: generating {} ({} persons) ...\n", path,
               PersonsOf(scale));
    auto t0 = std::chrono::steady_clock::now();
    GenerateOptions o;
    o.persons = PersonsOf(scale);
    o.seed = 8;
    o.out_path = path;
    GenerateSummary summary;
    Status s = GenerateFederation(o, &summary);
    if (!s.ok()) Die(s.ToString());
    if (generated_seconds != nullptr) *generated_seconds = Since(t0);
  }
  return path;
}

BenchFederation& BenchFederation::Get(const std::string& scale) {
  static std::map<std::string, std::unique_ptr<BenchFederation>> cache;
  std::unique_ptr<BenchFederation>& slot = cache[scale];
  if (slot) return *slot;
  slot = std::make_unique<BenchFederation>();
  BenchFederation& f = *slot;
  f.scale = scale;
  f.persons = PersonsOf(scale);
  f.path = Path(scale, &f.generate_seconds);
  // Baseline (b) first: it adds its covering index to the file.
  f.baseline_b = std::make_unique<SqliteBaseline>(f.path);
  {
    const size_t rss0 = ResidentBytesBefore();
    auto t0 = std::chrono::steady_clock::now();
    OpenOptions o;
    o.mode = OpenMode::kFollower;
    o.follow_interval = std::chrono::milliseconds(kFollowMs);
    Result<std::unique_ptr<Engine>> e = Engine::Open(f.path, o);
    if (!e.ok()) Die(e.status().ToString());
    f.engine = std::move(e).value();
    f.open_seconds = Since(t0);
    if (!f.engine->startup().from_snapshot) {
      fmt::print(stderr, "bench: {} opened without its index snapshot: {}\n",
                 scale, f.engine->startup().snapshot_note);
    }
    // Both instances of the model, before anything else is measured.
    if (!f.engine->Refresh().ok()) Die("refresh failed");
    f.engine_rss_bytes =
        static_cast<double>(ResidentBytes()) - static_cast<double>(rss0);
    Result<Stats> stats = f.engine->GetStats();
    if (!stats.ok()) Die(stats.status().ToString());
    f.engine_mapped_bytes = static_cast<double>(stats->mapped_base_bytes);
  }

  // The query stream: rights that exist (mostly allowed), and random
  // persons, applications and facilities (mostly denied), labelled by the
  // engine and mixed half and half.
  SQLite::Database db(f.path, SQLite::OPEN_READONLY);
  const size_t rss0 = ResidentBytesBefore();
  f.baseline_a.Build(db);
  f.baseline_a_rss_bytes =
      static_cast<double>(ResidentBytes()) - static_cast<double>(rss0);
  std::mt19937_64 rng(20261128);
  std::vector<Query> rights;
  {
    SQLite::Statement q(db,
                        "SELECT r.insz, r.application, s.hco FROM user_right "
                        "r JOIN subafdeling s ON s.id = r.subafdeling");
    while (q.executeStep()) {
      Query x;
      x.insz = q.getColumn(0).getString();
      x.app = q.getColumn(1).getString();
      x.hco = q.getColumn(2).getString();
      rights.push_back(std::move(x));
    }
  }
  f.rights = rights.size();
  std::vector<std::string> persons, hcos;
  {
    SQLite::Statement q(db, "SELECT insz FROM person");
    while (q.executeStep()) persons.push_back(q.getColumn(0).getString());
    SQLite::Statement h(db, "SELECT hco FROM facility");
    while (h.executeStep()) hcos.push_back(h.getColumn(0).getString());
  }
  if (rights.empty() || persons.empty()) Die("empty federation");
  auto label = [&](Query q) {
    q.insz_number = Digits(q.insz);
    Result<bool> a = f.engine->Allowed(q.insz, q.app, q.hco);
    if (!a.ok()) Die(a.status().ToString());
    q.allowed = *a;
    return q;
  };
  auto fill = [&](std::vector<Query>* out, bool with_hco) {
    size_t yes = 0, no = 0;
    while (yes + no < kStream) {
      const bool want_allowed = yes <= no;
      Query q;
      if (want_allowed) {
        q = rights[rng() % rights.size()];
      } else {
        q.insz = persons[rng() % persons.size()];
        q.app = rng() % 2 == 0 ? "ama-wvg" : "vipa";
        q.hco = hcos[rng() % hcos.size()];
      }
      if (!with_hco) q.hco.clear();
      q = label(std::move(q));
      if (q.allowed != want_allowed) continue;
      (want_allowed ? yes : no)++;
      out->push_back(std::move(q));
    }
    std::shuffle(out->begin(), out->end(), rng);
  };
  fill(&f.mixed, false);
  fill(&f.with_hco, true);
  for (const Query& q : f.mixed) {
    (q.allowed ? f.allowed_only : f.denied_only).push_back(q);
  }
  // The baselines must agree with the engine before anything is timed.
  for (const std::vector<Query>* stream : {&f.mixed, &f.with_hco}) {
    for (const Query& q : *stream) {
      if (f.baseline_a.Allowed(q) != q.allowed) {
        Die(fmt::format("baseline (a) disagrees with the engine on {} {} {}",
                        q.insz, q.app, q.hco));
      }
      if (f.baseline_b->Allowed(q) != q.allowed) {
        Die(fmt::format("baseline (b) disagrees with the engine on {} {} {}",
                        q.insz, q.app, q.hco));
      }
    }
  }
  return f;
}

CommittingChild::CommittingChild(const std::string& db,
                                 const std::string& flips_from, int nth) {
  int to_child[2], from_child[2];
  // Close-on-exec, so the child keeps only the two ends it is given.
  if (pipe2(to_child, O_CLOEXEC) != 0) return;
  if (pipe2(from_child, O_CLOEXEC) != 0) {
    close(to_child[0]);
    close(to_child[1]);
    return;
  }
  const pid_t child = fork();
  if (child == 0) {
    if (fcntl(to_child[0], F_SETFD, 0) != 0 ||
        fcntl(from_child[1], F_SETFD, 0) != 0) {
      _exit(1);
    }
    const std::string n = std::to_string(nth);
    const std::string in = std::to_string(to_child[0]);
    const std::string out = std::to_string(from_child[1]);
    execl("/proc/self/exe", "toegang-bench-child", kChildWriterFlag, db.c_str(),
          flips_from.c_str(), n.c_str(), in.c_str(), out.c_str(),
          static_cast<char*>(nullptr));
    _exit(1);
  }
  close(to_child[0]);
  close(from_child[1]);
  to_child_ = to_child[1];
  from_child_ = from_child[0];
  pid_ = child;
  uint64_t opened = 0;
  ok_ = child > 0 &&
        read(from_child_, &opened, sizeof opened) == sizeof opened &&
        opened == 1;
}

CommittingChild::~CommittingChild() {
  if (ok_ && granted_) Flip();
  if (to_child_ >= 0) close(to_child_);
  if (from_child_ >= 0) close(from_child_);
  if (pid_ > 0) waitpid(pid_, nullptr, 0);
}

uint64_t CommittingChild::Flip() {
  const char c = granted_ ? 'r' : 'g';
  uint64_t rev = 0;
  if (write(to_child_, &c, 1) != 1 ||
      read(from_child_, &rev, sizeof rev) != sizeof rev) {
    return 0;
  }
  if (rev != 0) granted_ = !granted_;
  return rev;
}

int ChildWriterMain(int argc, char** argv) {
  if (argc != 7) return 2;
  const int in = std::atoi(argv[5]);
  const int out = std::atoi(argv[6]);
  const Flip flip = FindFlip(argv[3], std::atoi(argv[4]));
  Result<std::unique_ptr<Engine>> e = Engine::Open(argv[2]);
  uint64_t rev = e.ok() ? 1 : 0;
  if (write(out, &rev, sizeof rev) != sizeof rev || !e.ok()) return 1;
  char c;
  while (read(in, &c, 1) == 1) {
    Result<CommitInfo> r = (*e)->Apply(c == 'g' ? flip.grant : flip.revoke);
    rev = r.ok() ? r->revision : 0;
    if (write(out, &rev, sizeof rev) != sizeof rev) break;
  }
  return 0;
}

void TimeOpenToFirstCheck(benchmark::State& state, const std::string& db,
                          const OpenOptions& options, const Query& q,
                          bool expect_snapshot) {
  const bool one_shot = options.mode == OpenMode::kOneShot;
  double load_ms = 0;
  for (auto _ : state) {
    Result<std::unique_ptr<Engine>> e = Engine::Open(db, options);
    if (!e.ok()) {
      state.SkipWithError(e.status().ToString().c_str());
      break;
    }
    Result<bool> r = (*e)->Allowed(q.insz, q.app, q.hco);
    state.PauseTiming();  // closing is not part of it
    if (!r.ok() || !*r) {
      state.SkipWithError("first check not allowed");
      break;
    }
    if (expect_snapshot && !(*e)->startup().from_snapshot) {
      state.SkipWithError((*e)->startup().snapshot_note.c_str());
      break;
    }
    if (!one_shot) {
      (void)(*e)->Refresh();  // waits for the background load
      load_ms = static_cast<double>((*e)->startup().load_ms);
    }
    e = Status::Storage("closed", "");
    state.ResumeTiming();
  }
  if (!one_shot) state.counters["graph_load_s"] = load_ms / 1000.0;
}

void TimeGenerate(benchmark::State& state,
                  const std::function<std::string()>& out_path,
                  bool replace_file) {
  uint64_t rights = 0;
  for (auto _ : state) {
    GenerateOptions o;
    o.persons = static_cast<uint64_t>(state.range(0));
    o.out_path = out_path();
    o.overwrite = replace_file;
    GenerateSummary summary;
    Status st = GenerateFederation(o, &summary);
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      break;
    }
    rights += summary.rights;
  }
  state.counters["rights"] = static_cast<double>(rights) /
                             static_cast<double>(std::max<int64_t>(
                                 1, static_cast<int64_t>(state.iterations())));
  state.counters["rights_per_s"] = benchmark::Counter(
      static_cast<double>(rights), benchmark::Counter::kIsRate);
}

std::vector<double> TimeUntilSeen(benchmark::State& state,
                                  CommittingChild& child,
                                  const std::function<uint64_t()>& revision) {
  std::vector<double> secs;
  for (auto _ : state) {
    const uint64_t rev = child.Flip();
    if (rev == 0) {
      state.SkipWithError("the child's commit failed");
      break;
    }
    const auto committed = std::chrono::steady_clock::now();
    while (revision() < rev) std::this_thread::yield();
    const double s = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - committed)
                         .count();
    state.SetIterationTime(s);
    secs.push_back(s);
  }
  return secs;
}

Flip FindFlip(const std::string& path, int nth) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(
      db,
      "SELECT u.insz, s.hco, s.kbo, h.insz, a.application FROM user u JOIN "
      "subafdeling s ON s.id = u.subafdeling JOIN htb h ON h.kbo = s.kbo "
      "JOIN authorization a ON a.subafdeling = s.id JOIN enterprise e ON "
      "e.kbo = s.kbo AND e.active = 1 WHERE NOT EXISTS (SELECT 1 FROM "
      "user_right r WHERE r.subafdeling = s.id AND r.insz = u.insz AND "
      "r.application = a.application) LIMIT 1 OFFSET ?");
  q.bind(1, nth);
  if (!q.executeStep()) {
    fmt::print(stderr, "bench: no user without a right to flip\n");
    std::exit(1);
  }
  Flip flip;
  Mutation& g = flip.grant;
  g.action = Action::kGrantRight;
  g.insz = q.getColumn(0).getString();
  g.hco = q.getColumn(1).getString();
  g.kbo = q.getColumn(2).getString();
  g.actor = q.getColumn(3).getString();
  g.applications = {q.getColumn(4).getString()};
  flip.revoke = g;
  flip.revoke.action = Action::kRevokeRight;
  return flip;
}

Query FirstAllowed(const std::string& path) {
  Result<std::unique_ptr<Engine>> e = Engine::Open(path, OpenOptions());
  if (!e.ok()) Die(e.status().ToString());
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement rows(db,
                         "SELECT insz, application FROM user_right LIMIT "
                         "1000");
  while (rows.executeStep()) {
    Query q;
    q.insz = rows.getColumn(0).getString();
    q.app = rows.getColumn(1).getString();
    Result<bool> r = (*e)->Allowed(q.insz, q.app);
    if (r.ok() && *r) return q;
  }
  Die("no allowed right among the first 1000");
}

}  // namespace toegang::bench
