// PersonTable (person_table.h): a shared base plus this copy's changes
// reads like one table, before and after compaction, and a copy's changes
// stay its own.
#include "person_table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace toegang::testing {
namespace {

constexpr uint64_t kAnn = 85073003328;
constexpr uint64_t kBob = 90042012345;
constexpr uint64_t kCas = 1010100017;

TEST(PersonTableTest, AddedPersonsMoveToTheBaseAndStayFindable) {
  PersonTable t;
  EXPECT_EQ(t.Find(kAnn), nullptr);
  t.Add(kAnn, 10);
  t.SetName(0, "Ann");
  t.Add(kBob, 11);
  ASSERT_NE(t.Find(kBob), nullptr);
  EXPECT_EQ(*t.Find(kBob), 11u);
  t.Compact();
  EXPECT_EQ(t.size(), 2u);
  ASSERT_NE(t.Find(kAnn), nullptr);
  EXPECT_EQ(*t.Find(kAnn), 10u);
  EXPECT_EQ(t[0].name, "Ann");
  EXPECT_EQ(t[1].insz, kBob);
  EXPECT_EQ(t[1].name, "");
  EXPECT_EQ(t.Find(kCas), nullptr);

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
  EXPECT_EQ(t.Find(kBob), nullptr);
  // Renaming back to the base's name drops the change.
  copy.SetName(0, "Ann");
  EXPECT_EQ(copy[0].name, "Ann");
}

}  // namespace
}  // namespace toegang::testing
