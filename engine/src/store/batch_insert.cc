#include "store/batch_insert.h"

#include <stdexcept>
#include <utility>

namespace toegang {

BatchInsert::BatchInsert(SQLite::Database& db, std::string head, int columns,
                         int rows_per_batch)
    : db_(db),
      head_(std::move(head)),
      columns_(columns),
      rows_per_batch_(rows_per_batch),
      values_(static_cast<size_t>(columns) *
              static_cast<size_t>(rows_per_batch)) {
  full_ = Prepare(rows_per_batch_);
}

std::string BatchInsert::Placeholders(int rows) const {
  std::string row = "(";
  for (int c = 0; c < columns_; ++c) row += c == 0 ? "?" : ", ?";
  row += ")";
  std::string out;
  for (int r = 0; r < rows; ++r) out += (r == 0 ? " " : ", ") + row;
  return out;
}

std::unique_ptr<SQLite::Statement> BatchInsert::Prepare(int rows) const {
  return std::make_unique<SQLite::Statement>(db_, head_ + Placeholders(rows));
}

BatchInsert::Value& BatchInsert::Next() {
  if (next_ >= values_.size()) {
    throw std::logic_error("BatchInsert: more values than columns");
  }
  return values_[next_++];
}

void BatchInsert::Int(int64_t value) {
  Value& v = Next();
  v.is_text = false;
  v.number = value;
}

void BatchInsert::Text(std::string_view value) {
  Value& v = Next();
  v.is_text = true;
  v.text.assign(value);
}

int BatchInsert::EndRow() {
  if (next_ % static_cast<size_t>(columns_) != 0) {
    throw std::logic_error("BatchInsert: a row with too few values");
  }
  if (next_ < values_.size()) return 0;
  Run(*full_, rows_per_batch_);
  return rows_per_batch_;
}

int BatchInsert::Flush() {
  const int rows = static_cast<int>(next_ / static_cast<size_t>(columns_));
  if (rows == 0) return 0;
  std::unique_ptr<SQLite::Statement> q = Prepare(rows);
  Run(*q, rows);
  return rows;
}

void BatchInsert::Run(SQLite::Statement& q, int rows) {
  const size_t n = static_cast<size_t>(rows) * static_cast<size_t>(columns_);
  for (size_t i = 0; i < n; ++i) {
    const int index = static_cast<int>(i) + 1;
    const Value& v = values_[i];
    if (v.is_text) {
      q.bindNoCopy(index, v.text);  // values_ outlives the exec below
    } else {
      q.bind(index, v.number);
    }
  }
  q.exec();
  q.reset();
  next_ = 0;
}

}  // namespace toegang
