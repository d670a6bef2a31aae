// Living with access, not only setting it up (issue 28): roles that can be
// undone (tb remove, a co-TB promoted by tb set, hoedanigheid deactivate)
// and the OCMW rule applied by the decision after a facility's type
// changes. Each through Engine::May and Engine::Apply, with the audit rows,
// the decision, explain and verify after it, and again after a reopen (the
// ops round-trip through the store).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/mutation.h"

namespace toegang::testing {
namespace {

class LifeCycleTest : public ::testing::Test {
 protected:
  void SetUp() override { fed_.BuildOcmwChain(); }

  Engine& e() { return fed_.engine(); }

  // The committed audit rows after revision `since`, as "action cause".
  std::vector<std::string> AuditSince(uint64_t since) {
    AuditQuery q;
    q.since_revision = since;
    q.limit = 1000;
    Result<std::vector<AuditRecord>> rows = e().Audit(q);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<std::string> out;
    if (!rows.ok()) return out;
    for (const AuditRecord& r : *rows) {
      if (r.outcome != "ok") continue;
      std::string line = r.action;
      const size_t c = r.detail.find("\"cause\":\"");
      if (c != std::string::npos) {
        line += " <- " +
                r.detail.substr(c + 9, r.detail.find('"', c + 9) - (c + 9));
      }
      out.push_back(line);
    }
    return out;
  }

  void ExpectVerifies() {
    Result<std::vector<std::string>> v = e().Verify();
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_TRUE(v->empty()) << v->front();
  }

  // A refusal with the code, a message naming `remedy`, and no change.
  void ExpectRefused(const Mutation& m, std::string_view code,
                     const std::string& remedy) {
    const uint64_t before = e().revision();
    const Status may = e().May(m);
    EXPECT_EQ(may.code(), code) << may.ToString();
    Result<CommitInfo> r = e().Apply(m);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().kind(), Status::Kind::kRefused);
    EXPECT_EQ(r.status().code(), code);
    EXPECT_NE(r.status().message().find(remedy), std::string::npos)
        << r.status().message();
    EXPECT_EQ(e().revision(), before);
  }

