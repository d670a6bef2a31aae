// A property test of the rules (SPEC 4.4, 4.6): for many seeded random
// mutations by random actors (the cast and persons nobody knows),
//   - Apply() commits exactly when May() says ok, and refuses with May()'s
//     code and kind otherwise;
//   - a commit is the next revision;
//   - a refusal changes no revision and no row, and adds exactly one audit
//     row: "refused", with the actor, the action and the code;
//   - invalid input changes nothing at all, the audit log included.
// TOEGANG_PROPERTY_ITERATIONS (default 1000) and TOEGANG_PROPERTY_SEED
// (default 7) set the run.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "support/db_content.h"
#include "support/random_mutations.h"
#include "support/test_federation.h"
#include "toegang/engine.h"

namespace toegang::testing {
namespace {

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v == nullptr || *v == '\0' ? fallback : std::strtoull(v, nullptr, 10);
}

// The content without the audit log, which a refusal adds to.
std::vector<std::string> ModelContent(const std::string& db) {
  std::vector<std::string> out;
  for (std::string& line : DbContent(db)) {
    // The audit log and its kept count (schema/0005_row_counts.sql).
    if (line.rfind("audit:", 0) == 0) continue;
    if (line.rfind("row_count: name=audit ", 0) == 0) continue;
    out.push_back(std::move(line));
  }
  return out;
}

AuditRecord LastAuditRow(const Engine& engine, size_t* rows) {
  AuditQuery q;
  q.limit = 100000000;
  Result<std::vector<AuditRecord>> all = engine.Audit(q);
  EXPECT_TRUE(all.ok()) << all.status().ToString();
  if (!all.ok() || all->empty()) return {};
  *rows = all->size();
  return all->back();
}

TEST(RulesPropertyTest, ApplyAgreesWithMayAndRefusalsChangeNothing) {
  const uint64_t iterations = EnvOr("TOEGANG_PROPERTY_ITERATIONS", 1000);
  const uint64_t seed = EnvOr("TOEGANG_PROPERTY_SEED", 7);
  std::mt19937_64 rng(seed);
  TestFederation fed;
  Engine& engine = fed.engine();
  std::vector<std::string> content = ModelContent(fed.db_path());
  size_t audit_rows = 0;
  (void)LastAuditRow(engine, &audit_rows);
  size_t committed = 0, refused = 0, invalid = 0;

  for (uint64_t i = 0; i < iterations; ++i) {
    const Mutation m = RandomMutation(rng, 15);
    SCOPED_TRACE(::testing::Message()
                 << "iteration " << i << " (seed " << seed
                 << "): " << ActionName(m.action) << " by " << m.actor
                 << " kbo=" << m.kbo << " hco=" << m.hco << " insz=" << m.insz);
    const uint64_t revision = engine.revision();
    const Status may = engine.May(m);
    Result<CommitInfo> applied = engine.Apply(m);
    ASSERT_EQ(applied.ok(), may.ok())
        << "May: " << may.ToString()
        << "; Apply: " << applied.status().ToString();
    if (applied.ok()) {
      ++committed;
      EXPECT_EQ(applied->revision, revision + 1);
      EXPECT_EQ(engine.revision(), revision + 1);
      content = ModelContent(fed.db_path());
      (void)LastAuditRow(engine, &audit_rows);
      continue;
    }
    EXPECT_EQ(applied.status().code(), may.code());
    EXPECT_EQ(applied.status().kind(), may.kind());
    ASSERT_NE(applied.status().kind(), Status::Kind::kStorage)
        << applied.status().ToString();
    EXPECT_EQ(engine.revision(), revision);
    ASSERT_EQ(ModelContent(fed.db_path()), content)
        << "a refused mutation changed the model";
    size_t rows = 0;
    const AuditRecord last = LastAuditRow(engine, &rows);
    if (applied.status().kind() == Status::Kind::kRefused) {
      ++refused;
      ASSERT_EQ(rows, audit_rows + 1) << "a refusal is audited once";
      EXPECT_EQ(last.outcome, "refused");
      EXPECT_EQ(last.revision, 0u);
      EXPECT_EQ(last.actor, m.actor);
      EXPECT_EQ(last.action, ActionName(m.action));
      EXPECT_EQ(last.code, applied.status().code());
    } else {
      ++invalid;
      EXPECT_EQ(rows, audit_rows) << "invalid input is not audited";
    }
    audit_rows = rows;
  }
  std::cout << "rules property test: " << iterations << " mutations (seed "
            << seed << "): " << committed << " committed, " << refused
            << " refused, " << invalid << " invalid\n";
  // The run exercised both sides of every claim.
  EXPECT_GT(committed, iterations / 20);
  EXPECT_GT(refused, iterations / 4);
  Result<std::vector<std::string>> problems = engine.Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_EQ(*problems, std::vector<std::string>{});
  fed.Reopen();
  EXPECT_EQ(ModelContent(fed.db_path()), content);
}

}  // namespace
}  // namespace toegang::testing
