#include "store/sqlite_store.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>

#include "base/keyed_hash.h"
#include "base/time_util.h"
#include "model/text_forms.h"
#include "store/commit_rows.h"
#include "store/database_copy.h"
#include "store/history_chain.h"
#include "store/load_replay.h"
#include "store/migrations.h"
#include "store/part_load.h"
#include "store/registry_import.h"
#include "store/row_counts.h"
#include "store/statement_cache.h"
#include "toegang/error_codes.h"

namespace toegang {
namespace {

// A load step's statement (load_replay.h) over the whole tables (a part's
// are part_load.cc's).
const char* LoadStepSql(LoadStep step) {
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
             "revision, "
             "at FROM domain_manager";
    case LoadStep::kSubafdelingen:
      return "SELECT id, kbo, capacity, subdivision, hco, email, by_insz, "
             "revision, at FROM subafdeling ORDER BY id";
    case LoadStep::kAuthorizations:
      return "SELECT subafdeling, application, by_insz, revision, at FROM "
             "authorization";
    case LoadStep::kSubafdelingManagers:
      return "SELECT subafdeling, insz, by_insz, revision, at FROM "
             "subafdeling_manager";
    case LoadStep::kUsers:
      return "SELECT subafdeling, insz, by_insz, revision, at FROM user";
    case LoadStep::kUserRights:
      return "SELECT subafdeling, insz, application, by_insz, revision, at "
             "FROM "
             "user_right";
  }
  return "";  // not reached: every step is a case above
}

// The kept row counts (schema/0005_row_counts.sql) that differ from their
// tables: name, kept, real.
constexpr const char* kCountedRowsSql =
    "SELECT name, kept.n, real.n FROM row_count AS kept JOIN row_count_real "
    "AS real USING (name) WHERE kept.n <> real.n";

// The current row of a load step's statement.
class SqliteLoadRow final : public LoadRow {
 public:
  explicit SqliteLoadRow(const SQLite::Statement& q) : q_(q) {}
  // Without copying: valid until the statement steps or resets.
  std::string_view Text(int col) const override {
    const SQLite::Column c = q_.getColumn(col);
    const char* text = c.getText();  // before getBytes, as SQLite asks
    return {text, static_cast<size_t>(c.getBytes())};
  }
  int64_t Integer(int col) const override {
    return q_.getColumn(col).getInt64();
  }

