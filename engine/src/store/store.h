// Store: the narrow persistence interface of the engine (SPEC 5), and the
// only door to storage: load the federation (into a LoadSink), commit a
// change set, record a refusal, read the audit and change log, run registry
// imports, and say where the history stands. SqliteStore (sqlite_store.h)
// and PgStore (pg_store.h) implement it; OpenStore (open_store.h) opens
// one (docs/architecture.md, "A second store"). Storage knows the model's
// values (model/, toegang/'s value types), never the graph.
//
// Every method catches its backend's exceptions and returns a Status:
// storage_error / io_error (kStorage) for failures of the medium, and the
// internal code "stale_revision" when the database does not hold what a
// change set was planned against.
//
// Thread safety: a Store is used by one thread at a time (the engine
// serializes access with its writer lock), except CheckHealth(), which any
// thread may call at any time.
#ifndef TOEGANG_STORE_H_
#define TOEGANG_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/keyed_hash.h"
#include "model/catalogue.h"
#include "model/change_set.h"
#include "model/registry_rows.h"
#include "store/load_sink.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/status.h"

namespace toegang {

// Code returned by Store::Commit when the database moved past the
// revision the change set was planned against, or its rows are not what
// the plan expected. Internal: the engine plans under a WriteLock, so it
// only sees this when the file was edited behind toegang's back.
inline constexpr std::string_view kStaleRevision = "stale_revision";

// not_initialized for a database that is not there, with the remedy; what
// names it ("a toegang database at PATH").
inline Status NoDatabaseError(std::string_view what) {
  return Status::Storage(
      code::kNotInitialized,
      "there is no " + std::string(what) +
          ": create one with `toegang init`, or point --db / TOEGANG_DB at "
          "yours");
}

// The LIKE patterns that find AuditQuery::insz and hco in an audit row's
// detail (compact JSON, as OpToJson and the imports write it: "insz":
// "85073003328"); empty where the query has none. The values are canonical
// digits, which hold no LIKE wildcard.
struct AuditPatterns {
  std::string insz, hco;
};
inline AuditPatterns AuditPatternsOf(const AuditQuery& q) {
  AuditPatterns p;
  if (!q.insz.empty()) p.insz = "%\"insz\":\"" + q.insz + "\"%";
  if (!q.hco.empty()) p.hco = "%\"hco\":\"" + q.hco + "\"%";
  return p;
}

// The database's write lock, held from BeginWrite until Commit or
// destruction (which rolls back what was written under it). While it is
// held, no other process or connection can commit, the store's reads see
// the latest committed state (Load reads inside it too), and Store::Commit /
// RecordRefusal write inside it: they become durable, together, at
// WriteLock::Commit. BeginImport may not be called while it is held.
class WriteLock {
 public:
  virtual ~WriteLock() = default;
  virtual Status Commit() = 0;
};

// What an import changed that can change an access decision (SPEC 4.5
// conditions 1, 4 and, through the facility rules, 5), for the impact
// report: enterprises whose status changed; facilities whose status,
// organizer or type changed, and facilities the import added (which can
// make their organizer an OCMW); each change as it was before it and as it
// is after, in the order they were made. With both sides here, the impact
// needs from the graph only what imports do not change, so it may read a
// graph taken before the import or inside its transaction.
struct RegistryDelta {
  struct Enterprise {
    uint64_t kbo = 0;
    bool active = false;
    bool was_active = false;
  };
  struct Facility {
    std::string hco;
    bool active = false;
    uint64_t kbo = 0;  // organizer
    bool was_active = false;
    uint64_t was_kbo = 0;  // 0 when added
    // Both empty when the type did not change (the graph's holds on both
    // sides); type_code alone set when the import added the facility.
    std::string type_code;
    std::string was_type_code;
    bool added = false;
  };
  std::vector<Enterprise> enterprises;
  std::vector<Facility> facilities;
};

// One registry import, inside one write transaction. Destroying a session
// that was not committed rolls everything back.
class ImportSession {
 public:
  enum class Put { kInserted, kUpdated, kUnchanged, kIgnored };

  virtual ~ImportSession() = default;

