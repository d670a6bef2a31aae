// The counts each store keeps in its row_count table (SQLite:
// schema/0005_row_counts.sql; PostgreSQL:
// schema/postgresql/0007_row_counts_postgresql.sql), as Store::Counts
// gives them.
#ifndef TOEGANG_STORE_ROW_COUNTS_H_
#define TOEGANG_STORE_ROW_COUNTS_H_

#include <cstddef>
#include <string_view>
#include <utility>

#include "store/store.h"

namespace toegang {

// Sets the count that a row_count row names ("enterprise",
// "active_enterprise", "user_right", ...); a name it does not hold is
// ignored.
inline void SetRowCount(StoreCounts* counts, std::string_view name, size_t n) {
  const std::pair<std::string_view, size_t StoreCounts::*> fields[] = {
      {"enterprise", &StoreCounts::enterprises},
      {"active_enterprise", &StoreCounts::active_enterprises},
      {"person", &StoreCounts::persons},
      {"facility", &StoreCounts::facilities},
      {"htb", &StoreCounts::htbs},
      {"domain_manager", &StoreCounts::domain_managers},
      {"subafdeling", &StoreCounts::subafdelingen},
      {"user", &StoreCounts::users},
      {"user_right", &StoreCounts::rights},
      {"audit", &StoreCounts::audit_rows}};
  for (const auto& [field_name, field] : fields) {
    if (field_name == name) counts->*field = n;
  }
}

}  // namespace toegang

#endif  // TOEGANG_STORE_ROW_COUNTS_H_
