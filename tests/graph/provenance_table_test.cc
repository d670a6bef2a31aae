// ProvenanceTable: one number per distinct value, numbers that never
// change, copies that share the base and keep their own additions.
#include "graph/provenance_table.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace toegang {
namespace {

TEST(ProvenanceTableTest, EqualValuesShareANumberAndReadBack) {
  ProvenanceTable t;
  const Provenance a{85073003328, 7, 1764400000};
  const Provenance b{85073003328, 8, 1764400000};
  const uint64_t na = t.Intern(a);
  EXPECT_EQ(t.Intern(b), na + 1);
  EXPECT_EQ(t.Intern(a), na);  // not the last one interned
  EXPECT_EQ(t.Intern(Provenance{85073003328, 7, 1764400001}), na + 2);
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t[na], a);
  EXPECT_EQ(t[na + 1], b);
}

TEST(ProvenanceTableTest, NumbersSurviveCompactionAndCopiesKeepTheirOwn) {
  ProvenanceTable t;
  std::mt19937_64 rng(7);
  std::vector<std::pair<uint64_t, Provenance>> seen;
  auto random_value = [&] {
    return Provenance{rng() % 5, rng() % 50, static_cast<int64_t>(rng() % 3)};
  };
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 300; ++i) {
      const Provenance p = random_value();
      seen.emplace_back(t.Intern(p), p);
    }
    t.Compact();
    EXPECT_EQ(t.own_size(), 0u);
  }
  for (const auto& [number, value] : seen) ASSERT_EQ(t[number], value);

  ProvenanceTable copy = t;
  EXPECT_TRUE(copy.SharesBaseWith(t));
  const Provenance fresh{99, 1000, -1};
  const uint64_t in_copy = copy.Intern(fresh);
  const uint64_t in_t = t.Intern(Provenance{98, 1001, -2});
  EXPECT_EQ(in_copy, in_t);  // the same next number, different values
  EXPECT_EQ(copy[in_copy], fresh);
  EXPECT_EQ(t[in_t].by, 98u);
  t.Compact();
  EXPECT_FALSE(copy.SharesBaseWith(t));
  EXPECT_EQ(copy[in_copy], fresh);
  for (const auto& [number, value] : seen) ASSERT_EQ(copy[number], value);
}

}  // namespace
}  // namespace toegang
