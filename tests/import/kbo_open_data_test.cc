// KBO Open Data as the KBO publishes it (issue 23): full and update
// extracts in their real format (quoted numbers, dd-mm-yyyy dates, empty
// JuridicalFormCAC, Language 0-4, denomination types 001-004), unpacked in
// folders the test writes; the extract sequence; the errors.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/test_federation.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"

namespace toegang::testing {
namespace {

using Kind = Status::Kind;

const char* kEnterpriseHeader =
    "\"EnterpriseNumber\",\"Status\",\"JuridicalSituation\","
    "\"TypeOfEnterprise\",\"JuridicalForm\",\"JuridicalFormCAC\","
    "\"StartDate\"\n";
const char* kDenominationHeader =
    "\"EntityNumber\",\"Language\",\"TypeOfDenomination\","
    "\"Denomination\"\n";

std::string Enterprise(const std::string& number) {
  return "\"" + number +
         "\",\"AC\",\"000\",\"2\",\"017\",\"\",\"01-01-1990\"\n";
}

class KboOpenDataTest : public ::testing::Test {
 protected:
  KboOpenDataTest() { fed_.BuildOcmwChain(); }  // kUser1 at 12345 (kOcmw)
  Engine& engine() { return fed_.engine(); }

  // Writes an unpacked extract; files maps a name to its content. Returns
  // the folder.
  std::string Extract(const std::string& type, int number,
                      const std::map<std::string, std::string>& files,
                      const std::string& meta_override = "") {
    const std::string dir =
        fed_.dir().File("KboOpenData_" + std::to_string(number) + "_" + type +
                        "_" + std::to_string(++made_));
    std::filesystem::create_directories(dir);
    const std::string meta =
        meta_override.empty()
            ? "\"Variable\",\"Value\"\n\"SnapshotDate\",\"05-12-2026\"\n"
              "\"ExtractTimestamp\",\"06-12-2026 04:12:05\"\n"
              "\"ExtractType\",\"" +
                  type + "\"\n\"ExtractNumber\",\"" + std::to_string(number) +
                  "\"\n\"Version\",\"1.0.0\"\n"
            : meta_override;
    std::ofstream(dir + "/meta.csv") << meta;
    for (const auto& [name, content] : files) {
      std::ofstream(dir + "/" + name) << content;
    }
    return dir;
  }

  // A full extract listing these enterprise numbers (display form).
  std::string Full(int number, const std::vector<std::string>& numbers) {
    std::string ent = kEnterpriseHeader;
    std::string den = kDenominationHeader;
    for (const std::string& n : numbers) {
      ent += Enterprise(n);
      den += "\"" + n + "\",\"2\",\"001\",\"Naam " + n + "\"\n";
      den += "\"" + n + "\",\"0\",\"004\",\"Vestiging " + n + "\"\n";
    }
    return Extract("full", number,
                   {{"enterprise.csv", ent},
                    {"denomination.csv", den},
                    {"address.csv", "\"EntityNumber\"\n"},
                    {"activity.csv", "\"EntityNumber\"\n"}});
  }

  std::string Update(int number, const std::vector<std::string>& deleted,
                     const std::vector<std::string>& inserted) {
    std::string del = "\"EnterpriseNumber\"\n";
    for (const std::string& n : deleted) del += "\"" + n + "\"\n";
    std::string ins = kEnterpriseHeader;
    std::string den_del = "\"EntityNumber\"\n";
    std::string den_ins = kDenominationHeader;
    for (const std::string& n : inserted) {
      ins += Enterprise(n);
      den_del += "\"" + n + "\"\n";
      den_ins += "\"" + n + "\",\"1\",\"003\",\"Nom " + n + "\"\n";
    }
    return Extract("update", number,
                   {{"enterprise_delete.csv", del},
                    {"enterprise_insert.csv", ins},
                    {"denomination_delete.csv", den_del},
                    {"denomination_insert.csv", den_ins},
                    {"contact_insert.csv", "\"EntityNumber\"\n"}});
  }

