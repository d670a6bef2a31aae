// `toegang copy --from SRC --to DST` (store/database_copy.h): a
// federation with its audit log (refusals included), revisions, history
// chain, id and subafdeling ids copied from SQLite into PostgreSQL and
// back, equal after both ways; the copy answers, verifies and goes on as
// the original; a destination that holds a federation is refused and left
// as it was.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/database_copy.h"
#include "store/open_store.h"
#include "support/cli_runner.h"
#include "support/pg_cluster.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"

namespace toegang::testing {
namespace {

std::unique_ptr<Store> Open(const std::string& db) {
  Result<std::unique_ptr<Store>> s = OpenStore(db, StoreOpenOptions());
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

// The differences CompareDatabases finds; a failure as one difference.
std::vector<std::string> Differences(const std::string& a,
                                     const std::string& b) {
  std::unique_ptr<Store> sa = Open(a);
  std::unique_ptr<Store> sb = Open(b);
  if (!sa || !sb) return {"cannot open"};
  Result<std::vector<std::string>> d = CompareDatabases(*sa, *sb);
  if (!d.ok()) return {d.status().ToString()};
  return *d;
}

class CopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    PgCluster* cluster = PgCluster::Get(&why);
    pg_ = cluster == nullptr ? "" : cluster->NewDatabase();
    TOEGANG_SKIP_WITHOUT_STORE(pg_, why);
    fed_.BuildOcmwChain();
    fed_.BuildWzcChain();
    // A refusal (an audit row without a revision) and a removed
    // subafdeling (its id is never given again).
    Result<CommitInfo> refused = fed_.engine().Apply(
        M(Action::kAddUser, kOutsider).Hco(kHcoOcmw).Insz(kUser2));
    ASSERT_FALSE(refused.ok());
    fed_.MustApply(M(Action::kRemoveSubafdeling, kEmpWzc).Hco(kHcoWzc));
    revision_ = fed_.engine().revision();
    fed_.Close();
  }

  CliRun Cli(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"--json"};
    all.insert(all.end(), args.begin(), args.end());
    return Spawn(all, fed_.dir().path(), std::nullopt);
  }

  TestFederation fed_;
  std::string pg_;
  uint64_t revision_ = 0;
};

TEST_F(CopyTest, SqliteToPostgresAndBackIsEqualBothWays) {
  const std::string sqlite = fed_.db_path();
  CliRun there = Cli({"copy", "--from", sqlite, "--to", pg_});
  ASSERT_EQ(there.exit, 0) << there.out << there.err;
  EXPECT_NE(there.out.find("\"verified\":true"), std::string::npos)
      << there.out;
  EXPECT_EQ(Differences(sqlite, pg_), std::vector<std::string>{});

  const std::string back = fed_.dir().File("back.db");
  CliRun home = Cli({"--db", pg_, "copy", "--to", back});
  ASSERT_EQ(home.exit, 0) << home.out << home.err;
  EXPECT_EQ(Differences(pg_, back), std::vector<std::string>{});
  EXPECT_EQ(Differences(sqlite, back), std::vector<std::string>{});

  for (const std::string& db : {pg_, back}) {
    SCOPED_TRACE(db);
    CliRun verify = Cli({"--db", db, "verify"});
    EXPECT_EQ(verify.exit, 0) << verify.out << verify.err;
    std::unique_ptr<Store> store = Open(db);
    ASSERT_NE(store, nullptr);
    std::unique_ptr<Store> original = Open(sqlite);
    ASSERT_NE(original, nullptr);
    EXPECT_EQ(store->NextSubafdelingId().value(),
              original->NextSubafdelingId().value());
    AuditQuery all;
    all.limit = 1000;
    EXPECT_EQ(store->ReadAudit(all).value().size(),
              original->ReadAudit(all).value().size());
    // It answers as the original, and goes on from its revision.
    Result<std::unique_ptr<Engine>> e = Engine::Open(db);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_EQ((*e)->revision(), revision_);
    EXPECT_TRUE((*e)->Check(kUser1, "ama-wvg", kHcoOcmw)->allowed);
    EXPECT_FALSE((*e)->Check(kUser2, "ama-wvg", kHcoWzc)->allowed);
    Result<CommitInfo> next = (*e)->Apply(M(Action::kRevokeRight, kEmp2Ocmw)
                                              .Hco(kHcoOcmw)
                                              .Insz(kUser1)
                                              .App("ama-wvg"));
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    EXPECT_EQ(next->revision, revision_ + 1);
  }
  // Apart now: the comparison sees it.
  EXPECT_NE(Differences(sqlite, back), std::vector<std::string>{});
}

