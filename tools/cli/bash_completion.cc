// The bash completion script of toegang, from the command table.
#include <string>

#include "command_table.h"
#include "help_text.h"

namespace toegang::cli {
namespace {

// Words joined by spaces (none holds a space or a shell metacharacter: they
// are command and option names of the table).
std::string Words(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

bool IsPath(const OptionLine& o) {
  return o.value == "FILE" || o.value == "PATH";
}

// One case of the script: the options (and whether operands are files) of
// a command that runs.
std::string Case(const Command& c, const std::string& key) {
  std::vector<std::string> options = {"--help"};
  std::vector<std::string> path_options;
  bool operand_files = false;
  for (const OptionLine& o : OptionLines(c)) {
    if (o.operand) {
      operand_files = operand_files || IsPath(o);
      continue;
    }
    options.push_back("--" + o.name);
    if (IsPath(o)) path_options.push_back("--" + o.name);
  }
  std::string out = "    \"" + key + "\")\n";
  out += "      options=\"" + Words(options) + "\"\n";
  if (!path_options.empty()) {
    out += "      path_options=\"" + Words(path_options) + "\"\n";
  }
  if (operand_files) out += "      operand_files=1\n";
  return out + "      ;;\n";
}

}  // namespace

std::string BashCompletion() {
  std::vector<std::string> top = {"--db", "--json", "--lang", "--help",
                                  "--version"};
  std::string groups;  // "|user|htb|..." the commands with sub-commands
  std::string subs;    // the case of sub-command names per group
  std::string cases;   // the case of options per command
  for (const Command& c : Commands()) {
    top.push_back(c.name);
    top.insert(top.end(), c.aliases.begin(), c.aliases.end());
    if (c.subcommands.empty()) {
      if (c.name == "help") continue;
      cases += Case(c, c.name);
      for (const std::string& a : c.aliases) cases += Case(c, a);
      continue;
    }
    std::vector<std::string> names;
    for (const Command& s : c.subcommands) {
      names.push_back(s.name);
      names.insert(names.end(), s.aliases.begin(), s.aliases.end());
    }
    std::vector<std::string> words = {c.name};
    words.insert(words.end(), c.aliases.begin(), c.aliases.end());
    for (const std::string& w : words) {
      groups += "|" + w;
      subs += "    \"" + w + "\") subs=\"" + Words(names) + "\" ;;\n";
      for (const Command& s : c.subcommands) {
        cases += Case(s, w + " " + s.name);
        for (const std::string& a : s.aliases) cases += Case(s, w + " " + a);
      }
    }
  }
  return "# bash completion for toegang(1), generated from its command table\n"
         "# (toegang --bash-completion).\n"
         "_toegang() {\n"
         "  local cur prev command=\"\" sub=\"\" i w subs=\"\"\n"
         "  local options=\"\" path_options=\"\" operand_files=0\n"
         "  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
         "  prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
         "  case \"$prev\" in\n"
         "    --db) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
         "    --lang) COMPREPLY=($(compgen -W \"nl en\" -- \"$cur\")); return "
         ";;\n"
         "  esac\n"
         "  # The command and sub-command typed so far (global options "
         "skipped).\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    w=\"${COMP_WORDS[i]}\"\n"
         "    case \"$w\" in\n"
         "      --db|--lang) ((i++)); continue ;;\n"
         "      -*) continue ;;\n"
         "    esac\n"
         "    if [[ -z $command ]]; then\n"
         "      command=\"$w\"\n"
         "    elif [[ -z $sub && \"|" +
         groups.substr(groups.empty() ? 0 : 1) +
         "|\" == *\"|$command|\"* ]]; then\n"
         "      sub=\"$w\"\n"
         "    fi\n"
         "  done\n"
         "  if [[ -z $command ]]; then\n"
         "    COMPREPLY=($(compgen -W \"" +
         Words(top) +
         "\" -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  if [[ $command == help ]]; then\n"
         "    COMPREPLY=($(compgen -W \"" +
         Words(std::vector<std::string>(top.begin() + 5, top.end())) +
         "\" -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  case \"$command\" in\n" +
         subs +
         "  esac\n"
         "  if [[ -n $subs && -z $sub ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$subs --help\" -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  local key=\"$command\"\n"
         "  [[ -n $sub ]] && key=\"$command $sub\"\n"
         "  case \"$key\" in\n" +
         cases +
         "  esac\n"
         "  if [[ \" $path_options \" == *\" $prev \"* ]] ||\n"
         "     [[ $operand_files == 1 && $cur != -* ]]; then\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  COMPREPLY=($(compgen -W \"$options --json --db --lang\" -- "
         "\"$cur\"))\n"
         "}\n"
         "complete -o filenames -F _toegang toegang\n";
}

}  // namespace toegang::cli
