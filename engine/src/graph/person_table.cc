#include "graph/person_table.h"

#include <limits>
#include <utility>

#include "base/huge_pages.h"

namespace toegang {

PersonTable::PersonTable() : base_(std::make_shared<const Base>()) {}

void PersonTable::Add(uint64_t insz, Vertex v) {
  added_.push_back(Added{insz, {}});
  added_by_insz_.Insert(insz, v);
}

void PersonTable::SetName(uint32_t index, std::string_view name) {
  const size_t n = base_->insz.size();
  if (index >= n) {
    added_[index - n].name = name;
    return;
  }
  if (base_->Name(index) == name) {
    renamed_.erase(index);
  } else {
    renamed_[index] = std::string(name);
  }
}

void PersonTable::Reserve(size_t n) {
  const size_t have = base_->insz.size();
  if (n <= have) return;
  added_.reserve(n - have);
  added_by_insz_.Reserve(n - have);
  // Looked up at random while loading.
  AdviseHugePages(added_.data(), added_.capacity() * sizeof(Added));
}

void PersonTable::Compact(const FrozenStore& store) {
  if (added_.empty() && renamed_.empty()) return;
  const size_t n = size();
  size_t chars = 0;
  for (uint32_t i = 0; i < n; ++i) chars += (*this)[i].name.size();
  constexpr size_t kMax = std::numeric_limits<uint32_t>::max();
  if (chars > kMax || n >= kMax) return;
  for (const Added& p : added_) {
    if (*added_by_insz_.Find(p.insz) > kMax) return;
  }

  auto fresh = std::make_shared<Base>();
  std::vector<uint64_t> insz;
  std::vector<uint32_t> vertex;
  std::vector<uint32_t> name_end;
  std::vector<char> names;
  insz.reserve(n);
  name_end.reserve(n);
  names.reserve(chars);
  const size_t in_base = base_->insz.size();
  auto vertex_of = [&](uint32_t i) {
    return i < in_base ? static_cast<uint32_t>(base_->VertexOf(i))
                       : static_cast<uint32_t>(
                             *added_by_insz_.Find(added_[i - in_base].insz));
  };
  // Consecutive vertices need no column (a load adds the persons one after
  // the other, after the enterprises).
  const uint32_t first = n == 0 ? 0 : vertex_of(0);
  bool consecutive = first <= kMax - n;
  for (uint32_t i = 0; i < n && consecutive; ++i) {
    consecutive = vertex_of(i) == first + i;
  }
  if (consecutive) {
    fresh->first_vertex = first;
  } else {
    vertex.reserve(n);
  }
  for (uint32_t i = 0; i < n; ++i) {
    const PersonView p = (*this)[i];
    insz.push_back(p.insz);
    if (!consecutive) vertex.push_back(vertex_of(i));
    names.insert(names.end(), p.name.begin(), p.name.end());
    name_end.push_back(static_cast<uint32_t>(names.size()));
  }
  // At most 70% full, so probes stay short.
  size_t slot_count = 16;
  while (n * 10 > slot_count * 7) slot_count *= 2;
  std::vector<uint32_t, HugePageAllocator<uint32_t>> slots(slot_count, 0);
  fresh->mask = slot_count - 1;
  for (uint32_t i = 0; i < n; ++i) {
    size_t at = MixU64(insz[i]) & fresh->mask;
    while (slots[at] != 0) at = (at + 1) & fresh->mask;
    slots[at] = i + 1;
  }
  FrozenBuilder frozen(store);
  frozen.Add(std::move(insz), &fresh->insz);
  frozen.Add(std::move(vertex), &fresh->vertex);
  frozen.Add(std::move(name_end), &fresh->name_end);
  frozen.Add(std::move(names), &fresh->names);
  frozen.Add(std::move(slots), &fresh->slots);
  fresh->frozen = frozen.Finish();
  base_ = std::move(fresh);
  added_ = {};
  added_by_insz_ = {};
  renamed_ = {};
}

}  // namespace toegang
