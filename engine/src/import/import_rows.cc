// Row formats of the registry imports: see import_rows.h.
//
// Every function here is total: bad input becomes a Status, never an
// exception or undefined behaviour. Messages have the form
//   column "<name>": <what is wrong, with the offending value>
// so that an import report can prefix them with the file and line.
#include "import/import_rows.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "toegang/error_codes.h"
#include "toegang/text.h"

namespace toegang {
namespace {

// How much of an offending value a message repeats.
constexpr size_t kMaxEchoLength = 60;

constexpr std::array<std::string_view, 7> kEnterpriseColumns = {
    "EnterpriseNumber", "Status",        "JuridicalSituation",
    "TypeOfEnterprise", "JuridicalForm", "JuridicalFormCAC",
    "StartDate"};
constexpr std::array<std::string_view, 4> kDenominationColumns = {
    "EntityNumber", "Language", "TypeOfDenomination", "Denomination"};
constexpr std::array<std::string_view, 2> kPersonColumns = {"insz", "name"};
constexpr std::array<std::string_view, 3> kFunctionColumns = {"kbo", "insz",
                                                              "role"};
constexpr std::array<std::string_view, 5> kFacilityColumns = {
    "hco", "name", "type_code", "kbo", "status"};

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// Not <cctype>: locale-dependent and undefined for bytes above 0x7F.
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char ToLowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ToLowerAscii(x) == ToLowerAscii(y);
         });
}

bool IsOneOf(std::string_view value,
             std::initializer_list<std::string_view> accepted) {
  return std::any_of(
      accepted.begin(), accepted.end(),
      [value](std::string_view a) { return EqualsIgnoreCase(value, a); });
}

std::string_view Trim(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// A header cell with surrounding space and one pair of quotes removed.
std::string_view HeaderName(std::string_view cell) {
  cell = Trim(cell);
  if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') {
    cell = Trim(cell.substr(1, cell.size() - 2));
  }
  return cell;
}

// A value as a message shows it: quoted, with quotes, backslashes and
// every character a name may not hold escaped (toegang/text.h), long
// values cut short at a character boundary, so that messages stay one
// bounded line that cannot reorder itself on a terminal.
std::string Quote(std::string_view value) {
  size_t shown = std::min(value.size(), kMaxEchoLength);
  // Do not cut a UTF-8 sequence in two (at most three continuation bytes).
  for (int back = 0; back < 3 && shown < value.size() && shown > 0 &&
                     (static_cast<unsigned char>(value[shown]) & 0xC0) == 0x80;
       ++back) {
    --shown;
  }
  DisplayOptions quoted;
  quoted.quoted = true;
  std::string out = "\"";
  out += DisplayText(value.substr(0, shown), quoted);
  if (shown < value.size()) out += "...";
  out += '"';
  return out;
}

// "is empty", or "<value> is not <what>", for a value outside a fixed set.
std::string Problem(std::string_view value, std::string_view what) {
  if (value.empty()) return "is empty";
  return Quote(value) + " is not " + std::string(what);
}

// "a,b,c" for messages.
template <size_t N>
std::string JoinColumns(const std::array<std::string_view, N>& columns) {
  std::string out;
  for (size_t i = 0; i < N; ++i) {
    if (i > 0) out += ',';
    out += columns[i];
  }
  return out;
}

// An invalid_row Status about one column.
Status RowError(std::string_view column, const std::string& problem) {
  return Status::InvalidInput(
      code::kInvalidRow, "column \"" + std::string(column) + "\": " + problem);
}

// An identifier's own failure, placed in its column; the code is kept.
Status InColumn(std::string_view column, const Status& status) {
  return Status::InvalidInput(status.code(), "column \"" + std::string(column) +
                                                 "\": " + status.message());
}

template <size_t N>
Status CheckColumnCount(const Fields& fields,
                        const std::array<std::string_view, N>& columns) {
  if (fields.size() == N) return Status::Ok();
  return Status::InvalidInput(code::kInvalidRow,
                              "expected " + std::to_string(N) + " columns (" +
                                  JoinColumns(columns) + "), got " +
                                  std::to_string(fields.size()));
}

template <size_t N>
Status CheckHeader(const Fields& header,
                   const std::array<std::string_view, N>& columns) {
  std::string expected = "expected the header ";
  for (size_t i = 0; i < N; ++i) {
    if (i > 0) expected += ',';
    expected += "\"" + std::string(columns[i]) + "\"";
  }
  if (header.size() != N) {
    return Status::InvalidInput(code::kInvalidHeader,
                                expected + " (" + std::to_string(N) +
                                    " columns), got " +
                                    std::to_string(header.size()) + " columns");
  }
  for (size_t i = 0; i < N; ++i) {
    if (!EqualsIgnoreCase(HeaderName(header[i]), columns[i])) {
      return Status::InvalidInput(
          code::kInvalidHeader, expected + "; column " + std::to_string(i + 1) +
                                    " is " + Quote(header[i]) +
                                    " instead of \"" + std::string(columns[i]) +
                                    "\"");
    }
  }
  return Status::Ok();
}

