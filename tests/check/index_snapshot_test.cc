// Start-up from an index snapshot (index_snapshot.h, OpenOptions::
// index_snapshot): the mapped file answers exactly as the live index it was
// written from; the engine uses it only for the database state it was
// taken from, refuses damaged, foreign or stale files, hands over to the
// loaded model without a wrong answer, and leaves a current file behind.
#include "check/index_snapshot.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "base/keyed_hash.h"
#include "check/check_index.h"
#include "federation_generator.h"
#include "store/migrations.h"
#include "support/cli_runner.h"
#include "support/eventually.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"

namespace toegang::testing {
namespace {

// --- the file against the live index ------------------------------------

struct LiveIndex {
  CheckIndex index;
  std::vector<std::string> hco_text;
  std::vector<std::string_view> hcos;
};

// A random index: persons with zero to six grants (so some spill), rights
// added and removed, subafdelingen that can grant some apps or none. With
// compact_at >= 0 the index is compacted after that many of the 20000
// changes (a shared base, then changes of its own, as in a running engine).
void Fill(LiveIndex* live, uint32_t seed, int compact_at = -1) {
  std::mt19937 rng(seed);
  constexpr uint32_t kFacilities = 40, kSubs = 90, kPersons = 3000;
  for (uint32_t f = 0; f < kFacilities; ++f) {
    live->hco_text.push_back(std::to_string(10000000 + rng() % 89999999));
  }
  std::sort(live->hco_text.begin(), live->hco_text.end());
  live->hco_text.erase(
      std::unique(live->hco_text.begin(), live->hco_text.end()),
      live->hco_text.end());
  std::shuffle(live->hco_text.begin(), live->hco_text.end(), rng);
  for (const std::string& h : live->hco_text) live->hcos.emplace_back(h);
  const auto facilities = static_cast<uint32_t>(live->hcos.size());
  for (uint32_t s = 0; s < kSubs; ++s) {
    // A subafdeling is always at a facility; a removed one grants nothing.
    const bool removed = rng() % 10 == 0;
    live->index.SetSubafdeling(
        s, removed || rng() % 5 == 0 ? 0 : rng() & 0x3f,
        removed ? CheckIndex::kAnyFacility : rng() % facilities);
  }
  for (int step = 0; step < 20000; ++step) {
    if (step == compact_at) live->index.Compact();
    const uint64_t insz = 1 + rng() % kPersons;
    const uint32_t sub = rng() % kSubs;
    const unsigned app = rng() % 6;
    if (rng() % 4 == 0) {
      live->index.RemoveRight(insz, sub, app);
    } else {
      live->index.AddRight(insz, sub, app);
    }
  }
  if (compact_at >= 20000) live->index.Compact();
}

// Writes the snapshot of a random index (Fill(seed)) as dir/name, stamped
// {1, 2}; returns its path.
std::string WriteFilled(const TempDir& dir, uint32_t seed,
                        const std::string& name, LiveIndex* live) {
  Fill(live, seed);
  const std::string path = dir.File(name);
  Status s =
      WriteIndexSnapshot(path, SnapshotStamp{1, 2}, live->index, live->hcos);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return path;
}

// Never compacted, compacted at the end (the snapshot is the shared base),
// and compacted with changes after it (the writer merges the two).
class IndexSnapshotWriteTest : public ::testing::TestWithParam<int> {};
INSTANTIATE_TEST_SUITE_P(CompactAt, IndexSnapshotWriteTest,
                         ::testing::Values(-1, 20000, 15000));

TEST_P(IndexSnapshotWriteTest, AnswersExactlyAsTheIndexItWasWrittenFrom) {
  TempDir dir;
  LiveIndex live;
  Fill(&live, 7, GetParam());
  if (GetParam() == 15000) {
    ASSERT_GT(live.index.own_persons(), 0u);
  }
  const std::string path = dir.File("x.db-index");
  const SnapshotStamp stamp{42, 0x1234};
  ASSERT_TRUE(WriteIndexSnapshot(path, stamp, live.index, live.hcos).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  EXPECT_EQ(ReadSnapshotStamp(path), stamp);

  Result<std::unique_ptr<MappedCheckIndex>> mapped =
      MappedCheckIndex::Open(path);
  ASSERT_TRUE(mapped.ok()) << mapped.status().ToString();
  const MappedCheckIndex& m = **mapped;
  EXPECT_EQ(m.stamp(), stamp);
  EXPECT_EQ(m.persons(), live.index.persons());
  EXPECT_EQ(m.grants(), live.index.grants());
  ASSERT_EQ(m.facility_count(), live.hcos.size());
  for (uint32_t f = 0; f < live.hcos.size(); ++f) {
    EXPECT_EQ(m.hco(f), live.hcos[f]);
    EXPECT_EQ(m.FindFacility(live.hcos[f]), f);
  }
  EXPECT_EQ(m.FindFacility("99999999x"), std::nullopt);
  size_t allowed = 0;
  for (uint64_t insz = 0; insz <= 3100; ++insz) {
    for (unsigned app = 0; app < 6; ++app) {
      for (uint32_t f : {CheckIndex::kAnyFacility, 0U, 3U, 17U}) {
        const bool want = live.index.Allowed(insz, app, f);
        ASSERT_EQ(m.Allowed(insz, app, f), want) << insz << " " << app;
        allowed += want ? 1 : 0;
        auto text = [&](uint32_t i) { return std::string(live.hcos[i]); };
        ASSERT_EQ(m.GrantingHcos(insz, app, f, text),
                  live.index.GrantingHcos(insz, app, f, text));
      }
    }
  }
  EXPECT_GT(allowed, 1000U);  // the comparison saw both answers
}

TEST(IndexSnapshotFileTest, AWriterKilledMidWayLeavesNothingForLong) {
  TempDir dir;
  LiveIndex live;
  Fill(&live, 9);
  const std::string path = dir.File("x.db-index");
  // A process that has gone (reaped), and this one (alive).
  const pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  ASSERT_GT(gone, 0);
  ASSERT_EQ(::waitpid(gone, nullptr, 0), gone);
  const std::string orphan = dir.Write(
      "x.db-index.tmp-" + std::to_string(gone) + "-0badf00d", "half a file");
  const std::string busy = dir.Write(
      "x.db-index.tmp-" + std::to_string(::getpid()) + "-0badf00d", "writing");
  const std::string other = dir.Write("y.db-index.tmp-1-0", "not ours");
  ASSERT_TRUE(
      WriteIndexSnapshot(path, SnapshotStamp{1, 2}, live.index, live.hcos)
          .ok());
  EXPECT_FALSE(std::filesystem::exists(orphan));
  EXPECT_TRUE(std::filesystem::exists(busy));
  EXPECT_TRUE(std::filesystem::exists(other));
  EXPECT_TRUE(MappedCheckIndex::Open(path).ok());
}

TEST(IndexSnapshotFileTest, RefusesDamagedTruncatedForeignAndOpenFiles) {
  TempDir dir;
  LiveIndex live;
  const std::string good = WriteFilled(dir, 8, "good", &live);
  const std::string bytes = ReadFile(good);
  auto refused = [&](const std::string& content, std::string_view code) {
    const std::string path = dir.Write("bad", content);
    ::chmod(path.c_str(), 0600);
    Result<std::unique_ptr<MappedCheckIndex>> m = MappedCheckIndex::Open(path);
    return !m.ok() && m.status().code() == code;
  };
  // One flipped bit anywhere: header fields or body.
  std::mt19937 rng(3);
  for (int i = 0; i < 200; ++i) {
    std::string flipped = bytes;
    const size_t at = rng() % flipped.size();
    flipped[at] ^= static_cast<char>(1 << (rng() % 8));
    EXPECT_TRUE(refused(flipped, kSnapshotInvalid)) << i << " at " << at;
  }
  EXPECT_TRUE(refused(bytes.substr(0, bytes.size() - 64), kSnapshotInvalid));
  EXPECT_TRUE(refused(bytes.substr(0, 100), kSnapshotInvalid));
  EXPECT_TRUE(refused(bytes + std::string(64, '\0'), kSnapshotInvalid));
  EXPECT_TRUE(
      refused("SQLite format 3" + std::string(200, 'x'), kSnapshotInvalid));
  EXPECT_EQ(ReadSnapshotStamp(dir.File("none")), std::nullopt);
  EXPECT_FALSE(MappedCheckIndex::Open(dir.File("none")).ok());
  // Writable by others: not trusted, whatever it holds.
  ASSERT_EQ(::chmod(good.c_str(), 0620), 0);
  Result<std::unique_ptr<MappedCheckIndex>> open = MappedCheckIndex::Open(good);
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.status().code(), code::kIoError);
}

TEST(IndexSnapshotFileTest,
     StructuralDamageBehindAGoodHashIsRefusedOrHarmless) {
  // Past the hash (resealed after each change), the checks of every slot,
  // grant and entry are what keeps a lookup inside the file: each damaged
  // file is refused, or maps and answers without touching memory outside
  // it (ASan runs this in CI).
  TempDir dir;
  LiveIndex live;
  const std::string good = WriteFilled(dir, 10, "good", &live);
  const std::string bytes = ReadFile(good);
  auto open = [&](std::string content) {
    SealIndexSnapshot(&content);
    const std::string path = dir.Write("damaged", content);
    ::chmod(path.c_str(), 0600);
    return MappedCheckIndex::Open(path);
  };
  ASSERT_TRUE(open(bytes).ok());  // resealing an intact file changes nothing

  // The packed slots (check_layout::PackedSlot) start after the 128-byte
  // header: a person's INSZ and grant count, and its first grant, each
  // further grant in a continuation slot after it.
  constexpr size_t kSlots = 128;
  auto key_at = [&](const std::string& file, size_t at) {
    uint64_t key;
    std::memcpy(&key, file.data() + at, 8);
    return key;
  };
  auto refused = [&](const std::string& content, const char* why) {
    Result<std::unique_ptr<MappedCheckIndex>> m = open(content);
    ASSERT_FALSE(m.ok()) << why;
    EXPECT_EQ(m.status().code(), kSnapshotInvalid) << why;
    EXPECT_NE(m.status().message().find(why), std::string::npos)
        << m.status().message();
  };
  std::vector<size_t> persons;    // offsets of persons with one grant
  size_t several = 0, empty = 0;  // a person with more, an empty slot
  for (size_t at = kSlots; at + 16 <= bytes.size(); at += 16) {
    const uint64_t key = key_at(bytes, at);
    if (key == 0) {
      if (empty == 0 && !persons.empty()) empty = at;
    } else if (key == check_layout::kContinuation) {
      continue;
    } else if ((key >> check_layout::kCountShift) >= 2) {
      if (several == 0) several = at;
    } else if ((key >> check_layout::kCountShift) == 1 && persons.size() < 64) {
      persons.push_back(at);
    }
    if (empty != 0 && several != 0 && persons.size() >= 64) break;
  }
  ASSERT_GE(persons.size(), 2u);
  ASSERT_NE(several, 0u);
  ASSERT_NE(empty, 0u);

  // A grant that names a subafdeling past the table.
  std::string bad_sub = bytes;
  const uint32_t sub = 0x00ffffff;
  std::memcpy(bad_sub.data() + persons[0] + 8, &sub, 4);
  refused(bad_sub, "names no subafdeling");

  // A count that runs past the person's continuation slots.
  std::string long_count = bytes;
  const uint64_t longer =
      key_at(bytes, several) + (uint64_t{100} << check_layout::kCountShift);
  std::memcpy(long_count.data() + several, &longer, 8);
  refused(long_count, "cut short");

  // A continuation slot with no person before it: the person that had it
  // now has one grant.
  std::string orphan = bytes;
  const uint64_t one = (key_at(bytes, several) & check_layout::kInszMask) |
                       (uint64_t{1} << check_layout::kCountShift);
  std::memcpy(orphan.data() + several, &one, 8);
  refused(orphan, "belongs to no person");

  // A person moved into an empty slot away from the others of its home:
  // intact bytes, but a lookup would stop before it.
  std::string moved = bytes;
  const size_t far = persons.back() > empty ? persons.front() : persons.back();
  std::memcpy(moved.data() + empty, bytes.data() + far, 16);
  std::memset(moved.data() + far, 0, 16);
  refused(moved, "not where a lookup looks for it");

  // An empty slot that holds a grant.
  std::string ghost = bytes;
  std::memcpy(ghost.data() + empty + 8, bytes.data() + persons[0] + 8, 8);
  refused(ghost, "an empty slot holds grants");

  // Random damage, resealed: anywhere in even rounds; in odd rounds in
  // the subafdeling entries and the grants' application bits, where much
  // of it leaves a file that maps (and must still answer inside itself).
  uint64_t slot_count;
  std::memcpy(&slot_count, bytes.data() + 48, 8);  // FileHeader::slot_count
  const size_t subs = (kSlots + slot_count * 16 + 63) / 64 * 64;
  ASSERT_LT(subs + 90 * 8, bytes.size());
  std::mt19937 rng(11);
  int mapped = 0;
  for (int round = 0; round < 300; ++round) {
    std::string damaged = bytes;
    const int changes = 1 + static_cast<int>(rng() % 8);
    for (int c = 0; c < changes; ++c) {
      size_t at = rng() % damaged.size();
      if (round % 2 == 1) {
        at = rng() % 2 == 0 ? subs + rng() % (90 * 8)
                            : kSlots + (rng() % slot_count) * 16 + 12;
      }
      damaged[at] = static_cast<char>(rng());
    }
    Result<std::unique_ptr<MappedCheckIndex>> d = open(damaged);
    if (!d.ok()) {
      EXPECT_EQ(d.status().code(), kSnapshotInvalid) << d.status().ToString();
      continue;
    }
    ++mapped;
    const MappedCheckIndex& idx = **d;
    for (uint64_t insz = 0; insz < 3100; insz += 7) {
      for (uint32_t f : {CheckIndex::kAnyFacility, 1U}) {
        (void)idx.Allowed(insz, insz % 32, f);
        (void)idx.GrantingHcos(insz, insz % 32, f, [&](uint32_t i) {
          return std::string(idx.hco(i));
        });
      }
    }
    for (uint32_t f = 0; f < idx.facility_count(); ++f) {
      EXPECT_EQ(idx.FindFacility(idx.hco(f)), f);
    }
  }
  EXPECT_GT(mapped, 0);  // some damage is harmless
}

// --- the engine ------------------------------------------------------------

constexpr uint64_t kPersons = 2500;

std::string Generated(const TempDir& dir, uint64_t seed = 5) {
  GenerateOptions o;
  o.persons = kPersons;
  o.seed = seed;
  o.out_path = dir.File("federation.db");
  GenerateSummary summary;
  Status s = GenerateFederation(o, &summary);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return o.out_path;
}

// The one-shot engines of these tests load the whole graph at the first
// call that needs it (TOEGANG_ONE_SHOT_LOAD=whole, engine/settings.h), the
// mode whose life cycle writes the snapshot at close: by default a
// one-shot engine reads parts and writes none (one_shot_part_test.cc).
class WholeModelOneShot : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv("TOEGANG_ONE_SHOT_LOAD", "whole", 1); }
  void TearDown() override { ::unsetenv("TOEGANG_ONE_SHOT_LOAD"); }
};
class IndexSnapshotEngineTest : public WholeModelOneShot {};
class IndexSnapshotBindingTest : public WholeModelOneShot {};
class IndexSnapshotPathTest : public WholeModelOneShot {};

