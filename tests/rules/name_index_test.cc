// The name search's index (rules/name_index.h): on random names it answers
// exactly as the scan FindNames does (hits, order, cursors, errors), page
// by page; through the engine it folds case and keeps accents as the scan
// did, finds a person renamed by an import under the new name only, and
// stays right after mutations.
#include "rules/name_index.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "rules/cards.h"
#include "support/eventually.h"
#include "support/small_catalogue.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"

namespace toegang::testing {
namespace {

// Valid INSZ and KBO numbers from a counter.
std::string InszNumber(int seq) {
  const uint64_t base = 850101ull * 1000 + static_cast<uint64_t>(seq);
  return fmt::format("{:09}{:02}", base, 97 - base % 97);
}

std::vector<std::string> Names(const Page<NameHit>& page) {
  std::vector<std::string> out;
  for (const NameHit& h : page.items) {
    out.push_back(h.kind + " " + h.id + " " + h.name);
  }
  return out;
}

// Every page of both searches, compared.
void ExpectSameAnswers(const DelegationGraph& graph, const NameIndex& index,
                       const std::string& prefix, size_t limit) {
  std::string cursor;
  for (int pages = 0; pages < 1000; ++pages) {
    const PageRequest page{limit, cursor};
    Result<Page<NameHit>> scan = FindNames(graph, prefix, page, 7);
    Result<Page<NameHit>> fast = index.Find(graph, prefix, page, 7);
    ASSERT_EQ(scan.ok(), fast.ok()) << prefix;
    if (!scan.ok()) {
      EXPECT_EQ(scan.status().code(), fast.status().code()) << prefix;
      return;
    }
    EXPECT_EQ(Names(*scan), Names(*fast)) << prefix << " after " << cursor;
    EXPECT_EQ(scan->next_cursor, fast->next_cursor) << prefix;
    EXPECT_EQ(fast->revision, 7u);
    if (fast->next_cursor.empty() || fast->next_cursor != scan->next_cursor) {
      return;
    }
    cursor = fast->next_cursor;
  }
  ADD_FAILURE() << "no last page for " << prefix;
}

TEST(NameIndexTest, AnswersAsTheScanOnRandomNames) {
  const Catalogue catalogue = SmallCatalogue();
  DelegationGraph graph(&catalogue);
  // Few letters, so that names share prefixes and whole names repeat;
  // both cases and an accented letter in both cases (UTF-8).
  const std::vector<std::string> letters = {"a",        "A",        "b", "B",
                                            "\xC3\xA9", "\xC3\x89", " ", "z"};
  std::mt19937 rng(20261207);
  auto random_name = [&](size_t max_letters) {
    std::string name;
    const size_t n = rng() % (max_letters + 1);
    for (size_t i = 0; i < n; ++i) name += letters[rng() % letters.size()];
    return name;
  };
  for (int i = 1; i <= 400; ++i) {
    graph.UpsertPerson(std::stoull(InszNumber(i)), random_name(5));
  }
  for (int i = 1; i <= 150; ++i) {
    // Any 10-digit number will do as a KBO here (the graph checks none).
    graph.UpsertEnterprise(4000000000ull + static_cast<uint64_t>(i) * 7,
                           random_name(5), true, "", "");
  }
  // A name set twice: the second is the one searched.
  graph.UpsertPerson(std::stoull(InszNumber(1)), "Ab renamed");
  std::shared_ptr<const NameIndex> index = NameIndex::Build(graph);
  ASSERT_GT(index->size(), 400u);

  std::vector<std::string> prefixes = {
      "x",        "",         "ab", "AB", "Ab renamed",
      "\xC3\xA9", "\xC3\x89", "zz", "a ", "bbbbbbbbbbbbbbbbbbbbbbbb"};
  for (int i = 0; i < 200; ++i) prefixes.push_back(random_name(3));
  for (const std::string& prefix : prefixes) {
    for (size_t limit : {1u, 3u, 20u}) {
      ExpectSameAnswers(graph, *index, prefix, limit);
    }
  }
  // A cursor that names nobody, or is no cursor at all.
  for (const std::string& cursor :
       {std::string("p") + InszNumber(999), std::string("x12"),
        std::string("e"), std::string("p123456789012")}) {
    Result<Page<NameHit>> fast =
        index->Find(graph, "ab", PageRequest{5, cursor}, 1);
    ASSERT_FALSE(fast.ok()) << cursor;
    EXPECT_EQ(fast.status().code(), code::kUsage);
  }
}

std::vector<std::string> Found(Engine& engine, const std::string& prefix) {
  Result<Page<NameHit>> hits = engine.FindByName(prefix, PageRequest{50, ""});
  EXPECT_TRUE(hits.ok()) << prefix << ": " << hits.status().ToString();
  return hits.ok() ? Names(*hits) : std::vector<std::string>{};
}

TEST(NameIndexTest, TheEngineFoldsCaseKeepsAccentsAndFollowsImports) {
  TestFederation fed;
  Engine& engine = fed.engine();
  ImportReport report;
  ASSERT_TRUE(
      engine
          .ImportPersons(
              fed.dir().Write("accents.csv",
                              "insz,name\n" + InszNumber(11) +
                                  ",\xC3\x89mile Accent\n" + InszNumber(12) +
                                  ",\xC3\xA9mile Klein\n" + InszNumber(13) +
                                  ",Emile Plain\n"),
              {}, &report)
          .ok());
  const std::vector<std::string> hilde = {"person 85073003328 Hilde Bosmans"};
  EXPECT_EQ(Found(engine, "hilde"), hilde);
  EXPECT_EQ(Found(engine, "HILDE bos"), hilde);
  EXPECT_EQ(Found(engine, "hIlDe"), hilde);
  // An accented letter is itself: neither its other case nor plain.
  EXPECT_EQ(Found(engine, "\xC3\x89m"),
            std::vector<std::string>{"person " + InszNumber(11) +
                                     " \xC3\x89mile Accent"});
  EXPECT_EQ(Found(engine, "\xC3\xA9M"),
            std::vector<std::string>{"person " + InszNumber(12) +
                                     " \xC3\xA9mile Klein"});
  EXPECT_EQ(
      Found(engine, "em"),
      std::vector<std::string>{"person " + InszNumber(13) + " Emile Plain"});
  // Persons and enterprises in one order: by name, then enterprise first.
  EXPECT_EQ(Found(engine, "ocmw"),
            std::vector<std::string>{"enterprise 0403019261 OCMW Gent"});

  // Mutations add persons without a name and rename nobody: the answers
  // stay, at the new revision.
  fed.BuildOcmwChain();
  EXPECT_EQ(Found(engine, "hilde"), hilde);
  Result<Page<NameHit>> after = engine.FindByName("hilde", PageRequest{5, ""});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->revision, engine.revision());

