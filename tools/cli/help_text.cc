#include "help_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <sstream>

namespace toegang::cli {
namespace {

namespace po = boost::program_options;

constexpr const char* kGlobals =
    "Global options (before or after the command): --db PATH (else "
    "$TOEGANG_DB, else ./toegang.db), --json (one JSON object on stdout), "
    "--lang nl|en.";
constexpr const char* kExitCodes =
    "Exit codes: 0 ok or allowed, 1 denied, 2 usage or invalid input, 3 "
    "refused by a rule, 4 storage or I/O error.";

// The names of the operands (positional options) of a command.
std::vector<std::string> OperandNames(const CommandOptions& spec) {
  std::vector<std::string> names;
  const unsigned count = spec.operands.max_total_count();
  for (unsigned i = 0; i < count && i < 16; ++i) {
    const std::string& name = spec.operands.name_for_position(i);
    if (names.empty() || names.back() != name) names.push_back(name);
  }
  return names;
}

bool IsOperand(const CommandOptions& spec, const std::string& name) {
  for (const std::string& o : OperandNames(spec)) {
    if (o == name) return true;
  }
  return false;
}

// "INSZ" of "--insz INSZ", without Boost's " (=default)".
std::string ValueName(const po::option_description& o) {
  std::string name = o.semantic()->name();
  const size_t cut = name.find(" (=");
  if (cut != std::string::npos) name.resize(cut);
  return name;
}

bool TakesValue(const po::option_description& o) {
  return o.semantic()->max_tokens() > 0;
}

bool Repeatable(const po::option_description& o) {
  return o.semantic()->is_composing() || o.semantic()->max_tokens() > 1;
}

std::string Wrap(const std::string& text, size_t indent, size_t width = 78) {
  std::string out;
  std::string line(indent, ' ');
  std::istringstream words(text);
  std::string word;
  bool first = true;
  while (words >> word) {
    if (!first && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line = std::string(indent, ' ');
      first = true;
    }
    if (!first) line += ' ';
    line += word;
    first = false;
  }
  return out + line + "\n";
}

std::string JoinNames(const std::vector<const Command*>& path) {
  std::string out;
  for (const Command* c : path) out += (out.empty() ? "" : " ") + c->name;
  return out;
}

std::vector<std::string> SubcommandNames(const Command& parent) {
  std::vector<std::string> names;
  for (const Command& c : parent.subcommands) {
    names.push_back(c.name);
    names.insert(names.end(), c.aliases.begin(), c.aliases.end());
  }
  return names;
}

std::string SubcommandList(const Command& parent) {
  std::string out;
  for (const Command& c : parent.subcommands) {
    out += (out.empty() ? "" : ", ") + c.name;
  }
  return out;
}

}  // namespace

std::vector<OptionLine> OptionLines(const Command& command) {
  std::vector<OptionLine> lines;
  if (!command.subcommands.empty() || !command.options) return lines;
  const CommandOptions spec = command.options();
  for (const auto& o : spec.options.options()) {
    OptionLine line;
    line.name = o->long_name();
    line.value = TakesValue(*o) ? ValueName(*o) : "";
    line.description = o->description();
    line.repeatable = Repeatable(*o);
    line.operand = IsOperand(spec, line.name);
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string Synopsis(const Command& command, const std::string& full_name) {
  std::string out = full_name;
  if (!command.subcommands.empty()) return out + " SUB-COMMAND [OPTIONS]";
  auto word = [&](const OptionLine& o, const std::string& text) {
    const bool required =
        std::find(command.required.begin(), command.required.end(), o.name) !=
        command.required.end();
    return required ? " " + text : " [" + text + "]";
  };
  const std::vector<OptionLine> lines = OptionLines(command);
  for (const OptionLine& o : lines) {
    if (o.operand) continue;
    out += word(o, "--" + o.name + (o.value.empty() ? "" : " " + o.value) +
                       (o.repeatable ? " ..." : ""));
  }
  for (const OptionLine& o : lines) {
    if (o.operand) out += word(o, o.value);
  }
  return out;
}

std::string UsageText() {
  std::string out =
      "usage: toegang [--db PATH] [--json] [--lang nl|en] COMMAND "
      "[SUB-COMMAND] [OPTIONS]\n";
  std::string section;
  for (const Command& c : Commands()) {
    if (c.section != section) {
      section = c.section;
      out += "\n" + section + "\n";
    }
    std::string line = fmt::format("  {:<14}", c.name);
    if (c.name.size() > 13) line += " ";
    out += line + c.summary + "\n";
    if (!c.subcommands.empty()) {
      std::string subs;
      for (const Command& s : c.subcommands) {
        subs += (subs.empty() ? "" : " | ") + s.name;
      }
      out += Wrap(c.name + " " + subs, 18);
    }
    if (!c.aliases.empty()) {
      std::string also;
      for (const std::string& a : c.aliases) {
        also += (also.empty() ? "" : ", ") + a;
      }
      out += Wrap("(also: " + also + ")", 18);
    }
  }
  out += "\n" + Wrap(kGlobals, 0) + Wrap(kExitCodes, 0) +
         Wrap(
             "A command's options and examples: toegang COMMAND --help "
             "(or toegang help COMMAND). The manual page: man toegang.",
             0);
  return out;
}

std::string CommandHelp(const std::vector<const Command*>& path) {
  const Command& c = *path.back();
  const std::string full = JoinNames(path);
  std::string out = "usage: toegang " + Synopsis(c, full) + "\n\n";
  out += Wrap(c.summary, 0);
  if (!c.details.empty()) out += Wrap(c.details, 0);
  if (!c.aliases.empty()) {
    std::string also;
    for (const std::string& a : c.aliases)
      also += (also.empty() ? "" : ", ") + a;
    out += Wrap("Also called: " + also + ".", 0);
  }
  if (!c.subcommands.empty()) {
    out += "\nSub-commands:\n";
    for (const Command& s : c.subcommands) {
      std::string line = fmt::format("  {:<18}", s.name);
      if (s.name.size() > 17) line += " ";
      out += line + s.summary + "\n";
    }
    out += "\n" + Wrap("A sub-command's options and examples: toegang " + full +
                           " SUB-COMMAND --help.",
                       0);
  } else if (c.options) {
    const CommandOptions spec = c.options();
    po::options_description shown("", 78, 40);
    for (const auto& o : spec.options.options()) {
      if (!IsOperand(spec, o->long_name())) shown.add(o);
    }
    std::string operands;
    for (const OptionLine& o : OptionLines(c)) {
      if (o.operand)
        operands += fmt::format("  {:<24}{}\n", o.value, o.description);
    }
    if (!operands.empty()) out += "\nOperands:\n" + operands;
    if (!shown.options().empty()) {
      std::ostringstream text;
      text << shown;
      out += "\nOptions:\n" + text.str();
    }
  }
  if (!c.examples.empty()) {
    out += "\nExamples:\n";
    for (const std::string& e : c.examples) out += "  " + e + "\n";
  }
  out += "\n" + Wrap(kGlobals, 0) + Wrap(kExitCodes, 0);
  return out;
}

const Command& SubcommandOf(const Command& parent, const std::string& word) {
  const Command* sub = FindSubcommand(parent, word);
  if (sub == nullptr) {
    throw UsageError{"`" + parent.name + " " + word + "` is not a command" +
                     DidYouMean(word, SubcommandNames(parent)) + " (`" +
                     parent.name + "` has: " + SubcommandList(parent) +
                     "; toegang " + parent.name + " --help)"};
  }
  return *sub;
}

std::vector<const Command*> ResolveCommand(
    const std::vector<std::string>& words) {
  std::vector<const Command*> path;
  if (words.empty()) return path;
  const Command* c = FindCommand(words[0]);
  if (c == nullptr) {
    std::vector<std::string> names;
    for (const Command& t : Commands()) {
      names.push_back(t.name);
      names.insert(names.end(), t.aliases.begin(), t.aliases.end());
    }
    throw UsageError{"unknown command `" + words[0] + "`" +
                     DidYouMean(words[0], names)};
  }
  path.push_back(c);
  if (words.size() >= 2 && !c->subcommands.empty() &&
      words[1].rfind("-", 0) != 0) {
    path.push_back(&SubcommandOf(*c, words[1]));
  }
  return path;
}

int RunHelp(const Context& ctx) {
  if (ctx.args.empty()) {
    std::cout << UsageText();
    return kExitOk;
  }
  const std::vector<const Command*> path = ResolveCommand(ctx.args);
  if (ctx.args.size() > path.size()) {
    throw UsageError{"help takes a command and its sub-command, not `" +
                     ctx.args[path.size()] + "`"};
  }
  std::cout << CommandHelp(path);
  return kExitOk;
}

}  // namespace toegang::cli
