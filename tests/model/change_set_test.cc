// The change-log format (model/change_set.h): each op's JSON, written as the
// detail of its audit row, reads back as the same op for every op kind;
// what this build did not write (not JSON, an unknown op, a field of the
// wrong type, a code the catalogue does not hold) is refused, so the
// engine loads from the tables instead of replaying it; and the rows the
// engine really writes read back and write again byte for byte.
#include "model/change_set.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/catalogue.h"
#include "store/sqlite_store.h"
#include "support/small_catalogue.h"
#include "support/test_federation.h"
#include "toegang/mutation.h"

namespace toegang::testing {
namespace {

constexpr Action kAllKinds[] = {
    Action::kAppointHtb,
    Action::kActivateCapacity,
    Action::kSetTb,
    Action::kAddCoTb,
    Action::kRemoveCoTb,
    Action::kCreateSubafdeling,
    Action::kAuthorize,
    Action::kDeauthorize,
    Action::kRemoveSubafdeling,
    Action::kAddManager,
    Action::kRemoveManager,
    Action::kAddUser,
    Action::kGrantRight,
    Action::kRevokeRight,
    Action::kRemoveUser,
    Action::kRemoveTb,
    Action::kDeactivateCapacity,
    Action::kSetHtbContact,
    Action::kSetSubafdelingEmail,
};

// The fields each op kind carries (as the rules fill them in), set to
// values that are not the defaults.
Op FullOp(Action kind) {
  Op op;
  op.kind = kind;
  op.kbo = 428759497;
  switch (kind) {
    case Action::kAppointHtb:
      op.insz = 85073003328;
      op.email = "htb@example.be";
      op.phone = "+32 9 123 45 67";
      op.wv_email = "wv@example.be";
      op.wv_phone = "+32 9 765 43 21";
      op.previous = 93051822361;
      break;
    case Action::kSetHtbContact:
      op.insz = 85073003328;
      op.email = "htb@example.be";
      op.phone = "+32 9 123 45 67";
      op.wv_email = "wv@example.be";
      op.wv_phone = "+32 9 765 43 21";
      break;
    case Action::kSetSubafdelingEmail:
      op.subafdeling = 17;
      op.hco = "0012345";
      op.email = "nieuw@example.be";
      break;
    case Action::kActivateCapacity:
    case Action::kDeactivateCapacity:
      op.capacity = 1;
      break;
    case Action::kSetTb:
    case Action::kAddCoTb:
    case Action::kRemoveCoTb:
    case Action::kRemoveTb:
      op.capacity = 1;
      op.subdivision = 2;
      op.insz = 75060898009;
      if (kind == Action::kSetTb) op.previous = 81050003552;
      break;
    case Action::kCreateSubafdeling:
      op.capacity = 1;
      op.subdivision = 2;
      op.subafdeling = 17;
      op.hco = "0012345";
      op.email = "thuiszorg@example.be";
      break;
    case Action::kAuthorize:
    case Action::kDeauthorize:
      op.subafdeling = 17;
      op.hco = "0012345";
      op.app = 2;
      break;
    case Action::kRemoveSubafdeling:
      op.subafdeling = 17;
      op.hco = "0012345";
      break;
    case Action::kAddManager:
    case Action::kRemoveManager:
    case Action::kAddUser:
    case Action::kRemoveUser:
      op.subafdeling = 17;
      op.hco = "0012345";
      op.insz = 92200006963;
      break;
    case Action::kGrantRight:
    case Action::kRevokeRight:
      op.subafdeling = 17;
      op.hco = "0012345";
      op.insz = 92200006963;
      op.app = 1;
      break;
  }
  return op;
}

void ExpectSameOp(const Op& got, const Op& want) {
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.kbo, want.kbo);
  EXPECT_EQ(got.capacity, want.capacity);
  EXPECT_EQ(got.subdivision, want.subdivision);
  EXPECT_EQ(got.subafdeling, want.subafdeling);
  EXPECT_EQ(got.hco, want.hco);
  EXPECT_EQ(got.insz, want.insz);
  EXPECT_EQ(got.app, want.app);
  EXPECT_EQ(got.email, want.email);
  EXPECT_EQ(got.phone, want.phone);
  EXPECT_EQ(got.wv_email, want.wv_email);
  EXPECT_EQ(got.wv_phone, want.wv_phone);
  EXPECT_EQ(got.previous, want.previous);
  EXPECT_EQ(got.cause, want.cause);
}

TEST(ChangeSetJsonTest, EveryOpKindReadsBackAsItWasWritten) {
  const Catalogue cat = SmallCatalogue();
  for (const Action kind : kAllKinds) {
    SCOPED_TRACE(std::string(ActionName(kind)));
    for (const bool caused : {false, true}) {
      Op op = FullOp(kind);
      if (caused) op.cause = "subafdeling.deauthorize";
      const std::string json = OpToJson(op, cat);
      const std::optional<Op> back = OpFromJson(json, cat);
      ASSERT_TRUE(back.has_value()) << json;
      ExpectSameOp(*back, op);
      EXPECT_EQ(OpToJson(*back, cat), json);
    }
  }
}

TEST(ChangeSetJsonTest, IdentifiersKeepTheirLeadingZeros) {
  const Catalogue cat = SmallCatalogue();
  Op op = FullOp(Action::kGrantRight);
  op.kbo = 403019261;    // "0403019261"
  op.insz = 1031545638;  // "01031545638"
  const std::string json = OpToJson(op, cat);
  EXPECT_NE(json.find("\"kbo\":\"0403019261\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"insz\":\"01031545638\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"app\":\"vipa\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"op\":\"user.grant\""), std::string::npos) << json;
  const std::optional<Op> back = OpFromJson(json, cat);
  ASSERT_TRUE(back.has_value());
  ExpectSameOp(*back, op);
}

TEST(ChangeSetJsonTest, AnOpNamesOnlyTheFieldsOfItsKind) {
  const Catalogue cat = SmallCatalogue();
  // Fields another kind carries are left out of the JSON, and so come back
  // as their defaults.
  Op op = FullOp(Action::kActivateCapacity);
  op.insz = 85073003328;
  op.app = 2;
  op.subafdeling = 3;
  const std::string json = OpToJson(op, cat);
  EXPECT_EQ(json.find("\"insz\""), std::string::npos) << json;
  EXPECT_EQ(json.find("\"app\""), std::string::npos) << json;
  EXPECT_EQ(json.find("\"subafdeling\""), std::string::npos) << json;
  const std::optional<Op> back = OpFromJson(json, cat);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->capacity, 1);
  EXPECT_EQ(back->insz, 0u);
  EXPECT_EQ(back->app, 0);
  EXPECT_EQ(back->subafdeling, 0);
}

