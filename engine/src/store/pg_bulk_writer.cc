#include "store/pg_bulk_writer.h"

#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/bulk_rows.h"
#include "store/pg_connection.h"
#include "store/pg_copy_rows.h"
#include "store/pg_store.h"
#include "toegang/error_codes.h"

namespace toegang {
namespace {

// The foreign keys of toegang's tables: how to drop each, and how to make
// it again (its own definition).
constexpr const char* kForeignKeysSql =
    "SELECT c.conrelid::regclass::text, quote_ident(c.conname), "
    "pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_namespace n ON "
    "n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = "
    "current_schema() ORDER BY c.oid";

// The non-unique indexes of toegang's tables (the unique ones and the
// primary keys stay: they are what the rows are checked against).
constexpr const char* kIndexesSql =
    "SELECT quote_ident(i.relname), pg_get_indexdef(i.oid) FROM pg_index x "
    "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = "
    "x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace WHERE "
    "n.nspname = current_schema() AND NOT x.indisunique AND NOT "
    "x.indisprimary ORDER BY i.oid";

class PgBulkWriter final : public BulkRows<PgBulkWriter> {
 public:
  PgBulkWriter(std::unique_ptr<PgConnection> db, BulkWriteOptions options)
      : db_(std::move(db)),
        where_(db_->where()),
        options_(std::move(options)) {}

  ~PgBulkWriter() override { RollBack(); }

  // Starts the transaction, takes the write lock, checks that the
  // database is empty and takes the foreign keys and indexes away.
  Status Begin() {
    try {
      db_->Run("BEGIN");
      open_ = true;
      db_->Run("SET LOCAL lock_timeout = '5s'");
      db_->Exec("SELECT pg_advisory_xact_lock($1)", {PgStore::kWriteLockKey});
      PgResult held = db_->Exec(
          "SELECT (SELECT value FROM revision WHERE id = 1), (SELECT count(*) "
          "FROM (SELECT 1 FROM enterprise LIMIT 1) e) + (SELECT count(*) FROM "
          "(SELECT 1 FROM person LIMIT 1) p) + (SELECT count(*) FROM (SELECT "
          "1 FROM facility LIMIT 1) f) + (SELECT count(*) FROM (SELECT 1 FROM "
          "audit LIMIT 1) a)",
          {});
      if (held.u64(0, 0) != 0 || held.u64(0, 1) != 0) {
        RollBack();
        return Status::InvalidInput(
            code::kNotEmpty,
            fmt::format("{} already holds a federation (revision {}): nothing "
                        "was written; generate into a new or empty database "
                        "(name one that does not exist yet)",
                        where_, held.u64(0, 0)));
      }
      db_->Run("SET LOCAL maintenance_work_mem = '256MB'");
      {
        PgResult fks = db_->Run(kForeignKeysSql);
        for (int i = 0; i < fks.rows(); ++i) {
          drops_.push_back(fmt::format("ALTER TABLE {} DROP CONSTRAINT {}",
                                       fks.text(i, 0), fks.text(i, 1)));
          remakes_.push_back(fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {}",
                                         fks.text(i, 0), fks.text(i, 1),
                                         fks.text(i, 2)));
        }
        PgResult indexes = db_->Run(kIndexesSql);
        for (int i = 0; i < indexes.rows(); ++i) {
          drops_.push_back(fmt::format("DROP INDEX {}", indexes.text(i, 0)));
          // Before the foreign keys, which then find them.
          remakes_.insert(remakes_.begin(), indexes.str(i, 1));
        }
      }
      for (const std::string& drop : drops_) db_->Run(drop);
      for (const BulkTableColumns& t : kBulkTableColumns) {
        // Quoted: PostgreSQL reserves "user" and "authorization".
        tables_.push_back(std::make_unique<PgCopyRows>(
            *db_, fmt::format("\"{}\"", t.name), t.columns));
      }
      return Status::Ok();
    } catch (const PgError& e) {
      RollBack();
      return Failure(e, "starting the bulk load");
    }
  }

  const Status& status() const override { return status_; }

