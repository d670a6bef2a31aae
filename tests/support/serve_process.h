// `toegang serve` as a child process for the tests of the HTTP service
// that need a process of its own (a descriptor limit, its CPU time) or
// that must be able to run against another build: the binary is
// $TOEGANG_TEST_SERVE_CLI when set (e.g. an older build, to see these
// tests fail on it), else the one this tree builds (TOEGANG_CLI_PATH).
//
// Thread safety: one test thread per ServeProcess.
#ifndef TOEGANG_TESTS_SERVE_PROCESS_H_
#define TOEGANG_TESTS_SERVE_PROCESS_H_

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace toegang::testing {

class ServeProcess {
 public:
  ServeProcess() = default;
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;
  ~ServeProcess() { Stop(); }

  // Starts `toegang --db db serve --listen 127.0.0.1:0 extra...` and reads
  // the port(s) it prints. False (with *error set) when it did not start
  // within 20 s.
  bool Start(const std::string& db, const std::vector<std::string>& extra,
             std::string* error) {
    const char* override_cli = std::getenv("TOEGANG_TEST_SERVE_CLI");
    const std::string cli = override_cli != nullptr && *override_cli != '\0'
                                ? override_cli
                                : TOEGANG_CLI_PATH;
    std::vector<std::string> args = {cli,     "--db",     db,
                                     "serve", "--listen", "127.0.0.1:0"};
    bool want_admin = false;
    for (const std::string& a : extra) {
      args.push_back(a);
      want_admin = want_admin || a == "--admin-listen";
    }
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
      *error = "pipe failed";
      return false;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      // Ends with the test process, however that ends.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::dup2(out[1], STDOUT_FILENO);
      const int null = ::open("/dev/null", O_RDONLY);
      if (null >= 0) ::dup2(null, STDIN_FILENO);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    if (pid_ < 0) {
      ::close(out[0]);
      *error = "fork failed";
      return false;
    }
    out_fd_ = out[0];
    std::string text;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      port_ = PortAfter(text, "listening on http://127.0.0.1:");
      admin_port_ = PortAfter(text, "(with /v1/explain) on http://127.0.0.1:");
      if (port_ != 0 && (!want_admin || admin_port_ != 0)) return true;
      pollfd p{out_fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) {
        char buf[1024];
        const ssize_t n = ::read(out_fd_, buf, sizeof buf);
        if (n <= 0) break;
        text.append(buf, static_cast<size_t>(n));
      }
    }
    *error = "toegang serve did not start; it printed: " + text;
    Stop();
    return false;
  }

  // SIGTERM, then SIGKILL after 10 s; waits for the process.
  void Stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      const auto deadline =
          std::chrono::steady_clock::now() + std::chrono::seconds(10);
      int status = 0;
      while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
          ::kill(pid_, SIGKILL);
          ::waitpid(pid_, &status, 0);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      pid_ = -1;
    }
    if (out_fd_ >= 0) {
      ::close(out_fd_);
      out_fd_ = -1;
    }
  }

  pid_t pid() const { return pid_; }
  uint16_t port() const { return port_; }
  uint16_t admin_port() const { return admin_port_; }

  // User plus system CPU time of the process so far, in clock ticks
  // (/proc/PID/stat fields 14 and 15); -1 when unreadable.
  long CpuTicks() const {
    const std::string path = "/proc/" + std::to_string(pid_) + "/stat";
    FILE* f = std::fopen(path.c_str(), "r");
    if (f == nullptr) return -1;
    char buf[2048];
    const size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = '\0';
    // Fields after the command name, which ends at the last ')'.
    std::string text(buf);
    const size_t close = text.rfind(')');
    if (close == std::string::npos) return -1;
    std::vector<std::string> fields;
    size_t pos = close + 2;
    while (pos < text.size()) {
      const size_t space = text.find(' ', pos);
      fields.push_back(text.substr(pos, space - pos));
      if (space == std::string::npos) break;
      pos = space + 1;
    }
    // fields[0] is field 3 (state): utime is field 14, stime 15.
    if (fields.size() < 13) return -1;
    return std::stol(fields[11]) + std::stol(fields[12]);
  }

  // Descriptors the process has open now; -1 when unreadable.
  int OpenDescriptors() const {
    const std::string dir = "/proc/" + std::to_string(pid_) + "/fd";
    int count = 0;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(dir, ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
      ++count;
    }
    return ec ? -1 : count;
  }

 private:
  static uint16_t PortAfter(const std::string& text, const std::string& key) {
    const size_t at = text.find(key);
    if (at == std::string::npos) return 0;
    size_t end = at + key.size();
    unsigned value = 0;
    bool digits = false;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') {
      value = value * 10 + static_cast<unsigned>(text[end] - '0');
      digits = true;
      ++end;
    }
    // The number is complete once something follows it.
    if (!digits || end == text.size() || value > 65535) return 0;
    return static_cast<uint16_t>(value);
  }

  pid_t pid_ = -1;
  int out_fd_ = -1;
  uint16_t port_ = 0;
  uint16_t admin_port_ = 0;
};

}  // namespace toegang::testing

#endif  // TOEGANG_TESTS_SERVE_PROCESS_H_
