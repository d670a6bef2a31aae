// CheckIndex: the index the check hot path reads (SPEC 5: "the check hot
// path may read indexes derived from [the graph]"). It is derived from the
// DelegationGraph, kept in step by it on every change, and can always be
// rebuilt from it; it is never written from anywhere else.
//
// Two parts, both flat:
//  - per person, the rights held: (subafdeling, set of applications),
//    keyed by the INSZ as a number;
//  - per subafdeling, the applications it can grant now (its
//    authorizations, or nothing when any of conditions 1-4 of SPEC 4.5
//    fails) and the facility it is at.
// The persons are held twice over in two forms. Compact() packs them into
// a frozen base of 16-byte slots (check_layout::PackedSlot, a person with
// one grant in one slot), which copies of the index share and the
// snapshot file holds as it is; a person changed after that is copied into
// a small open-addressing table of the copy's own (check_layout::Slot, two
// grants inline), which a lookup tries first. A check is one probe into
// the base (one cache line for most persons) and a bit test per grant into
// the small subafdeling array.
//
// Thread safety: not synchronized; like the graph, const methods may run
// concurrently with each other, changes need exclusive access.
#ifndef TOEGANG_CHECK_INDEX_H_
#define TOEGANG_CHECK_INDEX_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/huge_pages.h"

