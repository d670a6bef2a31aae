#include "check_index.h"

#include <algorithm>
#include <utility>

namespace toegang {
CheckIndex::CheckIndex() : slots_(16), mask_(15) {}

CheckIndex::Slot& CheckIndex::InsertSlot(uint64_t insz) {
  // Keep the table at most 70% full so probes stay short.
  if ((used_ + 1) * 10 > slots_.size() * 7) Grow();
  size_t i = check_layout::Hash(insz) & mask_;
  while (slots_[i].insz != 0 && slots_[i].insz != insz) i = (i + 1) & mask_;
  if (slots_[i].insz == 0) {
    slots_[i].insz = insz;
    ++used_;
  }
  return slots_[i];
}

void CheckIndex::Grow() {
  std::vector<Slot, HugePageAllocator<Slot>> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.insz == 0) continue;
    size_t i = check_layout::Hash(s.insz) & mask_;
    while (slots_[i].insz != 0) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

void CheckIndex::AddRight(uint64_t insz, uint32_t sub, unsigned app) {
  const uint32_t bit = 1U << app;
  Slot& s = InsertSlot(insz);
  Grant* g = MutableGrants(s);
  for (uint32_t i = 0; i < s.count; ++i) {
    if (g[i].sub == sub) {
      if ((g[i].apps & bit) == 0) ++grants_;
      g[i].apps |= bit;
      return;
    }
  }
  ++grants_;
  const Grant added{sub, bit};
  if (s.count < kInline) {
    s.inline_grants[s.count++] = added;
    return;
  }
  if (s.count == kInline) {  // move the inline grants out to a spill list
    uint32_t spill;
    if (!free_spills_.empty()) {
      spill = free_spills_.back();
      free_spills_.pop_back();
    } else {
      spill = static_cast<uint32_t>(spills_.size());
      spills_.emplace_back();
    }
    spills_[spill].assign(s.inline_grants, s.inline_grants + kInline);
    s.spill = spill;
  }
  spills_[s.spill].push_back(added);
  ++s.count;
}

void CheckIndex::RemoveRight(uint64_t insz, uint32_t sub, unsigned app) {
  const uint32_t bit = 1U << app;
  Slot* s = const_cast<Slot*>(FindSlot(insz));
  if (s == nullptr) return;
  Grant* g = MutableGrants(*s);
  for (uint32_t i = 0; i < s->count; ++i) {
    if (g[i].sub != sub) continue;
    if ((g[i].apps & bit) == 0) return;
    g[i].apps &= ~bit;
    --grants_;
    if (g[i].apps != 0) return;
    // No right left at this subafdeling: drop the grant.
    if (s->count <= kInline) {
      g[i] = g[s->count - 1];
      --s->count;
      return;
    }
    std::vector<Grant>& list = spills_[s->spill];
    list[i] = list.back();
    list.pop_back();
    --s->count;
    if (s->count == kInline) {  // back inline
      std::copy(list.begin(), list.end(), s->inline_grants);
      list.clear();
      list.shrink_to_fit();
      free_spills_.push_back(s->spill);
      s->spill = 0;
    }
    return;
  }
}

void CheckIndex::SetSubafdeling(uint32_t sub, uint32_t grantable,
                                uint32_t facility) {
  if (sub >= subs_.size()) subs_.resize(sub + 1);
  subs_[sub] = SubEntry{grantable, facility};
}

std::vector<CheckIndex::Grant> CheckIndex::GrantsOf(uint64_t insz) const {
  const Slot* s = FindSlot(insz);
  if (s == nullptr) return {};
  const Grant* g = SlotGrants(*s);
  return std::vector<Grant>(g, g + s->count);
}

size_t CheckIndex::MemoryBytes() const {
  size_t bytes = slots_.capacity() * sizeof(Slot) +
                 subs_.capacity() * sizeof(SubEntry) +
                 spills_.capacity() * sizeof(std::vector<Grant>) +
                 free_spills_.capacity() * sizeof(uint32_t);
  for (const std::vector<Grant>& list : spills_) {
    bytes += list.capacity() * sizeof(Grant);
  }
  return bytes;
}

}  // namespace toegang
