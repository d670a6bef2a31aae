// Tests of the Store's seams that a second store must keep (store.h,
// load_sink.h, bulk_writer.h): what a load hands its sink and in which
// order, the change log read since a revision, and the bulk writer's
// transaction.

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/graph_load_sink.h"
#include "graph/delegation_graph.h"
#include "model/catalogue.h"
#include "model/change_set.h"
#include "model/text_forms.h"
#include "store/bulk_writer.h"
#include "store/load_sink.h"
#include "store/open_store.h"
#include "store/pg_connection.h"
#include "support/pg_cluster.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/mutation.h"

namespace toegang::testing {
namespace {

// One call a load made, with everything it carried.
struct Call {
  // The contract's step (load_sink.h): 1 Reserve ... 8 ApplyStaged.
  int step = 0;
  std::vector<size_t> counts;  // Reserve
  uint64_t kbo = 0, insz = 0;
  std::string name, juridical_form, start_date, hco, type_code;
  bool active = false;
  FunctionRole role = FunctionRole::kEmployee;
  std::vector<std::pair<uint64_t, uint64_t>> ended;
  Op op;
  Provenance prov;
};

// Records every call, then passes it on to `next` (when given).
class RecordingSink : public LoadSink {
 public:
  RecordingSink(const Catalogue* catalogue, LoadSink* next)
      : catalogue_(*catalogue), next_(next) {}

  const Catalogue& catalogue() const override { return catalogue_; }
  void Reserve(size_t persons, size_t enterprises, size_t facilities,
               size_t subafdelingen) override {
    Call c;
    c.step = 1;
    c.counts = {persons, enterprises, facilities, subafdelingen};
    calls.push_back(c);
    if (next_) next_->Reserve(persons, enterprises, facilities, subafdelingen);
  }
  void Enterprise(uint64_t kbo, std::string_view name, bool active,
                  std::string_view juridical_form,
                  std::string_view start_date) override {
    Call c;
    c.step = 2;
    c.kbo = kbo;
    c.name = name;
    c.active = active;
    c.juridical_form = juridical_form;
    c.start_date = start_date;
    calls.push_back(c);
    if (next_) next_->Enterprise(kbo, name, active, juridical_form, start_date);
  }
  void Person(uint64_t insz, std::string_view name) override {
    Call c;
    c.step = 3;
    c.insz = insz;
    c.name = name;
    calls.push_back(c);
    if (next_) next_->Person(insz, name);
  }
  void Function(uint64_t kbo, uint64_t insz, FunctionRole role) override {
    Call c;
    c.step = 4;
    c.kbo = kbo;
    c.insz = insz;
    c.role = role;
    calls.push_back(c);
    if (next_) next_->Function(kbo, insz, role);
  }
  void EndedLegalRepresentatives(
      std::vector<std::pair<uint64_t, uint64_t>> ended) override {
    Call c;
    c.step = 5;
    c.ended = ended;
    calls.push_back(c);
    if (next_) next_->EndedLegalRepresentatives(std::move(ended));
  }
  void Facility(const std::string& hco, const std::string& name,
                const std::string& type_code, uint64_t kbo,
                bool active) override {
    Call c;
    c.step = 6;
    c.hco = hco;
    c.name = name;
    c.type_code = type_code;
    c.kbo = kbo;
    c.active = active;
    calls.push_back(c);
    if (next_) next_->Facility(hco, name, type_code, kbo, active);
  }
  void Apply(const Op& op, const Provenance& prov) override {
    Call c;
    c.step = 7;
    c.op = op;
    c.prov = prov;
    calls.push_back(c);
    if (next_) next_->Apply(op, prov);
  }
  void ApplyStaged(const Op& op, const Provenance& prov) override {
    Call c;
    c.step = 8;
    c.op = op;
    c.prov = prov;
    calls.push_back(c);
    if (next_) next_->ApplyStaged(op, prov);
  }

  // Plays the recorded calls into sink, in their order.
  void Replay(LoadSink* sink) const {
    for (const Call& c : calls) {
      switch (c.step) {
        case 1:
          sink->Reserve(c.counts[0], c.counts[1], c.counts[2], c.counts[3]);
          break;
        case 2:
          sink->Enterprise(c.kbo, c.name, c.active, c.juridical_form,
                           c.start_date);
          break;
        case 3:
          sink->Person(c.insz, c.name);
          break;
        case 4:
          sink->Function(c.kbo, c.insz, c.role);
          break;
        case 5:
          sink->EndedLegalRepresentatives(c.ended);
          break;
        case 6:
          sink->Facility(c.hco, c.name, c.type_code, c.kbo, c.active);
          break;
        case 7:
          sink->Apply(c.op, c.prov);
          break;
        default:
          sink->ApplyStaged(c.op, c.prov);
          break;
      }
    }
  }

