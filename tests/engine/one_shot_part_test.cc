// A one-shot engine (OpenMode::kOneShot, the CLI's) answers from the part
// of the federation a call names (engine/part_model.h, Store::LoadPart).
// These tests hold its answers to a fully loaded engine's on a generated
// federation: explain, check, access, managed-by, who, users, graph and
// may for many persons, enterprises and facilities; then mutations, each
// through a fresh one-shot engine as the CLI runs them, against the same
// mutations through a fully loaded engine on a copy of the database
// (outcome, changes, every row and audit row after), and the answers once
// more after them. And the index snapshot a one-shot commit leaves behind
// is never read again.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "federation_generator.h"
#include "support/db_content.h"
#include "support/test_federation.h"
#include "toegang/answer_json.h"
#include "toegang/engine.h"
#include "toegang/mutation.h"

namespace toegang::testing {
namespace {

constexpr uint64_t kPersons = 4000;
constexpr uint64_t kSeed = 5;
const std::vector<std::string> kApps = {"ama-wvg", "vipa"};

OpenOptions FullyLoaded() {
  OpenOptions o;
  o.mode = OpenMode::kService;
  o.index_snapshot = false;
  o.map_bases = false;
  return o;
}

OpenOptions OneShot(bool snapshot = false) {
  OpenOptions o;
  o.mode = OpenMode::kOneShot;
  o.index_snapshot = snapshot;
  return o;
}

std::unique_ptr<Engine> OpenEngine(const std::string& path,
                                   const OpenOptions& options) {
  Result<std::unique_ptr<Engine>> e = Engine::Open(path, options);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? std::move(e).value() : nullptr;
}

std::vector<std::string> Column(const std::string& path, const char* sql) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, sql);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

// Who and what the answers are asked about: a sample of every kind of
// person (plain persons, HTBs, TBs and co-TBs, managers, users), of the
// enterprises and of the facilities, and (person, facility) pairs where
// the person is a user and where not.
struct Cast {
  std::vector<std::string> persons, kbos, hcos;
  std::vector<std::pair<std::string, std::string>> at;  // (insz, hco)
};

Cast CastOf(const std::string& path) {
  Cast c;
  c.persons = Column(path,
                     "SELECT insz FROM (SELECT insz FROM person WHERE rowid % "
                     "29 = 0 LIMIT 30) UNION SELECT insz FROM (SELECT insz "
                     "FROM htb LIMIT 20) UNION SELECT insz FROM (SELECT insz "
                     "FROM domain_manager LIMIT 20) UNION SELECT insz FROM "
                     "(SELECT insz FROM subafdeling_manager LIMIT 20) UNION "
                     "SELECT insz FROM (SELECT insz FROM user WHERE rowid % "
                     "11 = 0 LIMIT 30)");
  c.persons.push_back("85073003328");  // valid, in no registry
  c.kbos = Column(path, "SELECT kbo FROM enterprise WHERE rowid % 5 = 0");
  c.hcos = Column(path, "SELECT hco FROM facility WHERE rowid % 5 = 0");
  const std::vector<std::string> user_at =
      Column(path,
             "SELECT u.insz || ' ' || s.hco FROM user u JOIN subafdeling s ON "
             "s.id = u.subafdeling WHERE u.rowid % 17 = 0 LIMIT 30");
  for (const std::string& pair : user_at) {
    c.at.emplace_back(pair.substr(0, pair.find(' ')),
                      pair.substr(pair.find(' ') + 1));
  }
  for (size_t i = 0; i < c.persons.size() && !c.hcos.empty(); i += 3) {
    c.at.emplace_back(c.persons[i], c.hcos[i % c.hcos.size()]);
  }
  return c;
}

std::string Person(const PersonRef& p) { return p.insz + "/" + p.name; }

// A DOT text with its node names (the graph's vertex numbers, which a
// smaller graph numbers differently) renamed n1, n2, ... in order of first
// appearance and its lines sorted: two renderings of the same picture
// compare equal.
std::string DotShape(const std::string& dot) {
  std::vector<std::string> lines;
  std::map<std::string, std::string> names;
  std::istringstream in(dot);
  for (std::string line; std::getline(in, line);) {
    std::string out;
    size_t i = 0;
    while (i < line.size()) {
      // A node name starts a line or follows "->".
      const bool at_name =
          (i == 0 || (i >= 2 && line.compare(i - 2, 2, "->") == 0)) &&
          std::isdigit(static_cast<unsigned char>(line[i]));
      if (!at_name) {
        out += line[i++];
        continue;
      }
      size_t end = i;
      while (end < line.size() &&
             std::isdigit(static_cast<unsigned char>(line[end]))) {
        ++end;
      }
      const std::string id = line.substr(i, end - i);
      auto [it, added] =
          names.emplace(id, "n" + std::to_string(names.size() + 1));
      out += it->second;
      i = end;
    }
    lines.push_back(out);
  }
  std::sort(lines.begin(), lines.end());
  std::string shape;
  for (const std::string& line : lines) shape += line + "\n";
  return shape;
}

template <typename T, typename Fn>
std::string Listed(const Result<Page<T>>& page, Fn&& line) {
  if (!page.ok()) return page.status().ToString();
  std::string out =
      fmt::format("r{} next={}", page->revision, page->next_cursor);
  for (const T& item : page->items) out += " | " + line(item);
  return out;
}

// Every answer about the cast, one line each.
std::vector<std::string> Answers(const Engine& e, const Cast& cast) {
  std::vector<std::string> out;
  PageRequest all;
  all.limit = 10000;
  auto explain = [&](const std::string& p, const std::string& app,
                     const std::string& hco) {
    Result<Explanation> x = e.Explain(p, app, hco, Lang::kEn);
    out.push_back(
        fmt::format("explain {} {} {}: {}", p, app, hco,
                    x.ok() ? ExplanationToJson(*x) : x.status().ToString()));
    Result<Decision> d = e.Check(p, app, hco);
    out.push_back(fmt::format(
        "check {} {} {}: {}", p, app, hco,
        d.ok() ? AnswerText(DecisionJson(*d)) : d.status().ToString()));
  };
  for (const std::string& p : cast.persons) {
    for (const std::string& app : kApps) explain(p, app, "");
    out.push_back("access " + p + ": " +
                  Listed(e.Access(p, all), [](const AccessEntry& a) {
                    return fmt::format("{} {} {} {}", a.application, a.hco,
                                       a.facility_name, a.kbo);
                  }));
    Result<PersonCard> card = e.WhoPerson(p, Lang::kEn);
    out.push_back("who --insz " + p + ": " +
                  (card.ok() ? AnswerText(PersonCardJson(*card))
                             : card.status().ToString()));
    out.push_back("managed-by " + p + ": " +
                  Listed(e.ManagedBy(p, all), [](const ManagedEntry& m) {
                    return fmt::format("{} {} {} {} {} {} {} {}", m.kind,
                                       m.role, m.kbo, m.enterprise_name,
                                       m.capacity, m.subdivision, m.hco,
                                       m.facility_name);
                  }));
  }
  for (const auto& [p, hco] : cast.at) {
    for (const std::string& app : kApps) explain(p, app, hco);
  }
  for (const std::string& k : cast.kbos) {
    Result<WhoReport> w = e.Who(k);
    out.push_back("who " + k + ": " +
                  (w.ok() ? AnswerText(WhoJson(*w)) : w.status().ToString()));
    Result<std::string> dot = e.GraphDot(k, GraphOptions{});
    out.push_back("graph " + k + ": " +
                  (dot.ok() ? DotShape(*dot) : dot.status().ToString()));
  }
  for (const std::string& h : cast.hcos) {
    Result<FacilityCard> card = e.WhoFacility(h);
    out.push_back("who --hco " + h + ": " +
                  (card.ok() ? AnswerText(FacilityCardJson(*card))
                             : card.status().ToString()));
    out.push_back("users " + h + ": " +
                  Listed(e.Users(h, "", all), [](const UserEntry& u) {
                    std::string apps;
                    for (const std::string& a : u.applications) apps += a + ",";
                    return Person(u.person) + " " + apps;
                  }));
  }
  return out;
}

void ExpectSameAnswers(const std::vector<std::string>& full,
                       const std::vector<std::string>& part) {
  ASSERT_EQ(full.size(), part.size());
  size_t differ = 0;
  for (size_t i = 0; i < full.size(); ++i) {
    if (full[i] != part[i] && ++differ <= 5) {
      ADD_FAILURE() << "full load:  " << full[i] << "\none-shot:   " << part[i];
    }
  }
  EXPECT_EQ(differ, 0u) << "answers that differ, of " << full.size();
}

// Mutations of every kind over the generated federation, by the people
// who may make them and by people who may not.
std::vector<Mutation> MutationsOf(const std::string& path, const Cast& cast) {
  // hco, kbo, user, application, the enterprise's HTB (or "")
  const std::vector<std::string> rights = Column(
      path,
      "SELECT s.hco || ' ' || s.kbo || ' ' || r.insz || ' ' || r.application "
      "|| ' ' || coalesce((SELECT insz FROM htb WHERE kbo = s.kbo), '') FROM "
      "user_right r JOIN subafdeling s ON s.id = r.subafdeling WHERE "
      "r.rowid % 53 = 0 LIMIT 36");
  std::vector<Mutation> out;
  for (size_t i = 0; i < rights.size(); ++i) {
    std::vector<std::string> f;
    std::string rest = rights[i];
    for (size_t at; (at = rest.find(' ')) != std::string::npos;) {
      f.push_back(rest.substr(0, at));
      rest = rest.substr(at + 1);
    }
    f.push_back(rest);
    const std::string& hco = f[0];
    const std::string& user = f[2];
    const std::string& app = f[3];
    const std::string htb =
        f[4].empty() ? cast.persons[i % cast.persons.size()] : f[4];
    const std::string& stranger = cast.persons[(i * 7) % cast.persons.size()];
    Mutation m;
    m.actor = htb;
    m.hco = hco;
    switch (i % 7) {
      case 0:  // revoke, then grant back
        m.action = Action::kRevokeRight;
        m.insz = user;
        m.applications = {app};
        out.push_back(m);
        m.action = Action::kGrantRight;
        break;
      case 1:
        m.action = Action::kRemoveUser;
        m.insz = user;
        break;
      case 2:  // cascades to every user's right
        m.action = Action::kDeauthorize;
        m.applications = {app};
        break;
      case 3:
        m.action = Action::kAddUser;
        m.insz = stranger;
        m.applications = {app};
        break;
      case 4:  // cascades to every user and manager
        m.action = Action::kRemoveSubafdeling;
        break;
      case 5:  // most likely refused: the actor administers nothing there
        m.action = Action::kGrantRight;
        m.actor = stranger;
        m.insz = user;
        m.applications = {kApps[(i / 7) % 2]};
        break;
      default:
        m.action = Action::kAddManager;
        m.insz = stranger;
        break;
    }
    out.push_back(m);
  }
  return out;
}

std::string Outcome(const Result<CommitInfo>& r) {
  if (!r.ok()) return r.status().ToString();
  std::string out = fmt::format("r{}", r->revision);
  for (const std::string& c : r->changes) out += " | " + c;
  return out;
}

class OneShotPartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GenerateOptions o;
    o.persons = kPersons;
    o.seed = kSeed;
    o.out_path = dir_.File("a.db");
    GenerateSummary summary;
    Status s = GenerateFederation(o, &summary);
    ASSERT_TRUE(s.ok()) << s.ToString();
    std::filesystem::copy_file(a(), b());
    cast_ = CastOf(a());
    ASSERT_GT(cast_.persons.size(), 80u);
    ASSERT_GT(cast_.kbos.size(), 12u);
    ASSERT_GT(cast_.hcos.size(), 12u);
  }
  std::string a() const { return dir_.File("a.db"); }
  std::string b() const { return dir_.File("b.db"); }

  TempDir dir_;
  Cast cast_;
};

