// The PostgreSQL side of the tests that run against both stores: the
// throw-away cluster (support/pg_throwaway.h, PgCluster) stopped by a
// global test environment when the test process ends, the parameter that
// runs one test against both stores (StoreKind), and what a test does
// when PostgreSQL cannot run here: StoreDatabase() then fails the test
// under CI=true and skips it otherwise (GTEST_SKIP with the reason).
//
// The environment stops the cluster (`pg_ctl stop -m fast`) when the test
// process ends, so one cluster serves every test of one run of the binary
// (ctest runs each test in its own process: one cluster each). Each test
// takes a fresh database (NewDatabase).
//
// Thread safety: for the test's main thread.
#ifndef TOEGANG_TESTS_SUPPORT_PG_CLUSTER_H_
#define TOEGANG_TESTS_SUPPORT_PG_CLUSTER_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "support/pg_throwaway.h"
#include "support/test_federation.h"

namespace toegang::testing {

// Stops the cluster when the test process ends (registered once).
class PgClusterEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    if (PgCluster* c = PgCluster::Instance()) {
      c->StopServer();
      PgCluster::Instance() = nullptr;
    }
  }
};
inline const bool kPgClusterEnvironmentAdded =
    (::testing::AddGlobalTestEnvironment(new PgClusterEnvironment), true);

// The stores a contract test runs against.
enum class StoreKind { kSqlite, kPostgres };

inline std::string StoreKindName(const ::testing::TestParamInfo<StoreKind>& p) {
  return p.param == StoreKind::kSqlite ? "Sqlite" : "Postgres";
}

// Whether a test that cannot reach PostgreSQL fails (CI=true) or skips.
inline bool PostgresRequired() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

// The name of a fresh database of `kind`: a file in dir, or a new
// database on the cluster; "" when the cluster cannot run (the caller
// then uses TOEGANG_SKIP_WITHOUT_STORE).
inline std::string StoreDatabase(StoreKind kind, const TempDir& dir,
                                 std::string* why) {
  if (kind == StoreKind::kSqlite) return dir.File("federation.db");
  PgCluster* cluster = PgCluster::Get(why);
  return cluster == nullptr ? "" : cluster->NewDatabase();
}

// A test run against each store: SetUp makes a fresh database of the
// parameter's kind (db_) and the fixture's federation on it (fed_), or
// skips (fails under CI=true) when PostgreSQL cannot run. Instantiate with
// `INSTANTIATE_TEST_SUITE_P(Stores, Fixture, kBothStores, StoreKindName)`.
class PerStoreTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override;

  TempDir dir_;
  std::string db_;
  std::unique_ptr<TestFederation> fed_;
};

// The database of a parameterised test's store, for a fixture that makes
// its federation in its constructor: a private base constructed before
// the fixture (`class F : private StoreOfTheParam, public Fixture, public
// ::testing::WithParamInterface<StoreKind>`); SetUp then calls
// TOEGANG_SKIP_WITHOUT_STORE(db, why).
struct StoreOfTheParam {
  StoreOfTheParam() {
    db = StoreDatabase(::testing::WithParamInterface<StoreKind>::GetParam(),
                       dir, &why);
  }
  TempDir dir;
  std::string db, why;
};

inline const auto kBothStores =
    ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres);

}  // namespace toegang::testing

// In a test: `db` from StoreDatabase empty: fail under CI=true, else skip.
#define TOEGANG_SKIP_WITHOUT_STORE(db, why)                       \
  do {                                                            \
    if ((db).empty()) {                                           \
      if (::toegang::testing::PostgresRequired()) {               \
        FAIL() << "CI=true but PostgreSQL cannot run: " << (why); \
      }                                                           \
      GTEST_SKIP() << "PostgreSQL cannot run here: " << (why);    \
    }                                                             \
  } while (false)

inline void toegang::testing::PerStoreTest::SetUp() {
  std::string why;
  db_ = StoreDatabase(GetParam(), dir_, &why);
  TOEGANG_SKIP_WITHOUT_STORE(db_, why);
  fed_ = std::make_unique<TestFederation>(db_);
}

#endif  // TOEGANG_TESTS_SUPPORT_PG_CLUSTER_H_
