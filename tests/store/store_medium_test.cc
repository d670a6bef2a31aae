// The medium under the database: a read-only medium (a read-only file
// system, or a file and directory this user cannot write) still answers
// every read and refuses every write with read_only; and a database file
// or write-ahead log removed or replaced under a running engine shows in
// follow_state(), /healthz and /metrics.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "decision_service.h"
#include "support/child_process.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"

namespace toegang::testing {
namespace {

using std::chrono::milliseconds;

std::map<std::string, std::string> Lines(const std::string& report) {
  std::map<std::string, std::string> got;
  std::istringstream in(report);
  for (std::string line; std::getline(in, line);) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) got[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return got;
}

// What an engine opened on path answers, as "name=value" lines: whether it
// opened, checks, who, explain, a mutation and an import.
std::string ReadsAndWrites(const std::string& path, const TempDir& scratch,
                           const OpenOptions& options) {
  std::ostringstream out;
  Result<std::unique_ptr<Engine>> opened = Engine::Open(path, options);
  out << "open=" << (opened.ok() ? "ok" : opened.status().ToString()) << "\n";
  if (!opened.ok()) return out.str();
  Engine& e = **opened;
  auto allowed = [&](const char* insz) {
    Result<Decision> d = e.Check(insz, "ama-wvg", "");
    return d.ok() ? (d->allowed ? "allowed" : "denied") : d.status().ToString();
  };
  out << "user1=" << allowed(kUser1) << "\n";
  out << "user2=" << allowed(kUser2) << "\n";
  Result<WhoReport> who = e.Who(kOcmw);
  out << "who=" << (who.ok() ? "ok" : who.status().ToString()) << "\n";
  Result<Explanation> why = e.Explain(kUser1, "ama-wvg", "", Lang::kEn);
  out << "explain="
      << (why.ok() ? (why->allowed ? "allowed" : "denied")
                   : why.status().ToString())
      << "\n";
  out << "revision=" << e.revision() << "\n";
  Result<CommitInfo> r = e.Apply(
      M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2).App("ama-wvg"));
  out << "apply=" << (r.ok() ? "ok" : r.status().code()) << "\n";
  out << "apply_message=" << r.status().message() << "\n";
  ImportReport report;
  const std::string csv = scratch.File("persons.csv");
  Status s = e.ImportPersons(csv, {}, &report);
  out << "import=" << (s.ok() ? "ok" : s.code()) << "\n";
  out << "user2_after=" << allowed(kUser2) << "\n";
  return out.str();
}

TEST(ReadOnlyMediumTest, ADatabaseInADirectoryNobodyMayWriteIsReadNotWritten) {
  TestFederation fed;
  fed.BuildOcmwChain();
  const uint64_t revision = fed.engine().revision();
  fed.Close();  // a clean close: no -wal or -shm left
  const std::string path = fed.db_path();
  const std::string dir = fed.dir().path();
  TempDir scratch;  // writable, for the import file
  scratch.Write("persons.csv",
                "insz,name\n" + std::string(kUser2) + ",Iemand Anders\n");
  ASSERT_FALSE(std::filesystem::exists(path + "-wal"));
  const std::string before = ReadFile(path);
  ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
  ASSERT_EQ(::chmod(dir.c_str(), 0555), 0);
  for (const bool asked : {false, true}) {
    SCOPED_TRACE(asked ? "read_only asked" : "read_only found");
    for (const bool one_shot : {true, false}) {
      SCOPED_TRACE(one_shot ? "one-shot" : "service");
      OpenOptions o;
      o.read_only = asked;
      o.mode = one_shot ? OpenMode::kOneShot : OpenMode::kService;
      const std::string report = InChildWithoutFileCapabilities(
          [&] { return ReadsAndWrites(path, scratch, o); });
      std::map<std::string, std::string> got = Lines(report);
      ASSERT_EQ(got["open"], "ok") << report;
      EXPECT_EQ(got["user1"], "allowed") << report;
      EXPECT_EQ(got["user2"], "denied") << report;
      EXPECT_EQ(got["who"], "ok") << report;
      EXPECT_EQ(got["explain"], "allowed") << report;
      EXPECT_EQ(got["revision"], std::to_string(revision)) << report;
      EXPECT_EQ(got["apply"], code::kReadOnly) << report;
      EXPECT_NE(got["apply_message"].find("writable"), std::string::npos)
          << report;
      EXPECT_EQ(got["import"], code::kReadOnly) << report;
      EXPECT_EQ(got["user2_after"], "denied") << report;
    }
  }
  ASSERT_EQ(::chmod(dir.c_str(), 0755), 0);
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  EXPECT_EQ(ReadFile(path), before);  // not a byte changed
}

TEST(ReadOnlyMediumTest, ReadOnlyAsAskedOnAWritableFileChangesNothing) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.Close();
  OpenOptions o;
  o.read_only = true;
  Result<std::unique_ptr<Engine>> e = Engine::Open(fed.db_path(), o);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_TRUE(fed.dir().path().size() > 0);
  Result<CommitInfo> r = (*e)->Apply(
      M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2).App("ama-wvg"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), code::kReadOnly);
  EXPECT_EQ(r.status().kind(), Status::Kind::kStorage);
  // Nothing recorded: not even the attempt.
  AuditQuery all;
  all.limit = 1000;
  Result<std::vector<AuditRecord>> log = (*e)->Audit(all);
  ASSERT_TRUE(log.ok());
  for (const AuditRecord& row : *log) EXPECT_NE(row.outcome, "refused");
  // A missing database is not created read-only.
  OpenOptions create = o;
  create.create_if_missing = true;
  Result<std::unique_ptr<Engine>> none =
      Engine::Open(fed.dir().File("new.db"), create);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), code::kReadOnly);
  EXPECT_FALSE(std::filesystem::exists(fed.dir().File("new.db")));
}

