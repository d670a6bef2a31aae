#include "person_table.h"

#include <utility>

#include "huge_pages.h"

namespace toegang {

PersonTable::PersonTable() : base_(std::make_shared<const Base>()) {}

void PersonTable::Add(uint64_t insz, Vertex v) {
  added_.push_back(PersonData{insz, {}});
  added_by_insz_.Insert(insz, v);
}

void PersonTable::SetName(uint32_t index, std::string_view name) {
  const size_t n = base_->persons.size();
  if (index >= n) {
    added_[index - n].name = name;
    return;
  }
  const PersonData& was = base_->persons[index];
  if (was.name == name) {
    renamed_.erase(index);
  } else {
    renamed_[index] = PersonData{was.insz, std::string(name)};
  }
}

void PersonTable::Reserve(size_t n) {
  const size_t have = base_->persons.size();
  if (n <= have) return;
  added_.reserve(n - have);
  added_by_insz_.Reserve(n - have);
  // Looked up at random while loading.
  AdviseHugePages(added_.data(), added_.capacity() * sizeof(PersonData));
}

void PersonTable::Compact() {
  if (added_.empty() && renamed_.empty()) return;
  auto fresh = std::make_shared<Base>();
  if (base_->persons.empty()) {
    fresh->persons = std::move(added_);
    fresh->by_insz = std::move(added_by_insz_);
  } else {
    fresh->persons.reserve(size());
    fresh->persons = base_->persons;
    for (const auto& [index, person] : renamed_) {
      fresh->persons[index] = person;
    }
    fresh->by_insz = base_->by_insz;
    for (const PersonData& p : added_) {
      fresh->by_insz.Insert(p.insz, *added_by_insz_.Find(p.insz));
      fresh->persons.push_back(p);
    }
  }
  base_ = std::move(fresh);
  added_ = {};
  added_by_insz_ = {};
  renamed_ = {};
}

}  // namespace toegang
