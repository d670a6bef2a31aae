// Shared plumbing of the toegang CLI: global options, opening the engine,
// printing results as text or JSON, and the exit codes of SPEC 7.
#ifndef TOEGANG_CLI_CONTEXT_H_
#define TOEGANG_CLI_CONTEXT_H_

#include <boost/program_options.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "toegang/engine.h"
#include "toegang/status.h"

namespace toegang::cli {

// SPEC 7 exit codes.
enum ExitCode : int {
  kExitOk = 0,
  kExitDenied = 1,
  kExitUsage = 2,
  kExitRefused = 3,
  kExitStorage = 4,
};

// Thrown inside the CLI for a usage error; main() turns it into exit 2.
struct UsageError {
  std::string message;
};

struct Context {
  std::string db_path;
  bool json = false;
  std::string lang = "en";  // "nl" | "en"
  // The words after the command (and sub-command), to parse per command.
  std::vector<std::string> args;

  // Opens the engine on db_path (create: for `init`). On failure prints the
  // error and returns nullptr with *exit_code set.
  std::unique_ptr<Engine> OpenEngine(bool create, int* exit_code) const;

  // Prints a failure as text (stderr) or JSON (stdout) and returns its exit
  // code. extra fields are merged into the JSON object.
  int Fail(const Status& status,
           const nlohmann::json& extra = nlohmann::json::object()) const;
  // Prints a JSON object (when --json) or the text lines.
  // Both print through JsonLine / TextLine: names from the database are
  // shown escaped, never raw (docs/cli.md, "How names are shown").
  void Print(const nlohmann::json& object,
             const std::vector<std::string>& text) const;
};

// One JSON object as one line of output: bytes that are not UTF-8 replaced
// by U+FFFD, and the code points that toegang/text.h refuses in a name
// written as \uNNNN escapes (the same JSON value).
std::string JsonLine(const nlohmann::json& object);
// One line of text output (it may hold line feeds and tabs of its own):
// everything else that toegang/text.h refuses in a name escaped
// (DisplayText), then a line feed.
std::string TextLine(std::string_view line);

// A progress line on stderr, when stderr is a terminal and not in --json
// mode (nullptr otherwise): label, a bar and the percentage of done/total.
std::function<void(uint64_t done, uint64_t total)> ProgressBar(
    const Context& ctx, const std::string& label);

// Maps a Status kind to the exit code (SPEC 7).
int ExitCodeFor(const Status& status);

// Parses ctx.args against options (and positional ones, if any); throws
// UsageError on unknown or malformed options, printing nothing.
boost::program_options::variables_map ParseArgs(
    const Context& ctx,
    const boost::program_options::options_description& options,
    const boost::program_options::positional_options_description* positional =
        nullptr);

// The value of an unsigned integer option (declared as a string option),
// or fallback when it is absent. Digits only, at most 2^63 - 1: Boost's own
// conversion to an unsigned type takes "-1" for 2^64 - 1. Throws
// UsageError.
uint64_t UnsignedOption(const boost::program_options::variables_map& vm,
                        const std::string& name, uint64_t fallback);

// The whole CLI: global options, then the command (main.cc). Returns
// the process exit code; main() (toegang_main.cc) and the CLI fuzz
// target call it.
int RunToegang(int argc, char** argv);

// Command entry points; each returns the process exit code.
int RunInit(const Context& ctx);
int RunImport(const Context& ctx, const std::string& what);
int RunMutation(const Context& ctx, const std::string& group,
                const std::string& verb);
int RunMay(const Context& ctx);
int RunCheck(const Context& ctx);
int RunAudit(const Context& ctx, bool changes_only);
int RunVerify(const Context& ctx);
int RunExplain(const Context& ctx);    // explain_command.cc
int RunAccess(const Context& ctx);     // helpdesk_commands.cc
int RunUsers(const Context& ctx);      // helpdesk_commands.cc
int RunManagedBy(const Context& ctx);  // helpdesk_commands.cc
int RunWho(const Context& ctx);        // who_command.cc
int RunGraph(const Context& ctx);      // helpdesk_commands.cc
int RunStats(const Context& ctx);
int RunGenerate(const Context& ctx);  // generate_command.cc
int RunServe(const Context& ctx);     // serve_command.cc

}  // namespace toegang::cli

#endif  // TOEGANG_CLI_CONTEXT_H_
