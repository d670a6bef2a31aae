// The read path of SPEC 5 (Concurrency), shown by behaviour, not timings:
// readers are not held up by a writer, a commit is visible to every query
// that starts after it returns, another process's commit is picked up from
// the change log, and an engine after a long run of mutations (its own and
// another's) equals one freshly loaded from the same database.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "base/left_right.h"
#include "support/eventually.h"
#include "support/test_federation.h"

namespace toegang::testing {
namespace {

using std::chrono::milliseconds;

// Runs the CLI in a child process; returns its exit code.
int RunCli(const std::vector<std::string>& args) {
  std::string cmd = ShellQuote(TOEGANG_CLI_PATH);
  for (const std::string& a : args) cmd += " " + ShellQuote(a);
  cmd += " >/dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// A second engine on fed's database that follows the change log this
// often (a gateway beside the CLI); nullptr (and a failure) if it fails.
std::unique_ptr<Engine> OpenFollower(TestFederation& fed,
                                     milliseconds interval) {
  OpenOptions o;
  o.mode = OpenMode::kFollower;
  o.follow_interval = interval;
  Result<std::unique_ptr<Engine>> opened = Engine::Open(fed.db_path(), o);
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  return opened.ok() ? std::move(opened).value() : nullptr;
}

TEST(LeftRightTest, ReadersGoOnWhileTheWriterIsInsideAChange) {
  LeftRight<int> lr(0);
  std::atomic<bool> inside{false}, release{false}, written{false};
  std::thread writer([&] {
    bool first = true;
    lr.Write([&](int& v) {
      if (first) {  // the change to the instance no reader reads
        first = false;
        inside = true;
        while (!release.load()) std::this_thread::yield();
      }
      v = 1;
    });
    written = true;
  });
  while (!inside.load()) std::this_thread::yield();
  // The writer is stuck inside its change; reads still complete, and see
  // the state before it.
  for (int i = 0; i < 10000; ++i) {
    ASSERT_EQ(lr.Read([](const int& v) { return v; }), 0);
  }
  EXPECT_FALSE(written.load());
  release = true;
  writer.join();
  EXPECT_EQ(lr.Read([](const int& v) { return v; }), 1);
  EXPECT_EQ(lr.WriterView(), 1);
}

TEST(LeftRightTest, ManyReadersNeverSeeAHalfWrittenPair) {
  // Each write changes both halves of a pair; a reader that ever saw them
  // differ would have read an instance being written.
  LeftRight<std::pair<int, int>> lr(std::make_pair(0, 0));
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        lr.Read([&](const std::pair<int, int>& p) {
          if (p.first != p.second) ++torn;
          return 0;
        });
      }
    });
  }
  for (int i = 1; i <= 2000; ++i) {
    lr.Write([&](std::pair<int, int>& p) {
      p.first = i;
      p.second = i;
    });
  }
  done = true;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(lr.Read([](const auto& p) { return p.first; }), 2000);
}

TEST(LeftRightTest, AWaiterReturnsOnlyOnceEveryReaderHasLeft) {
  ReaderCount count;
  count.WaitUntilZero();  // nobody inside: returns at once
  std::atomic<bool> entered{false}, leave{false}, waited{false};
  std::thread reader([&] {
    const ReaderCount::Inside inside = count.Enter();
    entered = true;
    while (!leave.load()) std::this_thread::yield();
  });
  while (!entered.load()) std::this_thread::yield();
  // The waiter says when it is about to sleep because the reader is still
  // inside: from then on it is held, and this thread can tell a waiter
  // that returned (wrongly) from one that waits, without a timeout.
  std::atomic<bool> held{false};
  std::thread waiter([&] {
    count.WaitUntilZero([&] { held = true; });
    waited = true;
  });
  while (!held.load() && !waited.load()) std::this_thread::yield();
  EXPECT_FALSE(waited.load()) << "returned with a reader inside";
  EXPECT_TRUE(held.load());
  leave = true;
  reader.join();
  waiter.join();
  EXPECT_TRUE(waited.load());
}

