// CheckIndex on its own: grants move between the inline slot and a spill
// list and back, the table grows, persons move from the shared base into a
// copy's own table, and every answer matches a plain model of the same
// rights kept beside it.
#include "check/check_index.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
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

// A plain model of the rights and subafdelingen, answering like the index.
struct PlainModel {
  std::set<std::tuple<uint64_t, uint32_t, unsigned>> rights;
  std::map<uint32_t, std::pair<uint32_t, uint32_t>> subs;  // grants, facility

  bool Allowed(uint64_t p, unsigned app, uint32_t facility) const {
    for (const auto& [person, sub, a] : rights) {
      const auto& [grants, at] = subs.at(sub);
      if (person == p && a == app && ((grants >> app) & 1U) &&
          (facility == CheckIndex::kAnyFacility || at == facility)) {
        return true;
      }
    }
    return false;
  }
  size_t RightsOf(uint64_t p) const {
    size_t n = 0;
    for (const auto& r : rights) n += std::get<0>(r) == p ? 1 : 0;
    return n;
  }
};

size_t RightsHeld(const CheckIndex& index, uint64_t p) {
  size_t held = 0;
  for (const CheckIndex::Grant& g : index.GrantsOf(p)) {
    held += static_cast<size_t>(__builtin_popcount(g.apps));
  }
  return held;
}

// 20000 random changes, each followed by a check against the plain model.
// With compact_every > 0 the index is compacted that often, and a copy
// taken halfway must keep answering as the model did then.
void RunRandomChanges(int compact_every) {
  CheckIndex index;
  PlainModel model;
  std::mt19937_64 rng(42);
  const uint32_t kSubs = 40;
  for (uint32_t s = 0; s < kSubs; ++s) {
    model.subs[s] = {static_cast<uint32_t>(rng() % 4), s % 9};
    index.SetSubafdeling(s, model.subs[s].first, model.subs[s].second);
  }
  std::optional<CheckIndex> copy;
  PlainModel at_copy;
  // Few persons with many subafdelingen each, so grant lists spill over
  // and come back inline; many persons, so the table grows.
  for (int step = 0; step < 20000; ++step) {
    if (compact_every > 0 && step % compact_every == compact_every - 1) {
      index.Compact();
      ASSERT_EQ(index.own_persons(), 0u);
    }
    if (compact_every > 0 && step == 10000) {
      copy.emplace(index);
      at_copy = model;
      EXPECT_TRUE(copy->SharesBaseWith(index));
    }
    const uint64_t p = 1 + rng() % (step < 10000 ? 5 : 3000);
    const uint32_t sub = static_cast<uint32_t>(rng() % kSubs);
    const unsigned app = static_cast<unsigned>(rng() % 2);
    switch (rng() % 4) {
      case 0:
      case 1:
        index.AddRight(p, sub, app);
        model.rights.emplace(p, sub, app);
        break;
      case 2:
        index.RemoveRight(p, sub, app);
        model.rights.erase({p, sub, app});
        break;
      default: {
        const uint32_t s = static_cast<uint32_t>(rng() % kSubs);
        model.subs[s].first = static_cast<uint32_t>(rng() % 4);
        index.SetSubafdeling(s, model.subs[s].first, model.subs[s].second);
      }
    }
    const uint32_t facility = rng() % 3 == 0 ? CheckIndex::kAnyFacility
                                             : static_cast<uint32_t>(rng() % 9);
    ASSERT_EQ(index.Allowed(p, app, facility), model.Allowed(p, app, facility))
        << "step " << step;
  }
  EXPECT_EQ(index.grants(), model.rights.size());
  for (uint64_t p = 1; p <= 3000; ++p) {
    ASSERT_EQ(RightsHeld(index, p), model.RightsOf(p)) << p;
  }
  if (copy) {
    EXPECT_FALSE(copy->SharesBaseWith(index));  // compacted since
    EXPECT_EQ(copy->grants(), at_copy.rights.size());
    for (uint64_t p = 1; p <= 5; ++p) {
      EXPECT_EQ(RightsHeld(*copy, p), at_copy.RightsOf(p)) << p;
      for (unsigned app = 0; app < 2; ++app) {
        EXPECT_EQ(copy->Allowed(p, app, CheckIndex::kAnyFacility),
                  at_copy.Allowed(p, app, CheckIndex::kAnyFacility));
      }
    }
  }
}

TEST(CheckIndexTest, MatchesAPlainModelUnderRandomChanges) {
  RunRandomChanges(/*compact_every=*/0);
}

TEST(CheckIndexTest, MatchesAPlainModelAcrossCompactionsAndCopies) {
  RunRandomChanges(/*compact_every=*/1700);
}