  // The extract in dir as a zip, the way the KBO publishes it (the files
  // at the top level), made with libzip. Returns the zip's path.
  std::string Zip(const std::string& dir) {
    const std::string path = dir + ".zip";
    int error = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    EXPECT_NE(z, nullptr) << error;
    if (z == nullptr) return path;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      zip_source_t* src = zip_source_file(z, e.path().c_str(), 0, -1);
      EXPECT_NE(src, nullptr);
      EXPECT_GE(
          zip_file_add(z, e.path().filename().c_str(), src, ZIP_FL_ENC_UTF_8),
          0);
    }
    EXPECT_EQ(zip_close(z), 0);
    return path;
  }

  Status Apply(const std::string& dir, ImportReport* r, bool force = false,
               bool dry_run = false) {
    ImportOptions o;
    o.force = force;
    o.dry_run = dry_run;
    return engine().ImportKboOpenData(dir, o, r);
  }
  ImportReport MustApply(const std::string& dir) {
    ImportReport r;
    Status s = Apply(dir, &r);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return r;
  }

  std::string Reason(const std::string& insz) {
    Result<Explanation> e = engine().Explain(insz, "ama-wvg", "", Lang::kEn);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? e->reason : "";
  }

  TestFederation fed_;
  int made_ = 0;
};

// The fixture's active enterprises: kOcmw, kWzc, kOther (kStopped is
// stopped and no extract lists it).
const std::vector<std::string> kActive = {"0403.019.261", "0428.759.497",
                                          "0884.303.369"};

TEST_F(KboOpenDataTest, FullThenUpdatesThenFullAgain) {
  std::vector<std::string> first = kActive;
  first.push_back("0200.065.765");
  ImportReport r = MustApply(Full(140, first));
  EXPECT_EQ(r.extract_type, "full");
  EXPECT_EQ(r.extract_number, 140u);
  EXPECT_EQ(r.inserted, 1u);  // the new enterprise (its name is part of it)
  EXPECT_EQ(r.other_files, 2u);
  EXPECT_EQ(r.changes.enterprises_stopped, 0u);
  EXPECT_TRUE(fed_.Allowed(kUser1));

  // Update 141 deletes kOcmw: stopped, never erased; its users denied with
  // enterprise_inactive.
  r = MustApply(Update(141, {"0403.019.261"}, {}));
  EXPECT_EQ(r.changes.enterprises_stopped, 1u);
  EXPECT_FALSE(fed_.Allowed(kUser1));
  EXPECT_EQ(Reason(kUser1), "enterprise_inactive");
  Result<WhoReport> who = engine().Who(kOcmw);
  ASSERT_TRUE(who.ok());
  EXPECT_FALSE(who->active);
  EXPECT_TRUE(who->htb.has_value());  // history and HTB stay

  // Update 142 inserts it again: active, and the users are allowed again.
  r = MustApply(Update(142, {}, {"0403.019.261"}));
  EXPECT_EQ(r.changes.enterprises_reactivated, 1u);
  EXPECT_TRUE(fed_.Allowed(kUser1));

  // A full extract without kWzc stops it, with the extract number as the
  // reason in its audit row.
  r = MustApply(Full(150, {"0403.019.261", "0884.303.369", "0200.065.765"}));
  EXPECT_EQ(r.changes.enterprises_stopped, 1u);
  AuditQuery q;
  q.kbo = kWzc;
  q.limit = 1000;
  Result<std::vector<AuditRecord>> rows = engine().Audit(q);
  ASSERT_TRUE(rows.ok());
  ASSERT_FALSE(rows->empty());
  EXPECT_EQ(rows->back().action, "import.enterprise");
  EXPECT_NE(rows->back().detail.find("extract 150"), std::string::npos)
      << rows->back().detail;
  // A full extract starts the sequence anew: update 151 follows it.
  MustApply(Update(151, {}, {}));
}

TEST_F(KboOpenDataTest, DeleteThenInsertOfOneNumberIsAChangeNotAStop) {
  MustApply(Full(140, kActive));
  const uint64_t seq_before = [&] {
    AuditQuery q;
    q.kbo = kOcmw;
    q.limit = 10000;
    return engine().Audit(q)->size();
  }();
  ImportReport r = MustApply(Update(141, {"0403.019.261"}, {"0403.019.261"}));
  EXPECT_EQ(r.changes.enterprises_stopped, 0u);
  EXPECT_TRUE(fed_.Allowed(kUser1));
  AuditQuery q;
  q.kbo = kOcmw;
  q.limit = 10000;
  Result<std::vector<AuditRecord>> rows = engine().Audit(q);
  ASSERT_TRUE(rows.ok());
  for (size_t i = seq_before; i < rows->size(); ++i) {
    EXPECT_NE((*rows)[i].action, "import.enterprise") << (*rows)[i].message;
  }
}

TEST_F(KboOpenDataTest, GapRefusedReappliedNoOpAndForce) {
  MustApply(Full(140, kActive));
  const uint64_t revision = engine().revision();
  ImportReport r;
  Status gap = Apply(Update(143, {"0403.019.261"}, {}), &r);
  EXPECT_EQ(gap.kind(), Kind::kRefused);
  EXPECT_EQ(gap.code(), code::kExtractGap);
  EXPECT_NE(gap.message().find("141 to 142"), std::string::npos)
      << gap.message();
  EXPECT_EQ(engine().revision(), revision);
  EXPECT_TRUE(fed_.Allowed(kUser1));

  const std::string u141 = Update(141, {}, {"0200.065.765"});
  MustApply(u141);
  const uint64_t after = engine().revision();
  r = MustApply(u141);  // again: a no-op
  EXPECT_TRUE(r.already_applied);
  EXPECT_EQ(r.revision, 0u);
  EXPECT_EQ(engine().revision(), after);

  Status one = Apply(Update(143, {}, {}), &r);
  EXPECT_EQ(one.code(), code::kExtractGap);
  EXPECT_NE(one.message().find("extract 142 is missing"), std::string::npos)
      << one.message();
  ASSERT_TRUE(Apply(Update(143, {"0403.019.261"}, {}), &r, true).ok());
  EXPECT_FALSE(fed_.Allowed(kUser1));
}

TEST_F(KboOpenDataTest, UpdateBeforeAnyFullExtractIsRefused) {
  ImportReport r;
  Status s = Apply(Update(141, {"0403.019.261"}, {}), &r);
  EXPECT_EQ(s.code(), code::kNoFullExtract);
  EXPECT_TRUE(fed_.Allowed(kUser1));
}

TEST_F(KboOpenDataTest, UpdateOnAnEmptyDatabaseIsRefusedAndWritesNothing) {
  OpenOptions o;
  o.create_if_missing = true;
  Result<std::unique_ptr<Engine>> opened =
      Engine::Open(fed_.dir().File("empty.db"), o);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Engine& empty = **opened;
  const uint64_t revision = empty.revision();
  ImportReport r;
  Status s = empty.ImportKboOpenData(
      Zip(Update(141, {"0403.019.261"}, {"0200.065.765"})), {}, &r);
  EXPECT_EQ(s.kind(), Kind::kRefused);
  EXPECT_EQ(s.code(), code::kNoFullExtract);
  EXPECT_NE(s.message().find("update extract 141"), std::string::npos)
      << s.message();
  EXPECT_EQ(empty.revision(), revision);
  Result<Stats> stats = empty.GetStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->enterprises, 0u);  // not even the inserted one
}