std::unique_ptr<Engine> OpenEngine(const std::string& path, bool snapshot,
                                   bool one_shot = true) {
  OpenOptions o;
  o.index_snapshot = snapshot;
  o.mode = one_shot ? OpenMode::kOneShot : OpenMode::kService;
  Result<std::unique_ptr<Engine>> e = Engine::Open(path, o);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? std::move(e).value() : nullptr;
}

struct Question {
  std::string insz, app, hco;
};

// Questions over the whole federation: every right held (with and without
// its facility, and at a facility chosen at random), and persons without.
std::vector<Question> Questions(const std::string& db_path) {
  SQLite::Database db(db_path, SQLite::OPEN_READONLY);
  std::vector<std::string> hcos;
  SQLite::Statement f(db, "SELECT hco FROM facility");
  while (f.executeStep()) hcos.push_back(f.getColumn(0).getString());
  std::vector<Question> out;
  std::mt19937 rng(1);
  SQLite::Statement q(db,
                      "SELECT r.insz, r.application, s.hco FROM user_right r "
                      "JOIN subafdeling s ON s.id = r.subafdeling");
  while (q.executeStep()) {
    const std::string insz = q.getColumn(0).getString();
    const std::string app = q.getColumn(1).getString();
    out.push_back({insz, app, ""});
    out.push_back({insz, app, q.getColumn(2).getString()});
    out.push_back({insz, app, hcos[rng() % hcos.size()]});
  }
  SQLite::Statement p(db, "SELECT insz FROM person LIMIT 500");
  while (p.executeStep())
    out.push_back({p.getColumn(0).getString(), "ama-wvg", ""});
  return out;
}

