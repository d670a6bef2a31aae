// `toegang generate --out postgresql://...` (store/pg_bulk_writer.h): the
// federation written into PostgreSQL through COPY verifies, holds exactly
// the rows of the SQLite generation of the same persons and seed, times
// included, and goes on as any other; a destination that holds a
// federation, that is not toegang's, that cannot be reached, or a --force,
// is refused with a stable code and left as it was.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "federation_generator.h"
#include "store/open_store.h"
#include "store/pg_connection.h"
#include "support/cli_runner.h"
#include "support/db_content.h"
#include "support/pg_cluster.h"
#include "support/store_content.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"

namespace toegang::testing {
namespace {

constexpr uint64_t kPersons = 2500;
constexpr uint64_t kSeed = 8;

class PgGenerateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = PgCluster::Get(&why_);
    const std::string db = cluster_ == nullptr ? "" : "ok";
    TOEGANG_SKIP_WITHOUT_STORE(db, why_);
  }

  CliRun Cli(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"--json"};
    all.insert(all.end(), args.begin(), args.end());
    return Spawn(all, dir_.path(), std::nullopt);
  }

  static std::string ErrorOf(const CliRun& run) {
    const nlohmann::json j = nlohmann::json::parse(run.out, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].get<std::string>()
                                                : "(no error: " + run.out + ")";
  }

  // The revision, chain and row counts of db, to see that a refusal left
  // it as it was.
  static std::string State(const std::string& db) {
    Result<std::unique_ptr<Store>> s = OpenStore(db, StoreOpenOptions());
    if (!s.ok()) return s.status().ToString();
    Result<HistoryMark> mark = (*s)->CurrentMark();
    Result<StoreCounts> c = (*s)->Counts();
    if (!mark.ok() || !c.ok()) return "cannot read";
    return fmt::format(
        "revision {} chain {} enterprises {} persons {} users "
        "{} rights {} audit {}",
        mark->revision, mark->chain, c->enterprises, c->persons, c->users,
        c->rights, c->audit_rows);
  }

  // The definitions of db's foreign keys and indexes.
  static std::vector<std::string> Keys(const std::string& db) {
    PgResult r = PgConnection::Connect(db)->Run(
        "SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE connamespace = 'public'::regnamespace UNION "
        "ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "ORDER BY 1");
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.str(i, 0));
    return out;
  }

  PgCluster* cluster_ = nullptr;
  std::string why_;
  TempDir dir_;
};

