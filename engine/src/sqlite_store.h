// SqliteStore: the Store on one SQLite database file, through SQLiteCpp.
//
// The file is created with mode 0600 (and SQLite gives its -wal and -shm
// files the same mode). Connections run in WAL mode with foreign keys on
// and synchronous=FULL, so a returned commit survives kill -9 and power
// loss. All SQL uses bound parameters; no statement is built from input.
//
// Thread safety: as Store (one thread at a time).
#ifndef TOEGANG_SQLITE_STORE_H_
#define TOEGANG_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "store.h"

namespace SQLite {
class Database;
}

namespace toegang {

class StatementCache;

class SqliteStore : public Store {
 public:
  // Opens path, creating it (0600) with the schema when create_if_missing,
  // and applies pending migrations. Failure codes: not_initialized (no such
  // file), not_a_database (not SQLite, or SQLite but not toegang),
  // schema_too_new, storage_error.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   bool create_if_missing);
  ~SqliteStore() override;

  Status LoadCatalogue(Catalogue* out) override;
  Result<uint64_t> Load(DelegationGraph* graph) override;
  Result<uint64_t> CurrentRevision() override;
  Result<int64_t> NextSubafdelingId() override;
  Result<std::unique_ptr<WriteLock>> BeginWrite() override;
  Status Commit(ChangeSet* changes, uint64_t expected_revision) override;
  Status RecordRefusal(const AuditRecord& record) override;
  Result<std::vector<AuditRecord>> ReadAudit(const AuditQuery& query) override;
  Result<std::unique_ptr<ImportSession>> BeginImport() override;
  Result<StoreCounts> Counts() override;
  Result<std::vector<std::string>> CheckIntegrity() override;

  // The schema version this build writes (the number of migrations).
  static int LatestSchemaVersion();

 private:
  SqliteStore(std::unique_ptr<SQLite::Database> db, std::string path);

  std::unique_ptr<SQLite::Database> db_;
  // Prepared statements of the commit, audit and import paths; declared
  // after db_, so destroyed before the connection closes.
  std::unique_ptr<StatementCache> statements_;
  std::string path_;
  Catalogue catalogue_;      // for writing ops by code
  bool write_held_ = false;  // a WriteLock of this store is open
};

}  // namespace toegang

#endif  // TOEGANG_SQLITE_STORE_H_