using Answer = std::tuple<bool, uint64_t, std::vector<std::string>>;
Answer Ask(const Engine& e, const Question& q) {
  Result<Decision> d = e.Check(q.insz, q.app, q.hco);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  if (!d.ok()) return {};
  Result<bool> verdict = e.Allowed(q.insz, q.app, q.hco);
  EXPECT_TRUE(verdict.ok());
  EXPECT_EQ(verdict.ok() && *verdict, d->allowed);
  return {d->allowed, d->revision, d->facilities};
}

// Revokes, through `writer`, one right that the engine allows now (one
// of the first 200 in the database, by whoever granted it); returns its
// question, or nullopt when none could be revoked.
std::optional<Question> RevokeOneRight(Engine& writer, const std::string& db) {
  std::vector<std::pair<Question, std::string>> rights;  // and who granted
  {
    SQLite::Database raw(db, SQLite::OPEN_READONLY);
    SQLite::Statement q(raw,
                        "SELECT r.insz, r.application, s.hco, r.by_insz "
                        "FROM user_right r JOIN subafdeling s ON s.id = "
                        "r.subafdeling LIMIT 200");
    while (q.executeStep()) {
      rights.push_back({{q.getColumn(0).getString(), q.getColumn(1).getString(),
                         q.getColumn(2).getString()},
                        q.getColumn(3).getString()});
    }
  }
  for (const auto& [q, by] : rights) {
    if (!std::get<0>(Ask(writer, q))) continue;
    Mutation m;
    m.action = Action::kRevokeRight;
    m.actor = by;  // who granted it manages the subafdeling
    m.hco = q.hco;
    m.insz = q.insz;
    m.applications = {q.app};
    if (writer.Apply(m).ok()) return q;
  }
  return std::nullopt;
}

