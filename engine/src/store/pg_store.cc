#include "store/pg_store.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

#include "base/time_util.h"
#include "model/text_forms.h"
#include "store/commit_rows.h"
#include "store/database_copy.h"
#include "store/history_chain.h"
#include "store/load_replay.h"
#include "store/migrations.h"
#include "store/part_load.h"
#include "store/pg_connection.h"
#include "store/pg_copy_rows.h"
#include "store/pg_schema.h"
#include "store/registry_import.h"
#include "store/row_counts.h"
#include "toegang/error_codes.h"

namespace toegang {
namespace {

// The advisory lock keys (one database's locks are its own): the write
// lock every writer takes, and the one a migration takes.
constexpr int64_t kWriteLockKey = PgStore::kWriteLockKey;
constexpr int64_t kSchemaLockKey = 0x736368656d61;  // "schema"

// A transaction on db, rolled back unless committed.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection& db, std::string_view begin = "BEGIN")
      : db_(db) {
    db_.Run(begin);
    open_ = true;
  }
  ~PgTransaction() {
    if (!open_) return;
    try {
      db_.Run("ROLLBACK");
    } catch (const PgError&) {
      // The connection is gone, and the transaction with it.
    }
  }
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  void Commit() {
    open_ = false;
    db_.Run("COMMIT");
  }

 private:
  PgConnection& db_;
  bool open_ = false;
};

// A write transaction holding the write lock.
class LockedTransaction : public PgTransaction {
 public:
  // Waits at most 5 s for the lock (then 55P03, storage_error).
  explicit LockedTransaction(PgConnection& db) : PgTransaction(db) {
    db.Run("SET LOCAL lock_timeout = '5s'");
    db.Exec("SELECT pg_advisory_xact_lock($1)", {kWriteLockKey});
  }
};

HistoryMark StoredMark(PgConnection& db) {
  PgResult r = db.Exec("SELECT value, chain FROM revision WHERE id = 1", {});
  if (r.rows() != 1) throw PgError("the revision row is gone", "", false);
  return {r.u64(0, 0), r.u64(0, 1)};
}

void StoreMark(PgConnection& db, const HistoryMark& mark) {
  db.Exec("UPDATE revision SET value = $1, chain = $2 WHERE id = 1",
          {mark.revision, static_cast<int64_t>(mark.chain)});
}

// Tells every listener that revision is committed (delivered when the
// transaction commits).
void NotifyCommit(PgConnection& db, uint64_t revision) {
  db.Exec("SELECT pg_notify($1, $2)",
          {PgStore::kRevisionChannel, std::to_string(revision)});
}

void InsertAudit(PgConnection& db, uint64_t revision, int64_t at,
                 std::string_view actor, std::string_view action,
                 std::string_view kbo, std::string_view detail,
                 std::string_view message) {
  db.Exec(
      "INSERT INTO audit (revision, at, actor, action, kbo, outcome, detail, "
      "message) VALUES ($1, $2, $3, $4, $5, 'ok', $6, $7)",
      {revision, FormatUtc(at), actor, action, kbo, detail, message});
}

// A commit's statements on this store's connection (commit_rows.h).
class PgCommitRows : public CommitRows {
 public:
  explicit PgCommitRows(PgConnection& db) : db_(db) {}
  HistoryMark Mark() override { return StoredMark(db_); }
  int64_t Run(const RowWrite& w) override {
    std::vector<PgParam> params;
    params.reserve(w.values.size());
    for (const RowValue& v : w.values) {
      std::visit([&](const auto& x) { params.emplace_back(x); }, v);
    }
    return db_.Exec(NumberedPlaceholders(w.sql), params).changed();
  }
  void AfterRows(const Op& op) override {
    // Ids are never given again (NextSubafdelingId reads the sequence).
    if (op.kind != Action::kCreateSubafdeling) return;
    db_.Exec(
        "SELECT setval('subafdeling_id_seq', greatest($1::bigint, "
        "(SELECT last_value FROM subafdeling_id_seq)))",
        {op.subafdeling});
  }
  void InsertAudit(uint64_t revision, int64_t at, std::string_view actor,
                   std::string_view action, std::string_view kbo,
                   std::string_view detail, std::string_view message) override {
    toegang::InsertAudit(db_, revision, at, actor, action, kbo, detail,
                         message);
  }
  void StoreMark(const HistoryMark& mark) override {
    toegang::StoreMark(db_, mark);
  }

