#include "store/open_store.h"

#include "store/pg_bulk_writer.h"
#include "store/pg_store.h"
#include "store/sqlite_bulk_writer.h"
#include "store/sqlite_store.h"

namespace toegang {

Result<std::unique_ptr<Store>> OpenStore(const std::string& name,
                                         const StoreOpenOptions& options) {
  if (IsPostgresName(name)) {
    Result<std::unique_ptr<PgStore>> store =
        PgStore::Open(name, options.create_if_missing, options.read_only);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(store).value());
  }
  Result<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(name, options.create_if_missing, options.read_only);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(store).value());
}

bool IsServerName(const std::string& name) { return IsPostgresName(name); }

Result<std::unique_ptr<BulkWriter>> CreateInBulk(
    const std::string& name, const BulkWriteOptions& options) {
  if (IsPostgresName(name)) return CreatePgInBulk(name, options);
  return CreateSqliteInBulk(name, options);
}

}  // namespace toegang
