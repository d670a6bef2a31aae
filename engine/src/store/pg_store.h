// PgStore: the Store on a PostgreSQL database (docs/architecture.md, "A
// second store"; docs/deployment.md), through libpq (pg_connection.h). The
// database is named by a libpq connection URI, postgresql://... or
// postgres://... (IsPostgresName).
//
// The schema is the SQLite one in PostgreSQL's dialect (pg_schema.h); its
// version is kept in the table toegang_schema. Writers on any host
// serialize on a transaction-level advisory lock (pg_advisory_xact_lock,
// waiting at most 5 s, then storage_error), taken before the revision is
// read, so revisions stay gap-free and every audit row commits with its
// change. Every commit (a mutation's, an import's) notifies the channel
// kRevisionChannel in its transaction with the new revision, so followers
// on other hosts wake when it is visible (ListenForCommits). Commits are
// as durable as the server makes them (synchronous_commit, fsync).
//
// A lost connection fails the call in progress with storage_error and is
// opened again at the next call. A standby (in recovery) is opened
// read-only.
//
// Thread safety: as Store (one thread at a time), except CheckHealth(),
// which any thread may call at any time.
#ifndef TOEGANG_STORE_PG_STORE_H_
#define TOEGANG_STORE_PG_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/store.h"

namespace toegang {

class PgConnection;
class PgError;

// A PostgreSQL failure while `doing` something on the database `where`
// (PgWhere) as a Status with a remedy an operator can use: storage_error
// (the server cannot be reached, the write lock is held, its disk is full,
// a bad password), read_only (a standby, a role that may not write).
Status FromPg(const PgError& e, std::string_view where, std::string_view doing);

// Whether name is a PostgreSQL connection URI (postgresql:// or
// postgres://).
bool IsPostgresName(std::string_view name);

class PgStore : public Store {
 public:
  // The channel every commit notifies with its revision.
  static constexpr std::string_view kRevisionChannel = "toegang_revision";
  // The transaction-level advisory lock (pg_advisory_xact_lock) every
  // writer of the database takes before it reads the revision.
  static constexpr int64_t kWriteLockKey = 0x746f6567616e67;  // "toegang"

  // Connects to uri and applies pending migrations; with
  // create_if_missing, creates the database (through the server's
  // maintenance database "postgres") when there is none, and the schema in
  // an empty one. Failure codes: not_initialized (no such database, or an
  // empty one), not_a_database (tables that are not toegang's),
  // schema_too_new, read_only, storage_error.
  static Result<std::unique_ptr<PgStore>> Open(const std::string& uri,
                                               bool create_if_missing,
                                               bool read_only = false);
  ~PgStore() override;

  Status LoadCatalogue(Catalogue* out) override;
  Result<uint64_t> Load(LoadSink* sink) override;
  // The part's rows (part_load.h), each set bound as an array and read
  // with unnest.
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
  bool read_only() const override { return read_only_; }
  Status ReadOnlyRefusal(std::string_view doing) const override;
  // Nothing to look at without a round trip: a server that is away shows
  // in the next call's storage_error (and in the follower's health).
  Status CheckHealth() const override { return Status::Ok(); }
  int schema_version() const override;
  Status ReadTables(
      const std::vector<std::string>& sql, HistoryMark* mark,
      const std::function<void(size_t, const TableRow&)>& fn) override;
  Result<std::unique_ptr<CopyWriter>> BeginCopyInto() override;
  Result<std::unique_ptr<RevisionWatch>> WatchRevision() override;
  Result<std::unique_ptr<CommitListener>> ListenForCommits() override;

 private:
  PgStore(std::unique_ptr<PgConnection> db, std::string uri);
  Status Migrate(bool create_if_missing);

  std::unique_ptr<PgConnection> db_;
  std::string uri_;
  std::string where_;  // for messages: database, host, port
  Catalogue catalogue_;
  bool write_held_ = false;
  bool read_only_ = false;
  std::string read_only_why_;
  DatabaseKey key_{};
};

}  // namespace toegang

#endif  // TOEGANG_STORE_PG_STORE_H_
