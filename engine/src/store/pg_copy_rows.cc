#include "store/pg_copy_rows.h"

#include <fmt/format.h>

#include <charconv>

#include "store/pg_connection.h"

namespace toegang {

PgCopyRows::PgCopyRows(PgConnection& db, std::string_view table,
                       std::string_view columns, size_t flush_bytes)
    : db_(db),
      copy_sql_(fmt::format("COPY {} ({}) FROM STDIN", table, columns)),
      flush_bytes_(flush_bytes) {
  buffer_.reserve(flush_bytes_ + 4096);
}

void PgCopyRows::Separate() {
  if (row_open_) buffer_ += '\t';
  row_open_ = true;
}

void PgCopyRows::Text(std::string_view value) {
  Separate();
  for (const char c : value) {
    switch (c) {
      case '\\':
        buffer_ += "\\\\";
        break;
      case '\t':
        buffer_ += "\\t";
        break;
      case '\n':
        buffer_ += "\\n";
        break;
      case '\r':
        buffer_ += "\\r";
        break;
      default:
        buffer_ += c;
    }
  }
}

void PgCopyRows::Int(int64_t value) {
  Separate();
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  (void)ec;  // 24 characters hold every int64_t
  buffer_.append(digits, end);
}

void PgCopyRows::Null() {
  Separate();
  buffer_ += "\\N";
}

void PgCopyRows::EndRow() {
  buffer_ += '\n';
  row_open_ = false;
  ++rows_;
  if (buffer_.size() >= flush_bytes_) Flush();
}

void PgCopyRows::Flush() {
  if (buffer_.empty()) return;
  // Emptied (keeping its room) whether the COPY worked or not.
  struct Emptied {
    std::string& buffer;
    ~Emptied() { buffer.clear(); }
  } emptied{buffer_};
  db_.CopyIn(copy_sql_, buffer_);
}

}  // namespace toegang
