#include "base/time_util.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace toegang {

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatUtc(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
// (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;  // [0, 399]
  const int64_t doy =
      (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;        // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

bool IsLeap(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

// The value of the digits text[at, at + n), or -1 when one is not a digit.
int Digits(std::string_view text, size_t at, size_t n) {
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// The form FormatUtc writes, exactly: 20 characters, every field in range
// and the day in its month. Returns false for anything else.
bool ParseCanonical(std::string_view text, int64_t* out) {
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' ||
      text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z') {
    return false;
  }
  const int year = Digits(text, 0, 4), month = Digits(text, 5, 2),
            day = Digits(text, 8, 2), hour = Digits(text, 11, 2),
            minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
  static constexpr int kMonthDays[] = {31, 28, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 59) {
    return false;
  }
  const int month_days =
      kMonthDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0);
  if (day > month_days) return false;
  *out = DaysFromCivil(year, month, day) * 86'400 + hour * 3600 + minute * 60 +
         second;
  return true;
}

}  // namespace

int64_t ParseUtc(std::string_view text) {
  // The database holds only FormatUtc's form; it is parsed by hand (this
  // runs for every row of a full load). Any other text takes strptime's
  // path, so that lenient forms it accepts keep their old meaning.
  int64_t seconds = 0;
  if (ParseCanonical(text, &seconds)) return seconds;
  std::tm tm{};
  std::string s(text);
  if (strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

}  // namespace toegang