  // Writes the fixture's facilities file with one row's type changed and
  // imports it.
  void Retype(const std::string& hco, const std::string& type) {
    ASSERT_NE(FacilitiesCsv().find("\n" + hco + ","), std::string::npos)
        << hco << " is not in the fixture";
    const std::string csv = FacilitiesCsvRetyped(hco, type);
    ImportReport report;
    const Status s = e().ImportFacilities(
        fed_.dir().Write("facilities-" + hco + "-" + type + ".csv", csv),
        ImportOptions{}, &report);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  TestFederation fed_;
};

// --- tb remove ------------------------------------------------------------

TEST_F(LifeCycleTest, TbRemoveGivesTheDomainBackToTheHtb) {
  const Mutation remove =
      M(Action::kRemoveTb, kEmpOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw);
  EXPECT_TRUE(e().May(remove).ok());
  const uint64_t before = e().revision();
  fed_.MustApply(remove);
  EXPECT_EQ(AuditSince(before), std::vector<std::string>{"tb.remove"});
  // The former TB may no longer administer the domain ...
  const Mutation tb_acts =
      M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2).App("ama-wvg");
  EXPECT_EQ(e().May(tb_acts).code(), code::kNotAuthorized);
  // ... the HTB manages it again, and what the TB granted stays.
  EXPECT_TRUE(fed_.Allowed(kUser1));
  fed_.MustApply(
      M(Action::kAddUser, kEmpOcmw).Hco(kHcoOcmw).Insz(kUser2).App("ama-wvg"));
  EXPECT_TRUE(fed_.Allowed(kUser2));
  // Removing again: nobody is TB now.
  ExpectRefused(remove, code::kNotAManager, "no TB was set");
  // The HTB may then set a TB again.
  fed_.MustApply(M(Action::kSetTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser3));
  fed_.Reopen();
  EXPECT_EQ(e().May(tb_acts).code(), code::kNotAuthorized);
  EXPECT_TRUE(e().May(M(Action::kAddUser, kUser3)
                          .Hco(kHcoOcmw)
                          .Insz(kOutsider)
                          .App("ama-wvg"))
                  .ok());
  ExpectVerifies();
}

TEST_F(LifeCycleTest, TbRemoveIsTheHtbsAndOnlyOfTheTb) {
  const Mutation by_tb =
      M(Action::kRemoveTb, kEmp2Ocmw).Kbo(kOcmw).Insz(kEmp2Ocmw);
  ExpectRefused(by_tb, code::kNotAuthorized, "only the HTB may");
  const Mutation by_wv =
      M(Action::kRemoveTb, kWvOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw);
  ExpectRefused(by_wv, code::kNotAuthorized, "manual 3.5");
  // The HTB is TB of every domain by being HTB: not removable this way.
  ExpectRefused(M(Action::kRemoveTb, kEmpOcmw).Kbo(kOcmw).Insz(kEmpOcmw),
                code::kNotAManager, "toegang htb appoint");
  // Someone who is not the TB (a manager of the subafdeling).
  ExpectRefused(M(Action::kRemoveTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser3),
                code::kNotAManager, "is not the TB");
  // Bad input: an invalid INSZ is invalid input, not a refusal.
  Result<CommitInfo> bad =
      e().Apply(M(Action::kRemoveTb, kEmpOcmw).Kbo(kOcmw).Insz("12345678901"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), code::kInvalidInsz);
}

// --- a co-TB promoted -------------------------------------------------------

TEST_F(LifeCycleTest, TbSetPromotesACoTbInOneStep) {
  fed_.MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
  const Mutation promote = M(Action::kSetTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2);
  EXPECT_TRUE(e().May(promote).ok());
  const uint64_t before = e().revision();
  CommitInfo done = fed_.MustApply(promote);
  // The co-TB role goes as an op caused by tb.set, then the TB role comes,
  // replacing the previous TB.
  EXPECT_EQ(AuditSince(before),
            (std::vector<std::string>{"tb.remove-co <- tb.set", "tb.set"}));
  ASSERT_EQ(done.changes.size(), 2u);
  EXPECT_NE(done.changes[0].find("replaces"), std::string::npos)
      << done.changes[0];
  fed_.Reopen();
  // kUser2 is TB (not co-TB: removing them as co-TB is refused) and the
  // old TB is neither.
  EXPECT_EQ(
      e().May(M(Action::kRemoveCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2)).code(),
      code::kNotAManager);
  EXPECT_TRUE(
      e().May(M(Action::kRemoveTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2)).ok());
  EXPECT_EQ(e().May(M(Action::kAddUser, kEmp2Ocmw)
                        .Hco(kHcoOcmw)
                        .Insz(kOutsider)
                        .App("ama-wvg"))
                .code(),
            code::kNotAuthorized);
  EXPECT_TRUE(e().May(M(Action::kAddUser, kUser2)
                          .Hco(kHcoOcmw)
                          .Insz(kOutsider)
                          .App("ama-wvg"))
                  .ok());
  // Adding the TB as co-TB still is refused.
  ExpectRefused(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2),
                code::kAlreadyManager, "already TB");
  ExpectVerifies();
}

// --- hoedanigheid deactivate ------------------------------------------------

