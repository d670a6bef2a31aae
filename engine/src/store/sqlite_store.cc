#include "store/sqlite_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string_view>
#include <system_error>
#include <unordered_map>

#include "base/keyed_hash.h"
#include "base/time_util.h"
#include "model/text_forms.h"
#include "store/migrations.h"
#include "store/statement_cache.h"
#include "toegang/error_codes.h"

namespace toegang {
namespace {

// A text column of the current row, without copying it. Valid until the
// statement steps or resets.
std::string_view Text(const SQLite::Statement& q, int col) {
  const SQLite::Column c = q.getColumn(col);
  const char* text = c.getText();  // before getBytes, as SQLite asks
  return {text, static_cast<size_t>(c.getBytes())};
}

uint64_t U64Column(const SQLite::Statement& q, int col) {
  return FromDigits(Text(q, col)).value_or(0);
}

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

uint64_t RandomWord() {
  uint64_t w = 0;
  if (::getrandom(&w, sizeof w, 0) == static_cast<ssize_t>(sizeof w)) return w;
  std::random_device rd;
  return (uint64_t{rd()} << 32) ^ rd();
}

// The next link of the history chain (schema/0002): a hash keyed with the
// database's id of the previous chain value, the new revision, the
// revision's audit rows and a fresh random word. The random word makes two
// commits made apart (two copies of one file, each changed) give different
// values even when their rows are the same, to the second.
class HistoryLink {
 public:
  HistoryLink(const DatabaseKey& key, const HistoryMark& previous)
      : hash_(key), revision_(previous.revision + 1) {
    hash_.Add(std::string_view("toegang history chain"));
    hash_.Add(previous.chain);
    hash_.Add(revision_);
  }
  void AddRow(int64_t at, std::string_view actor, std::string_view action,
              std::string_view kbo, std::string_view detail,
              std::string_view message) {
    hash_.Add(static_cast<uint64_t>(at));
    hash_.Add(actor);
    hash_.Add(action);
    hash_.Add(kbo);
    hash_.Add(detail);
    hash_.Add(message);
  }
  HistoryMark Finish() {
    hash_.Add(RandomWord());
    return {revision_, hash_.Final()};
  }

 private:
  KeyedHasher hash_;
  uint64_t revision_;
};

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

// Runs a statement that must change exactly one row; a different count
// means the database does not hold what the plan expected.
void ExecOne(SQLite::Statement& q, std::string_view what) {
  if (q.exec() != 1) {
    throw std::runtime_error(fmt::format("{} changed no row", what));
  }
}

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
class SqliteImportSession : public ImportSession {
 public:
  // Takes the write lock (IMMEDIATE) before reading the revision, so no
  // other writer can commit the same number.
  SqliteImportSession(SQLite::Database& db, StatementCache& statements,
                      const DatabaseKey& key)
      : db_(db),
        statements_(statements),
        key_(key),
        tx_(db, SQLite::TransactionBehavior::IMMEDIATE),
        revision_(StoredRevision(statements) + 1),
        at_(NowSeconds()) {
    db_.exec(
        "CREATE TEMP TABLE IF NOT EXISTS import_name (kbo TEXT PRIMARY KEY, "
        "rank INTEGER NOT NULL, name TEXT NOT NULL)");
    db_.exec("DELETE FROM import_name");
    db_.exec(
        "CREATE TEMP TABLE IF NOT EXISTS import_new (kbo TEXT PRIMARY KEY)");
    db_.exec("DELETE FROM import_new");
    db_.exec(
        "CREATE TEMP TABLE IF NOT EXISTS import_listed_function (kbo TEXT, "
        "insz TEXT, role TEXT, PRIMARY KEY (kbo, insz, role))");
    db_.exec("DELETE FROM import_listed_function");
    db_.exec(
        "CREATE TEMP TABLE IF NOT EXISTS import_listed_facility (hco TEXT "
        "PRIMARY KEY)");
    db_.exec("DELETE FROM import_listed_facility");
    db_.exec(
        "CREATE TEMP TABLE IF NOT EXISTS import_listed_enterprise (kbo TEXT "
        "PRIMARY KEY)");
    db_.exec("DELETE FROM import_listed_enterprise");
    db_.exec(
        "CREATE TEMP TABLE IF NOT EXISTS import_deleted_enterprise (kbo TEXT "
        "PRIMARY KEY)");
    db_.exec("DELETE FROM import_deleted_enterprise");
  }

  Result<Put> DeleteEnterprise(const Kbo& kbo) override {
    return Guard("enterprise_delete", [&]() -> Result<Put> {
      StatementCache::Use use = statements_.Get(
          "INSERT OR IGNORE INTO import_deleted_enterprise VALUES (?)");
      SQLite::Statement& q = *use;
      q.bind(1, kbo.ToString());
      q.exec();
      return Put::kUnchanged;  // counted when stopped
    });
  }

  Result<size_t> StopDeletedEnterprises(const std::string& reason) override {
    return StopWhere(
        "SELECT kbo FROM enterprise WHERE active = 1 AND kbo IN (SELECT kbo "
        "FROM import_deleted_enterprise) AND kbo NOT IN (SELECT kbo FROM "
        "import_listed_enterprise) ORDER BY kbo",
        reason);
  }

  Result<size_t> StopUnlistedEnterprises(const std::string& reason) override {
    return StopWhere(
        "SELECT kbo FROM enterprise WHERE active = 1 AND kbo NOT IN (SELECT "
        "kbo FROM import_listed_enterprise) ORDER BY kbo",
        reason);
  }

  Result<std::optional<Extract>> LastExtract() override {
    try {
      SQLite::Statement q(db_,
                          "SELECT number, type, snapshot_date FROM "
                          "kbo_extract WHERE id = 1");
      if (!q.executeStep()) return std::optional<Extract>();
      return std::optional<Extract>(
          Extract{static_cast<uint64_t>(q.getColumn(0).getInt64()),
                  q.getColumn(1).getString(), q.getColumn(2).getString()});
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "reading the last KBO extract applied");
    }
  }

  Status RecordExtract(const Extract& extract) override {
    try {
      SQLite::Statement q(
          db_,
          "INSERT INTO kbo_extract (id, number, type, snapshot_date, "
          "revision) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
          "number = excluded.number, type = excluded.type, snapshot_date = "
          "excluded.snapshot_date, revision = excluded.revision");
      q.bind(1, static_cast<int64_t>(extract.number));
      q.bind(2, extract.type);
      q.bind(3, extract.snapshot_date);
      q.bind(4, static_cast<int64_t>(revision_));
      q.exec();
      wrote_state_ = true;
      return Status::Ok();
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "recording the KBO extract applied");
    }
  }

  bool wrote_state() const override { return wrote_state_; }

  void SetSource(const std::string& source, bool full) override {
    source_ = source;
    full_ = full;
  }

  const RegistryChanges& changes() const override { return changes_; }
  const RegistryDelta& delta() const override { return delta_; }

