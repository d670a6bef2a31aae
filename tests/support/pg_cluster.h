// PgCluster: a throw-away PostgreSQL cluster for the tests that run
// against the PostgreSQL store, and the parameter that runs one test
// against both stores (StoreKind).
//
// The cluster is made at the first PgCluster::Get() of a test process:
// `initdb` into a fresh temporary folder, then `pg_ctl start` with fsync
// on, listening on 127.0.0.1 only, on a free port, with its socket in
// that folder and trust authentication (nobody else can reach it). As
// root, both run as the `postgres` user (`runuser -u postgres --`: the
// server refuses to run as root) and the folder is given to that user.
// A global test environment stops the cluster (`pg_ctl stop -m fast`) and
// removes the folder when the test process ends, so one cluster serves
// every test of one run of the binary (ctest runs each test in its own
// process: one cluster each). Each test takes a fresh database
// (NewDatabase).
//
// The server's programs are looked for in TOEGANG_PG_BINDIR, then in
// /usr/lib/postgresql/<newest>/bin (Debian), then on PATH. Without them,
// Get() says why; StoreDatabase() then fails the test under CI=true and
// skips it otherwise (GTEST_SKIP with the reason).
//
// Thread safety: Get() and NewDatabase() are for the test's main thread.
#ifndef TOEGANG_TESTS_SUPPORT_PG_CLUSTER_H_
#define TOEGANG_TESTS_SUPPORT_PG_CLUSTER_H_

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/pg_connection.h"
#include "support/test_federation.h"

namespace toegang::testing {

class PgCluster {
 public:
  // The process's cluster, started at the first call; nullptr when it
  // cannot be started, with the reason in *why.
  static PgCluster* Get(std::string* why) {
    static std::string failure;
    static std::unique_ptr<PgCluster> cluster = [] {
      auto c = std::unique_ptr<PgCluster>(new PgCluster());
      failure = c->Start();
      if (!failure.empty()) c.reset();
      return c;
    }();
    if (cluster == nullptr && why != nullptr) *why = failure;
    if (cluster != nullptr) Instance() = cluster.get();
    return cluster.get();
  }

  // A new, empty database of the cluster; its connection URI.
  std::string NewDatabase() {
    const std::string name = "toegang_test_" + std::to_string(++databases_);
    std::unique_ptr<PgConnection> admin =
        PgConnection::Connect(Uri("postgres"));
    admin->Run("CREATE DATABASE " + name);
    return Uri(name);
  }

  // The URI of database `name` on the cluster.
  std::string Uri(const std::string& name) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" +
           name;
  }

  // Stops the server (fast shutdown: sessions are ended) or starts it
  // again on the same port and folder; true when it worked.
  bool StopServer() { return Ctl("stop -m fast -w") == 0; }
  bool StartServer() {
    return Ctl("start -w -t 60 -l " + ShellQuote(dir_ + "/log") + " -o " +
               ShellQuote("-c fsync=on -c listen_addresses=127.0.0.1 -c "
                          "port=" +
                          std::to_string(port_) +
                          " -c unix_socket_directories=" + dir_ +
                          " -c max_connections=200")) == 0;
  }

  ~PgCluster() {
    if (started_) StopServer();
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  // The cluster Get() made, for the environment that stops it.
  static PgCluster*& Instance() {
    static PgCluster* instance = nullptr;
    return instance;
  }

 private:
  PgCluster() = default;

  // Returns why it failed, or "".
  std::string Start() {
    bindir_ = FindBindir();
    if (bindir_.empty()) {
      return "PostgreSQL's initdb and pg_ctl were not found (install the "
             "Debian packages postgresql and libpq-dev, tools/setup-deps.sh, "
             "or set TOEGANG_PG_BINDIR)";
    }
    char tmpl[] = "/tmp/toegang-pg-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return "cannot make a temporary folder";
    dir_ = tmpl;
    if (::geteuid() == 0) {
      const passwd* pg = ::getpwnam("postgres");
      if (pg == nullptr) return "running as root and there is no postgres user";
      if (::chown(dir_.c_str(), pg->pw_uid, pg->pw_gid) != 0) {
        return "cannot give the temporary folder to the postgres user";
      }
      as_ = "runuser -u postgres -- ";
    }
    port_ = FreePort();
    if (port_ == 0) return "no free port on 127.0.0.1";
    const std::string data = dir_ + "/data";
    if (std::system((as_ + ShellQuote(bindir_ + "/initdb") + " -D " +
                     ShellQuote(data) +
                     " -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 "
                     ">/dev/null 2>&1")
                        .c_str()) != 0) {
      return "initdb failed in " + data;
    }
    if (!StartServer()) {
      return "pg_ctl start failed: see " + dir_ + "/log:\n" +
             ReadFile(dir_ + "/log");
    }
    started_ = true;
    return "";
  }

  int Ctl(const std::string& args) {
    return std::system((as_ + ShellQuote(bindir_ + "/pg_ctl") + " -D " +
                        ShellQuote(dir_ + "/data") + " " + args +
                        " >/dev/null 2>&1")
                           .c_str());
  }

  static std::string FindBindir() {
    auto has = [](const std::string& dir) {
      return ::access((dir + "/initdb").c_str(), X_OK) == 0 &&
             ::access((dir + "/pg_ctl").c_str(), X_OK) == 0;
    };
    if (const char* env = std::getenv("TOEGANG_PG_BINDIR");
        env != nullptr && has(env)) {
      return env;
    }
    std::vector<std::string> found;
    std::error_code ec;
    for (const auto& e :
         std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
      if (has(e.path().string() + "/bin")) {
        found.push_back(e.path().string() + "/bin");
      }
    }
    if (!found.empty()) {
      std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
      });
      return found.back();
    }
    for (const char* dir : {"/usr/local/bin", "/usr/bin"}) {
      if (has(dir)) return dir;
    }
    return "";
  }

  static int FreePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
    ::close(fd);
    return port;
  }

  std::string bindir_, dir_, as_;
  int port_ = 0;
  int databases_ = 0;
  bool started_ = false;
};