namespace toegang {

// The layouts the check reads: the packed form, shared by the live index's
// base (CheckIndex::Packed) and a mapped snapshot of it (index_snapshot.h),
// and the open-addressing Slot of the table of a copy's own changes
// (CheckIndex::Table).
namespace check_layout {
inline constexpr uint32_t kAnyFacility = UINT32_MAX;
inline constexpr int kInline = 2;

// One person's rights at one subafdeling: bit a of apps for application a.
struct Grant {
  uint32_t sub = 0;   // index of the subafdeling (DelegationGraph table)
  uint32_t apps = 0;  // applications the person holds the right for
};
// A person in CheckIndex::Table: the first kInline grants inline, the rest
// in the table's spill list number `spill`.
struct Slot {
  uint64_t insz = 0;  // 0: empty (no valid INSZ is 0)
  uint32_t count = 0;
  uint32_t spill = 0;  // meaningful when count > kInline
  Grant inline_grants[kInline];
};
// What a subafdeling can grant now (a bit per application) and its facility.
struct SubEntry {
  uint32_t grantable = 0;
  uint32_t facility = kAnyFacility;
};
static_assert(sizeof(Slot) == 32 && sizeof(Grant) == 8 &&
              sizeof(SubEntry) == 8);

inline size_t Hash(uint64_t insz) { return MixU64(insz); }

// A person's grants as a lookup finds them: count 0 for nobody. Grant i
// is data[i * stride] (stride 2 where each grant sits in a 16-byte slot).
struct GrantSpan {
  const Grant* data = nullptr;
  uint32_t count = 0;
  uint32_t stride = 1;
  const Grant& operator[](uint32_t i) const { return data[i * stride]; }
};

// The slot of insz in an open-addressing table of mask + 1 slots, or
// nullptr. REQUIRES: the table has at least one empty slot.
inline const Slot* ProbeSlots(const Slot* slots, size_t mask, uint64_t insz) {
  size_t i = Hash(insz) & mask;
  for (;;) {
    const Slot& s = slots[i];
    if (s.insz == insz) return &s;
    if (s.insz == 0) return nullptr;
    i = (i + 1) & mask;
  }
}

// --- the packed form: a frozen base and the snapshot file ---------------
//
// One array of 16-byte slots. A person's home is a slot chosen by the hash
// of its INSZ among the first `homes` slots; persons sit in order of their
// homes, each at its home or, when that is taken, at the next free slot
// (linear probing with the persons of one home kept together, as Robin
// Hood hashing leaves them). A lookup starts at the home and stops at the
// key, at an empty slot or at a person whose home lies further on: one
// cache line for most lookups, hits and misses alike. At least one empty
// slot follows the last home, so every probe ends inside the array.
//
// A person's first slot holds its INSZ, its number of grants and its
// first grant; each further grant fills a continuation slot right after
// it (the same cache line, or the next), which lookups step over. A
// person without grants (all revoked) keeps a slot with a count of 0.
struct PackedSlot {
  uint64_t key = 0;  // 0: empty; kContinuation; or INSZ | count << 40
  Grant grant;       // the person's first grant, or one more of them
};
static_assert(sizeof(PackedSlot) == 16);
inline constexpr uint64_t kContinuation = uint64_t{1} << 63;
inline constexpr int kCountShift = 40;
inline constexpr uint64_t kInszMask = (uint64_t{1} << kCountShift) - 1;
inline constexpr uint64_t kMaxPackedGrants = (uint64_t{1} << 23) - 1;
// Homes for this many occupied slots: 5 for 4 (80% full).
inline size_t PackedHomes(size_t used) {
  return used == 0 ? 1 : used + used / 4 + 1;
}

// The home of insz among `homes` slots (the hash's high bits scaled, so
// that any number of homes works).
inline size_t Home(uint64_t insz, size_t homes) {
  __extension__ using Wide = unsigned __int128;
  return static_cast<size_t>((static_cast<Wide>(Hash(insz)) * homes) >> 64);
}

// The first slot of insz, or nullptr. REQUIRES: homes >= 1 and slots laid
// out as above (an empty slot at or after every home).
inline const PackedSlot* ProbePacked(const PackedSlot* slots, size_t homes,
                                     uint64_t insz) {
  const size_t home = Home(insz, homes);
  for (const PackedSlot* s = slots + home;; ++s) {
    const uint64_t key = s->key;
    // A continuation never matches (bit 63); the empty slot only key 0.
    if ((key & (kInszMask | kContinuation)) == insz) {
      return key != 0 ? s : nullptr;
    }
    if (key == 0) return nullptr;
    if ((key & kContinuation) == 0 && Home(key & kInszMask, homes) > home) {
      return nullptr;
    }
  }
}

// Starts loading the cache line where a lookup of insz begins, so that
// work done before the lookup overlaps the memory access (at M the base is
// far larger than the cache; its first line is the check's one miss).
// Reads nothing and cannot fault.
inline void PrefetchPacked(const PackedSlot* slots, size_t homes,
                           uint64_t insz) {
  __builtin_prefetch(slots + Home(insz, homes));
}

// The grants of a person's first slot.
inline GrantSpan PackedGrants(const PackedSlot& s) {
  return {&s.grant, static_cast<uint32_t>(s.key >> kCountShift), 2};
}

// The decision over any tables with this layout. Tables provides
//   GrantSpan Find(uint64_t insz) const;
//   const SubEntry& sub(uint32_t i) const;
template <typename Tables>
class Reader {
 public:
  // True when the person holds the right for app at a subafdeling that can
  // grant it, at `facility` unless that is kAnyFacility.
  bool Allowed(uint64_t insz, unsigned app, uint32_t facility) const {
    const GrantSpan found = tables().Find(insz);
    const uint32_t bit = 1U << app;
    for (uint32_t i = 0; i < found.count; ++i) {
      const Grant& g = found[i];
      if ((g.apps & bit) == 0) continue;
      const SubEntry& e = tables().sub(g.sub);
      if ((e.grantable & bit) != 0 &&
          (facility == kAnyFacility || e.facility == facility)) {
        return true;
      }
    }
    return false;
  }

  // Calls fn(facility index) for every facility through which the person
  // may use app (a facility may come more than once, via several
  // subafdelingen).
  template <typename Fn>
  void ForEachGranting(uint64_t insz, unsigned app, Fn fn) const {
    const GrantSpan found = tables().Find(insz);
    const uint32_t bit = 1U << app;
    for (uint32_t i = 0; i < found.count; ++i) {
      const Grant& g = found[i];
      const SubEntry& e = tables().sub(g.sub);
      if ((g.apps & bit) != 0 && (e.grantable & bit) != 0) fn(e.facility);
    }
  }

