// Copying a federation from one database into another, with its whole
// audit log, revision and history (`toegang copy --from SRC --to DST`,
// docs/cli.md): between SQLite and PostgreSQL, either way, or within one
// kind. The copy is verified after: every table, the revision, the history
// chain and the database id read back from DST as they were in SRC's
// snapshot.
//
// Thread safety: may run while engines read and write SRC (the copy is of
// one committed revision); nothing else may write DST meanwhile.
#ifndef TOEGANG_COPY_H_
#define TOEGANG_COPY_H_

#include <cstdint>
#include <string>

#include "toegang/status.h"

namespace toegang {

struct CopyInfo {
  uint64_t revision = 0;  // the revision the copy holds
  uint64_t tables = 0;    // tables copied
  uint64_t rows = 0;      // rows copied, audit rows included
};

// Copies the database `from` (a path or a postgresql:// URI, opened as
// every command opens it) into `to`, which is created when missing (a new
// file, mode 0600, or a new PostgreSQL database when the role may create
// one) and must otherwise be empty. Failure codes: usage (`from` and `to`
// name the same database), not_empty (`to` holds a federation; nothing
// was copied), the codes of Engine::Open for either, storage_error and
// io_error for the copy (a failure before DST's commit leaves DST empty)
// or for a copy that does not read back equal (the message says what
// differs; drop DST and copy again).
Result<CopyInfo> CopyFederation(const std::string& from, const std::string& to);

}  // namespace toegang

#endif  // TOEGANG_COPY_H_
