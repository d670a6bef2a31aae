// PgCluster: a throw-away PostgreSQL cluster, for the tests that run
// against the PostgreSQL store (support/pg_cluster.h adds what gtest
// needs) and for the benchmarks that compare the two stores (bench/).
//
// The cluster is made at the first PgCluster::Get() of a process:
// `initdb` into a fresh temporary folder, then `pg_ctl start` with fsync
// on, listening on 127.0.0.1 only, on a free port, with its socket in
// that folder and trust authentication (nobody else can reach it). As
// root, both run as the `postgres` user (`runuser -u postgres --`: the
// server refuses to run as root) and the folder is given to that user.
// It is stopped (`pg_ctl stop -m fast`) and its folder removed when the
// process ends (the static that holds it is destroyed), or earlier by
// StopServer().
//
// The server's programs are looked for in TOEGANG_PG_BINDIR, then in
// /usr/lib/postgresql/<newest>/bin (Debian), then on PATH. Without them,
// Get() says why.
//
// Thread safety: Get() and NewDatabase() are for one thread (the test's or
// the benchmark's main thread).
#ifndef TOEGANG_TESTS_SUPPORT_PG_THROWAWAY_H_
#define TOEGANG_TESTS_SUPPORT_PG_THROWAWAY_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "store/pg_connection.h"

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
    return Ctl("start -w -t 60 -l " + Quoted(dir_ + "/log") + " -o " +
               Quoted("-c fsync=on -c listen_addresses=127.0.0.1 -c "
                      "port=" +
                      std::to_string(port_) + " -c unix_socket_directories=" +
                      dir_ + " -c max_connections=200")) == 0;
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
    if (std::system((as_ + Quoted(bindir_ + "/initdb") + " -D " + Quoted(data) +
                     " -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 "
                     ">/dev/null 2>&1")
                        .c_str()) != 0) {
      return "initdb failed in " + data;
    }
    if (!StartServer()) {
      return "pg_ctl start failed: see " + dir_ + "/log:\n" +
             FileText(dir_ + "/log");
    }
    started_ = true;
    return "";
  }

  int Ctl(const std::string& args) {
    return std::system((as_ + Quoted(bindir_ + "/pg_ctl") + " -D " +
                        Quoted(dir_ + "/data") + " " + args +
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

  // s quoted for /bin/sh.
  static std::string Quoted(const std::string& s) {
    std::string out = "'";
    for (const char c : s)
      out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }

  // A file's whole content ("" when it cannot be read).
  static std::string FileText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in),
                       std::istreambuf_iterator<char>());
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

}  // namespace toegang::testing

#endif  // TOEGANG_TESTS_SUPPORT_PG_THROWAWAY_H_
