// SharedRows: rows keep their numbers through compaction, copies share the
// base and each keeps what it changed or added, and every read matches a
// plain vector changed the same way.
#include "graph/shared_rows.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace toegang {
namespace {

struct Row {
  std::string name;
  int value = 0;
  bool operator==(const Row&) const = default;
};

void ExpectRows(const SharedRows<Row>& rows, const std::vector<Row>& want) {
  ASSERT_EQ(rows.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) ASSERT_EQ(rows[i], want[i]) << i;
  size_t i = 0;
  for (const Row& r : rows) ASSERT_EQ(r, want[i++]);
  EXPECT_EQ(i, want.size());
}

TEST(SharedRowsTest, ACopyChangesItsOwnRowsAndLeavesTheBaseAlone) {
  SharedRows<Row> rows;
  EXPECT_EQ(rows.Add(Row{"a", 1}), 0u);
  EXPECT_EQ(rows.Add(Row{"b", 2}), 1u);
  rows.Compact();
  EXPECT_EQ(rows.own_rows(), 0u);
  SharedRows<Row> twin = rows;
  ASSERT_TRUE(twin.SharesBaseWith(rows));
  rows.Mutable(1).value = 20;  // a base row: copied first
  EXPECT_EQ(rows.Add(Row{"c", 3}), 2u);
  EXPECT_EQ(rows.own_rows(), 2u);
  ExpectRows(rows, {{"a", 1}, {"b", 20}, {"c", 3}});
  ExpectRows(twin, {{"a", 1}, {"b", 2}});  // untouched
  EXPECT_EQ(twin.own_rows(), 0u);
  rows.Compact();
  EXPECT_FALSE(rows.SharesBaseWith(twin));
  EXPECT_EQ(rows.own_rows(), 0u);
  ExpectRows(rows, {{"a", 1}, {"b", 20}, {"c", 3}});
  ExpectRows(twin, {{"a", 1}, {"b", 2}});
}

TEST(SharedRowsTest, MatchesAPlainVectorAcrossCompactionsAndCopies) {
  SharedRows<Row> rows;
  std::vector<Row> plain;
  std::mt19937 rng(3);
  SharedRows<Row> copy;
  std::vector<Row> at_copy;
  for (int step = 0; step < 5000; ++step) {
    if (step % 700 == 699) rows.Compact();
    if (step == 2500) {
      copy = rows;
      at_copy = plain;
    }
    if (plain.empty() || rng() % 3 == 0) {
      Row r{std::to_string(rng() % 1000), static_cast<int>(rng() % 100)};
      ASSERT_EQ(rows.Add(r), plain.size());
      plain.push_back(r);
    } else {
      const size_t i = rng() % plain.size();
      const int v = static_cast<int>(rng() % 100);
      rows.Mutable(i).value = v;
      plain[i].value = v;
    }
  }
  ExpectRows(rows, plain);
  ExpectRows(copy, at_copy);
}

}  // namespace
}  // namespace toegang