TEST(ChangeSetJsonTest, InvalidUtf8IsReplacedNotThrown) {
  const Catalogue cat = SmallCatalogue();
  Op op = FullOp(Action::kAppointHtb);
  op.email = "htb\xff@example.be";
  const std::string json = OpToJson(op, cat);
  const std::optional<Op> back = OpFromJson(json, cat);
  ASSERT_TRUE(back.has_value()) << json;
  EXPECT_EQ(back->email, "htb\xEF\xBF\xBD@example.be");  // U+FFFD
}

TEST(ChangeSetJsonTest, RefusesWhatThisBuildDidNotWrite) {
  const Catalogue cat = SmallCatalogue();
  const std::string good = OpToJson(FullOp(Action::kGrantRight), cat);
  ASSERT_TRUE(OpFromJson(good, cat).has_value());
  const std::vector<std::string> malformed = {
      "",
      "not json",
      "{",
      good.substr(0, good.size() - 1),  // cut short
      "[]",
      "null",
      "\"user.grant\"",
      "{}",                                            // no op
      R"({"op": 3, "kbo": "0428759497"})",             // op not text
      R"({"op": "user.fly", "kbo": "0428759497"})",    // unknown op
      R"({"op": "user.grant", "kbo": "04287x9497"})",  // not digits
      R"({"op": "user.grant", "kbo": "0428759497", "insz": "9220-0006963"})",
      R"({"op": "htb.appoint", "kbo": "1", "previous": "x"})",
      R"({"op": "user.grant", "kbo": "1", "app": "no-such-app"})",
      R"({"op": "hoedanigheid.activate", "kbo": "1", "hoedanigheid": "nope"})",
      // A subdivision of another capacity than the op's.
      R"({"op": "tb.set", "kbo": "1", "hoedanigheid": "ocmw",)"
      R"( "subdivisie": "zorg", "insz": "75060898009"})",
      R"({"op": "user.add", "kbo": "1", "subafdeling": "17"})",  // not int
      R"({"op": "user.add", "kbo": "1", "subafdeling": 1.5})",
  };
  for (const std::string& json : malformed) {
    EXPECT_FALSE(OpFromJson(json, cat).has_value()) << json;
  }
}