 private:
  const SQLite::Statement& q_;
};

// Turns a SQLite failure into a Status with a remedy an operator can use.
Status FromSqlite(const SQLite::Exception& e, std::string_view doing) {
  const int rc = e.getErrorCode() & 0xff;
  std::string what = fmt::format("{}: {}", doing, e.what());
  switch (rc) {
    case SQLITE_NOTADB:
      return Status::Storage(code::kNotADatabase,
                             what +
                                 "; the file is not a toegang database "
                                 "(check --db / TOEGANG_DB)");
    case SQLITE_CORRUPT:
      return Status::Storage(code::kNotADatabase,
                             what +
                                 "; the database file is damaged: restore "
                                 "it from a backup");
    case SQLITE_FULL:
      return Status::Storage(code::kStorageError,
                             what +
                                 "; the disk is full: free space and try "
                                 "again (nothing was changed)");
    case SQLITE_READONLY:
      return Status::Storage(code::kReadOnly,
                             what +
                                 "; the database is read-only: check the "
                                 "file's permissions (nothing was changed)");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Storage(code::kStorageError,
                             what +
                                 "; another process holds the database "
                                 "lock: try again when it is done");
    case SQLITE_IOERR:
      if (e.getExtendedErrorCode() == SQLITE_IOERR_WRITE ||
          e.getExtendedErrorCode() == SQLITE_IOERR_TRUNCATE) {
        // EFBIG (ulimit -f, with SIGXFSZ ignored) and EDQUOT end up here.
        return Status::Storage(code::kIoError,
                               what +
                                   "; the file size limit (ulimit -f) or a "
                                   "disk quota was reached, or the disk "
                                   "failed: raise the limit or free space and "
                                   "try again");
      }
      return Status::Storage(code::kIoError, what);
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      return Status::Storage(code::kIoError, what);
    default:
      return Status::Storage(code::kStorageError, what);
  }
}

// The actor's name, the eleventh column of every audit read.
#define TOEGANG_AUDIT_ACTOR_NAME                                         \
  "coalesce((SELECT name FROM person WHERE person.insz = audit.actor), " \
  "'')"

AuditRecord ReadAuditRow(SQLite::Statement& q) {
  AuditRecord r;
  r.seq = static_cast<uint64_t>(q.getColumn(0).getInt64());
  r.revision = q.getColumn(1).isNull()
                   ? 0
                   : static_cast<uint64_t>(q.getColumn(1).getInt64());
  r.at = q.getColumn(2).getString();
  r.actor = q.getColumn(3).getString();
  r.action = q.getColumn(4).getString();
  r.kbo = q.getColumn(5).getString();
  r.outcome = q.getColumn(6).getString();
  r.code = q.getColumn(7).getString();
  r.detail = q.getColumn(8).getString();
  r.message = q.getColumn(9).getString();
  r.actor_name = q.getColumn(10).getString();
  return r;
}

void InsertAudit(StatementCache& statements, uint64_t revision, int64_t at,
                 const std::string& actor, std::string_view action,
                 const std::string& kbo, const std::string& detail,
                 const std::string& message) {
  StatementCache::Use use = statements.Get(
      "INSERT INTO audit (revision, at, actor, action, kbo, outcome, detail, "
      "message) VALUES (?, ?, ?, ?, ?, 'ok', ?, ?)");
  SQLite::Statement& q = *use;
  q.bind(1, static_cast<int64_t>(revision));
  q.bind(2, FormatUtc(at));
  q.bind(3, actor);
  q.bind(4, std::string(action));
  q.bind(5, kbo);
  q.bind(6, detail);
  q.bind(7, message);
  q.exec();
}

uint64_t StoredRevision(StatementCache& statements) {
  StatementCache::Use q =
      statements.Get("SELECT value FROM revision WHERE id = 1");
  if (!q->executeStep()) throw std::runtime_error("the revision row is gone");
  return static_cast<uint64_t>(q->getColumn(0).getInt64());
}

HistoryMark StoredMark(StatementCache& statements) {
  StatementCache::Use q =
      statements.Get("SELECT value, chain FROM revision WHERE id = 1");
  if (!q->executeStep()) throw std::runtime_error("the revision row is gone");
  return {static_cast<uint64_t>(q->getColumn(0).getInt64()),
          static_cast<uint64_t>(q->getColumn(1).getInt64())};
}

// Sets the revision and its chain value (in the caller's transaction).
void StoreMark(StatementCache& statements, const HistoryMark& mark) {
  StatementCache::Use q =
      statements.Get("UPDATE revision SET value = ?, chain = ? WHERE id = 1");
  q->bind(1, static_cast<int64_t>(mark.revision));
  q->bind(2, static_cast<int64_t>(mark.chain));
  q->exec();
}

Status ReadOnlyError(const std::string& path, const std::string& why,
                     std::string_view doing) {
  return Status::Storage(
      code::kReadOnly,
      fmt::format("{} is open read-only ({}): {} is refused and nothing was "
                  "changed; to change the database, make it and its "
                  "directory writable for this user (or copy it to a "
                  "writable place) and run the command again",
                  path, why, doing));
}

// Why this process cannot write the database file at path or create files
// beside it (SQLite's -wal and -shm); empty when it can.
std::string NotWritable(const std::string& path) {
  const std::filesystem::path file(path);
  const std::string dir =
      file.has_parent_path() ? file.parent_path().string() : ".";
  for (const std::string& f : {path, dir}) {
    // access(), not faccessat(AT_EACCESS): glibc may emulate the latter
    // and then takes root for someone who can write anything.
    if (::access(f.c_str(), W_OK) != 0) {
      if (errno == EROFS) return "it is on a read-only file system";
      return fmt::format("this user cannot write {}", f);
    }
  }
  return "";
}

// A file: URI for path with the given query (SQLite URI syntax: an
// absolute path after an empty authority, unsafe bytes %-escaped).
std::string FileUri(const std::string& path, std::string_view query) {
  std::string uri = path.starts_with('/') ? "file://" : "file:";
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || std::strchr("/._-~", c) != nullptr) {
      uri += ch;
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  uri += '?';
  uri += query;
  return uri;
}

// Opens path read-only: SQLite's read-only mode first, which reads the
// write-ahead log when it is there (and its -shm, or a private copy of the
// index when that cannot be written). A WAL-mode file without a -wal file
// where none can be made fails there (CANTOPEN on a read-only file system,
// READONLY for lack of permission); with no log to read,
// the file alone holds the database, and it is opened immutable (no locks,
// no -shm). A log with commits in it that cannot be read is an error.
std::unique_ptr<SQLite::Database> OpenReadOnly(const std::string& path,
                                               bool* immutable) {
  const int kFlags =
      SQLite::OPEN_READONLY | SQLite::OPEN_URI | SQLite::OPEN_NOMUTEX;
  *immutable = false;
  try {
    auto db =
        std::make_unique<SQLite::Database>(FileUri(path, "mode=ro"), kFlags);
    db->setBusyTimeout(5000);
    db->execAndGet("SELECT count(*) FROM sqlite_master");  // opens the log
    return db;
  } catch (const SQLite::Exception& e) {
    // CANTOPEN on a read-only file system, READONLY where the directory
    // or the -shm cannot be written for lack of permission.
    const int rc = e.getErrorCode() & 0xff;
    if (rc != SQLITE_CANTOPEN && rc != SQLITE_READONLY) throw;
    std::error_code ec;
    const uintmax_t wal = std::filesystem::file_size(path + "-wal", ec);
    if (!ec && wal > 0) throw;
  }
  *immutable = true;
  return std::make_unique<SQLite::Database>(
      FileUri(path, "mode=ro&immutable=1"), kFlags);
}

// A commit's statements on this store's connection (commit_rows.h).
class SqliteCommitRows : public CommitRows {
 public:
  explicit SqliteCommitRows(StatementCache& statements)
      : statements_(statements) {}
  HistoryMark Mark() override { return StoredMark(statements_); }
  int64_t Run(const RowWrite& w) override {
    StatementCache::Use use = statements_.Get(w.sql);
    SQLite::Statement& q = *use;
    int col = 1;
    for (const RowValue& v : w.values) {
      std::visit([&](const auto& x) { q.bind(col++, x); }, v);
    }
    return q.exec();
  }
  void InsertAudit(uint64_t revision, int64_t at, std::string_view actor,
                   std::string_view action, std::string_view kbo,
                   std::string_view detail, std::string_view message) override {
    toegang::InsertAudit(statements_, revision, at, std::string(actor), action,
                         std::string(kbo), std::string(detail),
                         std::string(message));
  }
  void StoreMark(const HistoryMark& mark) override {
    toegang::StoreMark(statements_, mark);
  }

 private:
  StatementCache& statements_;
};

// ---------------------------------------------------------------------
// A copy of another database (database_copy.h) in one IMMEDIATE
// transaction: each table's INSERT prepared once; Finish sets the
// revision row and the subafdeling ids' sequence.
class SqliteCopyWriter : public CopyWriter {
 public:
  SqliteCopyWriter(SQLite::Database& db, bool* held)
      : db_(db), tx_(db, SQLite::TransactionBehavior::IMMEDIATE), held_(held) {
    *held_ = true;
  }
  ~SqliteCopyWriter() override { *held_ = false; }

  Status Insert(const CopyTable& table, const TableRow& row) override {
    try {
      auto it = inserts_.find(table.name);
      if (it == inserts_.end()) {
        std::string marks;
        for (size_t i = 0; i < row.size(); ++i) marks += i == 0 ? "?" : ", ?";
        const std::string insert =
            fmt::format("INSERT INTO {} ({}) VALUES ({})", table.name,
                        table.columns, marks);
        it = inserts_
                 .emplace(table.name,
                          std::make_unique<SQLite::Statement>(db_, insert))
                 .first;
      }
      SQLite::Statement& q = *it->second;
      q.reset();
      for (size_t i = 0; i < row.size(); ++i) {
        if (row[i]) {
          q.bind(static_cast<int>(i + 1), *row[i]);
        } else {
          q.bind(static_cast<int>(i + 1));
        }
      }
      q.exec();
      return Status::Ok();
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, fmt::format("copying a row into {}", table.name));
    }
  }