bool FirstCellIs(const Fields& fields, std::string_view name) {
  return !fields.empty() && EqualsIgnoreCase(HeaderName(fields[0]), name);
}

// The value of a column that must not be empty, or an invalid_row Status.
Result<std::string> NonEmpty(std::string_view column, std::string_view field,
                             std::string_view what) {
  const std::string_view value = Trim(field);
  if (value.empty()) {
    return RowError(column, "is empty; " + std::string(what) + " is required");
  }
  return std::string(value);
}

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[static_cast<size_t>(month - 1)];
}

// A KBO date "dd-mm-yyyy" as ISO "yyyy-mm-dd"; empty stays empty.
Result<std::string> ParseKboDate(std::string_view column,
                                 std::string_view field) {
  const std::string_view text = Trim(field);
  if (text.empty()) return std::string();
  bool form_ok = text.size() == 10 && text[2] == '-' && text[5] == '-';
  for (size_t i = 0; form_ok && i < text.size(); ++i) {
    if (i != 2 && i != 5 && !IsDigit(text[i])) form_ok = false;
  }
  if (!form_ok) {
    return RowError(column, Quote(text) +
                                " is not a date of the form dd-mm-yyyy "
                                "(e.g. 01-09-1999)");
  }
  auto number = [text](size_t pos, size_t len) {
    int n = 0;
    for (size_t i = pos; i < pos + len; ++i) n = n * 10 + (text[i] - '0');
    return n;
  };
  const int day = number(0, 2);
  const int month = number(3, 2);
  const int year = number(6, 4);
  if (year == 0) {
    return RowError(column, Quote(text) + " is not a real date (year 0000)");
  }
  if (month < 1 || month > 12) {
    return RowError(column, Quote(text) + " is not a real date (month " +
                                std::string(text.substr(3, 2)) +
                                " does not exist)");
  }
  const int days = DaysInMonth(year, month);
  if (day < 1 || day > days) {
    return RowError(
        column, Quote(text) + " is not a real date (" +
                    std::string(kMonthNames[static_cast<size_t>(month - 1)]) +
                    " " + std::string(text.substr(6, 4)) + " has " +
                    std::to_string(days) + " days)");
  }
  return std::string(text.substr(6, 4)) + "-" + std::string(text.substr(3, 2)) +
         "-" + std::string(text.substr(0, 2));
}

// The one rule for the text columns of every import (names and the free
// codes stored with them): UTF-8 without control characters, bidirectional
// controls or line separators (toegang/text.h), else invalid_name naming
// the column, the code point (or byte) and where it is.
Status CheckText(std::string_view column, std::string_view value) {
  const std::optional<TextFault> fault = FindTextFault(value);
  if (!fault) return Status::Ok();
  std::string remedy;
  if (!fault->code_point) {
    remedy =
        "the file is not UTF-8: save it as UTF-8 (for a Latin-1 file: "
        "iconv -f latin1 -t utf-8)";
  } else {
    remedy =
        "a name may not hold control characters (tabs, line breaks), "
        "bidirectional controls or line separators, which change how the "
        "text around them is shown: remove it from the source";
  }
  return Status::InvalidInput(
      code::kInvalidName, "column \"" + std::string(column) +
                              "\": " + Quote(value) + " holds " +
                              fault->Describe() + " at character " +
                              std::to_string(fault->character) + "; " + remedy);
}

}  // namespace

// --- enterprise.csv ------------------------------------------------------

Status CheckEnterpriseHeader(const Fields& header) {
  return CheckHeader(header, kEnterpriseColumns);
}

Result<EnterpriseRow> ParseEnterpriseRow(const Fields& fields) {
  if (Status s = CheckColumnCount(fields, kEnterpriseColumns); !s.ok()) {
    return s;
  }
  Result<Kbo> kbo = Kbo::Parse(Trim(fields[0]));
  if (!kbo.ok()) return InColumn(kEnterpriseColumns[0], kbo.status());

  const std::string_view status = Trim(fields[1]);
  if (status.empty()) {
    return RowError(kEnterpriseColumns[1],
                    "is empty; expected AC (active) or another status code "
                    "such as ST (stopped)");
  }

  Result<std::string> start_date =
      ParseKboDate(kEnterpriseColumns[6], fields[6]);
  if (!start_date.ok()) return start_date.status();

  if (Status s = CheckText(kEnterpriseColumns[4], Trim(fields[4])); !s.ok()) {
    return s;
  }
  EnterpriseRow row{std::move(kbo).value(), EqualsIgnoreCase(status, "AC"),
                    std::string(Trim(fields[4])),
                    std::move(start_date).value()};
  return row;
}

// --- denomination.csv ----------------------------------------------------

Status CheckDenominationHeader(const Fields& header) {
  return CheckHeader(header, kDenominationColumns);
}

