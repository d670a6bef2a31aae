// PersonTable: the persons a DelegationGraph knows (INSZ and name, by the
// index their vertex carries) and the index from INSZ to vertex. Like
// LinkGraph, a base shared by every copy plus this copy's changes: persons
// added since, and base persons renamed since. Compact() folds the changes
// into a new base; the engine compacts each loaded model before copying it
// for the read path, so the two instances hold the million persons of M
// once.
//
// Contracts: a person is never removed and keeps its index; references
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

struct PersonData {
  uint64_t insz = 0;
  std::string name;
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
  const PersonData& operator[](uint32_t index) const {
    const size_t n = base_->persons.size();
    if (index >= n) return added_[index - n];
    if (!renamed_.empty()) {
      auto it = renamed_.find(index);
      if (it != renamed_.end()) return it->second;
    }
    return base_->persons[index];
  }
  size_t size() const { return base_->persons.size() + added_.size(); }
  // Makes room for this many persons in all.
  void Reserve(size_t n);

  // Folds the changes into a new base (O(persons) unless the base is
  // empty, as after a load, when the added persons simply move there).
  void Compact();

 private:
  struct Base {
    std::vector<PersonData> persons;
    FlatU64Map<Vertex> by_insz;
  };

  std::shared_ptr<const Base> base_;
  std::vector<PersonData> added_;  // indexes from base_->persons.size()
  FlatU64Map<Vertex> added_by_insz_;
  std::unordered_map<uint32_t, PersonData> renamed_;  // base persons
};

}  // namespace toegang

#endif  // TOEGANG_PERSON_TABLE_H_