  Status Finish(const HistoryMark& mark, const DatabaseKey& key,
                int64_t next_subafdeling_id) override {
    try {
      SQLite::Statement q(db_,
                          "UPDATE revision SET value = ?, chain = ?, "
                          "database_id = ? WHERE id = 1");
      q.bind(1, static_cast<int64_t>(mark.revision));
      q.bind(2, static_cast<int64_t>(mark.chain));
      q.bind(3, key.data(), static_cast<int>(key.size()));
      q.exec();
      if (next_subafdeling_id > 1) {
        db_.exec("DELETE FROM sqlite_sequence WHERE name = 'subafdeling'");
        SQLite::Statement seq(db_,
                              "INSERT INTO sqlite_sequence (name, seq) VALUES "
                              "('subafdeling', ?)");
        seq.bind(1, next_subafdeling_id - 1);
        seq.exec();
      }
      inserts_.clear();
      tx_.commit();
      return Status::Ok();
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "committing the copy");
    }
  }

 private:
  SQLite::Database& db_;
  SQLite::Transaction tx_;
  bool* held_;
  std::map<std::string, std::unique_ptr<SQLite::Statement>> inserts_;
};

// ---------------------------------------------------------------------
// BEGIN IMMEDIATE until Commit; *held tells the store's Commit not to open
// a transaction of its own meanwhile.
class SqliteWriteLock : public WriteLock {
 public:
  SqliteWriteLock(SQLite::Database& db, bool* held)
      : tx_(db, SQLite::TransactionBehavior::IMMEDIATE), held_(held) {
    *held_ = true;
  }
  ~SqliteWriteLock() override { *held_ = false; }  // tx_ rolls back if open

  Status Commit() override {
    try {
      tx_.commit();
      return Status::Ok();
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "committing");
    }
  }

 private:
  SQLite::Transaction tx_;
  bool* held_;
};

// ---------------------------------------------------------------------
class SqliteImportTables : public ImportTables {
 public:
  // Takes the write lock (IMMEDIATE) before the session reads the
  // revision, so no other writer can commit the same number; *held says
  // so to the store while the tables live, so that a load during the
  // import (the impact's part) reads inside this transaction.
  SqliteImportTables(SQLite::Database& db, StatementCache& statements,
                     bool* held)
      : db_(db),
        statements_(statements),
        tx_(db, SQLite::TransactionBehavior::IMMEDIATE),
        held_(held) {
    db_.exec(
        "CREATE TEMP TABLE IF NOT EXISTS import_name (kbo TEXT PRIMARY KEY, "
        "rank INTEGER NOT NULL, name TEXT NOT NULL);"
        "DELETE FROM import_name;"
        "CREATE TEMP TABLE IF NOT EXISTS import_new (kbo TEXT PRIMARY KEY);"
        "DELETE FROM import_new;"
        "CREATE TEMP TABLE IF NOT EXISTS import_listed_function (kbo TEXT, "
        "insz TEXT, role TEXT, PRIMARY KEY (kbo, insz, role));"
        "DELETE FROM import_listed_function;"
        "CREATE TEMP TABLE IF NOT EXISTS import_listed_facility (hco TEXT "
        "PRIMARY KEY);"
        "DELETE FROM import_listed_facility;"
        "CREATE TEMP TABLE IF NOT EXISTS import_listed_enterprise (kbo TEXT "
        "PRIMARY KEY);"
        "DELETE FROM import_listed_enterprise;"
        "CREATE TEMP TABLE IF NOT EXISTS import_deleted_enterprise (kbo TEXT "
        "PRIMARY KEY);"
        "DELETE FROM import_deleted_enterprise");
  }

  void ListEnterprise(const std::string& kbo) override {
    Run("INSERT OR IGNORE INTO import_listed_enterprise VALUES (?)", kbo);
  }
  void ListFunction(const FunctionKey& f) override {
    Run("INSERT OR IGNORE INTO import_listed_function VALUES (?, ?, ?)", f[0],
        f[1], f[2]);
  }
  void ListFacility(const std::string& hco) override {
    Run("INSERT OR IGNORE INTO import_listed_facility VALUES (?)", hco);
  }
  void NoteDeletedEnterprise(const std::string& kbo) override {
    Run("INSERT OR IGNORE INTO import_deleted_enterprise VALUES (?)", kbo);
  }

  std::optional<Enterprise> GetEnterprise(const std::string& kbo) override {
    StatementCache::Use q = statements_.Get(
        "SELECT active, juridical_form, start_date FROM enterprise WHERE kbo "
        "= ?");
    q->bind(1, kbo);
    if (!q->executeStep()) return std::nullopt;
    return Enterprise{q->getColumn(0).getInt() != 0,
                      q->getColumn(1).getString(), q->getColumn(2).getString()};
  }
  void InsertEnterprise(const std::string& kbo,
                        const EnterpriseRow& row) override {
    Run("INSERT INTO enterprise (kbo, active, juridical_form, start_date) "
        "VALUES (?, ?, ?, ?)",
        kbo, row.active ? 1 : 0, row.juridical_form, row.start_date);
    Run("INSERT OR IGNORE INTO import_new VALUES (?)", kbo);
  }
  void UpdateEnterprise(const std::string& kbo,
                        const EnterpriseRow& row) override {
    Run("UPDATE enterprise SET active = ?, juridical_form = ?, start_date = ? "
        "WHERE kbo = ?",
        row.active ? 1 : 0, row.juridical_form, row.start_date, kbo);
  }
  bool EnterpriseKnown(const std::string& kbo) override {
    StatementCache::Use q =
        statements_.Get("SELECT 1 FROM enterprise WHERE kbo = ?");
    q->bind(1, kbo);
    return q->executeStep();
  }
  std::vector<std::string> EnterprisesToStop(bool deleted_only) override {
    return Column(deleted_only
                      ? "SELECT kbo FROM enterprise WHERE active = 1 AND kbo "
                        "IN (SELECT kbo FROM import_deleted_enterprise) AND "
                        "kbo NOT IN (SELECT kbo FROM "
                        "import_listed_enterprise) ORDER BY kbo"
                      : "SELECT kbo FROM enterprise WHERE active = 1 AND kbo "
                        "NOT IN (SELECT kbo FROM import_listed_enterprise) "
                        "ORDER BY kbo");
  }
  void StopEnterprise(const std::string& kbo) override {
    Run("UPDATE enterprise SET active = 0 WHERE kbo = ?", kbo);
  }