TEST_F(LifeCycleTest, DeactivatingAHoedanigheidTakesItsDomainsDown) {
  fed_.MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
  ASSERT_TRUE(fed_.Allowed(kUser1));
  const Mutation off = M(Action::kDeactivateCapacity, kEmpOcmw).Kbo(kOcmw);
  EXPECT_TRUE(e().May(off).ok());
  // The cascade `may` states: a step per kind of change, counted.
  Result<MutationPreview> preview = e().Preview(off);
  ASSERT_TRUE(preview.ok()) << preview.status().ToString();
  std::vector<std::string> kinds;
  for (const CascadeStep& step : preview->cascade) {
    kinds.push_back(step.action + " " + std::to_string(step.count));
  }
  EXPECT_EQ(kinds,
            (std::vector<std::string>{
                "user.revoke 1", "user.remove 1",
                "subafdeling.remove-beheerder 1", "subafdeling.deauthorize 1",
                "subafdeling.remove 1", "tb.remove-co 1", "tb.remove 1"}));
  EXPECT_EQ(preview->cascade[4].first,
            std::vector<std::string>{std::string("HCO ") + kHcoOcmw});
  const uint64_t before = e().revision();
  const CommitInfo done = fed_.MustApply(off);
  ASSERT_EQ(done.cascade.size(), preview->cascade.size());
  EXPECT_EQ(done.cascade[0].first, preview->cascade[0].first);
  // Everything that hung on the hoedanigheid, each an op caused by the
  // deactivation, the deactivation last.
  const std::string c = " <- hoedanigheid.deactivate";
  EXPECT_EQ(
      AuditSince(before),
      (std::vector<std::string>{"user.revoke" + c, "user.remove" + c,
                                "subafdeling.remove-beheerder" + c,
                                "subafdeling.deauthorize" + c,
                                "subafdeling.remove" + c, "tb.remove-co" + c,
                                "tb.remove" + c, "hoedanigheid.deactivate"}));
  EXPECT_EQ(done.changes.front().rfind("hoedanigheid.deactivate", 0), 0u)
      << done.changes.front();
  // The subafdeling stops granting; explain names why.
  EXPECT_FALSE(fed_.Allowed(kUser1));
  EXPECT_FALSE(fed_.Allowed(kUser1, "ama-wvg", kHcoOcmw));
  Result<Explanation> why = e().Explain(kUser1, "ama-wvg", kHcoOcmw, Lang::kEn);
  ASSERT_TRUE(why.ok());
  EXPECT_EQ(why->reason, "capacity_inactive");
  // Nobody administers the domain but the HTB; granting is refused.
  EXPECT_EQ(e().May(M(Action::kCreateSubafdeling, kEmpOcmw)
                        .Kbo(kOcmw)
                        .Hco(kHcoOcmw)
                        .Email("x@ocmw.gent")
                        .App("ama-wvg"))
                .code(),
            code::kCapacityInactive);
  ExpectRefused(off, code::kCapacityInactive, "nothing to deactivate");
  fed_.Reopen();
  EXPECT_FALSE(fed_.Allowed(kUser1));
  ExpectVerifies();
  // Activated again, it starts empty: the subafdeling must be made anew.
  fed_.MustApply(M(Action::kActivateCapacity, kEmpOcmw).Kbo(kOcmw));
  EXPECT_FALSE(fed_.Allowed(kUser1));
  Result<Explanation> again =
      e().Explain(kUser1, "ama-wvg", kHcoOcmw, Lang::kEn);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->reason, "no_subafdeling");
}

TEST_F(LifeCycleTest, OnlyTheHtbDeactivatesAHoedanigheid) {
  const Mutation by_tb = M(Action::kDeactivateCapacity, kEmp2Ocmw).Kbo(kOcmw);
  ExpectRefused(by_tb, code::kNotAuthorized, "only the HTB may");
  ExpectRefused(M(Action::kDeactivateCapacity, kWvOcmw).Kbo(kOcmw),
                code::kNotAuthorized, "manual 3.4");
  EXPECT_TRUE(fed_.Allowed(kUser1));
  // The refusal is audited with its actor and code.
  AuditQuery q;
  q.kbo = kOcmw;
  q.limit = 1000;
  Result<std::vector<AuditRecord>> rows = e().Audit(q);
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(std::any_of(rows->begin(), rows->end(), [](const AuditRecord& r) {
    return r.action == "hoedanigheid.deactivate" && r.outcome == "refused" &&
           r.actor == kEmp2Ocmw && r.code == code::kNotAuthorized;
  }));
}

// --- the OCMW rule in the decision -------------------------------------------