TEST(CheckIndexTest, AChangedPersonLeavesTheSharedBaseAlone) {
  CheckIndex index;
  index.SetSubafdeling(0, 0b1, 1);
  index.SetSubafdeling(1, 0b1, 2);
  const uint64_t p = 85073003328, q = 71010100149;
  for (uint32_t sub = 0; sub < 2; ++sub) index.AddRight(p, sub, 0);
  index.AddRight(q, 0, 0);
  index.Compact();
  const CheckIndex twin = index;
  ASSERT_TRUE(twin.SharesBaseWith(index));
  index.RemoveRight(p, 1, 0);
  index.RemoveRight(q, 1, 0);  // q holds nothing there: not copied
  EXPECT_EQ(index.own_persons(), 1u);
  EXPECT_FALSE(index.Allowed(p, 0, 2));
  EXPECT_TRUE(twin.Allowed(p, 0, 2));
  EXPECT_EQ(index.persons(), 2u);
  EXPECT_EQ(index.grants(), 2u);
  EXPECT_EQ(twin.grants(), 3u);
  // The flat view (what a snapshot writes) merges the change in.
  CheckIndex::Packed scratch;
  const CheckIndex::Packed& flat = index.Flat(&scratch);
  const CheckIndex::PackedSlot* s = flat.Find(p);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(flat.Grants(*s).count, 1u);
  EXPECT_EQ(flat.persons(), 2u);
  EXPECT_EQ(&twin.Flat(&scratch), &twin.Flat(nullptr));  // the base itself
}

// The packed base on its own: every person is found with its grants, no
// other key is, each person lies at or after its home with the homes in
// order and its further grants in the slots after it (what a lookup relies
// on), and a person left without rights keeps its place (persons() does
// not count it twice when it comes back).
TEST(CheckIndexTest, ThePackedBaseFindsEveryPersonAndNobodyElse) {
  CheckIndex index;
  for (uint32_t s = 0; s < 8; ++s) index.SetSubafdeling(s, 0b111, s);
  std::mt19937_64 rng(7);
  std::map<uint64_t, size_t> held;  // INSZ-like key -> grants (subs)
  while (held.size() < 5000) {
    const uint64_t insz = 10000000000ULL + rng() % 89999999999ULL;
    const size_t n = held.size() % 10 == 0 ? 4 : held.size() % 3 == 0 ? 2 : 1;
    for (uint32_t s = 0; s < n; ++s) index.AddRight(insz, s, 0);
    held[insz] = n;
  }
  const uint64_t gone = held.begin()->first;  // all its rights removed
  for (uint32_t s = 0; s < held[gone]; ++s) index.RemoveRight(gone, s, 0);
  held[gone] = 0;
  index.Compact();
  ASSERT_EQ(index.own_persons(), 0u);
  CheckIndex::Packed unused;
  const CheckIndex::Packed& base = index.Flat(&unused);
  EXPECT_EQ(base.persons(), held.size());
  EXPECT_EQ(index.persons(), held.size());
  for (const auto& [insz, n] : held) {
    const CheckIndex::PackedSlot* s = base.Find(insz);
    ASSERT_NE(s, nullptr) << insz;
    ASSERT_EQ(base.Grants(*s).count, n) << insz;
    EXPECT_EQ(index.Allowed(insz, 0, 3), n == 4) << insz;
  }
  for (int i = 0; i < 20000; ++i) {
    const uint64_t other = 10000000000ULL + rng() % 89999999999ULL;
    if (held.count(other) == 0) {
      ASSERT_EQ(base.Find(other), nullptr) << other;
    }
  }
  EXPECT_EQ(base.Find(0), nullptr);
  size_t last_home = 0, continuations = 0;
  for (size_t i = 0; i < base.slots().size(); ++i) {
    const uint64_t key = base.slots()[i].key;
    if (key == 0) continue;
    if (key == check_layout::kContinuation) {
      ++continuations;
      continue;
    }
    const size_t home =
        check_layout::Home(key & check_layout::kInszMask, base.homes());
    ASSERT_LE(home, i);
    ASSERT_GE(home, last_home);
    last_home = home;
    // The person's further grants follow it.
    const uint64_t count = key >> check_layout::kCountShift;
    for (uint64_t k = 1; k < count; ++k) {
      ASSERT_EQ(base.slots()[i + k].key, check_layout::kContinuation);
    }
  }
  // 500 persons with 4 grants, about 1500 with 2.
  EXPECT_GT(continuations, 1500u + 1400u);
  EXPECT_EQ(base.slots().back().key, 0u);
  EXPECT_LE(base.slots().size(), base.homes() + 64);  // a short tail
  index.AddRight(gone, 5, 1);
  EXPECT_EQ(index.persons(), held.size());
  EXPECT_TRUE(index.Allowed(gone, 1, 5));
}

}  // namespace
}  // namespace toegang