// Runs script (sh) in a private mount namespace, as root; its exit code,
// or -1 when it could not run.
int InMountNamespace(const std::string& script) {
  const std::string cmd = "unshare -m --propagation private sh -c " +
                          ShellQuote(script) + " >/dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(ReadOnlyMediumTest, TheCliReadsFromAReadOnlyFileSystem) {
  // A real read-only medium: the database's directory bind-mounted
  // read-only in a private mount namespace (root only; everywhere else the
  // test says why it cannot run, and fails in CI).
  TempDir probe;
  const std::string p = probe.path();
  if (InMountNamespace("mount --bind -o ro " + ShellQuote(p) + " " +
                       ShellQuote(p)) != 0) {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true") {
      FAIL() << "CI=true but cannot mount read-only (unshare -m as root)";
    }
    GTEST_SKIP() << "needs root and unshare -m to mount a directory "
                    "read-only";
  }
  for (const bool wal_left : {false, true}) {
    SCOPED_TRACE(wal_left ? "with -wal and -shm" : "the file alone");
    TestFederation fed;
    fed.BuildOcmwChain();
    const std::string db = fed.db_path();
    const std::string dir = fed.dir().path();
    // With wal_left, the engine stays open while the medium is read-only
    // (its -wal and -shm are there, as on a copy of a live database).
    if (!wal_left) fed.Close();
    EXPECT_EQ(std::filesystem::exists(db + "-wal"), wal_left);
    TempDir out;
    const std::string cli = ShellQuote(TOEGANG_CLI_PATH);
    const std::string o = ShellQuote(out.path());
    auto run = [&](const std::string& name, const std::string& args) {
      return cli + " --json --db " + ShellQuote(db) + " " + args + " >" + o +
             "/" + name + ".json 2>&1; echo $? >" + o + "/" + name + ".rc\n";
    };
    const std::string script =
        "mount --bind -o ro " + ShellQuote(dir) + " " + ShellQuote(dir) +
        " || exit 99\n" + "touch " + ShellQuote(dir + "/probe") +
        " 2>/dev/null && exit 98\n" +
        run("check", std::string("check --insz ") + kUser1 + " --app ama-wvg") +
        run("denied",
            std::string("check --insz ") + kUser2 + " --app ama-wvg") +
        run("who", std::string("who --kbo ") + kOcmw) +
        run("explain",
            std::string("explain --insz ") + kUser1 + " --app ama-wvg") +
        run("grant", std::string("user add --hco ") + kHcoOcmw + " --insz " +
                         kUser2 + " --right ama-wvg --by " + kEmp2Ocmw);
    ASSERT_EQ(InMountNamespace(script), 0);
    auto rc = [&](const std::string& name) {
      return ReadFile(out.File(name + ".rc"));
    };
    auto said = [&](const std::string& name) {
      return ReadFile(out.File(name + ".json"));
    };
    EXPECT_EQ(rc("check"), "0\n") << said("check");
    EXPECT_EQ(rc("denied"), "1\n") << said("denied");
    EXPECT_EQ(rc("who"), "0\n") << said("who");
    EXPECT_EQ(rc("explain"), "0\n") << said("explain");
    EXPECT_EQ(rc("grant"), "4\n") << said("grant");
    const nlohmann::json grant =
        nlohmann::json::parse(said("grant"), nullptr, false);
    EXPECT_EQ(grant.value("error", ""), "read_only") << said("grant");
    if (!wal_left) fed.Reopen();
    ASSERT_TRUE(fed.engine().Refresh().ok());
    EXPECT_FALSE(fed.Allowed(kUser2));  // nothing was written
  }
}