TEST_F(PgGenerateTest, EqualsTheSqliteGenerationOfTheSameSeedAndVerifies) {
  // Into a database that does not exist yet (the CLI), and into an empty
  // one that does (the library).
  static int run = 0;  // a new name each time (--gtest_repeat)
  const std::string fresh =
      cluster_->Uri("toegang_generated_new_" + std::to_string(++run));
  const std::string empty = cluster_->NewDatabase();
  const std::string sqlite = dir_.File("generated.db");
  const std::string made_by_init = cluster_->NewDatabase();
  {
    StoreOpenOptions create;
    create.create_if_missing = true;
    ASSERT_TRUE(OpenStore(made_by_init, create).ok());
  }
  ASSERT_GT(Keys(made_by_init).size(), 20u);

  CliRun made = Cli({"generate", "--persons", std::to_string(kPersons),
                     "--seed", std::to_string(kSeed), "--out", fresh});
  ASSERT_EQ(made.exit, 0) << made.out << made.err;
  const nlohmann::json j = nlohmann::json::parse(made.out);
  GenerateOptions o;
  o.persons = kPersons;
  o.seed = kSeed;
  GenerateSummary from_file, from_library;
  o.out_path = sqlite;
  ASSERT_TRUE(GenerateFederation(o, &from_file).ok());
  o.out_path = empty;
  Status s = GenerateFederation(o, &from_library);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(j["revision"].get<uint64_t>(), from_file.revision);
  EXPECT_EQ(j["users"].get<uint64_t>(), from_file.users);
  EXPECT_EQ(j["rights"].get<uint64_t>(), from_file.rights);
  EXPECT_EQ(from_library.audit_rows, from_file.audit_rows);
  EXPECT_GT(from_file.rights, 1000u);

  // Every row of every table, times included, as the SQLite file has it.
  const std::vector<std::string> want = StoreContent(sqlite, true);
  ASSERT_GT(want.size(), 5000u);
  for (const std::string& pg : {fresh, empty}) {
    SCOPED_TRACE(pg);
    const std::vector<std::string> got = StoreContent(pg, true);
    EXPECT_EQ(got.size(), want.size());
    EXPECT_TRUE(got == want) << FirstDifference(got, want);
    CliRun verify = Cli({"--db", pg, "verify"});
    EXPECT_EQ(verify.exit, 0) << verify.out << verify.err;
    // The foreign keys and indexes taken away for the load are back, as
    // a database made by init has them.
    EXPECT_EQ(Keys(pg), Keys(made_by_init));
    // A new history: not taken for a copy of the other.
    std::unique_ptr<Store> a = OpenStore(pg, StoreOpenOptions()).value();
    std::unique_ptr<Store> b = OpenStore(sqlite, StoreOpenOptions()).value();
    EXPECT_NE(a->CurrentMark()->chain, b->CurrentMark()->chain);
    EXPECT_EQ(a->NextSubafdelingId().value(), b->NextSubafdelingId().value());
  }

  // An engine loads the same graph from either.
  Result<std::unique_ptr<Engine>> e = Engine::Open(fresh);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ((*e)->revision(), from_file.revision);
  Result<std::unique_ptr<Engine>> f = Engine::Open(sqlite);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  Result<Stats> on_pg = (*e)->GetStats();
  Result<Stats> on_file = (*f)->GetStats();
  ASSERT_TRUE(on_pg.ok() && on_file.ok());
  EXPECT_EQ(on_pg->rights, on_file->rights);
  EXPECT_EQ(on_pg->graph_vertices, on_file->graph_vertices);
  EXPECT_EQ(on_pg->graph_edges, on_file->graph_edges);
  EXPECT_GT(on_pg->graph_edges, 1000u);
}

TEST_F(PgGenerateTest, RefusedDestinationsAreLeftAsTheyWere) {
  const std::string full = cluster_->NewDatabase();
  CliRun made = Cli({"generate", "--persons", "300", "--out", full});
  ASSERT_EQ(made.exit, 0) << made.out << made.err;
  const std::string before = State(full);

  // Holds a federation: not_empty, exit 2.
  CliRun again =
      Cli({"generate", "--persons", "300", "--seed", "2", "--out", full});
  EXPECT_EQ(again.exit, 2) << again.out << again.err;
  EXPECT_EQ(ErrorOf(again), code::kNotEmpty);
  EXPECT_NE(again.out.find("nothing was written"), std::string::npos)
      << again.out;
  // --force never replaces a server's database: usage, exit 2.
  CliRun force =
      Cli({"generate", "--persons", "300", "--force", "--out", full});
  EXPECT_EQ(force.exit, 2) << force.out << force.err;
  EXPECT_EQ(ErrorOf(force), code::kUsage);
  EXPECT_EQ(State(full), before);

  // Someone else's tables: not_a_database, exit 4, their tables untouched.
  const std::string other = cluster_->NewDatabase();
  PgConnection::Connect(other)->Run(
      "CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices "
      "VALUES (1)");
  CliRun foreign = Cli({"generate", "--persons", "300", "--out", other});
  EXPECT_EQ(foreign.exit, 4) << foreign.out << foreign.err;
  EXPECT_EQ(ErrorOf(foreign), code::kNotADatabase);
  EXPECT_EQ(PgConnection::Connect(other)
                ->Run("SELECT count(*) FROM pg_tables WHERE schemaname = "
                      "'public'")
                .i64(0, 0),
            1);

  // A server that does not answer: storage_error, exit 4.
  CliRun away = Cli({"generate", "--persons", "300", "--out",
                     "postgresql://postgres@127.0.0.1:1/toegang?connect_"
                     "timeout=2"});
  EXPECT_EQ(away.exit, 4) << away.out << away.err;
  EXPECT_EQ(ErrorOf(away), code::kStorageError);
  EXPECT_NE(away.out.find("cannot be reached"), std::string::npos) << away.out;
}

}  // namespace
}  // namespace toegang::testing
