#include "store/pg_connection.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace toegang {
namespace {

void DropNotice(void* /*arg*/, const char* /*message*/) {}

// libpq's message without its trailing newline.
std::string Trimmed(const char* message) {
  std::string m = message != nullptr ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

std::string WhereOf(PGconn* conn) {
  const char* host = PQhost(conn);
  const char* port = PQport(conn);
  const char* db = PQdb(conn);
  return fmt::format("PostgreSQL database {} on {}:{}", db ? db : "?",
                     host && *host ? host : "localhost", port ? port : "?");
}

}  // namespace

PgResult::~PgResult() {
  if (r_ != nullptr) PQclear(r_);
}

int PgResult::rows() const { return PQntuples(r_); }

int PgResult::columns() const { return PQnfields(r_); }

int64_t PgResult::changed() const {
  const char* n = PQcmdTuples(r_);
  int64_t v = 0;
  if (n != nullptr) std::from_chars(n, n + std::strlen(n), v);
  return v;
}

bool PgResult::null(int row, int col) const {
  return PQgetisnull(r_, row, col) != 0;
}

std::string_view PgResult::text(int row, int col) const {
  return {PQgetvalue(r_, row, col),
          static_cast<size_t>(PQgetlength(r_, row, col))};
}

int64_t PgResult::i64(int row, int col) const {
  const std::string_view t = text(row, col);
  int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

std::string PgWhere(const std::string& uri) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(uri.c_str(), &err);
  if (err != nullptr) PQfreemem(err);
  if (opts == nullptr) return "a PostgreSQL database (the name does not parse)";
  std::string db, host, port, user;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    const std::string k = o->keyword;
    const std::string v = o->val != nullptr ? o->val : "";
    if (k == "dbname") db = v;
    if (k == "host") host = v;
    if (k == "port") port = v;
    if (k == "user") user = v;
  }
  PQconninfoFree(opts);
  return fmt::format("PostgreSQL database {} on {}:{}",
                     db.empty() ? (user.empty() ? "(default)" : user) : db,
                     host.empty() ? "localhost" : host,
                     port.empty() ? "5432" : port);
}

std::optional<std::string> PgMaintenanceConninfo(const std::string& uri,
                                                 std::string* dbname) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(uri.c_str(), &err);
  if (err != nullptr) PQfreemem(err);
  if (opts == nullptr) return std::nullopt;
  std::string conninfo;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string key = o->keyword;
    std::string value = o->val;
    if (key == "dbname") {
      *dbname = value;
      value = "postgres";
    }
    conninfo += key + "='";
    for (const char c : value) {
      if (c == '\'' || c == '\\') conninfo += '\\';
      conninfo += c;
    }
    conninfo += "' ";
  }
  PQconninfoFree(opts);
  if (dbname->empty()) return std::nullopt;
  return conninfo;
}

PgConnection::PgConnection(PGconn* conn) : conn_(conn), where_(WhereOf(conn)) {
  PQsetNoticeProcessor(conn_, DropNotice, nullptr);
}

PgConnection::~PgConnection() { PQfinish(conn_); }

std::unique_ptr<PgConnection> PgConnection::Connect(const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  if (conn == nullptr) {
    throw PgError("out of memory connecting to PostgreSQL", "", true);
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    throw PgError(
        fmt::format("cannot connect to {}: {}", PgWhere(uri), message), "",
        true);
  }
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

bool PgConnection::in_transaction() const {
  const PGTransactionStatusType t = PQtransactionStatus(conn_);
  return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

int PgConnection::socket() const { return PQsocket(conn_); }

void PgConnection::Revive() {
  if (PQstatus(conn_) == CONNECTION_OK) return;
  PQreset(conn_);
  prepared_.clear();
  if (PQstatus(conn_) != CONNECTION_OK) {
    throw PgError(fmt::format("cannot reach {}: {}", where_,
                              Trimmed(PQerrorMessage(conn_))),
                  "", true);
  }
}

void PgConnection::Fail(PGresult* r, std::string_view doing) {
  const char* state =
      r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state != nullptr ? state : "";
  std::string message =
      Trimmed(r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
  if (message.empty()) message = Trimmed(PQerrorMessage(conn_));
  if (r != nullptr) PQclear(r);
  const bool lost = PQstatus(conn_) != CONNECTION_OK ||
                    sqlstate.starts_with("08") || sqlstate == "57P01" ||
                    sqlstate == "57P02" || sqlstate == "57P03";
  throw PgError(fmt::format("{}: {}", doing, message), std::move(sqlstate),
                lost);
}

PgResult PgConnection::Check(PGresult* r, std::string_view doing) {
  const ExecStatusType st =
      r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) Fail(r, doing);
  return PgResult(r);
}

PgResult PgConnection::Run(std::string_view sql) {
  if (!in_transaction()) Revive();
  const std::string text(sql);
  return Check(PQexec(conn_, text.c_str()), "running SQL");
}

PgResult PgConnection::Exec(const std::string& sql,
                            std::initializer_list<PgParam> params) {
  return Exec(sql, std::vector<PgParam>(params));
}

PgResult PgConnection::Exec(const std::string& sql,
                            const std::vector<PgParam>& params) {
  if (!in_transaction()) Revive();
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = fmt::format("toegang_{}", prepared_.size());
    // Parameter types are left to the server (text in, cast by context).
    Check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr),
          "preparing a statement");
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const PgParam& p : params) {
    values.push_back(p.text() ? p.text()->c_str() : nullptr);
  }
  return Check(
      PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                     values.data(), nullptr, nullptr, 0),
      "running a statement");
}

void PgConnection::CopyIn(std::string_view copy_sql, std::string_view data) {
  if (!in_transaction()) Revive();
  const std::string text(copy_sql);
  PGresult* start = PQexec(conn_, text.c_str());
  if (start == nullptr || PQresultStatus(start) != PGRES_COPY_IN) {
    Fail(start, "starting a COPY");
  }
  PQclear(start);
  // Sent in pieces of at most 1 GiB (PQputCopyData takes an int).
  constexpr size_t kPiece = size_t{1} << 30;
  bool sent = true;
  for (size_t at = 0; at < data.size() && sent; at += kPiece) {
    const size_t n = std::min(kPiece, data.size() - at);
    sent = PQputCopyData(conn_, data.data() + at, static_cast<int>(n)) == 1;
  }
  // Ended even when a piece failed, so that the server's answer (the
  // reason) can be read; an error message ends it as failed.
  const int ended =
      PQputCopyEnd(conn_, sent ? nullptr : "toegang: sending failed");
  // The COPY's own result, then nothing: drain them all, keeping the first
  // failure.
  PGresult* failed = nullptr;
  while (PGresult* r = PQgetResult(conn_)) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK && failed == nullptr) {
      failed = r;
    } else {
      PQclear(r);
    }
  }
  if (failed != nullptr || !sent || ended != 1) Fail(failed, "copying rows");
}

std::vector<std::string> PgConnection::TakeNotifications() {
  if (PQconsumeInput(conn_) == 0) {
    throw PgError(fmt::format("lost the connection to {}: {}", where_,
                              Trimmed(PQerrorMessage(conn_))),
                  "", true);
  }
  std::vector<std::string> out;
  while (PGnotify* n = PQnotifies(conn_)) {
    out.emplace_back(n->extra != nullptr ? n->extra : "");
    PQfreemem(n);
  }
  return out;
}

}  // namespace toegang
