// The logical content of a toegang database file, for tests that compare
// two databases or one database before and after something: every row of
// every table, in primary-key order, without the columns that hold
// wall-clock times (`at`), which differ between runs of the same sequence,
// nor the database's random id and history chain (`database_id`, `chain`,
// schema/0002), which differ between any two files and commits.
#ifndef TOEGANG_TESTS_DB_CONTENT_H_
#define TOEGANG_TESTS_DB_CONTENT_H_

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <string>
#include <vector>

namespace toegang::testing {

// One line per row, "table: col=value ...", tables in name order, rows in
// rowid (or primary key) order. Opens the file read-only; works while an
// engine has it open. Throws SQLite::Exception when it cannot be read.
inline std::vector<std::string> DbContent(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY, 5000);
  std::vector<std::string> tables;
  {
    SQLite::Statement q(db,
                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite_%' ORDER BY name");
    while (q.executeStep()) tables.push_back(q.getColumn(0).getString());
  }
  std::vector<std::string> out;
  for (const std::string& table : tables) {
    // Table names come from sqlite_master of a test's own file.
    SQLite::Statement q(db, "SELECT * FROM \"" + table + "\"");
    std::vector<std::string> rows;
    while (q.executeStep()) {
      std::string line = table + ":";
      for (int c = 0; c < q.getColumnCount(); ++c) {
        const std::string name = q.getColumnName(c);
        if (name == "at" || name == "database_id" || name == "chain") continue;
        line += " " + name + "=";
        line += q.getColumn(c).isNull() ? "NULL" : q.getColumn(c).getString();
      }
      rows.push_back(std::move(line));
    }
    // Insertion order can differ (a rolled-back import); the rows cannot.
    std::sort(rows.begin(), rows.end());
    out.insert(out.end(), rows.begin(), rows.end());
  }
  return out;
}

// The committed part of a database: every row but the refusals in the
// audit log (a refused mutation or import adds one, and changes nothing
// else) and the audit log's kept count, which counts them too
// (schema/0005_row_counts.sql).
inline std::vector<std::string> CommittedContent(const std::string& path) {
  std::vector<std::string> out;
  for (std::string& line : DbContent(path)) {
    if (line.rfind("audit:", 0) == 0 &&
        line.find(" outcome=refused") != std::string::npos) {
      continue;
    }
    if (line.rfind("row_count: name=audit ", 0) == 0) continue;
    out.push_back(std::move(line));
  }
  return out;
}

// The first line where a and b differ, for failure messages.
inline std::string FirstDifference(const std::vector<std::string>& a,
                                   const std::vector<std::string>& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  if (i == a.size() && i == b.size()) return "(none)";
  return "line " + std::to_string(i) + ": [" + (i < a.size() ? a[i] : "<end>") +
         "] vs [" + (i < b.size() ? b[i] : "<end>") + "]";
}

}  // namespace toegang::testing

#endif  // TOEGANG_TESTS_DB_CONTENT_H_
