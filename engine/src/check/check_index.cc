#include "check/check_index.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace toegang {

using check_layout::kInline;

// --- Table -------------------------------------------------------------

CheckIndex::Table::Table() : slots_(16), mask_(15) {}

CheckIndex::Slot& CheckIndex::Table::Insert(uint64_t insz, bool* added) {
  // Keep the table at most 70% full so probes stay short.
  if ((used_ + 1) * 10 > slots_.size() * 7) Grow();
  size_t i = check_layout::Hash(insz) & mask_;
  while (slots_[i].insz != 0 && slots_[i].insz != insz) i = (i + 1) & mask_;
  *added = slots_[i].insz == 0;
  if (*added) {
    slots_[i].insz = insz;
    ++used_;
  }
  return slots_[i];
}

void CheckIndex::Table::Grow() {
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

// Moves the kInline grants of a full slot out to a spill list.
void CheckIndex::Table::Spill(Slot& s) {
  uint32_t spill;
  if (!free_spills_.empty()) {
    spill = free_spills_.back();
    free_spills_.pop_back();
  } else {
    spill = static_cast<uint32_t>(spills_.size());
    spills_.emplace_back();
  }
  spills_[spill].assign(s.inline_grants, s.inline_grants + s.count);
  s.spill = spill;
}

// Moves the grants of a spilled slot (count <= kInline) back inline.
void CheckIndex::Table::Unspill(Slot& s) {
  std::vector<Grant>& list = spills_[s.spill];
  std::copy(list.begin(), list.begin() + s.count, s.inline_grants);
  list.clear();
  list.shrink_to_fit();
  free_spills_.push_back(s.spill);
  s.spill = 0;
}

bool CheckIndex::Table::Add(Slot& s, uint32_t sub, uint32_t bit) {
  Grant* g = MutableGrants(s);
  for (uint32_t i = 0; i < s.count; ++i) {
    if (g[i].sub == sub) {
      if ((g[i].apps & bit) != 0) return false;
      g[i].apps |= bit;
      return true;
    }
  }
  const Grant added{sub, bit};
  if (s.count < kInline) {
    s.inline_grants[s.count++] = added;
    return true;
  }
  if (s.count == kInline) Spill(s);
  spills_[s.spill].push_back(added);
  ++s.count;
  return true;
}

bool CheckIndex::Table::Remove(Slot& s, uint32_t sub, uint32_t bit) {
  Grant* g = MutableGrants(s);
  for (uint32_t i = 0; i < s.count; ++i) {
    if (g[i].sub != sub) continue;
    if ((g[i].apps & bit) == 0) return false;
    g[i].apps &= ~bit;
    if (g[i].apps != 0) return true;
    // No right left at this subafdeling: drop the grant.
    if (s.count <= kInline) {
      g[i] = g[s.count - 1];
      --s.count;
      return true;
    }
    std::vector<Grant>& list = spills_[s.spill];
    list[i] = list.back();
    list.pop_back();
    if (--s.count == kInline) Unspill(s);
    return true;
  }
  return false;
}

void CheckIndex::Table::Assign(Slot& s, GrantSpan grants) {
  const bool spilled = s.count > kInline;
  s.count = 0;              // so that nothing old is copied below
  if (spilled) Unspill(s);  // frees the old list
  Grant* into = s.inline_grants;
  if (grants.count > kInline) {
    Spill(s);  // an empty list
    spills_[s.spill].resize(grants.count);
    into = spills_[s.spill].data();
  }
  for (uint32_t i = 0; i < grants.count; ++i) into[i] = grants[i];
  s.count = grants.count;
}

size_t CheckIndex::Table::MemoryBytes() const {
  size_t bytes = slots_.capacity() * sizeof(Slot) +
                 spills_.capacity() * sizeof(std::vector<Grant>) +
                 free_spills_.capacity() * sizeof(uint32_t);
  for (const std::vector<Grant>& list : spills_) {
    bytes += list.capacity() * sizeof(Grant);
  }
  return bytes;
}

// --- Packed --------------------------------------------------------------

CheckIndex::Packed CheckIndex::Packed::Build(const Table& first,
                                             const Packed* rest) {
  // Calls fn(insz, grants) for every person, in the same order each time.
  auto visit = [&](auto&& fn) {
    for (size_t i = 0; i < first.slot_count(); ++i) {
      const Slot& s = first.slot(i);
      if (s.insz != 0) fn(s.insz, GrantSpan{first.Grants(s), s.count, 1});
    }
    if (rest == nullptr) return;
    for (const PackedSlot& s : rest->slots_) {
      if (s.key == 0 || (s.key & check_layout::kContinuation) != 0) continue;
      const uint64_t insz = s.key & check_layout::kInszMask;
      if (first.Find(insz) == nullptr) fn(insz, rest->Grants(s));
    }
  };
  // A person takes a slot per grant, and one when it has none.
  auto slots_of = [](GrantSpan g) -> size_t {
    return g.count == 0 ? 1 : g.count;
  };
  size_t persons = 0, used = 0;
  visit([&](uint64_t insz, GrantSpan g) {
    if (insz > check_layout::kInszMask) {  // an INSZ has 11 digits
      throw std::invalid_argument("check index: not an INSZ number");
    }
    if (g.count > check_layout::kMaxPackedGrants) {
      throw std::length_error("check index: too many grants of one person");
    }
    ++persons;
    used += slots_of(g);
  });
  Packed out;
  out.persons_ = persons;
  out.homes_ = check_layout::PackedHomes(used);
  if (out.homes_ >= UINT32_MAX) {
    throw std::length_error("check index: too many persons or grants");
  }
  // A counting sort by home: at[h] is where the persons of home h start,
  // at h or just past the persons of the homes before it.
  std::vector<uint32_t> at(out.homes_, 0);
  visit([&](uint64_t insz, GrantSpan g) {
    at[check_layout::Home(insz, out.homes_)] +=
        static_cast<uint32_t>(slots_of(g));
  });
  size_t next = 0;
  for (size_t h = 0; h < out.homes_; ++h) {
    const size_t start = std::max(next, h);
    next = start + at[h];
    at[h] = static_cast<uint32_t>(start);
  }
  // An empty slot after the last person and after the last home.
  const size_t slots = std::max(next, out.homes_) + 1;
  if (slots > UINT32_MAX) {
    throw std::length_error("check index: too many persons or grants");
  }
  out.slots_.assign(slots, PackedSlot{});
  visit([&](uint64_t insz, GrantSpan g) {
    uint32_t& cursor = at[check_layout::Home(insz, out.homes_)];
    PackedSlot* s = &out.slots_[cursor];
    cursor += static_cast<uint32_t>(slots_of(g));
    s[0] = PackedSlot{insz | (uint64_t{g.count} << check_layout::kCountShift),
                      g.count == 0 ? Grant{} : g[0]};
    for (uint32_t i = 1; i < g.count; ++i) {
      s[i] = PackedSlot{check_layout::kContinuation, g[i]};
    }
  });
  return out;
}

// --- CheckIndex ----------------------------------------------------------

CheckIndex::Slot& CheckIndex::OwnSlot(uint64_t insz) {
  bool added = false;
  Slot& s = own_.Insert(insz, &added);
  if (!added) return s;
  const PackedSlot* in_base = base_ != nullptr ? base_->Find(insz) : nullptr;
  if (in_base != nullptr) {
    own_.Assign(s, base_->Grants(*in_base));
  } else {
    ++persons_;
  }
  return s;
}

void CheckIndex::AddRight(uint64_t insz, uint32_t sub, unsigned app) {
  if (own_.Add(OwnSlot(insz), sub, 1U << app)) ++grants_;
}

void CheckIndex::RemoveRight(uint64_t insz, uint32_t sub, unsigned app) {
  // Nothing to remove: leave the person where it is (no copy of it).
  const uint32_t bit = 1U << app;
  const GrantSpan held = Find(insz);
  bool holds = false;
  for (uint32_t i = 0; i < held.count && !holds; ++i) {
    holds = held[i].sub == sub && (held[i].apps & bit) != 0;
  }
  if (!holds) return;
  if (own_.Remove(OwnSlot(insz), sub, bit)) --grants_;
}

void CheckIndex::SetSubafdeling(uint32_t sub, uint32_t grantable,
                                uint32_t facility) {
  if (sub >= subs_.size()) subs_.resize(sub + 1);
  subs_[sub] = SubEntry{grantable, facility};
}

void CheckIndex::Compact() {
  if (base_ != nullptr && own_.used() == 0) return;
  base_ = std::make_shared<const Packed>(Packed::Build(own_, base_.get()));
  own_ = Table();
}

const CheckIndex::Packed& CheckIndex::Flat(Packed* scratch) const {
  if (base_ != nullptr && own_.used() == 0) return *base_;
  *scratch = Packed::Build(own_, base_.get());
  return *scratch;
}

std::vector<CheckIndex::Grant> CheckIndex::GrantsOf(uint64_t insz) const {
  const GrantSpan held = Find(insz);
  std::vector<Grant> out(held.count);
  for (uint32_t i = 0; i < held.count; ++i) out[i] = held[i];
  return out;
}

size_t CheckIndex::MemoryBytes() const {
  return own_.MemoryBytes() + (base_ != nullptr ? base_->MemoryBytes() : 0) +
         subs_.capacity() * sizeof(SubEntry);
}

}  // namespace toegang
