// CheckIndex on its own: grants move between the inline slot and a spill
// list and back, the table grows, and every answer matches a plain model
// of the same rights kept beside it.
#include "check_index.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <tuple>

namespace toegang {
namespace {

TEST(CheckIndexTest, AnswersFollowRightsAndWhatSubafdelingenGrant) {
  CheckIndex index;
  const uint64_t p = 85073003328;
  EXPECT_FALSE(index.Allowed(p, 0, CheckIndex::kAnyFacility));
  index.SetSubafdeling(3, 0b01, 7);  // grants app 0 at facility 7
  index.AddRight(p, 3, 0);
  EXPECT_TRUE(index.Allowed(p, 0, CheckIndex::kAnyFacility));
  EXPECT_TRUE(index.Allowed(p, 0, 7));
  EXPECT_FALSE(index.Allowed(p, 0, 8));  // another facility
  EXPECT_FALSE(index.Allowed(p, 1, 7));  // no right for app 1
  index.AddRight(p, 3, 1);
  EXPECT_FALSE(index.Allowed(p, 1, 7));  // the subafdeling cannot grant it
  index.SetSubafdeling(3, 0b11, 7);
  EXPECT_TRUE(index.Allowed(p, 1, 7));
  index.SetSubafdeling(3, 0, 7);  // e.g. its enterprise was stopped
  EXPECT_FALSE(index.Allowed(p, 0, CheckIndex::kAnyFacility));
  EXPECT_EQ(index.grants(), 2u);
  index.RemoveRight(p, 3, 0);
  index.RemoveRight(p, 3, 0);  // twice changes nothing more
  EXPECT_EQ(index.grants(), 1u);
  EXPECT_EQ(index.GrantsOf(p).size(), 1u);
}

TEST(CheckIndexTest, MatchesAPlainModelUnderRandomChanges) {
  CheckIndex index;
  std::set<std::tuple<uint64_t, uint32_t, unsigned>> rights;
  std::map<uint32_t, std::pair<uint32_t, uint32_t>> subs;  // grants, facility
  std::mt19937_64 rng(42);
  const uint32_t kSubs = 40;
  for (uint32_t s = 0; s < kSubs; ++s) {
    subs[s] = {static_cast<uint32_t>(rng() % 4), s % 9};
    index.SetSubafdeling(s, subs[s].first, subs[s].second);
  }
  auto expected = [&](uint64_t p, unsigned app, uint32_t facility) {
    for (const auto& [person, sub, a] : rights) {
      if (person == p && a == app && ((subs[sub].first >> app) & 1U) &&
          (facility == CheckIndex::kAnyFacility ||
           subs[sub].second == facility)) {
        return true;
      }
    }
    return false;
  };
  // Few persons with many subafdelingen each, so grant lists spill over
  // and come back inline; many persons, so the table grows.
  for (int step = 0; step < 20000; ++step) {
    const uint64_t p = 1 + rng() % (step < 10000 ? 5 : 3000);
    const uint32_t sub = static_cast<uint32_t>(rng() % kSubs);
    const unsigned app = static_cast<unsigned>(rng() % 2);
    switch (rng() % 4) {
      case 0:
      case 1:
        index.AddRight(p, sub, app);
        rights.emplace(p, sub, app);
        break;
      case 2:
        index.RemoveRight(p, sub, app);
        rights.erase({p, sub, app});
        break;
      default: {
        const uint32_t s = static_cast<uint32_t>(rng() % kSubs);
        subs[s].first = static_cast<uint32_t>(rng() % 4);
        index.SetSubafdeling(s, subs[s].first, subs[s].second);
      }
    }
    const uint32_t facility = rng() % 3 == 0 ? CheckIndex::kAnyFacility
                                             : static_cast<uint32_t>(rng() % 9);
    ASSERT_EQ(index.Allowed(p, app, facility), expected(p, app, facility))
        << "step " << step;
  }
  EXPECT_EQ(index.grants(), rights.size());
  for (uint64_t p = 1; p <= 5; ++p) {
    size_t held = 0;
    for (const CheckIndex::Grant& g : index.GrantsOf(p)) {
      held += static_cast<size_t>(__builtin_popcount(g.apps));
    }
    size_t want = 0;
    for (const auto& r : rights) want += std::get<0>(r) == p ? 1 : 0;
    EXPECT_EQ(held, want) << p;
  }
}

}  // namespace
}  // namespace toegang
