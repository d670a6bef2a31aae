// The Dutch text of the error codes (toegang/error_text.h): every code of
// toegang/error_codes.h has one, so that `--lang nl` never falls back to
// English for a code this build can give.
#include "toegang/error_text.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <regex>
#include <string>

namespace toegang {
namespace {

TEST(ErrorTextTest, EveryCodeHasADutchText) {
  // The public header beside the engine's sources.
  std::ifstream in(std::string(TOEGANG_ENGINE_SRC_DIR) +
                   "/../include/toegang/error_codes.h");
  ASSERT_TRUE(in.good());
  const std::string header((std::istreambuf_iterator<char>(in)),
                           std::istreambuf_iterator<char>());
  const std::regex declared(
      R"re(inline constexpr std::string_view k\w+\s*=\s*"([a-z_]+)")re");
  size_t codes = 0;
  for (std::sregex_iterator it(header.begin(), header.end(), declared), end;
       it != end; ++it) {
    const std::string code = (*it)[1];
    ++codes;
    const std::string_view text = DutchErrorText(code);
    EXPECT_FALSE(text.empty()) << code << " has no Dutch text";
    // A sentence, ended as one.
    if (!text.empty()) {
      EXPECT_TRUE(text.back() == '.' || text.back() == ')') << code;
    }
  }
  EXPECT_GT(codes, 50u);  // the pattern still finds the declarations
  EXPECT_TRUE(DutchErrorText("no_such_code").empty());
}

}  // namespace
}  // namespace toegang
