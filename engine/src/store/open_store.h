// OpenStore: the one place that chooses a Store implementation for a
// database name, so that the engine and the tools hold a Store and never
// name an implementation: a `postgresql://` or `postgres://` name is a
// PostgreSQL database (PgStore), every other name an SQLite database (a
// file path, ":memory:" or a file: URI; docs/architecture.md, "A second
// store").
//
// Thread safety: the functions are reentrant; what they return is used as
// its own header says.
#ifndef TOEGANG_STORE_OPEN_STORE_H_
#define TOEGANG_STORE_OPEN_STORE_H_

#include <memory>
#include <string>

#include "store/bulk_writer.h"
#include "store/store.h"
#include "toegang/status.h"

namespace toegang {

struct StoreOpenOptions {
  // Create the database (with the schema and the catalogue) when there is
  // none.
  bool create_if_missing = false;
  // Open it read-only even when it could be written.
  bool read_only = false;
};

// Opens the database `name`, applying pending migrations. Failure codes:
// not_initialized (no such database), not_a_database (not one of
// toegang's), schema_too_new, read_only (a migration is due on a database
// opened read-only), storage_error, io_error.
Result<std::unique_ptr<Store>> OpenStore(const std::string& name,
                                         const StoreOpenOptions& options);

// Whether name is a database on a server rather than in a file beside
// the process (a PostgreSQL URI).
bool IsServerName(const std::string& name);

// Creates the database `name` with the schema and the catalogue, and
// returns a writer that fills it in one go (bulk_writer.h). An SQLite
// file must not exist yet (file_exists); a PostgreSQL database may also
// be an empty toegang database (not_empty when it holds a federation;
// pg_bulk_writer.h). Failure codes otherwise as OpenStore.
Result<std::unique_ptr<BulkWriter>> CreateInBulk(
    const std::string& name, const BulkWriteOptions& options);

}  // namespace toegang

#endif  // TOEGANG_STORE_OPEN_STORE_H_