// --- a store removed or replaced under a running engine ------------------

// Polls follow_state() until the store is reported unusable; returns its
// error, or "" when that did not happen within the bound.
std::string StoreErrorWithin(const Engine& e, milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  for (;;) {
    const FollowState f = e.follow_state();
    if (!f.store_ok) return f.store_error.empty() ? "?" : f.store_error;
    if (std::chrono::steady_clock::now() >= deadline) return "";
    std::this_thread::sleep_for(milliseconds(5));
  }
}

serve::HttpResponse Get(serve::DecisionService& service,
                        std::string_view target) {
  serve::HttpRequest request;
  request.method = "GET";
  request.target = target;
  return service.Handle(request);
}

TEST(StoreHealthTest, ARemovedLogOrDatabaseFileShowsInHealthAndMetrics) {
  for (const std::string removed : {"-wal", "the file", "replaced"}) {
    SCOPED_TRACE(removed);
    TestFederation fed;
    fed.BuildOcmwChain();
    fed.Close();
    const std::string db = fed.db_path();
    OpenOptions o;
    o.mode = OpenMode::kFollower;
    o.follow_interval = milliseconds(10);
    Result<std::unique_ptr<Engine>> opened = Engine::Open(db, o);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    Engine& engine = **opened;
    serve::ServiceOptions options;
    options.follow_interval = o.follow_interval;
    serve::DecisionService service(&engine, options);
    ASSERT_TRUE(engine.follow_state().store_ok)
        << engine.follow_state().store_error;
    ASSERT_EQ(Get(service, "/healthz").status, 200);
    ASSERT_TRUE(std::filesystem::exists(db + "-wal"));
    if (removed == "-wal") {
      std::filesystem::remove(db + "-wal");
    } else if (removed == "the file") {
      std::filesystem::rename(db, db + ".moved");
    } else {
      std::filesystem::copy_file(db, db + ".copy");
      std::filesystem::rename(db + ".copy", db);
    }
    const std::string error = StoreErrorWithin(engine, milliseconds(5000));
    ASSERT_FALSE(error.empty()) << "follow_state() still says the store is ok";
    EXPECT_NE(error.find(removed == "-wal" ? "-wal" : "database file"),
              std::string::npos)
        << error;
    const serve::HttpResponse health = Get(service, "/healthz");
    EXPECT_EQ(health.status, 503) << health.body;
    const nlohmann::json j = nlohmann::json::parse(health.body, nullptr, false);
    EXPECT_EQ(j.value("status", ""), "store_unavailable") << health.body;
    const serve::HttpResponse metrics = Get(service, "/metrics");
    EXPECT_NE(metrics.body.find("\ntoegang_store_ok 0\n"), std::string::npos)
        << metrics.body;
  }
}

TEST(StoreHealthTest, AHealthyStoreSaysSo) {
  TestFederation fed;
  fed.BuildOcmwChain();
  OpenOptions o;
  o.mode = OpenMode::kFollower;
  o.follow_interval = milliseconds(10);
  Result<std::unique_ptr<Engine>> opened = Engine::Open(fed.db_path(), o);
  ASSERT_TRUE(opened.ok());
  // Another engine commits, closes and opens again meanwhile: the files
  // stay the ones opened, and the follower reads them.
  fed.MustApply(M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2));
  fed.Reopen();
  fed.MustApply(M(Action::kRemoveUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2));
  const uint64_t revision = fed.engine().revision();
  fed.Close();
  ASSERT_TRUE((*opened)->CatchUp(revision, milliseconds(5000)).ok());
  const FollowState f = (*opened)->follow_state();
  EXPECT_TRUE(f.store_ok) << f.store_error;
  EXPECT_GE(f.catch_ups, 1u);
}

}  // namespace
}  // namespace toegang::testing
