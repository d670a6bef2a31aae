// toegang: the admin CLI (SPEC 7), as RunToegang().
//
//   toegang [--db PATH] [--json] [--lang nl|en] COMMAND [SUBCOMMAND] ...
//
// The database defaults to $TOEGANG_DB, else ./toegang.db. Exit codes:
// 0 success or allowed, 1 denied, 2 usage or invalid input, 3 refused by a
// rule, 4 storage or I/O error.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli_context.h"
#include "command_table.h"
#include "help_text.h"

namespace {

using toegang::cli::Command;
using toegang::cli::Context;

int Usage(const Context& ctx, const std::string& message) {
  // A message that names a command's own help needs no second pointer.
  const bool points = message.find("--help)") != std::string::npos;
  return ctx.Fail(toegang::Status::InvalidInput(
      "usage",
      points ? message : message + " (toegang --help lists the commands)"));
}

// --lang's value in any case (nl, NL, En): "nl" or "en". Throws
// UsageError for anything else.
std::string LangOption(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (value != "nl" && value != "en") {
    throw toegang::cli::UsageError{"--lang is nl or en"};
  }
  return value;
}

bool IsHelp(const std::string& word) {
  return word == "--help" || word == "-h";
}

// Finds the command (and sub-command) in the table, then runs it, or
// prints its help when its words hold --help or -h.
int Dispatch(Context& ctx, const std::vector<std::string>& words) {
  std::vector<const Command*> path = toegang::cli::ResolveCommand(
      std::vector<std::string>(words.begin(), words.begin() + 1));
  const Command& command = *path.front();
  size_t used = 1;
  if (!command.subcommands.empty()) {
    if (words.size() < 2 || words[1].rfind("-", 0) == 0) {
      if (words.size() >= 2 && IsHelp(words[1])) {
        std::cout << toegang::cli::CommandHelp(path);
        return toegang::cli::kExitOk;
      }
      // The sub-commands, where the operator looks: with the error.
      if (!ctx.json) std::cerr << toegang::cli::CommandHelp(path) << "\n";
      std::string subs;
      for (const Command& s : command.subcommands) {
        subs += (subs.empty() ? "" : ", ") + s.name;
      }
      return Usage(ctx, "`" + words[0] + "` needs a sub-command: " + subs);
    }
    path.push_back(&toegang::cli::SubcommandOf(command, words[1]));
    used = 2;
  }
  ctx.args.assign(words.begin() + static_cast<long>(used), words.end());
  for (const std::string& a : ctx.args) {
    if (IsHelp(a)) {
      std::cout << toegang::cli::CommandHelp(path);
      return toegang::cli::kExitOk;
    }
  }
  ctx.command = path.back();
  for (const Command* c : path) {
    ctx.command_path += (ctx.command_path.empty() ? "" : " ") + c->name;
  }
  return ctx.command->run(ctx);
}

}  // namespace

namespace toegang::cli {

int RunToegang(int argc, char** argv) {
  Context ctx;
  const char* env_db = std::getenv("TOEGANG_DB");
  ctx.db_path = env_db != nullptr && *env_db != '\0' ? env_db : "toegang.db";

  // Global options come before the command.
  std::vector<std::string> words;
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const std::string& name) -> std::string {
      std::string prefix = name + "=";
      if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
      if (i + 1 >= argc) {
        throw toegang::cli::UsageError{name + " needs a value"};
      }
      return argv[++i];
    };
    try {
      if (a == "--json") {
        ctx.json = true;
      } else if (a == "--db" || a.rfind("--db=", 0) == 0) {
        ctx.db_path = value("--db");
      } else if (a == "--lang" || a.rfind("--lang=", 0) == 0) {
        ctx.lang = LangOption(value("--lang"));
      } else if (IsHelp(a)) {
        std::cout << toegang::cli::UsageText();
        return 0;
      } else if (a == "--man-page") {
        // Hidden: the build writes toegang(1) and the bash completion
        // with these (tools/CMakeLists.txt).
        std::cout << toegang::cli::ManPage();
        return 0;
      } else if (a == "--bash-completion") {
        std::cout << toegang::cli::BashCompletion();
        return 0;
      } else if (a == "--version") {
        std::cout << "toegang 0.1.0\n";
        return 0;
      } else if (a.rfind("--", 0) == 0) {
        throw toegang::cli::UsageError{"unknown global option " + a};
      } else {
        break;
      }
    } catch (const toegang::cli::UsageError& e) {
      return Usage(ctx, e.message);
    }
  }
  // The global options are also accepted after the command (no command
  // has options of these names), as operators tend to append --json.
  for (; i < argc; ++i) {
    std::string a = argv[i];
    try {
      if (a == "--json") {
        ctx.json = true;
      } else if (a == "--db" || a == "--lang") {
        if (i + 1 >= argc) throw toegang::cli::UsageError{a + " needs a value"};
        if (a == "--db") {
          ctx.db_path = argv[++i];
        } else {
          ctx.lang = LangOption(argv[++i]);
        }
      } else if (a.rfind("--db=", 0) == 0) {
        ctx.db_path = a.substr(5);
      } else if (a.rfind("--lang=", 0) == 0) {
        ctx.lang = LangOption(a.substr(7));
      } else {
        words.push_back(std::move(a));
      }
    } catch (const toegang::cli::UsageError& e) {
      return Usage(ctx, e.message);
    }
  }
  if (words.empty()) {
    // With --json, even this error is one JSON object on stdout.
    if (ctx.json) return Usage(ctx, "name a command");
    std::cerr << toegang::cli::UsageText();
    return toegang::cli::kExitUsage;
  }
  try {
    return Dispatch(ctx, words);
  } catch (const toegang::cli::UsageError& e) {
    return Usage(ctx, e.message);
  } catch (const std::exception& e) {
    return ctx.Fail(toegang::Status::Storage("io_error", e.what()));
  }
}

}  // namespace toegang::cli