  // Each Put* writes one validated row. A refusal (e.g. the enterprise of
  // a facility is unknown) is a kRefused Status for that row only.
  virtual Result<Put> PutEnterprise(const EnterpriseRow& row) = 0;
  // Offers a name; the best one per enterprise (official name, Dutch
  // first) is applied by FinishDenominations().
  virtual Result<Put> PutDenomination(const DenominationRow& row) = 0;
  // Applies the names offered; returns how many enterprises known before
  // this import changed name.
  virtual Result<size_t> FinishDenominations() = 0;
  virtual Result<Put> PutPerson(const PersonRow& row) = 0;
  // A function added is audited row by row (import.function).
  virtual Result<Put> PutFunction(const FunctionRow& row) = 0;
  virtual Result<Put> PutFacility(const FacilityRow& row) = 0;

  // Names the file the rows come from, for the audit rows of the changes
  // (enterprise stopped or active again, function added or ended, facility
  // closed, reopened or moved); each such row also counts in changes().
  // full: remember which functions and facilities the rows list, for
  // EndUnlistedFunctions / CloseUnlistedFacilities.
  virtual void SetSource(const std::string& source, bool full) = 0;
  // The whole registry (--full): ends every function that no PutFunction
  // of this session listed (the row leaves `function`, joins
  // `function_ended`, one audit row each), or closes every active facility
  // that no PutFacility listed. Returns how many.
  virtual Result<size_t> EndUnlistedFunctions() = 0;
  virtual Result<size_t> CloseUnlistedFacilities() = 0;
  // KBO Open Data extracts (import kbo-open-data). With SetSource(.., true)
  // PutEnterprise remembers the enterprises the extract lists.
  // DeleteEnterprise notes an update extract's enterprise_delete.csv row;
  // StopDeletedEnterprises then stops each noted enterprise that the
  // extract did not list again (a delete and an insert of one number is a
  // change, not a stop); StopUnlistedEnterprises stops every active
  // enterprise a full extract did not list. Each stop is audited with
  // reason; both return how many.
  virtual Result<Put> DeleteEnterprise(const Kbo& kbo) = 0;
  virtual Result<size_t> StopDeletedEnterprises(const std::string& reason) = 0;
  virtual Result<size_t> StopUnlistedEnterprises(const std::string& reason) = 0;
  struct Extract {
    uint64_t number = 0;
    std::string type;  // "full" | "update"
    std::string snapshot_date;
  };
  // The last extract applied, if any; RecordExtract makes this one the
  // last (and makes the session commit even when nothing else changed).
  virtual Result<std::optional<Extract>> LastExtract() = 0;
  virtual Status RecordExtract(const Extract& extract) = 0;
  // Something besides rows and registry changes was written
  // (RecordExtract): the session must commit.
  virtual bool wrote_state() const = 0;

  // The registry changes written so far.
  virtual const RegistryChanges& changes() const = 0;
  virtual const RegistryDelta& delta() const = 0;