 private:
  PgConnection& db_;
};

// Calls fn(result, row) for every row of sql (constant text), fetched in
// batches through a cursor, so a large table is never held whole.
// REQUIRES: a transaction is open.
template <typename Fn>
void ForEachRow(PgConnection& db, std::string_view sql, Fn fn) {
  db.Run(fmt::format("DECLARE toegang_rows NO SCROLL CURSOR FOR {}", sql));
  for (;;) {
    PgResult r = db.Run("FETCH FORWARD 20000 FROM toegang_rows");
    if (r.rows() == 0) break;
    for (int i = 0; i < r.rows(); ++i) fn(r, i);
  }
  db.Run("CLOSE toegang_rows");
}

// A load step's statement (load_replay.h): PostgreSQL loads whole tables.
std::string_view LoadStepSql(LoadStep step) {
  switch (step) {
    case LoadStep::kEnterprises:
      return "SELECT kbo, name, active, juridical_form, start_date FROM "
             "enterprise";
    case LoadStep::kPersons:
      return "SELECT insz, name FROM person";
    case LoadStep::kFunctions:
      return "SELECT kbo, insz, role FROM function";
    case LoadStep::kEndedFunctions:
      return "SELECT kbo, insz FROM function_ended WHERE role = "
             "'legal_representative'";
    case LoadStep::kFacilities:
      return "SELECT hco, name, type_code, kbo, active FROM facility";
    case LoadStep::kHtbs:
      return "SELECT kbo, insz, email, phone, by_insz, revision, at, "
             "wv_email, wv_phone FROM htb";
    case LoadStep::kActiveCapacities:
      return "SELECT kbo, capacity, by_insz, revision, at FROM active_capacity";
    case LoadStep::kDomainManagers:
      return "SELECT kbo, capacity, subdivision, insz, role, by_insz, "
             "revision, at FROM domain_manager";
    case LoadStep::kSubafdelingen:
      return "SELECT id, kbo, capacity, subdivision, hco, email, by_insz, "
             "revision, at FROM subafdeling ORDER BY id";
    case LoadStep::kAuthorizations:
      return "SELECT subafdeling, application, by_insz, revision, at FROM "
             "\"authorization\"";
    case LoadStep::kSubafdelingManagers:
      return "SELECT subafdeling, insz, by_insz, revision, at FROM "
             "subafdeling_manager";
    case LoadStep::kUsers:
      return "SELECT subafdeling, insz, by_insz, revision, at FROM \"user\" "
             "ORDER BY subafdeling";
    case LoadStep::kUserRights:
      return "SELECT subafdeling, insz, application, by_insz, revision, at "
             "FROM user_right ORDER BY subafdeling";
  }
  return "";  // not reached: every step is a case above
}

// The row of a fetched batch that a load step is at.
class PgLoadRow final : public LoadRow {
 public:
  void At(const PgResult& r, int row) {
    r_ = &r;
    row_ = row;
  }
  std::string_view Text(int col) const override { return r_->text(row_, col); }
  int64_t Integer(int col) const override { return r_->i64(row_, col); }

 private:
  const PgResult* r_ = nullptr;
  int row_ = 0;
};

AuditRecord ReadAuditRow(const PgResult& r, int i) {
  AuditRecord a;
  a.seq = r.u64(i, 0);
  a.revision = r.null(i, 1) ? 0 : r.u64(i, 1);
  a.at = r.str(i, 2);
  a.actor = r.str(i, 3);
  a.action = r.str(i, 4);
  a.kbo = r.str(i, 5);
  a.outcome = r.str(i, 6);
  a.code = r.str(i, 7);
  a.detail = r.str(i, 8);
  a.message = r.str(i, 9);
  a.actor_name = r.str(i, 10);
  return a;
}

// ---------------------------------------------------------------------
// The write lock: a transaction that took the advisory lock.
class PgWriteLock : public WriteLock {
 public:
  PgWriteLock(PgConnection& db, bool* held, std::string where)
      : tx_(db), held_(held), where_(std::move(where)) {
    *held_ = true;
  }
  ~PgWriteLock() override { *held_ = false; }

  Status Commit() override {
    try {
      tx_.Commit();
      return Status::Ok();
    } catch (const PgError& e) {
      return FromPg(e, where_, "committing");
    }
  }

 private:
  LockedTransaction tx_;
  bool* held_;
  std::string where_;
};

// ---------------------------------------------------------------------
// An import's statements (registry_import.h) in one locked transaction.
// Session-level temporary tables hold what the rows list and the names
// offered. *held tells the store that its loads read inside this
// transaction while the tables live (the impact's part).
class PgImportTables : public ImportTables {
 public:
  PgImportTables(PgConnection& db, std::string where, bool* held)
      : db_(db), where_(std::move(where)), tx_(db), held_(held) {
    db_.Run(
        "CREATE TEMP TABLE IF NOT EXISTS import_name (kbo TEXT PRIMARY KEY, "
        "rank BIGINT NOT NULL, name TEXT NOT NULL);"
        "CREATE TEMP TABLE IF NOT EXISTS import_new (kbo TEXT PRIMARY KEY);"
        "CREATE TEMP TABLE IF NOT EXISTS import_listed_function (kbo TEXT, "
        "insz TEXT, role TEXT, PRIMARY KEY (kbo, insz, role));"
        "CREATE TEMP TABLE IF NOT EXISTS import_listed_facility (hco TEXT "
        "PRIMARY KEY);"
        "CREATE TEMP TABLE IF NOT EXISTS import_listed_enterprise (kbo TEXT "
        "PRIMARY KEY);"
        "CREATE TEMP TABLE IF NOT EXISTS import_deleted_enterprise (kbo TEXT "
        "PRIMARY KEY);"
        "TRUNCATE import_name, import_new, import_listed_function, "
        "import_listed_facility, import_listed_enterprise, "
        "import_deleted_enterprise");
  }

  void ListEnterprise(const std::string& kbo) override {
    db_.Exec(
        "INSERT INTO import_listed_enterprise VALUES ($1) ON CONFLICT DO "
        "NOTHING",
        {kbo});
  }
  void ListFunction(const FunctionKey& f) override {
    db_.Exec(
        "INSERT INTO import_listed_function VALUES ($1, $2, $3) ON CONFLICT "
        "DO NOTHING",
        {f[0], f[1], f[2]});
  }
  void ListFacility(const std::string& hco) override {
    db_.Exec(
        "INSERT INTO import_listed_facility VALUES ($1) ON CONFLICT DO "
        "NOTHING",
        {hco});
  }
  void NoteDeletedEnterprise(const std::string& kbo) override {
    db_.Exec(
        "INSERT INTO import_deleted_enterprise VALUES ($1) ON CONFLICT DO "
        "NOTHING",
        {kbo});
  }