  // The HCO numbers (hco_of maps a facility index to its text) of the
  // facilities through which the person may use app, only `facility`
  // unless that is kAnyFacility; sorted, unique. Allocates only when the
  // answer is not empty.
  template <typename HcoOf>
  std::vector<std::string> GrantingHcos(uint64_t insz, unsigned app,
                                        uint32_t facility, HcoOf hco_of) const {
    std::vector<std::string> out;
    ForEachGranting(insz, app, [&](uint32_t f) {
      if (facility == kAnyFacility || f == facility) {
        out.emplace_back(hco_of(f));
      }
    });
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 private:
  const Tables& tables() const { return static_cast<const Tables&>(*this); }
};
}  // namespace check_layout

// Held as a shared, packed base plus a table of this copy's own changes.
// Compact() packs everything into a new base, which copies of the index
// then share (like LinkGraph and PersonTable: the two model instances of
// the read path hold it once); a person changed after that is copied into
// this index's own table, which a lookup tries first. Until the first
// Compact() there is no base.
class CheckIndex : public check_layout::Reader<CheckIndex> {
 public:
  static constexpr uint32_t kAnyFacility = check_layout::kAnyFacility;
  using Grant = check_layout::Grant;
  using Slot = check_layout::Slot;
  using PackedSlot = check_layout::PackedSlot;
  using SubEntry = check_layout::SubEntry;
  using GrantSpan = check_layout::GrantSpan;

  // One open-addressing table of persons and their grants (at most 70%
  // full), with the lists of persons that have more than kInline grants:
  // the form that takes changes.
  class Table {
   public:
    Table();
    const Slot& slot(size_t i) const { return slots_[i]; }
    size_t slot_count() const { return slots_.size(); }
    size_t used() const { return used_; }
    const Slot* Find(uint64_t insz) const {
      return check_layout::ProbeSlots(slots_.data(), mask_, insz);
    }
    void Prefetch(uint64_t insz) const {
      __builtin_prefetch(slots_.data() + (check_layout::Hash(insz) & mask_));
    }
    const Grant* Grants(const Slot& s) const {
      return s.count <= check_layout::kInline ? s.inline_grants
                                              : spills_[s.spill].data();
    }
    size_t MemoryBytes() const;

    // The slot of insz, added empty (*added set) when it has none. The
    // reference is valid until the next Insert.
    Slot& Insert(uint64_t insz, bool* added);
    // Adds bit to the grant at sub (a new grant when there is none);
    // false when it was there.
    bool Add(Slot& s, uint32_t sub, uint32_t bit);
    // Clears bit of the grant at sub, dropping a grant left empty; false
    // when it was not set.
    bool Remove(Slot& s, uint32_t sub, uint32_t bit);
    // Replaces the slot's grants by a copy of these.
    void Assign(Slot& s, GrantSpan grants);

   private:
    Grant* MutableGrants(Slot& s) {
      return s.count <= check_layout::kInline ? s.inline_grants
                                              : spills_[s.spill].data();
    }
    void Spill(Slot& s);
    void Unspill(Slot& s);
    void Grow();

    std::vector<Slot, HugePageAllocator<Slot>> slots_;
    size_t mask_ = 0;
    size_t used_ = 0;  // slots holding a person
    // Free lists are reused.
    std::vector<std::vector<Grant>> spills_;
    std::vector<uint32_t> free_spills_;
  };

  // The persons in the packed layout of check_layout: a base, or the whole
  // index as a snapshot writer reads it. Built once; never changed.
  class Packed {
   public:
    Packed() = default;  // nobody
    // The persons of `first`, then those of `rest` (may be null) that
    // `first` does not hold. Throws std::length_error past 2^32 slots or
    // kMaxPackedGrants grants of one person, std::invalid_argument for a
    // key above kInszMask (an INSZ number is below 10^11).
    static Packed Build(const Table& first, const Packed* rest);

