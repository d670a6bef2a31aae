#include "identifier_maker.h"

namespace toegang::generator {
namespace {

constexpr uint64_t kSequences = 998;  // 001..998: never 000 or 999
constexpr uint64_t kInsz2000Offset = 2'000'000'000;
constexpr Date kFirstBirth{1945, 1, 1};
constexpr Date kLastBirth{2005, 12, 31};
constexpr Date kFirstBisBirth{1950, 1, 1};
constexpr Date kLastBisBirth{2004, 12, 31};

uint64_t DaySpan(const Date& first, const Date& last) {
  return static_cast<uint64_t>(DaysFromDate(last) - DaysFromDate(first) + 1);
}

// The 11 digits YYMMDD SSS CC for a birth date, a month offset (0, 20 or
// 40 for BIS numbers) and a sequence number.
uint64_t InszFor(const Date& birth, int month_offset, uint64_t sequence) {
  const uint64_t base =
      static_cast<uint64_t>(birth.year % 100) * 10'000'000 +
      static_cast<uint64_t>(birth.month + month_offset) * 100'000 +
      static_cast<uint64_t>(birth.day) * 1'000 + sequence;
  const uint64_t checked = birth.year >= 2000 ? kInsz2000Offset + base : base;
  return base * 100 + (97 - checked % 97);
}

}  // namespace

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromDate(const Date& d) {
  const int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (d.month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date DateFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return Date{static_cast<int>(year), static_cast<int>(month),
              static_cast<int>(day)};
}

InszMaker::InszMaker(uint64_t seed)
    : seed_(seed),
      first_day_(DaysFromDate(kFirstBirth)),
      bis_first_day_(DaysFromDate(kFirstBisBirth)),
      regular_(DaySpan(kFirstBirth, kLastBirth) * kSequences,
               Mix64(seed ^ 0x1a52ULL)),
      bis_(DaySpan(kFirstBisBirth, kLastBisBirth) * kSequences * 2,
           Mix64(seed ^ 0xb15ULL)) {}

bool InszMaker::IsBis(uint64_t index) const {
  return Mix64(seed_ ^ Mix64(index ^ 0xb15b15ULL)) % 100 < 2;
}

uint64_t InszMaker::Make(uint64_t index) const {
  if (IsBis(index)) {
    const uint64_t slot = bis_(index);
    const uint64_t day = slot / (kSequences * 2);
    const uint64_t rest = slot % (kSequences * 2);
    const int offset = rest % 2 == 0 ? 40 : 20;
    return InszFor(DateFromDays(bis_first_day_ + static_cast<int64_t>(day)),
                   offset, rest / 2 + 1);
  }
  const uint64_t slot = regular_(index);
  return InszFor(
      DateFromDays(first_day_ + static_cast<int64_t>(slot / kSequences)), 0,
      slot % kSequences + 1);
}

KboMaker::KboMaker(uint64_t seed)
    : perm_(kMaxEnterprises, Mix64(seed ^ 0x0b0ULL)) {}

uint64_t KboMaker::Make(uint64_t index) const {
  // The first eight digits: 02000000 .. 19999999 (first digit 0 or 1).
  const uint64_t base = 2'000'000 + perm_(index);
  return base * 100 + (97 - base % 97);
}

HcoMaker::HcoMaker(uint64_t seed)
    : perm_(kMaxFacilities, Mix64(seed ^ 0x4c0ULL)) {}

uint64_t HcoMaker::Make(uint64_t index) const {
  return 10'000'000 + perm_(index);
}

}  // namespace toegang::generator
