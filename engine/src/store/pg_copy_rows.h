// PgCopyRows: the rows of one PostgreSQL table written through
// `COPY table (columns) FROM STDIN` (PgConnection::CopyIn) instead of an
// INSERT per row: values are put into a buffer in COPY's text format
// (tab between values, a newline after each row, \N for NULL, backslash
// escapes for backslash, tab, newline and carriage return), and the buffer
// is sent as one COPY once it holds flush_bytes, and at Flush. For the
// bulk writer (pg_bulk_writer.h) and the copy of a federation
// (PgStore::BeginCopyInto).
//
// Rows are stored in the order given. A COPY inside a transaction is part
// of it: nothing is visible before the transaction commits. A failure
// throws PgError (from Flush or from the EndRow that sends); the
// transaction has then failed and the rows still buffered are dropped.
//
// Cost: no allocation per row once the buffer has grown; one round trip
// per flush_bytes of rows.
//
// Thread safety: one thread at a time, as the connection.
#ifndef TOEGANG_STORE_PG_COPY_ROWS_H_
#define TOEGANG_STORE_PG_COPY_ROWS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace toegang {

class PgConnection;

class PgCopyRows {
 public:
  // table: its name as SQL writes it (quoted where PostgreSQL reserves it);
  // columns: the comma-separated columns each row gives, in order. Both
  // are constant text, never input. db must outlive this object.
  PgCopyRows(PgConnection& db, std::string_view table, std::string_view columns,
             size_t flush_bytes = size_t{1} << 20);
  PgCopyRows(const PgCopyRows&) = delete;
  PgCopyRows& operator=(const PgCopyRows&) = delete;

  // The next value of the current row.
  void Text(std::string_view value);
  void Int(int64_t value);
  void Null();
  // Ends the row; sends the buffer when it holds flush_bytes.
  void EndRow();
  // Sends what is buffered (nothing when empty).
  void Flush();

  // Rows given so far (sent or buffered).
  uint64_t rows() const { return rows_; }

 private:
  void Separate();

  PgConnection& db_;
  const std::string copy_sql_;
  const size_t flush_bytes_;
  std::string buffer_;
  bool row_open_ = false;  // a value of the current row was given
  uint64_t rows_ = 0;
};

}  // namespace toegang

#endif  // TOEGANG_STORE_PG_COPY_ROWS_H_
