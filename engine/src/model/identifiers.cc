// Parsing and validation of the Belgian identifiers (SPEC 3).
//
// All checks work on a string of ASCII digits extracted from the input, so
// that the same rules serve Parse() (text from users and import files) and
// FromValue() (integers read back from the database).

#include "toegang/identifiers.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "toegang/error_codes.h"
#include "toegang/status.h"

namespace toegang {
namespace {

// No legitimate form of any identifier here comes close to this length
// ("BE 0403.019.261" is 15 characters). Refusing longer input up front keeps
// the work and the size of error messages bounded for hostile input.
constexpr std::size_t kMaxInputLength = 64;
// How much of a bad input an error message repeats.
constexpr std::size_t kMaxEchoLength = 40;

constexpr std::size_t kInszDigits = 11;
constexpr std::size_t kKboDigits = 10;
constexpr std::size_t kOldKboDigits = 9;
constexpr std::size_t kMaxHcoDigits = 15;
constexpr std::size_t kTypeCodeDigits = 3;

// Added to the first nine INSZ digits of people born in or after 2000.
constexpr uint64_t kInsz2000Offset = 2'000'000'000;
// A year certainly past when this was written. Parse() without a year takes
// a clock that reads earlier as this year, so that it reads the clock only
// for a number whose 2000 form puts the birth after this year.
constexpr int kYearCertainlyPast = 2026;
constexpr uint64_t kMaxInszValue = 99'999'999'999;
constexpr uint64_t kMaxKboValue = 9'999'999'999;

// Remedies repeated by several messages.
constexpr std::string_view kInszForm =
    "an INSZ has 11 digits: YYMMDD SSS CC (spaces, dots and dashes may "
    "separate them, e.g. 85.07.30-033.28)";
constexpr std::string_view kKboForm =
    "a KBO enterprise number has 10 digits, e.g. 0403.019.261 (an optional "
    "BE prefix, spaces and dots are allowed; an old 9-digit number gets a "
    "leading 0)";
constexpr std::string_view kHcoForm = "an HCO number has 1 to 15 digits";
constexpr std::string_view kTypeCodeForm =
    "a zorgvoorzieningstype code has exactly 3 digits, e.g. 009";

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// Deliberately not <cctype>: those functions depend on the locale and are
// undefined for negative char values (bytes of UTF-8 text).
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

bool IsPrintableAscii(char c) { return c >= 0x20 && c <= 0x7e; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsWhitespace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsWhitespace(text.back())) text.remove_suffix(1);
  return text;
}

std::string HexByte(char c) {
  constexpr std::string_view kHex = "0123456789abcdef";
  const auto byte = static_cast<unsigned char>(c);
  std::string out = "\\x";
  out += kHex[byte >> 4];
  out += kHex[byte & 0x0f];
  return out;
}

// The input as an error message shows it: bare when it is plain digits (the
// common case reads naturally: "INSZ 81050103521: ..."), otherwise quoted,
// with unprintable bytes escaped and long input cut short, so that a message
// never carries control characters or unbounded text into a log.
std::string Echo(std::string_view text) {
  if (!text.empty() && text.size() <= kMaxEchoLength &&
      std::all_of(text.begin(), text.end(), IsDigit)) {
    return std::string(text);
  }
  const std::size_t shown = std::min(text.size(), kMaxEchoLength);
  std::string out = "\"";
  for (std::size_t i = 0; i < shown; ++i) {
    const char c = text[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (IsPrintableAscii(c)) {
      out += c;
    } else {
      out += HexByte(c);
    }
  }
  if (shown < text.size()) out += "...";
  out += '"';
  if (shown < text.size()) {
    out += " (" + std::to_string(text.size()) + " characters)";
  }
  return out;
}

// "'A'" for a printable character, "byte \x09" otherwise.
std::string DescribeChar(char c) {
  if (IsPrintableAscii(c)) return std::string("'") + c + "'";
  return "byte " + HexByte(c);
}

// "has 1 digit", "has 12 digits".
std::string HasDigits(std::size_t count) {
  return "has " + std::to_string(count) + (count == 1 ? " digit" : " digits");
}

std::string TwoDigits(int n) {
  std::string out = std::to_string(n);
  if (out.size() < 2) out.insert(0, 2 - out.size(), '0');
  return out;
}

std::string ZeroPad(uint64_t value, std::size_t width) {
  std::string out = std::to_string(value);
  if (out.size() < width) out.insert(0, width - out.size(), '0');
  return out;
}

// REQUIRES: digits holds only ASCII digits and fits in 64 bits.
uint64_t ToNumber(std::string_view digits) {
  uint64_t n = 0;
  for (char c : digits) n = n * 10 + static_cast<uint64_t>(c - '0');
  return n;
}

int TwoDigitsAt(std::string_view digits, std::size_t pos) {
  return (digits[pos] - '0') * 10 + (digits[pos + 1] - '0');
}

// Mod-97 check digits as used by both INSZ and KBO: 97 - (n mod 97),
// hence always 01..97.
int CheckDigits(uint64_t n) { return 97 - static_cast<int>(n % 97); }

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// REQUIRES: month is 1..12.
std::string MonthName(int month) {
  return std::string(kMonthNames[static_cast<std::size_t>(month - 1)]);
}

// REQUIRES: month is 1..12.
int DaysInMonth(int year, int month) {
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30,
                                         31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[static_cast<std::size_t>(month - 1)];
}

// The digits of text[begin, end) with separators dropped. Stops at the
// first character that is neither a digit nor in `separators`.
struct DigitScan {
  std::string digits;
  bool bad = false;
  std::size_t bad_index = 0;  // index into the original text
};

DigitScan ScanDigits(std::string_view text, std::size_t begin, std::size_t end,
                     std::string_view separators) {
  DigitScan scan;
  for (std::size_t i = begin; i < end; ++i) {
    const char c = text[i];
    if (IsDigit(c)) {
      scan.digits += c;
    } else if (separators.find(c) == std::string_view::npos) {
      scan.bad = true;
      scan.bad_index = i;
      return scan;
    }
  }
  return scan;
}

std::string BadCharMessage(std::string_view text, std::size_t index,
                           std::string_view remedy) {
  return DescribeChar(text[index]) + " at position " +
         std::to_string(index + 1) + " is not allowed; " + std::string(remedy);
}

// Where [begin, end) of text lies once surrounding white space is dropped.
std::pair<std::size_t, std::size_t> TrimmedRange(std::string_view text) {
  const std::string_view trimmed = Trim(text);
  const auto begin = static_cast<std::size_t>(trimmed.data() - text.data());
  return {begin, begin + trimmed.size()};
}

// --- INSZ ----------------------------------------------------------------

// The current year in UTC, by the system clock.
int ClockYear() {
  const auto today =
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return static_cast<int>(std::chrono::year_month_day(today).year());
}

// The year against which a birth in the 2000 form is checked: the caller's,
// or else the clock's (never before kYearCertainlyPast), asked only when
// birth_year is after kYearCertainlyPast.
int YearToCompare(int birth_year, std::optional<int> current_year) {
  if (current_year) return *current_year;
  if (birth_year <= kYearCertainlyPast) return kYearCertainlyPast;
  return std::max(ClockYear(), kYearCertainlyPast);
}

// Whether day/month exist in year_in_century of one of the centuries the
// checksum allows. REQUIRES: month is 0..12, day is 0..31, centuries is
// not empty.
bool DateExists(int year_in_century, int month, int day,
                std::span<const int> centuries) {
  // Day 00 or month 00 stands for an unknown part of the birth date; with
  // an unknown month any day 01-31 may be the real one.
  if (month == 0 || day == 0) return true;
  for (int century : centuries) {
    if (day <= DaysInMonth(century + year_in_century, month)) return true;
  }
  return false;
}

// What InszFacts finds wrong with 11 INSZ digits, first rule first.
enum class InszFault {
  kNone,
  kCheckRange,   // check digits 00 or 98, 99
  kChecksum,     // neither the 1900 nor the 2000 form matches
  kFutureBirth,  // only the 2000 form matches, and 2000 + YY is to come
  kMonth,        // no month, BIS or not
  kDay,          // day above 31
  kDate,         // the day does not exist in that month and year
  kSequence000,
  kSequence999,  // 999 outside a BIS number
};

// The parts of 11 INSZ digits and the first rule of SPEC 3 they break.
// Builds no text, so that the valid case (every check a gateway makes)
// costs a few integer operations; InszProblem words a fault.
struct InszFacts {
  uint64_t base = 0;  // the first nine digits
  int check = 0;
  int check_1900 = 0, check_2000 = 0;
  std::array<int, 2> centuries{};
  std::size_t century_count = 0;
  int year_in_century = 0, month_code = 0, month = 0, day = 0, sequence = 0;
  int year_compared = 0;  // set when the 2000 form matched, for the message
  bool bis = false;
  InszFault fault = InszFault::kNone;

  // current_year: nullopt to take it from the clock (see YearToCompare).
  InszFacts(std::string_view digits, std::optional<int> current_year)
      : base(ToNumber(digits.substr(0, 9))), check(TwoDigitsAt(digits, 9)) {
    if (check < 1 || check > 97) {
      fault = InszFault::kCheckRange;
      return;
    }
    // Which checksum form matches decides the century of the birth date.
    // The 2000 form only holds for a birth year that has come: nobody is
    // born in the future, so no such number can have been issued.
    year_in_century = TwoDigitsAt(digits, 0);
    check_1900 = CheckDigits(base);
    check_2000 = CheckDigits(kInsz2000Offset + base);
    if (check == check_1900) centuries[century_count++] = 1900;
    bool future = false;
    if (check == check_2000) {
      year_compared = YearToCompare(2000 + year_in_century, current_year);
      if (2000 + year_in_century <= year_compared) {
        centuries[century_count++] = 2000;
      } else {
        future = true;
      }
    }
    if (century_count == 0) {
      fault = future ? InszFault::kFutureBirth : InszFault::kChecksum;
      return;
    }
    month_code = TwoDigitsAt(digits, 2);
    day = TwoDigitsAt(digits, 4);
    sequence = static_cast<int>(base % 1000);
    // A BIS number adds 20 (sex unknown) or 40 (sex known) to the month;
    // the month itself may still be 00 (unknown).
    month = month_code;
    if (month_code >= 20 && month_code <= 32) {
      bis = true;
      month = month_code - 20;
    } else if (month_code >= 40 && month_code <= 52) {
      bis = true;
      month = month_code - 40;
    } else if (month_code > 12) {
      fault = InszFault::kMonth;
      return;
    }
    if (day > 31) {
      fault = InszFault::kDay;
    } else if (!DateExists(
                   year_in_century, month, day,
                   std::span<const int>(centuries.data(), century_count))) {
      fault = InszFault::kDate;
    } else if (sequence == 0) {
      fault = InszFault::kSequence000;
    } else if (sequence == 999 && !bis) {
      fault = InszFault::kSequence999;
    }
  }
};

// What is wrong with 11 INSZ digits, in words (the caller adds the input's
// name); an empty string when the rules of SPEC 3 hold.
std::string InszProblem(std::string_view digits,
                        std::optional<int> current_year) {
  const InszFacts f(digits, current_year);
  switch (f.fault) {
    case InszFault::kNone:
      return std::string();
    case InszFault::kCheckRange:
      return "check digits " + std::string(digits.substr(9, 2)) +
             " cannot occur (they are always 01 to 97); check the number "
             "for a typing error";
    case InszFault::kChecksum:
      return "checksum does not match (expected " + TwoDigits(f.check_1900) +
             " for a birth before 2000 or " + TwoDigits(f.check_2000) +
             " for a birth in or after 2000, found " + TwoDigits(f.check) +
             "); check the number for a typing error";
    case InszFault::kFutureBirth:
      return "born in " + std::to_string(2000 + f.year_in_century) +
             ", which is in the future (it is " +
             std::to_string(f.year_compared) + "): check digits " +
             TwoDigits(f.check) +
             " hold only for a birth in or after 2000, and no such number "
             "can have been issued (for a birth before 2000 they would be " +
             TwoDigits(f.check_1900) + "); check the number for a typing error";
    case InszFault::kMonth:
      return "month " + TwoDigits(f.month_code) +
             " does not exist (a rijksregisternummer has month 01-12, or 00 "
             "when unknown; a BIS number 20-32 or 40-52)";
    case InszFault::kDay:
    case InszFault::kDate: {
      std::string problem;
      if (f.fault == InszFault::kDay) {
        problem = "day " + TwoDigits(f.day) + " does not exist";
      } else {
        const int year = f.centuries.front() + f.year_in_century;
        problem = std::to_string(f.day) + " " + MonthName(f.month) + " " +
                  std::to_string(year) + " does not exist";
        if (f.month == 2 && f.day == 29) {
          problem += " (" + std::to_string(year) + " is not a leap year)";
        }
      }
      if (f.bis && f.month != 0) {
        problem += " (BIS month " + TwoDigits(f.month_code) + " is " +
                   MonthName(f.month) + ")";
      }
      return problem;
    }
    case InszFault::kSequence000:
      return "sequence number 000 is never issued";
    case InszFault::kSequence999:
      return "sequence number 999 is not valid for a rijksregisternummer "
             "(only BIS numbers use it)";
  }
  return std::string();
}

Status InvalidInsz(std::string_view shown, std::string_view problem) {
  return Status::InvalidInput(
      code::kInvalidInsz,
      "INSZ " + std::string(shown) + ": " + std::string(problem));
}

// --- KBO -----------------------------------------------------------------

// The 10 digits of a KBO-style number (enterprise or establishment unit),
// or what is wrong with its form. The checksum is not checked here.
struct KboDigits {
  std::string digits;
  std::string problem;  // empty when digits holds 10 digits
};

KboDigits ExtractKboDigits(std::string_view text) {
  KboDigits result;
  if (text.size() > kMaxInputLength) {
    result.problem = "input is too long; " + std::string(kKboForm);
    return result;
  }
  auto [begin, end] = TrimmedRange(text);
  if (begin == end) {
    result.problem = "empty; " + std::string(kKboForm);
    return result;
  }
  // The BE prefix is the VAT form of the same number.
  if (end - begin >= 2 && (text[begin] == 'B' || text[begin] == 'b') &&
      (text[begin + 1] == 'E' || text[begin + 1] == 'e')) {
    begin += 2;
  }
  const DigitScan scan = ScanDigits(text, begin, end, " .");
  if (scan.bad) {
    result.problem = BadCharMessage(text, scan.bad_index, kKboForm);
    return result;
  }
  if (scan.digits.size() == kOldKboDigits) {
    // Numbers issued before 2005 had 9 digits; KBO prefixed them with 0.
    result.digits = "0" + scan.digits;
  } else if (scan.digits.size() == kKboDigits) {
    result.digits = scan.digits;
  } else {
    result.problem =
        HasDigits(scan.digits.size()) + "; " + std::string(kKboForm);
  }
  return result;
}

// Expected check digits of 10 KBO digits.
int KboCheckDigits(std::string_view digits) {
  return CheckDigits(ToNumber(digits.substr(0, 8)));
}

bool KboChecksumMatches(std::string_view digits) {
  return TwoDigitsAt(digits, 8) == KboCheckDigits(digits);
}

// The rules of SPEC 3 for 10 enterprise-number digits; empty when they hold.
std::string KboProblem(std::string_view digits) {
  const char first = digits[0];
  if (first >= '2' && first <= '8') {
    return std::string("first digit ") + first +
           " marks an establishment unit number (vestigingseenheidsnummer), "
           "not an enterprise number; use the enterprise number (first "
           "digit 0 or 1) of the enterprise it belongs to";
  }
  if (first == '9') {
    return "first digit 9 is not allowed; an enterprise number starts with "
           "0 or 1";
  }
  if (!KboChecksumMatches(digits)) {
    return "checksum does not match (expected " +
           TwoDigits(KboCheckDigits(digits)) + ", found " +
           std::string(digits.substr(8, 2)) +
           "); check the number for a typing error";
  }
  return std::string();
}

Status InvalidKbo(std::string_view shown, std::string_view problem) {
  return Status::InvalidInput(
      code::kInvalidKbo,
      "KBO number " + std::string(shown) + ": " + std::string(problem));
}

// --- HCO and type code ---------------------------------------------------

// Checks that the trimmed text is 1 to max_digits digits (exactly
// max_digits when exact). Returns an empty string when it is.
std::string DigitsOnlyProblem(std::string_view text, std::size_t max_digits,
                              bool exact, std::string_view remedy) {
  if (text.size() > kMaxInputLength) {
    return "input is too long; " + std::string(remedy);
  }
  const auto [begin, end] = TrimmedRange(text);
  if (begin == end) return "empty; " + std::string(remedy);
  const DigitScan scan = ScanDigits(text, begin, end, "");
  if (scan.bad) return BadCharMessage(text, scan.bad_index, remedy);
  const std::size_t count = scan.digits.size();
  if (count > max_digits || (exact && count != max_digits)) {
    return HasDigits(count) + "; " + std::string(remedy);
  }
  return std::string();
}

}  // namespace

// --- Insz ----------------------------------------------------------------

Result<Insz> Insz::ParseAsOf(std::string_view text,
                             std::optional<int> current_year) {
  // The form gateways send: exactly 11 digits, nothing to strip.
  if (text.size() == kInszDigits &&
      std::all_of(text.begin(), text.end(), IsDigit)) {
    if (InszFacts(text, current_year).fault == InszFault::kNone) {
      return Insz(ToNumber(text));
    }
    return InvalidInsz(Echo(text), InszProblem(text, current_year));
  }
  if (text.size() > kMaxInputLength) {
    return InvalidInsz(Echo(text),
                       "input is too long; " + std::string(kInszForm));
  }
  const auto [begin, end] = TrimmedRange(text);
  if (begin == end) {
    return InvalidInsz(Echo(text), "empty; " + std::string(kInszForm));
  }
  const DigitScan scan = ScanDigits(text, begin, end, " .-");
  if (scan.bad) {
    return InvalidInsz(Echo(text),
                       BadCharMessage(text, scan.bad_index, kInszForm));
  }
  if (scan.digits.size() != kInszDigits) {
    return InvalidInsz(Echo(text), HasDigits(scan.digits.size()) + "; " +
                                       std::string(kInszForm));
  }
  const std::string problem = InszProblem(scan.digits, current_year);
  if (!problem.empty()) return InvalidInsz(Echo(text), problem);
  return Insz(ToNumber(scan.digits));
}

Result<Insz> Insz::Parse(std::string_view text) {
  return ParseAsOf(text, std::nullopt);
}

Result<Insz> Insz::Parse(std::string_view text, int current_year) {
  return ParseAsOf(text, current_year);
}

Result<Insz> Insz::FromValue(uint64_t value) {
  if (value > kMaxInszValue) {
    return InvalidInsz(
        std::to_string(value),
        "value has more than 11 digits; " + std::string(kInszForm));
  }
  const std::string digits = ZeroPad(value, kInszDigits);
  const std::string problem = InszProblem(digits, std::nullopt);
  if (!problem.empty()) return InvalidInsz(digits, problem);
  return Insz(value);
}

std::string Insz::ToString() const { return ZeroPad(value_, kInszDigits); }

std::string Insz::Display() const {
  const std::string d = ToString();
  return d.substr(0, 2) + "." + d.substr(2, 2) + "." + d.substr(4, 2) + "-" +
         d.substr(6, 3) + "." + d.substr(9, 2);
}

std::string Insz::Masked() const {
  // The birth date stays visible so a person can still be told apart from
  // namesakes; sequence and check digits, which complete the number, hide.
  const std::string d = ToString();
  return d.substr(0, 2) + "." + d.substr(2, 2) + "." + d.substr(4, 2) +
         "-***.**";
}

bool Insz::IsBis() const {
  const uint64_t month_code = (value_ / 10'000'000) % 100;
  return (month_code >= 20 && month_code <= 32) ||
         (month_code >= 40 && month_code <= 52);
}

// --- Kbo -----------------------------------------------------------------

Result<Kbo> Kbo::Parse(std::string_view text) {
  const KboDigits extracted = ExtractKboDigits(text);
  if (!extracted.problem.empty()) {
    return InvalidKbo(Echo(text), extracted.problem);
  }
  const std::string problem = KboProblem(extracted.digits);
  if (!problem.empty()) return InvalidKbo(Echo(text), problem);
  return Kbo(ToNumber(extracted.digits));
}

Result<Kbo> Kbo::FromValue(uint64_t value) {
  if (value > kMaxKboValue) {
    return InvalidKbo(std::to_string(value), "value has more than 10 digits; " +
                                                 std::string(kKboForm));
  }
  const std::string digits = ZeroPad(value, kKboDigits);
  const std::string problem = KboProblem(digits);
  if (!problem.empty()) return InvalidKbo(digits, problem);
  return Kbo(value);
}

std::string Kbo::ToString() const { return ZeroPad(value_, kKboDigits); }

std::string Kbo::Display() const {
  const std::string d = ToString();
  return d.substr(0, 4) + "." + d.substr(4, 3) + "." + d.substr(7, 3);
}

bool IsEstablishmentUnitNumber(std::string_view text) {
  const KboDigits extracted = ExtractKboDigits(text);
  if (!extracted.problem.empty()) return false;
  const char first = extracted.digits[0];
  return first >= '2' && first <= '8' && KboChecksumMatches(extracted.digits);
}

// --- Hco -----------------------------------------------------------------

Result<Hco> Hco::Parse(std::string_view text) {
  // The form gateways send: bare digits, nothing to trim or word.
  if (!text.empty() && text.size() <= kMaxHcoDigits &&
      std::all_of(text.begin(), text.end(), IsDigit)) {
    return Hco(std::string(text));
  }
  const std::string problem =
      DigitsOnlyProblem(text, kMaxHcoDigits, /*exact=*/false, kHcoForm);
  if (!problem.empty()) {
    return Status::InvalidInput(code::kInvalidHco,
                                "HCO number " + Echo(text) + ": " + problem);
  }
  return Hco(std::string(Trim(text)));
}

std::optional<uint64_t> HcoKey(std::string_view hco) {
  static_assert(kMaxHcoDigits <= 15);  // 10^15 < 2^50: the count fits above
  if (hco.size() > kMaxHcoDigits) return std::nullopt;
  const std::optional<uint64_t> value = ParseDigits(hco);
  if (!value) return std::nullopt;
  return (uint64_t{hco.size()} << 50) | *value;
}

std::optional<uint64_t> ParseDigits(std::string_view text) {
  const char* end = text.data() + text.size();
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<uint64_t> ParseWholeNumber(std::string_view text) {
  if (text.size() > 19) return std::nullopt;
  std::optional<uint64_t> value = ParseDigits(text);
  if (!value || *value > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return value;
}

// --- TypeCode ------------------------------------------------------------

Result<TypeCode> TypeCode::Parse(std::string_view text) {
  const std::string problem = DigitsOnlyProblem(text, kTypeCodeDigits,
                                                /*exact=*/true, kTypeCodeForm);
  if (!problem.empty()) {
    return Status::InvalidInput(
        code::kInvalidTypeCode,
        "zorgvoorzieningstype code " + Echo(text) + ": " + problem);
  }
  return TypeCode(std::string(Trim(text)));
}

}  // namespace toegang