  // An import renames: the new name is found, the old one no more.
  ASSERT_TRUE(engine
                  .ImportPersons(
                      fed.dir().Write("renamed.csv",
                                      "insz,name\n85073003328,Zita Bosmans\n"),
                      {}, &report)
                  .ok());
  EXPECT_TRUE(Found(engine, "hilde").empty());
  EXPECT_EQ(Found(engine, "zita"),
            std::vector<std::string>{"person 85073003328 Zita Bosmans"});
  // So does reopening, which loads the federation again.
  fed.Reopen();
  EXPECT_EQ(Found(fed.engine(), "zita b"),
            std::vector<std::string>{"person 85073003328 Zita Bosmans"});
  EXPECT_TRUE(Found(fed.engine(), "hilde").empty());
}

// The index is built once and shared by the model's copies: after the
// writer folds its overlays into new bases (a compaction copies the model)
// and the two instances change places, the same index answers, and right.
TEST(NameIndexTest, AnIndexBuiltBeforeACompactionAnswersAfterIt) {
  TestFederation fed;
  const std::string db = fed.db_path();
  fed.Close();
  OpenOptions o;
  o.compact_after_changes = 1;  // after every commit
  Result<std::unique_ptr<Engine>> opened = Engine::Open(db, o);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Engine& engine = **opened;
  ASSERT_TRUE(engine.Refresh().ok());
  const std::vector<std::string> hilde = {"person 85073003328 Hilde Bosmans"};
  EXPECT_EQ(Found(engine, "hilde"), hilde);  // built here
  for (const Mutation& m : std::vector<Mutation>{
           M(Action::kAppointHtb, kWvOcmw).Kbo(kOcmw).Insz(kEmpOcmw),
           M(Action::kActivateCapacity, kEmpOcmw).Kbo(kOcmw),
           M(Action::kCreateSubafdeling, kEmpOcmw)
               .Kbo(kOcmw)
               .Hco(kHcoOcmw)
               .Email("toegang@ocmw.gent")
               .App("ama-wvg"),
           M(Action::kAddUser, kEmpOcmw)
               .Hco(kHcoOcmw)
               .Insz(InszNumber(40))  // a person without a name
               .App("ama-wvg")}) {
    ASSERT_TRUE(engine.Apply(m).ok()) << ActionName(m.action);
    EXPECT_EQ(Found(engine, "hilde"), hilde) << ActionName(m.action);
    EXPECT_EQ(Found(engine, "wendy v"),
              std::vector<std::string>{"person 93051822361 Wendy Verhoeven"});
  }
  Result<Stats> stats = engine.GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_GT(stats->compactions, 0u) << "the test compacted nothing";
}

// OpenOptions::index_names (what `serve --admin-listen` sets): the index
// is built with each load, not by the first search. Without it, no load
// builds one.
TEST(NameIndexTest, IndexNamesBuildsTheIndexWithEveryLoad) {
  TestFederation fed;
  const std::string db = fed.db_path();
  fed.Close();
  const auto entries = [](const Engine& engine) {
    Result<Stats> s = engine.GetStats();
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? s->name_index_entries : size_t{0};
  };
  {
    Result<std::unique_ptr<Engine>> plain = Engine::Open(db, OpenOptions{});
    ASSERT_TRUE(plain.ok()) << plain.status().ToString();
    ASSERT_TRUE((*plain)->Refresh().ok());
    EXPECT_EQ(entries(**plain), 0u);
    EXPECT_FALSE(Found(**plain, "hilde").empty());  // built by the search
    EXPECT_GT(entries(**plain), 0u);
  }
  OpenOptions o;
  o.index_names = true;
  Result<std::unique_ptr<Engine>> opened = Engine::Open(db, o);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Engine& engine = **opened;
  // At opening, in the background after the load.
  EXPECT_TRUE(Eventually([&] { return entries(engine) > 0; }));
  const size_t names = entries(engine);
  // A reload (an import renames) puts the new model in place with its
  // index already built.
  ImportReport report;
  ASSERT_TRUE(
      engine
          .ImportPersons(
              fed.dir().Write("more.csv", "insz,name\n" + InszNumber(21) +
                                              ",Nieuwe Naam\n"),
              {}, &report)
          .ok());
  EXPECT_EQ(entries(engine), names + 1);
  EXPECT_EQ(
      Found(engine, "nieuwe"),
      std::vector<std::string>{"person " + InszNumber(21) + " Nieuwe Naam"});
}

}  // namespace
}  // namespace toegang::testing
