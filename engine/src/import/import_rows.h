// Row formats of the registry imports (SPEC 6), parsed and validated (the
// rows themselves are model values: model/registry_rows.h).
//
// Each Parse*Row function takes the fields of one CSV record (as returned by
// CsvReader) and returns the validated row or a Status of kind kInvalidInput
// whose code is the specific problem (invalid_kbo, invalid_insz,
// invalid_hco, invalid_type_code, invalid_row for column-count, status,
// role or date problems) and whose message names the column and the bad
// value. Each Check*Header function validates the header record
// (code invalid_header), comparing names case-insensitively and ignoring
// surrounding quotes/space. The header row is required for KBO files and
// optional for the others: Is*Header tells whether a first record is a
// header rather than data.
//
// Thread safety: pure functions.
#ifndef TOEGANG_IMPORT_ROWS_H_
#define TOEGANG_IMPORT_ROWS_H_

#include <optional>
#include <string>
#include <vector>

#include "model/registry_rows.h"
#include "toegang/identifiers.h"
#include "toegang/status.h"

namespace toegang {

using Fields = std::vector<std::string>;

// KBO Open Data enterprise.csv:
// "EnterpriseNumber","Status","JuridicalSituation","TypeOfEnterprise",
// "JuridicalForm","JuridicalFormCAC","StartDate"
// Status "AC" is active; any other non-empty status (e.g. "ST") is stopped.
// StartDate dd-mm-yyyy (must be a real date) or empty.
Status CheckEnterpriseHeader(const Fields& header);
Result<EnterpriseRow> ParseEnterpriseRow(const Fields& fields);

// KBO Open Data denomination.csv:
// "EntityNumber","Language","TypeOfDenomination","Denomination"
// Rows whose EntityNumber is an establishment-unit number are not errors:
// the result has skip = true.
Status CheckDenominationHeader(const Fields& header);
Result<DenominationRow> ParseDenominationRow(const Fields& fields);

// persons: insz,name (name may be empty).
bool IsPersonsHeader(const Fields& fields);
Result<PersonRow> ParsePersonRow(const Fields& fields);

// functions: kbo,insz,role with role legal_representative | employee
// (also accepted: wv, werknemer; case-insensitive).
bool IsFunctionsHeader(const Fields& fields);
Result<FunctionRow> ParseFunctionRow(const Fields& fields);

// facilities (CoBRHA): hco,name,type_code,kbo,status with status
// active | closed (case-insensitive).
bool IsFacilitiesHeader(const Fields& fields);
Result<FacilityRow> ParseFacilityRow(const Fields& fields);

}  // namespace toegang

#endif  // TOEGANG_IMPORT_ROWS_H_
