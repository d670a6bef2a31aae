// CreatePgInBulk: the BulkWriter (bulk_writer.h) of a PostgreSQL database
// (`toegang generate --out postgresql://...`). OpenStore's CreateInBulk
// chooses it; nothing else should call it.
//
// The database: one that does not exist yet (it is created, as `init`
// would, with the schema and the catalogue), or an empty toegang database
// (revision 0, no enterprise, person, facility or audit row). One that
// holds a federation is refused with not_empty and left as it was;
// failures to reach or open it are PgStore::Open's.
//
// How it is written: on a connection of the writer's own, one transaction
// that holds the write lock (PgStore::kWriteLockKey: another writer waits,
// at most 5 s, then gets storage_error) from the check that the database
// is empty to the commit. The foreign keys and the non-unique indexes are
// dropped inside it (rows come in any table order, and one sort per index
// beats an insert per row) and made again at Finish from their own
// definitions (pg_get_constraintdef, pg_indexes), which checks every
// reference once. Rows go through COPY FROM STDIN (pg_copy_rows.h), a
// megabyte at a time per table. Finish sets the revision with a new chain,
// moves the subafdeling id sequence past the ids written, analyzes the
// tables, notifies PgStore::kRevisionChannel and commits. Until then,
// nothing is visible; a writer destroyed before Finish (or a process
// killed) rolls back to the empty database.
//
// Thread safety: as BulkWriter.
#ifndef TOEGANG_STORE_PG_BULK_WRITER_H_
#define TOEGANG_STORE_PG_BULK_WRITER_H_

#include <memory>
#include <string>

#include "store/bulk_writer.h"
#include "toegang/status.h"

namespace toegang {

// uri: a PostgreSQL connection URI (IsPostgresName).
Result<std::unique_ptr<BulkWriter>> CreatePgInBulk(
    const std::string& uri, const BulkWriteOptions& options);

}  // namespace toegang

#endif  // TOEGANG_STORE_PG_BULK_WRITER_H_
