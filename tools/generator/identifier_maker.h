// Valid, distinct Belgian identifiers for generated federations (SPEC 3).
//
// Each maker is a keyed bijection from an entity's index (0, 1, 2, ...) to
// an identifier, so distinct indexes always get distinct identifiers and
// nothing has to remember what was handed out. The numbers carry correct
// check digits; nothing here calls the parsers, the tests do.
//
// Thread safety: immutable after construction; const calls may run
// concurrently.
#ifndef TOEGANG_TOOLS_GENERATOR_IDENTIFIER_MAKER_H_
#define TOEGANG_TOOLS_GENERATOR_IDENTIFIER_MAKER_H_

#include <cstdint>

#include "random_source.h"

namespace toegang::generator {

// A calendar date, proleptic Gregorian.
struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// Days since 1970-01-01 and back.
int64_t DaysFromDate(const Date& d);
Date DateFromDays(int64_t days);

// INSZ numbers: rijksregisternummers of persons born 1945-2005 (those born
// from 2000 on get the check digits of the 2-prefixed form), and, for the
// indexes that IsBis() picks (about 2 in 100), BIS numbers (month + 20 or
// + 40). Sequence numbers run 001-998.
class InszMaker {
 public:
  // The largest number of persons the slot spaces hold comfortably.
  static constexpr uint64_t kMaxPersons = 15'000'000;

  explicit InszMaker(uint64_t seed);

  // REQUIRES: index < kMaxPersons. The INSZ as an 11-digit integer.
  uint64_t Make(uint64_t index) const;
  bool IsBis(uint64_t index) const;

 private:
  uint64_t seed_;
  int64_t first_day_, bis_first_day_;
  Permutation regular_, bis_;
};

// KBO enterprise numbers 0200.000.0xx to 1999.999.9xx with their check
// digits (97 - first eight digits mod 97).
class KboMaker {
 public:
  static constexpr uint64_t kMaxEnterprises = 18'000'000;
  explicit KboMaker(uint64_t seed);
  // REQUIRES: index < kMaxEnterprises. The number as a 10-digit integer.
  uint64_t Make(uint64_t index) const;

 private:
  Permutation perm_;
};

// HCO numbers: 8 digits, 10000000-99999999 (CoBRHA publishes no checksum).
class HcoMaker {
 public:
  static constexpr uint64_t kMaxFacilities = 90'000'000;
  explicit HcoMaker(uint64_t seed);
  // REQUIRES: index < kMaxFacilities.
  uint64_t Make(uint64_t index) const;

 private:
  Permutation perm_;
};

}  // namespace toegang::generator

#endif  // TOEGANG_TOOLS_GENERATOR_IDENTIFIER_MAKER_H_
