// CheckIndex: the index the check hot path reads (SPEC 5: "the check hot
// path may read indexes derived from [the graph]"). It is derived from the
// DelegationGraph, kept in step by it on every change, and can always be
// rebuilt from it; it is never written from anywhere else.
//
// Two parts, both flat:
//  - per person, the rights held: (subafdeling, set of applications),
//    in an open-addressing table keyed by the INSZ as a number, with the
//    first two grants inline in the slot (most persons have one to three);
//  - per subafdeling, the applications it can grant now (its
//    authorizations, or nothing when any of conditions 1-4 of SPEC 4.5
//    fails) and the facility it is at.
// A check is then one probe into the person table (one cache line for most
// persons) and a bit test per grant into the small subafdeling array.
// Copies of a compacted index share its person table; what a copy changes
// after that goes to a small table of its own, probed first (see
// CheckIndex).
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

#include "huge_pages.h"

namespace toegang {

// The layout the check reads, shared by the live index (CheckIndex) and a
// mapped snapshot of it (index_snapshot.h).
namespace check_layout {
inline constexpr uint32_t kAnyFacility = UINT32_MAX;
inline constexpr int kInline = 2;

// One person's rights at one subafdeling: bit a of apps for application a.
struct Grant {
  uint32_t sub = 0;   // index of the subafdeling (DelegationGraph table)
  uint32_t apps = 0;  // applications the person holds the right for
};
// A person: the first kInline grants inline, the rest in a spill list
// (where `spill` points depends on the owner of the table).
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

// A person's grants as a lookup finds them: count 0 for nobody.
struct GrantSpan {
  const Grant* data = nullptr;
  uint32_t count = 0;
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
      const Grant& g = found.data[i];
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
      const Grant& g = found.data[i];
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

// Held as a shared base plus an overlay. Compact() freezes everything
// into the base, which copies of the index then share (like LinkGraph and
// PersonTable: the two model instances of the read path hold it once);
// a person changed after that is copied into this index's own table, which
// a lookup tries first. Until the first Compact() there is no base.
class CheckIndex : public check_layout::Reader<CheckIndex> {
 public:
  static constexpr uint32_t kAnyFacility = check_layout::kAnyFacility;
  using Grant = check_layout::Grant;
  using Slot = check_layout::Slot;
  using SubEntry = check_layout::SubEntry;
  using GrantSpan = check_layout::GrantSpan;

  // One open-addressing table of persons and their grants (at most 70%
  // full), with the lists of persons that have more than kInline grants.
  class Table {
   public:
    Table();
    const Slot& slot(size_t i) const { return slots_[i]; }
    size_t slot_count() const { return slots_.size(); }
    size_t used() const { return used_; }
    const Slot* Find(uint64_t insz) const {
      return check_layout::ProbeSlots(slots_.data(), mask_, insz);
    }
    const Grant* Grants(const Slot& s) const {
      if (s.count <= check_layout::kInline) return s.inline_grants;
      return frozen_ ? flat_spills_.data() + s.spill : spills_[s.spill].data();
    }
    size_t MemoryBytes() const;

    // Moves the spill lists into one array (slot.spill becomes an offset
    // into it), for a table that will not change again: a base. Live small
    // blocks scattered over a heap keep its pages resident.
    void Freeze();

    // --- changes; REQUIRES: not frozen ---
    // The slot of insz, added empty (*added set) when it has none. The
    // reference is valid until the next Insert.
    Slot& Insert(uint64_t insz, bool* added);
    // Adds bit to the grant at sub (a new grant when there is none);
    // false when it was there.
    bool Add(Slot& s, uint32_t sub, uint32_t bit);
    // Clears bit of the grant at sub, dropping a grant left empty; false
    // when it was not set.
    bool Remove(Slot& s, uint32_t sub, uint32_t bit);
    // Replaces the slot's grants by a copy of n grants at g.
    void Assign(Slot& s, const Grant* g, uint32_t n);

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
    // After Freeze(): the spilled grants, slot by slot; no changes.
    bool frozen_ = false;
    std::vector<Grant> flat_spills_;
  };

  CheckIndex() = default;

  // --- kept in step by DelegationGraph --------------------------------
  void AddRight(uint64_t insz, uint32_t sub, unsigned app);
  void RemoveRight(uint64_t insz, uint32_t sub, unsigned app);
  // What subafdeling `sub` can grant now (a bit per application) and the
  // facility it is at.
  void SetSubafdeling(uint32_t sub, uint32_t grantable, uint32_t facility);

  // Moves every person into a base that copies of this index share (the
  // old base is merged, not changed: other copies keep it).
  void Compact();
  bool SharesBaseWith(const CheckIndex& other) const {
    return base_ != nullptr && base_ == other.base_;
  }

  // --- the decision: Allowed() and ForEachGranting() of the Reader -----
  GrantSpan Find(uint64_t insz) const {
    if (own_.used() != 0) {
      if (const Slot* s = own_.Find(insz)) return {own_.Grants(*s), s->count};
    }
    if (base_ != nullptr) {
      if (const Slot* s = base_->Find(insz)) {
        return {base_->Grants(*s), s->count};
      }
    }
    return {};
  }
  const SubEntry& sub(uint32_t i) const { return subs_[i]; }

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

  // --- the tables as one, for a snapshot writer -----------------------
  // The base when this copy has no changes of its own, else a merge of
  // base and changes built in *scratch.
  const Table& Flat(Table* scratch) const;
  const std::vector<SubEntry>& subs() const { return subs_; }

 private:
  // This copy's slot for insz, with the base's grants copied in first.
  Slot& OwnSlot(uint64_t insz);
  Table Merged() const;

  std::shared_ptr<const Table> base_;  // nullptr until Compact()
  Table own_;
  std::vector<SubEntry> subs_;
  size_t persons_ = 0;
  size_t grants_ = 0;
};

}  // namespace toegang

#endif  // TOEGANG_CHECK_INDEX_H_
