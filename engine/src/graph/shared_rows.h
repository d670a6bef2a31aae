// SharedRows<T>: a table of rows numbered from 0 (the enterprises,
// facilities, domains and subafdelingen of a DelegationGraph), held as a
// shared base that nothing writes plus what this copy changed or added
// since. Compact() moves everything into a new base that copies then share,
// like PersonTable and ProvenanceTable do for their rows: the two model
// instances of the read path hold the rows of a load once, and each only
// the rows that changes touched after it. Row numbers never change.
//
// A base row that a copy changes is copied into that copy first
// (Mutable), so reading a row costs a hash lookup while the copy holds
// changed base rows, and an index otherwise.
//
// Thread safety: not synchronized. Const methods may run concurrently with
// each other; a non-const call needs exclusive access to this object.
// Copies share the base, which nothing ever writes.
#ifndef TOEGANG_SHARED_ROWS_H_
#define TOEGANG_SHARED_ROWS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

namespace toegang {

template <typename T>
class SharedRows {
 public:
  SharedRows() : base_(std::make_shared<const std::vector<T>>()) {}

  size_t size() const { return base_->size() + added_.size(); }
  // REQUIRES: i < size().
  const T& operator[](size_t i) const {
    const size_t n = base_->size();
    if (i >= n) return added_[i - n];
    if (!changed_.empty()) {
      auto it = changed_.find(i);
      if (it != changed_.end()) return it->second;
    }
    return (*base_)[i];
  }

  // Row i to change; a base row is copied into this table first. The
  // reference stays valid until the next Add() or Compact().
  // REQUIRES: i < size().
  T& Mutable(size_t i) {
    const size_t n = base_->size();
    if (i >= n) return added_[i - n];
    auto it = changed_.find(i);
    if (it == changed_.end()) it = changed_.emplace(i, (*base_)[i]).first;
    return it->second;
  }
  // Appends a row; returns its number.
  size_t Add(T row) {
    added_.push_back(std::move(row));
    return size() - 1;
  }
  // Room for this many rows in all, without growing row by row.
  void Reserve(size_t rows) {
    if (rows > size()) added_.reserve(rows - base_->size());
  }

  // The rows in number order (for range-for).
  class Iterator {
   public:
    Iterator(const SharedRows* rows, size_t i) : rows_(rows), i_(i) {}
    const T& operator*() const { return (*rows_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const Iterator& other) const { return i_ != other.i_; }

   private:
    const SharedRows* rows_;
    size_t i_;
  };
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, size()); }

  // Moves the changed and added rows into a new base (copying the old one,
  // O(size)); copies made before keep the old base.
  void Compact() {
    if (changed_.empty() && added_.empty()) return;
    if (base_->empty()) {
      // A fresh load: the added rows become the base as they are, without
      // a second copy of every row alive at once (2 million enterprises
      // after a KBO Open Data full extract: 430 MB more at the peak).
      base_ = std::make_shared<const std::vector<T>>(std::move(added_));
      added_ = {};
      return;
    }
    std::vector<T> rows;
    rows.reserve(size());
    for (size_t i = 0; i < base_->size(); ++i) rows.push_back((*this)[i]);
    for (T& row : added_) rows.push_back(std::move(row));
    base_ = std::make_shared<const std::vector<T>>(std::move(rows));
    changed_ = {};
    added_ = {};
  }
  // Rows this copy holds apart from the base: changed and added.
  size_t own_rows() const { return changed_.size() + added_.size(); }
  bool SharesBaseWith(const SharedRows& other) const {
    return base_ == other.base_;
  }

 private:
  std::shared_ptr<const std::vector<T>> base_;
  std::unordered_map<size_t, T> changed_;  // base rows changed since
  std::vector<T> added_;                   // rows from base_->size() on
};

}  // namespace toegang

#endif  // TOEGANG_SHARED_ROWS_H_
