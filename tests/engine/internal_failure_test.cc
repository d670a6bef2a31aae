// No exception crosses the public API (toegang/status.h), and none ends a
// background thread: an exception inside the model (a capacity limit's
// std::length_error, std::bad_alloc) becomes a Status with code `internal`
// at every entry point (engine/guarded_engine.h, Engine::Open, the C API)
// and is recorded in the follow state on the background thread, and the
// engine goes on answering. The model throws on a test's word
// (InjectGraphFaultForTests, once, at the next vertex of one kind).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "graph/delegation_graph.h"
#include "support/cli_runner.h"
#include "support/eventually.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/toegang.h"

namespace toegang::testing {
namespace {

using std::chrono::milliseconds;

class InternalFailureTest : public ::testing::TestWithParam<GraphFault> {
 protected:
  void TearDown() override {
    InjectGraphFaultForTests(NodeKind::kPerson, GraphFault::kNone);
  }

  // The status an injected fault must come back as.
  void ExpectInternal(const Status& s, std::string_view during) const {
    EXPECT_EQ(s.code(), code::kInternal) << s.ToString();
    EXPECT_EQ(s.kind(), Status::Kind::kStorage);
    EXPECT_TRUE(s.message().starts_with(during)) << s.message();
    EXPECT_NE(s.message().find(GetParam() == GraphFault::kBadAlloc
                                   ? "out of memory"
                                   : "capacity limit"),
              std::string::npos)
        << s.message();
  }
};

INSTANTIATE_TEST_SUITE_P(Faults, InternalFailureTest,
                         ::testing::Values(GraphFault::kLengthError,
                                           GraphFault::kBadAlloc),
                         [](const ::testing::TestParamInfo<GraphFault>& p) {
                           return p.param == GraphFault::kBadAlloc
                                      ? std::string("BadAlloc")
                                      : std::string("LengthError");
                         });

TEST_P(InternalFailureTest, AMutationThatThrowsIsAStatusAndTheNextWriteSeesIt) {
  TestFederation fed;
  fed.BuildOcmwChain();
  Engine& engine = fed.engine();
  fed.MustApply(M(Action::kAppointHtb, kWvWzc).Kbo(kWzc).Insz(kEmpWzc));
  fed.MustApply(M(Action::kActivateCapacity, kEmpWzc).Kbo(kWzc));

  // The subafdeling is committed, then the model fails to add its vertex
  // (half-way through the change of one instance).
  InjectGraphFaultForTests(NodeKind::kSubafdeling, GetParam());
  Result<CommitInfo> created =
      engine.Apply(M(Action::kCreateSubafdeling, kEmpWzc)
                       .Kbo(kWzc)
                       .Hco(kHcoWzc)
                       .Email("toegang@delinde.be")
                       .App("ama-wvg"));
  ASSERT_FALSE(created.ok());
  ExpectInternal(created.status(), "apply");

  // Queries go on, on the instance the failed change never reached.
  Result<Decision> d = engine.Check(kUser1, "ama-wvg");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->allowed);

  // The next write loads the model again and finds the committed
  // subafdeling; both instances hold what the database holds.
  fed.MustApply(
      M(Action::kAddUser, kEmpWzc).Hco(kHcoWzc).Insz(kUser2).App("ama-wvg"));
  d = engine.Check(kUser2, "ama-wvg", kHcoWzc);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->allowed);
  for (int write = 0; write < 2; ++write) {  // each instance in turn
    Result<std::vector<std::string>> problems = engine.Verify();
    ASSERT_TRUE(problems.ok()) << problems.status().ToString();
    EXPECT_TRUE(problems->empty()) << problems->front();
    fed.MustApply(M(Action::kAddUser, kEmpWzc)
                      .Hco(kHcoWzc)
                      .Insz(write == 0 ? kUser3 : kOutsider));
  }
}

TEST_P(InternalFailureTest, AnOpenThatThrowsIsAStatus) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.Close();
  OpenOptions o;
  o.index_snapshot = false;  // Open loads the graph itself
  InjectGraphFaultForTests(NodeKind::kPerson, GetParam());
  Result<std::unique_ptr<Engine>> opened = Engine::Open(fed.db_path(), o);
  ASSERT_FALSE(opened.ok());
  ExpectInternal(opened.status(), "open");

  opened = Engine::Open(fed.db_path(), o);  // the fault fired once
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Result<Decision> d = (*opened)->Check(kUser1, "ama-wvg");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->allowed);
}

TEST_P(InternalFailureTest, TheCApiAnswersInternal) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.Close();
  // Without a snapshot, toegang_open loads the graph itself.
  std::filesystem::remove(fed.db_path() + "-index");
  InjectGraphFaultForTests(NodeKind::kPerson, GetParam());
  toegang_engine* handle = nullptr;
  EXPECT_EQ(toegang_open(fed.db_path().c_str(), 0, &handle), TOEGANG_INTERNAL);
  EXPECT_EQ(handle, nullptr);
  EXPECT_STREQ(toegang_last_error_code(), "internal");
  ASSERT_EQ(toegang_open(fed.db_path().c_str(), 0, &handle), TOEGANG_OK)
      << toegang_last_error();
  int allowed = 0;
  EXPECT_EQ(toegang_check(handle, kUser1, "ama-wvg", nullptr, &allowed, nullptr,
                          nullptr, 0, nullptr),
            TOEGANG_OK);
  EXPECT_EQ(allowed, 1);
  toegang_close(handle);
}

