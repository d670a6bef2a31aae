// BatchInsert: appends rows to one table through a prepared multi-row
// INSERT (`INSERT INTO t (a, b) VALUES (?, ?), (?, ?), ...`). SQLite runs
// one statement of many rows much faster than as many one-row statements:
// the cursors are opened, and the statement set up and halted, once per
// batch instead of once per row. The rows go in in the order they were
// added, exactly as one INSERT each would have put them (same rowids).
//
//   BatchInsert q(db, "INSERT INTO user (subafdeling, insz) VALUES", 2);
//   q.Int(7);
//   q.Text(insz);
//   q.EndRow();  // executes a batch when one is full
//   ...
//   q.Flush();   // the rows not yet written; REQUIRED before commit
//
// Errors are SQLite::Exception, as from SQLiteCpp (the bulk writer,
// sqlite_bulk_writer.cc, turns them into a Status). Rows added but not flushed
// when the object is destroyed are dropped (the destructor never throws).
//
// Thread safety: not thread-safe; one per connection and thread.
#ifndef TOEGANG_STORE_BATCH_INSERT_H_
#define TOEGANG_STORE_BATCH_INSERT_H_

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace toegang {

class BatchInsert {
 public:
  // head: the statement up to and including VALUES, a literal (the source
  // scan of tests/store/security_test.cc checks every construction);
  // columns: values per row. REQUIRES: columns >= 1, rows_per_batch >= 1.
  BatchInsert(SQLite::Database& db, std::string head, int columns,
              int rows_per_batch = 256);

  // The next value of the current row (in column order).
  void Int(int64_t value);
  void Text(std::string_view value);
  // Ends the current row. REQUIRES: exactly `columns` values were given.
  // Returns the number of rows written to the database by this call (0,
  // or a whole batch).
  int EndRow();
  // Writes the rows not yet written; returns how many.
  int Flush();

 private:
  struct Value {
    bool is_text = false;
    int64_t number = 0;
    std::string text;
  };

  // " (?, ?), (?, ?)": the value lists of `rows` rows.
  std::string Placeholders(int rows) const;
  // A statement of `rows` rows: head_ and the placeholders, nothing else.
  std::unique_ptr<SQLite::Statement> Prepare(int rows) const;
  // Binds the first `rows` buffered rows to q and runs it.
  void Run(SQLite::Statement& q, int rows);
  Value& Next();

  SQLite::Database& db_;
  const std::string head_;
  const int columns_, rows_per_batch_;
  std::unique_ptr<SQLite::Statement> full_;  // rows_per_batch_ rows
  std::vector<Value> values_;                // rows_per_batch_ * columns_
  size_t next_ = 0;                          // the next value to set
};

}  // namespace toegang

#endif  // TOEGANG_STORE_BATCH_INSERT_H_
