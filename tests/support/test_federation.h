// A small, fully known federation for the engine and CLI tests.
//
// TestFederation creates a temporary directory with registry CSV files and
// a database initialized and imported from them. The cast:
//
//   enterprise kOcmw  0403019261 "OCMW Gent", active, an OCMW:
//       facility 12345 OCMW Gent            type 009, active
//       facility 45678 Sociaal Huis Gent    type 089, active
//       facility 10001 OCMW Gent Oud        type 009, closed
//     WV kWvOcmw; employees kEmpOcmw, kEmp2Ocmw
//   enterprise kWzc   0428759497 "Woonzorgcentrum De Linde", active:
//       facility 0012345 WZC De Linde       type 034, active
//       facility 0012346 WZC De Linde Oost  type 034, active
//     WV kWvWzc; employee kEmpWzc
//   enterprise kStopped 0353456320 "Gestopte vzw", stopped:
//       facility 200431 Dagcentrum          type 094, closed
//       facility 200432 Dagcentrum Nieuw    type 094, active
//     WV kWvStopped
//   enterprise kOther 0884303369 "Les Erables", active:
//       facility 31415 Les Erables          type 034, active
//     WV kWvOther
//   persons kUser1, kUser2, kUser3, kOutsider: no functions anywhere.
//
// Nothing is delegated yet: tests build the delegation they need, or call
// BuildOcmwChain() for the manual's whole procedure on kOcmw and
// BuildWzcChain() for a second enterprise with two subafdelingen.
#ifndef TOEGANG_TESTS_TEST_FEDERATION_H_
#define TOEGANG_TESTS_TEST_FEDERATION_H_

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "toegang/engine.h"
#include "toegang/mutation.h"