TEST_F(IndexSnapshotEngineTest, ChecksFromTheSnapshotEqualTheLoadedModel) {
  TempDir dir;
  const std::string db = Generated(dir);
  const std::string snapshot = IndexSnapshotPath(db);
  { auto first = OpenEngine(db, true); }  // loads, then writes the file
  ASSERT_TRUE(std::filesystem::exists(snapshot));

  auto reference = OpenEngine(db, false);
  auto fast = OpenEngine(db, true);
  ASSERT_TRUE(reference && fast);
  EXPECT_FALSE(reference->startup().from_snapshot);
  ASSERT_TRUE(fast->startup().from_snapshot) << fast->startup().snapshot_note;
  EXPECT_FALSE(fast->startup().model_loaded);
  EXPECT_EQ(fast->revision(), reference->revision());
  size_t allowed = 0;
  const std::vector<Question> questions = Questions(db);
  for (const Question& q : questions) {
    const Answer a = Ask(*fast, q);
    ASSERT_EQ(a, Ask(*reference, q)) << q.insz << " " << q.app << " " << q.hco;
    allowed += std::get<0>(a) ? 1 : 0;
  }
  EXPECT_GT(allowed, questions.size() / 4);
  // A one-shot engine answered all that without loading the graph.
  EXPECT_FALSE(fast->startup().model_loaded);
  // Anything else loads it first.
  Result<Explanation> why =
      fast->Explain(questions[0].insz, questions[0].app, "", Lang::kEn);
  ASSERT_TRUE(why.ok()) << why.status().ToString();
  EXPECT_TRUE(fast->startup().model_loaded);
  EXPECT_EQ(Ask(*fast, questions[0]), Ask(*reference, questions[0]));
}

TEST_F(IndexSnapshotEngineTest, AStaleSnapshotIsNotUsedAndIsReplacedAtClose) {
  TempDir dir;
  const std::string db = Generated(dir);
  { auto first = OpenEngine(db, true); }
  const std::optional<SnapshotStamp> before =
      ReadSnapshotStamp(IndexSnapshotPath(db));
  ASSERT_TRUE(before.has_value());

  // Another process changes the database without touching the snapshot:
  // it revokes a right that the snapshot still holds.
  Question revoked;
  {
    auto writer = OpenEngine(db, false);
    std::optional<Question> r = RevokeOneRight(*writer, db);
    ASSERT_TRUE(r.has_value());
    revoked = *r;
  }
  EXPECT_EQ(ReadSnapshotStamp(IndexSnapshotPath(db)), before);  // untouched

  auto e = OpenEngine(db, true);
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->startup().from_snapshot);
  EXPECT_NE(e->startup().snapshot_note.find("revision"), std::string::npos)
      << e->startup().snapshot_note;
  EXPECT_TRUE(e->startup().model_loaded);
  // The revoked right is gone, whatever other way the person may have.
  Result<Decision> d = e->Check(revoked.insz, revoked.app, revoked.hco);
  ASSERT_TRUE(d.ok());
  auto reference = OpenEngine(db, false);
  EXPECT_EQ(Ask(*e, revoked), Ask(*reference, revoked));
  // The one-shot engine writes a current snapshot of its full load when it
  // closes (a service's background thread would have done it already).
  EXPECT_EQ(ReadSnapshotStamp(IndexSnapshotPath(db)), before);
  const uint64_t loaded_revision = e->revision();
  e.reset();
  const std::optional<SnapshotStamp> after =
      ReadSnapshotStamp(IndexSnapshotPath(db));
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->revision, loaded_revision);
  auto again = OpenEngine(db, true);
  EXPECT_TRUE(again->startup().from_snapshot) << again->startup().snapshot_note;
  EXPECT_EQ(Ask(*again, revoked), Ask(*reference, revoked));
}

TEST_F(IndexSnapshotEngineTest,
       ASnapshotOfAnotherDatabaseAtTheSameRevisionIsRefused) {
  // Two databases generated with different seeds, renumbered to the same
  // revision: their ids tell them apart.
  TempDir a_dir, b_dir;
  const std::string a = Generated(a_dir, 5);
  const std::string b = Generated(b_dir, 6);
  {
    SQLite::Database da(a, SQLite::OPEN_READWRITE);
    SQLite::Database db(b, SQLite::OPEN_READWRITE);
    const int64_t rev =
        std::max(da.execAndGet("SELECT value FROM revision").getInt64(),
                 db.execAndGet("SELECT value FROM revision").getInt64());
    for (SQLite::Database* d : {&da, &db}) {
      const int64_t mine =
          d->execAndGet("SELECT value FROM revision").getInt64();
      d->exec("UPDATE revision SET value = " + std::to_string(rev));
      d->exec("UPDATE audit SET revision = " + std::to_string(rev) +
              " WHERE revision = " + std::to_string(mine));
    }
  }
  { auto e = OpenEngine(a, true); }
  std::filesystem::copy_file(IndexSnapshotPath(a), IndexSnapshotPath(b));
  auto e = OpenEngine(b, true);
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->startup().from_snapshot);
  EXPECT_NE(e->startup().snapshot_note.find("another database"),
            std::string::npos)
      << e->startup().snapshot_note;
  EXPECT_EQ(ReadSnapshotStamp(IndexSnapshotPath(a))->revision, e->revision());
}