  Result<size_t> EndUnlistedFunctions() override {
    try {
      std::vector<std::array<std::string, 3>> ended;
      {
        SQLite::Statement q(
            db_,
            "SELECT kbo, insz, role FROM function f WHERE NOT EXISTS (SELECT "
            "1 FROM import_listed_function l WHERE l.kbo = f.kbo AND l.insz "
            "= f.insz AND l.role = f.role) ORDER BY kbo, insz, role");
        while (q.executeStep()) {
          ended.push_back({q.getColumn(0).getString(),
                           q.getColumn(1).getString(),
                           q.getColumn(2).getString()});
        }
      }
      for (const auto& [kbo, insz, role] : ended) {
        StatementCache::Use del_use = statements_.Get(
            "DELETE FROM function WHERE kbo = ? AND insz = ? AND role = ?");
        SQLite::Statement& del = *del_use;
        del.bind(1, kbo);
        del.bind(2, insz);
        del.bind(3, role);
        del.exec();
        StatementCache::Use end_use = statements_.Get(
            "INSERT OR REPLACE INTO function_ended (kbo, insz, role, "
            "revision, at, source) VALUES (?, ?, ?, ?, ?, ?)");
        SQLite::Statement& end = *end_use;
        end.bind(1, kbo);
        end.bind(2, insz);
        end.bind(3, role);
        end.bind(4, static_cast<int64_t>(revision_));
        end.bind(5, FormatUtc(at_));
        end.bind(6, source_);
        end.exec();
        AuditFunction(kbo, insz, role, /*added=*/false);
      }
      return ended.size();
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "ending the functions the file does not list");
    }
  }

  Result<size_t> CloseUnlistedFacilities() override {
    try {
      std::vector<std::pair<std::string, std::string>> closed;
      {
        SQLite::Statement q(
            db_,
            "SELECT hco, kbo FROM facility WHERE active = 1 AND hco NOT IN "
            "(SELECT hco FROM import_listed_facility) ORDER BY hco");
        while (q.executeStep()) {
          closed.emplace_back(q.getColumn(0).getString(),
                              q.getColumn(1).getString());
        }
      }
      for (const auto& [hco, kbo] : closed) {
        StatementCache::Use upd_use =
            statements_.Get("UPDATE facility SET active = 0 WHERE hco = ?");
        SQLite::Statement& upd = *upd_use;
        upd.bind(1, hco);
        upd.exec();
        ++changes_.facilities_closed;
        delta_.facilities.push_back({hco, false, FromDigits(kbo).value_or(0)});
        InsertAudit(
            statements_, revision_, at_, "", "import.facility", kbo,
            nlohmann::json{{"hco", hco},
                           {"kbo", kbo},
                           {"change", "closed"},
                           {"old", "active"},
                           {"new", "closed"},
                           {"reason", "not listed in the whole registry"},
                           {"source", source_}}
                .dump(),
            fmt::format("facility HCO {} closed: the CoBRHA file {} (the "
                        "whole registry) does not list it",
                        hco, source_));
      }
      return closed.size();
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "closing the facilities the file does not list");
    }
  }

  Result<Put> PutEnterprise(const EnterpriseRow& row) override {
    return Guard("enterprise", [&]() -> Result<Put> {
      const std::string kbo = row.kbo.ToString();
      if (full_) {
        StatementCache::Use list_use = statements_.Get(
            "INSERT OR IGNORE INTO import_listed_enterprise VALUES (?)");
        SQLite::Statement& list = *list_use;
        list.bind(1, kbo);
        list.exec();
      }
      StatementCache::Use get_use = statements_.Get(
          "SELECT active, juridical_form, start_date FROM "
          "enterprise WHERE kbo = ?");
      SQLite::Statement& get = *get_use;
      get.bind(1, kbo);
      if (!get.executeStep()) {
        StatementCache::Use ins_use = statements_.Get(
            "INSERT INTO enterprise (kbo, active, "
            "juridical_form, start_date) VALUES (?, ?, ?, ?)");
        SQLite::Statement& ins = *ins_use;
        ins.bind(1, kbo);
        ins.bind(2, row.active ? 1 : 0);
        ins.bind(3, row.juridical_form);
        ins.bind(4, row.start_date);
        ins.exec();
        StatementCache::Use mark_use =
            statements_.Get("INSERT OR IGNORE INTO import_new VALUES (?)");
        SQLite::Statement& mark = *mark_use;
        mark.bind(1, kbo);
        mark.exec();
        return Put::kInserted;
      }
      const bool was_active = get.getColumn(0).getInt() != 0;
      if (was_active == row.active &&
          get.getColumn(1).getString() == row.juridical_form &&
          get.getColumn(2).getString() == row.start_date) {
        return Put::kUnchanged;
      }
      StatementCache::Use upd_use = statements_.Get(
          "UPDATE enterprise SET active = ?, juridical_form "
          "= ?, start_date = ? WHERE kbo = ?");
      SQLite::Statement& upd = *upd_use;
      upd.bind(1, row.active ? 1 : 0);
      upd.bind(2, row.juridical_form);
      upd.bind(3, row.start_date);
      upd.bind(4, kbo);
      upd.exec();
      if (was_active != row.active) {
        AuditEnterprise(kbo, row.active, source_);
      }
      return Put::kUpdated;
    });
  }

  Result<Put> PutDenomination(const DenominationRow& row) override {
    if (row.skip || !row.kbo) return Put::kIgnored;
    return Guard("denomination", [&]() -> Result<Put> {
      const std::string kbo = row.kbo->ToString();
      StatementCache::Use known_use =
          statements_.Get("SELECT 1 FROM enterprise WHERE kbo = ?");
      SQLite::Statement& known = *known_use;
      known.bind(1, kbo);
      if (!known.executeStep()) return Put::kIgnored;
      StatementCache::Use offer_use = statements_.Get(
          "INSERT INTO import_name (kbo, rank, name) VALUES (?, ?, ?) ON "
          "CONFLICT (kbo) DO UPDATE SET rank = excluded.rank, name = "
          "excluded.name WHERE excluded.rank < import_name.rank");
      SQLite::Statement& offer = *offer_use;
      offer.bind(1, kbo);
      offer.bind(2, Rank(row));
      offer.bind(3, row.denomination);
      offer.exec();
      return Put::kUnchanged;  // counted by FinishDenominations
    });
  }

  Result<size_t> FinishDenominations() override {
    try {
      // Naming an enterprise inserted by this import is part of inserting
      // it; only a changed name of a known enterprise counts as an update.
      const auto renamed = static_cast<size_t>(
          db_.execAndGet(
                 "SELECT count(*) FROM import_name n JOIN enterprise e ON "
                 "e.kbo = n.kbo WHERE e.name IS NOT n.name AND n.kbo NOT IN "
                 "(SELECT kbo FROM import_new)")
              .getInt64());
      StatementCache::Use apply_use = statements_.Get(
          "UPDATE enterprise SET name = (SELECT n.name FROM import_name n "
          "WHERE n.kbo = enterprise.kbo) WHERE kbo IN (SELECT kbo FROM "
          "import_name) AND name IS NOT (SELECT n.name FROM import_name n "
          "WHERE n.kbo = enterprise.kbo)");
      SQLite::Statement& apply = *apply_use;
      apply.exec();
      return renamed;
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "applying enterprise names");
    }
  }

  Result<Put> PutPerson(const PersonRow& row) override {
    return Guard("person", [&]() -> Result<Put> {
      const std::string insz = row.insz.ToString();
      StatementCache::Use get_use =
          statements_.Get("SELECT name FROM person WHERE insz = ?");
      SQLite::Statement& get = *get_use;
      get.bind(1, insz);
      if (!get.executeStep()) {
        StatementCache::Use ins_use =
            statements_.Get("INSERT INTO person (insz, name) VALUES (?, ?)");
        SQLite::Statement& ins = *ins_use;
        ins.bind(1, insz);
        ins.bind(2, row.name);
        ins.exec();
        return Put::kInserted;
      }
      // An empty name in the file does not erase a known one.
      if (row.name.empty() || get.getColumn(0).getString() == row.name) {
        return Put::kUnchanged;
      }
      StatementCache::Use upd_use =
          statements_.Get("UPDATE person SET name = ? WHERE insz = ?");
      SQLite::Statement& upd = *upd_use;
      upd.bind(1, row.name);
      upd.bind(2, insz);
      upd.exec();
      return Put::kUpdated;
    });
  }

  Result<Put> PutFunction(const FunctionRow& row) override {
    return Guard("function", [&]() -> Result<Put> {
      const std::string kbo = row.kbo.ToString();
      if (!EnterpriseKnown(kbo)) return UnknownEnterprise(row.kbo);
      StatementCache::Use ins_use = statements_.Get(
          "INSERT OR IGNORE INTO function (kbo, insz, role) "
          "VALUES (?, ?, ?)");
      SQLite::Statement& ins = *ins_use;
      ins.bind(1, kbo);
      ins.bind(2, row.insz.ToString());
      const std::string insz = row.insz.ToString();
      const char* role = row.role == FunctionRole::kLegalRepresentative
                             ? "legal_representative"
                             : "employee";
      ins.bind(3, role);
      if (full_) {
        StatementCache::Use list_use = statements_.Get(
            "INSERT OR IGNORE INTO import_listed_function VALUES (?, ?, ?)");
        SQLite::Statement& list = *list_use;
        list.bind(1, kbo);
        list.bind(2, insz);
        list.bind(3, role);
        list.exec();
      }
      if (ins.exec() != 1) return Put::kUnchanged;
      StatementCache::Use back_use = statements_.Get(
          "DELETE FROM function_ended WHERE kbo = ? AND insz = ? AND role = ?");
      SQLite::Statement& back = *back_use;
      back.bind(1, kbo);
      back.bind(2, insz);
      back.bind(3, role);
      back.exec();
      AuditFunction(kbo, insz, role, /*added=*/true);
      return Put::kInserted;
    });
  }

  Result<Put> PutFacility(const FacilityRow& row) override {
    return Guard("facility", [&]() -> Result<Put> {
      const std::string kbo = row.kbo.ToString();
      if (!EnterpriseKnown(kbo)) return UnknownEnterprise(row.kbo);
      if (full_) {
        StatementCache::Use list_use = statements_.Get(
            "INSERT OR IGNORE INTO import_listed_facility VALUES (?)");
        SQLite::Statement& list = *list_use;
        list.bind(1, row.hco.str());
        list.exec();
      }
      StatementCache::Use get_use = statements_.Get(
          "SELECT name, type_code, kbo, active FROM facility "
          "WHERE hco = ?");
      SQLite::Statement& get = *get_use;
      get.bind(1, row.hco.str());
      if (!get.executeStep()) {
        StatementCache::Use ins_use = statements_.Get(
            "INSERT INTO facility (hco, name, type_code, "
            "kbo, active) VALUES (?, ?, ?, ?, ?)");
        SQLite::Statement& ins = *ins_use;
        ins.bind(1, row.hco.str());
        ins.bind(2, row.name);
        ins.bind(3, row.type_code.str());
        ins.bind(4, kbo);
        ins.bind(5, row.active ? 1 : 0);
        ins.exec();
        return Put::kInserted;
      }
      const std::string old_type = get.getColumn(1).getString();
      const std::string old_kbo = get.getColumn(2).getString();
      const bool was_active = get.getColumn(3).getInt() != 0;
      if (get.getColumn(0).getString() == row.name &&
          old_type == row.type_code.str() && old_kbo == kbo &&
          was_active == row.active) {
        return Put::kUnchanged;
      }
      StatementCache::Use upd_use = statements_.Get(
          "UPDATE facility SET name = ?, type_code = ?, kbo "
          "= ?, active = ? WHERE hco = ?");
      SQLite::Statement& upd = *upd_use;
      upd.bind(1, row.name);
      upd.bind(2, row.type_code.str());
      upd.bind(3, kbo);
      upd.bind(4, row.active ? 1 : 0);
      upd.bind(5, row.hco.str());
      upd.exec();
      if (was_active != row.active || old_kbo != kbo ||
          old_type != row.type_code.str()) {
        // A move is news for both organizers: audit it under each.
        if (old_kbo != kbo) {
          ++changes_.facilities_moved;
          InsertAudit(statements_, revision_, at_, "", "import.facility",
                      old_kbo,
                      nlohmann::json{{"hco", row.hco.str()},
                                     {"moved_to", kbo},
                                     {"change", "moved"},
                                     {"old", old_kbo},
                                     {"new", kbo},
                                     {"source", source_}}
                          .dump(),
                      fmt::format("facility HCO {} moved in CoBRHA to {}; its "
                                  "subafdelingen here grant nothing any more",
                                  row.hco.str(), row.kbo.Display()));
        }
        if (was_active != row.active) {
          ++(row.active ? changes_.facilities_reopened
                        : changes_.facilities_closed);
        }
        if (was_active != row.active || old_kbo != kbo) {
          delta_.facilities.push_back(
              {row.hco.str(), row.active, row.kbo.value()});
        }
        InsertAudit(
            statements_, revision_, at_, "", "import.facility", kbo,
            nlohmann::json{
                {"hco", row.hco.str()},
                {"active", row.active},
                {"type_code", row.type_code.str()},
                {"kbo", kbo},
                {"previous_kbo", old_kbo},
                {"change", was_active == row.active
                               ? (old_kbo != kbo ? "moved" : "type")
                               : (row.active ? "reopened" : "closed")},
                {"old", nlohmann::json{{"active", was_active},
                                       {"type_code", old_type},
                                       {"kbo", old_kbo}}},
                {"new", nlohmann::json{{"active", row.active},
                                       {"type_code", row.type_code.str()},
                                       {"kbo", kbo}}},
                {"source", source_}}
                .dump(),
            fmt::format("facility HCO {} {} in CoBRHA (type {}, organized by "
                        "{})",
                        row.hco.str(),
                        was_active == row.active
                            ? "changed"
                            : (row.active ? "reopened" : "closed"),
                        row.type_code.str(), row.kbo.Display()));
      }
      return Put::kUpdated;
    });
  }

  uint64_t revision() const override { return revision_; }

  Result<uint64_t> Commit(const std::string& action, const std::string& detail,
                          const std::string& message, bool changed) override {
    try {
      if (!changed) return uint64_t{0};  // the destructor rolls back
      HistoryLink next(key_, StoredMark(statements_));
      next.AddRow(at_, "", action, "", detail, message);
      StoreMark(statements_, next.Finish());
      InsertAudit(statements_, revision_, at_, "", action, "", detail, message);
      tx_.commit();
      return revision_;
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "committing the import");
    } catch (const std::runtime_error& e) {
      return Status::Storage(code::kStorageError, e.what());
    }
  }

 private:
  template <typename Fn>
  Result<Put> Guard(std::string_view what, Fn fn) {
    try {
      return fn();
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, fmt::format("importing a {} row", what));
    }
  }

  // Stops every enterprise the query selects (one kbo column), each
  // audited with reason.
  Result<size_t> StopWhere(const char* select, const std::string& reason) {
    try {
      std::vector<std::string> stop;
      {
        SQLite::Statement q(db_, select);
        while (q.executeStep()) stop.push_back(q.getColumn(0).getString());
      }
      for (const std::string& kbo : stop) {
        StatementCache::Use use =
            statements_.Get("UPDATE enterprise SET active = 0 WHERE kbo = ?");
        SQLite::Statement& upd = *use;
        upd.bind(1, kbo);
        upd.exec();
        AuditEnterprise(kbo, false, reason);
      }
      return stop.size();
    } catch (const SQLite::Exception& e) {
      return FromSqlite(e, "stopping the enterprises the extract ends");
    }
  }

  void AuditEnterprise(const std::string& kbo, bool active,
                       const std::string& reason) {
    ++(active ? changes_.enterprises_reactivated
              : changes_.enterprises_stopped);
    delta_.enterprises.push_back({FromDigits(kbo).value_or(0), active});
    InsertAudit(statements_, revision_, at_, "", "import.enterprise", kbo,
                nlohmann::json{{"kbo", kbo},
                               {"active", active},
                               {"change", active ? "reactivated" : "stopped"},
                               {"old", active ? "stopped" : "active"},
                               {"new", active ? "active" : "stopped"},
                               {"source", reason}}
                    .dump(),
                fmt::format("enterprise {} {} in the KBO ({})",
                            KboDisplay(FromDigits(kbo).value_or(0)),
                            active ? "active again" : "stopped", reason));
  }

  void AuditFunction(const std::string& kbo, const std::string& insz,
                     const std::string& role, bool added) {
    ++(added ? changes_.functions_added : changes_.functions_ended);
    const bool wv = role == "legal_representative";
    InsertAudit(statements_, revision_, at_, "", "import.function", kbo,
                nlohmann::json{{"kbo", kbo},
                               {"insz", insz},
                               {"role", role},
                               {"change", added ? "added" : "ended"},
                               {"old", added ? "none" : role},
                               {"new", added ? role : "none"},
                               {"source", source_}}
                    .dump(),
                fmt::format("{} {} of {} {} in the functions registry ({})",
                            wv ? "legal representative (WV)" : "employee",
                            InszDisplay(FromDigits(insz).value_or(0)),
                            KboDisplay(FromDigits(kbo).value_or(0)),
                            added ? "added" : "ended", source_));
  }

  bool EnterpriseKnown(const std::string& kbo) {
    StatementCache::Use q_use =
        statements_.Get("SELECT 1 FROM enterprise WHERE kbo = ?");
    SQLite::Statement& q = *q_use;
    q.bind(1, kbo);
    return q.executeStep();
  }

  static Status UnknownEnterprise(const Kbo& kbo) {
    return Status::Refused(code::kEnterpriseUnknown,
                           fmt::format("enterprise {} is not in the KBO "
                                       "registry: import the KBO first",
                                       kbo.Display()));
  }

  // Lower is better: the official name before a commercial name before an
  // abbreviation; Dutch, then French, German, English, unknown.
  static int Rank(const DenominationRow& row) {
    int type_rank = row.type == "001"   ? 0
                    : row.type == "003" ? 1
                    : row.type == "002" ? 2
                                        : 3;
    static constexpr int kLanguageRank[] = {4, 1, 0, 2, 3};
    int lang = row.language >= 0 && row.language <= 4
                   ? kLanguageRank[row.language]
                   : 5;
    return type_rank * 10 + lang;
  }

  SQLite::Database& db_;
  StatementCache& statements_;  // the store's
  const DatabaseKey& key_;      // the store's
  SQLite::Transaction tx_;
  const uint64_t revision_;
  const int64_t at_;
  std::string source_;  // the file the rows come from (SetSource)
  bool full_ = false;   // remember what the rows list
  RegistryChanges changes_;
  RegistryDelta delta_;
  bool wrote_state_ = false;  // RecordExtract
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
      return Status::Storage(
          code::kNotInitialized,
          fmt::format("there is no toegang database at {}: create one with "
                      "`toegang init`, or point --db / TOEGANG_DB at yours",
                      path));
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
    *out = Catalogue();
    SQLite::Statement caps(*db_,
                           "SELECT code, name FROM capacity ORDER BY rowid");
    while (caps.executeStep()) {
      out->AddCapacity(
          {caps.getColumn(0).getString(), caps.getColumn(1).getString()});
    }
    auto capacity_id = [&](const std::string& code) -> CapacityId {
      for (size_t i = 0; i < out->capacity_count(); ++i) {
        if (out->capacity(static_cast<CapacityId>(i)).code == code) {
          return static_cast<CapacityId>(i);
        }
      }
      return 0;
    };
    SQLite::Statement subs(
        *db_, "SELECT code, name, capacity FROM subdivision ORDER BY rowid");
    while (subs.executeStep()) {
      out->AddSubdivision({subs.getColumn(0).getString(),
                           subs.getColumn(1).getString(),
                           capacity_id(subs.getColumn(2).getString())});
    }
    SQLite::Statement apps(
        *db_, "SELECT code, name, capacity FROM application ORDER BY rowid");
    while (apps.executeStep()) {
      if (!out->AddApplication({apps.getColumn(0).getString(),
                                apps.getColumn(1).getString(),
                                capacity_id(apps.getColumn(2).getString())})) {
        return Status::Storage(code::kStorageError,
                               "the catalogue has more applications than "
                               "toegang supports (64)");
      }
    }
    SQLite::Statement aliases(
        *db_,
        "SELECT alias, application FROM application_alias ORDER BY rowid");
    while (aliases.executeStep()) {
      const std::string alias = aliases.getColumn(0).getString();
      Result<AppId> app =
          out->FindApplication(aliases.getColumn(1).getString());
      if (!app.ok() || !out->AddApplicationAlias(alias, *app)) {
        return Status::Storage(
            code::kStorageError,
            fmt::format("the catalogue's application alias \"{}\" names no "
                        "application or one already named so",
                        alias));
      }
    }
    SQLite::Statement rules(*db_,
                            "SELECT application, trigger_type, allowed_type "
                            "FROM facility_rule ORDER BY rowid");
    while (rules.executeStep()) {
      Result<AppId> app = out->FindApplication(rules.getColumn(0).getString());
      if (!app.ok()) continue;
      out->AddFacilityRule(*app, rules.getColumn(1).getString(),
                           rules.getColumn(2).getString());
    }
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "loading the catalogue");
  }
}