  void OfferName(const std::string& kbo, int rank,
                 const std::string& name) override {
    Run("INSERT INTO import_name (kbo, rank, name) VALUES (?, ?, ?) ON "
        "CONFLICT (kbo) DO UPDATE SET rank = excluded.rank, name = "
        "excluded.name WHERE excluded.rank < import_name.rank",
        kbo, rank, name);
  }
  size_t ApplyNames() override {
    const auto renamed = static_cast<size_t>(
        db_.execAndGet(
               "SELECT count(*) FROM import_name n JOIN enterprise e ON e.kbo "
               "= n.kbo WHERE e.name IS NOT n.name AND n.kbo NOT IN (SELECT "
               "kbo FROM import_new)")
            .getInt64());
    Run("UPDATE enterprise SET name = (SELECT n.name FROM import_name n WHERE "
        "n.kbo = enterprise.kbo) WHERE kbo IN (SELECT kbo FROM import_name) "
        "AND name IS NOT (SELECT n.name FROM import_name n WHERE n.kbo = "
        "enterprise.kbo)");
    return renamed;
  }

  std::optional<std::string> PersonName(const std::string& insz) override {
    StatementCache::Use q =
        statements_.Get("SELECT name FROM person WHERE insz = ?");
    q->bind(1, insz);
    if (!q->executeStep()) return std::nullopt;
    return q->getColumn(0).getString();
  }
  void InsertPerson(const std::string& insz, const std::string& name) override {
    Run("INSERT INTO person (insz, name) VALUES (?, ?)", insz, name);
  }
  void UpdatePerson(const std::string& insz, const std::string& name) override {
    Run("UPDATE person SET name = ? WHERE insz = ?", name, insz);
  }

  bool InsertFunction(const FunctionKey& f) override {
    return Run("INSERT OR IGNORE INTO function (kbo, insz, role) VALUES (?, "
               "?, ?)",
               f[0], f[1], f[2]) == 1;
  }
  void UnendFunction(const FunctionKey& f) override {
    Run("DELETE FROM function_ended WHERE kbo = ? AND insz = ? AND role = ?",
        f[0], f[1], f[2]);
  }
  std::vector<FunctionKey> UnlistedFunctions() override {
    std::vector<FunctionKey> out;
    SQLite::Statement q(
        db_,
        "SELECT kbo, insz, role FROM function f WHERE NOT EXISTS (SELECT 1 "
        "FROM import_listed_function l WHERE l.kbo = f.kbo AND l.insz = "
        "f.insz AND l.role = f.role) ORDER BY kbo, insz, role");
    while (q.executeStep()) {
      out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                     q.getColumn(2).getString()});
    }
    return out;
  }
  void EndFunction(const FunctionKey& f, uint64_t revision,
                   const std::string& at, const std::string& source) override {
    Run("DELETE FROM function WHERE kbo = ? AND insz = ? AND role = ?", f[0],
        f[1], f[2]);
    Run("INSERT OR REPLACE INTO function_ended (kbo, insz, role, revision, "
        "at, source) VALUES (?, ?, ?, ?, ?, ?)",
        f[0], f[1], f[2], static_cast<int64_t>(revision), at, source);
  }

  std::optional<Facility> GetFacility(const std::string& hco) override {
    StatementCache::Use q = statements_.Get(
        "SELECT name, type_code, kbo, active FROM facility WHERE hco = ?");
    q->bind(1, hco);
    if (!q->executeStep()) return std::nullopt;
    return Facility{q->getColumn(0).getString(), q->getColumn(1).getString(),
                    q->getColumn(2).getString(), q->getColumn(3).getInt() != 0};
  }
  void InsertFacility(const FacilityRow& row) override {
    Run("INSERT INTO facility (hco, name, type_code, kbo, active) VALUES (?, "
        "?, ?, ?, ?)",
        row.hco.str(), row.name, row.type_code.str(), row.kbo.ToString(),
        row.active ? 1 : 0);
  }
  void UpdateFacility(const FacilityRow& row) override {
    Run("UPDATE facility SET name = ?, type_code = ?, kbo = ?, active = ? "
        "WHERE hco = ?",
        row.name, row.type_code.str(), row.kbo.ToString(), row.active ? 1 : 0,
        row.hco.str());
  }
  std::vector<std::pair<std::string, std::string>> UnlistedActiveFacilities()
      override {
    std::vector<std::pair<std::string, std::string>> out;
    SQLite::Statement q(db_,
                        "SELECT hco, kbo FROM facility WHERE active = 1 AND "
                        "hco NOT IN (SELECT hco FROM import_listed_facility) "
                        "ORDER BY hco");
    while (q.executeStep()) {
      out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString());
    }
    return out;
  }
  void CloseFacility(const std::string& hco) override {
    Run("UPDATE facility SET active = 0 WHERE hco = ?", hco);
  }

  std::optional<ImportSession::Extract> LastExtract() override {
    SQLite::Statement q(
        db_,
        "SELECT number, type, snapshot_date FROM kbo_extract WHERE id = 1");
    if (!q.executeStep()) return std::nullopt;
    return ImportSession::Extract{
        static_cast<uint64_t>(q.getColumn(0).getInt64()),
        q.getColumn(1).getString(), q.getColumn(2).getString()};
  }
  void RecordExtract(const ImportSession::Extract& extract,
                     uint64_t revision) override {
    Run("INSERT INTO kbo_extract (id, number, type, snapshot_date, revision) "
        "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET number = "
        "excluded.number, type = excluded.type, snapshot_date = "
        "excluded.snapshot_date, revision = excluded.revision",
        static_cast<int64_t>(extract.number), extract.type,
        extract.snapshot_date, static_cast<int64_t>(revision));
  }

  void InsertAudit(uint64_t revision, int64_t at, std::string_view action,
                   std::string_view kbo, std::string_view detail,
                   std::string_view message) override {
    toegang::InsertAudit(statements_, revision, at, "", action,
                         std::string(kbo), std::string(detail),
                         std::string(message));
  }
  HistoryMark Mark() override { return StoredMark(statements_); }
  void SetMark(const HistoryMark& mark) override {
    StoreMark(statements_, mark);
  }
  void Commit(uint64_t /*revision*/) override { tx_.commit(); }

  Status Failure(std::string_view doing) override {
    try {
      throw;
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, doing);
    } catch (const std::runtime_error& e) {
      return Status::Storage(code::kStorageError, e.what());
    }
  }

 private:
  // Runs a cached statement with its parameters bound in order; returns
  // how many rows it changed.
  template <typename... Args>
  int Run(const char* sql, const Args&... args) {
    StatementCache::Use q = statements_.Get(sql);
    int i = 0;
    (q->bind(++i, args), ...);
    return q->exec();
  }
  std::vector<std::string> Column(const char* sql) {
    std::vector<std::string> out;
    SQLite::Statement q(db_, sql);
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  }

  SQLite::Database& db_;
  StatementCache& statements_;  // the store's
  SQLite::Transaction tx_;
  HeldFlag held_;
};

