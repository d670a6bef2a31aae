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

// A command's options (Boost.Program_options descriptions, the one place
// each option is named and explained) and its operands, if any (`import
// persons FILE`).
struct CommandOptions {
  boost::program_options::options_description options{""};
  boost::program_options::positional_options_description operands;
};

struct Command;  // command_table.h

struct Context {
  std::string db_path;
  bool json = false;
  std::string lang = "en";  // "nl" | "en"
  // The words after the command (and sub-command), to parse per command.
  std::vector<std::string> args;
  // The command being run (its entry in the command table) and its full
  // name ("import kbo"), for ParseArgs and the messages; set by the
  // dispatcher.
  const Command* command = nullptr;
  std::string command_path;

  // Opens the engine on db_path (create: for `init`). On failure prints the
  // error and returns nullptr with *exit_code set.
  std::unique_ptr<Engine> OpenEngine(bool create, int* exit_code) const;

  // "code: message"; under --lang nl "code: " the code's Dutch text
  // (toegang/error_text.h) and the message on a line of its own as the
  // details.
  std::string ErrorText(const Status& status) const;
  // Prints a failure as text (stderr) or JSON (stdout; under --lang nl
  // with "message_nl") and returns its exit code. extra fields are merged
  // into the JSON object.
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

// Parses ctx.args against the options and operands of ctx.command (its
// table entry), and checks that its required options are there. Throws
// UsageError, in toegang's words, on an unknown option (with the closest
// known one as a suggestion), a missing value, an option given twice, a
// word without an option name (with the option it probably belongs to) or
// a required option left out; prints nothing.
boost::program_options::variables_map ParseArgs(const Context& ctx);
// The same against the given options (`may`, whose options depend on
// --action); checks no required options.
boost::program_options::variables_map ParseArgs(const Context& ctx,
                                                const CommandOptions& spec);

// The value of an unsigned integer option (declared as a string option),
// or fallback when it is absent. Digits only, at most 2^63 - 1: Boost's own
// conversion to an unsigned type takes "-1" for 2^64 - 1. Throws
// UsageError.
uint64_t UnsignedOption(const boost::program_options::variables_map& vm,
                        const std::string& name, uint64_t fallback);

// The value of a text option, or "" when it is absent.
std::string TextOption(const boost::program_options::variables_map& vm,
                       const std::string& name);

// The whole CLI: global options, then the command (main.cc). Returns
// the process exit code; main() (toegang_main.cc) and the CLI fuzz
// target call it.
int RunToegang(int argc, char** argv);

// Command entry points (each returns the process exit code) and their
// options; command_table.cc names them in the one table of commands.
CommandOptions NoCommandOptions();      // init
int RunInit(const Context& ctx);        // import_commands.cc
CommandOptions BackupCommandOptions();  // backup_command.cc
int RunBackup(const Context& ctx);
CommandOptions CopyCommandOptions();  // copy_command.cc
int RunCopy(const Context& ctx);
CommandOptions ImportCommandOptions(const std::string& what);
int RunImport(const Context& ctx, const std::string& what);
CommandOptions MayCommandOptions();  // mutate_commands.cc
int RunMay(const Context& ctx);
CommandOptions CheckCommandOptions();  // query_commands.cc
int RunCheck(const Context& ctx);
CommandOptions AuditCommandOptions(bool changes_only);
int RunAudit(const Context& ctx, bool changes_only);
CommandOptions VerifyCommandOptions();
int RunVerify(const Context& ctx);
CommandOptions StatsCommandOptions();
int RunStats(const Context& ctx);
CommandOptions ExplainCommandOptions();  // explain_command.cc
int RunExplain(const Context& ctx);
CommandOptions AccessCommandOptions();  // helpdesk_commands.cc
int RunAccess(const Context& ctx);
CommandOptions UsersCommandOptions();
int RunUsers(const Context& ctx);
CommandOptions ManagedByCommandOptions();
int RunManagedBy(const Context& ctx);
CommandOptions WhoCommandOptions();
int RunWho(const Context& ctx);
CommandOptions FacilitiesCommandOptions();  // facilities_command.cc
int RunFacilities(const Context& ctx);
CommandOptions GraphCommandOptions();
int RunGraph(const Context& ctx);
CommandOptions GenerateCommandOptions();  // generate_command.cc
int RunGenerate(const Context& ctx);
CommandOptions ServeCommandOptions();  // serve_command.cc
int RunServe(const Context& ctx);

}  // namespace toegang::cli

#endif  // TOEGANG_CLI_CONTEXT_H_
