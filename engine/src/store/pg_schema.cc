#include "store/pg_schema.h"

#include <regex>

namespace toegang {

std::string TranslateToPostgres(std::string_view sqlite_sql) {
  static const std::regex kAutoincrement(
      R"(\bINTEGER PRIMARY KEY AUTOINCREMENT\b)");
  static const std::regex kInteger(R"(\bINTEGER\b)");
  static const std::regex kBlob(R"(\bBLOB\b)");
  static const std::regex kNocase(R"( COLLATE NOCASE\b)");
  // A reserved table name followed by its column list: a definition or a
  // reference (an index name such as user_by_insz does not match).
  static const std::regex kReserved(R"(\b(user|authorization)(\s*\())");
  std::string sql(sqlite_sql);
  sql = std::regex_replace(sql, kAutoincrement, "BIGSERIAL PRIMARY KEY");
  sql = std::regex_replace(sql, kInteger, "BIGINT");
  sql = std::regex_replace(sql, kBlob, "BYTEA");
  sql = std::regex_replace(sql, kNocase, "");
  sql = std::regex_replace(sql, kReserved, "\"$1\"$2");
  return sql;
}

std::string PostgresMigrationSql(const Migration& m) {
  return m.postgresql.empty() ? TranslateToPostgres(m.sql)
                              : std::string(m.postgresql);
}

}  // namespace toegang
