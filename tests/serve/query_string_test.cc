// Request targets and query strings of the HTTP service (tools/serve/).
#include "query_string.h"

#include <gtest/gtest.h>

namespace toegang::serve {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

TEST(QueryStringTest, SplitsPathAndQuery) {
  Target t = SplitTarget("/v1/check?insz=1&app=x");
  EXPECT_EQ(t.path, "/v1/check");
  EXPECT_EQ(t.query, "insz=1&app=x");
  EXPECT_EQ(SplitTarget("/healthz").query, "");
  EXPECT_EQ(SplitTarget("/healthz").path, "/healthz");
}

TEST(QueryStringTest, DecodesEscapesAndPlus) {
  auto p =
      ParseQuery("app=Departement+Welzijn%2C%20VG&insz=85.07.30-033.28&&flag");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, (Params{{"app", "Departement Welzijn, VG"},
                        {"insz", "85.07.30-033.28"},
                        {"flag", ""}}));
  EXPECT_EQ(UrlDecode("%C3%A9"), std::optional<std::string>("\xC3\xA9"));
}

TEST(QueryStringTest, RefusesMalformedEscapes) {
  EXPECT_FALSE(ParseQuery("a=%").has_value());
  EXPECT_FALSE(ParseQuery("a=%4").has_value());
  EXPECT_FALSE(ParseQuery("a=%zz").has_value());
  EXPECT_FALSE(ParseQuery("a=%00").has_value());  // no NUL into identifiers
  EXPECT_FALSE(ParseQuery("%g1=b").has_value());
}

}  // namespace
}  // namespace toegang::serve
