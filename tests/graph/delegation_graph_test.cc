// DelegationGraph's identifier indexes: a facility is found by its exact
// HCO text (leading zeros count), text that is no HCO number finds and adds
// nothing, and an upsert of a known HCO changes that facility. The load's
// staged users and rights (ApplyStaged) give the graph Apply gives, and
// its staged functions are seen once it is compacted.
#include "graph/delegation_graph.h"

#include <gtest/gtest.h>

#include <vector>

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

// One enterprise, two facilities with a subafdeling each, and users with
// rights (most granted with the user, some later): once through Apply, once
// with the users and rights through ApplyStaged, as a load does.
class StagedLoadTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kKbo = 207386018;
  static constexpr uint64_t kWv = 85073003328;
  StagedLoadTest() {
    catalogue_.AddCapacity({"ZV", "zorgvoorziening"});
    catalogue_.AddSubdivision({"OUD", "ouderenzorg", 0});
    catalogue_.AddApplication({"ama-wvg", "e-loket", 0});
    catalogue_.AddApplication({"other", "another", 0});
  }

  // The users' and rights' ops, in load order (users, then rights).
  std::vector<std::pair<Op, Provenance>> Access() const {
    std::vector<std::pair<Op, Provenance>> users, rights;
    for (uint64_t i = 0; i < 40; ++i) {
      Op op;
      op.kbo = kKbo;
      op.subafdeling = 1 + static_cast<int64_t>(i % 2);
      op.insz = 85073003300 + i;
      op.kind = Action::kAddUser;
      const Provenance with_user{1, 10 + i, 1000};
      users.emplace_back(op, with_user);
      op.kind = Action::kGrantRight;
      for (AppId app = 0; app < 2; ++app) {
        if ((i + app) % 3 == 0) continue;
        op.app = app;
        rights.emplace_back(
            op, i % 4 == 0 ? Provenance{2, 90 + i, 2000} : with_user);
      }
    }
    users.insert(users.end(), rights.begin(), rights.end());
    return users;
  }

  // The federation around the users, through Apply.
  void Setting(DelegationGraph& g) const {
    g.UpsertEnterprise(kKbo, "OCMW", true, "", "");
    g.UpsertFacility("12345", "A", "009", kKbo, true);
    g.UpsertFacility("23456", "B", "009", kKbo, true);
    // The KBO functions come staged, before the ops (as in a load).
    g.StageFunction(kKbo, kWv, LinkKind::kLegalRepresentative);
    g.StageFunction(kKbo, kWv, LinkKind::kEmployee);
    g.StageFunction(kKbo, 85073003301, LinkKind::kEmployee);
    g.StageFunction(403019261, kWv, LinkKind::kEmployee);  // no enterprise
    const Provenance prov{1, 1, 100};
    Op htb;
    htb.kind = Action::kAppointHtb;
    htb.kbo = kKbo;
    htb.insz = kWv;
    ASSERT_TRUE(g.Apply(htb, prov));
    Op cap;
    cap.kind = Action::kActivateCapacity;
    cap.kbo = kKbo;
    ASSERT_TRUE(g.Apply(cap, prov));
    for (int64_t id = 1; id <= 2; ++id) {
      Op sub;
      sub.kind = Action::kCreateSubafdeling;
      sub.kbo = kKbo;
      sub.subafdeling = id;
      sub.hco = id == 1 ? "12345" : "23456";
      ASSERT_TRUE(g.Apply(sub, prov));
      Op auth;
      auth.kind = Action::kAuthorize;
      auth.kbo = kKbo;
      auth.subafdeling = id;
      for (AppId app = 0; app < 2; ++app) {
        auth.app = app;
        ASSERT_TRUE(g.Apply(auth, prov));
      }
    }
  }

  Catalogue catalogue_;
};

TEST_F(StagedLoadTest, StagedUsersAndRightsEqualAppliedOnesOnceCompacted) {
  DelegationGraph applied(&catalogue_);
  DelegationGraph staged(&catalogue_);
  Setting(applied);
  Setting(staged);
  const auto access = Access();
  for (const auto& [op, prov] : access) {
    ASSERT_TRUE(applied.Apply(op, prov));
    ASSERT_TRUE(staged.ApplyStaged(op, prov));
  }
  EXPECT_EQ(staged.staged_link_count(), access.size() + 3);
  // Nothing reads a staged edge before the compaction.
  const Vertex enterprise = staged.FindEnterprise(kKbo);
  EXPECT_TRUE(staged.Sources(enterprise, LinkKind::kEmployee).empty());
  // The check index has the rights at once.
  size_t allowed = 0;
  for (uint64_t i = 0; i < 40; ++i) {
    for (AppId app = 0; app < 2; ++app) {
      const bool want =
          applied.Allowed(85073003300 + i, app, CheckIndex::kAnyFacility);
      EXPECT_EQ(staged.Allowed(85073003300 + i, app, CheckIndex::kAnyFacility),
                want);
      allowed += want ? 1 : 0;
    }
  }
  EXPECT_GT(allowed, 20u);
  EXPECT_LT(allowed, 80u);

  staged.Compact();
  applied.Compact();
  EXPECT_EQ(staged.staged_link_count(), 0u);
  EXPECT_EQ(staged.Dump(), applied.Dump());
  EXPECT_EQ(staged.Sources(enterprise, LinkKind::kLegalRepresentative),
            std::vector<Vertex>{staged.FindPerson(kWv)});
  EXPECT_EQ(staged.Sources(enterprise, LinkKind::kEmployee).size(), 2u);
  EXPECT_EQ(staged.CountLinks(LinkKind::kHtb), 1u);
  EXPECT_EQ(staged.CountLinks(LinkKind::kRight),
            applied.CountLinks(LinkKind::kRight));
  EXPECT_EQ(staged.CountLinks(LinkKind::kUser), 40u);
  EXPECT_TRUE(staged.CheckInvariants().empty());
  for (uint64_t i = 0; i < 40; ++i) {
    EXPECT_EQ(
        staged.GrantingFacilitiesByTraversal(85073003300 + i, 0, kNoVertex),
        applied.GrantingFacilities(85073003300 + i, 0, kNoVertex));
  }
}

TEST_F(StagedLoadTest, ApplyStagedTakesOnlyUsersAndRightsThatFit) {
  DelegationGraph g(&catalogue_);
  Setting(g);
  g.Compact();
  const std::vector<std::string> before = g.Dump();
  Op op;
  op.kbo = kKbo;
  op.subafdeling = 1;
  op.insz = kWv;
  op.kind = Action::kAuthorize;  // not a user or a right
  EXPECT_FALSE(g.ApplyStaged(op, Provenance{}));
  op.kind = Action::kAddUser;
  op.subafdeling = 99;  // no such subafdeling
  EXPECT_FALSE(g.ApplyStaged(op, Provenance{}));
  op.subafdeling = 1;
  op.kbo = 403019261;  // no such enterprise
  EXPECT_FALSE(g.ApplyStaged(op, Provenance{}));
  EXPECT_EQ(g.staged_link_count(), 0u);
  g.Compact();
  EXPECT_EQ(g.Dump(), before);
}

}  // namespace
}  // namespace toegang
