// WriteCommit: the part of Store::Commit that every store shares: the
// stale-revision check, the rows each kind of op inserts or deletes (one
// SQL text per op kind, so the tables have one writer), the audit row of
// each op and the next value of the history chain. A store supplies only
// how a statement runs on its connection (CommitRows) and keeps the
// transaction, its error mapping and anything it does after the rows
// (PostgreSQL's NOTIFY).
//
// Statements use '?' placeholders, numbered from 1 in order; a store whose
// driver numbers them ($1 ...) rewrites them with NumberedPlaceholders.
// Table names that PostgreSQL reserves ("user", "authorization") are quoted,
// which SQLite reads the same.
//
// Errors: WriteCommit returns kStaleRevision (store.h) when the stored
// revision is not the expected one, before it writes anything. A statement
// marked one_row that changes another number of rows throws
// std::runtime_error (the database does not hold what the plan expected:
// another writer got there first); what the store's calls throw passes
// through unchanged. After a throw the store rolls its transaction back.
//
// Thread safety: one call per commit, on the thread that owns the store's
// connection.
#ifndef TOEGANG_STORE_COMMIT_ROWS_H_
#define TOEGANG_STORE_COMMIT_ROWS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/store.h"
#include "toegang/status.h"

namespace toegang {

using RowValue = std::variant<int64_t, std::string>;

// One statement of a commit.
struct RowWrite {
  std::string_view sql;  // static text, '?' placeholders
  std::vector<RowValue> values;
  bool one_row = true;  // must change exactly one row
};

// What a store does for WriteCommit, inside its own transaction.
class CommitRows {
 public:
  virtual ~CommitRows() = default;
  // The stored revision and history chain value.
  virtual HistoryMark Mark() = 0;
  // Runs w; returns the number of rows it changed.
  virtual int64_t Run(const RowWrite& w) = 0;
  // Called after op's rows (and before its audit row); nothing by default.
  virtual void AfterRows(const Op& op) { (void)op; }
  // Appends an 'ok' audit row.
  virtual void InsertAudit(uint64_t revision, int64_t at,
                           std::string_view actor, std::string_view action,
                           std::string_view kbo, std::string_view detail,
                           std::string_view message) = 0;
  virtual void StoreMark(const HistoryMark& mark) = 0;
};

// Writes changes as revision expected_revision + 1 through rows. The
// caller commits its transaction and then sets changes->revision.
Status WriteCommit(CommitRows& rows, const DatabaseKey& key,
                   const Catalogue& catalogue, const ChangeSet& changes,
                   uint64_t expected_revision);

// The statements op writes, in order.
std::vector<RowWrite> OpRowWrites(const Op& op, const Catalogue& catalogue,
                                  const std::string& by_insz, int64_t revision,
                                  const std::string& at);

// sql with each '?' replaced by $1, $2 ... in order (the statements here
// hold no '?' inside quotes).
std::string NumberedPlaceholders(std::string_view sql);

}  // namespace toegang

#endif  // TOEGANG_STORE_COMMIT_ROWS_H_
