// Running a piece of a test in a forked child process: to drop the
// capabilities that let root ignore file permissions (so that a chmod
// really keeps the test from writing), without touching the test process;
// or to kill it (SIGKILL) at a moment it reports through a pipe.
#ifndef TOEGANG_TESTS_CHILD_PROCESS_H_
#define TOEGANG_TESTS_CHILD_PROCESS_H_

#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <string>

namespace toegang::testing {

// Drops the capabilities that let root ignore file permissions, so that a
// chmod 0400 file is really read-only for this process. Returns false
// when that is not possible.
inline bool DropFileCapabilities() {
  __user_cap_header_struct header{};
  header.version = _LINUX_CAPABILITY_VERSION_3;
  header.pid = 0;
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &header, data) != 0) return false;
  for (int cap : {CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER}) {
    data[cap / 32].effective &= ~(1u << (cap % 32));
    data[cap / 32].permitted &= ~(1u << (cap % 32));
  }
  return ::syscall(SYS_capset, &header, data) == 0;
}

// Runs body in a child process and returns what it wrote to its pipe.
inline std::string InChild(const std::function<std::string()>& body) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    ::close(fds[0]);
    std::string out = body();
    size_t done = 0;
    while (done < out.size()) {
      const ssize_t w = ::write(fds[1], out.data() + done, out.size() - done);
      if (w <= 0) break;
      done += static_cast<size_t>(w);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buf[512];
  for (;;) {
    const ssize_t r = ::read(fds[0], buf, sizeof buf);
    if (r <= 0) break;
    out.append(buf, static_cast<size_t>(r));
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return out;
}

// Forks a child that runs writer(the write end of a pipe) and never
// returns from it (it ends with _exit, or is killed). Returns the child's
// pid, with *read_fd the pipe's read end, which the caller closes; -1 when
// the pipe or the fork failed.
inline pid_t ForkWriter(int* read_fd, const std::function<void(int)>& writer) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    ::close(fds[0]);
    writer(fds[1]);
    ::_exit(0);
  }
  ::close(fds[1]);
  *read_fd = fds[0];
  return pid;
}

// InChild, in a process without the capabilities that bypass file
// permissions.
inline std::string InChildWithoutFileCapabilities(
    const std::function<std::string()>& body) {
  return InChild(
      [&] { return DropFileCapabilities() ? body() : "cannot drop caps"; });
}

}  // namespace toegang::testing

#endif  // TOEGANG_TESTS_CHILD_PROCESS_H_