  std::optional<Enterprise> GetEnterprise(const std::string& kbo) override {
    PgResult r = db_.Exec(
        "SELECT active, juridical_form, start_date FROM enterprise WHERE kbo "
        "= $1",
        {kbo});
    if (r.rows() == 0) return std::nullopt;
    return Enterprise{r.i64(0, 0) != 0, r.str(0, 1), r.str(0, 2)};
  }
  void InsertEnterprise(const std::string& kbo,
                        const EnterpriseRow& row) override {
    db_.Exec(
        "INSERT INTO enterprise (kbo, active, juridical_form, start_date) "
        "VALUES ($1, $2, $3, $4)",
        {kbo, row.active ? 1 : 0, row.juridical_form, row.start_date});
    db_.Exec("INSERT INTO import_new VALUES ($1) ON CONFLICT DO NOTHING",
             {kbo});
  }
  void UpdateEnterprise(const std::string& kbo,
                        const EnterpriseRow& row) override {
    db_.Exec(
        "UPDATE enterprise SET active = $1, juridical_form = $2, start_date = "
        "$3 WHERE kbo = $4",
        {row.active ? 1 : 0, row.juridical_form, row.start_date, kbo});
  }
  bool EnterpriseKnown(const std::string& kbo) override {
    return db_.Exec("SELECT 1 FROM enterprise WHERE kbo = $1", {kbo}).rows() >
           0;
  }
  std::vector<std::string> EnterprisesToStop(bool deleted_only) override {
    PgResult r = db_.Exec(
        deleted_only
            ? "SELECT kbo FROM enterprise WHERE active = 1 AND kbo IN (SELECT "
              "kbo FROM import_deleted_enterprise) AND kbo NOT IN (SELECT kbo "
              "FROM import_listed_enterprise) ORDER BY kbo"
            : "SELECT kbo FROM enterprise WHERE active = 1 AND kbo NOT IN "
              "(SELECT kbo FROM import_listed_enterprise) ORDER BY kbo",
        {});
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.str(i, 0));
    return out;
  }
  void StopEnterprise(const std::string& kbo) override {
    db_.Exec("UPDATE enterprise SET active = 0 WHERE kbo = $1", {kbo});
  }

  void OfferName(const std::string& kbo, int rank,
                 const std::string& name) override {
    db_.Exec(
        "INSERT INTO import_name (kbo, rank, name) VALUES ($1, $2, $3) ON "
        "CONFLICT (kbo) DO UPDATE SET rank = excluded.rank, name = "
        "excluded.name WHERE excluded.rank < import_name.rank",
        {kbo, rank, name});
  }
  size_t ApplyNames() override {
    const auto renamed = static_cast<size_t>(
        db_.Exec("SELECT count(*) FROM import_name n JOIN enterprise e ON "
                 "e.kbo = n.kbo WHERE e.name IS DISTINCT FROM n.name AND "
                 "n.kbo NOT IN (SELECT kbo FROM import_new)",
                 {})
            .i64(0, 0));
    db_.Exec(
        "UPDATE enterprise e SET name = n.name FROM import_name n WHERE n.kbo "
        "= e.kbo AND e.name IS DISTINCT FROM n.name",
        {});
    return renamed;
  }

  std::optional<std::string> PersonName(const std::string& insz) override {
    PgResult r = db_.Exec("SELECT name FROM person WHERE insz = $1", {insz});
    if (r.rows() == 0) return std::nullopt;
    return r.str(0, 0);
  }
  void InsertPerson(const std::string& insz, const std::string& name) override {
    db_.Exec("INSERT INTO person (insz, name) VALUES ($1, $2)", {insz, name});
  }
  void UpdatePerson(const std::string& insz, const std::string& name) override {
    db_.Exec("UPDATE person SET name = $1 WHERE insz = $2", {name, insz});
  }

  bool InsertFunction(const FunctionKey& f) override {
    return db_.Exec(
                  "INSERT INTO function (kbo, insz, role) VALUES ($1, $2, "
                  "$3) ON CONFLICT DO NOTHING",
                  {f[0], f[1], f[2]})
               .changed() == 1;
  }
  void UnendFunction(const FunctionKey& f) override {
    db_.Exec(
        "DELETE FROM function_ended WHERE kbo = $1 AND insz = $2 AND role = "
        "$3",
        {f[0], f[1], f[2]});
  }
  std::vector<FunctionKey> UnlistedFunctions() override {
    PgResult r = db_.Exec(
        "SELECT kbo, insz, role FROM function f WHERE NOT EXISTS (SELECT 1 "
        "FROM import_listed_function l WHERE l.kbo = f.kbo AND l.insz = "
        "f.insz AND l.role = f.role) ORDER BY kbo, insz, role",
        {});
    std::vector<FunctionKey> out;
    for (int i = 0; i < r.rows(); ++i) {
      out.push_back({r.str(i, 0), r.str(i, 1), r.str(i, 2)});
    }
    return out;
  }
  void EndFunction(const FunctionKey& f, uint64_t revision,
                   const std::string& at, const std::string& source) override {
    db_.Exec("DELETE FROM function WHERE kbo = $1 AND insz = $2 AND role = $3",
             {f[0], f[1], f[2]});
    db_.Exec(
        "INSERT INTO function_ended (kbo, insz, role, revision, at, source) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kbo, insz, role) DO "
        "UPDATE SET revision = excluded.revision, at = excluded.at, source = "
        "excluded.source",
        {f[0], f[1], f[2], revision, at, source});
  }

