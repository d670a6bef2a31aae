// HistoryLink: the next value of a database's history chain
// (schema/0002_database_identity.sql, docs/architecture.md "Storage"), the
// same for every store: a hash keyed with the database's id of the
// previous chain value, the new revision, the revision's audit rows and a
// fresh random word. The random word makes two commits made apart (two
// copies of one database, each changed) give different values even when
// their rows are the same, to the second.
//
// Thread safety: one object per commit, used by one thread.
#ifndef TOEGANG_STORE_HISTORY_CHAIN_H_
#define TOEGANG_STORE_HISTORY_CHAIN_H_

#include <cstdint>
#include <string_view>

#include "base/keyed_hash.h"
#include "store/store.h"

namespace toegang {

// 64 bits from the operating system's generator (getrandom), else from
// std::random_device.
uint64_t RandomWord();

class HistoryLink {
 public:
  HistoryLink(const DatabaseKey& key, const HistoryMark& previous);
  // One audit row of the new revision, in the order they are written.
  void AddRow(int64_t at, std::string_view actor, std::string_view action,
              std::string_view kbo, std::string_view detail,
              std::string_view message);
  // The new revision and its chain value; call once.
  HistoryMark Finish();

 private:
  KeyedHasher hash_;
  uint64_t revision_;
};

}  // namespace toegang

#endif  // TOEGANG_STORE_HISTORY_CHAIN_H_
