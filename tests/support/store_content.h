// The logical content of a toegang database of either store (an SQLite
// file or a PostgreSQL URI), read through the Store (Store::ReadTables)
// with the tables and columns `toegang copy` copies (database_copy.h):
// one line per row, "table: col=value ...", sorted, then the revision.
// Left out: the database's random id and history chain, which every
// database gets of its own; with times false also the columns that hold
// wall-clock times (`at`), which differ between runs of the same steps.
// The audit log's sequence numbers are given as the row's rank in seq
// order (1, 2, ...): PostgreSQL's sequences skip the numbers a rolled-back
// transaction drew, SQLite's AUTOINCREMENT does not, and the order is what
// counts. (support/db_content.h reads an SQLite file's every table.)
#ifndef TOEGANG_TESTS_SUPPORT_STORE_CONTENT_H_
#define TOEGANG_TESTS_SUPPORT_STORE_CONTENT_H_

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/database_copy.h"
#include "store/open_store.h"

namespace toegang::testing {

// The lines, or one line saying why the database could not be read.
inline std::vector<std::string> StoreContent(const std::string& db,
                                             bool times) {
  Result<std::unique_ptr<Store>> store = OpenStore(db, StoreOpenOptions());
  if (!store.ok()) return {"cannot open: " + store.status().ToString()};
  const std::vector<CopyTable>& tables = CopyTables();
  std::vector<std::string> sql;
  std::vector<std::vector<std::string>> columns;
  for (const CopyTable& t : tables) {
    const bool audit = std::string_view(t.name) == "audit";
    sql.push_back(CopySelectSql(t) + (audit ? " ORDER BY seq" : ""));
    std::vector<std::string> names;
    std::string_view rest = t.columns;
    while (!rest.empty()) {
      const size_t comma = rest.find(", ");
      names.emplace_back(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? "" : rest.substr(comma + 2);
    }
    columns.push_back(std::move(names));
  }
  std::vector<std::string> out;
  uint64_t audit_rank = 0;
  HistoryMark mark;
  Status s =
      (*store)->ReadTables(sql, &mark, [&](size_t i, const TableRow& row) {
        std::string table = tables[i].name;
        std::erase(table, '"');
        std::string line = table + ":";
        for (size_t c = 0; c < row.size() && c < columns[i].size(); ++c) {
          const std::string& name = columns[i][c];
          if (name == "at" && !times) continue;
          line += " " + name + "=";
          if (table == "audit" && name == "seq") {
            line += std::to_string(++audit_rank);
          } else {
            line += row[c] ? *row[c] : "NULL";
          }
        }
        out.push_back(std::move(line));
      });
  if (!s.ok()) return {"cannot read: " + s.ToString()};
  std::sort(out.begin(), out.end());
  out.push_back("revision: value=" + std::to_string(mark.revision));
  return out;
}

}  // namespace toegang::testing

#endif  // TOEGANG_TESTS_SUPPORT_STORE_CONTENT_H_