TEST_F(LifeCycleTest, AnAuthorizationStopsGrantingWhenTheFacilityTypeChanges) {
  ASSERT_TRUE(fed_.Allowed(kUser1, "ama-wvg", kHcoOcmw));
  // CoBRHA now lists 12345 as a woonzorgcentrum (034): OCMW Gent still
  // organizes 009/089 facilities, so ama-wvg may not be carried there.
  Retype(kHcoOcmw, "034");
  EXPECT_FALSE(fed_.Allowed(kUser1));
  EXPECT_FALSE(fed_.Allowed(kUser1, "ama-wvg", kHcoOcmw));
  for (const Lang lang : {Lang::kEn, Lang::kNl}) {
    Result<Explanation> why = e().Explain(kUser1, "ama-wvg", "", lang);
    ASSERT_TRUE(why.ok());
    EXPECT_EQ(why->reason, "wrong_facility_type");
    EXPECT_EQ(why->condition, 5);
    EXPECT_EQ(why->manual, "1.1");
    EXPECT_NE(why->summary.find("OCMW"), std::string::npos) << why->summary;
    // The HTB and the TB can fix it (another facility as subafdeling).
    std::vector<std::string> fixers;
    for (const PersonRef& p : why->fixers) fixers.push_back(p.insz);
    EXPECT_NE(std::find(fixers.begin(), fixers.end(), kEmpOcmw), fixers.end());
    EXPECT_NE(std::find(fixers.begin(), fixers.end(), kEmp2Ocmw), fixers.end());
  }
  ExpectVerifies();
  fed_.Reopen();  // the store and a fresh index agree
  EXPECT_FALSE(fed_.Allowed(kUser1));
  ExpectVerifies();
  // Typed back, it grants again: the authorization itself was kept.
  Retype(kHcoOcmw, "009");
  EXPECT_TRUE(fed_.Allowed(kUser1, "ama-wvg", kHcoOcmw));
}

TEST_F(LifeCycleTest, AnEnterpriseThatBecomesAnOcmwLosesOtherFacilities) {
  fed_.BuildWzcChain();
  ASSERT_TRUE(fed_.Allowed(kUser2, "ama-wvg", kHcoWzc));
  ASSERT_TRUE(fed_.Allowed(kUser2, "ama-wvg", kHcoWzcOost));
  // One of De Linde's facilities becomes an OCMW (009): the enterprise is
  // now an OCMW, and ama-wvg grants only at its 009/010 facility. vipa,
  // which no rule restricts, keeps granting.
  Retype(kHcoWzcOost, "009");
  EXPECT_FALSE(fed_.Allowed(kUser2, "ama-wvg", kHcoWzc));
  EXPECT_TRUE(fed_.Allowed(kUser2, "ama-wvg", kHcoWzcOost));
  EXPECT_TRUE(fed_.Allowed(kUser2, "vipa", kHcoWzcOost));
  Result<Decision> d = e().Check(kUser2, "ama-wvg", "");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->facilities, std::vector<std::string>{kHcoWzcOost});
  Result<Explanation> why = e().Explain(kUser2, "ama-wvg", kHcoWzc, Lang::kEn);
  ASSERT_TRUE(why.ok());
  EXPECT_EQ(why->reason, "wrong_facility_type");
  ExpectVerifies();
  Retype(kHcoWzcOost, "034");
  EXPECT_TRUE(fed_.Allowed(kUser2, "ama-wvg", kHcoWzc));
}

// --- contact data ---------------------------------------------------------

TEST_F(LifeCycleTest, TheHtbsContactDataChangesByAWvOrTheHtb) {
  const auto htb = [&] {
    Result<WhoReport> who = e().Who(kOcmw);
    EXPECT_TRUE(who.ok());
    return who.ok() && who->htb ? *who->htb : WhoReport::Htb{};
  };
  ASSERT_EQ(htb().email, "htb@ocmw.gent");
  // The HTB changes their own phone; the e-mail stays.
  const uint64_t before = e().revision();
  fed_.MustApply(
      M(Action::kSetHtbContact, kEmpOcmw).Kbo(kOcmw).Phone("09 266 99 11"));
  EXPECT_EQ(htb().phone, "09 266 99 11");
  EXPECT_EQ(htb().email, "htb@ocmw.gent");
  // A WV changes the e-mail.
  fed_.MustApply(
      M(Action::kSetHtbContact, kWvOcmw).Kbo(kOcmw).Email("hilde@ocmw.gent"));
  EXPECT_EQ(AuditSince(before),
            (std::vector<std::string>{"htb.set-contact", "htb.set-contact"}));
  // The appointing WV gives their own contact data.
  Mutation wv_own = M(Action::kSetHtbContact, kWvOcmw).Kbo(kOcmw);
  wv_own.wv_email = "wendy@ocmw.gent";
  fed_.MustApply(wv_own);
  fed_.Reopen();  // stored, not only in memory
  EXPECT_EQ(htb().email, "hilde@ocmw.gent");
  EXPECT_EQ(htb().phone, "09 266 99 11");
  EXPECT_EQ(htb().appointed_by_email, "wendy@ocmw.gent");
  // Who appointed the HTB, and when, did not change.
  ASSERT_TRUE(htb().appointed_by.has_value());
  EXPECT_EQ(htb().appointed_by->insz, kWvOcmw);
  ExpectVerifies();
}