TEST_F(IndexSnapshotEngineTest, ADamagedSnapshotIsIgnoredAndRewritten) {
  TempDir dir;
  const std::string db = Generated(dir);
  { auto first = OpenEngine(db, true); }
  const std::string path = IndexSnapshotPath(db);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    f.put('\x55');
  }
  auto e = OpenEngine(db, true);
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->startup().from_snapshot);
  EXPECT_NE(e->startup().snapshot_note.find("hash"), std::string::npos)
      << e->startup().snapshot_note;
  e.reset();
  EXPECT_TRUE(MappedCheckIndex::Open(path).ok());  // replaced at close

  // A service writes it in the background once the graph is loaded.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    f.put('\x55');
  }
  auto service = OpenEngine(db, true, /*one_shot=*/false);
  ASSERT_TRUE(service);
  EXPECT_FALSE(service->startup().from_snapshot);
  bool rewritten = false;
  for (int i = 0; i < 500 && !rewritten; ++i) {
    rewritten = MappedCheckIndex::Open(path).ok();
    if (!rewritten) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(rewritten);
}

TEST_F(IndexSnapshotEngineTest, ARunningServiceRewritesAStaleSnapshotOnceIdle) {
  TempDir dir;
  const std::string db = Generated(dir);
  const std::string path = IndexSnapshotPath(db);
  for (const int idle_ms : {0, 30}) {
    SCOPED_TRACE(idle_ms);
    { auto first = OpenEngine(db, true); }  // a current snapshot
    OpenOptions o;
    o.snapshot_after_idle = std::chrono::milliseconds(idle_ms);
    // Switched off, the background loop that would write the snapshot
    // still runs as a follower: its looks are what the test goes by.
    if (idle_ms == 0) {
      o.mode = OpenMode::kFollower;
      o.follow_interval = std::chrono::milliseconds(5);
    }
    Result<std::unique_ptr<Engine>> opened = Engine::Open(db, o);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    Engine& service = **opened;
    ASSERT_TRUE(service.startup().from_snapshot);
    const std::optional<Question> revoked = RevokeOneRight(service, db);
    ASSERT_TRUE(revoked.has_value());
    const uint64_t revision = service.revision();
    auto on_disk = [&] {
      const std::optional<SnapshotStamp> st = ReadSnapshotStamp(path);
      return st.has_value() ? st->revision : 0;
    };
    if (idle_ms == 0) {
      // Switched off: the snapshot stays behind until the engine closes.
      // Another engine commits twice, and the service catches up with
      // each in a look of its own; each round of the loop that looks
      // ends where the idle write would be, so once the second catch-up
      // is seen, a round has gone by after this engine's own change, and
      // it left the snapshot behind.
      auto other = OpenEngine(db, false);
      ASSERT_TRUE(other);
      for (uint64_t catch_ups = 1; catch_ups <= 2; ++catch_ups) {
        ASSERT_TRUE(RevokeOneRight(*other, db).has_value());
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (service.follow_state().catch_ups < catch_ups &&
               std::chrono::steady_clock::now() < deadline) {
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        ASSERT_EQ(service.follow_state().catch_ups, catch_ups);
      }
      EXPECT_EQ(service.revision(), revision + 2);
      EXPECT_LT(on_disk(), revision);
      continue;
    }
    bool current = false;
    for (int i = 0; i < 500 && !current; ++i) {
      current = on_disk() == revision;
      if (!current) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(current);
    // Were the service to die now, without the write at closing, the next
    // start would answer from that snapshot, and with the change.
    auto next = OpenEngine(db, true);
    ASSERT_TRUE(next);
    EXPECT_TRUE(next->startup().from_snapshot) << next->startup().snapshot_note;
    EXPECT_FALSE(next->startup().model_loaded);
    auto reference = OpenEngine(db, false);
    EXPECT_EQ(Ask(*next, *revoked), Ask(*reference, *revoked));
  }
}

TEST_F(IndexSnapshotEngineTest, AnInMemoryDatabaseLeavesNoFilesBehind) {
  TempDir dir;
  struct InDirectory {  // the working directory, back at the end
    std::filesystem::path was = std::filesystem::current_path();
    ~InDirectory() { std::filesystem::current_path(was); }
  } in_dir;
  std::filesystem::current_path(dir.path());
  {
    OpenOptions o;
    o.create_if_missing = true;
    o.snapshot_after_idle = std::chrono::milliseconds(1);
    // A follower, so that its looks show the background loop at work.
    o.mode = OpenMode::kFollower;
    o.follow_interval = std::chrono::milliseconds(1);
    Result<std::unique_ptr<Engine>> e = Engine::Open(":memory:", o);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_FALSE((*e)->startup().from_snapshot);
    EXPECT_EQ((*e)->revision(), 0u);
    // Two looks a millisecond apart or more: whatever a round of the loop
    // does (follow, keep the snapshot) has been done at least once before
    // the engine closes.
    auto looked = [&] { return (*e)->follow_state().last_catch_up_ms; };
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (looked() == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const int64_t first = looked();
    ASSERT_NE(first, 0);
    while (looked() == first && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_GT(looked(), first);
    EXPECT_TRUE((*e)->follow_state().store_ok)
        << (*e)->follow_state().store_error;
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()))
      << std::filesystem::directory_iterator(dir.path())->path();
}

TEST_F(IndexSnapshotEngineTest, SwitchedOffNothingIsReadOrWritten) {
  TempDir dir;
  const std::string db = Generated(dir);
  { auto e = OpenEngine(db, false); }
  EXPECT_FALSE(std::filesystem::exists(IndexSnapshotPath(db)));
}

TEST_F(IndexSnapshotEngineTest, ChecksFailClosedWhenTheLoadBehindItFails) {
  // A service start answers checks from the snapshot while the graph
  // loads. When that load fails (here a table it reads is gone; the change
  // log, and so the snapshot's stamp, is untouched) the snapshot would go
  // stale unnoticed: checks fail with storage_error instead, while bad
  // input is still refused as bad input.
  TempDir dir;
  const std::string db = Generated(dir);
  { auto first = OpenEngine(db, true); }
  const std::vector<Question> questions = Questions(db);
  ASSERT_FALSE(questions.empty());
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    raw.exec("DROP TABLE user_right");
  }
  auto e = OpenEngine(db, true, /*one_shot=*/false);
  ASSERT_TRUE(e);
  ASSERT_TRUE(e->startup().from_snapshot) << e->startup().snapshot_note;
  const Question& q = questions[0];
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  Result<bool> verdict = e->Allowed(q.insz, q.app, q.hco);
  while (verdict.ok() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    verdict = e->Allowed(q.insz, q.app, q.hco);
  }
  ASSERT_FALSE(verdict.ok()) << "the failed load went unnoticed";
  EXPECT_EQ(verdict.status().code(), code::kStorageError);
  Result<Decision> d = e->Check(q.insz, q.app, q.hco);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), code::kStorageError);
  EXPECT_FALSE(e->startup().model_loaded);
  EXPECT_FALSE(e->follow_state().last_error.empty());
  Result<Decision> bad = e->Check("12345678901", q.app, "");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), code::kInvalidInsz);
  Result<bool> unknown_app = e->Allowed(q.insz, "no-such-app", "");
  ASSERT_FALSE(unknown_app.ok());
  EXPECT_EQ(unknown_app.status().code(), code::kUnknownApplication);
}

