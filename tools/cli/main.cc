// toegang: the admin CLI (SPEC 7), as RunToegang().
//
//   toegang [--db PATH] [--json] [--lang nl|en] COMMAND [SUBCOMMAND] ...
//
// The database defaults to $TOEGANG_DB, else ./toegang.db. Exit codes:
// 0 success or allowed, 1 denied, 2 usage or invalid input, 3 refused by a
// rule, 4 storage or I/O error.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli_context.h"
#include "toegang/mutation.h"

namespace {

using toegang::cli::Context;

constexpr const char* kUsage =
    R"(usage: toegang [--db PATH] [--json] [--lang nl|en] COMMAND ...

Set-up and registries
  init                                   create the database (mode 0600)
  import kbo --enterprises FILE [--denominations FILE] [--skip-invalid]
  import persons FILE | functions FILE | facilities FILE [--skip-invalid]

Delegation (each takes --by INSZ, the person acting)
  htb appoint --kbo K --insz P [--email E] [--phone T]          (alias: vte)
  hoedanigheid activate --kbo K [--hoedanigheid C]
  tb set | add-co | remove-co --kbo K [--hoedanigheid C] [--subdivisie S]
         --insz P                                    (alias: lokale-beheerder)
  co-tb add | remove ...   = tb add-co | remove-co  (alias: co-lokale-beheerder)
  subafdeling create --kbo K [--hoedanigheid C] [--subdivisie S] --hco H
         --email E [--beheerder INSZ ...] [--authorize APP ...]
  subafdeling authorize | deauthorize --hco H --app APP
  subafdeling add-beheerder | remove-beheerder --hco H --insz P
  subafdeling remove --hco H
  user add --hco H --insz U [--right APP ...]
  user grant | revoke --hco H --insz U --right APP
  user remove --hco H --insz U
  (where --hco names a subafdeling, --kbo/--hoedanigheid/--subdivisie may be
   added to pick one)

Queries
  check --insz U --app APP [--hco H] [--at-least REV]
  explain --insz U --app APP [--hco H]     why (not): the chain or the fix
  access --insz U | users --hco H [--app APP] | managed-by --insz A
         [--limit N] [--cursor C]
  who --kbo K                            WVs, HTB, TBs, subafdelingen
  who --insz U | --hco H                 a person's or a facility's card
  graph --kbo K                          GraphViz DOT on stdout
  may --by A --action ACTION [the options of that action]
  audit [--since REV] [--kbo K] [--limit N] [--after SEQ]
  changes --since REV [--kbo K] [--limit N] [--after SEQ]
  verify | stats
  generate --persons N [--seed S] --out FILE [--force]   test federation

Gateway
  serve [--listen ADDR:PORT] [--threads N] [--insz-header NAME] [--app APP]
        [--follow-ms MS] [--max-wait-ms MS]
                                         the HTTP decision service for nginx
                                         auth_request and Envoy ext_authz
                                         (docs/embedding.md)

Exit codes: 0 ok/allowed, 1 denied, 2 usage or invalid input, 3 refused by a
rule, 4 storage or I/O error. The database is --db, else $TOEGANG_DB, else
./toegang.db. See docs/cli.md.
)";

int Usage(const Context& ctx, const std::string& message) {
  return ctx.Fail(toegang::Status::InvalidInput(
      "usage", message + " (toegang --help lists the commands)"));
}

int Dispatch(Context& ctx, const std::vector<std::string>& words) {
  const std::string& command = words.front();
  auto rest = [&](size_t from) {
    return std::vector<std::string>(words.begin() + static_cast<long>(from),
                                    words.end());
  };
  if (command == "init") {
    ctx.args = rest(1);
    return toegang::cli::RunInit(ctx);
  }
  if (command == "import") {
    if (words.size() < 2)
      return Usage(ctx,
                   "import what? kbo, persons, "
                   "functions or facilities");
    ctx.args = rest(2);
    return toegang::cli::RunImport(ctx, words[1]);
  }
  // Commands that take a sub-command, also by the manual's old terms
  // (vte, lokale-beheerder, co-lokale-beheerder; toegang/mutation.h).
  if (std::optional<std::string_view> group = toegang::ActionGroup(command)) {
    if (words.size() < 2 || words[1].rfind("--", 0) == 0) {
      return Usage(ctx, "`" + command + "` needs a sub-command");
    }
    ctx.args = rest(2);
    return toegang::cli::RunMutation(ctx, std::string(*group), words[1]);
  }
  ctx.args = rest(1);
  if (command == "check") return toegang::cli::RunCheck(ctx);
  if (command == "may") return toegang::cli::RunMay(ctx);
  if (command == "audit") return toegang::cli::RunAudit(ctx, false);
  if (command == "changes") return toegang::cli::RunAudit(ctx, true);
  if (command == "verify") return toegang::cli::RunVerify(ctx);
  if (command == "stats") return toegang::cli::RunStats(ctx);
  if (command == "explain") return toegang::cli::RunExplain(ctx);
  if (command == "access") return toegang::cli::RunAccess(ctx);
  if (command == "users") return toegang::cli::RunUsers(ctx);
  if (command == "managed-by") return toegang::cli::RunManagedBy(ctx);
  if (command == "who") return toegang::cli::RunWho(ctx);
  if (command == "graph") return toegang::cli::RunGraph(ctx);
  if (command == "generate") return toegang::cli::RunGenerate(ctx);
  if (command == "serve") return toegang::cli::RunServe(ctx);
  return Usage(ctx, "unknown command `" + command + "`");
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
        ctx.lang = value("--lang");
        if (ctx.lang != "nl" && ctx.lang != "en") {
          throw toegang::cli::UsageError{"--lang is nl or en"};
        }
      } else if (a == "--help" || a == "-h" || a == "help") {
        std::cout << kUsage;
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
        (a == "--db" ? ctx.db_path : ctx.lang) = argv[++i];
      } else if (a.rfind("--db=", 0) == 0) {
        ctx.db_path = a.substr(5);
      } else if (a.rfind("--lang=", 0) == 0) {
        ctx.lang = a.substr(7);
      } else {
        words.push_back(std::move(a));
      }
      if (ctx.lang != "nl" && ctx.lang != "en") {
        throw toegang::cli::UsageError{"--lang is nl or en"};
      }
    } catch (const toegang::cli::UsageError& e) {
      return Usage(ctx, e.message);
    }
  }
  if (words.empty()) {
    // With --json, even this error is one JSON object on stdout.
    if (ctx.json) return Usage(ctx, "name a command");
    std::cerr << kUsage;
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
