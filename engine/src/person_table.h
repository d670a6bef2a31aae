// PersonTable: the persons a DelegationGraph knows (INSZ and name, by the
// index their vertex carries) and the index from INSZ to vertex. Like
// LinkGraph, a base shared by every copy plus this copy's changes: persons
// added since, and base persons renamed since. Compact() folds the changes
// into a new base; the engine compacts each loaded model before copying it
// for the read path, so the two instances hold the million persons of M
// once. The base keeps the names in one block of characters (12 bytes per
// person plus the name, where a std::string per person costs 40 and a heap
// block for a long name).
//
// Contracts: a person is never removed and keeps its index; the views
// returned by operator[] are valid until the next non-const call.
//
// Thread safety: not synchronized. Const methods may run concurrently with
// each other; a non-const call needs exclusive access to this object.
// Copies share the base, which nothing writes.
#ifndef TOEGANG_PERSON_TABLE_H_
#define TOEGANG_PERSON_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "flat_u64_map.h"

namespace toegang {

// A person as the table hands it out.
struct PersonView {
  uint64_t insz = 0;
  std::string_view name;  // empty when unknown
};

class PersonTable {
 public:
  using Vertex = size_t;

  PersonTable();

  // The vertex of the person with this INSZ, or nullptr.
  const Vertex* Find(uint64_t insz) const {
    if (const Vertex* v = base_->by_insz.Find(insz)) return v;
    return added_.empty() ? nullptr : added_by_insz_.Find(insz);
  }
  // Adds a person (no name yet) with the next index, size() before the
  // call, and its vertex. REQUIRES: Find(insz) == nullptr.
  void Add(uint64_t insz, Vertex v);
  void SetName(uint32_t index, std::string_view name);
  // REQUIRES: index < size().
  PersonView operator[](uint32_t index) const {
    const size_t n = base_->insz.size();
    if (index >= n) {
      const Added& p = added_[index - n];
      return {p.insz, p.name};
    }
    if (!renamed_.empty()) {
      auto it = renamed_.find(index);
      if (it != renamed_.end()) return {base_->insz[index], it->second};
    }
    return {base_->insz[index], base_->Name(index)};
  }
  size_t size() const { return base_->insz.size() + added_.size(); }
  // Makes room for this many persons in all.
  void Reserve(size_t n);

  // Folds the changes into a new base (O(persons)). Does nothing when the
  // names outgrow the base's 32-bit offsets (they then stay changes).
  void Compact();

 private:
  struct Added {
    uint64_t insz = 0;
    std::string name;
  };
  struct Base {
    std::vector<uint64_t> insz;
    std::vector<uint32_t> name_end;  // person i's name ends there in names
    std::string names;
    FlatU64Map<Vertex> by_insz;

    std::string_view Name(uint32_t i) const {
      const uint32_t begin = i == 0 ? 0 : name_end[i - 1];
      return std::string_view(names).substr(begin, name_end[i] - begin);
    }
  };

  std::shared_ptr<const Base> base_;
  std::vector<Added> added_;  // indexes from base_->insz.size()
  FlatU64Map<Vertex> added_by_insz_;
  std::unordered_map<uint32_t, std::string> renamed_;  // base persons
};

}  // namespace toegang

#endif  // TOEGANG_PERSON_TABLE_H_