TEST_F(IndexSnapshotEngineTest, ChecksAnswerThroughTheHandOverToTheModel) {
  // A service start: checks run from the snapshot while the graph loads in
  // the background; readers hammering Check across the hand-over always
  // get the reference answer, and a write afterwards works.
  TempDir dir;
  const std::string db = Generated(dir);
  { auto first = OpenEngine(db, true); }
  auto reference = OpenEngine(db, false);
  const std::vector<Question> questions = Questions(db);
  std::vector<Answer> expected;
  for (const Question& q : questions) expected.push_back(Ask(*reference, q));

  auto e = OpenEngine(db, true, /*one_shot=*/false);
  ASSERT_TRUE(e);
  ASSERT_TRUE(e->startup().from_snapshot) << e->startup().snapshot_note;
  std::atomic<int> wrong{0};
  std::atomic<size_t> asked{0};
  auto reader = [&](size_t start) {
    size_t i = start;
    do {
      for (int k = 0; k < 200; ++k, ++i) {
        const size_t n = i % questions.size();
        if (Ask(*e, questions[n]) != expected[n]) ++wrong;
        ++asked;
      }
    } while (!e->startup().model_loaded);
    for (int k = 0; k < 2000; ++k, ++i) {  // and on the model after it
      const size_t n = i % questions.size();
      if (Ask(*e, questions[n]) != expected[n]) ++wrong;
    }
  };
  std::thread r1(reader, 0), r2(reader, questions.size() / 2);
  r1.join();
  r2.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(asked.load(), 0U);
  EXPECT_TRUE(e->Refresh().ok());
  EXPECT_TRUE(e->startup().model_loaded);
  Result<std::vector<std::string>> problems = e->Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
}

TEST_F(IndexSnapshotEngineTest,
       ACommitDuringTheLoadIsNeverAnsweredFromTheSnapshot) {
  // A service starts from its snapshot, and its graph load is held (the
  // test's gate); meanwhile another engine (the CLI) revokes a right the
  // snapshot still holds. Within the follow interval the service stops
  // answering from the snapshot: revision_not_reached (503 in serve)
  // instead of a stale "allowed", until the graph is loaded and caught up;
  // then the revocation holds.
  TempDir dir;
  const std::string db = Generated(dir);
  { auto first = OpenEngine(db, true); }  // a current snapshot
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> gate_reached{false};
  OpenOptions o;
  o.mode = OpenMode::kFollower;
  o.follow_interval = std::chrono::milliseconds(20);
  o.load_gate_for_tests = [&] {
    gate_reached = true;
    released.wait();
  };
  Result<std::unique_ptr<Engine>> opened = Engine::Open(db, o);
  // Whatever happens below, the load may go on before the engine closes
  // (declared after it, so destroyed first).
  struct Release {
    std::promise<void>* p;
    bool done = false;
    void Now() {
      if (!done) p->set_value();
      done = true;
    }
    ~Release() { Now(); }
  } guard{&release};
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Engine& service = **opened;
  ASSERT_TRUE(service.startup().from_snapshot)
      << service.startup().snapshot_note;

  auto writer = OpenEngine(db, false);
  ASSERT_TRUE(writer);
  const std::optional<Question> revoked = RevokeOneRight(*writer, db);
  ASSERT_TRUE(revoked.has_value());
  const Answer truth = Ask(*writer, *revoked);
  // The background thread stops at the gate before it loads anything; on a
  // busy machine it may get there only after the commit above.
  ASSERT_TRUE(Eventually([&] { return gate_reached.load(); }));
  EXPECT_FALSE(service.startup().model_loaded);  // still held

  // Poll (bounded) until the service stops saying "allowed".
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  Result<bool> verdict =
      service.Allowed(revoked->insz, revoked->app, revoked->hco);
  while (verdict.ok() && *verdict &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    verdict = service.Allowed(revoked->insz, revoked->app, revoked->hco);
  }
  ASSERT_FALSE(verdict.ok() && *verdict)
      << "the revoked right was still allowed from the stale snapshot";
  ASSERT_FALSE(verdict.ok());
  EXPECT_EQ(verdict.status().code(), code::kRevisionNotReached);
  Result<Decision> d = service.Check(revoked->insz, revoked->app, revoked->hco);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), code::kRevisionNotReached);
  EXPECT_EQ(d.status().kind(), Status::Kind::kStorage);
  // Bad input is still told as such.
  Result<Decision> bad = service.Check("12345678901", revoked->app, "");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), code::kInvalidInsz);
  EXPECT_FALSE(service.startup().model_loaded);

  // Let the load go: answers come back, with the revocation.
  guard.Now();
  Result<Decision> after =
      service.Check(revoked->insz, revoked->app, revoked->hco);
  while (!after.ok() && std::chrono::steady_clock::now() <
                            deadline + std::chrono::seconds(20)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    after = service.Check(revoked->insz, revoked->app, revoked->hco);
  }
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_TRUE(service.startup().model_loaded);
  EXPECT_EQ(Ask(service, *revoked), truth);
  EXPECT_EQ(service.revision(), writer->revision());
}