TEST_F(KboOpenDataTest, BadExtractsAreCodedErrorsNamingFileAndLine) {
  MustApply(Full(140, kActive));
  const uint64_t revision = engine().revision();
  ImportReport r;
  // Not an extract at all.
  const std::string empty = fed_.dir().File("not-an-extract");
  std::filesystem::create_directories(empty);
  Status s = Apply(empty, &r);
  EXPECT_EQ(s.code(), code::kInvalidExtract);
  EXPECT_NE(s.message().find("meta.csv"), std::string::npos);
  // A malformed meta.csv: the line of the bad date.
  s = Apply(Update(141, {}, {}), &r);  // fine, moves to 141
  ASSERT_TRUE(s.ok()) << s.ToString();
  s = Apply(Extract("update", 142, {},
                    "\"Variable\",\"Value\"\n\"SnapshotDate\",\"31-02-2026\"\n"
                    "\"ExtractTimestamp\",\"x\"\n\"ExtractType\",\"update\"\n"
                    "\"ExtractNumber\",\"142\"\n\"Version\",\"1\"\n"),
            &r);
  EXPECT_EQ(s.code(), code::kInvalidExtract);
  EXPECT_NE(s.message().find("meta.csv:2"), std::string::npos) << s.message();
  // A file missing inside.
  s = Apply(Extract("update", 142,
                    {{"enterprise_delete.csv", "\"EnterpriseNumber\"\n"}}),
            &r);
  EXPECT_EQ(s.code(), code::kInvalidExtract);
  EXPECT_NE(s.message().find("enterprise_insert.csv"), std::string::npos)
      << s.message();
  // A semicolon-separated file: its header is refused at line 1.
  s = Apply(Extract("update", 142,
                    {{"enterprise_delete.csv", "\"EnterpriseNumber\"\n"},
                     {"enterprise_insert.csv",
                      "EnterpriseNumber;Status;JuridicalSituation;"
                      "TypeOfEnterprise;JuridicalForm;JuridicalFormCAC;"
                      "StartDate\n0403.019.261;AC;000;2;017;;01-01-1990\n"},
                     {"denomination_delete.csv", "\"EntityNumber\"\n"},
                     {"denomination_insert.csv", kDenominationHeader}}),
            &r);
  EXPECT_EQ(s.code(), code::kImportRejected);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors[0].line, 1u);
  EXPECT_NE(r.errors[0].file.find("enterprise_insert.csv"), std::string::npos);
  EXPECT_EQ(r.errors[0].code, code::kInvalidHeader);
  // A bad row in an update: nothing written, not even the delete before it.
  s = Apply(Update(142, {"0403.019.261", "0403.019.262"}, {}), &r);
  EXPECT_EQ(s.code(), code::kImportRejected);
  EXPECT_TRUE(fed_.Allowed(kUser1));
  EXPECT_EQ(engine().revision(), revision + 1);  // only update 141
}

