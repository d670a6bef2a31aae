// PersonTable (person_table.h): a shared base plus this copy's changes
// reads like one table, before and after compaction, and a copy's changes
// stay its own.
#include "graph/person_table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "support/test_federation.h"
namespace toegang::testing {
namespace {

constexpr uint64_t kAnn = 85073003328;
constexpr uint64_t kBob = 90042012345;
constexpr uint64_t kCas = 1010100017;

TEST(PersonTableTest, AddedPersonsMoveToTheBaseAndStayFindable) {
  PersonTable t;
  EXPECT_EQ(t.Find(kAnn), std::nullopt);
  t.Add(kAnn, 10);
  t.SetName(0, "Ann");
  t.Add(kBob, 11);
  ASSERT_NE(t.Find(kBob), std::nullopt);
  EXPECT_EQ(*t.Find(kBob), 11u);
  t.Compact();
  EXPECT_EQ(t.size(), 2u);
  ASSERT_NE(t.Find(kAnn), std::nullopt);
  EXPECT_EQ(*t.Find(kAnn), 10u);
  EXPECT_EQ(t[0].name, "Ann");
  EXPECT_EQ(t[1].insz, kBob);
  EXPECT_EQ(t[1].name, "");
  EXPECT_EQ(t.Find(kCas), std::nullopt);

  // After the compaction: one more, and a rename of a base person.
  t.Add(kCas, 12);
  t.SetName(2, "Cas");
  t.SetName(1, "Bob");
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(*t.Find(kCas), 12u);
  EXPECT_EQ(t[2].name, "Cas");
  EXPECT_EQ(t[1].name, "Bob");
  EXPECT_EQ(t[1].insz, kBob);
  t.Compact();  // a base that was not empty: merged
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(*t.Find(kAnn), 10u);
  EXPECT_EQ(*t.Find(kBob), 11u);
  EXPECT_EQ(*t.Find(kCas), 12u);
  EXPECT_EQ(t[1].name, "Bob");
  EXPECT_EQ(t[2].name, "Cas");
}

// A base whose persons are consecutive vertices (5, 6, ...: a load adds
// the enterprises first) keeps no vertex column; a person added later at
// a vertex out of that run brings the column back, for the persons before
// it too.
TEST(PersonTableTest, VerticesReadBackWhetherOrNotTheyAreConsecutive) {
  PersonTable t;
  t.Add(kAnn, 5);
  t.Add(kBob, 6);
  t.Compact();
  EXPECT_EQ(*t.Find(kAnn), 5u);
  EXPECT_EQ(*t.Find(kBob), 6u);
  t.Add(kCas, 9);  // a facility or two came between
  EXPECT_EQ(*t.Find(kCas), 9u);
  PersonTable before = t;
  t.Compact();
  EXPECT_EQ(*t.Find(kAnn), 5u);
  EXPECT_EQ(*t.Find(kBob), 6u);
  EXPECT_EQ(*t.Find(kCas), 9u);
  EXPECT_EQ(t[2].insz, kCas);
  EXPECT_EQ(*before.Find(kBob), 6u);
  EXPECT_EQ(*before.Find(kCas), 9u);
  // Back in a run: persons that all follow on need no column again.
  PersonTable run;
  run.Add(kAnn, 3);
  run.Compact();
  run.Add(kBob, 4);
  run.Add(kCas, 5);
  run.Compact();
  EXPECT_EQ(*run.Find(kAnn), 3u);
  EXPECT_EQ(*run.Find(kBob), 4u);
  EXPECT_EQ(*run.Find(kCas), 5u);
}

TEST(PersonTableTest, ACopysChangesStayItsOwn) {
  PersonTable t;
  t.Add(kAnn, 0);
  t.SetName(0, "Ann");
  t.Compact();
  PersonTable copy = t;
  copy.SetName(0, "Anna");
  copy.Add(kBob, 1);
  EXPECT_EQ(copy[0].name, "Anna");
  EXPECT_EQ(copy.size(), 2u);
  EXPECT_EQ(t[0].name, "Ann");
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(t.Find(kBob), std::nullopt);
  // Renaming back to the base's name drops the change.
  copy.SetName(0, "Ann");
  EXPECT_EQ(copy[0].name, "Ann");
}

// Random additions and renames with compactions between: every person
// reads back as a plain vector of the same changes says (the base's names
// lie end to end in one block, so an offset off by one shows).
// With the bases on the heap (false) and in a mapped file (true).
class PersonTableRandomTest : public ::testing::TestWithParam<bool> {};
INSTANTIATE_TEST_SUITE_P(Bases, PersonTableRandomTest, ::testing::Bool(),
                         HeapOrMapped);

TEST_P(PersonTableRandomTest, MatchesAPlainVectorAcrossCompactions) {
  TempDir dir;
  const FrozenStore store =
      GetParam() ? FrozenStore::InDirectory(dir.path()) : FrozenStore::Heap();
  PersonTable t;
  std::vector<std::pair<uint64_t, std::string>> want;
  std::mt19937_64 rng(11);
  for (int step = 0; step < 4000; ++step) {
    if (want.empty() || rng() % 3 == 0) {
      const uint64_t insz = 1000 + want.size();
      t.Add(insz, want.size());
      want.emplace_back(insz, "");
    } else {
      const uint32_t i = static_cast<uint32_t>(rng() % want.size());
      std::string name(rng() % 24, static_cast<char>('a' + rng() % 26));
      t.SetName(i, name);
      want[i].second = std::move(name);
    }
    if (step % 700 == 699) {
      t.Compact(store);
      EXPECT_EQ(t.mapped_base_bytes() > 0, GetParam());
    }
  }
  ASSERT_EQ(t.size(), want.size());
  for (uint32_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(t[i].insz, want[i].first) << i;
    ASSERT_EQ(t[i].name, want[i].second) << i;
    ASSERT_EQ(t.Find(want[i].first), std::optional<size_t>(i));
  }
  EXPECT_EQ(t.Find(999), std::nullopt);
  EXPECT_EQ(t.Find(1000 + want.size()), std::nullopt);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace toegang::testing
