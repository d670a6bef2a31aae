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
#include <string>
#include <string_view>
#include <vector>

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

// The audit log's revisions for CheckIntegrity, in one row: how many
// distinct, the lowest and the highest (0 and 0 for none).
inline constexpr char kAuditRevisionsSql[] =
    "SELECT count(DISTINCT revision), coalesce(min(revision), 0), "
    "coalesce(max(revision), 0) FROM audit WHERE revision IS NOT NULL";

// Adds to *problems what is wrong with a history whose stored revision is
// `revision` and whose audit log's revisions are (distinct, lo, hi) as
// kAuditRevisionsSql gives them: it must end at the stored revision and
// hold every revision from 1 on.
void AddHistoryProblems(int64_t revision, int64_t distinct, int64_t lo,
                        int64_t hi, std::vector<std::string>* problems);

}  // namespace toegang

#endif  // TOEGANG_STORE_HISTORY_CHAIN_H_
