// Valid identifiers drawn from a seeded generator, for the property and
// crash tests: INSZ numbers of persons born 1940-1999 with a real date.
#ifndef TOEGANG_TESTS_RANDOM_IDENTIFIERS_H_
#define TOEGANG_TESTS_RANDOM_IDENTIFIERS_H_

#include <fmt/format.h>

#include <cstdint>
#include <random>
#include <string>

namespace toegang::testing {

// An 11-digit INSZ (rijksregisternummer) with a valid checksum: born
// 19YY-MM-DD (day <= 28), sequence 001..998.
inline std::string RandomInsz(std::mt19937_64& rng) {
  const int yy = std::uniform_int_distribution<int>(40, 99)(rng);
  const int mm = std::uniform_int_distribution<int>(1, 12)(rng);
  const int dd = std::uniform_int_distribution<int>(1, 28)(rng);
  const int seq = std::uniform_int_distribution<int>(1, 998)(rng);
  const uint64_t base = static_cast<uint64_t>(yy) * 10000000 +
                        static_cast<uint64_t>(mm) * 100000 +
                        static_cast<uint64_t>(dd) * 1000 +
                        static_cast<uint64_t>(seq);
  const uint64_t check = 97 - base % 97;
  return fmt::format("{:09}{:02}", base, check);
}

}  // namespace toegang::testing

#endif  // TOEGANG_TESTS_RANDOM_IDENTIFIERS_H_