// RevisionWatch on its own read-only connection.
class SqliteRevisionWatch : public RevisionWatch {
 public:
  explicit SqliteRevisionWatch(std::unique_ptr<SQLite::Database> db)
      : db_(std::move(db)) {}

  Result<uint64_t> Revision() override {
    try {
      return static_cast<uint64_t>(
          db_->execAndGet("SELECT value FROM revision WHERE id = 1")
              .getInt64());
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "reading the revision");
    }
  }

 private:
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace

// ---------------------------------------------------------------------
SqliteStore::SqliteStore(std::unique_ptr<SQLite::Database> db, std::string path)
    : db_(std::move(db)),
      statements_(std::make_unique<StatementCache>(*db_)),
      path_(std::move(path)) {}

SqliteStore::~SqliteStore() = default;

int SqliteStore::LatestSchemaVersion() {
  return static_cast<int>(Migrations().size());
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       bool create_if_missing,
                                                       bool read_only) {
  std::error_code ec;
  // SQLite's in-memory database has no file to look for or create.
  const bool in_memory = path == ":memory:";
  const bool exists = in_memory || std::filesystem::exists(path, ec);
  if (!exists) {
    if (!create_if_missing) {
      return NoDatabaseError("toegang database at " + path);
    }
    if (read_only) {
      return ReadOnlyError(path, "opened read-only as asked", "creating it");
    }
    // Create the file ourselves so that it is 0600 whatever the umask.
    int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      return Status::Storage(
          code::kIoError,
          fmt::format("cannot create {}: {}", path, std::strerror(errno)));
    }
    ::close(fd);
  } else if (std::filesystem::is_directory(path, ec)) {
    return Status::Storage(code::kNotADatabase,
                           fmt::format("{} is a directory, not a database "
                                       "file",
                                       path));
  }
  // Why the file is opened read-only; empty: read-write.
  std::string read_only_reason;
  if (read_only) {
    read_only_reason = "opened read-only as asked";
  } else if (!in_memory) {
    read_only_reason = NotWritable(path);
  }
  // One attempt, read-write (read_only_reason empty) or read-only.
  auto attempt = [&](const std::string& read_only_why)
      -> Result<std::unique_ptr<SqliteStore>> {
    try {
      bool immutable = false;
      // No SQLite mutex: a Store is used by one thread at a time (store.h),
      // and a full load makes millions of calls that would each take it.
      std::unique_ptr<SQLite::Database> db =
          read_only_why.empty()
              ? std::make_unique<SQLite::Database>(
                    path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, 5000)
              : OpenReadOnly(path, &immutable);
      // Reading the schema fails with SQLITE_NOTADB on a foreign file.
      const int version = db->execAndGet("PRAGMA user_version").getInt();
      const int tables =
          db->execAndGet("SELECT count(*) FROM sqlite_master").getInt();
      if (version > LatestSchemaVersion()) {
        return Status::Storage(
            code::kSchemaTooNew,
            fmt::format("{} has schema version {}, newer than this toegang "
                        "understands ({}): upgrade toegang; the file was not "
                        "touched",
                        path, version, LatestSchemaVersion()));
      }
      if (version == 0 && tables > 0) {
        return Status::Storage(code::kNotADatabase,
                               fmt::format("{} is an SQLite database but not a "
                                           "toegang one; the file was not "
                                           "touched",
                                           path));
      }
      if (version == 0 && !create_if_missing) {
        return Status::Storage(code::kNotInitialized,
                               fmt::format("{} is empty: run `toegang init` "
                                           "first",
                                           path));
      }
      db->exec("PRAGMA foreign_keys = ON");
      std::string journal;
      if (read_only_why.empty()) {
        journal = db->execAndGet("PRAGMA journal_mode = WAL").getString();
        db->exec("PRAGMA synchronous = FULL");
        for (int v = version; v < LatestSchemaVersion(); ++v) {
          SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
          db->exec(std::string(Migrations()[static_cast<size_t>(v)].sql));
          // The version is our own integer, not input text.
          db->exec(fmt::format("PRAGMA user_version = {}", v + 1));
          tx.commit();
        }
      } else {
        if (version < LatestSchemaVersion()) {
          return ReadOnlyError(
              path, read_only_why,
              fmt::format("bringing its schema from version {} to {}", version,
                          LatestSchemaVersion()));
        }
        journal =
            immutable ? "" : db->execAndGet("PRAGMA journal_mode").getString();
      }
      auto store =
          std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db), path));
      store->read_only_ = !read_only_why.empty();
      store->read_only_why_ = read_only_why;
      const std::string id =
          store->db_
              ->execAndGet("SELECT database_id FROM revision WHERE id = 1")
              .getString();
      if (id.size() != store->key_.size()) {
        return Status::Storage(
            code::kNotADatabase,
            fmt::format("{} has no valid database id (schema "
                        "version 2); it was edited by "
                        "another tool: restore it from a "
                        "backup",
                        path));
      }
      std::memcpy(store->key_.data(), id.data(), id.size());
      if (!in_memory) {
        store->file_id_ = IdOf(path);
        if (journal == "wal") store->wal_id_ = IdOf(path + "-wal");
      }
      Status s = store->LoadCatalogue(&store->catalogue_);
      if (!s.ok()) return s;
      return store;
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, fmt::format("opening {}", path));
    }
  };
  Result<std::unique_ptr<SqliteStore>> opened = attempt(read_only_reason);
  if (!opened.ok() && read_only_reason.empty() && !in_memory &&
      opened.status().code() == code::kReadOnly) {
    // Writable by its permissions, but SQLite cannot write it (a read-only
    // mount that access() did not see, a lease, ...): read it as it is.
    opened = attempt("SQLite cannot write it");
  }
  return opened;
}