TEST(ChangeSetJsonTest, SummaryNamesTheOpAndItsFields) {
  const Catalogue cat = SmallCatalogue();
  Op op = FullOp(Action::kRevokeRight);
  op.cause = "subafdeling.deauthorize";
  EXPECT_EQ(OpSummary(op, cat),
            "user.revoke kbo=0428759497 hco=0012345 insz=92200006963 "
            "app=vipa (because of subafdeling.deauthorize)");
  EXPECT_EQ(OpSummary(FullOp(Action::kSetTb), cat),
            "tb.set kbo=0428759497 hoedanigheid=wzc subdivisie=thuis "
            "insz=75060898009 (replaces 81050003552)");
}

TEST(ChangeSetJsonTest, TheEnginesAuditRowsReadBackByteForByte) {
  // The change log as the engine writes it: every op row of two whole
  // delegation chains (and their undoing) reads back with the catalogue
  // of that database and writes again as the same text.
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.BuildWzcChain();
  fed.MustApply(M(Action::kRevokeRight, kEmpWzc)
                    .Hco(kHcoWzcOost)
                    .Insz(kUser2)
                    .App("vipa"));
  fed.MustApply(M(Action::kRemoveUser, kEmpWzc).Hco(kHcoWzc).Insz(kUser2));
  // Takes kUser1's right with it: an op with a cause.
  fed.MustApply(
      M(Action::kDeauthorize, kEmp2Ocmw).Hco(kHcoOcmw).App("ama-wvg"));
  fed.Close();

  Result<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(fed.db_path(), false, true);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Catalogue cat;
  ASSERT_TRUE((*store)->LoadCatalogue(&cat).ok());

  SQLite::Database db(fed.db_path(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db,
                      "SELECT action, detail FROM audit WHERE outcome = 'ok' "
                      "AND action NOT LIKE 'import.%' ORDER BY seq");
  std::vector<std::string> kinds;
  bool caused = false;
  while (q.executeStep()) {
    const std::string action = q.getColumn(0).getString();
    const std::string detail = q.getColumn(1).getString();
    SCOPED_TRACE(detail);
    const std::optional<Op> op = OpFromJson(detail, cat);
    ASSERT_TRUE(op.has_value());
    EXPECT_EQ(ActionName(op->kind), action);
    EXPECT_EQ(OpToJson(*op, cat), detail);
    kinds.push_back(action);
    caused = caused || !op->cause.empty();
  }
  // Not vacuous: the chains write the whole range of roles.
  for (const char* kind :
       {"htb.appoint", "hoedanigheid.activate", "tb.set", "subafdeling.create",
        "subafdeling.authorize", "subafdeling.deauthorize",
        "subafdeling.add-beheerder", "user.add", "user.grant", "user.revoke",
        "user.remove"}) {
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), kind), kinds.end()) << kind;
  }
  EXPECT_TRUE(caused);
}

}  // namespace
}  // namespace toegang::testing
