// Tests for time_util.h: ParseUtc parses FormatUtc's form by hand; it must
// give exactly what the strptime + timegm reading it replaced gave, on
// canonical timestamps and on text that is not one.

#include "base/time_util.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace toegang {
namespace {

// The former ParseUtc, kept as the reference.
int64_t ReferenceParseUtc(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  if (strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

void ExpectSameAsReference(std::string_view text) {
  EXPECT_EQ(ParseUtc(text), ReferenceParseUtc(text)) << '"' << text << '"';
}

TEST(ParseUtcTest, KnownValues) {
  EXPECT_EQ(ParseUtc("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseUtc("2022-01-01T00:00:00Z"), 1'640'995'200);
  EXPECT_EQ(ParseUtc("2026-11-28T17:41:53Z"), 1'795'887'713);
  EXPECT_EQ(ParseUtc("2000-02-29T23:59:59Z"), 951'868'799);
  EXPECT_EQ(ParseUtc("1969-12-31T23:59:59Z"), -1);
}

TEST(ParseUtcTest, InvertsFormatUtc) {
  std::mt19937_64 rng(20261128);
  // Years 0001 to 9999, and the years around the epoch more densely.
  std::uniform_int_distribution<int64_t> wide(-62'135'596'800, 253'402'300'799);
  std::uniform_int_distribution<int64_t> near(-2'000'000'000, 4'000'000'000);
  for (int i = 0; i < 200'000; ++i) {
    const int64_t t = (i % 2 == 0 ? wide : near)(rng);
    const std::string text = FormatUtc(t);
    ASSERT_EQ(ParseUtc(text), t) << text;
    ASSERT_EQ(ParseUtc(text), ReferenceParseUtc(text)) << text;
  }
}

TEST(ParseUtcTest, EveryDayOfLeapAndCommonYears) {
  for (int64_t day = -1; day < 366 * 9; ++day) {
    const int64_t t = 1'577'836'800 + day * 86'400 + 86'399;  // 2020-...
    const std::string text = FormatUtc(t);
    ASSERT_EQ(ParseUtc(text), t) << text;
  }
}

TEST(ParseUtcTest, NonCanonicalTextAsBefore) {
  const std::vector<std::string> cases = {
      "",
      "Z",
      "2026-11-28",
      "2026-11-28T17:41:53",
      "2026-11-28T17:41:53Z ",
      "2026-11-28T17:41:53Zjunk",
      "2026-11-28T17:41:53z",
      "2026-11-28 17:41:53Z",
      " 2026-11-28T17:41:53Z",
      "2026-1-28T17:41:53Z",
      "2026-11-8T17:41:53Z",
      "2026-11-28T7:41:53Z",
      "2026-11-28T17:4:53Z",
      "2026-11-28T17:41:5Z",
      "226-11-28T17:41:53Z",
      "12026-11-28T17:41:53Z",
      "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59Z",
      "2026-00-28T17:41:53Z",
      "2026-13-28T17:41:53Z",
      "2026-11-00T17:41:53Z",
      "2026-11-31T17:41:53Z",
      "2026-11-32T17:41:53Z",
      "2026-02-29T00:00:00Z",
      "2024-02-29T00:00:00Z",
      "2024-02-30T00:00:00Z",
      "1900-02-29T00:00:00Z",
      "2000-02-29T00:00:00Z",
      "2026-11-28T24:00:00Z",
      "2026-11-28T23:60:00Z",
      "2026-11-28T23:59:60Z",
      "2026-11-28T23:59:61Z",
      "2026-11-28T23:59:62Z",
      "2026-11-28X17:41:53Z",
      "2026/11/28T17:41:53Z",
      "2026-11-28T17-41-53Z",
      "2026-1a-28T17:41:53Z",
      "+026-11-28T17:41:53Z",
      "-026-11-28T17:41:53Z",
      std::string("2026-11-28T17:41:53Z\0x", 22),
      std::string("2026-11-\0008T17:41:53Z", 20),
  };
  for (const std::string& text : cases) ExpectSameAsReference(text);
}

// Canonical timestamps with one character replaced, at every position.
TEST(ParseUtcTest, OneCharacterChangedAsBefore) {
  std::mt19937_64 rng(7);
  const std::string alphabet = "0123456789-:TZ tz+/.";
  std::uniform_int_distribution<int64_t> when(0, 4'102'444'800);
  for (int i = 0; i < 20'000; ++i) {
    std::string text = FormatUtc(when(rng));
    const size_t at = static_cast<size_t>(rng() % text.size());
    text[at] = alphabet[static_cast<size_t>(rng() % alphabet.size())];
    ExpectSameAsReference(text);
  }
}

}  // namespace
}  // namespace toegang