  std::optional<Facility> GetFacility(const std::string& hco) override {
    PgResult r = db_.Exec(
        "SELECT name, type_code, kbo, active FROM facility WHERE hco = $1",
        {hco});
    if (r.rows() == 0) return std::nullopt;
    return Facility{r.str(0, 0), r.str(0, 1), r.str(0, 2), r.i64(0, 3) != 0};
  }
  void InsertFacility(const FacilityRow& row) override {
    db_.Exec(
        "INSERT INTO facility (hco, name, type_code, kbo, active) VALUES ($1, "
        "$2, $3, $4, $5)",
        {row.hco.str(), row.name, row.type_code.str(), row.kbo.ToString(),
         row.active ? 1 : 0});
  }
  void UpdateFacility(const FacilityRow& row) override {
    db_.Exec(
        "UPDATE facility SET name = $1, type_code = $2, kbo = $3, active = $4 "
        "WHERE hco = $5",
        {row.name, row.type_code.str(), row.kbo.ToString(), row.active ? 1 : 0,
         row.hco.str()});
  }
  std::vector<std::pair<std::string, std::string>> UnlistedActiveFacilities()
      override {
    PgResult r = db_.Exec(
        "SELECT hco, kbo FROM facility WHERE active = 1 AND hco NOT IN "
        "(SELECT hco FROM import_listed_facility) ORDER BY hco",
        {});
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = 0; i < r.rows(); ++i)
      out.emplace_back(r.str(i, 0), r.str(i, 1));
    return out;
  }
  void CloseFacility(const std::string& hco) override {
    db_.Exec("UPDATE facility SET active = 0 WHERE hco = $1", {hco});
  }

  std::optional<ImportSession::Extract> LastExtract() override {
    PgResult r = db_.Exec(
        "SELECT number, type, snapshot_date FROM kbo_extract WHERE id = 1", {});
    if (r.rows() == 0) return std::nullopt;
    return ImportSession::Extract{r.u64(0, 0), r.str(0, 1), r.str(0, 2)};
  }
  void RecordExtract(const ImportSession::Extract& extract,
                     uint64_t revision) override {
    db_.Exec(
        "INSERT INTO kbo_extract (id, number, type, snapshot_date, revision) "
        "VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET number = "
        "excluded.number, type = excluded.type, snapshot_date = "
        "excluded.snapshot_date, revision = excluded.revision",
        {extract.number, extract.type, extract.snapshot_date, revision});
  }

  void InsertAudit(uint64_t revision, int64_t at, std::string_view action,
                   std::string_view kbo, std::string_view detail,
                   std::string_view message) override {
    toegang::InsertAudit(db_, revision, at, "", action, kbo, detail, message);
  }
  HistoryMark Mark() override { return StoredMark(db_); }
  void SetMark(const HistoryMark& mark) override { StoreMark(db_, mark); }
  void Commit(uint64_t revision) override {
    NotifyCommit(db_, revision);
    tx_.Commit();
  }

  Status Failure(std::string_view doing) override {
    try {
      throw;
    } catch (const PgError& e) {
      return FromPg(e, where_, doing);
    }
  }

 private:
  PgConnection& db_;
  const std::string where_;
  LockedTransaction tx_;
  HeldFlag held_;
};

// ---------------------------------------------------------------------
class PgRevisionWatch : public RevisionWatch {
 public:
  explicit PgRevisionWatch(std::unique_ptr<PgConnection> db)
      : db_(std::move(db)) {}

  Result<uint64_t> Revision() override {
    try {
      return StoredMark(*db_).revision;
    } catch (const PgError& e) {
      return FromPg(e, db_->where(), "reading the revision");
    }
  }

 private:
  std::unique_ptr<PgConnection> db_;
};

// LISTEN on a connection of its own; Wait polls its socket and an
// eventfd that Interrupt makes readable for good.
class PgCommitListener : public CommitListener {
 public:
  explicit PgCommitListener(std::string uri)
      : uri_(std::move(uri)), wake_(::eventfd(0, EFD_CLOEXEC)) {}
  ~PgCommitListener() override {
    if (wake_ >= 0) ::close(wake_);
  }

  bool Wait(std::chrono::milliseconds timeout) override {
    if (db_ == nullptr) {
      try {
        db_ = PgConnection::Connect(uri_);
        db_->Run(fmt::format("LISTEN {}", PgStore::kRevisionChannel));
        return !interrupted();  // commits may have come while not listening
      } catch (const PgError&) {
        db_.reset();
        // The server is away: look again after the timeout (the caller's
        // look reports it), not at once.
        return PollFor(-1, timeout) && !interrupted();
      }
    }
    try {
      if (!db_->TakeNotifications().empty()) return true;
      if (!PollFor(db_->socket(), timeout)) return false;
      if (interrupted()) return false;
      (void)db_->TakeNotifications();
      return true;
    } catch (const PgError&) {
      db_.reset();  // listen again at the next call
      return !interrupted();
    }
  }

  void Interrupt() override {
    const uint64_t one = 1;
    if (wake_ >= 0) (void)!::write(wake_, &one, sizeof one);
  }

 private:
  bool interrupted() const {
    pollfd p{wake_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
  }
  // Waits until fd (when >= 0) is readable, Interrupt, or the timeout;
  // false on the timeout.
  bool PollFor(int fd, std::chrono::milliseconds timeout) const {
    pollfd p[2] = {{wake_, POLLIN, 0}, {fd, POLLIN, 0}};
    return ::poll(p, fd >= 0 ? 2 : 1, static_cast<int>(timeout.count())) > 0;
  }

  const std::string uri_;
  const int wake_;
  std::unique_ptr<PgConnection> db_;
};

// ---------------------------------------------------------------------
// A copy of another database (database_copy.h) in one locked transaction;
// the rows of each table go through COPY FROM STDIN (pg_copy_rows.h), a
// table at a time as they come (tables come in the order of their
// references, so each COPY's foreign keys find what they refer to).
// Finish sets the revision row and moves the sequences past the ids
// copied.
class PgCopyWriter : public CopyWriter {
 public:
  PgCopyWriter(PgConnection& db, bool* held, std::string where)
      : db_(db), tx_(db), held_(held), where_(std::move(where)) {
    *held_ = true;
  }
  ~PgCopyWriter() override { *held_ = false; }

