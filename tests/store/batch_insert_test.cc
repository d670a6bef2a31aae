// Tests for store/batch_insert.h: a table filled through batches
// holds exactly what one INSERT per row gives (rows, rowids, types).

#include "store/batch_insert.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace toegang {
namespace {

std::vector<std::string> Rows(SQLite::Database& db, const std::string& table) {
  std::vector<std::string> out;
  SQLite::Statement q(db, "SELECT rowid, a, typeof(a), b, typeof(b) FROM " +
                              table + " ORDER BY rowid");
  while (q.executeStep()) {
    out.push_back(
        q.getColumn(0).getString() + "|" + q.getColumn(1).getString() + "|" +
        q.getColumn(2).getString() + "|" + q.getColumn(3).getString() + "|" +
        q.getColumn(4).getString());
  }
  return out;
}

TEST(BatchInsertTest, SameRowsAsOneInsertEach) {
  for (int rows : {0, 1, 63, 64, 65, 1000}) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    db.exec("CREATE TABLE one (a INTEGER NOT NULL, b TEXT NOT NULL)");
    db.exec("CREATE TABLE many (a INTEGER NOT NULL, b TEXT NOT NULL)");
    SQLite::Statement single(db, "INSERT INTO one (a, b) VALUES (?, ?)");
    BatchInsert batch(db, "INSERT INTO many (a, b) VALUES", 2, 64);
    int written = 0;
    for (int i = 0; i < rows; ++i) {
      const std::string text = "row " + std::to_string(i * 7 % 13);
      single.bind(1, int64_t{i} - 500);
      single.bind(2, text);
      single.exec();
      single.reset();
      batch.Int(int64_t{i} - 500);
      batch.Text(text);
      written += batch.EndRow();
    }
    EXPECT_EQ(written, rows / 64 * 64);
    EXPECT_EQ(batch.Flush(), rows % 64);
    EXPECT_EQ(batch.Flush(), 0);
    EXPECT_EQ(Rows(db, "many"), Rows(db, "one")) << rows << " rows";
  }
}

TEST(BatchInsertTest, ARowWithTooFewValuesIsAnError) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  db.exec("CREATE TABLE t (a INTEGER, b TEXT)");
  BatchInsert batch(db, "INSERT INTO t (a, b) VALUES", 2, 4);
  batch.Int(1);
  EXPECT_THROW(batch.EndRow(), std::logic_error);
}

TEST(BatchInsertTest, ConstraintFailuresSurfaceAsSqliteErrors) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
  db.exec("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)");
  BatchInsert batch(db, "INSERT INTO t (a, b) VALUES", 2, 2);
  batch.Int(1);
  batch.Text("x");
  batch.EndRow();
  batch.Int(1);
  batch.Text("y");
  EXPECT_THROW(batch.EndRow(), SQLite::Exception);
}

}  // namespace
}  // namespace toegang
