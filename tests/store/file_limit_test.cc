// The real `toegang` binary under a file-size limit (RLIMIT_FSIZE, what
// `ulimit -f` sets): a write past the limit must be the documented
// io_error (exit 4, with a remedy), not a process killed by SIGXFSZ; a
// failed `generate` leaves none of its temporary files behind, and the
// temporary files of a generate that died are removed by the next one.
//
// The child runs with SIGXFSZ at its default disposition (cli_runner.h's
// SpawnLimits), as from a shell: the suite itself never ignores the signal
// for these runs, so a CLI that does not ignore it dies of it here.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "support/cli_runner.h"
#include "support/db_content.h"
#include "support/random_identifiers.h"
#include "support/test_federation.h"

namespace toegang::testing {
namespace {

namespace fs = std::filesystem;

// The names of the files in dir, sorted.
std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += n + " ";
  return out;
}

// A process id that was in use a moment ago and is not any more: a child
// that exited and was reaped.
pid_t DeadPid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

// The io_error of a write past the file-size limit, in --json form and as
// text on stderr: exit 4 and a message that names the limit as the cause.
void ExpectFileSizeLimitError(const CliRun& json_run, const CliRun& text_run) {
  ExpectError(json_run, 4, "io_error");
  const json j = OneObject(json_run);
  EXPECT_NE(j.value("message", "").find("ulimit -f"), std::string::npos)
      << Describe(json_run);
  EXPECT_EQ(text_run.exit, 4) << Describe(text_run);
  EXPECT_NE(text_run.err.find("toegang: io_error: "), std::string::npos)
      << Describe(text_run);
  EXPECT_NE(text_run.err.find("ulimit -f"), std::string::npos)
      << Describe(text_run);
}

TEST(FileSizeLimitTest, ImportPastTheLimitIsAnIoErrorAndChangesNothing) {
  TempDir dir;
  const std::string db = dir.File("limit.db");
  ASSERT_EQ(Spawn({"--db", db, "init"}, dir.path(), std::nullopt).exit, 0);
  std::mt19937_64 rng(11);
  std::string csv = "insz,name\n";
  for (int i = 0; i < 3000; ++i) {
    csv += RandomInsz(rng) + "," + std::string(150, 'n') + "\n";
  }
  const std::string big = dir.Write("many.csv", csv);
  const std::vector<std::string> before = DbContent(db);
  // Room for the database as it is and a little more, not for 3000 rows
  // of 160 bytes.
  uintmax_t largest = fs::file_size(db);
  if (fs::exists(db + "-wal")) {
    largest = std::max(largest, fs::file_size(db + "-wal"));
  }
  const SpawnLimits limits{static_cast<rlim_t>(largest + 32 * 1024)};

  const CliRun json_run =
      Spawn({"--json", "--db", db, "import", "persons", big}, dir.path(),
            std::nullopt, limits);
  const CliRun text_run = Spawn({"--db", db, "import", "persons", big},
                                dir.path(), std::nullopt, limits);
  ExpectFileSizeLimitError(json_run, text_run);
  EXPECT_EQ(DbContent(db), before);

  // Without the limit the same import goes through.
  const CliRun ok = Spawn({"--json", "--db", db, "import", "persons", big},
                          dir.path(), std::nullopt);
  ASSERT_EQ(ok.exit, 0) << Describe(ok);
  EXPECT_EQ(OneObject(ok).value("inserted", 0), 3000);
}

TEST(FileSizeLimitTest, GeneratePastTheLimitIsAnIoErrorAndLeavesNothing) {
  TempDir dir;
  const std::string out = dir.File("gen.db");
  const SpawnLimits limits{256 * 1024};
  const CliRun json_run =
      Spawn({"--json", "generate", "--persons", "5000", "--out", out},
            dir.path(), std::nullopt, limits);
  const CliRun text_run = Spawn({"generate", "--persons", "5000", "--out", out},
                                dir.path(), std::nullopt, limits);
  ExpectFileSizeLimitError(json_run, text_run);
  // Neither the database nor any temporary file of it.
  const std::vector<std::string> left = FilesIn(dir.path());
  EXPECT_TRUE(left.empty()) << Joined(left);
}

TEST(FileSizeLimitTest, NextGenerateRemovesTemporaryFilesOfDeadRuns) {
  TempDir dir;
  const std::string out = dir.File("gen.db");
  const std::string dead = std::to_string(DeadPid());
  const std::string alive = std::to_string(::getpid());
  // What a generate killed at various points leaves: its database and the
  // SQLite files beside it.
  const std::vector<std::string> stale = {
      "gen.db.generating-" + dead + "-a1b2c3",
      "gen.db.generating-" + dead + "-a1b2c3-journal",
      "gen.db.generating-" + dead + "-a1b2c3-wal",
      "gen.db.generating-" + dead + "-a1b2c3-shm"};
  // A run still alive (this test process), and another output's file.
  const std::vector<std::string> kept = {
      "gen.db.generating-" + alive + "-d4e5f6",
      "other.db.generating-" + dead + "-a1b2c3"};
  for (const std::string& name : stale) dir.Write(name, "half a database");
  for (const std::string& name : kept) dir.Write(name, "not ours to remove");

  const CliRun run =
      Spawn({"--json", "generate", "--persons", "300", "--out", out},
            dir.path(), std::nullopt);
  ASSERT_EQ(run.exit, 0) << Describe(run);
  for (const std::string& name : stale) {
    EXPECT_FALSE(fs::exists(dir.File(name))) << name;
  }
  for (const std::string& name : kept) {
    EXPECT_TRUE(fs::exists(dir.File(name))) << name;
  }
  // And the run's own temporary files are gone: what is left is its
  // output (with its SQLite files) and the two kept files.
  std::vector<std::string> left = FilesIn(dir.path());
  std::erase_if(left, [](const std::string& n) {
    return n.find(".generating-") == std::string::npos;
  });
  std::vector<std::string> expected = kept;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(left, expected) << Joined(left);
}

}  // namespace
}  // namespace toegang::testing