  std::vector<Call> calls;

 private:
  const Catalogue& catalogue_;
  LoadSink* next_;
};

// The rank of an op kind among the delegation steps (load_sink.h, steps 7
// and 8), or -1 for a kind no load hands over.
int OpRank(Action kind) {
  static constexpr Action kOrder[] = {
      Action::kAppointHtb, Action::kActivateCapacity,
      Action::kSetTb,      Action::kCreateSubafdeling,
      Action::kAuthorize,  Action::kAddManager,
      Action::kAddUser,    Action::kGrantRight};
  for (size_t i = 0; i < std::size(kOrder); ++i) {
    if (kOrder[i] == kind) return static_cast<int>(i);
  }
  // set_tb and add_co_tb are one step: the domain managers.
  return kind == Action::kAddCoTb ? 2 : -1;
}

std::unique_ptr<Store> MustOpen(const std::string& path) {
  Result<std::unique_ptr<Store>> store = OpenStore(path, StoreOpenOptions{});
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

Catalogue MustCatalogue(Store& store) {
  Catalogue catalogue;
  Status s = store.LoadCatalogue(&catalogue);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return catalogue;
}

// A graph loaded from store through GraphLoadSink, compacted.
std::unique_ptr<DelegationGraph> LoadGraph(Store& store,
                                           const Catalogue* catalogue,
                                           uint64_t* revision) {
  auto graph = std::make_unique<DelegationGraph>(catalogue);
  GraphLoadSink sink(graph.get());
  Result<uint64_t> rev = store.Load(&sink);
  EXPECT_TRUE(rev.ok()) << rev.status().ToString();
  if (revision != nullptr) *revision = rev.ok() ? *rev : 0;
  graph->Compact();
  return graph;
}

// A federation with every kind of row: two enterprises' chains, so HTBs,
// capacities, TBs, subafdelingen with authorizations and a manager, users
// and rights.
// Run against each store (support/pg_cluster.h).
class LoadSinkTest : public PerStoreTest {
 protected:
  void SetUp() override {
    PerStoreTest::SetUp();
    if (fed_ == nullptr) return;  // skipped
    fed_->BuildOcmwChain();
    fed_->BuildWzcChain();
    fed_->MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
    stats_ = fed_->engine().GetStats().value();
    fed_->Close();
  }

  Stats stats_;
};

INSTANTIATE_TEST_SUITE_P(Stores, LoadSinkTest, kBothStores, StoreKindName);

// The change log's tests, against each store, on a fresh federation.
class ChangesSinceTest : public PerStoreTest {
 protected:
  // Deletes the audit rows of one revision behind the store's back.
  void DeleteAuditRevision(uint64_t revision) {
    if (GetParam() == StoreKind::kSqlite) {
      SQLite::Database db(db_, SQLite::OPEN_READWRITE, 5000);
      SQLite::Statement q(db, "DELETE FROM audit WHERE revision = ?");
      q.bind(1, static_cast<int64_t>(revision));
      ASSERT_GT(q.exec(), 0);
    } else {
      std::unique_ptr<PgConnection> db = PgConnection::Connect(db_);
      ASSERT_GT(db->Exec("DELETE FROM audit WHERE revision = $1", {revision})
                    .changed(),
                0);
    }
  }
};

INSTANTIATE_TEST_SUITE_P(Stores, ChangesSinceTest, kBothStores, StoreKindName);

TEST_P(LoadSinkTest, SinkGetsEveryRowOnceInTheContractsOrder) {
  std::unique_ptr<Store> store = MustOpen(fed_->db_path());
  ASSERT_NE(store, nullptr);
  const Catalogue catalogue = MustCatalogue(*store);
  RecordingSink recorder(&catalogue, nullptr);
  Result<uint64_t> rev = store->Load(&recorder);
  ASSERT_TRUE(rev.ok()) << rev.status().ToString();
  EXPECT_EQ(*rev, stats_.revision);
  const std::vector<Call>& calls = recorder.calls;
  ASSERT_FALSE(calls.empty());

  // Steps never go back; Reserve and EndedLegalRepresentatives come once.
  EXPECT_EQ(calls.front().step, 1);
  int step = 0, rank = -1;
  size_t counted[9] = {};
  for (const Call& c : calls) {
    EXPECT_GE(c.step, step) << "step " << c.step << " after " << step;
    step = c.step;
    ++counted[c.step];
    if (c.step >= 7) {
      // Within the delegation state, kinds in the contract's order, and the
      // staged ones only users and rights.
      const int r = OpRank(c.op.kind);
      ASSERT_GE(r, 0) << ActionName(c.op.kind);
      EXPECT_GE(r, rank) << ActionName(c.op.kind);
      rank = r;
      EXPECT_EQ(c.step == 8, c.op.kind == Action::kAddUser ||
                                 c.op.kind == Action::kGrantRight)
          << ActionName(c.op.kind);
      // Every op carries the provenance of a committed revision.
      EXPECT_GT(c.prov.revision, 0u);
      EXPECT_LE(c.prov.revision, *rev);
      EXPECT_NE(c.prov.by, 0u);
      EXPECT_GT(c.prov.at, 0);
    }
  }
  EXPECT_EQ(counted[1], 1u);
  EXPECT_EQ(counted[5], 1u);

  // Once per row of the store (Stats counts the same tables), and Reserve
  // says how many registry rows follow.
  EXPECT_EQ(counted[2], stats_.enterprises);
  EXPECT_EQ(counted[3], stats_.persons);
  EXPECT_EQ(counted[6], stats_.facilities);
  EXPECT_EQ(calls.front().counts,
            (std::vector<size_t>{stats_.persons, stats_.enterprises,
                                 stats_.facilities, stats_.subafdelingen}));
  size_t htbs = 0, managers = 0, subafdelingen = 0, users = 0, rights = 0;
  for (const Call& c : calls) {
    if (c.step < 7) continue;
    htbs += c.op.kind == Action::kAppointHtb ? 1 : 0;
    managers +=
        c.op.kind == Action::kSetTb || c.op.kind == Action::kAddCoTb ? 1 : 0;
    subafdelingen += c.op.kind == Action::kCreateSubafdeling ? 1 : 0;
    users += c.op.kind == Action::kAddUser ? 1 : 0;
    rights += c.op.kind == Action::kGrantRight ? 1 : 0;
  }
  EXPECT_EQ(htbs, stats_.htbs);
  EXPECT_EQ(managers, stats_.domain_managers);
  EXPECT_EQ(subafdelingen, stats_.subafdelingen);
  EXPECT_EQ(users, stats_.users);
  EXPECT_EQ(rights, stats_.rights);
  ASSERT_GT(users, 0u);

  // Users and rights name their subafdeling's enterprise (load_sink.h).
  for (const Call& c : calls) {
    if (c.step == 8) {
      EXPECT_NE(c.op.kbo, 0u) << ActionName(c.op.kind);
    }
  }
}

// What the graph is built from is exactly what the sink received: the
// recording, played into a fresh graph, gives the graph a load gives; and
// a second load of the same revision hands over the same calls.
TEST_P(LoadSinkTest, GraphSeesWhatTheSinkReceivedInTheSameOrder) {
  std::unique_ptr<Store> store = MustOpen(fed_->db_path());
  ASSERT_NE(store, nullptr);
  const Catalogue catalogue = MustCatalogue(*store);

  DelegationGraph through(&catalogue);
  GraphLoadSink graph_sink(&through);
  RecordingSink recorder(&catalogue, &graph_sink);
  ASSERT_TRUE(store->Load(&recorder).ok());
  through.Compact();

  DelegationGraph replayed(&catalogue);
  GraphLoadSink replay_sink(&replayed);
  recorder.Replay(&replay_sink);
  replayed.Compact();

  uint64_t revision = 0;
  std::unique_ptr<DelegationGraph> direct =
      LoadGraph(*store, &catalogue, &revision);
  EXPECT_EQ(revision, stats_.revision);
  const std::vector<std::string> expected = direct->Dump();
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(through.Dump(), expected);
  EXPECT_EQ(replayed.Dump(), expected);
  EXPECT_EQ(replayed.CheckInvariants(), std::vector<std::string>{});

  RecordingSink again(&catalogue, nullptr);
  ASSERT_TRUE(store->Load(&again).ok());
  ASSERT_EQ(again.calls.size(), recorder.calls.size());
  DelegationGraph replayed_again(&catalogue);
  GraphLoadSink again_sink(&replayed_again);
  again.Replay(&again_sink);
  replayed_again.Compact();
  EXPECT_EQ(replayed_again.Dump(), expected);
}

// One call as text, to compare a part's calls with a full load's
// (Reserve left out: a part reserves for itself).
std::string CallKey(const Call& c) {
  if (c.step >= 7) {
    return fmt::format("{} {} {} {} {} {} {} {} {}", c.step,
                       ActionName(c.op.kind), c.op.kbo, c.op.capacity,
                       c.op.subdivision, c.op.subafdeling, c.op.hco, c.op.insz,
                       c.op.app);
  }
  return fmt::format("{} {} {} {} {} {}", c.step, c.kbo, c.insz, c.hco, c.name,
                     c.ended.size());
}

std::vector<std::string> CallKeys(const RecordingSink& sink) {
  std::vector<std::string> keys;
  for (const Call& c : sink.calls) {
    if (c.step != 1) keys.push_back(CallKey(c));
  }
  return keys;
}

uint64_t Digits(const char* text) { return std::stoull(text); }

// LoadPart hands over a part of what Load does (store.h): for an
// enterprise named, all its rows and nothing of the other enterprise;
// for a right holder, their users and rights, their subafdeling's
// enterprise's row, HTB and capacities, and not its domain managers.
// Against each store: PostgreSQL's part is not its whole federation.
TEST_P(LoadSinkTest, LoadPartHandsOverThePartTheScopeReaches) {
  std::unique_ptr<Store> store = MustOpen(fed_->db_path());
  ASSERT_NE(store, nullptr);
  const Catalogue catalogue = MustCatalogue(*store);
  RecordingSink whole(&catalogue, nullptr);
  ASSERT_TRUE(store->Load(&whole).ok());
  const std::vector<std::string> all = CallKeys(whole);
  auto in_whole = [&](const std::string& key) {
    return std::find(all.begin(), all.end(), key) != all.end();
  };

  {
    SCOPED_TRACE("enterprise kWzc");
    LoadScope scope;
    scope.enterprises = {Digits(kWzc)};
    RecordingSink part(&catalogue, nullptr);
    Result<uint64_t> rev = store->LoadPart(scope, &part);
    ASSERT_TRUE(rev.ok()) << rev.status().ToString();
    EXPECT_EQ(*rev, stats_.revision);
    const std::vector<std::string> keys = CallKeys(part);
    for (const std::string& k : keys) EXPECT_TRUE(in_whole(k)) << k;
    size_t wzc_ops = 0;
    for (const Call& c : whole.calls) {
      if (c.step < 7 || c.op.kbo != Digits(kWzc)) continue;
      ++wzc_ops;
      EXPECT_NE(std::find(keys.begin(), keys.end(), CallKey(c)), keys.end())
          << CallKey(c);
    }
    EXPECT_GT(wzc_ops, 5u);
    for (const Call& c : part.calls) {
      EXPECT_NE(c.step == 2   ? c.kbo
                : c.step >= 7 ? c.op.kbo
                              : 0,
                Digits(kOcmw))
          << CallKey(c);
    }
  }
  {
    SCOPED_TRACE("right holder kUser1");
    LoadScope scope;
    scope.right_holders = {Digits(kUser1)};
    RecordingSink part(&catalogue, nullptr);
    ASSERT_TRUE(store->LoadPart(scope, &part).ok());
    const std::vector<std::string> keys = CallKeys(part);
    for (const std::string& k : keys) EXPECT_TRUE(in_whole(k)) << k;
    std::vector<Action> kinds;
    for (const Call& c : part.calls) {
      if (c.step < 7) continue;
      EXPECT_EQ(c.op.kbo, Digits(kOcmw)) << CallKey(c);
      kinds.push_back(c.op.kind);
      if (c.step == 8) {
        EXPECT_EQ(c.op.insz, Digits(kUser1)) << CallKey(c);
      }
    }
    EXPECT_EQ(kinds, (std::vector<Action>{
                         Action::kAppointHtb, Action::kActivateCapacity,
                         Action::kCreateSubafdeling, Action::kAuthorize,
                         Action::kAddUser, Action::kGrantRight}));
  }
}

// ChangesSince gives the committed change sets after a revision, one per
// revision in order; replayed on a graph loaded at that revision they give
// the graph loaded now.
TEST_P(ChangesSinceTest, ReplayedOnTheOldGraphGivesTheNewOne) {
  TestFederation& fed = *fed_;
  fed.BuildOcmwChain();
  const uint64_t from = fed.engine().revision();
  std::unique_ptr<Store> store = MustOpen(fed.db_path());
  ASSERT_NE(store, nullptr);
  const Catalogue catalogue = MustCatalogue(*store);
  uint64_t loaded_at = 0;
  std::unique_ptr<DelegationGraph> graph =
      LoadGraph(*store, &catalogue, &loaded_at);
  ASSERT_EQ(loaded_at, from);

  Result<std::optional<std::vector<ChangeSet>>> none =
      store->ChangesSince(from);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  ASSERT_TRUE(none->has_value());
  EXPECT_TRUE((*none)->empty());

  // Three revisions by another connection (the engine's), one of them a
  // mutation of several ops (a user with two rights).
  fed.BuildWzcChain();
  const CommitInfo last =
      fed.MustApply(M(Action::kAddCoTb, kEmpOcmw).Kbo(kOcmw).Insz(kUser2));
  ASSERT_GT(last.revision, from + 2);

  Result<std::optional<std::vector<ChangeSet>>> changes =
      store->ChangesSince(from);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  ASSERT_TRUE(changes->has_value());
  const std::vector<ChangeSet>& sets = **changes;
  ASSERT_EQ(sets.size(), last.revision - from);
  size_t ops = 0;
  for (size_t i = 0; i < sets.size(); ++i) {
    EXPECT_EQ(sets[i].revision, from + 1 + i);
    EXPECT_FALSE(sets[i].ops.empty());
    EXPECT_NE(sets[i].actor, 0u);
    EXPECT_GT(sets[i].at, 0);
    ops += sets[i].ops.size();
  }
  EXPECT_GT(ops, sets.size());  // some revision had more than one op
  EXPECT_EQ(sets.back().actor, FromDigits(kEmpOcmw).value_or(0));
  EXPECT_EQ(sets.back().ops.back().kind, Action::kAddCoTb);

  for (const ChangeSet& c : sets) EXPECT_TRUE(graph->ApplyAll(c));
  uint64_t now = 0;
  std::unique_ptr<DelegationGraph> fresh = LoadGraph(*store, &catalogue, &now);
  EXPECT_EQ(now, last.revision);
  EXPECT_EQ(graph->Dump(), fresh->Dump());

  // From a later revision: only what follows it.
  Result<std::optional<std::vector<ChangeSet>>> tail =
      store->ChangesSince(last.revision - 1);
  ASSERT_TRUE(tail.ok() && tail->has_value());
  ASSERT_EQ((*tail)->size(), 1u);
  EXPECT_EQ((*tail)->front().revision, last.revision);
}

// A log that cannot be replayed is nullopt, so that the caller loads from
// the tables: a gap between revisions, and an import's rows.
TEST_P(ChangesSinceTest, GapOrImportIsNotReplayable) {
  TestFederation& fed = *fed_;
  fed.BuildOcmwChain();
  const uint64_t from = fed.engine().revision();
  fed.BuildWzcChain();
  fed.Close();
  DeleteAuditRevision(from + 2);
  std::unique_ptr<Store> store = MustOpen(fed.db_path());
  ASSERT_NE(store, nullptr);
  Result<std::optional<std::vector<ChangeSet>>> gap = store->ChangesSince(from);
  ASSERT_TRUE(gap.ok()) << gap.status().ToString();
  EXPECT_FALSE(gap->has_value());
  // Before the gap it still reads.
  Result<std::optional<std::vector<ChangeSet>>> before =
      store->ChangesSince(from + 2);
  ASSERT_TRUE(before.ok() && before->has_value());
  EXPECT_FALSE((*before)->empty());

  // The federation's first revisions are its imports.
  Result<std::optional<std::vector<ChangeSet>>> imports =
      store->ChangesSince(0);
  ASSERT_TRUE(imports.ok()) << imports.status().ToString();
  EXPECT_FALSE(imports->has_value());
}

// The bulk writer of each store: rows become visible at Finish, with the
// revision asked for; a writer dropped before, or one that failed, leaves
// the database empty; and it only ever fills a new database (SQLite: a
// file that does not exist; PostgreSQL: a database that does not exist
// yet or an empty one, created by the writer).
class BulkWriterTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  // A database of the parameter's kind that does not exist yet, and the
  // words a message about it names it by; "" when PostgreSQL cannot run.
  std::string NewName(const std::string& name, std::string* named) {
    if (GetParam() == StoreKind::kSqlite) {
      *named = dir_.File(name + ".db");
      return *named;
    }
    static int made = 0;
    PgCluster* cluster = PgCluster::Get(&why_);
    if (cluster == nullptr) return "";
    *named = "toegang_bulk_" + name + "_" + std::to_string(++made);
    return cluster->Uri(*named);
  }

  TempDir dir_;
  std::string why_;
};
INSTANTIATE_TEST_SUITE_P(Stores, BulkWriterTest, kBothStores, StoreKindName);

TEST_P(BulkWriterTest, FinishCommitsAndEverythingElseLeavesItEmpty) {
  std::string named;
  const std::string dropped = NewName("dropped", &named);
  TOEGANG_SKIP_WITHOUT_STORE(dropped, why_);
  constexpr uint64_t kKbo = 207501186;
  constexpr uint64_t kInsz = 85073003328;
  auto fill = [&](BulkWriter& w) {
    w.Enterprise(kKbo, "OCMW Test", true, "416", "1977-01-01");
    w.Person(kInsz, "Test Persoon");
    w.Function(kKbo, kInsz, FunctionRole::kLegalRepresentative);
    w.Htb(kKbo, kInsz, "htb@test.be", "+32 2 000 00 00",
          Provenance{kInsz, 2, 1'700'000'000});
    w.Audit(2, 1'700'000'000, "generate.delegation", kKbo, "{}", "test");
  };
  auto revision_and_rows = [](const std::string& path) {
    std::unique_ptr<Store> store = MustOpen(path);
    if (store == nullptr) return std::string();
    Result<uint64_t> rev = store->CurrentRevision();
    Result<StoreCounts> c = store->Counts();
    EXPECT_TRUE(rev.ok() && c.ok());
    return std::to_string(rev.ok() ? *rev : 99) + " " +
           std::to_string(c.ok() ? c->enterprises + c->persons + c->htbs +
                                       c->audit_rows
                                 : 99);
  };

  {
    Result<std::unique_ptr<BulkWriter>> w =
        CreateInBulk(dropped, BulkWriteOptions{});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    fill(**w);
    EXPECT_TRUE((*w)->status().ok());
  }
  EXPECT_EQ(revision_and_rows(dropped), "0 0");

  const std::string failed = NewName("failed", &named);
  {
    Result<std::unique_ptr<BulkWriter>> w =
        CreateInBulk(failed, BulkWriteOptions{});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    fill(**w);
    (*w)->Person(kInsz, "Twice");  // the same key again
    Status s = (*w)->Finish(2);
    EXPECT_EQ(s.code(), code::kStorageError) << s.ToString();
    EXPECT_NE(s.message().find(named), std::string::npos) << s.message();
    EXPECT_EQ((*w)->status().code(), code::kStorageError);
  }
  EXPECT_EQ(revision_and_rows(failed), "0 0");

  const std::string done = NewName("done", &named);
  {
    Result<std::unique_ptr<BulkWriter>> w =
        CreateInBulk(done, BulkWriteOptions{});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    fill(**w);
    Status s = (*w)->Finish(2);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  EXPECT_EQ(revision_and_rows(done), "2 4");
  {
    std::unique_ptr<Store> store = MustOpen(done);
    ASSERT_NE(store, nullptr);
    const Catalogue catalogue = MustCatalogue(*store);
    RecordingSink recorder(&catalogue, nullptr);
    ASSERT_TRUE(store->Load(&recorder).ok());
    std::vector<int> steps;
    for (const Call& c : recorder.calls) steps.push_back(c.step);
    EXPECT_EQ(steps, (std::vector<int>{1, 2, 3, 4, 5, 7}));
    const Call& htb = recorder.calls.back();
    EXPECT_EQ(htb.op.kind, Action::kAppointHtb);
    EXPECT_EQ(htb.op.kbo, kKbo);
    EXPECT_EQ(htb.op.insz, kInsz);
    EXPECT_EQ(htb.op.email, "htb@test.be");
    EXPECT_EQ(htb.prov, (Provenance{kInsz, 2, 1'700'000'000}));
    EXPECT_EQ(recorder.calls[3].role, FunctionRole::kLegalRepresentative);
  }

  Result<std::unique_ptr<BulkWriter>> again =
      CreateInBulk(done, BulkWriteOptions{});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), GetParam() == StoreKind::kSqlite
                                       ? code::kFileExists
                                       : code::kNotEmpty)
      << again.status().ToString();
  EXPECT_EQ(revision_and_rows(done), "2 4");
}

}  // namespace
}  // namespace toegang::testing