    const PackedSlot* Find(uint64_t insz) const {
      return check_layout::ProbePacked(slots_.data(), homes_, insz);
    }
    GrantSpan Grants(const PackedSlot& s) const {
      return check_layout::PackedGrants(s);
    }
    void Prefetch(uint64_t insz) const {
      check_layout::PrefetchPacked(slots_.data(), homes_, insz);
    }
    size_t persons() const { return persons_; }
    size_t homes() const { return homes_; }
    const std::vector<PackedSlot, HugePageAllocator<PackedSlot>>& slots()
        const {
      return slots_;
    }
    size_t MemoryBytes() const {
      return slots_.capacity() * sizeof(PackedSlot);
    }

   private:
    size_t persons_ = 0;
    size_t homes_ = 1;
    // One empty slot: a probe of an empty table ends at once.
    std::vector<PackedSlot, HugePageAllocator<PackedSlot>> slots_ =
        std::vector<PackedSlot, HugePageAllocator<PackedSlot>>(1);
  };

  CheckIndex() = default;

  // --- kept in step by DelegationGraph --------------------------------
  void AddRight(uint64_t insz, uint32_t sub, unsigned app);
  void RemoveRight(uint64_t insz, uint32_t sub, unsigned app);
  // What subafdeling `sub` can grant now (a bit per application) and the
  // facility it is at.
  void SetSubafdeling(uint32_t sub, uint32_t grantable, uint32_t facility);

  // Packs every person into a base that copies of this index share (the
  // old base is merged, not changed: other copies keep it).
  void Compact();
  bool SharesBaseWith(const CheckIndex& other) const {
    return base_ != nullptr && base_ == other.base_;
  }

  // --- the decision: Allowed() and ForEachGranting() of the Reader -----
  GrantSpan Find(uint64_t insz) const {
    if (own_.used() != 0) {
      if (const Slot* s = own_.Find(insz)) {
        return {own_.Grants(*s), s->count, 1};
      }
    }
    if (base_ != nullptr) {
      if (const PackedSlot* s = base_->Find(insz)) return base_->Grants(*s);
    }
    return {};
  }
  const SubEntry& sub(uint32_t i) const { return subs_[i]; }
  // Starts loading what Find(insz) will read first (a hint: changes
  // nothing, costs a few instructions).
  void Prefetch(uint64_t insz) const {
    if (own_.used() != 0) own_.Prefetch(insz);
    if (base_ != nullptr) base_->Prefetch(insz);
  }

  // The person's grants (for tests and verify), in no particular order.
  std::vector<Grant> GrantsOf(uint64_t insz) const;
  uint32_t grantable(uint32_t sub) const {
    return sub < subs_.size() ? subs_[sub].grantable : 0;
  }

  // Persons ever granted a right (a person whose rights all went keeps a
  // slot) and (person, subafdeling, application) rights.
  size_t persons() const { return persons_; }
  size_t grants() const { return grants_; }
  // Bytes held by the index's tables, the shared base included.
  size_t MemoryBytes() const;
  // Persons held in this copy's own table (all of them before the first
  // Compact()).
  size_t own_persons() const { return own_.used(); }

  // --- the whole index packed, for a snapshot writer -------------------
  // The base when this copy has no changes of its own, else base and
  // changes packed together in *scratch.
  const Packed& Flat(Packed* scratch) const;
  const std::vector<SubEntry>& subs() const { return subs_; }

 private:
  // This copy's slot for insz, with the base's grants copied in first.
  Slot& OwnSlot(uint64_t insz);

  std::shared_ptr<const Packed> base_;  // nullptr until Compact()
  Table own_;
  std::vector<SubEntry> subs_;
  size_t persons_ = 0;
  size_t grants_ = 0;
};

}  // namespace toegang

#endif  // TOEGANG_CHECK_INDEX_H_
