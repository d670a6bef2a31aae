// Queries from several threads while one thread mutates, and while
// another process writes to the same file: every answer is consistent and
// no reader sees the revision go backwards. Run under ThreadSanitizer by
// `make test-tsan`, which catches data races that a plain run would not
// show.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/test_federation.h"

namespace toegang::testing {
namespace {

constexpr int kReaders = 3;
constexpr int kWrites = 40;

// In a forked child: opens a one-shot engine on path and waits for the
// parent's go byte on go_fd; leaves the child (exit 10, 11) on failure.
// One-shot, so the engine starts no thread of its own (no background copy,
// no snapshot writer) and stays the single-threaded writer it is meant to
// be, also when the child leaves by _exit.
std::unique_ptr<Engine> ChildWriterEngine(const std::string& path, int go_fd) {
  OpenOptions single_threaded;
  single_threaded.mode = OpenMode::kOneShot;
  Result<std::unique_ptr<Engine>> e = Engine::Open(path, single_threaded);
  if (!e.ok()) ::_exit(10);
  char byte = 0;
  if (::read(go_fd, &byte, 1) != 1) ::_exit(11);
  return std::move(e).value();
}

// kReaders threads query `engine` while one thread flips kUser2's right
// kWrites times through it; every answer must be consistent.
void ReadersWhileOneThreadWrites(Engine& engine) {
  const uint64_t start = engine.revision();
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};

  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&] {
      uint64_t last = 0;
      while (!done.load()) {
        // kUser1's access never changes during the run.
        Result<Decision> d = engine.Check(kUser1, "ama-wvg");
        if (!d.ok() || !d->allowed || d->facilities.size() != 1 ||
            d->revision < last) {
          ++failures;
        }
        if (d.ok()) last = d->revision;
        // kUser2's right flips; whatever the answer, it is well-formed.
        Result<Decision> flip = engine.Check(kUser2, "ama-wvg");
        if (!flip.ok() || flip->allowed != !flip->facilities.empty()) {
          ++failures;
        }
        Result<Page<AccessEntry>> a = engine.Access(kUser1, {});
        if (!a.ok() || a->items.size() != 1) ++failures;
        Result<Explanation> e =
            engine.Explain(kUser2, "ama-wvg", "", Lang::kEn);
        if (!e.ok() || (!e->allowed && e->reason != "right_missing")) {
          ++failures;
        }
      }
    });
  }

  std::thread writer([&] {
    for (int i = 0; i < kWrites; ++i) {
      Action a = i % 2 == 0 ? Action::kGrantRight : Action::kRevokeRight;
      Result<CommitInfo> r = engine.Apply(
          M(a, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2).App("ama-wvg"));
      if (!r.ok()) ++failures;
    }
    done = true;
  });
  writer.join();
  for (std::thread& t : readers) t.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(engine.revision(), start + kWrites);
  Result<bool> flipped = engine.Allowed(kUser2, "ama-wvg");
  ASSERT_TRUE(flipped.ok());
  EXPECT_FALSE(*flipped);  // an even number of flips: revoked
  Result<std::vector<std::string>> problems = engine.Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
}

TEST(ConcurrencyTest, ReadersSeeConsistentAnswersWhileOneThreadWrites) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.MustApply(M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2));
  ReadersWhileOneThreadWrites(fed.engine());
}

// The same while the writer folds the overlays into new bases every few
// commits (OpenOptions::compact_after_changes): each compaction replaces
// both model instances, the one the readers are in last.
TEST(ConcurrencyTest, ReadersSeeConsistentAnswersWhileTheWriterCompacts) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.MustApply(M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2));
  OpenOptions o;
  o.compact_after_changes = 2;
  Result<std::unique_ptr<Engine>> e = Engine::Open(fed.db_path(), o);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  ReadersWhileOneThreadWrites(**e);
  Result<Stats> stats = (*e)->GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_GT(stats->compactions, kWrites / 4u);
}

