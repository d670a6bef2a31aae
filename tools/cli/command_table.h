// The one table of the CLI's commands: from it main.cc dispatches, and
// help_text.cc writes `toegang --help`, each command's --help, the man
// page toegang(1) and the bash completion. A command is one entry here;
// its options stay a Boost.Program_options description in the command's
// own file (CommandOptions, cli_context.h), named by the entry.
//
// Thread safety: Commands() builds the table once (a function-local
// static) and never changes it; the rest are pure functions.
#ifndef TOEGANG_CLI_COMMAND_TABLE_H_
#define TOEGANG_CLI_COMMAND_TABLE_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cli_context.h"

namespace toegang::cli {

struct Command {
  std::string name{};                  // "check", or "grant" under "user"
  std::vector<std::string> aliases{};  // other words for it ("vte")
  std::string section{};               // top-level only: its heading in --help
  std::string summary{};               // one line: what it does
  // Its options and operands; empty for a command that takes none or only
  // sub-commands.
  std::function<CommandOptions()> options{};
  std::vector<std::string> required{};  // option names it cannot do without
  std::vector<std::string> examples{};  // whole command lines, "toegang ..."
  std::string details{};                // more text for --help and the man page
  std::function<int(const Context&)> run{};  // empty: has sub-commands
  std::vector<Command> subcommands{};
};

// Every top-level command, in the order --help lists them.
const std::vector<Command>& Commands();

// The command a word names: its name or an alias, exactly; for the
// delegation groups also the manual's words in any case and with any
// separators (toegang/mutation.h, ActionGroup). nullptr when none.
const Command* FindCommand(std::string_view word);
// The sub-command of parent a word names (name or alias). nullptr when none.
const Command* FindSubcommand(const Command& parent, std::string_view word);

// The candidate closest to word when it is close enough to be a typing
// error (edit distance at most 1 for short words, 2 for longer ones, or a
// prefix of exactly one candidate); empty otherwise.
std::string Suggest(std::string_view word,
                    const std::vector<std::string>& candidates);
// " did you mean `X`?" for Suggest's answer, or "".
std::string DidYouMean(std::string_view word,
                       const std::vector<std::string>& candidates);

// The delegation groups (htb, hoedanigheid, tb, co-tb, subafdeling, user)
// with a sub-command per mutation (mutate_commands.cc).
std::vector<Command> MutationGroups();

}  // namespace toegang::cli

#endif  // TOEGANG_CLI_COMMAND_TABLE_H_