  // The revision this import commits as, if it commits with changes.
  virtual uint64_t revision() const = 0;
  // Commits with a summary audit row (action, JSON detail, message) as
  // revision() when changed is true, advancing the history chain over it;
  // otherwise rolls back (nothing to record). Returns the revision
  // committed, or 0.
  virtual Result<uint64_t> Commit(const std::string& action,
                                  const std::string& detail,
                                  const std::string& message, bool changed) = 0;
};

// Where a database's history stands: its revision and the chain value
// committed with it (a keyed hash over every committed revision, see
// schema/0002_database_identity.sql). Two databases at the same revision
// share a chain value only if one is a copy of the other and neither has
// committed since.
struct HistoryMark {
  uint64_t revision = 0;
  uint64_t chain = 0;
};

struct StoreCounts {
  size_t enterprises = 0, active_enterprises = 0, persons = 0, facilities = 0,
         htbs = 0, domain_managers = 0, subafdelingen = 0, users = 0,
         rights = 0, audit_rows = 0;
};

// A connection of its own that reads only the database's revision.
// Thread safety: one thread at a time, independent of the store that made
// it (which it may outlive).
class RevisionWatch {
 public:
  virtual ~RevisionWatch() = default;
  virtual Result<uint64_t> Revision() = 0;
};

// Wakes a follower as soon as another connection commits (PostgreSQL's
// LISTEN/NOTIFY), so it need not wait for its next poll.
// Thread safety: Wait from one thread at a time; Interrupt from any thread.
// Independent of the store that made it (which it may outlive).
class CommitListener {
 public:
  virtual ~CommitListener() = default;
  // Waits up to timeout for a commit. True when one came, or when it is
  // worth looking now (listening started again after a failure: commits
  // may have come meanwhile); false when the time ran out. While the
  // server cannot be reached it waits the whole timeout, then says true.
  virtual bool Wait(std::chrono::milliseconds timeout) = 0;
  // Ends the Wait in progress and every later one at once (false).
  virtual void Interrupt() = 0;
};

// What a one-shot call names (Store::LoadPart): enterprises by KBO
// number, persons by INSZ number, facilities by canonical HCO number, and
// persons wanted for their rights only (an import's impact).
struct LoadScope {
  std::vector<uint64_t> enterprises;
  std::vector<uint64_t> persons;
  std::vector<std::string> facilities;
  std::vector<uint64_t> right_holders;
};

struct CopyTable;  // database_copy.h

// One row of a table as text, NULL as nullopt (toegang copy).
using TableRow = std::vector<std::optional<std::string>>;

// A copy of another database being written into this one
// (database_copy.h), in one write transaction that holds the write lock;
// destroying it before Finish rolls everything back.
class CopyWriter {
 public:
  virtual ~CopyWriter() = default;
  // Writes one row of a copied table (its columns in the table's order).
  virtual Status Insert(const CopyTable& table, const TableRow& row) = 0;
  // Sets the revision, chain value and database id of the source and the
  // id the next subafdeling gets, and commits. Call once.
  virtual Status Finish(const HistoryMark& mark, const DatabaseKey& key,
                        int64_t next_subafdeling_id) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Status LoadCatalogue(Catalogue* out) = 0;
  // Hands the whole federation to sink (built on the loaded catalogue), in
  // the order load_sink.h states, from one consistent revision (inside the
  // write lock's transaction when one is held); returns that revision.
  virtual Result<uint64_t> Load(LoadSink* sink) = 0;
  // Hands sink the part of the federation `scope` reaches, as Load does
  // (same order, same rows, one consistent revision, returned), so that a
  // query about what the scope names reads from it what it would read from
  // a full load (docs/architecture.md, "One-shot commands"):
  //  - with all their rows (functions, ended functions, facilities, HTB,
  //    capacities, TBs and co-TBs, subafdelingen with their
  //    authorizations, managers, users and rights): the enterprises named;
  //    every enterprise a named person has a function or a role in (HTB,
  //    TB, co-TB, subafdeling manager, user); the organizer of a named
  //    facility and every enterprise with a subafdeling there;
  //  - with their row and facilities only: the organizers of the
  //    facilities those enterprises' subafdelingen are at;
  //  - the persons named and every person those rows name, as subject or
  //    as maker;
  //  - for each right holder: their user and right rows, and what decides
  //    whether those grant (SPEC 4.5 conditions 1-5): each subafdeling
  //    they are a user at with its authorizations, its enterprise's row,
  //    HTB and activated capacities, its facility and that facility's
  //    organizer; not the other rows of those enterprises (the import's
  //    impact asks only what each holder may use).
  // The default loads everything: a part may hold more than it needs.
  virtual Result<uint64_t> LoadPart(const LoadScope& scope, LoadSink* sink) {
    (void)scope;
    return Load(sink);
  }
  virtual Result<uint64_t> CurrentRevision() = 0;
  // The revision and its chain value, read together.
  virtual Result<HistoryMark> CurrentMark() = 0;
  // The database's id: the key of its chain and of its snapshot stamps.
  // Fixed once opened.
  virtual const DatabaseKey& database_key() const = 0;
  // The id the next created subafdeling gets (ids are never reused).
  virtual Result<int64_t> NextSubafdelingId() = 0;