std::optional<SqliteStore::FileId> SqliteStore::IdOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileId{st.st_dev, st.st_ino};
}

Status SqliteStore::ReadOnlyRefusal(std::string_view doing) const {
  return ReadOnlyError(path_, read_only_why_, doing);
}

Status SqliteStore::CheckHealth() const {
  if (file_id_ && IdOf(path_) != file_id_) {
    return Status::Storage(
        code::kStorageError,
        fmt::format("the database file {} was removed or replaced while this "
                    "engine had it open: it still reads the file it opened, "
                    "which other processes no longer see; put the right file "
                    "back and restart it",
                    path_));
  }
  if (wal_id_ && IdOf(path_ + "-wal") != wal_id_) {
    return Status::Storage(
        code::kStorageError,
        fmt::format("the write-ahead log {}-wal was removed or replaced while "
                    "this engine had it open: other processes cannot read the "
                    "database consistently and commits not yet in the main "
                    "file are at risk; stop every process that uses it (a "
                    "clean stop copies the log into the file), then run "
                    "`toegang verify`",
                    path_));
  }
  return Status::Ok();
}

Status SqliteStore::LoadCatalogue(Catalogue* out) {
  try {
    return ReplayCatalogue(out, [&](std::string_view table_sql,
                                    const LoadRowFn& row_fn) {
      SQLite::Statement q(*db_, fmt::format("{} ORDER BY rowid", table_sql));
      const SqliteLoadRow row(q);
      while (q.executeStep()) row_fn(row);
    });
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "loading the catalogue");
  }
}

Result<uint64_t> SqliteStore::Load(LoadSink* sink) { return LoadRows(sink); }

// The part's rows (part_load.h), each set bound as a JSON array and read
// with json_each, inside one read transaction (or the write lock's).
Result<uint64_t> SqliteStore::LoadPart(const LoadScope& scope, LoadSink* sink) {
  try {
    std::optional<SQLite::Transaction> tx;
    if (!write_held_) tx.emplace(*db_, SQLite::TransactionBehavior::DEFERRED);
    const PartRunner run = [&](std::string_view part_sql, const PartSets& sets,
                               const LoadRowFn& row_fn) {
      std::vector<PartSet> order;
      const std::string expanded = ExpandPartSql(
          part_sql,
          [](PartSet, int n) {
            return fmt::format("SELECT value FROM json_each(?{})", n);
          },
          &order);
      SQLite::Statement q(*db_, expanded);
      for (size_t i = 0; i < order.size(); ++i) {
        nlohmann::json values = nlohmann::json::array();
        for (const std::string& v : sets[order[i]]) {
          // Subafdeling ids are integers, to compare with the id columns.
          if (order[i] == PartSet::kLsub) {
            values.push_back(std::stoll(v));
          } else {
            values.push_back(v);
          }
        }
        q.bind(static_cast<int>(i + 1), values.dump());
      }
      const SqliteLoadRow row(q);
      while (q.executeStep()) row_fn(row);
    };
    const PartSets part = FindPart(scope, run);
    const uint64_t revision = static_cast<uint64_t>(
        db_->execAndGet("SELECT value FROM revision WHERE id = 1").getInt64());
    ReplayPart(sink, part, run);
    if (tx) tx->commit();
    return revision;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "loading a part of the federation");
  }
}

// A full load: every step's statement over the whole table (ReplayLoad).
Result<uint64_t> SqliteStore::LoadRows(LoadSink* sink) {
  try {
    // One read transaction, so the load sees one consistent revision (the
    // write lock's transaction, when one is held).
    std::optional<SQLite::Transaction> tx;
    if (!write_held_) tx.emplace(*db_, SQLite::TransactionBehavior::DEFERRED);
    const uint64_t revision = static_cast<uint64_t>(
        db_->execAndGet("SELECT value FROM revision WHERE id = 1").getInt64());
    // Room for what follows, so the tables and indexes do not grow row by
    // row (persons also arrive through functions and links; those few
    // grow as usual).
    auto count = [&](const char* sql) {
      SQLite::Statement q(*db_, sql);
      return q.executeStep() ? static_cast<size_t>(q.getColumn(0).getInt64())
                             : size_t{0};
    };
    sink->Reserve(count("SELECT count(*) FROM person"),
                  count("SELECT count(*) FROM enterprise"),
                  count("SELECT count(*) FROM facility"),
                  count("SELECT count(*) FROM subafdeling"));
    ReplayLoad(sink, [&](LoadStep s, const LoadRowFn& row_fn) {
      SQLite::Statement q(*db_, LoadStepSql(s));
      const SqliteLoadRow row(q);
      while (q.executeStep()) row_fn(row);
    });
    if (tx) tx->commit();
    return revision;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "loading the federation");
  }
}

Result<uint64_t> SqliteStore::CurrentRevision() {
  try {
    return StoredRevision(*statements_);
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "reading the revision");
  } catch (const std::runtime_error& e) {
    return Status::Storage(code::kStorageError, e.what());
  }
}

Result<HistoryMark> SqliteStore::CurrentMark() {
  try {
    return StoredMark(*statements_);
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "reading the revision");
  } catch (const std::runtime_error& e) {
    return Status::Storage(code::kStorageError, e.what());
  }
}

Result<int64_t> SqliteStore::NextSubafdelingId() {
  try {
    StatementCache::Use q_use = statements_->Get(
        "SELECT seq FROM sqlite_sequence WHERE name = "
        "'subafdeling'");
    SQLite::Statement& q = *q_use;
    return q.executeStep() ? q.getColumn(0).getInt64() + 1 : int64_t{1};
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "reading the next subafdeling id");
  }
}

Result<std::unique_ptr<WriteLock>> SqliteStore::BeginWrite() {
  if (Status blocked = WriteBlocked(*this, write_held_); !blocked.ok()) {
    return blocked;
  }
  try {
    return std::unique_ptr<WriteLock>(
        std::make_unique<SqliteWriteLock>(*db_, &write_held_));
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "taking the write lock");
  }
}

