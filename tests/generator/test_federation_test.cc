// The fixture itself: the imports land and the manual's chain grants access.
#include "support/test_federation.h"

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

// No exception crosses the API, even for text that is not UTF-8: an e-mail
// address with a Latin-1 byte is stored and audited (with the byte
// replaced in the JSON detail) instead of throwing from the JSON writer.
TEST(TestFederationTest, NonUtf8EmailDoesNotThrowThroughTheApi) {
  TestFederation fed;
  Result<CommitInfo> r =
      fed.engine().Apply(M(Action::kAppointHtb, kWvOcmw)
                             .Kbo(kOcmw)
                             .Insz(kEmpOcmw)
                             .Email("h\xe9l\xe8ne@ocmw.gent"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  AuditQuery q;
  q.since_revision = r->revision - 1;
  Result<std::vector<AuditRecord>> rows = fed.engine().Audit(q);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_NE(rows->front().detail.find("ocmw.gent"), std::string::npos);
  Result<std::vector<std::string>> problems = fed.engine().Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
}

}  // namespace
}  // namespace toegang::testing