TEST_F(IndexSnapshotEngineTest,
       AnUnchangedDatabaseKeepsAnsweringFromTheSnapshot) {
  // The watch refuses nothing while nobody commits.
  TempDir dir;
  const std::string db = Generated(dir);
  { auto first = OpenEngine(db, true); }
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  OpenOptions o;
  o.mode = OpenMode::kFollower;
  o.follow_interval = std::chrono::milliseconds(5);
  o.load_gate_for_tests = [&] { released.wait(); };
  {
    Result<std::unique_ptr<Engine>> opened = Engine::Open(db, o);
    // The load goes on before the engine closes, even after a failure.
    struct Release {
      std::promise<void>* p;
      ~Release() { p->set_value(); }
    } guard{&release};
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    Engine& service = **opened;
    ASSERT_TRUE(service.startup().from_snapshot);
    auto reference = OpenEngine(db, false);
    const std::vector<Question> questions = Questions(db);
    // Long enough for tens of looks at the database.
    const auto until =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
    size_t i = 0;
    while (std::chrono::steady_clock::now() < until) {
      const Question& q = questions[i++ % questions.size()];
      ASSERT_EQ(Ask(service, q), Ask(*reference, q));
    }
    EXPECT_FALSE(service.startup().model_loaded);
  }
}

TEST(KeyedHasherTest, IsSipHash24) {
  // The reference vectors of SipHash-2-4 (key 00 01 .. 0f, message 00 01
  // .. n-1), fed whole and in pieces.
  DatabaseKey key;
  for (size_t i = 0; i < key.size(); ++i)
    key[i] = static_cast<unsigned char>(i);
  unsigned char message[15];
  for (size_t i = 0; i < sizeof message; ++i) {
    message[i] = static_cast<unsigned char>(i);
  }
  EXPECT_EQ(KeyedHasher(key).Final(), 0x726fdb47dd0e0e31ULL);
  KeyedHasher whole(key);
  whole.Update(message, 15);
  EXPECT_EQ(whole.Final(), 0xa129ca6149be45e5ULL);
  KeyedHasher pieces(key);
  pieces.Update(message, 3);
  pieces.Update(message + 3, 9);
  pieces.Update(message + 12, 3);
  EXPECT_EQ(pieces.Final(), 0xa129ca6149be45e5ULL);
  // Another key, another value.
  key[0] ^= 1;
  KeyedHasher other(key);
  other.Update(message, 15);
  EXPECT_NE(other.Final(), 0xa129ca6149be45e5ULL);
}

// --- a snapshot bound to one database and one history ---------------------

// Copies of one federation that were changed apart: base has kUser1 with
// ama-wvg at 12345 and kUser2 as a user without rights. Copy A then grants
// kUser2 ama-wvg, copy B revokes kUser1's ama-wvg; both end with the same
// last change (kUser3 added as a user), which the test puts in the same
// second by giving B's audit rows of it A's time: the same revision, the
// same rows, the same sequence numbers.
struct TwoCopies {
  TempDir dir;
  std::string a = dir.File("a.db");
  std::string b = dir.File("b.db");

  TwoCopies() {
    TestFederation base;
    base.BuildOcmwChain();
    base.MustApply(M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser2));
    base.Close();
    EXPECT_FALSE(std::filesystem::exists(base.db_path() + "-wal"));
    std::filesystem::copy_file(base.db_path(), a);
    std::filesystem::copy_file(base.db_path(), b);
    Change(a, M(Action::kGrantRight, kEmp2Ocmw)
                  .Hco(kHcoOcmw)
                  .Insz(kUser2)
                  .App("ama-wvg"));
    Change(b, M(Action::kRevokeRight, kEmp2Ocmw)
                  .Hco(kHcoOcmw)
                  .Insz(kUser1)
                  .App("ama-wvg"));
    // Neither keeps a snapshot of its own yet.
    std::filesystem::remove(IndexSnapshotPath(a));
    std::filesystem::remove(IndexSnapshotPath(b));
    SQLite::Database da(a, SQLite::OPEN_READWRITE);
    SQLite::Database db(b, SQLite::OPEN_READWRITE);
    const int64_t rev = da.execAndGet("SELECT value FROM revision").getInt64();
    EXPECT_EQ(db.execAndGet("SELECT value FROM revision").getInt64(), rev);
    SQLite::Statement at(da, "SELECT at FROM audit WHERE revision = ?");
    at.bind(1, rev);
    EXPECT_TRUE(at.executeStep());
    SQLite::Statement same(db, "UPDATE audit SET at = ? WHERE revision = ?");
    same.bind(1, at.getColumn(0).getString());
    same.bind(2, rev);
    EXPECT_EQ(same.exec(), 1);
    const char* kLast =
        "SELECT seq, at, action, kbo, detail FROM audit WHERE revision = "
        "(SELECT value FROM revision)";
    SQLite::Statement last_a(da, kLast), last_b(db, kLast);
    EXPECT_TRUE(last_a.executeStep() && last_b.executeStep());
    for (int c = 0; c < 5; ++c) {
      EXPECT_EQ(last_a.getColumn(c).getString(),
                last_b.getColumn(c).getString())
          << c;
    }
  }

  static void Change(const std::string& path, const Mutation& m) {
    Result<std::unique_ptr<Engine>> e = Engine::Open(path);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    Result<CommitInfo> r = (*e)->Apply(m);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    r = (*e)->Apply(M(Action::kAddUser, kEmp2Ocmw).Hco(kHcoOcmw).Insz(kUser3));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
};

bool AllowedIn(const std::string& db, const char* insz) {
  OpenOptions o;
  o.mode = OpenMode::kOneShot;  // as the CLI: a check from a current snapshot
  Result<std::unique_ptr<Engine>> e = Engine::Open(db, o);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  if (!e.ok()) return false;
  Result<Decision> d = (*e)->Check(insz, "ama-wvg", kHcoOcmw);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return d.ok() && d->allowed;
}

