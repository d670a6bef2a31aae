#include "store/history_chain.h"

#include <fmt/format.h>
#include <sys/random.h>

#include <random>

namespace toegang {

uint64_t RandomWord() {
  uint64_t w = 0;
  if (::getrandom(&w, sizeof w, 0) == static_cast<ssize_t>(sizeof w)) return w;
  std::random_device rd;
  return (uint64_t{rd()} << 32) ^ rd();
}

HistoryLink::HistoryLink(const DatabaseKey& key, const HistoryMark& previous)
    : hash_(key), revision_(previous.revision + 1) {
  hash_.Add(std::string_view("toegang history chain"));
  hash_.Add(previous.chain);
  hash_.Add(revision_);
}

void HistoryLink::AddRow(int64_t at, std::string_view actor,
                         std::string_view action, std::string_view kbo,
                         std::string_view detail, std::string_view message) {
  hash_.Add(static_cast<uint64_t>(at));
  hash_.Add(actor);
  hash_.Add(action);
  hash_.Add(kbo);
  hash_.Add(detail);
  hash_.Add(message);
}

HistoryMark HistoryLink::Finish() {
  hash_.Add(RandomWord());
  return {revision_, hash_.Final()};
}

void AddHistoryProblems(int64_t revision, int64_t distinct, int64_t lo,
                        int64_t hi, std::vector<std::string>* problems) {
  if (hi != revision) {
    problems->push_back(fmt::format(
        "revision is {} but the audit log ends at {}", revision, hi));
  }
  if (distinct != hi || (hi > 0 && lo != 1)) {
    problems->push_back(fmt::format(
        "the audit log has gaps: {} distinct revisions between {} and {}",
        distinct, lo, hi));
  }
}

}  // namespace toegang
