// The fixture itself: the imports land and the manual's chain grants access.
#include "test_federation.h"

namespace toegang::testing {
namespace {

TEST(TestFederationTest, ImportsAndChainGrantAccess) {
  TestFederation fed;
  Result<Stats> s = fed.engine().GetStats();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->enterprises, 4u);
  EXPECT_EQ(s->facilities, 8u);
  EXPECT_EQ(s->persons, 11u);
  EXPECT_FALSE(fed.Allowed(kUser1));
  fed.BuildOcmwChain();
  EXPECT_TRUE(fed.Allowed(kUser1));
  EXPECT_TRUE(fed.Allowed(kUser1, "ama-wvg", kHcoOcmw));
  EXPECT_FALSE(fed.Allowed(kUser1, "ama-wvg", kHcoSociaalHuis));
  EXPECT_FALSE(fed.Allowed(kUser1, "vipa"));
  EXPECT_FALSE(fed.Allowed(kUser2));
}

}  // namespace
}  // namespace toegang::testing