  Status Insert(const CopyTable& table, const TableRow& row) override {
    // The table whose rows a failure is about: the one before, while its
    // last rows are sent.
    std::string_view writing = table.name;
    try {
      if (table_ != table.name) {
        writing = table_;
        if (rows_) rows_->Flush();
        writing = table.name;
        rows_.reset();
        table_ = table.name;
        rows_ = std::make_unique<PgCopyRows>(db_, table.name, table.columns);
      }
      for (const std::optional<std::string>& v : row) {
        if (v) {
          rows_->Text(*v);
        } else {
          rows_->Null();
        }
      }
      rows_->EndRow();
      return Status::Ok();
    } catch (const PgError& e) {
      return FromPg(e, where_, fmt::format("copying rows into {}", writing));
    }
  }

  Status Finish(const HistoryMark& mark, const DatabaseKey& key,
                int64_t next_subafdeling_id) override {
    try {
      if (rows_) rows_->Flush();
      rows_.reset();
      std::string hex;
      for (unsigned char b : key) hex += fmt::format("{:02x}", b);
      db_.Exec(
          "UPDATE revision SET value = $1, chain = $2, database_id = "
          "decode($3, 'hex') WHERE id = 1",
          {mark.revision, static_cast<int64_t>(mark.chain), hex});
      db_.Exec("SELECT setval('subafdeling_id_seq', $1, $2)",
               {std::max<int64_t>(next_subafdeling_id - 1, 1),
                next_subafdeling_id > 1 ? "true" : "false"});
      db_.Run(
          "SELECT setval('audit_seq_seq', coalesce(max(seq), 1), max(seq) IS "
          "NOT NULL) FROM audit");
      tx_.Commit();
      return Status::Ok();
    } catch (const PgError& e) {
      return FromPg(e, where_, "committing the copy");
    }
  }

