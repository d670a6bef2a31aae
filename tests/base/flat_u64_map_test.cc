// Tests for flat_u64_map.h against std::unordered_map on the same keys.

#include "base/flat_u64_map.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <unordered_map>

namespace toegang {
namespace {

TEST(FlatU64MapTest, EmptyFindsNothing) {
  FlatU64Map<uint32_t> m;
  EXPECT_EQ(m.Find(0), nullptr);
  EXPECT_EQ(m.Find(42), nullptr);
  EXPECT_EQ(m.size(), 0U);
}

TEST(FlatU64MapTest, InsertKeepsTheFirstValue) {
  FlatU64Map<uint32_t> m;
  auto [v, inserted] = m.Insert(7, 1);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(*v, 1U);
  auto [w, again] = m.Insert(7, 2);
  EXPECT_FALSE(again);
  EXPECT_EQ(*w, 1U);
  *w = 3;  // the value may be set through the pointer
  EXPECT_EQ(*m.Find(7), 3U);
  EXPECT_EQ(m.size(), 1U);
}

TEST(FlatU64MapTest, KeyZeroIsAKeyLikeAnyOther) {
  FlatU64Map<uint32_t> m;
  EXPECT_TRUE(m.Insert(0, 5).second);
  EXPECT_FALSE(m.Insert(0, 6).second);
  ASSERT_NE(m.Find(0), nullptr);
  EXPECT_EQ(*m.Find(0), 5U);
  EXPECT_EQ(m.Find(1), nullptr);
  EXPECT_EQ(m.size(), 1U);
}

// Random keys (with repeats and colliding low bits), with and without a
// reservation, give what std::unordered_map gives.
TEST(FlatU64MapTest, MatchesUnorderedMap) {
  for (bool reserve : {false, true}) {
    std::mt19937_64 rng(reserve ? 1 : 2);
    FlatU64Map<uint64_t> m;
    if (reserve) m.Reserve(30'000);
    std::unordered_map<uint64_t, uint64_t> ref;
    for (uint64_t i = 0; i < 50'000; ++i) {
      uint64_t key = rng() % 4 == 0 ? rng() % 20'000 : rng();
      if (i % 7 == 0) key <<= 20;  // same low bits
      const bool inserted = m.Insert(key, i).second;
      EXPECT_EQ(inserted, ref.emplace(key, i).second) << key;
    }
    EXPECT_EQ(m.size(), ref.size());
    for (const auto& [key, value] : ref) {
      const uint64_t* found = m.Find(key);
      ASSERT_NE(found, nullptr) << key;
      EXPECT_EQ(*found, value);
    }
    for (int i = 0; i < 10'000; ++i) {
      const uint64_t key = rng();
      EXPECT_EQ(m.Find(key) != nullptr, ref.count(key) > 0);
    }
  }
}

TEST(FlatU64MapTest, CopiesAreIndependent) {
  FlatU64Map<uint32_t> a;
  for (uint32_t i = 1; i <= 100; ++i) a.Insert(i * 1'000'003ULL, i);
  FlatU64Map<uint32_t> b = a;
  b.Insert(5, 5);
  EXPECT_EQ(a.Find(5), nullptr);
  EXPECT_EQ(*b.Find(5), 5U);
  EXPECT_EQ(*b.Find(1'000'003ULL), 1U);
}

}  // namespace
}  // namespace toegang
