// Runs the real `toegang` binary (TOEGANG_CLI_PATH) for the CLI tests:
// its exit code, stdout and stderr, and the checks of the one JSON object
// that a --json run prints (SPEC 7).
#ifndef TOEGANG_TESTS_CLI_RUNNER_H_
#define TOEGANG_TESTS_CLI_RUNNER_H_

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/test_federation.h"

extern char** environ;

namespace toegang::testing {

using nlohmann::json;

struct CliRun {
  int exit = -1;
  std::string out;
  std::string err;
  std::string command;  // for messages
};

// What a spawned CLI process may use beyond its parent's defaults.
struct SpawnLimits {
  // RLIMIT_FSIZE of the child in bytes (0: inherited). With a limit the
  // child also gets SIGXFSZ at its default disposition (terminate the
  // process) and unblocked, whatever the test runner inherited, as a
  // process started from an ordinary shell has it: a CLI that does not
  // ignore the signal itself dies of it.
  rlim_t file_size = 0;
  // When above zero, the child is killed (SIGKILL) if it has not exited
  // this long after it started, and CliRun::exit is -2.
  std::chrono::milliseconds deadline{0};
};

// Runs the CLI with args in directory cwd, with TOEGANG_DB set to env_db
// (or removed from the environment when nullopt); stdout and stderr go to
// files in cwd.
inline CliRun Spawn(const std::vector<std::string>& args,
                    const std::string& cwd,
                    const std::optional<std::string>& env_db,
                    const SpawnLimits& limits = {}) {
  CliRun run;
  run.command = "toegang";
  for (const std::string& a : args) run.command += " " + a;
  static int counter = 0;
  const std::string out_path = fmt::format("{}/.out{}", cwd, counter);
  const std::string err_path = fmt::format("{}/.err{}", cwd, counter);
  ++counter;

  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "TOEGANG_DB=", 11) != 0) env.emplace_back(*e);
  }
  if (env_db) env.push_back("TOEGANG_DB=" + *env_db);
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  std::vector<std::string> argv_s = {TOEGANG_CLI_PATH};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  if (limits.file_size > 0) {
    // fork + exec: posix_spawn cannot set a resource limit. Between the
    // two the child makes only async-signal-safe calls.
    pid = ::fork();
    if (pid < 0) {
      ADD_FAILURE() << "fork: " << std::strerror(errno);
      return run;
    }
    if (pid == 0) {
      struct sigaction dfl {};
      dfl.sa_handler = SIG_DFL;
      ::sigemptyset(&dfl.sa_mask);
      ::sigaction(SIGXFSZ, &dfl, nullptr);
      sigset_t xfsz;
      ::sigemptyset(&xfsz);
      ::sigaddset(&xfsz, SIGXFSZ);
      ::sigprocmask(SIG_UNBLOCK, &xfsz, nullptr);
      const rlimit limit{limits.file_size, limits.file_size};
      const int in = ::open("/dev/null", O_RDONLY);
      const int out =
          ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err =
          ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (in < 0 || out < 0 || err < 0 || ::dup2(in, STDIN_FILENO) < 0 ||
          ::dup2(out, STDOUT_FILENO) < 0 || ::dup2(err, STDERR_FILENO) < 0 ||
          ::chdir(cwd.c_str()) != 0 || ::setrlimit(RLIMIT_FSIZE, &limit) != 0) {
        ::_exit(127);
      }
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
  } else {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                     O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    const int rc =
        posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      ADD_FAILURE() << "posix_spawn " << TOEGANG_CLI_PATH << ": "
                    << std::strerror(rc);
      return run;
    }
  }
  int status = 0;
  pid_t done = 0;
  if (limits.deadline.count() > 0) {
    const auto until = std::chrono::steady_clock::now() + limits.deadline;
    while ((done = ::waitpid(pid, &status, WNOHANG)) == 0 &&
           std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  if (done == 0 && limits.deadline.count() > 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    run.exit = -2;
  } else {
    if (done == 0) ::waitpid(pid, &status, 0);
    run.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  run.out = ReadFile(out_path);
  run.err = ReadFile(err_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return run;
}

inline std::string Describe(const CliRun& r) {
  return fmt::format("$ {}\nexit {}\nstdout: {}\nstderr: {}", r.command, r.exit,
                     r.out, r.err);
}

// The one JSON object a --json run printed: the whole of stdout must be
// exactly one object on one line.
inline json OneObject(const CliRun& r) {
  json j = json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << "not one JSON value\n" << Describe(r);
  EXPECT_TRUE(j.is_object()) << Describe(r);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << Describe(r);
  return j.is_discarded() ? json::object() : j;
}

// An error object: {"error": CODE, "message": TEXT, ...}.
inline void ExpectError(const CliRun& r, int exit, const std::string& code) {
  EXPECT_EQ(r.exit, exit) << Describe(r);
  json j = OneObject(r);
  ASSERT_TRUE(j.contains("error")) << Describe(r);
  ASSERT_TRUE(j["error"].is_string()) << Describe(r);
  EXPECT_EQ(j["error"], code) << Describe(r);
  ASSERT_TRUE(j.contains("message")) << Describe(r);
  ASSERT_TRUE(j["message"].is_string());
  EXPECT_FALSE(j["message"].get<std::string>().empty());
}

}  // namespace toegang::testing

#endif  // TOEGANG_TESTS_CLI_RUNNER_H_