// Stops the cluster when the test process ends (registered once).
class PgClusterEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    if (PgCluster* c = PgCluster::Instance()) {
      c->StopServer();
      PgCluster::Instance() = nullptr;
    }
  }
};
inline const bool kPgClusterEnvironmentAdded =
    (::testing::AddGlobalTestEnvironment(new PgClusterEnvironment), true);

// The stores a contract test runs against.
enum class StoreKind { kSqlite, kPostgres };

inline std::string StoreKindName(const ::testing::TestParamInfo<StoreKind>& p) {
  return p.param == StoreKind::kSqlite ? "Sqlite" : "Postgres";
}

// Whether a test that cannot reach PostgreSQL fails (CI=true) or skips.
inline bool PostgresRequired() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

// The name of a fresh database of `kind`: a file in dir, or a new
// database on the cluster; "" when the cluster cannot run (the caller
// then uses TOEGANG_SKIP_WITHOUT_STORE).
inline std::string StoreDatabase(StoreKind kind, const TempDir& dir,
                                 std::string* why) {
  if (kind == StoreKind::kSqlite) return dir.File("federation.db");
  PgCluster* cluster = PgCluster::Get(why);
  return cluster == nullptr ? "" : cluster->NewDatabase();
}

// A test run against each store: SetUp makes a fresh database of the
// parameter's kind (db_) and the fixture's federation on it (fed_), or
// skips (fails under CI=true) when PostgreSQL cannot run. Instantiate with
// `INSTANTIATE_TEST_SUITE_P(Stores, Fixture, kBothStores, StoreKindName)`.
class PerStoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override;

  TempDir dir_;
  std::string db_;
  std::unique_ptr<TestFederation> fed_;
};

// The database of a parameterised test's store, for a fixture that makes
// its federation in its constructor: a private base constructed before
// the fixture (`class F : private StoreOfTheParam, public Fixture, public
// ::testing::WithParamInterface<StoreKind>`); SetUp then calls
// TOEGANG_SKIP_WITHOUT_STORE(db, why).
struct StoreOfTheParam {
  StoreOfTheParam() {
    db = StoreDatabase(::testing::WithParamInterface<StoreKind>::GetParam(),
                       dir, &why);
  }
  TempDir dir;
  std::string db, why;
};

inline const auto kBothStores =
    ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres);

}  // namespace toegang::testing

// In a test: `db` from StoreDatabase empty: fail under CI=true, else skip.
#define TOEGANG_SKIP_WITHOUT_STORE(db, why)                       \
  do {                                                            \
    if ((db).empty()) {                                           \
      if (::toegang::testing::PostgresRequired()) {               \
        FAIL() << "CI=true but PostgreSQL cannot run: " << (why); \
      }                                                           \
      GTEST_SKIP() << "PostgreSQL cannot run here: " << (why);    \
    }                                                             \
  } while (false)

inline void toegang::testing::PerStoreTest::SetUp() {
  std::string why;
  db_ = StoreDatabase(GetParam(), dir_, &why);
  TOEGANG_SKIP_WITHOUT_STORE(db_, why);
  fed_ = std::make_unique<TestFederation>(db_);
}

#endif  // TOEGANG_TESTS_SUPPORT_PG_CLUSTER_H_