Result<uint64_t> SqliteStore::Load(LoadSink* sink) {
  return LoadRows(sink, nullptr);
}

// The part's enterprises, found from what the scope names (store.h,
// LoadPart): each person's by every table that ties a person to an
// enterprise (the indexes function_by_insz and user_by_insz; htb,
// domain_manager and subafdeling_manager are small enough to scan), each
// facility's organizer and the enterprises with a subafdeling there.
Result<uint64_t> SqliteStore::LoadPart(const LoadScope& scope, LoadSink* sink) {
  try {
    std::optional<SQLite::Transaction> tx;
    if (!write_held_) tx.emplace(*db_, SQLite::TransactionBehavior::DEFERRED);
    nlohmann::json kbos = nlohmann::json::array();
    nlohmann::json inszs = nlohmann::json::array();
    nlohmann::json hcos = nlohmann::json::array();
    for (uint64_t k : scope.enterprises) kbos.push_back(KboDigits(k));
    for (uint64_t p : scope.persons) inszs.push_back(InszDigits(p));
    for (const std::string& h : scope.facilities) hcos.push_back(h);
    PartFilter part;
    part.persons = inszs.dump();
    nlohmann::json full = nlohmann::json::array();
    {
      SQLite::Statement q(
          *db_,
          "SELECT kbo FROM enterprise WHERE kbo IN (SELECT value FROM "
          "json_each(:kbos)) "
          "UNION SELECT kbo FROM function WHERE insz IN (SELECT value FROM "
          "json_each(:inszs)) "
          "UNION SELECT kbo FROM htb WHERE insz IN (SELECT value FROM "
          "json_each(:inszs)) "
          "UNION SELECT kbo FROM domain_manager WHERE insz IN (SELECT value "
          "FROM json_each(:inszs)) "
          "UNION SELECT s.kbo FROM subafdeling_manager m JOIN subafdeling s "
          "ON s.id = m.subafdeling WHERE m.insz IN (SELECT value FROM "
          "json_each(:inszs)) "
          "UNION SELECT s.kbo FROM user u JOIN subafdeling s ON s.id = "
          "u.subafdeling WHERE u.insz IN (SELECT value FROM "
          "json_each(:inszs)) "
          "UNION SELECT kbo FROM facility WHERE hco IN (SELECT value FROM "
          "json_each(:hcos)) "
          "UNION SELECT kbo FROM subafdeling WHERE hco IN (SELECT value FROM "
          "json_each(:hcos))");
      q.bind(":kbos", kbos.dump());
      q.bind(":inszs", part.persons);
      q.bind(":hcos", hcos.dump());
      while (q.executeStep()) full.push_back(q.getColumn(0).getString());
    }
    part.full = full.dump();
    {
      // Enterprises that organize a facility a subafdeling of the part is
      // at: their row and their facilities, so that the facility is what
      // the full load makes of it.
      nlohmann::json reach = full;
      SQLite::Statement q(
          *db_,
          "SELECT DISTINCT f.kbo FROM subafdeling s JOIN facility f ON f.hco "
          "= s.hco WHERE s.kbo IN (SELECT value FROM json_each(:full)) AND "
          "f.kbo NOT IN (SELECT value FROM json_each(:full))");
      q.bind(":full", part.full);
      while (q.executeStep()) reach.push_back(q.getColumn(0).getString());
      part.reach = reach.dump();
    }
    Result<uint64_t> revision = LoadRows(sink, &part);
    if (revision.ok() && tx) tx->commit();
    return revision;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "loading a part of the federation");
  }
}