TEST(LeftRightTest, ThreadsAliveTogetherNeverShareAStripe) {
  // A long-lived reader (this thread) and, one after the other, many
  // short-lived ones, as a gateway's pool replaces its threads: each new
  // thread must announce itself on a line of its own. Stripes handed out
  // round robin put the 32nd of them on this thread's stripe.
  using left_right_detail::kStripes;
  using left_right_detail::ThisThreadsStripe;
  const size_t mine = ThisThreadsStripe();
  for (size_t i = 0; i < 3 * kStripes; ++i) {
    size_t theirs = kStripes;
    std::thread([&] { theirs = ThisThreadsStripe(); }).join();
    ASSERT_LT(theirs, kStripes);
    ASSERT_NE(theirs, mine) << "thread " << i;
  }
  // Threads alive together (fewer than kStripes) all differ.
  constexpr size_t kAlive = 8;
  std::vector<size_t> stripes(kAlive, kStripes);
  std::atomic<size_t> arrived{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> alive;
  for (size_t t = 0; t < kAlive; ++t) {
    alive.emplace_back([&, t] {
      stripes[t] = ThisThreadsStripe();
      ++arrived;
      while (!go.load()) std::this_thread::yield();
    });
  }
  while (arrived.load() < kAlive) std::this_thread::yield();
  go = true;
  for (std::thread& t : alive) t.join();
  stripes.push_back(mine);
  std::sort(stripes.begin(), stripes.end());
  EXPECT_EQ(std::adjacent_find(stripes.begin(), stripes.end()), stripes.end());
  EXPECT_LT(stripes.back(), kStripes);
}

TEST(ReadPathTest, QueriesAnswerWhileAMutationWaitsForTheDatabase) {
  TestFederation fed;
  fed.BuildOcmwChain();
  // Another connection holds the database's write lock, so the next
  // mutation is stuck inside Apply (holding the engine's writer side).
  SQLite::Database other(fed.db_path(), SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  std::atomic<bool> applied{false};
  std::thread writer([&] {
    Result<CommitInfo> r = fed.engine().Apply(M(Action::kGrantRight, kEmp2Ocmw)
                                                  .Hco(kHcoOcmw)
                                                  .Insz(kUser1)
                                                  .App("vipa"));
    // vipa is not authorized at 12345: refused, after the lock is gone.
    EXPECT_FALSE(r.ok());
    applied = true;
  });
  int answered = 0;
  for (int i = 0; i < 2000; ++i) {
    Result<Decision> d = fed.engine().Check(kUser1, "ama-wvg");
    ASSERT_TRUE(d.ok());
    EXPECT_TRUE(d->allowed);
    Result<Explanation> e =
        fed.engine().Explain(kUser1, "vipa", kHcoOcmw, Lang::kEn);
    ASSERT_TRUE(e.ok());
    ++answered;
  }
  // The writer could not have finished: the database is still locked.
  EXPECT_FALSE(applied.load());
  EXPECT_EQ(answered, 2000);
  other.exec("ROLLBACK");
  writer.join();
  EXPECT_TRUE(applied.load());
}

TEST(ReadPathTest, TheFollowerDoesNotQueueBehindAWriter) {
  TestFederation fed;
  fed.BuildOcmwChain();
  std::unique_ptr<Engine> follower = OpenFollower(fed, milliseconds(2));
  ASSERT_NE(follower, nullptr);
  Engine& gateway = *follower;
  ASSERT_TRUE(gateway.Check(kUser1, "ama-wvg")->allowed);
  // A mutation stuck on the database's write lock holds the gateway's
  // writer lock.
  SQLite::Database other(fed.db_path(), SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  std::atomic<bool> applied{false};
  std::thread writer([&] {
    Result<CommitInfo> r = gateway.Apply(M(Action::kRevokeRight, kEmp2Ocmw)
                                             .Hco(kHcoOcmw)
                                             .Insz(kUser1)
                                             .App("ama-wvg"));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    applied = true;
  });
  // The follower goes on looking (and leaves the looks to the writer)
  // instead of waiting for the lock.
  const uint64_t skipped = gateway.follow_state().skipped;
  EXPECT_TRUE(Eventually(
      [&] { return gateway.follow_state().skipped >= skipped + 3; }));
  EXPECT_FALSE(applied.load());
  other.exec("ROLLBACK");
  writer.join();
  ASSERT_TRUE(applied.load());
  EXPECT_FALSE(gateway.Check(kUser1, "ama-wvg")->allowed);
  // With the writer gone, the follower picks up another process's commit.
  ASSERT_EQ(RunCli({"--db", fed.db_path(), "user", "grant", "--hco", kHcoOcmw,
                    "--insz", kUser1, "--right", "ama-wvg", "--by", kEmp2Ocmw}),
            0);
  EXPECT_TRUE(
      Eventually([&] { return gateway.Check(kUser1, "ama-wvg")->allowed; }));
}

TEST(ReadPathTest, ACommitIsVisibleToEveryQueryStartedAfterItReturns) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.MustApply(M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2));
  for (int i = 0; i < 200; ++i) {
    const bool grant = i % 2 == 0;
    Result<CommitInfo> r = fed.engine().Apply(
        M(grant ? Action::kGrantRight : Action::kRevokeRight, kEmp2Ocmw)
            .Hco(kHcoOcmw)
            .Insz(kUser2)
            .App("ama-wvg"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    // Asked from another thread, after Apply returned.
    Decision d = std::async(std::launch::async, [&] {
                   return fed.engine().Check(kUser2, "ama-wvg").value();
                 }).get();
    ASSERT_EQ(d.allowed, grant) << "after commit " << r->revision;
    ASSERT_GE(d.revision, r->revision);
    bool allowed = true;
    Result<bool> a = fed.engine().Allowed(kUser2, "ama-wvg", kHcoOcmw);
    ASSERT_TRUE(a.ok());
    allowed = *a;
    ASSERT_EQ(allowed, grant);
  }
}

TEST(ReadPathTest, AnotherProcessesCommitIsReplayedFromTheChangeLog) {
  TestFederation fed;
  fed.BuildOcmwChain();
  std::unique_ptr<Engine> follower = OpenFollower(fed, milliseconds(20));
  ASSERT_NE(follower, nullptr);
  Engine& gateway = *follower;
  ASSERT_TRUE(gateway.Check(kUser1, "ama-wvg")->allowed);
  const FollowState before = gateway.follow_state();

  // The CLI, a separate process, revokes the right.
  ASSERT_EQ(RunCli({"--db", fed.db_path(), "user", "revoke", "--hco", kHcoOcmw,
                    "--insz", kUser1, "--right", "ama-wvg", "--by", kEmp2Ocmw}),
            0);
  // Only queries are made on the gateway's engine: the follower catches up.
  EXPECT_TRUE(
      Eventually([&] { return !gateway.Check(kUser1, "ama-wvg")->allowed; }));
  // The counters move just after the change is published.
  EXPECT_TRUE(Eventually(
      [&] { return gateway.follow_state().replayed == before.replayed + 1; }));
  const FollowState after = gateway.follow_state();
  EXPECT_EQ(after.replayed, before.replayed + 1);
  EXPECT_EQ(after.reloads, before.reloads);
  EXPECT_GT(after.last_catch_up_ms, 0);

  // An import is not in the change log row by row: the engine loads again.
  const std::string persons =
      fed.dir().Write("more.csv", "insz,name\n93051822361,Wendy Nieuwnaam\n");
  ASSERT_EQ(RunCli({"--db", fed.db_path(), "import", "persons", persons}), 0);
  EXPECT_TRUE(Eventually(
      [&] { return gateway.follow_state().reloads == before.reloads + 1; }));
  Result<WhoReport> who = gateway.Who(kOcmw);
  ASSERT_TRUE(who.ok());
  ASSERT_FALSE(who->legal_representatives.empty());
  EXPECT_NE(who->legal_representatives.front().name.find("Nieuwnaam"),
            std::string::npos);
  Result<std::vector<std::string>> problems = gateway.Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty()) << problems->front();
}

// With the default compaction threshold (far above this run) and with one
// so low that the second engine folds its overlays into new bases many
// times along the way; its bases in a mapped file (the default) or on the
// heap (OpenOptions::map_bases false).
class ReadPathLongRunTest
    : public ::testing::TestWithParam<std::tuple<size_t, bool>> {};
INSTANTIATE_TEST_SUITE_P(ReadPath, ReadPathLongRunTest,
                         ::testing::Values(std::tuple(0, true),
                                           std::tuple(7, true),
                                           std::tuple(7, false)));

TEST_P(ReadPathLongRunTest, ALongRunEqualsAFreshLoad) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.BuildWzcChain();
  // A second engine on the same file stands for another process; its
  // commits reach the first through the change log.
  OpenOptions options;
  const auto [compact_after, map_bases] = GetParam();
  options.compact_after_changes = compact_after;
  options.map_bases = map_bases;
  Result<std::unique_ptr<Engine>> second_open =
      Engine::Open(fed.db_path(), options);
  ASSERT_TRUE(second_open.ok());
  Engine& second = **second_open;
  // The second engine loaded a populated file: its graph is all in the
  // compact base, so the run below changes it through the overlay (base
  // edges removed, edges added), where the first engine's was built
  // change by change.
  Result<Stats> loaded = second.GetStats();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->graph_overlay_edges, 0u);
  EXPECT_EQ(loaded->overlay_persons, 0u);
  EXPECT_EQ(loaded->mapped_base_bytes > 0, map_bases);
  EXPECT_EQ(loaded->graph_base_edges, loaded->graph_edges);
  EXPECT_GT(loaded->graph_base_edges, 20u);

  struct Place {
    const char* kbo;
    const char* hco;
    const char* actor;
  };
  const std::vector<Place> places = {
      {kOcmw, kHcoOcmw, kEmpOcmw},       {kOcmw, kHcoSociaalHuis, kEmpOcmw},
      {kOcmw, kHcoOcmwClosed, kEmpOcmw}, {kWzc, kHcoWzc, kEmpWzc},
      {kWzc, kHcoWzcOost, kEmpWzc},
  };
  const std::vector<const char*> people = {kUser1, kUser2, kUser3, kOutsider,
                                           kEmp2Ocmw};
  const std::vector<const char*> apps = {"ama-wvg", "vipa"};
  const std::vector<Action> actions = {
      Action::kAddUser,           Action::kGrantRight,
      Action::kGrantRight,        Action::kRevokeRight,
      Action::kRemoveUser,        Action::kAuthorize,
      Action::kDeauthorize,       Action::kAddManager,
      Action::kRemoveManager,     Action::kCreateSubafdeling,
      Action::kRemoveSubafdeling, Action::kAddCoTb,
      Action::kRemoveCoTb};
  std::mt19937 rng(20261128);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  int committed = 0;
  for (int i = 0; i < 400; ++i) {
    const Place& p = places[pick(places.size())];
    const Action a = actions[pick(actions.size())];
    M m(a, p.actor);
    switch (a) {
      case Action::kCreateSubafdeling:
        m.Kbo(p.kbo).Hco(p.hco).Email("x@example.be").App(apps[pick(2)]);
        break;
      case Action::kAddCoTb:
      case Action::kRemoveCoTb:
        m.Kbo(p.kbo).Insz(people[pick(people.size())]);
        break;
      case Action::kAuthorize:
      case Action::kDeauthorize:
        m.Hco(p.hco).App(apps[pick(2)]);
        break;
      case Action::kRemoveSubafdeling:
        if (pick(4) != 0) continue;  // rarely: it takes everything with it
        m.Hco(p.hco);
        break;
      case Action::kGrantRight:
      case Action::kRevokeRight:
        m.Hco(p.hco).Insz(people[pick(people.size())]).App(apps[pick(2)]);
        break;
      default:
        m.Hco(p.hco).Insz(people[pick(people.size())]);
        if (a == Action::kAddUser && pick(2) == 0) m.App(apps[pick(2)]);
        break;
    }
    Engine& by = pick(3) == 0 ? second : fed.engine();
    if (by.Apply(m).ok()) ++committed;
  }
  ASSERT_GT(committed, 50);  // the run did change things

  ASSERT_TRUE(fed.engine().Refresh().ok());
  Result<std::vector<std::string>> problems = fed.engine().Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty()) << problems->front();
  ASSERT_TRUE(second.Refresh().ok());
  Result<Stats> after = second.GetStats();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->mapped_base_bytes > 0, map_bases);
  // The mapped file has no name: only the database's own files are there.
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(fed.db_path()).parent_path())) {
    EXPECT_EQ(entry.path().filename().string().rfind(".toegang-base", 0),
              std::string::npos)
        << entry.path();
  }
  if (compact_after == 0) {
    EXPECT_EQ(after->compactions, 0u);
    EXPECT_GT(after->graph_overlay_edges, 0u);
    EXPECT_GT(after->overlay_persons, 0u);
    EXPECT_LT(after->graph_base_edges, loaded->graph_base_edges);
  } else {
    // Folded again and again: what is left in the overlays is what came
    // after the last compaction.
    EXPECT_GT(after->compactions, 5u);
    EXPECT_EQ(second.follow_state().compactions, after->compactions);
    EXPECT_LT(after->graph_overlay_edges, 30u);
    EXPECT_GT(after->graph_base_edges, 20u);
  }
  problems = second.Verify();  // base, removals and overlay = a fresh load
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty()) << problems->front();

  Result<std::unique_ptr<Engine>> fresh_open = Engine::Open(fed.db_path());
  ASSERT_TRUE(fresh_open.ok());
  Engine& fresh = **fresh_open;
  ASSERT_EQ(fed.engine().revision(), fresh.revision());
  std::vector<const char*> everyone = people;
  everyone.insert(everyone.end(), {kEmpOcmw, kEmpWzc, kWvOcmw});
  int allowed = 0;
  for (const char* who : everyone) {
    for (const char* app : apps) {
      for (const std::string& hco : AllHcos()) {
        Result<Decision> mine = fed.engine().Check(who, app, hco);
        Result<Decision> theirs = fresh.Check(who, app, hco);
        Result<Decision> compacted = second.Check(who, app, hco);
        ASSERT_TRUE(mine.ok() && theirs.ok() && compacted.ok());
        EXPECT_EQ(mine->allowed, theirs->allowed)
            << who << " " << app << " @" << hco;
        EXPECT_EQ(mine->facilities, theirs->facilities);
        EXPECT_EQ(compacted->allowed, theirs->allowed);
        EXPECT_EQ(compacted->facilities, theirs->facilities);
        allowed += mine->allowed ? 1 : 0;
      }
    }
    Result<Page<AccessEntry>> a1 = fed.engine().Access(who, {});
    Result<Page<AccessEntry>> a2 = fresh.Access(who, {});
    Result<Page<AccessEntry>> a3 = second.Access(who, {});
    ASSERT_TRUE(a1.ok() && a2.ok() && a3.ok());
    EXPECT_EQ(a1->items.size(), a2->items.size());
    EXPECT_EQ(a3->items.size(), a2->items.size());
  }
  EXPECT_GT(allowed, 0);
}

