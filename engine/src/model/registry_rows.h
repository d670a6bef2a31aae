// The rows the registries give (SPEC 6), as values: what an import reads
// (import/import_rows.h parses and validates them) and what the store keeps.
// The comments of import_rows.h say which file and column each comes from.
//
// Thread safety: plain values.
#ifndef TOEGANG_MODEL_REGISTRY_ROWS_H_
#define TOEGANG_MODEL_REGISTRY_ROWS_H_

#include <optional>
#include <string>

#include "toegang/identifiers.h"

namespace toegang {

// KBO Open Data enterprise.csv; active is Status "AC".
struct EnterpriseRow {
  Kbo kbo;
  bool active = false;
  std::string juridical_form;  // code as given, may be empty
  std::string start_date;      // ISO yyyy-mm-dd, or empty
};

// KBO Open Data denomination.csv; skip marks an establishment unit.
struct DenominationRow {
  bool skip = false;         // establishment unit: not an enterprise
  std::optional<Kbo> kbo;    // set unless skip
  int language = 0;          // 0 unknown, 1 FR, 2 NL, 3 DE, 4 EN
  std::string type;          // "001" official name, "002", "003" ...
  std::string denomination;  // non-empty
};

// A person of the persons file.
struct PersonRow {
  Insz insz;
  std::string name;
};

// A KBO function: legal representative (WV) or employee.
enum class FunctionRole { kLegalRepresentative, kEmployee };
struct FunctionRow {
  Kbo kbo;
  Insz insz;
  FunctionRole role;
};

// A facility of CoBRHA.
struct FacilityRow {
  Hco hco;
  std::string name;
  TypeCode type_code;
  Kbo kbo;
  bool active = false;
};

}  // namespace toegang

#endif  // TOEGANG_MODEL_REGISTRY_ROWS_H_