// A second process (forked before any thread starts, so that it is a plain
// single-threaded writer) commits to the same file while this process's
// readers query and its writer commits: this process's writer catches up
// with the other's commits before each of its own (a reload of the model
// while readers run), and in the end both processes' changes are there.
TEST(ConcurrencyTest, ReadersWhileThisProcessAndAnotherProcessWrite) {
  constexpr int kOtherWrites = 30;
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.MustApply(M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2));
  fed.MustApply(M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kOutsider));
  const uint64_t start = fed.engine().revision();

  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // The other process: flips kOutsider's right kOtherWrites times.
    ::close(go[1]);
    std::unique_ptr<Engine> other = ChildWriterEngine(fed.db_path(), go[0]);
    for (int i = 0; i < kOtherWrites; ++i) {
      Action a = i % 2 == 0 ? Action::kGrantRight : Action::kRevokeRight;
      Result<CommitInfo> r = other->Apply(
          M(a, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kOutsider).App("ama-wvg"));
      if (!r.ok()) ::_exit(12);
    }
    ::_exit(0);
  }
  ::close(go[0]);

  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&] {
      uint64_t last = 0;
      while (!done.load()) {
        Result<Decision> d = fed.engine().Check(kUser1, "ama-wvg");
        if (!d.ok() || !d->allowed || d->revision < last) ++failures;
        if (d.ok()) last = d->revision;
        for (const char* who : {kUser2, kOutsider}) {
          Result<Decision> flip = fed.engine().Check(who, "ama-wvg");
          if (!flip.ok() || flip->allowed != !flip->facilities.empty()) {
            ++failures;
          }
        }
        Result<Page<UserEntry>> users = fed.engine().Users(kHcoOcmw, "", {});
        if (!users.ok() || users->items.empty()) ++failures;
      }
    });
  }
  ASSERT_EQ(::write(go[1], "g", 1), 1);
  ::close(go[1]);
  int writer_failures = 0;
  for (int i = 0; i < kWrites; ++i) {
    Action a = i % 2 == 0 ? Action::kGrantRight : Action::kRevokeRight;
    Result<CommitInfo> r = fed.engine().Apply(
        M(a, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2).App("ama-wvg"));
    if (!r.ok()) {
      ++writer_failures;
      ADD_FAILURE() << r.status().ToString();
    }
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  // This process's readers go on while it catches up with the last of
  // the other's commits.
  ASSERT_TRUE(fed.engine()
                  .CatchUp(start + kWrites + kOtherWrites,
                           std::chrono::milliseconds(5000))
                  .ok());
  done = true;
  for (std::thread& t : readers) t.join();

  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the other process failed, status " << status;
  EXPECT_EQ(writer_failures, 0);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(fed.engine().revision(), start + kWrites + kOtherWrites);
  EXPECT_FALSE(fed.Allowed(kUser2));  // an even number of flips each
  EXPECT_FALSE(fed.Allowed(kOutsider));
  Result<std::vector<std::string>> problems = fed.engine().Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
}

// Three processes write to the same file as fast as they can. None may
// give up: a writer plans under the database's write lock, so another
// process's commits can delay it but never make it plan again and again.
// Every flip of every process is in the change log, and each engine ends
// equal to the file.
TEST(ConcurrencyTest, WritersInThreeProcessesAllCommit) {
  constexpr int kFlips = 120;
  TestFederation fed;
  fed.BuildOcmwChain();
  const char* const users[] = {kUser2, kOutsider, kUser3};
  for (const char* u : users) {
    fed.MustApply(M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(u));
  }
  const uint64_t start = fed.engine().revision();

  auto flip = [&](Engine& engine, const char* who) {
    int failed = 0;
    for (int i = 0; i < kFlips; ++i) {
      Action a = i % 2 == 0 ? Action::kGrantRight : Action::kRevokeRight;
      Result<CommitInfo> r =
          engine.Apply(M(a, kEmp2Ocmw).Hco(kHcoOcmw).Insz(who).App("ama-wvg"));
      if (!r.ok()) ++failed;
    }
    return failed;
  };
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  std::vector<pid_t> children;
  for (int c = 1; c <= 2; ++c) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(go[1]);
      std::unique_ptr<Engine> other = ChildWriterEngine(fed.db_path(), go[0]);
      ::_exit(flip(*other, users[c]) == 0 ? 0 : 12);
    }
    children.push_back(pid);
  }
  ::close(go[0]);
  ASSERT_EQ(::write(go[1], "gg", 2), 2);
  ::close(go[1]);
  EXPECT_EQ(flip(fed.engine(), users[0]), 0);
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "a writer process failed, status " << status;
  }
  ASSERT_TRUE(fed.engine()
                  .CatchUp(start + 3 * kFlips, std::chrono::milliseconds(5000))
                  .ok());
  EXPECT_EQ(fed.engine().revision(), start + 3 * kFlips);
  for (const char* u : users) EXPECT_FALSE(fed.Allowed(u)) << u;
  Result<std::vector<std::string>> problems = fed.engine().Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
}

}  // namespace
}  // namespace toegang::testing
