// libFuzzer target for the CLI's argument layer (SPEC 7, 9): the input
// bytes are the words after `toegang`, one per line (at most 40), run
// through toegang::cli::RunToegang exactly as main() runs them.
//
// The default database (TOEGANG_DB) is a federation with the test cast and
// the manual's chain on the OCMW, in a private directory (on /dev/shm when
// there is one) that is also the working directory, so that a fuzzed
// `--db NAME init` creates its file there. Commands may change the
// federation; that is part of the search. Output goes nowhere: std::cout
// and std::cerr are silenced, the sanitizers still report on fd 2.
// Invariants (a violation is a crash): the exit code is one of SPEC 7's
// (0-4), and no exception leaves RunToegang.
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_context.h"
#include "fuzz_guard.h"

namespace {

using toegang::fuzz::Check;

int Run(std::vector<std::string> words) {
  words.insert(words.begin(), "toegang");
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  return toegang::cli::RunToegang(static_cast<int>(words.size()), argv.data());
}

void Write(const std::string& name, const std::string& content) {
  std::ofstream(name, std::ios::binary | std::ios::trunc) << content;
}

std::ostringstream& Sink() {
  static std::ostringstream sink;
  sink.str("");
  return sink;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string dir = (::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") +
                    std::string("/toegang-cli-fuzz-XXXXXX");
  Check(::mkdtemp(dir.data()) != nullptr);
  Check(::chdir(dir.c_str()) == 0);
  // libFuzzer ends with exit(): the directory goes with the process.
  static const std::string kDir = dir;
  std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(kDir, ec);
  });
  // A fuzzed `import persons /dev/stdin` reads nothing, not forever.
  const int null_fd = ::open("/dev/null", O_RDONLY);
  Check(null_fd >= 0 && ::dup2(null_fd, STDIN_FILENO) == STDIN_FILENO);
  Check(::setenv("TOEGANG_DB", (dir + "/fuzz.db").c_str(), 1) == 0);
  std::cout.rdbuf(Sink().rdbuf());
  std::cerr.rdbuf(Sink().rdbuf());
  Write("enterprise.csv",
        "\"EnterpriseNumber\",\"Status\",\"JuridicalSituation\","
        "\"TypeOfEnterprise\",\"JuridicalForm\",\"JuridicalFormCAC\","
        "\"StartDate\"\n"
        "\"0403.019.261\",\"AC\",\"000\",\"2\",\"416\",\"\",\"01-01-1977\"\n"
        "\"0428.759.497\",\"AC\",\"000\",\"2\",\"017\",\"\",\"28-02-1986\"\n");
  Write("persons.csv",
        "insz,name\n93051822361,Wendy Verhoeven\n85073003328,Hilde Bosmans\n");
  Write("functions.csv",
        "kbo,insz,role\n0403019261,93051822361,legal_representative\n"
        "0403019261,85073003328,employee\n");
  Write("facilities.csv",
        "hco,name,type_code,kbo,status\n"
        "12345,OCMW Gent,009,0403019261,active\n"
        "0012345,WZC De Linde,034,0428759497,active\n");
  const std::vector<std::vector<std::string>> setup = {
      {"init"},
      {"import", "kbo", "--enterprises", "enterprise.csv"},
      {"import", "persons", "persons.csv"},
      {"import", "functions", "functions.csv"},
      {"import", "facilities", "facilities.csv"},
      {"htb", "appoint", "--kbo", "0403019261", "--insz", "85073003328", "--by",
       "93051822361"},
      {"hoedanigheid", "activate", "--kbo", "0403019261", "--by",
       "85073003328"},
      {"subafdeling", "create", "--kbo", "0403019261", "--hco", "12345",
       "--email", "a@ocmw.gent", "--authorize", "ama-wvg", "--by",
       "85073003328"},
      {"user", "add", "--hco", "12345", "--insz", "81050003552", "--right",
       "ama-wvg", "--by", "85073003328"},
  };
  for (const auto& words : setup) Check(Run(words) == 0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> words(1);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') {
      if (words.size() == 40) break;
      words.emplace_back();
    } else {
      words.back().push_back(static_cast<char>(data[i]));
    }
  }
  if (words.size() == 1 && words[0].empty()) words.clear();
  // Commands that run until stopped, write files as large as asked or
  // write a file or a database wherever they are told (backup, copy) are
  // not for a fuzzer's argv.
  for (const std::string& w : words) {
    // As argv sees it: up to the first NUL byte.
    const std::string arg = w.c_str();
    if (arg == "serve" || arg == "generate" || arg == "backup" ||
        arg == "copy") {
      return 0;
    }
  }
  toegang::fuzz::WithoutEscapes("RunToegang", [&] {
    const int exit_code = Run(words);
    Check(exit_code >= 0 && exit_code <= 4);
  });
  Sink();  // drop what the command printed
  return 0;
}