// kill -9 inside a full extract's import (the enterprises written, the
// names being read, pages spilled into the WAL uncommitted): all or
// nothing. The child stops in the import's progress callback, so the
// kill always lands inside the transaction.
TEST_F(KboOpenDataTest, AFullExtractKilledMidwayLeavesNothingOfIt) {
  MustApply(Full(140, kActive));
  const uint64_t revision = engine().revision();
  const size_t enterprises = engine().GetStats()->enterprises;
  // 80,000 enterprises besides kOcmw and kOther (kWzc left out: the
  // extract, applied whole, stops it).
  std::vector<std::string> numbers = {"0403.019.261", "0884.303.369"};
  for (uint64_t base = 3'000'000; numbers.size() < 80'002; ++base) {
    const std::string d = fmt::format("{:08}{:02}", base, 97 - base % 97);
    numbers.push_back(d.substr(0, 4) + "." + d.substr(4, 3) + "." +
                      d.substr(7, 3));
  }
  const std::string extract = Full(141, numbers);
  fed_.Close();

  int ready_fd = -1;
  const pid_t pid = ForkWriter(&ready_fd, [&](int fd) {
    Result<std::unique_ptr<Engine>> e = Engine::Open(fed_.db_path());
    if (!e.ok()) ::_exit(10);
    ImportOptions o;
    int calls = 0;
    o.progress = [&](uint64_t, uint64_t) {
      // The third call: 196,608 rows read, in denomination.csv.
      if (++calls < 3) return;
      const char c = 'k';
      if (::write(fd, &c, 1) != 1) ::_exit(12);
      for (;;) ::pause();  // until killed
    };
    ImportReport r;
    (void)(*e)->ImportKboOpenData(extract, o, &r);
    ::_exit(11);  // finished: the kill never came
  });
  ASSERT_GE(pid, 0);
  char c = 0;
  const ssize_t got = ::read(ready_fd, &c, 1);
  ::close(ready_fd);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_EQ(got, 1) << "the child ended before the import's third progress "
                    << "call (exit " << WEXITSTATUS(status) << ")";
  ASSERT_TRUE(WIFSIGNALED(status));

  fed_.Reopen();
  Result<std::vector<std::string>> problems = engine().Verify();
  ASSERT_TRUE(problems.ok()) << problems.status().ToString();
  EXPECT_TRUE(problems->empty()) << problems->front();
  EXPECT_EQ(engine().revision(), revision);
  EXPECT_EQ(engine().GetStats()->enterprises, enterprises);
  Result<WhoReport> wzc = engine().Who(kWzc);
  ASSERT_TRUE(wzc.ok());
  EXPECT_TRUE(wzc->active);
  EXPECT_TRUE(fed_.Allowed(kUser1));

  // Nothing of it was recorded either: the same extract now applies whole.
  ImportReport r = MustApply(extract);
  EXPECT_EQ(r.revision, revision + 1);
  EXPECT_EQ(r.inserted, 80'000u);
  EXPECT_EQ(r.changes.enterprises_stopped, 1u);
  EXPECT_EQ(engine().GetStats()->enterprises, enterprises + 80'000);
}

TEST_F(KboOpenDataTest, DryRunChangesNothingAndReportsTheSameImpact) {
  MustApply(Full(140, kActive));
  const uint64_t revision = engine().revision();
  const std::string u = Update(141, {"0403.019.261"}, {});
  ImportReport dry;
  ASSERT_TRUE(Apply(u, &dry, false, /*dry_run=*/true).ok());
  EXPECT_EQ(engine().revision(), revision);
  EXPECT_TRUE(fed_.Allowed(kUser1));
  ASSERT_FALSE(dry.impact.empty());
  EXPECT_EQ(dry.impact[0].application, "ama-wvg");
  EXPECT_EQ(dry.impact[0].lose, 1u);
  EXPECT_EQ(dry.impact[0].losing, std::vector<std::string>{kUser1});
  // The sequence did not move: the same update applies for real.
  ImportReport real = MustApply(u);
  EXPECT_EQ(real.revision, revision + 1);
  ASSERT_EQ(real.impact.size(), dry.impact.size());
  for (size_t i = 0; i < real.impact.size(); ++i) {
    EXPECT_EQ(real.impact[i].lose, dry.impact[i].lose);
    EXPECT_EQ(real.impact[i].gain, dry.impact[i].gain);
    EXPECT_EQ(real.impact[i].losing, dry.impact[i].losing);
  }
  EXPECT_FALSE(fed_.Allowed(kUser1));
}

TEST_F(KboOpenDataTest, ZipsAsDownloadedAreReadWithoutUnpacking) {
  ImportReport r = MustApply(Zip(Full(140, kActive)));
  EXPECT_EQ(r.extract_type, "full");
  EXPECT_EQ(r.other_files, 2u);
  const std::string update = Zip(Update(141, {"0403.019.261"}, {}));
  r = MustApply(update);
  EXPECT_EQ(r.changes.enterprises_stopped, 1u);
  EXPECT_FALSE(fed_.Allowed(kUser1));
  EXPECT_EQ(Reason(kUser1), "enterprise_inactive");
  r = MustApply(update);
  EXPECT_TRUE(r.already_applied);
  r = MustApply(Zip(Update(142, {}, {"0403.019.261"})));
  EXPECT_EQ(r.changes.enterprises_reactivated, 1u);
  EXPECT_TRUE(fed_.Allowed(kUser1));
}

TEST_F(KboOpenDataTest, CorruptOrForeignZipsAreInvalidExtracts) {
  MustApply(Full(140, kActive));
  const uint64_t revision = engine().revision();
  ImportReport r;
  // A corrupt zip: a real one cut in half.
  const std::string good = Zip(Update(141, {"0403.019.261"}, {}));
  const std::string data = ReadFile(good);
  const std::string cut = fed_.dir().Write("KboOpenData_0141_cut.zip",
                                           data.substr(0, data.size() / 2));
  Status s = Apply(cut, &r);
  EXPECT_EQ(s.code(), code::kInvalidExtract) << s.ToString();
  EXPECT_NE(s.message().find("KboOpenData_0141_cut.zip"), std::string::npos);
  // Not a zip at all.
  s = Apply(fed_.dir().Write("KboOpenData_0141.zip", "not a zip\n"), &r);
  EXPECT_EQ(s.code(), code::kInvalidExtract) << s.ToString();
  // A zip that is not a KBO extract (no meta.csv).
  const std::string other = fed_.dir().File("other");
  std::filesystem::create_directories(other);
  std::ofstream(other + "/readme.txt") << "hello\n";
  s = Apply(Zip(other), &r);
  EXPECT_EQ(s.code(), code::kInvalidExtract) << s.ToString();
  EXPECT_NE(s.message().find("meta.csv"), std::string::npos);
  EXPECT_EQ(engine().revision(), revision);
  EXPECT_TRUE(fed_.Allowed(kUser1));
}

}  // namespace
}  // namespace toegang::testing
