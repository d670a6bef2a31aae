// ProvenanceTable: who made each link, when and at which revision, held
// once per distinct value. A link carries only a number into this table
// (Link::prov_number), so the millions of links of a federation cost 6
// bytes each instead of 24: a load brings about one distinct value per
// revision of the database (63 thousand at M, against 3.7 million links),
// and every commit after it adds one.
//
// Like PersonTable, a shared base plus values of its own: Compact() moves
// the own values into a new base that copies of the table share. Numbers
// never change, not even by Compact().
//
// Thread safety: not synchronized. Const methods may run concurrently with
// each other; a non-const call needs exclusive access to this object.
// Copies share the base, which nothing ever writes.
#ifndef TOEGANG_PROVENANCE_TABLE_H_
#define TOEGANG_PROVENANCE_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "model/provenance.h"

namespace toegang {

class ProvenanceTable {
 public:
  // Numbers fit in 32 bits (see Link). Each number costs the table at
  // least 24 bytes (100 GB for all of them), so memory runs out before the
  // numbers do; Intern() throws std::length_error past the last one.
  static constexpr uint64_t kMaxNumber = (uint64_t{1} << 32) - 1;

  ProvenanceTable();

  // The number of p, added when the table does not hold it yet. Values
  // held only by the base may get a second number (harmless: both read
  // back as p). Throws std::length_error when p would be number
  // kMaxNumber + 1.
  uint64_t Intern(const Provenance& p);
  // REQUIRES: number came from Intern() on this table or one it was
  // copied from.
  const Provenance& operator[](uint64_t number) const {
    const size_t n = base_->size();
    return number < n ? (*base_)[number] : own_[number - n];
  }
  size_t size() const { return base_->size() + own_.size(); }
  // Values added since the last Compact().
  size_t own_size() const { return own_.size(); }

  // Moves the own values into a new base (copying the old one, O(size)).
  void Compact();
  bool SharesBaseWith(const ProvenanceTable& other) const {
    return base_ == other.base_;
  }

 private:
  struct Hash {
    size_t operator()(const Provenance& p) const;
  };

  std::shared_ptr<const std::vector<Provenance>> base_;
  std::vector<Provenance> own_;  // numbers from base_->size() on
  std::unordered_map<Provenance, uint64_t, Hash> own_numbers_;
  // The last value interned and its number: rows and ops come in runs of
  // one revision.
  Provenance last_;
  uint64_t last_number_ = UINT64_MAX;
};

}  // namespace toegang

#endif  // TOEGANG_PROVENANCE_TABLE_H_