Result<DenominationRow> ParseDenominationRow(const Fields& fields) {
  if (Status s = CheckColumnCount(fields, kDenominationColumns); !s.ok()) {
    return s;
  }
  DenominationRow row;
  const std::string_view entity = Trim(fields[0]);
  if (IsEstablishmentUnitNumber(entity)) {
    row.skip = true;
    return row;
  }
  Result<Kbo> kbo = Kbo::Parse(entity);
  if (!kbo.ok()) return InColumn(kDenominationColumns[0], kbo.status());
  row.kbo = std::move(kbo).value();

  const std::string_view language = Trim(fields[1]);
  if (language.size() != 1 || language[0] < '0' || language[0] > '4') {
    return RowError(kDenominationColumns[1],
                    Problem(language, "a language code") +
                        "; expected 0 (unknown), 1 (FR), 2 (NL), 3 (DE) or "
                        "4 (EN)");
  }
  row.language = language[0] - '0';

  Result<std::string> type = NonEmpty(kDenominationColumns[2], fields[2],
                                      "a denomination type such as 001");
  if (!type.ok()) return type.status();
  if (Status s = CheckText(kDenominationColumns[2], *type); !s.ok()) return s;
  row.type = std::move(type).value();

  Result<std::string> denomination =
      NonEmpty(kDenominationColumns[3], fields[3], "the name");
  if (!denomination.ok()) return denomination.status();
  if (Status s = CheckText(kDenominationColumns[3], *denomination); !s.ok()) {
    return s;
  }
  row.denomination = std::move(denomination).value();
  return row;
}

// --- persons -------------------------------------------------------------

bool IsPersonsHeader(const Fields& fields) {
  return FirstCellIs(fields, kPersonColumns[0]);
}

Result<PersonRow> ParsePersonRow(const Fields& fields) {
  if (Status s = CheckColumnCount(fields, kPersonColumns); !s.ok()) return s;
  Result<Insz> insz = Insz::Parse(Trim(fields[0]));
  if (!insz.ok()) return InColumn(kPersonColumns[0], insz.status());

  const std::string_view name = Trim(fields[1]);
  if (Status s = CheckText(kPersonColumns[1], name); !s.ok()) return s;
  PersonRow row{std::move(insz).value(), std::string(name)};
  return row;
}

// --- functions -----------------------------------------------------------

bool IsFunctionsHeader(const Fields& fields) {
  return FirstCellIs(fields, kFunctionColumns[0]);
}

Result<FunctionRow> ParseFunctionRow(const Fields& fields) {
  if (Status s = CheckColumnCount(fields, kFunctionColumns); !s.ok()) {
    return s;
  }
  Result<Kbo> kbo = Kbo::Parse(Trim(fields[0]));
  if (!kbo.ok()) return InColumn(kFunctionColumns[0], kbo.status());
  Result<Insz> insz = Insz::Parse(Trim(fields[1]));
  if (!insz.ok()) return InColumn(kFunctionColumns[1], insz.status());

  const std::string_view role_text = Trim(fields[2]);
  FunctionRole role;
  if (IsOneOf(role_text, {"legal_representative", "wv"})) {
    role = FunctionRole::kLegalRepresentative;
  } else if (IsOneOf(role_text, {"employee", "werknemer"})) {
    role = FunctionRole::kEmployee;
  } else {
    return RowError(kFunctionColumns[2],
                    Problem(role_text, "a role") +
                        "; expected legal_representative (or wv) or "
                        "employee (or werknemer)");
  }
  FunctionRow row{std::move(kbo).value(), std::move(insz).value(), role};
  return row;
}

// --- facilities ----------------------------------------------------------

bool IsFacilitiesHeader(const Fields& fields) {
  return FirstCellIs(fields, kFacilityColumns[0]);
}

Result<FacilityRow> ParseFacilityRow(const Fields& fields) {
  if (Status s = CheckColumnCount(fields, kFacilityColumns); !s.ok()) {
    return s;
  }
  Result<Hco> hco = Hco::Parse(Trim(fields[0]));
  if (!hco.ok()) return InColumn(kFacilityColumns[0], hco.status());
  Result<std::string> name =
      NonEmpty(kFacilityColumns[1], fields[1], "the facility name");
  if (!name.ok()) return name.status();
  if (Status s = CheckText(kFacilityColumns[1], *name); !s.ok()) return s;
  Result<TypeCode> type_code = TypeCode::Parse(Trim(fields[2]));
  if (!type_code.ok()) return InColumn(kFacilityColumns[2], type_code.status());
  Result<Kbo> kbo = Kbo::Parse(Trim(fields[3]));
  if (!kbo.ok()) return InColumn(kFacilityColumns[3], kbo.status());

  const std::string_view status = Trim(fields[4]);
  bool active;
  if (IsOneOf(status, {"active", "actief"})) {
    active = true;
  } else if (IsOneOf(status, {"closed", "gesloten"})) {
    active = false;
  } else {
    return RowError(kFacilityColumns[4],
                    Problem(status, "a facility status") +
                        "; expected active (or actief) or closed (or "
                        "gesloten)");
  }
  FacilityRow row{std::move(hco).value(), std::move(name).value(),
                  std::move(type_code).value(), std::move(kbo).value(), active};
  return row;
}

}  // namespace toegang