// A gateway may open its database by a relative path and change its
// working directory afterwards: what the engine writes beside the
// database later (here the mapped bases of a compaction) still goes
// there, not into the new working directory: /proc, where no file can be
// made, so that bases sent there would fall back to the heap.
TEST(ReadPathTest, TheBasesStayBesideTheDatabaseWhenTheWorkingDirectoryMoves) {
  TestFederation fed;
  fed.BuildOcmwChain();
  const std::filesystem::path was = std::filesystem::current_path();
  struct Restore {
    std::filesystem::path to;
    ~Restore() { std::filesystem::current_path(to); }
  } restore{was};
  const std::filesystem::path db(fed.db_path());
  std::filesystem::current_path(db.parent_path());
  OpenOptions options;
  options.compact_after_changes = 1;
  Result<std::unique_ptr<Engine>> opened =
      Engine::Open(db.filename().string(), options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Engine& engine = **opened;
  Result<Stats> loaded = engine.GetStats();
  ASSERT_TRUE(loaded.ok());
  ASSERT_GT(loaded->mapped_base_bytes, 0u);
  std::filesystem::current_path("/proc");
  ASSERT_TRUE(
      engine.Apply(M(Action::kAddUser, kEmpOcmw).Hco(kHcoOcmw).Insz(kUser2))
          .ok());
  Result<Stats> stats = engine.GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_GT(stats->compactions, 0u);
  // The new graph base went to a mapped file too, not to the heap (the
  // person table, unchanged, keeps its base).
  EXPECT_GE(stats->mapped_base_bytes, loaded->mapped_base_bytes);
}

}  // namespace
}  // namespace toegang::testing