TEST_F(OneShotPartTest, AnswersAsAFullLoadDoes) {
  std::unique_ptr<Engine> full = OpenEngine(a(), FullyLoaded());
  std::unique_ptr<Engine> part = OpenEngine(a(), OneShot());
  ASSERT_TRUE(full && part);
  ExpectSameAnswers(Answers(*full, cast_), Answers(*part, cast_));
  // The one-shot engine read parts only: nothing made it load in full.
  EXPECT_FALSE(part->startup().model_loaded);
}

TEST_F(OneShotPartTest, MutationsCommitAsOnAFullLoad) {
  const std::vector<Mutation> mutations = MutationsOf(a(), cast_);
  ASSERT_GT(mutations.size(), 30u);
  std::unique_ptr<Engine> full = OpenEngine(b(), FullyLoaded());
  ASSERT_TRUE(full);
  size_t committed = 0, refused = 0;
  for (const Mutation& m : mutations) {
    // As the CLI: a fresh one-shot engine for each command.
    std::unique_ptr<Engine> part = OpenEngine(a(), OneShot());
    ASSERT_TRUE(part);
    EXPECT_EQ(part->May(m).ToString(), full->May(m).ToString())
        << ActionName(m.action) << " by " << m.actor;
    const Result<CommitInfo> on_part = part->Apply(m);
    const Result<CommitInfo> on_full = full->Apply(m);
    EXPECT_EQ(Outcome(on_part), Outcome(on_full))
        << ActionName(m.action) << " by " << m.actor;
    (on_full.ok() ? committed : refused)++;
    EXPECT_FALSE(part->startup().model_loaded);
  }
  // Both kinds of outcome were compared.
  EXPECT_GT(committed, 10u);
  EXPECT_GT(refused, 3u);
  // Every row, every audit row (refusals included) the same.
  const std::vector<std::string> on_a = DbContent(a());
  const std::vector<std::string> on_b = DbContent(b());
  EXPECT_EQ(on_a, on_b) << FirstDifference(on_a, on_b);
  // And the answers after them.
  std::unique_ptr<Engine> part = OpenEngine(a(), OneShot());
  ASSERT_TRUE(part);
  ExpectSameAnswers(Answers(*full, cast_), Answers(*part, cast_));
}

