// libFuzzer targets for the import readers end to end: Engine::ImportKbo,
// ImportPersons, ImportFunctions and ImportFacilities on a real database
// (SPEC 6, 9). One source, built once per reader: TOEGANG_FUZZ_IMPORT
// names it (kbo_enterprises, kbo_denominations, persons, functions,
// facilities).
//
// The input bytes are the file. The first byte's low bit picks
// --skip-invalid. The database (on /dev/shm when there is one, so that
// fsync is cheap) holds the test cast's registries. Invariants (a
// violation is a crash):
//   - the import returns a Status with a code when it fails, and never
//     throws;
//   - a failed import changes no revision; a successful one moves the
//     revision by 0 or 1, and without --skip-invalid has no invalid rows;
//   - the report's counts add up: inserted + updated + unchanged + ignored
//     + invalid == rows;
//   - after a commit, Verify() finds nothing wrong.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_guard.h"
#include "toegang/engine.h"

namespace {

using toegang::fuzz::Check;

std::string WorkDir() {
  static const std::string dir = [] {
    std::string tmpl = (::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") +
                       std::string("/toegang-import-fuzz-XXXXXX");
    Check(::mkdtemp(tmpl.data()) != nullptr);
    // libFuzzer ends with exit(): the directory goes with the process.
    // (A copy that outlives the static strings' destructors.)
    static const std::string* const kDir = new std::string(tmpl);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(*kDir, ec);
    });
    return tmpl;
  }();
  return dir;
}

std::string WriteFile(const std::string& name, const std::string& content) {
  const std::string path = WorkDir() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  return path;
}

const char kEnterprises[] =
    "\"EnterpriseNumber\",\"Status\",\"JuridicalSituation\","
    "\"TypeOfEnterprise\",\"JuridicalForm\",\"JuridicalFormCAC\","
    "\"StartDate\"\n"
    "\"0403.019.261\",\"AC\",\"000\",\"2\",\"416\",\"\",\"01-01-1977\"\n"
    "\"0428.759.497\",\"AC\",\"000\",\"2\",\"017\",\"\",\"28-02-1986\"\n";
const char kDenominations[] =
    "\"EntityNumber\",\"Language\",\"TypeOfDenomination\",\"Denomination\"\n"
    "\"0403.019.261\",\"2\",\"001\",\"OCMW Gent\"\n";
const char kPersons[] = "insz,name\n93051822361,Wendy Verhoeven\n";
const char kFunctions[] =
    "kbo,insz,role\n0403019261,93051822361,legal_representative\n";
const char kFacilities[] =
    "hco,name,type_code,kbo,status\n12345,OCMW Gent,009,0403019261,active\n";

toegang::Engine& TheEngine() {
  static std::unique_ptr<toegang::Engine> engine = [] {
    toegang::OpenOptions create;
    create.create_if_missing = true;
    auto opened = toegang::Engine::Open(WorkDir() + "/fuzz.db", create);
    Check(opened.ok());
    std::unique_ptr<toegang::Engine> e = std::move(opened).value();
    toegang::ImportReport r;
    Check(e->ImportKbo(WriteFile("e.csv", kEnterprises),
                       WriteFile("d.csv", kDenominations), {}, &r)
              .ok());
    Check(e->ImportPersons(WriteFile("p.csv", kPersons), {}, &r).ok());
    Check(e->ImportFunctions(WriteFile("f.csv", kFunctions), {}, &r).ok());
    Check(e->ImportFacilities(WriteFile("c.csv", kFacilities), {}, &r).ok());
    return e;
  }();
  return *engine;
}

toegang::Status Import(toegang::Engine& engine, const std::string& file,
                       const toegang::ImportOptions& options,
                       toegang::ImportReport* report) {
  const std::string reader = TOEGANG_FUZZ_IMPORT;
  if (reader == "kbo_enterprises") {
    return engine.ImportKbo(file, "", options, report);
  }
  if (reader == "kbo_denominations") {
    return engine.ImportKbo(WriteFile("e.csv", kEnterprises), file, options,
                            report);
  }
  if (reader == "persons") return engine.ImportPersons(file, options, report);
  if (reader == "functions") {
    return engine.ImportFunctions(file, options, report);
  }
  Check(reader == "facilities");
  return engine.ImportFacilities(file, options, report);
}

void FuzzImport(const uint8_t* data, size_t size) {
  toegang::Engine& engine = TheEngine();
  toegang::ImportOptions options;
  options.skip_invalid = size > 0 && (data[0] & 1) != 0;
  const std::string content(reinterpret_cast<const char*>(data), size);
  const std::string file = WriteFile("input.csv", content);
  const uint64_t before = engine.revision();
  toegang::ImportReport report;
  const toegang::Status s = Import(engine, file, options, &report);
  if (!s.ok()) {
    Check(!s.code().empty());
    Check(engine.revision() == before);
  } else {
    Check(engine.revision() == before || engine.revision() == before + 1);
    if (!options.skip_invalid) Check(report.invalid == 0);
    Check(report.inserted + report.updated + report.unchanged + report.ignored +
              report.invalid ==
          report.rows);
  }
  // A refused import rolled back and left the model alone; whatever
  // committed must leave the database and the model in agreement.
  if (engine.revision() != before) {
    const toegang::Result<std::vector<std::string>> problems = engine.Verify();
    Check(problems.ok() && problems->empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  toegang::fuzz::WithoutEscapes("the engine", [&] { FuzzImport(data, size); });
  return 0;
}