TEST_F(CopyTest, ANonEmptyDestinationIsRefusedAndLeftAsItWas) {
  const std::string sqlite = fed_.db_path();
  ASSERT_EQ(Cli({"copy", "--from", sqlite, "--to", pg_}).exit, 0);
  // Something more in the source, copied again onto the first copy.
  {
    TestFederation& f = fed_;
    f.Reopen();
    f.MustApply(M(Action::kRevokeRight, kEmp2Ocmw)
                    .Hco(kHcoOcmw)
                    .Insz(kUser1)
                    .App("ama-wvg"));
    f.Close();
  }
  std::unique_ptr<Store> before = Open(pg_);
  ASSERT_NE(before, nullptr);
  const HistoryMark mark = before->CurrentMark().value();
  before.reset();

  for (const std::string& to : {pg_, fed_.db_path()}) {
    SCOPED_TRACE(to);
    CliRun again =
        Cli({"copy", "--from", to == pg_ ? sqlite : pg_, "--to", to});
    EXPECT_EQ(again.exit, 2) << again.out << again.err;
    EXPECT_NE(again.out.find(std::string("\"error\":\"") +
                             std::string(code::kNotEmpty) + "\""),
              std::string::npos)
        << again.out;
    EXPECT_NE(again.out.find("nothing was copied"), std::string::npos)
        << again.out;
  }
  std::unique_ptr<Store> after = Open(pg_);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->CurrentMark().value().revision, mark.revision);
  EXPECT_EQ(after->CurrentMark().value().chain, mark.chain);

  CliRun same = Cli({"copy", "--from", sqlite, "--to", sqlite});
  EXPECT_EQ(same.exit, 2) << same.out;
  EXPECT_NE(same.out.find("\"error\":\"usage\""), std::string::npos)
      << same.out;
}

}  // namespace
}  // namespace toegang::testing

namespace toegang::testing {
namespace {

// Every column of every table the schema makes is copied (or, for the
// revision and the kept row counts, written by the copy from what it
// read): a migration that adds a column must add it to CopyTables too.
TEST(CopyTablesTest, NameEveryColumnOfTheSchema) {
  TempDir dir;
  const std::string db = dir.File("schema.db");
  {
    OpenOptions create;
    create.create_if_missing = true;
    Result<std::unique_ptr<Engine>> e = Engine::Open(db, create);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
  }
  SQLite::Database sqlite(db, SQLite::OPEN_READONLY);
  SQLite::Statement tables(sqlite,
                           "SELECT name FROM sqlite_schema WHERE type = "
                           "'table' AND name NOT LIKE 'sqlite_%'");
  size_t checked = 0;
  while (tables.executeStep()) {
    const std::string table = tables.getColumn(0).getString();
    if (table == "revision" || table == "row_count") continue;
    const CopyTable* listed = nullptr;
    for (const CopyTable& t : CopyTables()) {
      std::string name = t.name;
      std::erase(name, '"');
      if (name == table) listed = &t;
    }
    ASSERT_NE(listed, nullptr) << table << " is not in CopyTables";
    const std::string columns = std::string(", ") + listed->columns + ",";
    SQLite::Statement info(sqlite, "SELECT name FROM pragma_table_info(?)");
    info.bind(1, table);
    while (info.executeStep()) {
      const std::string column = info.getColumn(0).getString();
      EXPECT_NE(columns.find(", " + column + ","), std::string::npos)
          << table << "." << column << " is not copied";
      ++checked;
    }
  }
  EXPECT_GT(checked, 60u);
}

}  // namespace
}  // namespace toegang::testing
