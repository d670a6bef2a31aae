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
//
// Thread safety: not synchronized; like the graph, const methods may run
// concurrently with each other, changes need exclusive access.
#ifndef TOEGANG_CHECK_INDEX_H_
#define TOEGANG_CHECK_INDEX_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
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

// The decision over any table with this layout. Tables provides
//   const Slot& slot(size_t i) const;   size_t mask() const;
//   const Grant* SlotGrants(const Slot&) const;
//   const SubEntry& sub(uint32_t i) const;
// REQUIRES: the slot table has at least one empty slot.
template <typename Tables>
class Reader {
 public:
  // True when the person holds the right for app at a subafdeling that can
  // grant it, at `facility` unless that is kAnyFacility.
  bool Allowed(uint64_t insz, unsigned app, uint32_t facility) const {
    const Slot* s = FindSlot(insz);
    if (s == nullptr) return false;
    const uint32_t bit = 1U << app;
    const Grant* g = tables().SlotGrants(*s);
    for (uint32_t i = 0; i < s->count; ++i) {
      if ((g[i].apps & bit) == 0) continue;
      const SubEntry& e = tables().sub(g[i].sub);
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
    const Slot* s = FindSlot(insz);
    if (s == nullptr) return;
    const uint32_t bit = 1U << app;
    const Grant* g = tables().SlotGrants(*s);
    for (uint32_t i = 0; i < s->count; ++i) {
      const SubEntry& e = tables().sub(g[i].sub);
      if ((g[i].apps & bit) != 0 && (e.grantable & bit) != 0) fn(e.facility);
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

 protected:
  const Slot* FindSlot(uint64_t insz) const {
    const size_t mask = tables().mask();
    size_t i = Hash(insz) & mask;
    for (;;) {
      const Slot& s = tables().slot(i);
      if (s.insz == insz) return &s;
      if (s.insz == 0) return nullptr;
      i = (i + 1) & mask;
    }
  }

 private:
  const Tables& tables() const { return static_cast<const Tables&>(*this); }
};
}  // namespace check_layout

class CheckIndex : public check_layout::Reader<CheckIndex> {
 public:
  static constexpr uint32_t kAnyFacility = check_layout::kAnyFacility;
  using Grant = check_layout::Grant;

  CheckIndex();

  // --- kept in step by DelegationGraph --------------------------------
  void AddRight(uint64_t insz, uint32_t sub, unsigned app);
  void RemoveRight(uint64_t insz, uint32_t sub, unsigned app);
  // What subafdeling `sub` can grant now (a bit per application) and the
  // facility it is at.
  void SetSubafdeling(uint32_t sub, uint32_t grantable, uint32_t facility);

  // --- the decision: Allowed() and ForEachGranting() of the Reader -----

  // The person's grants (for tests and verify), in no particular order.
  std::vector<Grant> GrantsOf(uint64_t insz) const;
  uint32_t grantable(uint32_t sub) const {
    return sub < subs_.size() ? subs_[sub].grantable : 0;
  }

  size_t persons() const { return used_; }
  size_t grants() const { return grants_; }
  // Bytes held by the index's tables.
  size_t MemoryBytes() const;

  // --- the tables, as the Reader and a snapshot writer see them ---------
  using Slot = check_layout::Slot;
  using SubEntry = check_layout::SubEntry;
  const Slot& slot(size_t i) const { return slots_[i]; }
  size_t mask() const { return mask_; }
  size_t slot_count() const { return slots_.size(); }
  const Grant* SlotGrants(const Slot& s) const {
    return s.count <= check_layout::kInline ? s.inline_grants
                                            : spills_[s.spill].data();
  }
  const SubEntry& sub(uint32_t i) const { return subs_[i]; }
  size_t sub_count() const { return subs_.size(); }

 private:
  static constexpr int kInline = check_layout::kInline;

  Grant* MutableGrants(Slot& s) {
    return s.count <= kInline ? s.inline_grants : spills_[s.spill].data();
  }
  Slot& InsertSlot(uint64_t insz);
  void Grow();

  std::vector<Slot, HugePageAllocator<Slot>> slots_;
  size_t mask_ = 0;
  size_t used_ = 0;    // slots holding a person
  size_t grants_ = 0;  // (person, subafdeling, application) rights
  // Grant lists of persons with more than kInline subafdelingen; free ones
  // are reused.
  std::vector<std::vector<Grant>> spills_;
  std::vector<uint32_t> free_spills_;
  std::vector<SubEntry> subs_;
};

}  // namespace toegang

#endif  // TOEGANG_CHECK_INDEX_H_
