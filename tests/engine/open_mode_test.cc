// OpenMode (toegang/engine.h): the modes an engine opens in answer alike,
// and a follow interval goes with OpenMode::kFollower only.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"

namespace toegang::testing {
namespace {

using std::chrono::milliseconds;

TEST(OpenModeTest, FollowIntervalGoesWithTheFollowerOnly) {
  TestFederation fed;
  struct Case {
    OpenMode mode;
    milliseconds interval;
  };
  for (const Case c : {Case{OpenMode::kFollower, milliseconds(0)},
                       Case{OpenMode::kService, milliseconds(20)},
                       Case{OpenMode::kOneShot, milliseconds(20)}}) {
    OpenOptions o;
    o.mode = c.mode;
    o.follow_interval = c.interval;
    Result<std::unique_ptr<Engine>> e = Engine::Open(fed.db_path(), o);
    ASSERT_FALSE(e.ok()) << static_cast<int>(c.mode);
    EXPECT_EQ(e.status().kind(), Status::Kind::kInvalidInput);
    EXPECT_EQ(e.status().code(), code::kUsage);
  }
}

TEST(OpenModeTest, EveryModeAnswersAndWritesTheSame) {
  for (const OpenMode mode :
       {OpenMode::kService, OpenMode::kFollower, OpenMode::kOneShot}) {
    SCOPED_TRACE(static_cast<int>(mode));
    TestFederation fed;
    fed.BuildOcmwChain();
    OpenOptions o;
    o.mode = mode;
    if (mode == OpenMode::kFollower) o.follow_interval = milliseconds(20);
    Result<std::unique_ptr<Engine>> e = Engine::Open(fed.db_path(), o);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    Result<Decision> allowed = (*e)->Check(kUser1, "ama-wvg");
    ASSERT_TRUE(allowed.ok()) << allowed.status().ToString();
    EXPECT_TRUE(allowed->allowed);
    EXPECT_EQ(allowed->facilities, std::vector<std::string>{"12345"});
    Result<bool> denied = (*e)->Allowed(kUser2, "ama-wvg");
    ASSERT_TRUE(denied.ok()) << denied.status().ToString();
    EXPECT_FALSE(*denied);
    // Every mode writes (a one-shot engine builds its second model
    // instance for the first write), and the next check sees it.
    Result<CommitInfo> added = (*e)->Apply(M(Action::kAddUser, kEmp2Ocmw)
                                               .Hco(kHcoOcmw)
                                               .Insz(kUser2)
                                               .App("ama-wvg")
                                               .m);
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    uint64_t revision = 0;
    Result<bool> now = (*e)->Allowed(kUser2, "ama-wvg", kHcoOcmw, &revision);
    ASSERT_TRUE(now.ok()) << now.status().ToString();
    EXPECT_TRUE(*now);
    EXPECT_EQ(revision, added->revision);
  }
}

}  // namespace
}  // namespace toegang::testing
