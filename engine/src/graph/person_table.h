// PersonTable: the persons a DelegationGraph knows (INSZ and name, by the
// index their vertex carries) and the index from INSZ to vertex. Like
// LinkGraph, a base shared by every copy plus this copy's changes: persons
// added since, and base persons renamed since. Compact() folds the changes
// into a new base; the engine compacts each loaded model before copying it
// for the read path, so the two instances hold the million persons of M
// once. The base keeps the names in one block of characters, and its INSZ
// index holds person numbers: 24 bytes per person plus the name, where a
// record with a std::string and a map entry cost 72 and a heap block for a
// long name. Its arrays live on the heap or in a mapped file, as the
// FrozenStore given to Compact() says (frozen_store.h).
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
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/flat_u64_map.h"
#include "base/huge_pages.h"
#include "graph/frozen_store.h"

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

  // The vertex of the person with this INSZ, if known.
  std::optional<Vertex> Find(uint64_t insz) const {
    if (std::optional<Vertex> v = base_->Find(insz)) return v;
    if (added_.empty()) return std::nullopt;
    const Vertex* v = added_by_insz_.Find(insz);
    return v != nullptr ? std::optional<Vertex>(*v) : std::nullopt;
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

  // Folds the changes into a new base (O(persons)), whose arrays go where
  // `store` says (see frozen_store.h). Does nothing when the names or the
  // vertex numbers outgrow the base's 32 bits (they then stay changes).
  void Compact(const FrozenStore& store = FrozenStore::Heap());
  // The base's bytes that live in a mapped file (0: on the heap).
  size_t mapped_base_bytes() const { return base_->frozen.mapped_bytes; }

 private:
  struct Added {
    uint64_t insz = 0;
    std::string name;
  };
  // Person i: insz[i], vertex[i], and its name in names up to
  // name_end[i]. The vertex column is left empty when the persons are
  // consecutive vertices, person i vertex first_vertex + i, as a load
  // leaves them (it reads the persons one after the other): 4 bytes a
  // person. The INSZ index is an open-addressing table of person
  // numbers (i + 1; 0 for an empty slot), 4 bytes a slot: a lookup reads
  // the INSZ it finds back from insz[]. The arrays live where the
  // FrozenStore given to Compact put them, kept by `frozen`.
  static constexpr uint32_t kNoSlots[1] = {0};  // an empty base's one slot
  struct Base {
    FrozenArray<uint64_t> insz;
    FrozenArray<uint32_t> vertex;  // empty: person i is first_vertex + i
    uint32_t first_vertex = 0;
    FrozenArray<uint32_t> name_end;
    FrozenArray<char> names;
    FrozenArray<uint32_t> slots{kNoSlots, 1};
    size_t mask = 0;
    FrozenBlock frozen;  // keeps the arrays

    std::string_view Name(uint32_t i) const {
      const uint32_t begin = i == 0 ? 0 : name_end[i - 1];
      return {names.data() + begin, name_end[i] - begin};
    }
    Vertex VertexOf(uint32_t i) const {
      return vertex.empty() ? first_vertex + i : vertex[i];
    }
    std::optional<Vertex> Find(uint64_t key) const {
      for (size_t i = MixU64(key) & mask;; i = (i + 1) & mask) {
        const uint32_t person = slots[i];
        if (person == 0) return std::nullopt;
        if (insz[person - 1] == key) return VertexOf(person - 1);
      }
    }
  };

  std::shared_ptr<const Base> base_;
  std::vector<Added> added_;  // indexes from base_->insz.size()
  FlatU64Map<Vertex> added_by_insz_;
  std::unordered_map<uint32_t, std::string> renamed_;  // base persons
};

}  // namespace toegang

#endif  // TOEGANG_PERSON_TABLE_H_