namespace toegang::testing {

inline constexpr const char* kOcmw = "0403019261";
inline constexpr const char* kWzc = "0428759497";
inline constexpr const char* kStopped = "0353456320";
inline constexpr const char* kOther = "0884303369";
inline constexpr const char* kUnknownKbo = "0444712336";  // valid, not imported

inline constexpr const char* kWvOcmw = "93051822361";
inline constexpr const char* kEmpOcmw = "85073003328";
inline constexpr const char* kEmp2Ocmw = "17073003384";
inline constexpr const char* kWvWzc = "88022907742";
inline constexpr const char* kEmpWzc = "75060898009";
inline constexpr const char* kWvStopped = "01031545638";
inline constexpr const char* kWvOther = "67021212365";
inline constexpr const char* kUser1 = "81050003552";
inline constexpr const char* kUser2 = "75460898095";
inline constexpr const char* kUser3 = "92200006963";
inline constexpr const char* kOutsider = "19082416188";

inline constexpr const char* kHcoOcmw = "12345";         // 009, active
inline constexpr const char* kHcoSociaalHuis = "45678";  // 089, active
inline constexpr const char* kHcoOcmwClosed = "10001";   // 009, closed
inline constexpr const char* kHcoWzc = "0012345";        // 034, active
inline constexpr const char* kHcoWzcOost = "0012346";    // 034, active
inline constexpr const char* kHcoStoppedClosed = "200431";
inline constexpr const char* kHcoStopped = "200432";
inline constexpr const char* kHcoOther = "31415";
inline constexpr const char* kHcoUnknown = "999999";

// The whole content of a file (empty when it cannot be read).
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

// s quoted for /bin/sh.
inline std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Names the cases of a test run with frozen bases on the heap (false) and
// in a mapped file (true): .../Heap, .../Mapped.
inline std::string HeapOrMapped(const ::testing::TestParamInfo<bool>& p) {
  return p.param ? "Mapped" : "Heap";
}

// A unique temporary directory, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "toegang-test-XXXXXX")
            .string();
    char* made = ::mkdtemp(tmpl.data());
    if (made == nullptr) std::abort();
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  // Writes content to name in the directory; returns the full path.
  std::string Write(const std::string& name, const std::string& content) const {
    std::string p = File(name);
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::string path_;
};

// Every HCO of the cast, the unknown one, and "" (no facility asked).
inline const std::vector<std::string>& AllHcos() {
  static const std::vector<std::string> v = {
      "",        kHcoOcmw,    kHcoSociaalHuis,   kHcoOcmwClosed,
      kHcoWzc,   kHcoWzcOost, kHcoStoppedClosed, kHcoStopped,
      kHcoOther, kHcoUnknown};
  return v;
}

inline std::string EnterpriseCsv() {
  return "\"EnterpriseNumber\",\"Status\",\"JuridicalSituation\","
         "\"TypeOfEnterprise\",\"JuridicalForm\",\"JuridicalFormCAC\","
         "\"StartDate\"\n"
         "\"0403.019.261\",\"AC\",\"000\",\"2\",\"416\",\"\",\"01-01-1977\"\n"
         "\"0428.759.497\",\"AC\",\"000\",\"2\",\"017\",\"\",\"28-02-1986\"\n"
         "\"0353.456.320\",\"ST\",\"012\",\"2\",\"017\",\"\",\"15-06-1975\"\n"
         "\"0884.303.369\",\"AC\",\"000\",\"2\",\"706\",\"\",\"29-02-2008\"\n";
}

inline std::string DenominationCsv() {
  return "\"EntityNumber\",\"Language\",\"TypeOfDenomination\","
         "\"Denomination\"\n"
         "\"0403.019.261\",\"1\",\"001\",\"CPAS de Gand\"\n"
         "\"0403.019.261\",\"2\",\"001\",\"OCMW Gent\"\n"
         "\"0428.759.497\",\"2\",\"001\",\"Woonzorgcentrum De Linde\"\n"
         "\"0353.456.320\",\"2\",\"001\",\"Gestopte vzw\"\n"
         "\"0884.303.369\",\"1\",\"001\",\"Les Erables\"\n"
         "\"2.123.456.791\",\"2\",\"001\",\"Vestiging\"\n";
}

inline std::string PersonsCsv() {
  return "insz,name\n"
         "93051822361,Wendy Verhoeven\n"
         "85073003328,Hilde Bosmans\n"
         "17073003384,Tom Claes\n"
         "88022907742,Anne-Sophie Lemaire\n"
         "75060898009,Marie Claes\n"
         "01031545638,Noor De Smet\n"
         "67021212365,Luc Wouters\n"
         "81050003552,Ahmed El Amrani\n"
         "75460898095,Ana Lukasiewicz\n"
         "92200006963,Els Van den Broeck\n"
         "19082416188,Olivier Buiten\n";
}

inline std::string FunctionsCsv() {
  return "kbo,insz,role\n"
         "0403019261,93051822361,legal_representative\n"
         "0403019261,85073003328,employee\n"
         "0403019261,17073003384,employee\n"
         "0428759497,88022907742,legal_representative\n"
         "0428759497,75060898009,employee\n"
         "0353456320,01031545638,legal_representative\n"
         "0884303369,67021212365,legal_representative\n";
}

inline std::string FacilitiesCsv() {
  return "hco,name,type_code,kbo,status\n"
         "12345,OCMW Gent,009,0403019261,active\n"
         "45678,Sociaal Huis Gent,089,0403019261,active\n"
         "10001,OCMW Gent Oud,009,0403019261,closed\n"
         "0012345,WZC De Linde,034,0428759497,active\n"
         "0012346,WZC De Linde Oost,034,0428759497,active\n"
         "200431,Dagcentrum,094,0353456320,closed\n"
         "200432,Dagcentrum Nieuw,094,0353456320,active\n"
         "31415,Les Erables,034,0884303369,active\n";
}

// FacilitiesCsv with facility hco's type changed to `type` (three digits).
inline std::string FacilitiesCsvRetyped(const std::string& hco,
                                        const std::string& type) {
  std::string csv = FacilitiesCsv();
  const size_t at = csv.find("\n" + hco + ",");
  if (at == std::string::npos) return csv;
  const size_t type_at = csv.find(',', csv.find(',', at + 1) + 1) + 1;
  csv.replace(type_at, 3, type);
  return csv;
}

// Builds a Mutation tersely.
struct M {
  Mutation m;
  explicit M(Action a, std::string by) {
    m.action = a;
    m.actor = std::move(by);
  }
  M& Kbo(std::string v) {
    m.kbo = std::move(v);
    return *this;
  }
  M& Cap(std::string v) {
    m.capacity = std::move(v);
    return *this;
  }
  M& Sub(std::string v) {
    m.subdivision = std::move(v);
    return *this;
  }
  M& Hco(std::string v) {
    m.hco = std::move(v);
    return *this;
  }
  M& Insz(std::string v) {
    m.insz = std::move(v);
    return *this;
  }
  M& Email(std::string v) {
    m.email = std::move(v);
    return *this;
  }
  M& Phone(std::string v) {
    m.phone = std::move(v);
    return *this;
  }
  M& App(std::string v) {
    m.applications.push_back(std::move(v));
    return *this;
  }
  M& Manager(std::string v) {
    m.managers.push_back(std::move(v));
    return *this;
  }
  operator const Mutation&() const { return m; }  // NOLINT
};

class TestFederation {
 public:
  // On a database file in a temporary directory, or on `db` when given
  // (a PostgreSQL URI: support/pg_cluster.h).
  explicit TestFederation(const std::string& db = "")
      : db_path_(db.empty() ? dir_.File("federation.db") : db) {
    OpenOptions o;
    o.create_if_missing = true;
    Result<std::unique_ptr<Engine>> e = Engine::Open(db_path_, o);
    if (!e.ok()) {
      ADD_FAILURE() << e.status().ToString();
      return;
    }
    engine_ = std::move(e).value();
    ImportReport r;
    ImportOptions opts;
    Expect(engine_->ImportKbo(dir_.Write("enterprise.csv", EnterpriseCsv()),
                              dir_.Write("denomination.csv", DenominationCsv()),
                              opts, &r));
    Expect(engine_->ImportPersons(dir_.Write("persons.csv", PersonsCsv()), opts,
                                  &r));
    Expect(engine_->ImportFunctions(dir_.Write("functions.csv", FunctionsCsv()),
                                    opts, &r));
    Expect(engine_->ImportFacilities(
        dir_.Write("facilities.csv", FacilitiesCsv()), opts, &r));
  }

