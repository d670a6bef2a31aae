// CreateSqliteInBulk: the BulkWriter (bulk_writer.h) of an SQLite database
// file. OpenStore's CreateInBulk chooses it; nothing else should call it.
//
// How the file is written: SqliteStore::Open creates it (schema,
// catalogue, mode 0600, WAL); then one connection of the writer's own runs
// with synchronous=OFF, an in-memory rollback journal, an exclusive lock
// and a large page cache, and writes every row in one transaction through
// multi-row INSERTs (batch_insert.h), with the two secondary indexes whose
// keys arrive in random order dropped until the end and rebuilt from their
// own definitions (one sort each instead of a random B-tree insert per
// row). Finish switches the file back to WAL with shared locking.
//
// Thread safety: as BulkWriter.
#ifndef TOEGANG_STORE_SQLITE_BULK_WRITER_H_
#define TOEGANG_STORE_SQLITE_BULK_WRITER_H_

#include <memory>
#include <string>

#include "store/bulk_writer.h"
#include "toegang/status.h"

namespace toegang {

// path: an SQLite database file that does not exist yet.
Result<std::unique_ptr<BulkWriter>> CreateSqliteInBulk(
    const std::string& path, const BulkWriteOptions& options);

}  // namespace toegang

#endif  // TOEGANG_STORE_SQLITE_BULK_WRITER_H_