TEST_F(LifeCycleTest, TheHtbsContactDataIsRefusedToOthersAndValidated) {
  // A TB, a user, someone from another enterprise: not authorized.
  for (const char* who : {kEmp2Ocmw, kUser1, kWvWzc}) {
    ExpectRefused(
        M(Action::kSetHtbContact, who).Kbo(kOcmw).Email("x@ocmw.gent"),
        code::kNotAuthorized, "legal representative (WV)");
  }
  // The WV's own contact data only by the WV who appointed: not the HTB.
  Mutation htb_sets_wv = M(Action::kSetHtbContact, kEmpOcmw).Kbo(kOcmw);
  htb_sets_wv.wv_phone = "09 123 45 67";
  ExpectRefused(htb_sets_wv, code::kNotAuthorized, "appointed the HTB");
  // Nothing to change.
  ExpectRefused(
      M(Action::kSetHtbContact, kEmpOcmw).Kbo(kOcmw).Email("htb@ocmw.gent"),
      code::kContactUnchanged, "nothing to change");
  // Invalid input: a code, no change, not in the audit log as a refusal.
  const uint64_t before = e().revision();
  for (const auto& [m, want] :
       {std::pair<Mutation, std::string_view>{
            M(Action::kSetHtbContact, kEmpOcmw).Kbo(kOcmw).Email("no-at-sign"),
            code::kInvalidEmail},
        {M(Action::kSetHtbContact, kEmpOcmw).Kbo(kOcmw).Phone("12"),
         code::kInvalidPhone},
        {M(Action::kSetHtbContact, kEmpOcmw).Kbo(kOcmw), code::kUsage}}) {
    Result<CommitInfo> r = e().Apply(m);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().kind(), Status::Kind::kInvalidInput);
    EXPECT_EQ(r.status().code(), want);
  }
  EXPECT_EQ(e().revision(), before);
  // An enterprise without an HTB has no HTB contact data.
  ExpectRefused(M(Action::kSetHtbContact, kWvWzc).Kbo(kWzc).Email("a@b.be"),
                code::kNoHtb, "htb appoint");
}

TEST_F(LifeCycleTest, TheSubafdelingsEmailChangesByItsManagers) {
  const auto email = [&] {
    Result<WhoReport> who = e().Who(kOcmw);
    EXPECT_TRUE(who.ok());
    return who.ok() && !who->subafdelingen.empty()
               ? who->subafdelingen.front().email
               : std::string();
  };
  ASSERT_EQ(email(), "toegang@ocmw.gent");
  // The named manager, the TB and the HTB may.
  fed_.MustApply(M(Action::kSetSubafdelingEmail, kUser3)
                     .Hco(kHcoOcmw)
                     .Email("zorg@ocmw.gent"));
  EXPECT_EQ(email(), "zorg@ocmw.gent");
  fed_.MustApply(M(Action::kSetSubafdelingEmail, kEmp2Ocmw)
                     .Hco(kHcoOcmw)
                     .Email("tb@ocmw.gent"));
  fed_.MustApply(M(Action::kSetSubafdelingEmail, kEmpOcmw)
                     .Hco(kHcoOcmw)
                     .Email("htb@ocmw.gent"));
  fed_.Reopen();
  EXPECT_EQ(email(), "htb@ocmw.gent");
  // A user, a WV, a stranger may not; the remedy names who may.
  for (const char* who : {kUser1, kWvOcmw, kOutsider}) {
    ExpectRefused(
        M(Action::kSetSubafdelingEmail, who).Hco(kHcoOcmw).Email("x@ocmw.gent"),
        code::kNotAuthorized, "manager of subafdeling HCO 12345");
  }
  ExpectRefused(M(Action::kSetSubafdelingEmail, kEmpOcmw)
                    .Hco(kHcoOcmw)
                    .Email("htb@ocmw.gent"),
                code::kContactUnchanged, "nothing to change");
  Result<CommitInfo> bad = e().Apply(
      M(Action::kSetSubafdelingEmail, kEmpOcmw).Hco(kHcoOcmw).Email("x@"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), code::kInvalidEmail);
  ExpectVerifies();
}

