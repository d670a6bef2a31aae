#include "store/sqlite_bulk_writer.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/batch_insert.h"
#include "store/bulk_rows.h"
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

class SqliteBulkWriter final : public BulkRows<SqliteBulkWriter> {
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
      // One INSERT head per table: its name and columns (bulk_rows.h),
      // each a compiled-in text.
      for (const BulkTableColumns& t : kBulkTableColumns) {
        const std::string head =
            fmt::format("INSERT INTO {} ({}) VALUES", t.name, t.columns);
        tables_.push_back(std::make_unique<BatchInsert>(*db_, head, t.count));
      }
      return Status::Ok();
    } catch (const SQLite::Exception& e) {
      return Failure(e);
    }
  }

  const Status& status() const override { return status_; }

  Status Finish(uint64_t revision) override {
    if (status_.ok() && !done_) {
      try {
        for (const std::unique_ptr<BatchInsert>& q : tables_) q->Flush();
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
    tx_.reset();  // rolls back unless committed
    db_.reset();
    done_ = true;
    return status_;
  }

  // Adds one row to table through fill (bulk_rows.h), keeping the first
  // failure.
  template <typename Fill>
  void Row(BulkTable table, Fill&& fill) {
    if (!status_.ok() || done_) return;
    BatchInsert& q = *tables_[static_cast<size_t>(table)];
    try {
      fill(q);
      q.EndRow();
    } catch (const SQLite::Exception& e) {
      status_ = Failure(e);
    }
  }

 private:
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
  // One per BulkTable, in its order (the flush order).
  std::vector<std::unique_ptr<BatchInsert>> tables_;
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