Status SqliteStore::Commit(ChangeSet* changes, uint64_t expected_revision) {
  if (read_only_) return ReadOnlyRefusal("a change");
  try {
    // Under a WriteLock the rows join its transaction (which the lock's
    // owner rolls back if this fails); otherwise this is one transaction.
    std::optional<SQLite::Transaction> tx;
    if (!write_held_) tx.emplace(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    SqliteCommitRows rows(*statements_);
    Status s = WriteCommit(rows, key_, catalogue_, *changes, expected_revision);
    if (!s.ok()) return s;
    if (tx) tx->commit();
    changes->revision = expected_revision + 1;
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(
        e, fmt::format("committing {}", ActionName(changes->action)));
  } catch (const std::runtime_error& e) {
    // The rows did not match the plan: another writer got there first.
    return Status::Storage(kStaleRevision, e.what());
  }
}

Status SqliteStore::RecordRefusal(const AuditRecord& r) {
  if (read_only_) {
    return ReadOnlyRefusal("recording a refusal");
  }
  try {
    StatementCache::Use q_use = statements_->Get(
        "INSERT INTO audit (revision, at, actor, action, kbo, "
        "outcome, code, detail, message) VALUES (NULL, ?, ?, "
        "?, ?, 'refused', ?, ?, ?)");
    SQLite::Statement& q = *q_use;
    q.bind(1, r.at.empty() ? FormatUtc(NowSeconds()) : r.at);
    q.bind(2, r.actor);
    q.bind(3, r.action);
    q.bind(4, r.kbo);
    q.bind(5, r.code);
    q.bind(6, r.detail.empty() ? std::string("{}") : r.detail);
    q.bind(7, r.message);
    q.exec();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "recording a refusal");
  }
}

Result<std::vector<AuditRecord>> SqliteStore::ReadAudit(
    const AuditQuery& query) {
  try {
    std::vector<AuditRecord> out;
    const AuditPatterns like = AuditPatternsOf(query);
    // The person and facility filters and the limit, from column col on;
    // then the rows.
    auto filter_and_read = [&](SQLite::Statement& q, int col) {
      q.bind(col++, query.insz);
      q.bind(col++, query.insz);
      q.bind(col++, like.insz);
      q.bind(col++, query.hco);
      q.bind(col++, like.hco);
      q.bind(col, static_cast<int64_t>(query.limit));
      while (q.executeStep()) out.push_back(ReadAuditRow(q));
    };
    auto run = [&](SQLite::Statement& q, int col) {
      q.bind(col++, static_cast<int64_t>(query.after_seq));
      q.bind(col++, query.kbo);
      q.bind(col++, query.kbo);
      filter_and_read(q, col);
    };
    // The newest-first cursor: rows before it (0: from the newest).
    const int64_t before = static_cast<int64_t>(
        query.before_seq == 0 ? static_cast<uint64_t>(INT64_MAX)
                              : query.before_seq);
    if (query.since_revision == 0 && query.newest_first && !query.kbo.empty()) {
      // An enterprise's rows: its (kbo, seq) index, walked backwards from
      // the cursor. (SQLite's planner does not use the index for the
      // "(? = '' OR kbo = ?)" of the statements below: they walk the whole
      // log from its end, which the enterprise's page cannot afford.)
      StatementCache::Use q_use = statements_->Get(
          "SELECT seq, revision, at, actor, action, kbo, "
          "outcome, code, detail, message, " TOEGANG_AUDIT_ACTOR_NAME
          " FROM audit WHERE "
          "kbo = ? AND seq < ? AND (? = '' OR actor = ? OR detail LIKE ?) "
          "AND (? = '' OR detail LIKE ?) ORDER BY seq DESC LIMIT ?");
      SQLite::Statement& q = *q_use;
      q.bind(1, query.kbo);
      q.bind(2, before);
      filter_and_read(q, 3);
      return out;
    }
    if (query.since_revision == 0 && query.newest_first) {
      // Walks the table backwards from the cursor.
      StatementCache::Use q_use = statements_->Get(
          "SELECT seq, revision, at, actor, action, kbo, "
          "outcome, code, detail, message, " TOEGANG_AUDIT_ACTOR_NAME
          " FROM audit WHERE "
          "seq < ? AND (? = '' OR kbo = ?) AND (? = '' OR actor = ? OR "
          "detail LIKE ?) AND (? = '' OR detail LIKE ?) ORDER BY seq DESC "
          "LIMIT ?");
      SQLite::Statement& q = *q_use;
      q.bind(1, before);
      q.bind(2, query.kbo);
      q.bind(3, query.kbo);
      filter_and_read(q, 4);
      return out;
    }
    if (query.since_revision == 0) {
      StatementCache::Use q_use = statements_->Get(
          "SELECT seq, revision, at, actor, action, kbo, "
          "outcome, code, detail, message, " TOEGANG_AUDIT_ACTOR_NAME
          " FROM audit WHERE "
          "seq > ? AND (? = '' OR kbo = ?) AND (? = '' OR actor = ? OR "
          "detail LIKE ?) AND (? = '' OR detail LIKE ?) ORDER BY seq "
          "LIMIT ?");
      SQLite::Statement& q = *q_use;
      run(q, 1);
      return out;
    }
    // From a revision on, the revision index finds the rows (the follower
    // asks this often; walking the log from its first row would cost time
    // in proportion to its length). Revisions grow with seq, so (revision,
    // seq) order is seq order.
    StatementCache::Use q_use = statements_->Get(
        "SELECT seq, revision, at, actor, action, kbo, "
        "outcome, code, detail, message, " TOEGANG_AUDIT_ACTOR_NAME
        " FROM audit WHERE "
        "revision > ? AND seq > ? AND (? = '' OR kbo = ?) AND (? = '' OR "
        "actor = ? OR detail LIKE ?) AND (? = '' OR detail LIKE ?) "
        "ORDER BY revision, seq LIMIT ?");
    SQLite::Statement& q = *q_use;
    q.bind(1, static_cast<int64_t>(query.since_revision));
    run(q, 2);
    return out;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "reading the audit log");
  }
}

Result<std::unique_ptr<ImportSession>> SqliteStore::BeginImport() {
  if (read_only_) return ReadOnlyRefusal("an import");
  try {
    return std::unique_ptr<ImportSession>(std::make_unique<RegistryImport>(
        std::make_unique<SqliteImportTables>(*db_, *statements_, &write_held_),
        key_));
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "starting the import");
  } catch (const std::runtime_error& e) {
    return Status::Storage(code::kStorageError, e.what());
  }
}

