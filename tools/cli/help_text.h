// The help the CLI prints, written from the command table
// (command_table.h): the command list of `toegang --help`, one command's
// help (`toegang COMMAND [SUB-COMMAND] --help`, `toegang help ...`), and
// the `help` command itself.
//
// Thread safety: pure functions of the (immutable) table.
#ifndef TOEGANG_CLI_HELP_TEXT_H_
#define TOEGANG_CLI_HELP_TEXT_H_

#include <string>
#include <vector>

#include "cli_context.h"
#include "command_table.h"

namespace toegang::cli {

// One option or operand of a command, as its help shows it.
struct OptionLine {
  std::string name;         // "insz" (the long name, also of an operand)
  std::string value;        // "INSZ"; empty for a flag (--skip-invalid)
  std::string description;  // its meaning
  bool repeatable = false;  // may be given more than once
  bool operand = false;     // given without its name (`import persons FILE`)
};
// The options and operands of a command that runs, in the order of its
// Boost description; empty for a group.
std::vector<OptionLine> OptionLines(const Command& command);

// toegang(1) in roff (man_page.cc), and the bash completion script
// (bash_completion.cc): every command and option of the table.
std::string ManPage();
std::string BashCompletion();

// `toegang --help`: the global options, every command by section with its
// summary, the exit codes.
std::string UsageText();

// The help of one command, path being the command and, for a sub-command,
// the sub-command ({&user, &grant}): usage line, summary, options with
// their meaning, examples. For a command with sub-commands: the list of
// them.
std::string CommandHelp(const std::vector<const Command*>& path);

// The usage line of a command after "toegang ": "check --insz INSZ --app
// APP [--hco HCO] ...", from its options and required options.
std::string Synopsis(const Command& command, const std::string& full_name);

// `toegang help [COMMAND [SUB-COMMAND]]`: prints the help on stdout, exit
// 0; an unknown command is a usage error with a suggestion.
int RunHelp(const Context& ctx);

// Resolves the words naming a command and sub-command ({"user", "grant"})
// to their table entries; throws UsageError (with a suggestion) for an
// unknown word. Stops at the first word that is not a sub-command name
// when the command needs none.
std::vector<const Command*> ResolveCommand(
    const std::vector<std::string>& words);
// The sub-command of parent that word names; throws UsageError naming the
// sub-commands (and the closest one) when there is none.
const Command& SubcommandOf(const Command& parent, const std::string& word);

}  // namespace toegang::cli

#endif  // TOEGANG_CLI_HELP_TEXT_H_
