// DelegationGraph's identifier indexes: a facility is found by its exact
// HCO text (leading zeros count), text that is no HCO number finds and adds
// nothing, and an upsert of a known HCO changes that facility.
#include "delegation_graph.h"

#include <gtest/gtest.h>

namespace toegang {
namespace {

TEST(DelegationGraphTest, FacilitiesAreFoundByTheirExactHcoText) {
  const Catalogue catalogue;
  DelegationGraph g(&catalogue);
  const uint64_t kbo = 207386018;
  g.UpsertEnterprise(kbo, "OCMW", true, "", "");
  const Vertex a = g.UpsertFacility("12345", "A", "009", kbo, true);
  const Vertex b = g.UpsertFacility("0012345", "B", "009", kbo, true);
  const Vertex c = g.UpsertFacility("999999999999999", "C", "010", kbo, false);
  ASSERT_NE(a, kNoVertex);
  EXPECT_NE(a, b);
  EXPECT_EQ(g.FindFacility("12345"), a);
  EXPECT_EQ(g.FindFacility("0012345"), b);
  EXPECT_EQ(g.FindFacility("999999999999999"), c);
  EXPECT_EQ(g.FindFacilityIndex("0012345"), 1u);
  for (const char* other :
       {"012345", "123450", "", "1234567890123456", "12a45", " 12345"}) {
    EXPECT_EQ(g.FindFacility(other), kNoVertex) << other;
    EXPECT_EQ(g.FindFacilityIndex(other), std::nullopt) << other;
  }
  EXPECT_EQ(g.UpsertFacility("12a45", "X", "009", kbo, true), kNoVertex);
  EXPECT_EQ(g.facility_count(), 3u);
  EXPECT_EQ(g.UpsertFacility("12345", "A2", "009", kbo, true), a);
  EXPECT_EQ(g.facility(a).name, "A2");
  EXPECT_EQ(g.facility_count(), 3u);
}

}  // namespace
}  // namespace toegang