TEST_F(IndexSnapshotBindingTest, ACopysSnapshotNeverDecidesForTheOtherCopy) {
  TwoCopies copies;
  if (::testing::Test::HasFailure()) return;
  // A's truth, and A's snapshot (written when a full load closes).
  EXPECT_TRUE(AllowedIn(copies.a, kUser1));
  EXPECT_TRUE(AllowedIn(copies.a, kUser2));
  ASSERT_TRUE(std::filesystem::exists(IndexSnapshotPath(copies.a)));
  // What a folder writer does: A's snapshot beside B.
  std::filesystem::copy_file(IndexSnapshotPath(copies.a),
                             IndexSnapshotPath(copies.b));
  ::chmod(IndexSnapshotPath(copies.b).c_str(), 0600);
  {
    OpenOptions o;
    o.mode = OpenMode::kOneShot;
    Result<std::unique_ptr<Engine>> e = Engine::Open(copies.b, o);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_FALSE((*e)->startup().from_snapshot);
    EXPECT_NE((*e)->startup().snapshot_note.find("another history"),
              std::string::npos)
        << (*e)->startup().snapshot_note;
  }
  // B answers from its own truth: kUser1 was revoked there, kUser2 never
  // granted; through the CLI too.
  EXPECT_FALSE(AllowedIn(copies.b, kUser1));
  EXPECT_FALSE(AllowedIn(copies.b, kUser2));
  std::filesystem::copy_file(IndexSnapshotPath(copies.a),
                             IndexSnapshotPath(copies.b),
                             std::filesystem::copy_options::overwrite_existing);
  ::chmod(IndexSnapshotPath(copies.b).c_str(), 0600);
  for (const char* insz : {kUser1, kUser2}) {
    const CliRun run = Spawn({"--db", copies.b, "check", "--insz", insz,
                              "--app", "ama-wvg", "--hco", kHcoOcmw},
                             copies.dir.path(), std::nullopt);
    EXPECT_EQ(run.exit, 1) << Describe(run);  // denied
  }
  // B rebuilt its own snapshot, which now decides for B, not for A.
  EXPECT_FALSE(AllowedIn(copies.b, kUser1));
  EXPECT_TRUE(AllowedIn(copies.a, kUser1));
}

TEST_F(IndexSnapshotBindingTest, AMigratedDatabaseGetsAnIdOfItsOwn) {
  // Two files made apart get different ids; a copy shares its original's
  // until one of them commits, after which their chains differ.
  TempDir dir;
  auto identity = [](const std::string& path) {
    SQLite::Database d(path, SQLite::OPEN_READONLY);
    SQLite::Statement q(d, "SELECT database_id, chain FROM revision");
    EXPECT_TRUE(q.executeStep());
    return std::make_pair(q.getColumn(0).getString(),
                          q.getColumn(1).getInt64());
  };
  OpenOptions create;
  create.create_if_missing = true;
  for (const char* name : {"x.db", "y.db"}) {
    ASSERT_TRUE(Engine::Open(dir.File(name), create).ok());
  }
  const auto x = identity(dir.File("x.db"));
  EXPECT_EQ(x.first.size(), 16u);
  EXPECT_NE(x.first, identity(dir.File("y.db")).first);

  // A database of schema version 1 (before the id) gets one when opened.
  const std::string old = dir.File("old.db");
  {
    SQLite::Database d(old, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    d.exec(std::string(Migrations()[0].sql));
    d.exec("PRAGMA user_version = 1");
  }
  ASSERT_TRUE(Engine::Open(old).ok());
  const auto migrated = identity(old);
  EXPECT_EQ(migrated.first.size(), 16u);
  EXPECT_NE(migrated.first, x.first);
}

// --- a snapshot path that is not a regular file ---------------------------

TEST_F(IndexSnapshotPathTest,
       AFifoOrADirectoryNamedLikeTheSnapshotNeverBlocks) {
  TestFederation fed;
  fed.BuildOcmwChain();
  fed.Close();
  const std::string db = fed.db_path();
  const std::string index = IndexSnapshotPath(db);
  const auto kDeadline = std::chrono::seconds(20);
  for (const char* kind : {"fifo", "directory", "symlink to a fifo"}) {
    SCOPED_TRACE(kind);
    std::filesystem::remove_all(index);
    const std::string fifo = fed.dir().File("a-fifo");
    std::filesystem::remove(fifo);
    if (std::string(kind) == "directory") {
      ASSERT_TRUE(std::filesystem::create_directory(index));
    } else if (std::string(kind) == "fifo") {
      ASSERT_EQ(::mkfifo(index.c_str(), 0600), 0);
    } else {
      ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
      std::filesystem::create_symlink(fifo, index);
    }
    // A check (which reads the snapshot), a mutation (which reads it and
    // writes one at closing) and a check again.
    CliRun check =
        Spawn({"--db", db, "check", "--insz", kUser1, "--app", "ama-wvg"},
              fed.dir().path(), std::nullopt, {.deadline = kDeadline});
    EXPECT_EQ(check.exit, 0) << Describe(check);
    CliRun grant =
        Spawn({"--db", db, "user", "add", "--hco", kHcoOcmw, "--insz", kUser2,
               "--right", "ama-wvg", "--by", kEmp2Ocmw},
              fed.dir().path(), std::nullopt, {.deadline = kDeadline});
    EXPECT_EQ(grant.exit, 0) << Describe(grant);
    check = Spawn({"--db", db, "check", "--insz", kUser2, "--app", "ama-wvg"},
                  fed.dir().path(), std::nullopt, {.deadline = kDeadline});
    EXPECT_EQ(check.exit, 0) << Describe(check);
    CliRun revoke =
        Spawn({"--db", db, "user", "remove", "--hco", kHcoOcmw, "--insz",
               kUser2, "--by", kEmp2Ocmw},
              fed.dir().path(), std::nullopt, {.deadline = kDeadline});
    EXPECT_EQ(revoke.exit, 0) << Describe(revoke);
    // What was there is replaced by a snapshot (a new file renamed over
    // the name), or stays a directory; a fifo elsewhere is never written.
    std::error_code ec;
    const auto st = std::filesystem::symlink_status(index, ec);
    if (std::string(kind) == "directory") {
      EXPECT_TRUE(std::filesystem::is_directory(st));
    } else {
      EXPECT_TRUE(std::filesystem::is_regular_file(st));
    }
    if (std::string(kind) == "symlink to a fifo") {
      EXPECT_TRUE(std::filesystem::is_fifo(std::filesystem::status(fifo)));
    }
  }
}

}  // namespace
}  // namespace toegang::testing
