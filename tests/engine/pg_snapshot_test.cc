// An engine on a PostgreSQL database keeps its index snapshot in the
// local file OpenOptions::index_snapshot_file, or else
// TOEGANG_INDEX_SNAPSHOT, names (engine/settings.h): a service
// writes it after its full load, the next one starts from it and answers
// checks before its own load; a commit by another engine since, or a
// snapshot of another database, makes it start without; and without the
// variable no file is read or written.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "support/pg_cluster.h"
#include "support/test_federation.h"
#include "toegang/engine.h"

namespace toegang::testing {
namespace {

// Sets TOEGANG_INDEX_SNAPSHOT for the object's life.
class SnapshotFileVariable {
 public:
  explicit SnapshotFileVariable(const std::string& file) {
    ::setenv("TOEGANG_INDEX_SNAPSHOT", file.c_str(), 1);
  }
  ~SnapshotFileVariable() { ::unsetenv("TOEGANG_INDEX_SNAPSHOT"); }
};

class PgSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    cluster_ = PgCluster::Get(&why);
    db_ = cluster_ == nullptr ? "" : cluster_->NewDatabase();
    TOEGANG_SKIP_WITHOUT_STORE(db_, why);
    fed_ = std::make_unique<TestFederation>(db_);
    fed_->BuildOcmwChain();
    fed_->Close();
  }

  // A service engine on db (the graph loaded, then closed); its startup.
  static StartupInfo OpenCheckAndClose(const std::string& db, bool* allowed) {
    Result<std::unique_ptr<Engine>> e = Engine::Open(db);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    if (!e.ok()) return {};
    Result<Decision> d = (*e)->Check(kUser1, "ama-wvg", kHcoOcmw);
    *allowed = d.ok() && d->allowed;
    return (*e)->startup();
  }

  PgCluster* cluster_ = nullptr;
  std::string db_;
  std::unique_ptr<TestFederation> fed_;
  TempDir dir_;
};

TEST_F(PgSnapshotTest, AServiceStartsFromItsLocalSnapshotWhileItIsCurrent) {
  const std::string file = dir_.File("federation.index");
  SnapshotFileVariable variable(file);
  bool allowed = false;
  // The first start loads in full and leaves the snapshot behind.
  StartupInfo first = OpenCheckAndClose(db_, &allowed);
  EXPECT_FALSE(first.from_snapshot);
  EXPECT_TRUE(allowed);
  ASSERT_TRUE(std::filesystem::is_regular_file(file));
  EXPECT_EQ(std::filesystem::status(file).permissions() &
                std::filesystem::perms::others_all,
            std::filesystem::perms::none);

  StartupInfo second = OpenCheckAndClose(db_, &allowed);
  EXPECT_TRUE(second.from_snapshot) << second.snapshot_note;
  EXPECT_TRUE(allowed);

  // Another engine (one that keeps no snapshot, as on another host)
  // commits: the snapshot is behind, and not used.
  {
    OpenOptions o;
    o.index_snapshot = false;
    Result<std::unique_ptr<Engine>> writer = Engine::Open(db_, o);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    Result<CommitInfo> c = (*writer)->Apply(M(Action::kRevokeRight, kEmp2Ocmw)
                                                .Hco(kHcoOcmw)
                                                .Insz(kUser1)
                                                .App("ama-wvg"));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
  }
  StartupInfo behind = OpenCheckAndClose(db_, &allowed);
  EXPECT_FALSE(behind.from_snapshot);
  EXPECT_NE(behind.snapshot_note.find("revision"), std::string::npos)
      << behind.snapshot_note;
  EXPECT_FALSE(allowed);
  // That engine wrote a current one again at its close.
  StartupInfo again = OpenCheckAndClose(db_, &allowed);
  EXPECT_TRUE(again.from_snapshot) << again.snapshot_note;
  EXPECT_FALSE(allowed);

  // The same file for another database's engine: not its snapshot.
  const std::string other = cluster_->NewDatabase();
  {
    ::unsetenv("TOEGANG_INDEX_SNAPSHOT");  // it writes none of its own
    TestFederation elsewhere(other);
    elsewhere.BuildOcmwChain();
  }
  ::setenv("TOEGANG_INDEX_SNAPSHOT", file.c_str(), 1);
  StartupInfo foreign = OpenCheckAndClose(other, &allowed);
  EXPECT_FALSE(foreign.from_snapshot);
  EXPECT_NE(foreign.snapshot_note.find("another database"), std::string::npos)
      << foreign.snapshot_note;
  EXPECT_TRUE(allowed);
}

// An embedding program names the file in OpenOptions; it wins over the
// variable.
TEST_F(PgSnapshotTest, OpenOptionsNameTheFileBeforeTheVariable) {
  const std::string file = dir_.File("named.index");
  const std::string ignored = dir_.File("variable.index");
  SnapshotFileVariable variable(ignored);
  OpenOptions o;
  o.index_snapshot_file = file;
  for (bool from_snapshot : {false, true}) {
    Result<std::unique_ptr<Engine>> e = Engine::Open(db_, o);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_EQ((*e)->startup().from_snapshot, from_snapshot)
        << (*e)->startup().snapshot_note;
    Result<Decision> d = (*e)->Check(kUser1, "ama-wvg", kHcoOcmw);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_TRUE(d->allowed);
  }
  EXPECT_TRUE(std::filesystem::is_regular_file(file));
  EXPECT_FALSE(std::filesystem::exists(ignored));
}

TEST_F(PgSnapshotTest, WithoutTheVariableNoFileIsReadOrWritten) {
  ::unsetenv("TOEGANG_INDEX_SNAPSHOT");
  bool allowed = false;
  for (int i = 0; i < 2; ++i) {
    StartupInfo r = OpenCheckAndClose(db_, &allowed);
    EXPECT_FALSE(r.from_snapshot);
    EXPECT_TRUE(allowed);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path()));
}

}  // namespace
}  // namespace toegang::testing
