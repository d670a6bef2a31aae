// A consistent copy of a toegang database, made while engines read and
// write it (`toegang backup FILE`, docs/cli.md).
//
// The copy holds the database as one committed revision: every table, the
// audit log and the history chain. It is not bound to the original's index
// snapshot or mapped bases (files beside the database, named after it),
// which are never copied: an engine opened on the copy, or on the
// original after the copy was put back, builds its own from the rows.
//
// Thread safety: may run at the same time as engines in this process and
// others on the same database; it takes no lock an engine waits for
// longer than a page copy.
#ifndef TOEGANG_BACKUP_H_
#define TOEGANG_BACKUP_H_

#include <cstdint>
#include <string>

#include "toegang/status.h"

namespace toegang {

struct BackupInfo {
  uint64_t revision = 0;  // the revision the copy holds
  uint64_t bytes = 0;     // the copy's size
};

// Copies the database `db` (a path; opened as every command opens it, so a
// pending schema migration is applied first) to the new file `to` (mode
// 0600). The copy is written beside `to` and renamed to it only once
// complete and synced: `to` is either absent or whole. Failure codes:
// file_exists (`to` exists: nothing is overwritten), usage (a PostgreSQL
// database: use pg_dump), the codes of Engine::Open for `db`, io_error and
// storage_error for the copy (nothing is left at `to`).
Result<BackupInfo> BackupDatabase(const std::string& db, const std::string& to);

}  // namespace toegang

#endif  // TOEGANG_BACKUP_H_
