// StatementCache (engine/src/statement_cache.h): a statement is prepared
// once and reused; every use starts from a reset statement with no
// bindings; a nested use of the same text gets a statement of its own; a
// failed step does not poison the next use; and no cached statement keeps
// a read transaction open once its use ends.
#include "store/statement_cache.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/test_federation.h"

namespace toegang::testing {
namespace {

class StatementCacheTest : public ::testing::Test {
 protected:
  StatementCacheTest()
      : path_(dir_.path() + "/cache.db"),
        db_(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) {
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    db_.exec("INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
  }

  TempDir dir_;
  std::string path_;
  SQLite::Database db_;
};

TEST_F(StatementCacheTest, ReusesOnePreparedStatementPerText) {
  StatementCache cache(db_);
  const SQLite::Statement* first = nullptr;
  for (int k = 1; k <= 3; ++k) {
    StatementCache::Use q = cache.Get("SELECT v FROM t WHERE k = ?");
    if (first == nullptr) first = &*q;
    EXPECT_EQ(&*q, first);
    q->bind(1, k);
    ASSERT_TRUE(q->executeStep());
    EXPECT_EQ(q->getColumn(0).getString(), k == 1   ? "one"
                                           : k == 2 ? "two"
                                                    : "three");
  }
  EXPECT_EQ(cache.size(), 1u);
  { StatementCache::Use other = cache.Get("SELECT count(*) FROM t"); }
  EXPECT_EQ(cache.size(), 2u);
}

TEST_F(StatementCacheTest, EachUseStartsResetWithoutBindings) {
  StatementCache cache(db_);
  {
    StatementCache::Use q = cache.Get("SELECT v FROM t ORDER BY k");
    ASSERT_TRUE(q->executeStep());  // left on its first row
    EXPECT_EQ(q->getColumn(0).getString(), "one");
  }
  {
    StatementCache::Use q = cache.Get("SELECT v FROM t ORDER BY k");
    ASSERT_TRUE(q->executeStep());  // from the start again
    EXPECT_EQ(q->getColumn(0).getString(), "one");
  }
  {
    StatementCache::Use q = cache.Get("SELECT count(*) FROM t WHERE v = ?");
    q->bind(1, "two");
    ASSERT_TRUE(q->executeStep());
    EXPECT_EQ(q->getColumn(0).getInt(), 1);
  }
  {
    // The binding of the last use is gone: v = NULL matches nothing.
    StatementCache::Use q = cache.Get("SELECT count(*) FROM t WHERE v = ?");
    ASSERT_TRUE(q->executeStep());
    EXPECT_EQ(q->getColumn(0).getInt(), 0);
  }
}

TEST_F(StatementCacheTest, NestedUseOfTheSameTextGetsItsOwnStatement) {
  StatementCache cache(db_);
  StatementCache::Use outer = cache.Get("SELECT k FROM t ORDER BY k");
  ASSERT_TRUE(outer->executeStep());
  {
    StatementCache::Use inner = cache.Get("SELECT k FROM t ORDER BY k");
    EXPECT_NE(&*inner, &*outer);
    ASSERT_TRUE(inner->executeStep());
    ASSERT_TRUE(inner->executeStep());
    EXPECT_EQ(inner->getColumn(0).getInt(), 2);
  }
  // The outer walk went on undisturbed.
  EXPECT_EQ(outer->getColumn(0).getInt(), 1);
  ASSERT_TRUE(outer->executeStep());
  EXPECT_EQ(outer->getColumn(0).getInt(), 2);
  EXPECT_EQ(cache.size(), 1u);
}

TEST_F(StatementCacheTest, AFailedStepDoesNotPoisonTheNextUse) {
  StatementCache cache(db_);
  {
    StatementCache::Use q = cache.Get("INSERT INTO t (k, v) VALUES (?, ?)");
    q->bind(1, 1);  // taken
    q->bind(2, "again");
    EXPECT_THROW(q->exec(), SQLite::Exception);
  }  // reset here must not throw the constraint error again
  StatementCache::Use q = cache.Get("INSERT INTO t (k, v) VALUES (?, ?)");
  q->bind(1, 4);
  q->bind(2, "four");
  EXPECT_EQ(q->exec(), 1);
}

TEST_F(StatementCacheTest, AFinishedUseHoldsNoReadTransaction) {
  StatementCache cache(db_);
  {
    StatementCache::Use q = cache.Get("SELECT v FROM t ORDER BY k");
    ASSERT_TRUE(q->executeStep());
    EXPECT_TRUE(q->hasRow());
  }
  StatementCache::Use again = cache.Get("SELECT v FROM t ORDER BY k");
  EXPECT_FALSE(again->hasRow());
  // Another connection writes and then truncates the whole WAL, which
  // needs every reader of this connection gone.
  SQLite::Database other(path_, SQLite::OPEN_READWRITE);
  other.exec("INSERT INTO t VALUES (5, 'five')");
  SQLite::Statement checkpoint(other, "PRAGMA wal_checkpoint(TRUNCATE)");
  ASSERT_TRUE(checkpoint.executeStep());
  EXPECT_EQ(checkpoint.getColumn(0).getInt(), 0);  // not blocked
}

}  // namespace
}  // namespace toegang::testing