  Engine& engine() { return *engine_; }
  // The database's name: a file's path, or a PostgreSQL URI.
  const std::string& db_path() const { return db_path_; }
  const TempDir& dir() const { return dir_; }

  // Closes the engine (the file stays); Reopen() opens it again.
  void Close() { engine_.reset(); }

  // Closes and reopens the engine on the same file.
  void Reopen() {
    engine_.reset();
    Result<std::unique_ptr<Engine>> e = Engine::Open(db_path_);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(e).value();
  }

  // Applies m and fails the test when it is refused.
  CommitInfo MustApply(const Mutation& m) {
    Result<CommitInfo> r = engine_->Apply(m);
    EXPECT_TRUE(r.ok()) << ActionName(m.action) << ": "
                        << r.status().ToString();
    return r.ok() ? r.value() : CommitInfo{};
  }

  // The manual's whole procedure on kOcmw: the WV appoints kEmpOcmw as HTB,
  // the HTB activates the capacity and sets kEmp2Ocmw as TB, the TB creates
  // subafdeling 12345 authorized for ama-wvg with kUser3 as manager, and
  // adds kUser1 with the ama-wvg right.
  void BuildOcmwChain() {
    MustApply(M(Action::kAppointHtb, kWvOcmw)
                  .Kbo(kOcmw)
                  .Insz(kEmpOcmw)
                  .Email("htb@ocmw.gent")
                  .Phone("+32 9 266 99 00"));
    MustApply(M(Action::kActivateCapacity, kEmpOcmw).Kbo(kOcmw));
    MustApply(M(Action::kSetTb, kEmpOcmw).Kbo(kOcmw).Insz(kEmp2Ocmw));
    MustApply(M(Action::kCreateSubafdeling, kEmp2Ocmw)
                  .Kbo(kOcmw)
                  .Hco(kHcoOcmw)
                  .Email("toegang@ocmw.gent")
                  .App("ama-wvg")
                  .Manager(kUser3));
    MustApply(M(Action::kAddUser, kEmp2Ocmw)
                  .Hco(kHcoOcmw)
                  .Insz(kUser1)
                  .App("ama-wvg"));
  }

  // A second chain, on kWzc: the WV appoints kEmpWzc as HTB, who activates
  // the capacity and creates subafdelingen 0012346 (ama-wvg, vipa) and
  // 0012345 (ama-wvg), in that order; kUser2 holds ama-wvg at both and vipa
  // at 0012346.
  void BuildWzcChain() {
    MustApply(M(Action::kAppointHtb, kWvWzc).Kbo(kWzc).Insz(kEmpWzc));
    MustApply(M(Action::kActivateCapacity, kEmpWzc).Kbo(kWzc));
    MustApply(M(Action::kCreateSubafdeling, kEmpWzc)
                  .Kbo(kWzc)
                  .Hco(kHcoWzcOost)
                  .Email("oost@delinde.be")
                  .App("ama-wvg")
                  .App("vipa"));
    MustApply(M(Action::kCreateSubafdeling, kEmpWzc)
                  .Kbo(kWzc)
                  .Hco(kHcoWzc)
                  .Email("toegang@delinde.be")
                  .App("ama-wvg"));
    MustApply(M(Action::kAddUser, kEmpWzc)
                  .Hco(kHcoWzcOost)
                  .Insz(kUser2)
                  .App("vipa")
                  .App("ama-wvg"));
    MustApply(
        M(Action::kAddUser, kEmpWzc).Hco(kHcoWzc).Insz(kUser2).App("ama-wvg"));
  }

  // Runs a DELETE of exactly one row (sql, with one parameter) on the
  // database file behind the engine's back, with foreign keys not
  // enforced, then reopens the engine: how tests reach states the public
  // API cannot make (an enterprise without HTB, a capacity switched off).
  void DeleteRowAndReopen(const std::string& sql, const std::string& param) {
    engine_.reset();  // as an administrator stops the services first
    {
      SQLite::Database db(db_path_, SQLite::OPEN_READWRITE, 5000);
      db.exec("PRAGMA foreign_keys = OFF");
      SQLite::Statement q(db, sql);
      q.bind(1, param);
      ASSERT_EQ(q.exec(), 1);
    }
    // An edit behind toegang's back keeps the revision, so the index
    // snapshot would still look current: remove it, as docs/architecture.md
    // ("Start-up") tells an administrator to.
    std::filesystem::remove(db_path_ + "-index");
    Reopen();
  }

  bool Allowed(const std::string& insz, const std::string& app = "ama-wvg",
               const std::string& hco = "") {
    Result<Decision> d = engine_->Check(insz, app, hco);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() && d->allowed;
  }

 private:
  static void Expect(const Status& s) { EXPECT_TRUE(s.ok()) << s.ToString(); }

  TempDir dir_;
  std::string db_path_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace toegang::testing

#endif  // TOEGANG_TESTS_TEST_FEDERATION_H_
