// The numbered SQL migrations of schema/, compiled into the library by
// engine/CMakeLists.txt. Migration i (0-based) brings a database from
// PRAGMA user_version i to i + 1.
#ifndef TOEGANG_MIGRATIONS_H_
#define TOEGANG_MIGRATIONS_H_

#include <string_view>
#include <vector>

namespace toegang {

struct Migration {
  std::string_view name;  // file name, e.g. "0001_initial.sql"
  std::string_view sql;
};

// In order of their numbers.
const std::vector<Migration>& Migrations();

}  // namespace toegang

#endif  // TOEGANG_MIGRATIONS_H_
