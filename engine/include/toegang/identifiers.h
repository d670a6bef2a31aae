// Belgian identifiers used by the access model (SPEC 3): INSZ, KBO enterprise
// number, CoBRHA HCO number, zorgvoorzieningstype code.
//
// Each type can only hold a valid value: Parse() is the only way in from
// text, and it validates. Invalid input yields a Status of kind
// kInvalidInput with code invalid_insz / invalid_kbo / invalid_hco /
// invalid_type_code and a message that says what is wrong.
//
// Thread safety: immutable value types; safe to share between threads.
#ifndef TOEGANG_IDENTIFIERS_H_
#define TOEGANG_IDENTIFIERS_H_

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "toegang/status.h"

namespace toegang {

// INSZ: rijksregisternummer or BIS-nummer, 11 digits YYMMDD SSS CC.
//
// Accepted input: the 11 digits, optionally separated by spaces, dots and
// dashes in any places ("85073003328", "85.07.30-033.28", "850730 033 28").
// Rules (SPEC 3): CC = 97 - (base mod 97), base being the first 9 digits, or
// 2 000 000 000 + base for persons born in or after 2000; either form is
// accepted, the 2000 form only when 2000 + YY is not after the current year
// (nobody is born in the future: 49090136943, born 2049, is refused). BIS
// numbers add 20 or 40 to the month. Month 00 and day 00 mean unknown;
// otherwise the date must exist (29 Feb only in leap years, with the
// century implied by the checksum form). Sequence 000 and 999 are never
// valid for a rijksregisternummer (a BIS number may use 999).
class Insz {
 public:
  // The current year is the UTC year of the system clock (taken as at
  // least 2026 when the clock reads earlier); it is read only for a number
  // whose 2000 form would put the birth after 2026.
  static Result<Insz> Parse(std::string_view text);
  // The same rules as of current_year, for tests and for checking a number
  // as of a given year: the 2000 form holds for 2000 + YY <= current_year.
  static Result<Insz> Parse(std::string_view text, int current_year);
  // REQUIRES: value is a valid INSZ as an integer (e.g. from the database).
  // Returns a failure Status if it is not. The current year as in Parse().
  static Result<Insz> FromValue(uint64_t value);

  // The number as an integer (fits 64 bits; used as a hash key).
  uint64_t value() const { return value_; }
  // 11 digits, leading zeros kept: "85073003328".
  std::string ToString() const;
  // Display form "85.07.30-033.28".
  std::string Display() const;
  // Privacy-preserving form for graphs and logs: "85.07.30-***.**".
  std::string Masked() const;
  // True for a BIS number (month 20-32 or 40-52).
  bool IsBis() const;

  auto operator<=>(const Insz&) const = default;

 private:
  explicit Insz(uint64_t v) : value_(v) {}
  // Parse() as of current_year, or of the clock's year when nullopt.
  static Result<Insz> ParseAsOf(std::string_view text,
                                std::optional<int> current_year);

  uint64_t value_ = 0;
};

// KBO enterprise number (ondernemingsnummer), 10 digits.
//
// Accepted input: "0403019261", "0403.019.261", "BE0403019261",
// "BE 0403.019.261", and old 9-digit numbers (a leading 0 is added).
// Rules: first digit 0 or 1; last two digits = 97 - (first 8 mod 97).
// An establishment-unit number (first digit 2-8) is refused with a message
// that says so.
class Kbo {
 public:
  static Result<Kbo> Parse(std::string_view text);
  static Result<Kbo> FromValue(uint64_t value);

  uint64_t value() const { return value_; }
  // 10 digits: "0403019261".
  std::string ToString() const;
  // Display form "0403.019.261".
  std::string Display() const;

  auto operator<=>(const Kbo&) const = default;

 private:
  explicit Kbo(uint64_t v) : value_(v) {}
  uint64_t value_ = 0;
};

// True when text is a well-formed establishment-unit number (vestigings-
// eenheidsnummer: 10 digits, first digit 2-8, same mod-97 check). KBO
// Open Data mixes these into denomination.csv; importers skip them.
bool IsEstablishmentUnitNumber(std::string_view text);

// CoBRHA HCO number: 1 to 15 digits, kept as text (leading zeros count).
// Surrounding white space is trimmed; nothing else is accepted. There is no
// published checksum, so none is checked.
class Hco {
 public:
  static Result<Hco> Parse(std::string_view text);

  const std::string& str() const { return text_; }

  auto operator<=>(const Hco&) const = default;

 private:
  explicit Hco(std::string t) : text_(std::move(t)) {}
  std::string text_;
};

// A canonical HCO number (Hco::str(): 1 to 15 digits) as one 64-bit key:
// the digits' value with their count above it, so that "12345" and
// "0012345" differ. nullopt for any other text. Distinct HCO numbers have
// distinct keys; no key is 0.
std::optional<uint64_t> HcoKey(std::string_view hco);

// The one parser of unsigned decimal text (std::from_chars): its value when
// text is one or more ASCII digits and nothing else (no sign, no space) and
// the value fits in 64 bits; nullopt otherwise.
std::optional<uint64_t> ParseDigits(std::string_view text);

// A whole number as a person or a request gives it (a revision, a number of
// milliseconds, a count): ParseDigits, at most 19 digits, at most 2^63 - 1.
std::optional<uint64_t> ParseWholeNumber(std::string_view text);

// CoBRHA zorgvoorzieningstype code: exactly three digits, e.g. "009".
class TypeCode {
 public:
  static Result<TypeCode> Parse(std::string_view text);

  const std::string& str() const { return text_; }

  auto operator<=>(const TypeCode&) const = default;

 private:
  explicit TypeCode(std::string t) : text_(std::move(t)) {}
  std::string text_;
};

}  // namespace toegang

template <>
struct std::hash<toegang::Insz> {
  size_t operator()(const toegang::Insz& i) const noexcept {
    return std::hash<uint64_t>()(i.value());
  }
};
template <>
struct std::hash<toegang::Kbo> {
  size_t operator()(const toegang::Kbo& k) const noexcept {
    return std::hash<uint64_t>()(k.value());
  }
};

#endif  // TOEGANG_IDENTIFIERS_H_