  Status Finish(uint64_t revision) override {
    if (status_.ok() && !done_) {
      try {
        for (const std::unique_ptr<PgCopyRows>& t : tables_) t->Flush();
        // The generated history is a new one: a fresh chain value
        // (schema/postgresql/0002_database_identity.sql).
        db_->Exec(
            "UPDATE revision SET value = $1, chain = ('x' || "
            "substr(md5(gen_random_uuid()::text), 1, 16))::bit(64)::bigint "
            "WHERE id = 1",
            {revision});
        // Ids are never given twice: the sequence goes on after the last.
        db_->Run(
            "SELECT setval('subafdeling_id_seq', coalesce(max(id), 1), "
            "max(id) IS NOT NULL) FROM subafdeling");
        // Indexes first, then the foreign keys, each checking every row
        // once.
        for (const std::string& remake : remakes_) db_->Run(remake);
        // The planner's statistics, so the first queries need not guess.
        db_->Run("ANALYZE");
        db_->Exec("SELECT pg_notify($1, $2)",
                  {PgStore::kRevisionChannel, std::to_string(revision)});
        open_ = false;
        db_->Run("COMMIT");
      } catch (const PgError& e) {
        status_ = Failure(e, "finishing the bulk load");
      }
    }
    RollBack();
    tables_.clear();
    done_ = true;
    return status_;
  }

  // Adds one row to table through fill (bulk_rows.h), keeping the first
  // failure.
  template <typename Fill>
  void Row(BulkTable table, Fill&& fill) {
    if (!status_.ok() || done_) return;
    PgCopyRows& q = *tables_[static_cast<size_t>(table)];
    try {
      fill(q);
      q.EndRow();
    } catch (const PgError& e) {
      status_ = Failure(e, "writing rows");
      RollBack();
    }
  }

 private:
  // Ends the transaction unless it committed (the server would on a lost
  // connection as well).
  void RollBack() {
    if (!open_) return;
    open_ = false;
    try {
      db_->Run("ROLLBACK");
    } catch (const PgError&) {
      // The connection is gone, and the transaction with it.
    }
  }

  Status Failure(const PgError& e, std::string_view doing) const {
    Status s = FromPg(e, where_, fmt::format("{} into {}", doing, where_));
    if (e.sqlstate() == "53100" && !options_.smaller_hint.empty()) {
      return Status::Storage(s.code(), fmt::format("{}; or {}", s.message(),
                                                   options_.smaller_hint));
    }
    return s;
  }

  std::unique_ptr<PgConnection> db_;
  const std::string where_;
  const BulkWriteOptions options_;
  Status status_;
  bool open_ = false;                 // the transaction is open
  bool done_ = false;                 // Finish ran: the rows go nowhere
  std::vector<std::string> drops_;    // foreign keys and indexes taken away
  std::vector<std::string> remakes_;  // and how to make them again
  // One per BulkTable, in its order (the flush order).
  std::vector<std::unique_ptr<PgCopyRows>> tables_;
};

}  // namespace

Result<std::unique_ptr<BulkWriter>> CreatePgInBulk(
    const std::string& uri, const BulkWriteOptions& options) {
  const std::string where = PgWhere(uri);
  {
    // Created as `init` creates it (the database when there is none, the
    // schema and the catalogue in an empty one); refused when it is not
    // toegang's or is a standby.
    Result<std::unique_ptr<PgStore>> created =
        PgStore::Open(uri, /*create_if_missing=*/true);
    if (!created.ok()) return created.status();
    if ((*created)->read_only()) {
      return (*created)->ReadOnlyRefusal("a bulk load");
    }
  }
  std::unique_ptr<PgConnection> db;
  try {
    db = PgConnection::Connect(uri);
  } catch (const PgError& e) {
    return FromPg(e, where, "connecting for the bulk load");
  }
  auto writer = std::make_unique<PgBulkWriter>(std::move(db), options);
  Status s = writer->Begin();
  if (!s.ok()) return s;
  return std::unique_ptr<BulkWriter>(std::move(writer));
}

}  // namespace toegang