  // Takes the write lock, waiting for another writer up to the store's
  // busy timeout (then storage_error). One at a time per store.
  virtual Result<std::unique_ptr<WriteLock>> BeginWrite() = 0;
  // Writes changes (its ops and one audit row per op) as revision
  // expected_revision + 1, advances the history chain over those rows, and
  // sets changes->revision: durably on its own,
  // or at WriteLock::Commit when a write lock is held. Fails with
  // kStaleRevision when the stored revision is not expected_revision.
  virtual Status Commit(ChangeSet* changes, uint64_t expected_revision) = 0;
  // Appends a refusal to the audit log (under the write lock, if held).
  virtual Status RecordRefusal(const AuditRecord& record) = 0;
  virtual Result<std::vector<AuditRecord>> ReadAudit(
      const AuditQuery& query) = 0;
  // The change log after revision `from` as change sets, one per revision
  // in increasing order (revision, time, actor and ops as committed), as
  // far as the log goes when it is read (empty when nothing follows from).
  // nullopt when the log cannot be replayed: a row that is not an op this
  // build reads (an import's, whose rows are not in the log, or a
  // generated database's summary), or a gap between revisions; the caller
  // then loads from the tables.
  // The same for every store (change_log.cc): it reads the audit log
  // through ReadAudit and decodes the ops against catalogue().
  Result<std::optional<std::vector<ChangeSet>>> ChangesSince(uint64_t from);
  // The catalogue the store read when it opened: the codes its rows hold.
  virtual const Catalogue& catalogue() const = 0;

  virtual Result<std::unique_ptr<ImportSession>> BeginImport() = 0;

  virtual Result<StoreCounts> Counts() = 0;
  // Storage-level checks: the medium's own integrity checks and foreign
  // keys, revision and audit log agree and have no gaps. Returns the
  // problems found.
  // thorough: also every index against its table (SQLite's
  // integrity_check, slow); else the pages (quick_check) and foreign keys.
  virtual Result<std::vector<std::string>> CheckIntegrity(bool thorough) = 0;

  // Opened read-only (asked for, or a medium this process cannot write):
  // every write is refused with read_only.
  virtual bool read_only() const = 0;
  // The read_only refusal of `doing` (e.g. "a change") on this store.
  virtual Status ReadOnlyRefusal(std::string_view doing) const = 0;
  // Whether the storage this store opened is still the one its name
  // points at (for a file: not removed or replaced under the running
  // engine): storage_error naming what changed, else ok. Cheap (a few
  // system calls) and thread-safe: it reads only what opening fixed.
  virtual Status CheckHealth() const = 0;
  // The schema version this build writes: part of an index snapshot's
  // stamp, since a migration may rewrite rows without a revision.
  virtual int schema_version() const = 0;
  // A second, read-only connection that reads only the revision, for a
  // thread that watches the database while this store is busy (the
  // engine's start from an index snapshot).
  virtual Result<std::unique_ptr<RevisionWatch>> WatchRevision() = 0;
  // A connection of its own that hears every commit (any process's, this
  // store's too); null when the store has no such signal (SQLite: the
  // follower polls).
  virtual Result<std::unique_ptr<CommitListener>> ListenForCommits() {
    return std::unique_ptr<CommitListener>();
  }
  // Runs each statement of `sql` (database_copy.h's SELECTs, in the
  // dialect both stores read) in one read snapshot and calls fn(i, row)
  // for each row of statement i; *mark gets that snapshot's revision and
  // chain value.
  virtual Status ReadTables(
      const std::vector<std::string>& sql, HistoryMark* mark,
      const std::function<void(size_t, const TableRow&)>& fn) = 0;
  // Starts writing a copy of another database into this one (which the
  // caller found empty); read_only refused as any write.
  virtual Result<std::unique_ptr<CopyWriter>> BeginCopyInto() = 0;

  // A consistent copy of the database in the new file `to`
  // (toegang/backup.h); usage where the store's medium has its own tools
  // (PostgreSQL: pg_dump).
  virtual Status BackupTo(const std::string& to) {
    (void)to;
    return Status::InvalidInput(
        code::kUsage,
        "backup copies an SQLite database; a PostgreSQL database is backed "
        "up with pg_dump or the server's own backups (docs/deployment.md)");
  }
};

// Why a store's BeginWrite cannot start: the store is read-only, or its
// write lock is already held (a caller's bug); ok otherwise.
inline Status WriteBlocked(const Store& store, bool held) {
  if (store.read_only()) return store.ReadOnlyRefusal("a change");
  if (held) {
    return Status::Storage(code::kStorageError,
                           "internal: the write lock is already held");
  }
  return Status::Ok();
}

}  // namespace toegang

#endif  // TOEGANG_STORE_H_
