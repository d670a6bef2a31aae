// The row counts each store keeps for `stats` (SQLite:
// schema/0005_row_counts.sql; PostgreSQL:
// schema/postgresql/0007_row_counts_postgresql.sql) equal the tables'
// rows after every kind of writer (mutations, a removal that cascades, a
// registry import, the generator's bulk load), and verify names a count
// that drifted. Engine::GetStats reads them (Store::Counts).
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "federation_generator.h"
#include "store/pg_connection.h"
#include "support/pg_cluster.h"
#include "support/store_content.h"
#include "support/test_federation.h"
#include "toegang/engine.h"

namespace toegang::testing {
namespace {

class RowCountTest : public PerStoreTest {
 protected:
  // The counts GetStats gives against the rows the store holds.
  static void ExpectCountsTrue(const std::string& db, Engine& engine) {
    Result<Stats> s = engine.GetStats();
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    std::map<std::string, size_t> rows;
    size_t active = 0;
    for (const std::string& line : StoreContent(db, /*times=*/false)) {
      const std::string table = line.substr(0, line.find(':'));
      ++rows[table];
      if (table == "enterprise" &&
          line.find(" active=1") != std::string::npos) {
        ++active;
      }
    }
    EXPECT_EQ(s->enterprises, rows["enterprise"]);
    EXPECT_EQ(s->active_enterprises, active);
    EXPECT_EQ(s->persons, rows["person"]);
    EXPECT_EQ(s->facilities, rows["facility"]);
    EXPECT_EQ(s->htbs, rows["htb"]);
    EXPECT_EQ(s->domain_managers, rows["domain_manager"]);
    EXPECT_EQ(s->subafdelingen, rows["subafdeling"]);
    EXPECT_EQ(s->users, rows["user"]);
    EXPECT_EQ(s->rights, rows["user_right"]);
    EXPECT_EQ(s->audit_rows, rows["audit"]);
  }

  // Runs sql on the database behind the store, as an operator's tool
  // would.
  void RunSql(const std::string& sql) {
    if (GetParam() == StoreKind::kSqlite) {
      SQLite::Database d(db_, SQLite::OPEN_READWRITE);
      d.exec(sql);
    } else {
      PgConnection::Connect(db_)->Run(sql);
    }
  }
};

INSTANTIATE_TEST_SUITE_P(Stores, RowCountTest, kBothStores, StoreKindName);

TEST_P(RowCountTest, KeptCountsEqualTheRowsAfterEveryWriter) {
  fed_->BuildOcmwChain();
  fed_->BuildWzcChain();
  Engine& engine = fed_->engine();
  ExpectCountsTrue(db_, engine);
  Result<Stats> before = engine.GetStats();
  ASSERT_TRUE(before.ok());
  EXPECT_GT(before->rights, 0u);
  // The subafdeling goes with its users, manager and rights (cascades).
  ASSERT_TRUE(
      engine.Apply(M(Action::kRemoveSubafdeling, kEmp2Ocmw).Hco(kHcoOcmw))
          .ok());
  ExpectCountsTrue(db_, engine);
  // An enterprise stopped by a KBO import is active no more.
  ImportReport report;
  ASSERT_TRUE(engine
                  .ImportKbo(fed_->dir().Write(
                                 "stop.csv",
                                 "\"EnterpriseNumber\",\"Status\","
                                 "\"JuridicalSituation\",\"TypeOfEnterprise\","
                                 "\"JuridicalForm\",\"JuridicalFormCAC\","
                                 "\"StartDate\"\n\"0403.019.261\",\"ST\","
                                 "\"000\",\"2\",\"416\",\"\",\"01-01-1977\"\n"),
                             "", ImportOptions{}, &report)
                  .ok());
  Result<Stats> stopped = engine.GetStats();
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped->active_enterprises, before->active_enterprises - 1);
  ExpectCountsTrue(db_, engine);

  // A count that drifted is a verify problem.
  Result<std::vector<std::string>> clean = engine.Verify();
  ASSERT_TRUE(clean.ok()) << clean.status().ToString();
  EXPECT_TRUE(clean->empty()) << ::testing::PrintToString(*clean);
  RunSql("UPDATE row_count SET n = n + 2 WHERE name = 'person'");
  Result<std::vector<std::string>> drifted = engine.Verify();
  ASSERT_TRUE(drifted.ok()) << drifted.status().ToString();
  const std::string said = ::testing::PrintToString(*drifted);
  EXPECT_NE(said.find(fmt::format("row_count says {} rows of person, the "
                                  "table holds {}",
                                  before->persons + 2, before->persons)),
            std::string::npos)
      << said;
}

TEST_P(RowCountTest, TheGeneratorsBulkLoadCountsAndCountingGoesOn) {
  // A second database of the parameter's store, empty.
  std::string why;
  const std::string target = GetParam() == StoreKind::kSqlite
                                 ? dir_.File("generated.db")
                                 : StoreDatabase(GetParam(), dir_, &why);
  ASSERT_FALSE(target.empty()) << why;
  GenerateOptions o;
  o.persons = 2000;
  o.seed = 3;
  o.out_path = target;
  GenerateSummary summary;
  Status s = GenerateFederation(o, &summary);
  ASSERT_TRUE(s.ok()) << s.ToString();
  Stats counts;
  {
    Result<std::unique_ptr<Engine>> engine =
        Engine::Open(target, OpenOptions{});
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    Result<Stats> first = (*engine)->GetStats();
    ASSERT_TRUE(first.ok());
    counts = *first;
    EXPECT_GT(counts.rights, 0u);
    ExpectCountsTrue(target, **engine);
  }
  // The counting goes on after the load.
  db_ = target;
  RunSql(
      "DELETE FROM user_right WHERE insz IN (SELECT insz FROM user_right "
      "ORDER BY insz LIMIT 3)");
  Result<std::unique_ptr<Engine>> again = Engine::Open(target, OpenOptions{});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  Result<Stats> after = (*again)->GetStats();
  ASSERT_TRUE(after.ok());
  EXPECT_LT(after->rights, counts.rights);
  ExpectCountsTrue(target, **again);
}

}  // namespace
}  // namespace toegang::testing
