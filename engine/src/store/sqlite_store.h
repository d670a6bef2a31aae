// SqliteStore: the Store on one SQLite database file, through SQLiteCpp.
//
// The file is created with mode 0600 (and SQLite gives its -wal and -shm
// files the same mode). Connections run in WAL mode with foreign keys on
// and synchronous=FULL, so a returned commit survives kill -9 and power
// loss. All SQL uses bound parameters; no statement is built from input.
//
// A file that this process cannot write (a read-only file system, a
// read-only file or directory), or OpenOptions::read_only, is opened
// read-only: through SQLite's read-only mode, which reads a write-ahead log
// that is there, else as immutable (a WAL-mode file on a read-only medium
// has no -shm file and cannot get one). Reads then work as usual; every
// write is refused with read_only.
//
// Thread safety: as Store (one thread at a time), except CheckHealth(),
// which any thread may call at any time.
#ifndef TOEGANG_SQLITE_STORE_H_
#define TOEGANG_SQLITE_STORE_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>

#include "store/store.h"

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
  // With read_only (or a file or directory this process cannot write),
  // opens it read-only; then a database that still needs a migration is
  // refused with read_only.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   bool create_if_missing,
                                                   bool read_only = false);
  ~SqliteStore() override;

  Status LoadCatalogue(Catalogue* out) override;
  Result<uint64_t> Load(LoadSink* sink) override;
  Result<uint64_t> LoadPart(const LoadScope& scope, LoadSink* sink) override;
  Result<uint64_t> CurrentRevision() override;
  Result<HistoryMark> CurrentMark() override;
  const DatabaseKey& database_key() const override { return key_; }
  Result<int64_t> NextSubafdelingId() override;
  Result<std::unique_ptr<WriteLock>> BeginWrite() override;
  Status Commit(ChangeSet* changes, uint64_t expected_revision) override;
  Status RecordRefusal(const AuditRecord& record) override;
  Result<std::vector<AuditRecord>> ReadAudit(const AuditQuery& query) override;
  const Catalogue& catalogue() const override { return catalogue_; }
  Result<std::unique_ptr<ImportSession>> BeginImport() override;
  Result<StoreCounts> Counts() override;
  Result<std::vector<std::string>> CheckIntegrity(bool thorough) override;
  Status BackupTo(const std::string& to) override;
  Status ReadTables(
      const std::vector<std::string>& sql, HistoryMark* mark,
      const std::function<void(size_t, const TableRow&)>& fn) override;
  Result<std::unique_ptr<CopyWriter>> BeginCopyInto() override;
  bool read_only() const override { return read_only_; }
  Status ReadOnlyRefusal(std::string_view doing) const override;
  // The files this store opened: the database file, and its write-ahead
  // log, which SQLite keeps while any connection is open. A file removed
  // or replaced under a running engine leaves it reading what it opened
  // while other processes see something else (or fail).
  Status CheckHealth() const override;
  int schema_version() const override { return LatestSchemaVersion(); }
  // A read-only connection to the same file.
  Result<std::unique_ptr<RevisionWatch>> WatchRevision() override;

  // The schema version this build writes (the number of migrations).
  static int LatestSchemaVersion();

 private:
  // A file's identity: device and inode.
  struct FileId {
    dev_t dev = 0;
    ino_t ino = 0;
    friend bool operator==(const FileId&, const FileId&) = default;
  };
  static std::optional<FileId> IdOf(const std::string& path);

  // Load's steps over the whole tables.
  Result<uint64_t> LoadRows(LoadSink* sink);

  SqliteStore(std::unique_ptr<SQLite::Database> db, std::string path);

  std::unique_ptr<SQLite::Database> db_;
  // Prepared statements of the commit, audit and import paths; declared
  // after db_, so destroyed before the connection closes.
  std::unique_ptr<StatementCache> statements_;
  std::string path_;
  Catalogue catalogue_;      // for writing ops by code
  bool write_held_ = false;  // a WriteLock of this store is open
  bool read_only_ = false;
  std::string read_only_why_;  // for the read_only refusals
  DatabaseKey key_{};          // the database's id (schema/0002)
  // The files opened (CheckHealth): none for an in-memory database, no
  // log when the file is not in WAL mode or opened immutable.
  std::optional<FileId> file_id_, wal_id_;
};

}  // namespace toegang

#endif  // TOEGANG_SQLITE_STORE_H_
