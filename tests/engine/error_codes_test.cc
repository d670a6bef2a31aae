// Every error code the engine, the CLI, the HTTP service and the C API can
// emit is a constant of toegang/error_codes.h, and every constant is in
// docs/cli.md's code table (section 10): the codes are a public contract
// that scripts match on. The test reads the sources: a code given as a
// string literal where a Status, an HTTP error or a C API error is made
// must be one of the constants' values.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace toegang {
namespace {

namespace fs = std::filesystem;

const fs::path& Root() {
  static const fs::path root =
      fs::weakly_canonical(fs::path(TOEGANG_ENGINE_SRC_DIR) / ".." / "..");
  return root;
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

std::set<std::string> Matches(const std::string& text, const std::regex& re,
                              int group = 1) {
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re);
       it != std::sregex_iterator(); ++it) {
    out.insert((*it)[group].str());
  }
  return out;
}

// The values of the constants in error_codes.h.
std::set<std::string> Constants() {
  static const std::regex kConstant(
      R"re(inline\s+constexpr\s+std::string_view\s+k\w+\s*=\s*"([^"]*)")re");
  return Matches(Slurp(Root() / "engine/include/toegang/error_codes.h"),
                 kConstant);
}

// The codes of the tables of docs/cli.md section 10 (first column).
std::set<std::string> Documented() {
  const std::string doc = Slurp(Root() / "docs/cli.md");
  const size_t from = doc.find("\n## 10. Error codes");
  const size_t to = doc.find("\n## 11.", from);
  EXPECT_NE(from, std::string::npos);
  EXPECT_NE(to, std::string::npos);
  static const std::regex kRow(R"re(\n\| `([a-z_]+)` \|)re");
  return Matches(doc.substr(from, to - from), kRow);
}

// The sources that can emit a code: the engine, the CLI, the HTTP service,
// the generator (the C API is in the engine).
std::vector<fs::path> Sources() {
  std::vector<fs::path> out;
  for (const char* dir :
       {"engine/src", "tools/cli", "tools/serve", "tools/generator"}) {
    for (const fs::directory_entry& e :
         fs::recursive_directory_iterator(Root() / dir)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".cc" || ext == ".h")) {
        out.push_back(e.path());
      }
    }
  }
  return out;
}

// Where a code is given: Status::InvalidInput/Refused/Storage(CODE, ...),
// the HTTP service's ErrorResponse(STATUS, CODE, ...) and refuse(STATUS,
// CODE, ...), the C API's SetError(RESULT, CODE, ...). Group 1 is the code
// argument: a literal or a constant.
const std::regex& EmitSite() {
  static const std::regex re(
      R"re((?:(?:InvalidInput|Refused|Storage)\(|(?:ErrorResponse|refuse)\(\s*\d+\s*,|SetError\(\s*\w+\s*,)\s*("[^"]*"|code::k\w+))re");
  return re;
}

TEST(ErrorCodesTest, EveryCodeGivenAsALiteralIsAConstant) {
  const std::set<std::string> constants = Constants();
  ASSERT_GT(constants.size(), 50u);
  size_t sites = 0;
  std::set<std::string> literals;
  for (const fs::path& file : Sources()) {
    const std::string text = Slurp(file);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), EmitSite());
         it != std::sregex_iterator(); ++it) {
      ++sites;
      const std::string arg = (*it)[1].str();
      if (arg.front() != '"') continue;  // a constant
      const std::string code = arg.substr(1, arg.size() - 2);
      literals.insert(code);
      EXPECT_TRUE(constants.contains(code))
          << fs::relative(file, Root()).string() << " emits the code \"" << code
          << "\", which is not a constant of toegang/error_codes.h";
    }
  }
  // The patterns still find the places codes are given (a rename of
  // ErrorResponse or SetError would otherwise make this test pass empty).
  EXPECT_GT(sites, 100u);
  EXPECT_FALSE(literals.contains("data")) << "a sentinel code is back";
}

TEST(ErrorCodesTest, EveryConstantIsDocumentedAndEveryDocumentedCodeExists) {
  const std::set<std::string> constants = Constants();
  const std::set<std::string> documented = Documented();
  ASSERT_GT(documented.size(), 50u);
  for (const std::string& c : constants) {
    EXPECT_TRUE(documented.contains(c))
        << "error code `" << c << "` is not in docs/cli.md section 10";
  }
  for (const std::string& d : documented) {
    EXPECT_TRUE(constants.contains(d))
        << "docs/cli.md documents `" << d
        << "`, which is not a constant of toegang/error_codes.h";
  }
}

}  // namespace
}  // namespace toegang
