// libFuzzer target for the CSV import path: CsvReader (csv_reader.h) and the
// row parsers of import_rows.h.
//
// The input bytes are one CSV stream. Every record the reader returns goes
// to every header check and row parser. Invariants (a violation is a crash):
//   - line() never decreases, bytes_read() never decreases nor exceeds the
//     input, and every call that does not return kEnd makes progress;
//   - a kRecord's fields together never exceed kMaxRecordBytes;
//   - a kError comes with a message, a failed Status with a code;
//   - the identifiers of a successfully parsed row re-parse to themselves.
// An exception escaping the engine (which promises none) is a crash too.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include "base/csv_reader.h"
#include "fuzz_guard.h"
#include "import/import_rows.h"
#include "toegang/identifiers.h"
#include "toegang/status.h"

namespace {

using toegang::fuzz::Check;

void CheckStatus(const toegang::Status& status) {
  if (!status.ok()) Check(!status.code().empty());
}

void CheckKbo(const toegang::Kbo& kbo) {
  const toegang::Result<toegang::Kbo> again =
      toegang::Kbo::Parse(kbo.ToString());
  Check(again.ok() && again.value() == kbo);
}

void CheckInsz(const toegang::Insz& insz) {
  const toegang::Result<toegang::Insz> again =
      toegang::Insz::Parse(insz.ToString());
  Check(again.ok() && again.value() == insz);
}

void CheckHco(const toegang::Hco& hco) {
  const toegang::Result<toegang::Hco> again = toegang::Hco::Parse(hco.str());
  Check(again.ok() && again.value() == hco);
}

void CheckTypeCode(const toegang::TypeCode& type) {
  const toegang::Result<toegang::TypeCode> again =
      toegang::TypeCode::Parse(type.str());
  Check(again.ok() && again.value() == type);
}

void FuzzRecord(const toegang::Fields& fields) {
  CheckStatus(toegang::CheckEnterpriseHeader(fields));
  CheckStatus(toegang::CheckDenominationHeader(fields));
  (void)toegang::IsPersonsHeader(fields);
  (void)toegang::IsFunctionsHeader(fields);
  (void)toegang::IsFacilitiesHeader(fields);

  if (auto row = toegang::ParseEnterpriseRow(fields); row.ok()) {
    CheckKbo(row->kbo);
    // ISO yyyy-mm-dd or empty (import_rows.h).
    const std::string& date = row->start_date;
    Check(date.empty() ||
          (date.size() == 10 && date[4] == '-' && date[7] == '-'));
  } else {
    CheckStatus(row.status());
  }

  if (auto row = toegang::ParseDenominationRow(fields); row.ok()) {
    if (row->skip) {
      Check(!row->kbo.has_value());
    } else {
      Check(row->kbo.has_value());
      CheckKbo(*row->kbo);
      Check(!row->denomination.empty());
      Check(row->language >= 0 && row->language <= 4);
    }
  } else {
    CheckStatus(row.status());
  }

  if (auto row = toegang::ParsePersonRow(fields); row.ok()) {
    CheckInsz(row->insz);
  } else {
    CheckStatus(row.status());
  }

  if (auto row = toegang::ParseFunctionRow(fields); row.ok()) {
    CheckKbo(row->kbo);
    CheckInsz(row->insz);
  } else {
    CheckStatus(row.status());
  }

  if (auto row = toegang::ParseFacilityRow(fields); row.ok()) {
    CheckHco(row->hco);
    CheckTypeCode(row->type_code);
    CheckKbo(row->kbo);
  } else {
    CheckStatus(row.status());
  }
}

void FuzzStream(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  toegang::CsvReader reader(in);
  std::vector<std::string> fields;
  std::string error;
  size_t last_line = reader.line();
  uint64_t last_bytes = reader.bytes_read();
  // Each call that does not end the stream consumes at least one byte.
  for (size_t calls = 0;; ++calls) {
    Check(calls <= size + 1);
    const toegang::CsvReader::Outcome outcome = reader.Next(&fields, &error);
    Check(reader.line() >= last_line);
    Check(reader.bytes_read() >= last_bytes);
    Check(reader.bytes_read() <= size);
    last_line = reader.line();
    if (outcome == toegang::CsvReader::Outcome::kEnd) break;
    Check(reader.bytes_read() > last_bytes);
    last_bytes = reader.bytes_read();
    if (outcome == toegang::CsvReader::Outcome::kError) {
      Check(!error.empty());
      Check(fields.empty());
      continue;
    }
    Check(outcome == toegang::CsvReader::Outcome::kRecord);
    Check(!fields.empty());
    size_t total = 0;
    for (const std::string& field : fields) total += field.size();
    Check(total <= toegang::CsvReader::kMaxRecordBytes);
    FuzzRecord(fields);
  }
  // After the end, the reader stays at the end.
  Check(reader.Next(&fields, &error) == toegang::CsvReader::Outcome::kEnd);
  Check(reader.line() == last_line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  toegang::fuzz::WithoutEscapes("the engine", [&] { FuzzStream(data, size); });
  return 0;
}
