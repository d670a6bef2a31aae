// Following a PostgreSQL database from other hosts: engines in
// OpenMode::kFollower wake on the commit's NOTIFY (Store::ListenForCommits)
// and replay the change rows, so a revoke made by another process (the CLI)
// is refused by every follower long before its poll would have looked; and
// a server away and back under a follower.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/cli_runner.h"
#include "support/eventually.h"
#include "support/pg_cluster.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"

namespace toegang::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// A follower whose poll comes only every minute: within the test's
// deadline only a NOTIFY can wake it.
std::unique_ptr<Engine> OpenFollower(const std::string& db) {
  OpenOptions o;
  o.mode = OpenMode::kFollower;
  o.follow_interval = std::chrono::minutes(1);
  Result<std::unique_ptr<Engine>> e = Engine::Open(db, o);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? std::move(e).value() : nullptr;
}

// Whether the engine answers `allowed` for kUser1 on ama-wvg at kHcoOcmw
// before the deadline (asked again until then).
bool AnswersBefore(Engine& engine, bool allowed,
                   steady_clock::time_point deadline) {
  return Eventually(
      [&] {
        Result<Decision> d = engine.Check(kUser1, "ama-wvg", kHcoOcmw);
        return d.ok() && d->allowed == allowed;
      },
      std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now()));
}

// A federation with the manual's chain on kOcmw in a fresh PostgreSQL
// database of the test cluster.
class PostgresFollowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    PgCluster* cluster = PgCluster::Get(&why);
    db_ = cluster == nullptr ? "" : cluster->NewDatabase();
    TOEGANG_SKIP_WITHOUT_STORE(db_, why);
    fed_ = std::make_unique<TestFederation>(db_);
    fed_->BuildOcmwChain();
  }

  std::string db_;
  std::unique_ptr<TestFederation> fed_;
};

TEST_F(PostgresFollowTest, TwoFollowersRefuseARevokeByTheCliAtOnce) {
  TestFederation& fed = *fed_;
  const std::string& db = db_;
  fed.Close();

  std::unique_ptr<Engine> a = OpenFollower(db);
  std::unique_ptr<Engine> b = OpenFollower(db);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(AnswersBefore(*a, true, steady_clock::now()));
  ASSERT_TRUE(AnswersBefore(*b, true, steady_clock::now()));

  // The right revoked by another process (the CLI): both refuse well
  // within the minute their poll would take (the target is 100 ms;
  // the deadline leaves room for a loaded machine); granted again: both
  // allow.
  for (const bool grant : {false, true}) {
    SCOPED_TRACE(grant ? "grant" : "revoke");
    CliRun cli = Spawn(
        {"--db", db, "user", grant ? "grant" : "revoke", "--hco", kHcoOcmw,
         "--insz", kUser1, "--right", "ama-wvg", "--by", kEmp2Ocmw},
        fed.dir().path(), std::nullopt);
    ASSERT_EQ(cli.exit, 0) << cli.out << cli.err;
    const steady_clock::time_point deadline =
        steady_clock::now() + std::chrono::seconds(5);
    EXPECT_TRUE(AnswersBefore(*a, grant, deadline));
    EXPECT_TRUE(AnswersBefore(*b, grant, deadline));
    EXPECT_EQ(a->revision(), b->revision());
  }
}

// PostgreSQL away and back under a running follower: it keeps answering
// from memory, says the store is unavailable, a mutation fails with
// storage_error and changes nothing; once the server is back it reconnects
// and catches up with what is committed then.
TEST_F(PostgresFollowTest, ServerRestartKeepsAnswersReportsAndCatchesUp) {
  TestFederation& fed = *fed_;
  const std::string& db = db_;
  PgCluster* cluster = PgCluster::Get(nullptr);
  const uint64_t before = fed.engine().revision();
  OpenOptions o;
  o.mode = OpenMode::kFollower;
  o.follow_interval = milliseconds(50);
  Result<std::unique_ptr<Engine>> opened = Engine::Open(db, o);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Engine& follower = **opened;
  ASSERT_TRUE(AnswersBefore(follower, true, steady_clock::now()));

  ASSERT_TRUE(cluster->StopServer());
  auto store_ok_before = [&](bool ok, steady_clock::time_point deadline) {
    return Eventually([&] { return follower.follow_state().store_ok == ok; },
                      std::chrono::duration_cast<milliseconds>(
                          deadline - steady_clock::now()));
  };
  EXPECT_TRUE(
      store_ok_before(false, steady_clock::now() + std::chrono::seconds(10)));
  EXPECT_FALSE(follower.follow_state().store_error.empty());
  EXPECT_TRUE(AnswersBefore(follower, true, steady_clock::now()));
  EXPECT_EQ(follower.revision(), before);
  Result<CommitInfo> refused =
      fed.engine().Apply(M(Action::kRevokeRight, kEmp2Ocmw)
                             .Hco(kHcoOcmw)
                             .Insz(kUser1)
                             .App("ama-wvg"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), code::kStorageError)
      << refused.status().ToString();

  ASSERT_TRUE(cluster->StartServer());
  Result<CommitInfo> revoked =
      fed.engine().Apply(M(Action::kRevokeRight, kEmp2Ocmw)
                             .Hco(kHcoOcmw)
                             .Insz(kUser1)
                             .App("ama-wvg"));
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(revoked->revision, before + 1);  // the failed one left nothing
  const steady_clock::time_point deadline =
      steady_clock::now() + std::chrono::seconds(10);
  EXPECT_TRUE(AnswersBefore(follower, false, deadline));
  EXPECT_TRUE(store_ok_before(true, deadline));
  EXPECT_EQ(follower.revision(), before + 1);
}

}  // namespace
}  // namespace toegang::testing