TEST_F(LifeCycleTest, ExplainGivesTheFixersContactData) {
  // kUser2 is no user: the fixers are the HTB (with the HTB's contact
  // data), the TB and the manager (with the subafdeling's e-mail).
  Result<Explanation> why = e().Explain(kUser2, "ama-wvg", kHcoOcmw, Lang::kEn);
  ASSERT_TRUE(why.ok());
  bool htb_seen = false;
  for (const FixerContact& f : why->fixer_roles) {
    if (f.role == "htb") {
      htb_seen = true;
      EXPECT_EQ(f.email, "htb@ocmw.gent");
      EXPECT_EQ(f.phone, "+32 9 266 99 00");
    }
    if (f.role == "manager") {
      EXPECT_EQ(f.email, "toegang@ocmw.gent");
    }
  }
  EXPECT_TRUE(htb_seen);
}

// --- facilities --kbo --------------------------------------------------------

TEST_F(LifeCycleTest, TheEnterprisesFacilitiesWithTheirSubafdelingen) {
  Result<WhoReport> who = e().Who(kOcmw);
  ASSERT_TRUE(who.ok());
  EXPECT_TRUE(who->ocmw);
  ASSERT_EQ(who->facilities.size(), 3u);
  // By HCO: 10001 (009, closed), 12345 (009, the subafdeling), 45678 (089).
  const WhoReport::Facility& closed = who->facilities[0];
  EXPECT_EQ(closed.hco, kHcoOcmwClosed);
  EXPECT_FALSE(closed.active);
  EXPECT_TRUE(closed.subafdelingen.empty());
  const WhoReport::Facility& ocmw = who->facilities[1];
  EXPECT_EQ(ocmw.hco, kHcoOcmw);
  EXPECT_EQ(ocmw.name, "OCMW Gent");
  EXPECT_EQ(ocmw.type_code, "009");
  EXPECT_TRUE(ocmw.active);
  ASSERT_EQ(ocmw.subafdelingen.size(), 1u);
  EXPECT_EQ(ocmw.subafdelingen[0].applications,
            std::vector<std::string>{"ama-wvg"});
  EXPECT_EQ(ocmw.facility_rule,
            (std::vector<std::pair<std::string, bool>>{{"ama-wvg", true}}));
  const WhoReport::Facility& huis = who->facilities[2];
  EXPECT_EQ(huis.hco, kHcoSociaalHuis);
  EXPECT_EQ(huis.type_code, "089");
  EXPECT_EQ(huis.facility_rule,
            (std::vector<std::pair<std::string, bool>>{{"ama-wvg", false}}));
  // An enterprise that is no OCMW: the rule allows every facility.
  Result<WhoReport> wzc = e().Who(kWzc);
  ASSERT_TRUE(wzc.ok());
  EXPECT_FALSE(wzc->ocmw);
  ASSERT_EQ(wzc->facilities.size(), 2u);
  for (const WhoReport::Facility& f : wzc->facilities) {
    EXPECT_EQ(f.facility_rule,
              (std::vector<std::pair<std::string, bool>>{{"ama-wvg", true}}));
    EXPECT_TRUE(f.subafdelingen.empty());
  }
}

}  // namespace
}  // namespace toegang::testing