Result<StoreCounts> SqliteStore::Counts() {
  try {
    // Kept by the schema's triggers (schema/0005_row_counts.sql).
    StoreCounts c;
    SQLite::Statement q(*db_, "SELECT name, n FROM row_count");
    while (q.executeStep()) {
      SetRowCount(&c, q.getColumn(0).getString(),
                  static_cast<size_t>(q.getColumn(1).getInt64()));
    }
    return c;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "counting");
  }
}

Status SqliteStore::BackupTo(const std::string& to) {
  struct stat st {};
  if (::lstat(to.c_str(), &st) == 0) {
    return Status::Storage(
        code::kFileExists,
        fmt::format("{} already exists: name a new file (a backup never "
                    "overwrites one)",
                    to));
  }
  // Written beside `to`, renamed to it once whole and synced.
  const std::string partial = to + ".partial";
  auto fail = [&](Status s) {
    ::unlink(partial.c_str());
    return s;
  };
  const int fd =
      ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::Storage(
        code::kIoError,
        fmt::format("cannot create {}: {}", partial, std::strerror(errno)));
  }
  ::close(fd);
  try {
    {
      SQLite::Database copy(partial, SQLite::OPEN_READWRITE);
      // One step holds the source's read snapshot for the whole copy: the
      // copy is one revision, and writers go on meanwhile (WAL).
      SQLite::Backup backup(copy, *db_);
      int rc = SQLITE_OK;
      for (int tries = 0; tries < 50; ++tries) {
        rc = backup.executeStep(-1);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
        ::usleep(100 * 1000);  // the copy's own file, briefly locked
      }
      if (rc != SQLITE_DONE) {
        return fail(Status::Storage(
            code::kStorageError,
            fmt::format("the copy to {} did not finish (SQLite code {}); "
                        "nothing was left at {}",
                        partial, rc, to)));
      }
    }  // closed: a WAL copy is checkpointed into its file
    const int sync_fd = ::open(partial.c_str(), O_RDONLY | O_CLOEXEC);
    if (sync_fd < 0 || ::fsync(sync_fd) != 0) {
      const int err = errno;
      if (sync_fd >= 0) ::close(sync_fd);
      return fail(Status::Storage(
          code::kIoError,
          fmt::format("cannot sync {}: {}", partial, std::strerror(err))));
    }
    ::close(sync_fd);
    ::unlink((partial + "-wal").c_str());
    ::unlink((partial + "-shm").c_str());
    if (::rename(partial.c_str(), to.c_str()) != 0) {
      return fail(Status::Storage(
          code::kIoError, fmt::format("cannot rename {} to {}: {}", partial, to,
                                      std::strerror(errno))));
    }
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return fail(FromSqlite(e, "copying the database"));
  }
}

Result<std::vector<std::string>> SqliteStore::CheckIntegrity(bool thorough) {
  try {
    std::vector<std::string> problems;
    const char* check =
        thorough ? "PRAGMA integrity_check" : "PRAGMA quick_check";
    SQLite::Statement integrity(*db_, check);
    while (integrity.executeStep()) {
      std::string line = integrity.getColumn(0).getString();
      if (line != "ok") problems.push_back("sqlite: " + line);
    }
    SQLite::Statement fk(*db_, "PRAGMA foreign_key_check");
    while (fk.executeStep()) {
      problems.push_back(
          fmt::format("foreign key: {} row {} refers to a "
                      "missing {}",
                      fk.getColumn(0).getString(), fk.getColumn(1).getInt64(),
                      fk.getColumn(2).getString()));
    }
    // The kept counts (schema/0005_row_counts.sql) against the rows.
    SQLite::Statement counts(*db_, kCountedRowsSql);
    while (counts.executeStep()) {
      problems.push_back(fmt::format(
          "row_count says {} rows of {}, the table holds {}",
          counts.getColumn(1).getInt64(), counts.getColumn(0).getString(),
          counts.getColumn(2).getInt64()));
    }
    const int64_t revision =
        db_->execAndGet("SELECT value FROM revision WHERE id = 1").getInt64();
    SQLite::Statement revs(*db_, kAuditRevisionsSql);
    revs.executeStep();
    AddHistoryProblems(revision, revs.getColumn(0).getInt64(),
                       revs.getColumn(1).getInt64(),
                       revs.getColumn(2).getInt64(), &problems);
    return problems;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "checking the database");
  }
}

Status SqliteStore::ReadTables(
    const std::vector<std::string>& selects, HistoryMark* mark,
    const std::function<void(size_t, const TableRow&)>& fn) {
  try {
    std::optional<SQLite::Transaction> tx;
    if (!write_held_) tx.emplace(*db_, SQLite::TransactionBehavior::DEFERRED);
    *mark = StoredMark(*statements_);
    TableRow row;
    for (size_t i = 0; i < selects.size(); ++i) {
      SQLite::Statement q(*db_, selects[i]);
      while (q.executeStep()) {
        row.assign(static_cast<size_t>(q.getColumnCount()), std::nullopt);
        for (int c = 0; c < q.getColumnCount(); ++c) {
          const SQLite::Column col = q.getColumn(c);
          if (!col.isNull()) row[static_cast<size_t>(c)] = col.getString();
        }
        fn(i, row);
      }
    }
    if (tx) tx->commit();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "reading the tables to copy");
  } catch (const std::runtime_error& e) {
    return Status::Storage(code::kStorageError, e.what());
  }
}

Result<std::unique_ptr<CopyWriter>> SqliteStore::BeginCopyInto() {
  if (Status blocked = WriteBlocked(*this, write_held_); !blocked.ok()) {
    return blocked;
  }
  try {
    return std::unique_ptr<CopyWriter>(
        std::make_unique<SqliteCopyWriter>(*db_, &write_held_));
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "starting the copy");
  }
}

Result<std::unique_ptr<RevisionWatch>> SqliteStore::WatchRevision() {
  try {
    auto db = std::make_unique<SQLite::Database>(
        path_, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX, 5000);
    return std::unique_ptr<RevisionWatch>(
        std::make_unique<SqliteRevisionWatch>(std::move(db)));
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, fmt::format("opening {} to watch it", path_));
  }
}

}  // namespace toegang
