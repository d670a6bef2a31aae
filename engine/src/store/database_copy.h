// DatabaseCopy: `toegang copy --from SRC --to DST`: a federation with its
// whole audit log, revision, history chain and id copied from one store
// into another (SQLite to PostgreSQL or back, or within one kind), then
// verified equal. The part every store shares: which tables are copied,
// with which columns, in which order (references before what refers to
// them), the refusal of a destination that is not empty, and the
// comparison after. A store supplies ReadTables (every table in one
// consistent snapshot) and BeginCopyInto (one write transaction).
//
// What is copied: the registries (enterprises, persons, functions, ended
// functions, facilities), the delegation state with its provenance, the
// audit log with its sequence numbers, the last KBO extract applied, the
// revision with its chain value and the database's id (so the copy is a
// copy in the history chain's sense, schema/0002), and the next
// subafdeling id (ids are never given twice). The catalogue is not copied:
// both databases have the one their migrations made, and a copy between
// two that differ is refused. Derived files (an SQLite database's index
// snapshot) are not copied; an engine builds its own.
//
// Errors: not_empty when the destination holds any row or revision (the
// copy wrote nothing); storage_error when the catalogues differ or the
// copy does not read back equal (the destination then holds the copy: the
// remedy says to drop it); what the stores return otherwise. A failure
// before the destination's commit leaves it as it was (empty).
//
// Thread safety: one thread; the two stores are used one call at a time.
#ifndef TOEGANG_STORE_DATABASE_COPY_H_
#define TOEGANG_STORE_DATABASE_COPY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "store/store.h"
#include "toegang/status.h"

namespace toegang {

// A table that a copy reads: its name (quoted where PostgreSQL reserves
// it), its columns, and whether the copy writes its rows (the catalogue's
// are only compared).
struct CopyTable {
  const char* name;
  const char* columns;
  bool copied;
};

// The tables, in the order they are written.
const std::vector<CopyTable>& CopyTables();

// The SELECT of a table's columns, as ReadTables runs it.
std::string CopySelectSql(const CopyTable& table);

// A table's rows, in a form that does not depend on the store or the
// order: how many, and the sum of a 64-bit digest of each.
struct TableDigest {
  size_t rows = 0;
  uint64_t sum = 0;
};

struct CopySummary {
  uint64_t revision = 0;
  size_t tables = 0;  // tables copied
  size_t rows = 0;    // rows copied
};

// Copies `from` into `to` and reads `to` back: every table, the revision
// and chain must be what the source's snapshot held (compared by
// TableDigest, so that nothing is held in memory but one row). `to` must
// be empty (not_empty otherwise) and have the source's catalogue. The
// database id written is from.database_key(): a store opened on `to`
// before the copy still holds the old one (open it again).
Result<CopySummary> CopyDatabase(Store& from, Store& to);

// The differences between the two databases' copied and catalogue tables
// (by TableDigest), revision, chain and id, at most `limit` of them
// (empty: equal).
Result<std::vector<std::string>> CompareDatabases(Store& a, Store& b,
                                                  size_t limit = 10);

}  // namespace toegang

#endif  // TOEGANG_STORE_DATABASE_COPY_H_
