#include "store/sqlite_bulk_writer.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/time_util.h"
#include "store/batch_insert.h"
#include "store/sqlite_store.h"
#include "toegang/error_codes.h"

namespace toegang {
namespace {

// The secondary indexes of the big tables whose keys arrive in random
// order: dropped for the load and rebuilt from their definitions (the
// schema's own CREATE INDEX text) at Finish.
struct BulkIndex {
  const char* name;
  const char* drop;
};
constexpr BulkIndex kBulkIndexes[] = {
    {"function_by_insz", "DROP INDEX function_by_insz"},
    {"user_by_insz", "DROP INDEX user_by_insz"}};

// Zero-padded digits into *out (no allocation once out has capacity).
const std::string& PutDigits(std::string* out, uint64_t value, int width) {
  out->assign(static_cast<size_t>(width), '0');
  for (int i = width - 1; i >= 0 && value > 0; --i) {
    (*out)[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return *out;
}

class SqliteBulkWriter final : public BulkWriter {
 public:
  SqliteBulkWriter(std::string path, BulkWriteOptions options)
      : path_(std::move(path)), options_(std::move(options)) {}

  // Opens the connection, starts the transaction and prepares the tables.
  Status Begin() {
    try {
      db_ = std::make_unique<SQLite::Database>(
          path_, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
      db_->execAndGet("PRAGMA journal_mode = MEMORY");
      db_->exec("PRAGMA synchronous = OFF");
      db_->exec("PRAGMA locking_mode = EXCLUSIVE");
      db_->exec("PRAGMA cache_size = -524288");  // 512 MiB
      db_->exec("PRAGMA temp_store = MEMORY");
      db_->exec("PRAGMA foreign_keys = OFF");  // rows in any table order
      tx_.emplace(*db_, SQLite::TransactionBehavior::IMMEDIATE);
      if (StoredRevision() != 0) {
        return Status::Storage(
            code::kStorageError,
            fmt::format("{} is not a new database: a bulk load fills an "
                        "empty one only",
                        path_));
      }
      DropBulkIndexes();
      enterprise_ = std::make_unique<BatchInsert>(
          *db_,
          "INSERT INTO enterprise (kbo, name, active, juridical_form, "
          "start_date) VALUES",
          5);
      person_ = std::make_unique<BatchInsert>(
          *db_, "INSERT INTO person (insz, name) VALUES", 2);
      function_ = std::make_unique<BatchInsert>(
          *db_, "INSERT INTO function (kbo, insz, role) VALUES", 3);
      facility_ = std::make_unique<BatchInsert>(
          *db_,
          "INSERT INTO facility (hco, name, type_code, kbo, active) VALUES", 5);
      htb_ = std::make_unique<BatchInsert>(
          *db_,
          "INSERT INTO htb (kbo, insz, email, phone, by_insz, revision, at) "
          "VALUES",
          7);
      capacity_ = std::make_unique<BatchInsert>(
          *db_,
          "INSERT INTO active_capacity (kbo, capacity, by_insz, revision, "
          "at) VALUES",
          5);
      manager_ = std::make_unique<BatchInsert>(
          *db_,
          "INSERT INTO domain_manager (kbo, capacity, subdivision, insz, "
          "role, by_insz, revision, at) VALUES",
          8);
      subafdeling_ = std::make_unique<BatchInsert>(
          *db_,
          "INSERT INTO subafdeling (id, kbo, capacity, subdivision, hco, "
          "email, by_insz, revision, at) VALUES",
          9);
      subafdeling_manager_ = std::make_unique<BatchInsert>(
          *db_,
          "INSERT INTO subafdeling_manager (subafdeling, insz, by_insz, "
          "revision, at) VALUES",
          5);
      authorization_ = std::make_unique<BatchInsert>(
          *db_,
          "INSERT INTO authorization (subafdeling, application, by_insz, "
          "revision, at) VALUES",
          5);
      user_ = std::make_unique<BatchInsert>(
          *db_,
          "INSERT INTO user (subafdeling, insz, by_insz, revision, at) VALUES",
          5);
      right_ = std::make_unique<BatchInsert>(
          *db_,
          "INSERT INTO user_right (subafdeling, insz, application, by_insz, "
          "revision, at) VALUES",
          6);
      audit_ = std::make_unique<BatchInsert>(
          *db_,
          "INSERT INTO audit (revision, at, actor, action, kbo, outcome, "
          "detail, message) VALUES",
          8);
      tables_ = {
          enterprise_.get(),    person_.get(),      function_.get(),
          facility_.get(),      htb_.get(),         capacity_.get(),
          manager_.get(),       subafdeling_.get(), subafdeling_manager_.get(),
          authorization_.get(), user_.get(),        right_.get(),
          audit_.get()};
      return Status::Ok();
    } catch (const SQLite::Exception& e) {
      return Failure(e);
    }
  }

  void Enterprise(uint64_t kbo, std::string_view name, bool active,
                  std::string_view juridical_form,
                  std::string_view start_date) override {
    Row(*enterprise_, [&](BatchInsert& q) {
      q.Text(PutDigits(&kbo_, kbo, 10));
      q.Text(name);
      q.Int(active ? 1 : 0);
      q.Text(juridical_form);
      q.Text(start_date);
    });
  }

  void Person(uint64_t insz, std::string_view name) override {
    Row(*person_, [&](BatchInsert& q) {
      q.Text(PutDigits(&insz_, insz, 11));
      q.Text(name);
    });
  }

  void Function(uint64_t kbo, uint64_t insz, FunctionRole role) override {
    Row(*function_, [&](BatchInsert& q) {
      q.Text(PutDigits(&kbo_, kbo, 10));
      q.Text(PutDigits(&insz_, insz, 11));
      q.Text(role == FunctionRole::kLegalRepresentative ? "legal_representative"
                                                        : "employee");
    });
  }

  void Facility(std::string_view hco, std::string_view name,
                std::string_view type_code, uint64_t kbo,
                bool active) override {
    Row(*facility_, [&](BatchInsert& q) {
      q.Text(hco);
      q.Text(name);
      q.Text(type_code);
      q.Text(PutDigits(&kbo_, kbo, 10));
      q.Int(active ? 1 : 0);
    });
  }

  void Htb(uint64_t kbo, uint64_t insz, std::string_view email,
           std::string_view phone, const Provenance& prov) override {
    Row(*htb_, [&](BatchInsert& q) {
      q.Text(PutDigits(&kbo_, kbo, 10));
      q.Text(PutDigits(&insz_, insz, 11));
      q.Text(email);
      q.Text(phone);
      Made(q, prov);
    });
  }

  void ActiveCapacity(uint64_t kbo, std::string_view capacity,
                      const Provenance& prov) override {
    Row(*capacity_, [&](BatchInsert& q) {
      q.Text(PutDigits(&kbo_, kbo, 10));
      q.Text(capacity);
      Made(q, prov);
    });
  }

  void DomainManager(uint64_t kbo, std::string_view capacity,
                     std::string_view subdivision, uint64_t insz, bool tb,
                     const Provenance& prov) override {
    Row(*manager_, [&](BatchInsert& q) {
      q.Text(PutDigits(&kbo_, kbo, 10));
      q.Text(capacity);
      q.Text(subdivision);
      q.Text(PutDigits(&insz_, insz, 11));
      q.Text(tb ? "tb" : "co_tb");
      Made(q, prov);
    });
  }

  void Subafdeling(int64_t id, uint64_t kbo, std::string_view capacity,
                   std::string_view subdivision, std::string_view hco,
                   std::string_view email, const Provenance& prov) override {
    Row(*subafdeling_, [&](BatchInsert& q) {
      q.Int(id);
      q.Text(PutDigits(&kbo_, kbo, 10));
      q.Text(capacity);
      q.Text(subdivision);
      q.Text(hco);
      q.Text(email);
      Made(q, prov);
    });
  }

  void SubafdelingManager(int64_t subafdeling, uint64_t insz,
                          const Provenance& prov) override {
    Row(*subafdeling_manager_, [&](BatchInsert& q) {
      q.Int(subafdeling);
      q.Text(PutDigits(&insz_, insz, 11));
      Made(q, prov);
    });
  }

  void Authorization(int64_t subafdeling, std::string_view application,
                     const Provenance& prov) override {
    Row(*authorization_, [&](BatchInsert& q) {
      q.Int(subafdeling);
      q.Text(application);
      Made(q, prov);
    });
  }

  void User(int64_t subafdeling, uint64_t insz,
            const Provenance& prov) override {
    Row(*user_, [&](BatchInsert& q) {
      q.Int(subafdeling);
      q.Text(PutDigits(&insz_, insz, 11));
      Made(q, prov);
    });
  }

  void Right(int64_t subafdeling, uint64_t insz, std::string_view application,
             const Provenance& prov) override {
    Row(*right_, [&](BatchInsert& q) {
      q.Int(subafdeling);
      q.Text(PutDigits(&insz_, insz, 11));
      q.Text(application);
      Made(q, prov);
    });
  }

  void Audit(uint64_t revision, int64_t at, std::string_view action,
             uint64_t kbo, std::string_view detail,
             std::string_view message) override {
    Row(*audit_, [&](BatchInsert& q) {
      q.Int(static_cast<int64_t>(revision));
      q.Text(Time(at));
      q.Text("");  // actor
      q.Text(action);
      q.Text(kbo == 0 ? std::string_view() : PutDigits(&kbo_, kbo, 10));
      q.Text("ok");
      q.Text(detail);
      q.Text(message);
    });
  }

  const Status& status() const override { return status_; }

  Status Finish(uint64_t revision) override {
    if (status_.ok() && !done_) {
      try {
        for (BatchInsert* q : tables_) q->Flush();
        // The generated history is a new one: a fresh chain value for it
        // (schema/0002_database_identity.sql).
        SQLite::Statement rev(
            *db_,
            "UPDATE revision SET value = ?, chain = random() WHERE id = 1");
        rev.bind(1, static_cast<int64_t>(revision));
        rev.exec();
        // Rebuilt from their own definitions: one sort each, instead of a
        // random B-tree insert per row.
        for (const std::string& create_index : indexes_) {
          db_->exec(create_index);
        }
        // The row counts, counted once instead of a trigger per row.
        for (const std::string& create_trigger : triggers_) {
          db_->exec(create_trigger);
        }
        db_->exec("DELETE FROM row_count");
        db_->exec(
            "INSERT INTO row_count (name, n) SELECT name, n FROM "
            "row_count_real");
        tx_->commit();
        // Back to a normal database: shared locking, WAL, durable commits.
        db_->exec("PRAGMA locking_mode = NORMAL");
        StoredRevision();  // the lock goes at the next access
        const std::string mode =
            db_->execAndGet("PRAGMA journal_mode = WAL").getString();
        if (mode != "wal") {
          status_ = Status::Storage(
              code::kStorageError,
              fmt::format("{} did not switch to WAL (journal mode {})", path_,
                          mode));
        }
      } catch (const SQLite::Exception& e) {
        status_ = Failure(e);
      }
    }
    tables_.clear();
    enterprise_.reset();
    person_.reset();
    function_.reset();
    facility_.reset();
    htb_.reset();
    capacity_.reset();
    manager_.reset();
    subafdeling_.reset();
    subafdeling_manager_.reset();
    authorization_.reset();
    user_.reset();
    right_.reset();
    audit_.reset();
    tx_.reset();  // rolls back unless committed
    db_.reset();
    done_ = true;
    return status_;
  }

 private:
  // Adds one row to q through fill, keeping the first failure.
  template <typename Fill>
  void Row(BatchInsert& q, Fill&& fill) {
    if (!status_.ok() || done_) return;
    try {
      fill(q);
      q.EndRow();
    } catch (const SQLite::Exception& e) {
      status_ = Failure(e);
    }
  }

  // The provenance columns: by_insz, revision, at.
  void Made(BatchInsert& q, const Provenance& prov) {
    q.Text(PutDigits(&by_, prov.by, 11));
    q.Int(static_cast<int64_t>(prov.revision));
    q.Text(Time(prov.at));
  }

  // The stored form of a time; rows come in runs of one time, so the last
  // one is kept.
  const std::string& Time(int64_t at) {
    if (at != time_ || time_text_.empty()) {
      time_ = at;
      time_text_ = FormatUtc(at);
    }
    return time_text_;
  }

  uint64_t StoredRevision() {
    return static_cast<uint64_t>(
        db_->execAndGet("SELECT value FROM revision WHERE id = 1").getInt64());
  }

  void DropBulkIndexes() {
    for (const BulkIndex& index : kBulkIndexes) {
      {
        SQLite::Statement q(*db_,
                            "SELECT sql FROM sqlite_master WHERE type = "
                            "'index' AND name = ?");
        q.bind(1, index.name);
        if (!q.executeStep()) continue;
        indexes_.push_back(q.getColumn(0).getString());
      }  // the statement must be done before the schema changes
      const char* const drop = index.drop;
      db_->exec(drop);
    }
    // The triggers that keep row_count (schema/0005_row_counts.sql).
    std::vector<std::string> names;
    {
      SQLite::Statement q(*db_,
                          "SELECT name, sql FROM sqlite_master WHERE type = "
                          "'trigger' AND tbl_name IN (SELECT name FROM "
                          "row_count)");
      while (q.executeStep()) {
        names.push_back(q.getColumn(0).getString());
        triggers_.push_back(q.getColumn(1).getString());
      }
    }
    for (const std::string& name : names) {
      const std::string drop_trigger = "DROP TRIGGER \"" + name + "\"";
      db_->exec(drop_trigger);
    }
  }

  Status Failure(const SQLite::Exception& e) const {
    const int rc = e.getErrorCode() & 0xff;
    const std::string_view hint = options_.smaller_hint;
    if (rc == SQLITE_FULL) {
      return Status::Storage(
          code::kStorageError,
          fmt::format("writing {}: {}; the disk is full: free space{}{}", path_,
                      e.what(), hint.empty() ? "" : " or ", hint));
    }
    if (rc == SQLITE_IOERR) {
      // EFBIG (ulimit -f), EDQUOT and EIO all come back as an I/O error.
      return Status::Storage(
          code::kIoError,
          fmt::format("writing {}: {}; the file size limit (ulimit -f) or a "
                      "disk quota was reached, or the disk failed: raise the "
                      "limit{}free space{}{}",
                      path_, e.what(), hint.empty() ? " or " : ", ",
                      hint.empty() ? "" : " or ", hint));
    }
    return Status::Storage(code::kStorageError,
                           fmt::format("writing {}: {}", path_, e.what()));
  }

  const std::string path_;
  const BulkWriteOptions options_;
  Status status_;
  bool done_ = false;  // Finish ran: the rows go nowhere
  // Declared before what uses it: destroyed after.
  std::unique_ptr<SQLite::Database> db_;
  std::optional<SQLite::Transaction> tx_;
  std::vector<std::string> indexes_;   // to rebuild at Finish
  std::vector<std::string> triggers_;  // to make again at Finish
  std::unique_ptr<BatchInsert> enterprise_, person_, function_, facility_, htb_,
      capacity_, manager_, subafdeling_, subafdeling_manager_, authorization_,
      user_, right_, audit_;
  std::vector<BatchInsert*> tables_;  // the above, in flush order
  std::string kbo_, insz_, by_;       // digits of the current row
  int64_t time_ = std::numeric_limits<int64_t>::min();
  std::string time_text_;
};

}  // namespace

Result<std::unique_ptr<BulkWriter>> CreateSqliteInBulk(
    const std::string& path, const BulkWriteOptions& options) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    return Status::Storage(
        code::kFileExists,
        fmt::format("{} already exists; a bulk load writes a new database "
                    "only",
                    path));
  }
  {
    // Created as every database is: schema, catalogue, mode 0600, WAL.
    Result<std::unique_ptr<SqliteStore>> created =
        SqliteStore::Open(path, /*create_if_missing=*/true);
    if (!created.ok()) return created.status();
  }
  auto writer = std::make_unique<SqliteBulkWriter>(path, options);
  Status s = writer->Begin();
  if (!s.ok()) return s;
  return std::unique_ptr<BulkWriter>(std::move(writer));
}

}  // namespace toegang
