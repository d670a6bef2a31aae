// The numbered SQL migrations of schema/, compiled into the library by
// engine/CMakeLists.txt. Migration i (0-based) brings a database from
// schema version i to i + 1 (SQLite's PRAGMA user_version; PostgreSQL's
// toegang_schema table, pg_schema.h).
#ifndef TOEGANG_MIGRATIONS_H_
#define TOEGANG_MIGRATIONS_H_

#include <string_view>
#include <vector>

namespace toegang {

struct Migration {
  std::string_view name;  // file name, e.g. "0001_initial.sql"
  std::string_view sql;   // SQLite
  // The PostgreSQL text when the SQLite one does not translate
  // (schema/postgresql/<name>); empty: translate sql (pg_schema.h).
  std::string_view postgresql;
};

// In order of their numbers.
const std::vector<Migration>& Migrations();

}  // namespace toegang

#endif  // TOEGANG_MIGRATIONS_H_