 private:
  PgConnection& db_;
  LockedTransaction tx_;
  bool* held_;
  std::string where_;
  std::string_view table_;            // the table rows_ writes
  std::unique_ptr<PgCopyRows> rows_;  // that table's rows, buffered
};

// A text array literal of values that are digits (KBO, INSZ, HCO numbers,
// ids); quoted and escaped all the same.
std::string PgArrayLiteral(const std::vector<std::string>& values) {
  std::string out = "{";
  for (const std::string& v : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : v) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace

Status FromPg(const PgError& e, std::string_view where,
              std::string_view doing) {
  const std::string what = fmt::format("{}: {}", doing, e.what());
  const std::string& state = e.sqlstate();
  if (e.connection_lost()) {
    return Status::Storage(
        code::kStorageError,
        fmt::format("{}; {} cannot be reached: check that PostgreSQL runs and "
                    "that --db / TOEGANG_DB names it (nothing was changed)",
                    what, where));
  }
  if (state == "55P03") {
    return Status::Storage(code::kStorageError,
                           what +
                               "; another process holds the database's write "
                               "lock: try again when it is done");
  }
  if (state == "53100") {
    return Status::Storage(code::kStorageError,
                           what +
                               "; the database server's disk is full: free "
                               "space and try again (nothing was changed)");
  }
  if (state == "25006" || state == "42501") {
    return Status::Storage(code::kReadOnly,
                           what +
                               "; this connection may not write (a standby, "
                               "or a role without the right): point --db at "
                               "the primary with a role that may write "
                               "(nothing was changed)");
  }
  if (state == "28P01" || state == "28000") {
    return Status::Storage(code::kStorageError,
                           what + "; check the user and password in --db");
  }
  return Status::Storage(code::kStorageError, what);
}

bool IsPostgresName(std::string_view name) {
  return name.starts_with("postgresql://") || name.starts_with("postgres://");
}

PgStore::PgStore(std::unique_ptr<PgConnection> db, std::string uri)
    : db_(std::move(db)), uri_(std::move(uri)), where_(db_->where()) {}

PgStore::~PgStore() = default;

int PgStore::schema_version() const {
  return static_cast<int>(Migrations().size());
}

Status PgStore::ReadOnlyRefusal(std::string_view doing) const {
  return Status::Storage(
      code::kReadOnly,
      fmt::format("{} is open read-only ({}): {} is refused and nothing was "
                  "changed; to change the database, point --db at the "
                  "primary server and run the command again",
                  where_, read_only_why_, doing));
}

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& uri,
                                               bool create_if_missing,
                                               bool read_only) {
  const std::string where = PgWhere(uri);
  std::unique_ptr<PgConnection> db;
  try {
    db = PgConnection::Connect(uri);
  } catch (const PgError& e) {
    const std::string message = e.what();
    const bool no_database =
        message.find("does not exist") != std::string::npos &&
        message.find("database") != std::string::npos;
    if (!no_database) return FromPg(e, where, "opening the database");
    if (!create_if_missing) {
      return NoDatabaseError(where);
    }
    if (read_only) {
      return Status::Storage(
          code::kReadOnly,
          fmt::format("there is no {}, and it was opened read-only as asked: "
                      "nothing was created",
                      where));
    }
    std::string name;
    const std::optional<std::string> maintenance =
        PgMaintenanceConninfo(uri, &name);
    try {
      if (!maintenance) throw PgError("the name does not parse", "", false);
      std::unique_ptr<PgConnection> admin = PgConnection::Connect(*maintenance);
      std::string quoted = "\"";
      for (const char c : name)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      quoted += '"';
      try {
        admin->Run("CREATE DATABASE " + quoted);
      } catch (const PgError& c) {
        if (c.sqlstate() != "42P04") throw;  // made by another meanwhile
      }
      db = PgConnection::Connect(uri);
    } catch (const PgError& c) {
      return FromPg(c, where, "creating the database");
    }
  }
  auto store = std::unique_ptr<PgStore>(new PgStore(std::move(db), uri));
  try {
    if (read_only) {
      store->read_only_ = true;
      store->read_only_why_ = "opened read-only as asked";
    } else if (store->db_->Exec("SELECT pg_is_in_recovery()", {}).text(0, 0) ==
               "t") {
      store->read_only_ = true;
      store->read_only_why_ = "it is a standby server, in recovery";
    }
    Status s = store->Migrate(create_if_missing);
    if (!s.ok()) return s;
    PgResult id = store->db_->Exec(
        "SELECT encode(database_id, 'hex') FROM revision WHERE id = 1", {});
    const std::string hex = id.rows() == 1 ? id.str(0, 0) : "";
    if (hex.size() != 2 * store->key_.size()) {
      return Status::Storage(
          code::kNotADatabase,
          fmt::format("{} has no valid database id (schema version 2); it "
                      "was edited by another tool: restore it from a backup",
                      where));
    }
    for (size_t i = 0; i < store->key_.size(); ++i) {
      store->key_[i] =
          static_cast<uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
    }
  } catch (const PgError& e) {
    return FromPg(e, where, "opening the database");
  }
  Status s = store->LoadCatalogue(&store->catalogue_);
  if (!s.ok()) return s;
  return store;
}

Status PgStore::Migrate(bool create_if_missing) {
  const int latest = schema_version();
  auto version_now = [&]() -> std::optional<int> {
    PgResult r = db_->Exec(
        "SELECT to_regclass('toegang_schema') IS NOT NULL, (SELECT count(*) "
        "FROM pg_tables WHERE schemaname = current_schema())",
        {});
    if (r.text(0, 0) == "t") {
      return static_cast<int>(
          db_->Exec("SELECT version FROM toegang_schema WHERE id = 1", {})
              .i64(0, 0));
    }
    if (r.i64(0, 1) > 0) return std::nullopt;  // someone else's tables
    return 0;
  };
  std::optional<int> version = version_now();
  if (!version) {
    return Status::Storage(code::kNotADatabase,
                           fmt::format("{} has tables but is not a toegang "
                                       "database; nothing was touched",
                                       where_));
  }
  if (*version > latest) {
    return Status::Storage(
        code::kSchemaTooNew,
        fmt::format("{} has schema version {}, newer than this toegang "
                    "understands ({}): upgrade toegang; nothing was touched",
                    where_, *version, latest));
  }
  if (*version == 0 && !create_if_missing) {
    return Status::Storage(
        code::kNotInitialized,
        fmt::format("{} is empty: run `toegang init` first", where_));
  }
  if (*version == latest) return Status::Ok();
  if (read_only_) {
    return ReadOnlyRefusal(fmt::format(
        "bringing its schema from version {} to {}", *version, latest));
  }
  // One migration at a time across processes; look again under the lock.
  PgTransaction tx(*db_);
  db_->Exec("SELECT pg_advisory_xact_lock($1)", {kSchemaLockKey});
  version = version_now();
  if (!version) {
    return Status::Storage(code::kNotADatabase,
                           fmt::format("{} is not a toegang database", where_));
  }
  if (*version == 0) {
    db_->Run(
        "CREATE TABLE toegang_schema (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "version INTEGER NOT NULL); INSERT INTO toegang_schema VALUES (1, 0)");
  }
  for (int v = *version; v < latest; ++v) {
    db_->Run(PostgresMigrationSql(Migrations()[static_cast<size_t>(v)]));
    db_->Exec("UPDATE toegang_schema SET version = $1 WHERE id = 1", {v + 1});
  }
  tx.Commit();
  return Status::Ok();
}

Status PgStore::LoadCatalogue(Catalogue* out) {
  try {
    return ReplayCatalogue(out, [&](std::string_view table_sql,
                                    const LoadRowFn& row_fn) {
      PgResult r = db_->Exec(fmt::format("{} ORDER BY ctid", table_sql), {});
      PgLoadRow row;
      for (int i = 0; i < r.rows(); ++i) {
        row.At(r, i);
        row_fn(row);
      }
    });
  } catch (const PgError& e) {
    return FromPg(e, where_, "loading the catalogue");
  }
}

Result<uint64_t> PgStore::Load(LoadSink* sink) {
  try {
    // One snapshot, so the load sees one revision (the write lock's
    // transaction, when one is held: no one else commits meanwhile).
    std::optional<PgTransaction> tx;
    if (!write_held_) {
      tx.emplace(*db_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }
    const uint64_t revision = StoredMark(*db_).revision;
    PgResult counts = db_->Exec(
        "SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM "
        "enterprise), (SELECT count(*) FROM facility), (SELECT count(*) FROM "
        "subafdeling)",
        {});
    sink->Reserve(counts.u64(0, 0), counts.u64(0, 1), counts.u64(0, 2),
                  counts.u64(0, 3));
    ReplayLoad(sink, [&](LoadStep step, const LoadRowFn& row_fn) {
      PgLoadRow row;
      ForEachRow(*db_, LoadStepSql(step), [&](const PgResult& r, int i) {
        row.At(r, i);
        row_fn(row);
      });
    });
    if (tx) tx->Commit();
    return revision;
  } catch (const PgError& e) {
    return FromPg(e, where_, "loading the federation");
  }
}

Result<uint64_t> PgStore::LoadPart(const LoadScope& scope, LoadSink* sink) {
  try {
    std::optional<PgTransaction> tx;
    if (!write_held_) {
      tx.emplace(*db_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }
    const PartRunner run = [&](std::string_view sql, const PartSets& sets,
                               const LoadRowFn& row_fn) {
      std::vector<PartSet> order;
      const std::string text = ExpandPartSql(
          sql,
          [](PartSet set, int n) {
            return fmt::format("SELECT unnest(${}::{}[])", n,
                               set == PartSet::kLsub ? "bigint" : "text");
          },
          &order);
      std::vector<PgParam> params;
      params.reserve(order.size());
      for (PartSet set : order) params.emplace_back(PgArrayLiteral(sets[set]));
      PgResult r = db_->Exec(text, params);
      PgLoadRow row;
      for (int i = 0; i < r.rows(); ++i) {
        row.At(r, i);
        row_fn(row);
      }
    };
    const uint64_t revision = StoredMark(*db_).revision;
    ReplayPart(sink, FindPart(scope, run), run);
    if (tx) tx->Commit();
    return revision;
  } catch (const PgError& e) {
    return FromPg(e, where_, "loading a part of the federation");
  }
}

Result<uint64_t> PgStore::CurrentRevision() {
  Result<HistoryMark> mark = CurrentMark();
  if (!mark.ok()) return mark.status();
  return mark->revision;
}

Result<HistoryMark> PgStore::CurrentMark() {
  try {
    return StoredMark(*db_);
  } catch (const PgError& e) {
    return FromPg(e, where_, "reading the revision");
  }
}

Result<int64_t> PgStore::NextSubafdelingId() {
  try {
    PgResult r =
        db_->Exec("SELECT last_value, is_called FROM subafdeling_id_seq", {});
    return r.i64(0, 0) + (r.text(0, 1) == "t" ? 1 : 0);
  } catch (const PgError& e) {
    return FromPg(e, where_, "reading the next subafdeling id");
  }
}

Result<std::unique_ptr<WriteLock>> PgStore::BeginWrite() {
  if (Status blocked = WriteBlocked(*this, write_held_); !blocked.ok()) {
    return blocked;
  }
  try {
    return std::unique_ptr<WriteLock>(
        std::make_unique<PgWriteLock>(*db_, &write_held_, where_));
  } catch (const PgError& e) {
    return FromPg(e, where_, "taking the write lock");
  }
}

Status PgStore::Commit(ChangeSet* changes, uint64_t expected_revision) {
  if (read_only_) return ReadOnlyRefusal("a change");
  try {
    // Under a WriteLock the rows join its transaction (which the lock's
    // owner rolls back if this fails); otherwise this is one transaction
    // that takes the lock itself.
    std::optional<LockedTransaction> tx;
    if (!write_held_) tx.emplace(*db_);
    PgCommitRows rows(*db_);
    Status s = WriteCommit(rows, key_, catalogue_, *changes, expected_revision);
    if (!s.ok()) return s;
    const uint64_t revision = expected_revision + 1;
    NotifyCommit(*db_, revision);
    if (tx) tx->Commit();
    changes->revision = revision;
    return Status::Ok();
  } catch (const PgError& e) {
    return FromPg(e, where_,
                  fmt::format("committing {}", ActionName(changes->action)));
  } catch (const std::runtime_error& e) {
    // The rows did not match the plan: another writer got there first.
    return Status::Storage(kStaleRevision, e.what());
  }
}

Status PgStore::RecordRefusal(const AuditRecord& r) {
  if (read_only_) return ReadOnlyRefusal("recording a refusal");
  try {
    db_->Exec(
        "INSERT INTO audit (revision, at, actor, action, kbo, outcome, code, "
        "detail, message) VALUES (NULL, $1, $2, $3, $4, 'refused', $5, $6, "
        "$7)",
        {r.at.empty() ? FormatUtc(NowSeconds()) : r.at, r.actor, r.action,
         r.kbo, r.code, r.detail.empty() ? std::string("{}") : r.detail,
         r.message});
    return Status::Ok();
  } catch (const PgError& e) {
    return FromPg(e, where_, "recording a refusal");
  }
}

Result<std::vector<AuditRecord>> PgStore::ReadAudit(const AuditQuery& query) {
  try {
    std::vector<AuditRecord> out;
    const AuditPatterns like = AuditPatternsOf(query);
    // From a revision on, the revision index finds the rows; revisions
    // grow with seq, so (revision, seq) order is seq order.
    // The actor's name as the eleventh column.
    constexpr const char* kColumns =
        "SELECT seq, revision, at, actor, action, kbo, outcome, code, detail, "
        "message, coalesce((SELECT name FROM person WHERE person.insz = "
        "audit.actor), '') FROM audit WHERE ";
    PgResult r =
        query.since_revision == 0 && query.newest_first
            ? db_->Exec(
                  std::string(kColumns) +
                      "seq < $1 AND ($2 = '' OR kbo = $2) AND ($3 = '' OR "
                      "actor = $3 OR detail LIKE $4) AND ($5 = '' OR detail "
                      "LIKE $6) ORDER BY seq DESC LIMIT $7",
                  {query.before_seq == 0 ? static_cast<uint64_t>(INT64_MAX)
                                         : query.before_seq,
                   query.kbo, query.insz, like.insz, query.hco, like.hco,
                   static_cast<uint64_t>(query.limit)})
        : query.since_revision == 0
            ? db_->Exec(
                  std::string(kColumns) +
                      "seq > $1 AND ($2 = "
                      "'' OR kbo = $2) AND ($3 = '' OR actor = $3 OR detail "
                      "LIKE "
                      "$4) AND ($5 = '' OR detail LIKE $6) ORDER BY seq LIMIT "
                      "$7",
                  {query.after_seq, query.kbo, query.insz, like.insz, query.hco,
                   like.hco, static_cast<uint64_t>(query.limit)})
            : db_->Exec(
                  std::string(kColumns) +
                      "revision > $1 AND "
                      "seq > $2 AND ($3 = '' OR kbo = $3) AND ($4 = '' OR "
                      "actor = "
                      "$4 OR detail LIKE $5) AND ($6 = '' OR detail LIKE $7) "
                      "ORDER BY revision, seq LIMIT $8",
                  {query.since_revision, query.after_seq, query.kbo, query.insz,
                   like.insz, query.hco, like.hco,
                   static_cast<uint64_t>(query.limit)});
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(ReadAuditRow(r, i));
    return out;
  } catch (const PgError& e) {
    return FromPg(e, where_, "reading the audit log");
  }
}

Result<std::unique_ptr<ImportSession>> PgStore::BeginImport() {
  if (read_only_) return ReadOnlyRefusal("an import");
  try {
    return std::unique_ptr<ImportSession>(std::make_unique<RegistryImport>(
        std::make_unique<PgImportTables>(*db_, where_, &write_held_), key_));
  } catch (const PgError& e) {
    return FromPg(e, where_, "starting the import");
  }
}

Result<StoreCounts> PgStore::Counts() {
  try {
    // Kept by the schema's triggers
    // (schema/postgresql/0007_row_counts_postgresql.sql).
    StoreCounts c;
    PgResult r = db_->Exec("SELECT name, n FROM row_count", {});
    for (int i = 0; i < r.rows(); ++i)
      SetRowCount(&c, r.str(i, 0), r.u64(i, 1));
    return c;
  } catch (const PgError& e) {
    return FromPg(e, where_, "counting");
  }
}

Result<std::vector<std::string>> PgStore::CheckIntegrity(bool thorough) {
  (void)thorough;  // the server checks its own pages and indexes
  try {
    // PostgreSQL checks its own pages and enforces the foreign keys on
    // every write; what is left is toegang's: the kept counts, revision
    // and audit log.
    std::vector<std::string> problems;
    // The kept counts (schema/postgresql/0007_row_counts_postgresql.sql)
    // against the rows.
    PgResult counts = db_->Exec(
        "SELECT name, kept.n, real.n FROM row_count AS kept JOIN "
        "row_count_real AS real USING (name) WHERE kept.n <> real.n",
        {});
    for (int i = 0; i < counts.rows(); ++i) {
      problems.push_back(
          fmt::format("row_count says {} rows of {}, the table holds {}",
                      counts.i64(i, 1), counts.str(i, 0), counts.i64(i, 2)));
    }
    const int64_t revision =
        db_->Exec("SELECT value FROM revision WHERE id = 1", {}).i64(0, 0);
    PgResult r = db_->Exec(kAuditRevisionsSql, {});
    AddHistoryProblems(revision, r.i64(0, 0), r.i64(0, 1), r.i64(0, 2),
                       &problems);
    return problems;
  } catch (const PgError& e) {
    return FromPg(e, where_, "checking the database");
  }
}

Status PgStore::ReadTables(
    const std::vector<std::string>& sql, HistoryMark* mark,
    const std::function<void(size_t, const TableRow&)>& fn) {
  try {
    std::optional<PgTransaction> tx;
    if (!write_held_) {
      tx.emplace(*db_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }
    *mark = StoredMark(*db_);
    TableRow row;
    for (size_t i = 0; i < sql.size(); ++i) {
      ForEachRow(*db_, sql[i], [&](const PgResult& r, int at) {
        row.assign(static_cast<size_t>(r.columns()), std::nullopt);
        for (int c = 0; c < r.columns(); ++c) {
          if (!r.null(at, c)) row[static_cast<size_t>(c)] = r.str(at, c);
        }
        fn(i, row);
      });
    }
    if (tx) tx->Commit();
    return Status::Ok();
  } catch (const PgError& e) {
    return FromPg(e, where_, "reading the tables to copy");
  }
}

Result<std::unique_ptr<CopyWriter>> PgStore::BeginCopyInto() {
  if (Status blocked = WriteBlocked(*this, write_held_); !blocked.ok()) {
    return blocked;
  }
  try {
    return std::unique_ptr<CopyWriter>(
        std::make_unique<PgCopyWriter>(*db_, &write_held_, where_));
  } catch (const PgError& e) {
    return FromPg(e, where_, "starting the copy");
  }
}

Result<std::unique_ptr<RevisionWatch>> PgStore::WatchRevision() {
  try {
    return std::unique_ptr<RevisionWatch>(
        std::make_unique<PgRevisionWatch>(PgConnection::Connect(uri_)));
  } catch (const PgError& e) {
    return FromPg(e, where_, "connecting to watch the revision");
  }
}

Result<std::unique_ptr<CommitListener>> PgStore::ListenForCommits() {
  return std::unique_ptr<CommitListener>(
      std::make_unique<PgCommitListener>(uri_));
}

}  // namespace toegang
