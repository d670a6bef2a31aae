// PgConnection: one connection to PostgreSQL through libpq (PostgreSQL's C
// client library), for the PostgreSQL store (pg_store.h). It runs SQL with
// bound parameters only (no statement is built from input), keeps the
// statements it ran prepared for reuse, and turns every failure into a
// PgError that knows its SQLSTATE and whether the connection was lost.
// Values go both ways as text (PostgreSQL's text format).
//
// A connection that was lost is opened again (PQreset) at the next Exec
// outside a transaction; inside one, the failure stands, as the
// transaction is gone with the connection.
//
// Thread safety: one thread at a time, like the libpq connection it holds.
#ifndef TOEGANG_STORE_PG_CONNECTION_H_
#define TOEGANG_STORE_PG_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace toegang {

class PgError : public std::runtime_error {
 public:
  PgError(std::string message, std::string sqlstate, bool connection_lost)
      : std::runtime_error(std::move(message)),
        sqlstate_(std::move(sqlstate)),
        connection_lost_(connection_lost) {}
  // Five characters, or empty when the server sent none (a client-side or
  // connection failure).
  const std::string& sqlstate() const { return sqlstate_; }
  bool connection_lost() const { return connection_lost_; }

 private:
  std::string sqlstate_;
  bool connection_lost_;
};

// One bound parameter, as text; null when absent.
class PgParam {
 public:
  PgParam(std::nullptr_t) {}                         // NOLINT: SQL NULL
  PgParam(std::string_view v) : text_(v) {}          // NOLINT
  PgParam(const std::string& v) : text_(v) {}        // NOLINT
  PgParam(const char* v) : text_(v) {}               // NOLINT
  PgParam(int64_t v) : text_(std::to_string(v)) {}   // NOLINT
  PgParam(uint64_t v) : text_(std::to_string(v)) {}  // NOLINT
  PgParam(int v) : text_(std::to_string(v)) {}       // NOLINT
  const std::optional<std::string>& text() const { return text_; }

 private:
  std::optional<std::string> text_;
};

// A query's result; owns the libpq result.
class PgResult {
 public:
  explicit PgResult(pg_result* r) : r_(r) {}
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult& operator=(PgResult&&) = delete;
  ~PgResult();

  int rows() const;
  int columns() const;
  // Rows a command changed (INSERT, UPDATE, DELETE).
  int64_t changed() const;
  bool null(int row, int col) const;
  // Valid while the result lives.
  std::string_view text(int row, int col) const;
  std::string str(int row, int col) const {
    return std::string(text(row, col));
  }
  int64_t i64(int row, int col) const;
  uint64_t u64(int row, int col) const {
    return static_cast<uint64_t>(i64(row, col));
  }

 private:
  pg_result* r_;
};

class PgConnection {
 public:
  // Connects to uri (a libpq connection URI or keyword string). Throws
  // PgError on failure. Server notices (NOTICE, WARNING) are dropped.
  static std::unique_ptr<PgConnection> Connect(const std::string& uri);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs sql without parameters (may be several statements).
  PgResult Run(std::string_view sql);
  // Runs one statement with $1.. bound to params, prepared once per
  // connection and reused.
  PgResult Exec(const std::string& sql, std::initializer_list<PgParam> params);
  PgResult Exec(const std::string& sql, const std::vector<PgParam>& params);
  // Runs copy_sql, a `COPY ... FROM STDIN` statement (constant text), and
  // sends it data: whole rows in COPY's text format (pg_copy_rows.h).
  // Throws PgError when the server refuses the statement or a row; inside
  // a transaction that transaction has then failed.
  void CopyIn(std::string_view copy_sql, std::string_view data);

  // Whether a transaction is open on the connection.
  bool in_transaction() const;
  // The database, host and port, for messages (never the password).
  const std::string& where() const { return where_; }
  // The socket, for waiting on notifications (LISTEN).
  int socket() const;
  // Reads what the server sent and returns the notifications that came
  // (their payloads), without waiting. Throws PgError when the connection
  // is lost.
  std::vector<std::string> TakeNotifications();

 private:
  explicit PgConnection(pg_conn* conn);
  // Opens the connection again when it was lost and no transaction was
  // open on it (the prepared statements go with it).
  void Revive();
  [[noreturn]] void Fail(pg_result* r, std::string_view doing);
  PgResult Check(pg_result* r, std::string_view doing);

  pg_conn* conn_;
  std::string where_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> name
};

// The place a libpq connection URI names, for messages: "database D on
// H:P" (defaults as libpq takes them); never the password.
std::string PgWhere(const std::string& uri);

// A connection string for the same server and user as uri but the
// maintenance database "postgres" (to create the database uri names);
// that database's name in *dbname. nullopt when uri does not parse or
// names no database.
std::optional<std::string> PgMaintenanceConninfo(const std::string& uri,
                                                 std::string* dbname);

}  // namespace toegang

#endif  // TOEGANG_STORE_PG_CONNECTION_H_
