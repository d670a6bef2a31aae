// The PostgreSQL text of the schema's migrations (schema/*.sql): one
// source of truth for the tables, with PostgreSQL's dialect where SQLite's
// differs. A migration with a file of the same name in schema/postgresql/
// uses that text (Migration::postgresql); every other one is translated
// from its SQLite text by a few fixed rewrites:
//   INTEGER PRIMARY KEY AUTOINCREMENT -> BIGSERIAL PRIMARY KEY
//   INTEGER -> BIGINT (SQLite's integers are 64-bit), BLOB -> BYTEA
//   COLLATE NOCASE dropped (the catalogue compares aliases itself)
//   the tables user and authorization, reserved words in PostgreSQL,
//   quoted where they are created or referred to ("user" (...)).
// The PostgreSQL store applies them in order and keeps the version in the
// table toegang_schema (pg_store.cc).
//
// Thread safety: pure functions.
#ifndef TOEGANG_STORE_PG_SCHEMA_H_
#define TOEGANG_STORE_PG_SCHEMA_H_

#include <string>
#include <string_view>

#include "store/migrations.h"

namespace toegang {

// The PostgreSQL text of migration m.
std::string PostgresMigrationSql(const Migration& m);

// SQLite schema text in PostgreSQL's dialect (the rewrites above).
std::string TranslateToPostgres(std::string_view sqlite_sql);

}  // namespace toegang

#endif  // TOEGANG_STORE_PG_SCHEMA_H_