// A full load (part null) or a part's (store.h): the same steps in the
// same order (load_sink.h), each a statement over the whole table or, for
// a part, with a WHERE clause that binds the part's enterprises (:full),
// those with their facilities too (:reach) and the persons named
// (:persons).
Result<uint64_t> SqliteStore::LoadRows(LoadSink* sink, const PartFilter* part) {
  try {
    // One read transaction, so the load sees one consistent revision (the
    // write lock's transaction, when one is held, or LoadPart's).
    std::optional<SQLite::Transaction> tx;
    if (!write_held_ && part == nullptr) {
      tx.emplace(*db_, SQLite::TransactionBehavior::DEFERRED);
    }
    const uint64_t revision = static_cast<uint64_t>(
        db_->execAndGet("SELECT value FROM revision WHERE id = 1").getInt64());
    const Catalogue& cat = sink->catalogue();
    // The statement of one step: the whole table, or the part's rows.
    auto step = [&](const char* whole, const char* of_part) {
      const char* sql = part == nullptr ? whole : of_part;
      SQLite::Statement q(*db_, sql);
      if (part != nullptr) {
        const std::string_view text(of_part);
        if (text.find(":full") != text.npos) q.bind(":full", part->full);
        if (text.find(":reach") != text.npos) q.bind(":reach", part->reach);
        if (text.find(":persons") != text.npos) {
          q.bind(":persons", part->persons);
        }
      }
      return q;
    };

    // Room for what follows, so the tables and indexes do not grow row by
    // row (persons also arrive through functions and links; those few
    // grow as usual).
    auto count = [&](const char* whole, const char* of_part) {
      SQLite::Statement q = step(whole, of_part);
      return q.executeStep() ? static_cast<size_t>(q.getColumn(0).getInt64())
                             : size_t{0};
    };
    sink->Reserve(
        count("SELECT count(*) FROM person",
              "SELECT count(*) FROM function WHERE kbo IN (SELECT value FROM "
              "json_each(:full))"),
        count("SELECT count(*) FROM enterprise",
              "SELECT count(*) FROM json_each(:reach)"),
        count("SELECT count(*) FROM facility",
              "SELECT count(*) FROM facility WHERE kbo IN (SELECT value FROM "
              "json_each(:reach))"),
        count("SELECT count(*) FROM subafdeling",
              "SELECT count(*) FROM subafdeling WHERE kbo IN (SELECT value "
              "FROM json_each(:full))"));

    SQLite::Statement ents = step(
        "SELECT kbo, name, active, juridical_form, start_date FROM "
        "enterprise",
        "SELECT kbo, name, active, juridical_form, start_date FROM "
        "enterprise WHERE kbo IN (SELECT value FROM json_each(:reach))");
    while (ents.executeStep()) {
      sink->Enterprise(U64Column(ents, 0), Text(ents, 1),
                       ents.getColumn(2).getInt() != 0, Text(ents, 3),
                       Text(ents, 4));
    }
    // A part's persons: the named ones and everyone its rows name, as
    // subject or as maker (explanations name the makers).
    SQLite::Statement persons = step(
        "SELECT insz, name FROM person",
        "SELECT insz, name FROM person WHERE insz IN ("
        "SELECT value FROM json_each(:persons) "
        "UNION SELECT insz FROM function WHERE kbo IN (SELECT value FROM "
        "json_each(:full)) "
        "UNION SELECT insz FROM htb WHERE kbo IN (SELECT value FROM "
        "json_each(:full)) "
        "UNION SELECT by_insz FROM htb WHERE kbo IN (SELECT value FROM "
        "json_each(:full)) "
        "UNION SELECT by_insz FROM active_capacity WHERE kbo IN (SELECT value "
        "FROM json_each(:full)) "
        "UNION SELECT insz FROM domain_manager WHERE kbo IN (SELECT value "
        "FROM json_each(:full)) "
        "UNION SELECT by_insz FROM domain_manager WHERE kbo IN (SELECT value "
        "FROM json_each(:full)) "
        "UNION SELECT by_insz FROM subafdeling WHERE kbo IN (SELECT value "
        "FROM json_each(:full)) "
        "UNION SELECT a.by_insz FROM authorization a JOIN subafdeling s ON "
        "s.id = a.subafdeling WHERE s.kbo IN (SELECT value FROM "
        "json_each(:full)) "
        "UNION SELECT m.insz FROM subafdeling_manager m JOIN subafdeling s ON "
        "s.id = m.subafdeling WHERE s.kbo IN (SELECT value FROM "
        "json_each(:full)) "
        "UNION SELECT m.by_insz FROM subafdeling_manager m JOIN subafdeling s "
        "ON s.id = m.subafdeling WHERE s.kbo IN (SELECT value FROM "
        "json_each(:full)) "
        "UNION SELECT u.insz FROM user u JOIN subafdeling s ON s.id = "
        "u.subafdeling WHERE s.kbo IN (SELECT value FROM json_each(:full)) "
        "UNION SELECT u.by_insz FROM user u JOIN subafdeling s ON s.id = "
        "u.subafdeling WHERE s.kbo IN (SELECT value FROM json_each(:full)) "
        "UNION SELECT r.by_insz FROM user_right r JOIN subafdeling s ON s.id "
        "= r.subafdeling WHERE s.kbo IN (SELECT value FROM "
        "json_each(:full)))");
    while (persons.executeStep()) {
      sink->Person(U64Column(persons, 0), Text(persons, 1));
    }
    SQLite::Statement funcs =
        step("SELECT kbo, insz, role FROM function",
             "SELECT kbo, insz, role FROM function WHERE kbo IN (SELECT value "
             "FROM json_each(:full))");
    while (funcs.executeStep()) {
      sink->Function(U64Column(funcs, 0), U64Column(funcs, 1),
                     Text(funcs, 2) == "employee"
                         ? FunctionRole::kEmployee
                         : FunctionRole::kLegalRepresentative);
    }
    {
      std::vector<std::pair<uint64_t, uint64_t>> ended;
      SQLite::Statement q = step(
          "SELECT kbo, insz FROM function_ended WHERE role = "
          "'legal_representative'",
          "SELECT kbo, insz FROM function_ended WHERE role = "
          "'legal_representative' AND kbo IN (SELECT value FROM "
          "json_each(:full))");
      while (q.executeStep()) {
        ended.emplace_back(U64Column(q, 0), U64Column(q, 1));
      }
      sink->EndedLegalRepresentatives(std::move(ended));
    }
    SQLite::Statement facs =
        step("SELECT hco, name, type_code, kbo, active FROM facility",
             "SELECT hco, name, type_code, kbo, active FROM facility WHERE "
             "kbo IN (SELECT value FROM json_each(:reach))");
    while (facs.executeStep()) {
      sink->Facility(facs.getColumn(0).getString(),
                     facs.getColumn(1).getString(),
                     facs.getColumn(2).getString(), U64Column(facs, 3),
                     facs.getColumn(4).getInt() != 0);
    }

    // The delegation state replays as ops, through the same code path as
    // live mutations.
    auto prov = [](SQLite::Statement& q, int col) {
      return Provenance{U64Column(q, col),
                        static_cast<uint64_t>(q.getColumn(col + 1).getInt64()),
                        ParseUtc(Text(q, col + 2))};
    };
    auto find_cap = [&](std::string_view code) {
      Result<CapacityId> c = cat.FindCapacity(code);
      return c.ok() ? *c : CapacityId{0};
    };
    auto find_sub = [&](std::string_view code, CapacityId c) {
      Result<SubdivisionId> s = cat.FindSubdivision(code, c);
      return s.ok() ? *s : SubdivisionId{0};
    };
    auto find_app = [&](std::string_view code) {
      Result<AppId> a = cat.FindApplication(code);
      return a.ok() ? *a : AppId{0};
    };

    SQLite::Statement htbs =
        step("SELECT kbo, insz, email, phone, by_insz, revision, at FROM htb",
             "SELECT kbo, insz, email, phone, by_insz, revision, at FROM htb "
             "WHERE kbo IN (SELECT value FROM json_each(:full))");
    while (htbs.executeStep()) {
      Op op;
      op.kind = Action::kAppointHtb;
      op.kbo = U64Column(htbs, 0);
      op.insz = U64Column(htbs, 1);
      op.email = Text(htbs, 2);
      op.phone = Text(htbs, 3);
      sink->Apply(op, prov(htbs, 4));
    }
    SQLite::Statement caps = step(
        "SELECT kbo, capacity, by_insz, revision, at FROM "
        "active_capacity",
        "SELECT kbo, capacity, by_insz, revision, at FROM "
        "active_capacity WHERE kbo IN (SELECT value FROM "
        "json_each(:full))");
    while (caps.executeStep()) {
      Op op;
      op.kind = Action::kActivateCapacity;
      op.kbo = U64Column(caps, 0);
      op.capacity = find_cap(Text(caps, 1));
      sink->Apply(op, prov(caps, 2));
    }
    SQLite::Statement managers = step(
        "SELECT kbo, capacity, subdivision, insz, role, by_insz, "
        "revision, at FROM domain_manager",
        "SELECT kbo, capacity, subdivision, insz, role, by_insz, "
        "revision, at FROM domain_manager WHERE kbo IN (SELECT value "
        "FROM json_each(:full))");
    while (managers.executeStep()) {
      Op op;
      op.kind = Text(managers, 4) == "tb" ? Action::kSetTb : Action::kAddCoTb;
      op.kbo = U64Column(managers, 0);
      op.capacity = find_cap(Text(managers, 1));
      op.subdivision = find_sub(Text(managers, 2), op.capacity);
      op.insz = U64Column(managers, 3);
      sink->Apply(op, prov(managers, 5));
    }
    SQLite::Statement subs = step(
        "SELECT id, kbo, capacity, subdivision, hco, email, by_insz, "
        "revision, at FROM subafdeling ORDER BY id",
        "SELECT id, kbo, capacity, subdivision, hco, email, by_insz, "
        "revision, at FROM subafdeling WHERE kbo IN (SELECT value FROM "
        "json_each(:full)) ORDER BY id");
    std::unordered_map<int64_t, uint64_t> subafdeling_kbo;
    while (subs.executeStep()) {
      Op op;
      op.kind = Action::kCreateSubafdeling;
      op.subafdeling = subs.getColumn(0).getInt64();
      op.kbo = U64Column(subs, 1);
      op.capacity = find_cap(Text(subs, 2));
      op.subdivision = find_sub(Text(subs, 3), op.capacity);
      op.hco = Text(subs, 4);
      op.email = Text(subs, 5);
      subafdeling_kbo[op.subafdeling] = op.kbo;
      sink->Apply(op, prov(subs, 6));
    }
    // The ops below carry no text: one Op serves every row. The users and
    // rights, most of the rows, are staged (LoadSink::ApplyStaged).
    auto replay = [&](SQLite::Statement q, Action kind, bool has_insz,
                      bool has_app, bool staged) {
      Op op;
      op.kind = kind;
      int64_t last_subafdeling = 0;
      uint64_t last_kbo = 0;
      while (q.executeStep()) {
        op.subafdeling = q.getColumn(0).getInt64();
        // Rows come grouped by subafdeling: look its enterprise up once.
        if (op.subafdeling != last_subafdeling || last_subafdeling == 0) {
          last_subafdeling = op.subafdeling;
          last_kbo = subafdeling_kbo[op.subafdeling];
        }
        op.kbo = last_kbo;
        int col = 1;
        if (has_insz) op.insz = U64Column(q, col++);
        if (has_app) op.app = find_app(Text(q, col++));
        if (staged) {
          sink->ApplyStaged(op, prov(q, col));
        } else {
          sink->Apply(op, prov(q, col));
        }
      }
    };
    replay(step("SELECT subafdeling, application, by_insz, revision, at FROM "
                "authorization",
                "SELECT subafdeling, application, by_insz, revision, at FROM "
                "authorization WHERE subafdeling IN (SELECT id FROM "
                "subafdeling WHERE kbo IN (SELECT value FROM "
                "json_each(:full)))"),
           Action::kAuthorize, false, true, false);
    replay(step("SELECT subafdeling, insz, by_insz, revision, at FROM "
                "subafdeling_manager",
                "SELECT subafdeling, insz, by_insz, revision, at FROM "
                "subafdeling_manager WHERE subafdeling IN (SELECT id FROM "
                "subafdeling WHERE kbo IN (SELECT value FROM "
                "json_each(:full)))"),
           Action::kAddManager, true, false, false);
    replay(step("SELECT subafdeling, insz, by_insz, revision, at FROM user",
                "SELECT subafdeling, insz, by_insz, revision, at FROM user "
                "WHERE subafdeling IN (SELECT id FROM subafdeling WHERE kbo "
                "IN (SELECT value FROM json_each(:full)))"),
           Action::kAddUser, true, false, true);
    replay(step("SELECT subafdeling, insz, application, by_insz, revision, at "
                "FROM user_right",
                "SELECT subafdeling, insz, application, by_insz, revision, at "
                "FROM user_right WHERE subafdeling IN (SELECT id FROM "
                "subafdeling WHERE kbo IN (SELECT value FROM "
                "json_each(:full)))"),
           Action::kGrantRight, true, true, true);
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
  if (read_only_) return ReadOnlyRefusal("a change");
  if (write_held_) {
    return Status::Storage(code::kStorageError,
                           "internal: the write lock is already held");
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
  const Catalogue& cat = catalogue_;
  try {
    // Under a WriteLock the rows join its transaction (which the lock's
    // owner rolls back if this fails); otherwise this is one transaction.
    std::optional<SQLite::Transaction> tx;
    if (!write_held_) tx.emplace(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    const HistoryMark stored = StoredMark(*statements_);
    if (stored.revision != expected_revision) {
      return Status::Storage(kStaleRevision,
                             fmt::format("the database is at revision {}, the "
                                         "engine at {}",
                                         stored.revision, expected_revision));
    }
    HistoryLink next(key_, stored);
    const uint64_t revision = expected_revision + 1;
    const std::string at = FormatUtc(changes->at);
    const std::string by = InszDigits(changes->actor);
    const auto rev = static_cast<int64_t>(revision);
    for (const Op& op : changes->ops) {
      const std::string kbo = KboDigits(op.kbo);
      const std::string insz = InszDigits(op.insz);
      const std::string& cap = cat.capacity(op.capacity).code;
      const std::string& sub = cat.subdivision(op.subdivision).code;
      const std::string& app = cat.application(op.app).code;
      switch (op.kind) {
        case Action::kAppointHtb: {
          StatementCache::Use q_use = statements_->Get(
              "INSERT INTO htb (kbo, insz, email, phone, by_insz, revision, "
              "at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kbo) DO UPDATE "
              "SET insz = excluded.insz, email = excluded.email, phone = "
              "excluded.phone, by_insz = excluded.by_insz, revision = "
              "excluded.revision, at = excluded.at");
          SQLite::Statement& q = *q_use;
          q.bind(1, kbo);
          q.bind(2, insz);
          q.bind(3, op.email);
          q.bind(4, op.phone);
          q.bind(5, by);
          q.bind(6, rev);
          q.bind(7, at);
          ExecOne(q, "htb.appoint");
          break;
        }
        case Action::kActivateCapacity: {
          StatementCache::Use q_use = statements_->Get(
              "INSERT INTO active_capacity (kbo, capacity, "
              "by_insz, revision, at) VALUES (?, ?, ?, ?, ?)");
          SQLite::Statement& q = *q_use;
          q.bind(1, kbo);
          q.bind(2, cap);
          q.bind(3, by);
          q.bind(4, rev);
          q.bind(5, at);
          ExecOne(q, "hoedanigheid.activate");
          break;
        }
        case Action::kSetTb:
        case Action::kAddCoTb: {
          const bool tb = op.kind == Action::kSetTb;
          if (tb) {
            StatementCache::Use del_use = statements_->Get(
                "DELETE FROM domain_manager WHERE kbo = ? "
                "AND capacity = ? AND subdivision = ? AND "
                "role = 'tb'");
            SQLite::Statement& del = *del_use;
            del.bind(1, kbo);
            del.bind(2, cap);
            del.bind(3, sub);
            del.exec();
          }
          StatementCache::Use q_use = statements_->Get(
              "INSERT INTO domain_manager (kbo, capacity, "
              "subdivision, insz, role, by_insz, revision, at) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
          SQLite::Statement& q = *q_use;
          q.bind(1, kbo);
          q.bind(2, cap);
          q.bind(3, sub);
          q.bind(4, insz);
          q.bind(5, tb ? "tb" : "co_tb");
          q.bind(6, by);
          q.bind(7, rev);
          q.bind(8, at);
          ExecOne(q, ActionName(op.kind));
          break;
        }
        case Action::kRemoveCoTb: {
          StatementCache::Use q_use = statements_->Get(
              "DELETE FROM domain_manager WHERE kbo = ? AND "
              "capacity = ? AND subdivision = ? AND insz = ? "
              "AND role = 'co_tb'");
          SQLite::Statement& q = *q_use;
          q.bind(1, kbo);
          q.bind(2, cap);
          q.bind(3, sub);
          q.bind(4, insz);
          ExecOne(q, "tb.remove-co");
          break;
        }
        case Action::kCreateSubafdeling: {
          StatementCache::Use q_use = statements_->Get(
              "INSERT INTO subafdeling (id, kbo, capacity, "
              "subdivision, hco, email, by_insz, revision, at) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
          SQLite::Statement& q = *q_use;
          q.bind(1, op.subafdeling);
          q.bind(2, kbo);
          q.bind(3, cap);
          q.bind(4, sub);
          q.bind(5, op.hco);
          q.bind(6, op.email);
          q.bind(7, by);
          q.bind(8, rev);
          q.bind(9, at);
          ExecOne(q, "subafdeling.create");
          break;
        }
        case Action::kRemoveSubafdeling: {
          StatementCache::Use q_use =
              statements_->Get("DELETE FROM subafdeling WHERE id = ?");
          SQLite::Statement& q = *q_use;
          q.bind(1, op.subafdeling);
          ExecOne(q, "subafdeling.remove");
          break;
        }
        case Action::kAuthorize:
        case Action::kAddManager:
        case Action::kAddUser: {
          const char* sql =
              op.kind == Action::kAuthorize
                  ? "INSERT INTO authorization (subafdeling, application, "
                    "by_insz, revision, at) VALUES (?, ?, ?, ?, ?)"
              : op.kind == Action::kAddManager
                  ? "INSERT INTO subafdeling_manager (subafdeling, insz, "
                    "by_insz, revision, at) VALUES (?, ?, ?, ?, ?)"
                  : "INSERT INTO user (subafdeling, insz, by_insz, revision, "
                    "at) VALUES (?, ?, ?, ?, ?)";
          StatementCache::Use q_use = statements_->Get(sql);
          SQLite::Statement& q = *q_use;
          q.bind(1, op.subafdeling);
          q.bind(2, op.kind == Action::kAuthorize ? app : insz);
          q.bind(3, by);
          q.bind(4, rev);
          q.bind(5, at);
          ExecOne(q, ActionName(op.kind));
          break;
        }
        case Action::kDeauthorize:
        case Action::kRemoveManager:
        case Action::kRemoveUser: {
          const char* sql =
              op.kind == Action::kDeauthorize
                  ? "DELETE FROM authorization WHERE subafdeling = ? AND "
                    "application = ?"
              : op.kind == Action::kRemoveManager
                  ? "DELETE FROM subafdeling_manager WHERE subafdeling = ? "
                    "AND insz = ?"
                  : "DELETE FROM user WHERE subafdeling = ? AND insz = ?";
          StatementCache::Use q_use = statements_->Get(sql);
          SQLite::Statement& q = *q_use;
          q.bind(1, op.subafdeling);
          q.bind(2, op.kind == Action::kDeauthorize ? app : insz);
          ExecOne(q, ActionName(op.kind));
          break;
        }
        case Action::kGrantRight: {
          StatementCache::Use q_use = statements_->Get(
              "INSERT INTO user_right (subafdeling, insz, "
              "application, by_insz, revision, at) VALUES (?, "
              "?, ?, ?, ?, ?)");
          SQLite::Statement& q = *q_use;
          q.bind(1, op.subafdeling);
          q.bind(2, insz);
          q.bind(3, app);
          q.bind(4, by);
          q.bind(5, rev);
          q.bind(6, at);
          ExecOne(q, "user.grant");
          break;
        }
        case Action::kRevokeRight: {
          StatementCache::Use q_use = statements_->Get(
              "DELETE FROM user_right WHERE subafdeling = ? "
              "AND insz = ? AND application = ?");
          SQLite::Statement& q = *q_use;
          q.bind(1, op.subafdeling);
          q.bind(2, insz);
          q.bind(3, app);
          ExecOne(q, "user.revoke");
          break;
        }
      }
      const std::string detail = OpToJson(op, cat);
      const std::string message = OpSummary(op, cat);
      InsertAudit(*statements_, revision, changes->at, by, ActionName(op.kind),
                  kbo, detail, message);
      next.AddRow(changes->at, by, ActionName(op.kind), kbo, detail, message);
    }
    StoreMark(*statements_, next.Finish());
    if (tx) tx->commit();
    changes->revision = revision;
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
    auto run = [&](SQLite::Statement& q, int col) {
      q.bind(col++, static_cast<int64_t>(query.after_seq));
      q.bind(col++, query.kbo);
      q.bind(col++, query.kbo);
      q.bind(col, static_cast<int64_t>(query.limit));
      while (q.executeStep()) out.push_back(ReadAuditRow(q));
    };
    if (query.since_revision == 0) {
      StatementCache::Use q_use = statements_->Get(
          "SELECT seq, revision, at, actor, action, kbo, "
          "outcome, code, detail, message FROM audit WHERE "
          "seq > ? AND (? = '' OR kbo = ?) ORDER BY seq "
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
        "outcome, code, detail, message FROM audit WHERE "
        "revision > ? AND seq > ? AND (? = '' OR kbo = ?) "
        "ORDER BY revision, seq LIMIT ?");
    SQLite::Statement& q = *q_use;
    q.bind(1, static_cast<int64_t>(query.since_revision));
    run(q, 2);
    return out;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "reading the audit log");
  }
}

Result<std::optional<std::vector<ChangeSet>>> SqliteStore::ChangesSince(
    uint64_t from) {
  using Changes = std::optional<std::vector<ChangeSet>>;
  std::vector<ChangeSet> out;
  AuditQuery q;
  q.since_revision = from;
  q.limit = 1000;
  for (;;) {
    Result<std::vector<AuditRecord>> rows = ReadAudit(q);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) break;
    for (const AuditRecord& r : *rows) {
      q.after_seq = r.seq;
      std::optional<Op> op = r.action.rfind("import.", 0) == 0
                                 ? std::nullopt
                                 : OpFromJson(r.detail, catalogue_);
      if (!op) return Changes();
      if (out.empty() || out.back().revision != r.revision) {
        // Revisions follow each other without gaps (the store's
        // invariant); anything else is not replayable.
        const uint64_t expected =
            out.empty() ? from + 1 : out.back().revision + 1;
        if (r.revision != expected) return Changes();
        ChangeSet c;
        c.revision = r.revision;
        c.at = ParseUtc(r.at);
        c.actor = FromDigits(r.actor).value_or(0);  // none for imports
        out.push_back(std::move(c));
      }
      out.back().ops.push_back(std::move(*op));
    }
  }
  return Changes(std::move(out));
}

Result<std::unique_ptr<ImportSession>> SqliteStore::BeginImport() {
  if (read_only_) return ReadOnlyRefusal("an import");
  try {
    return std::unique_ptr<ImportSession>(
        std::make_unique<SqliteImportSession>(*db_, *statements_, key_));
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "starting the import");
  } catch (const std::runtime_error& e) {
    return Status::Storage(code::kStorageError, e.what());
  }
}

Result<StoreCounts> SqliteStore::Counts() {
  try {
    StoreCounts c;
    auto count = [&](const char* sql) {
      return static_cast<size_t>(db_->execAndGet(sql).getInt64());
    };
    c.enterprises = count("SELECT count(*) FROM enterprise");
    c.active_enterprises =
        count("SELECT count(*) FROM enterprise WHERE active");
    c.persons = count("SELECT count(*) FROM person");
    c.facilities = count("SELECT count(*) FROM facility");
    c.htbs = count("SELECT count(*) FROM htb");
    c.domain_managers = count("SELECT count(*) FROM domain_manager");
    c.subafdelingen = count("SELECT count(*) FROM subafdeling");
    c.users = count("SELECT count(*) FROM user");
    c.rights = count("SELECT count(*) FROM user_right");
    c.audit_rows = count("SELECT count(*) FROM audit");
    return c;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "counting");
  }
}

Result<std::vector<std::string>> SqliteStore::CheckIntegrity() {
  try {
    std::vector<std::string> problems;
    SQLite::Statement integrity(*db_, "PRAGMA integrity_check");
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
    const int64_t revision =
        db_->execAndGet("SELECT value FROM revision WHERE id = 1").getInt64();
    SQLite::Statement revs(
        *db_,
        "SELECT count(DISTINCT revision), "
        "coalesce(min(revision), 0), coalesce(max(revision), "
        "0) FROM audit WHERE revision IS NOT NULL");
    revs.executeStep();
    const int64_t distinct = revs.getColumn(0).getInt64();
    const int64_t lo = revs.getColumn(1).getInt64();
    const int64_t hi = revs.getColumn(2).getInt64();
    if (hi != revision) {
      problems.push_back(
          fmt::format("revision is {} but the audit log ends "
                      "at {}",
                      revision, hi));
    }
    if (distinct != hi || (hi > 0 && lo != 1)) {
      problems.push_back(
          fmt::format("the audit log has gaps: {} distinct "
                      "revisions between {} and {}",
                      distinct, lo, hi));
    }
    return problems;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "checking the database");
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
