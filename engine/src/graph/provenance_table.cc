#include "graph/provenance_table.h"

#include <stdexcept>
#include <utility>

#include "base/huge_pages.h"

namespace toegang {

ProvenanceTable::ProvenanceTable()
    : base_(std::make_shared<const std::vector<Provenance>>()) {}

size_t ProvenanceTable::Hash::operator()(const Provenance& p) const {
  return MixU64(p.revision ^
                MixU64(p.by ^ MixU64(static_cast<uint64_t>(p.at))));
}

uint64_t ProvenanceTable::Intern(const Provenance& p) {
  if (last_number_ != UINT64_MAX && p == last_) return last_number_;
  auto it = own_numbers_.find(p);
  if (it == own_numbers_.end()) {
    if (size() > kMaxNumber) {
      throw std::length_error("more distinct provenances than a Link numbers");
    }
    it = own_numbers_.emplace(p, size()).first;
    own_.push_back(p);
  }
  last_ = p;
  last_number_ = it->second;
  return last_number_;
}

void ProvenanceTable::Compact() {
  if (own_.empty()) return;
  if (base_->empty()) {
    base_ = std::make_shared<const std::vector<Provenance>>(std::move(own_));
  } else {
    auto merged = std::make_shared<std::vector<Provenance>>();
    merged->reserve(size());
    merged->assign(base_->begin(), base_->end());
    merged->insert(merged->end(), own_.begin(), own_.end());
    base_ = std::move(merged);
  }
  own_ = {};
  own_numbers_ = {};
  // The last number stays valid: numbers do not change.
}

}  // namespace toegang