TEST_F(OneShotPartTest, ASnapshotItsOwnCommitOutdatedIsNeverReadAgain) {
  // A right that grants access, and the HTB (still listed) who may revoke
  // it: "hco user app htb".
  const std::vector<std::string> rows = Column(
      a(),
      "SELECT s.hco || ' ' || r.insz || ' ' || r.application || ' ' || h.insz "
      "FROM user_right r JOIN subafdeling s ON s.id = r.subafdeling JOIN htb "
      "h ON h.kbo = s.kbo JOIN function f ON f.kbo = h.kbo AND f.insz = "
      "h.insz LIMIT 50");
  std::string hco, user, app, htb;
  {
    std::unique_ptr<Engine> full = OpenEngine(a(), FullyLoaded());
    ASSERT_TRUE(full);
    for (const std::string& row : rows) {
      std::istringstream in(row);
      in >> hco >> user >> app >> htb;
      Result<bool> allowed = full->Allowed(user, app, hco, nullptr);
      if (allowed.ok() && *allowed) break;
      hco.clear();
    }
  }
  ASSERT_FALSE(hco.empty()) << "no granting right among " << rows.size();
  {
    // A full load writes a current snapshot.
    OpenOptions writes = FullyLoaded();
    writes.index_snapshot = true;
    std::unique_ptr<Engine> full = OpenEngine(a(), writes);
    ASSERT_TRUE(full);
  }
  std::unique_ptr<Engine> part = OpenEngine(a(), OneShot(true));
  ASSERT_TRUE(part);
  Result<bool> before = part->Allowed(user, app, hco, nullptr);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_TRUE(*before);
  EXPECT_TRUE(part->startup().from_snapshot) << part->startup().snapshot_note;
  Mutation m;
  m.action = Action::kRevokeRight;
  m.actor = htb;
  m.hco = hco;
  m.insz = user;
  m.applications = {app};
  const Result<CommitInfo> revoked = part->Apply(m);
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  // The same engine: the snapshot still says allowed; the database not.
  Result<Decision> after = part->Check(user, app, hco);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_FALSE(after->allowed);
  EXPECT_EQ(after->revision, revoked->revision);
  // A fresh one-shot engine finds the snapshot stale and does not use it.
  std::unique_ptr<Engine> next = OpenEngine(a(), OneShot(true));
  ASSERT_TRUE(next);
  Result<bool> fresh = next->Allowed(user, app, hco, nullptr);
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_FALSE(*fresh);
  EXPECT_FALSE(next->startup().from_snapshot);
  EXPECT_EQ(next->revision(), revoked->revision);
}

}  // namespace
}  // namespace toegang::testing