TEST_P(InternalFailureTest, AQueryThatLoadsTheGraphAndThrowsIsAStatus) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.Close();  // leaves a current index snapshot
  OpenOptions o;
  // As the CLI: a check from the snapshot, any other query from the part
  // of the federation it names, loaded for that call.
  o.mode = OpenMode::kOneShot;
  Result<std::unique_ptr<Engine>> opened = Engine::Open(fed.db_path(), o);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Engine& engine = **opened;
  Result<Decision> d = engine.Check(kUser1, "ama-wvg");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_TRUE(engine.startup().from_snapshot) << engine.startup().snapshot_note;

  InjectGraphFaultForTests(NodeKind::kPerson, GetParam());
  Result<WhoReport> who = engine.Who(kOcmw);
  ASSERT_FALSE(who.ok());
  ExpectInternal(who.status(), "who");
  d = engine.Check(kUser1, "ama-wvg");  // from the snapshot
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->allowed);

  who = engine.Who(kOcmw);  // loads its part again
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->kbo, kOcmw);
}

TEST_P(InternalFailureTest, TheBackgroundLoadRecordsItAndTriesAgain) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.Close();  // leaves a current index snapshot
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  OpenOptions o;  // a service: the graph loads in the background
  o.load_gate_for_tests = [released] { released.wait(); };
  Result<std::unique_ptr<Engine>> opened = Engine::Open(fed.db_path(), o);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Engine& service = **opened;
  ASSERT_TRUE(service.startup().from_snapshot)
      << service.startup().snapshot_note;

  InjectGraphFaultForTests(NodeKind::kPerson, GetParam());
  release.set_value();
  ASSERT_TRUE(Eventually([&] { return service.follow_state().failures > 0; },
                         std::chrono::seconds(10)));
  const FollowState failed = service.follow_state();
  EXPECT_FALSE(failed.store_ok);
  ExpectInternal(Status::Storage(code::kInternal, failed.last_error),
                 "loading the federation");
  EXPECT_EQ(failed.store_error, failed.last_error);
  // Checks answer, failing closed while the load is to be retried (or
  // already from the model, if the retry has been quick).
  Result<Decision> d = service.Check(kUser1, "ama-wvg");
  if (!d.ok()) {
    EXPECT_EQ(d.status().code(), code::kStorageError);
  }

  // The fault fired once: the retry (a second later) loads the graph.
  ASSERT_TRUE(Eventually([&] { return service.startup().model_loaded; },
                         std::chrono::seconds(10)));
  d = service.Check(kUser1, "ama-wvg");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->allowed);
  // The background thread notes the success just after the load.
  EXPECT_TRUE(Eventually([&] { return service.follow_state().store_ok; },
                         std::chrono::seconds(10)));
}

TEST_P(InternalFailureTest, TheFollowerRecordsItAndCatchesUpAtTheNextLook) {
  TestFederation fed;
  fed.BuildOcmwChain();
  OpenOptions o;
  o.index_snapshot = false;
  o.mode = OpenMode::kFollower;
  o.follow_interval = milliseconds(10);
  Result<std::unique_ptr<Engine>> opened = Engine::Open(fed.db_path(), o);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Engine& gateway = **opened;

  // Another process imports a person: an import in the change log makes
  // the follower load the federation again, and its first person throws.
  InjectGraphFaultForTests(NodeKind::kPerson, GetParam());
  const std::string persons =
      fed.dir().Write("more.csv", "insz,name\n93051822361,Wendy Nieuwnaam\n");
  const CliRun run =
      Spawn({"--db", fed.db_path(), "import", "persons", persons},
            fed.dir().path(), std::nullopt);
  ASSERT_EQ(run.exit, 0) << run.err;

  ASSERT_TRUE(Eventually([&] { return gateway.follow_state().failures > 0; },
                         std::chrono::seconds(10)));
  ExpectInternal(
      Status::Storage(code::kInternal, gateway.follow_state().last_error),
      "catching up");
  Result<Decision> d = gateway.Check(kUser1, "ama-wvg");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->allowed);

  // The next look loads the federation with the import.
  ASSERT_TRUE(Eventually([&] { return gateway.follow_state().reloads > 0; },
                         std::chrono::seconds(10)));
  Result<WhoReport> who = gateway.Who(kOcmw);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  ASSERT_FALSE(who->legal_representatives.empty());
  EXPECT_NE(who->legal_representatives.front().name.find("Nieuwnaam"),
            std::string::npos);
  // The follower notes the success just after the reload.
  EXPECT_TRUE(Eventually([&] { return gateway.follow_state().store_ok; },
                         std::chrono::seconds(10)));
}

}  // namespace
}  // namespace toegang::testing
