// FlatU64Map<V>: an insert-only hash map from a 64-bit key (an INSZ or a
// KBO number) to a small value, for the delegation graph's identifier
// indexes. One flat open-addressing table with linear probing: a lookup
// costs one cache line for most keys, where std::unordered_map walks a
// bucket chain of separately allocated nodes. Loading a federation of a
// million persons looks every person up several times, so this matters.
//
// Contracts:
//  - Keys are never removed (the graph never removes a vertex).
//  - Every key is allowed, 0 included (kept beside the table, since 0
//    marks an empty slot).
//  - Pointers returned by Find/Insert are valid until the next Insert or
//    Reserve.
//
// Thread safety: not synchronized; const methods may run concurrently with
// each other, Insert and Reserve need exclusive access.
#ifndef TOEGANG_FLAT_U64_MAP_H_
#define TOEGANG_FLAT_U64_MAP_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "base/huge_pages.h"

namespace toegang {

template <typename V>
class FlatU64Map {
 public:
  FlatU64Map() = default;

  // The value stored for key, or nullptr.
  const V* Find(uint64_t key) const {
    if (key == 0) return has_zero_ ? &zero_value_ : nullptr;
    if (slots_.empty()) return nullptr;
    for (size_t i = Hash(key) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == key) return &s.value;
      if (s.key == 0) return nullptr;
    }
  }

  // Stores key -> value unless key is present. Returns the stored value
  // (the earlier one when key was present) and whether it was inserted.
  std::pair<V*, bool> Insert(uint64_t key, V value) {
    if (key == 0) {
      if (has_zero_) return {&zero_value_, false};
      has_zero_ = true;
      zero_value_ = std::move(value);
      return {&zero_value_, true};
    }
    if ((used_ + 1) * kMaxLoadDen > slots_.size() * kMaxLoadNum) {
      Rehash(slots_.empty() ? kMinSlots : slots_.size() * 2);
    }
    size_t i = Hash(key) & mask_;
    while (slots_[i].key != 0) {
      if (slots_[i].key == key) return {&slots_[i].value, false};
      i = (i + 1) & mask_;
    }
    slots_[i].key = key;
    slots_[i].value = std::move(value);
    ++used_;
    return {&slots_[i].value, true};
  }

  // Makes room for n keys in all, so that inserting them does not rehash.
  void Reserve(size_t n) {
    size_t want = kMinSlots;
    while (n * kMaxLoadDen > want * kMaxLoadNum) want *= 2;
    if (want > slots_.size()) Rehash(want);
  }

  size_t size() const { return used_ + (has_zero_ ? 1 : 0); }
  // Bytes held by the table.
  size_t MemoryBytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  // At most 70% full, so probes stay short.
  static constexpr size_t kMaxLoadNum = 7, kMaxLoadDen = 10;
  static constexpr size_t kMinSlots = 16;

  struct Slot {
    uint64_t key = 0;  // 0: empty
    V value{};
  };

  static size_t Hash(uint64_t key) { return MixU64(key); }

  // REQUIRES: slot_count is a power of two holding used_ keys.
  void Rehash(size_t slot_count) {
    std::vector<Slot, HugePageAllocator<Slot>> old = std::move(slots_);
    slots_.assign(slot_count, Slot{});
    mask_ = slot_count - 1;
    for (Slot& s : old) {
      if (s.key == 0) continue;
      size_t i = Hash(s.key) & mask_;
      while (slots_[i].key != 0) i = (i + 1) & mask_;
      slots_[i] = std::move(s);
    }
  }

  // On huge pages when large: a lookup is a random probe into tens of
  // megabytes, and a TLB miss would cost as much as the cache miss.
  std::vector<Slot, HugePageAllocator<Slot>> slots_;
  size_t mask_ = 0;
  size_t used_ = 0;  // keys in slots_ (0 not counted)
  bool has_zero_ = false;
  V zero_value_{};
};

}  // namespace toegang

#endif  // TOEGANG_FLAT_U64_MAP_H_
