#include "command_table.h"

#include <algorithm>
#include <optional>

#include "help_text.h"
#include "toegang/mutation.h"

namespace toegang::cli {
namespace {

constexpr const char* kSetUp = "Set-up and registries";
constexpr const char* kDelegation =
    "Delegation (each takes --by INSZ, the person acting)";
constexpr const char* kQueries = "Queries";
constexpr const char* kGateway = "Gateway";
constexpr const char* kHelp = "Help";

Command ImportCommand(const std::string& what, std::string summary,
                      std::vector<std::string> required,
                      std::vector<std::string> examples) {
  Command c;
  c.name = what;
  c.summary = std::move(summary);
  c.options = [what] { return ImportCommandOptions(what); };
  c.required = std::move(required);
  c.examples = std::move(examples);
  c.run = [what](const Context& ctx) { return RunImport(ctx, what); };
  return c;
}

std::vector<Command> BuildTable() {
  std::vector<Command> t;
  t.push_back({.name = "init",
               .section = kSetUp,
               .summary = "create the database (mode 0600)",
               .options = NoCommandOptions,
               .examples = {"toegang --db /var/lib/toegang/toegang.db init"},
               .run = RunInit});
  t.push_back(
      {.name = "backup",
       .section = kSetUp,
       .summary = "a consistent copy of the database while services run",
       .options = BackupCommandOptions,
       .required = {"file"},
       .examples = {"toegang --db /var/lib/toegang/toegang.db backup "
                    "/backup/toegang-2026-12-07.db"},
       .details = "Writes FILE (mode 0600) as one committed revision, "
                  "renamed into place once whole and synced; an existing "
                  "FILE is never overwritten. The index snapshot and mapped "
                  "files beside the database are not copied: an engine "
                  "builds its own. To restore, stop the services and copy "
                  "FILE back in place of the database (docs/cli.md). SQLite "
                  "only: a PostgreSQL database is backed up with pg_dump.",
       .run = RunBackup});
  t.push_back(
      {.name = "copy",
       .section = kSetUp,
       .summary = "copy a federation, its audit log and history, between "
                  "SQLite and PostgreSQL",
       .options = CopyCommandOptions,
       .required = {"to"},
       .examples = {"toegang copy --from /var/lib/toegang/toegang.db --to "
                    "postgresql://toegang@db.example/toegang",
                    "toegang copy --from postgresql://toegang@db.example/"
                    "toegang --to /backup/toegang.db"},
       .details =
           "Copies every registry row, the delegation state with who made "
           "each link, the whole audit log, the revision, the history chain "
           "and the database id from --from (default: --db) into --to, in "
           "one transaction of --to, from one committed revision of --from "
           "(services may go on using it meanwhile), then reads --to back "
           "and compares every table with what was read. --to is created "
           "when missing (a new file, mode 0600, or a new PostgreSQL "
           "database when the role may create one) and must otherwise hold "
           "no federation: one that does is refused with not_empty and "
           "nothing is changed. Stop writers of the old database before "
           "moving services to the new one (docs/deployment.md).",
       .run = RunCopy});
  Command import{
      .name = "import",
      .section = kSetUp,
      .summary =
          "load a registry file: the KBO, persons, functions, "
          "facilities (CoBRHA)",
      .details =
          "Files are CSV (comma-separated). An import is atomic: one "
          "bad row and nothing is imported, unless --skip-invalid.",
  };
  import.subcommands = {
      ImportCommand("kbo", "the KBO's enterprise.csv (and denomination.csv)",
                    {"enterprises"},
                    {"toegang import kbo --enterprises enterprise.csv "
                     "--denominations denomination.csv"}),
      ImportCommand("kbo-open-data",
                    "an unpacked (or zipped) KBO Open Data extract, full or "
                    "update",
                    {"path"},
                    {"toegang import kbo-open-data "
                     "KboOpenData_0140_2026_11_Full"}),
      ImportCommand("persons", "persons: insz,name", {"file"},
                    {"toegang import persons persons.csv",
                     "toegang import persons persons.csv --skip-invalid"}),
      ImportCommand("functions",
                    "who is WV or employee of which enterprise: kbo,insz,role",
                    {"file"},
                    {"toegang import functions functions.csv",
                     "toegang import functions functions.csv --full "
                     "--dry-run"}),
      ImportCommand("facilities",
                    "CoBRHA facilities: hco,name,type_code,kbo,status",
                    {"file"}, {"toegang import facilities facilities.csv"}),
  };
  t.push_back(std::move(import));
  for (Command& group : MutationGroups()) {
    group.section = kDelegation;
    t.push_back(std::move(group));
  }
  t.push_back({.name = "check",
               .section = kQueries,
               .summary = "may a person use an application? exit 0 yes, 1 no",
               .options = CheckCommandOptions,
               .required = {"insz", "app"},
               .examples = {"toegang check --insz 75113051741 --app ama-wvg",
                            "toegang --json check --insz 88.08.08-626.68 --app "
                            "\"e-loket AMA WVG\" --hco 1100234"},
               .run = RunCheck});
  t.push_back(
      {.name = "explain",
       .section = kQueries,
       .summary = "why (not): the chain of grants, or the reason and who "
                  "can fix it",
       .options = ExplainCommandOptions,
       .required = {"insz", "app"},
       .examples = {"toegang explain --insz 88080862668 --app ama-wvg",
                    "toegang --lang nl explain --insz 88080862668 --app "
                    "ama-wvg --hco 1100234"},
       .run = RunExplain});
  t.push_back({.name = "access",
               .section = kQueries,
               .summary = "every application and facility a person may use",
               .options = AccessCommandOptions,
               .required = {"insz"},
               .examples = {"toegang access --insz 75113051741"},
               .run = RunAccess});
  t.push_back({.name = "users",
               .section = kQueries,
               .summary = "who may use an application at a facility",
               .options = UsersCommandOptions,
               .required = {"hco"},
               .examples = {"toegang users --hco 1100234 --app ama-wvg",
                            "toegang users --hco 1100234 --limit 1 --cursor "
                            "75113051741"},
               .run = RunUsers});
  t.push_back({.name = "managed-by",
               .section = kQueries,
               .summary = "everything a person administers, with the role",
               .options = ManagedByCommandOptions,
               .required = {"insz"},
               .examples = {"toegang managed-by --insz 82010124596"},
               .run = RunManagedBy});
  t.push_back({.name = "who",
               .section = kQueries,
               .summary = "the whole picture of an enterprise (--kbo), a "
                          "person (--insz) or a facility (--hco)",
               .options = WhoCommandOptions,
               .examples = {"toegang who --kbo 0412.345.614",
                            "toegang who --insz 82010124596",
                            "toegang who --hco 1100234"},
               .run = RunWho});
  t.push_back(
      {.name = "facilities",
       .section = kQueries,
       .summary = "an enterprise's facilities: which can be a subafdeling "
                  "(manual 2.1)",
       .options = FacilitiesCommandOptions,
       .required = {"kbo"},
       .examples = {"toegang facilities --kbo 0412.345.614"},
       .details = "Each facility CoBRHA lists for the enterprise, with its "
                  "HCO, name, type and status, the subafdelingen it is with "
                  "their applications, and whether the OCMW rule (manual "
                  "1.1) lets the enterprise carry ama-wvg there.",
       .run = RunFacilities});
  t.push_back(
      {.name = "graph",
       .section = kQueries,
       .summary = "an enterprise's delegation graph as GraphViz DOT or SVG",
       .options = GraphCommandOptions,
       .required = {"kbo"},
       .examples = {"toegang graph --kbo 0412345614 --format svg > graph.svg",
                    "toegang graph --kbo 0412345614 | dot -Tpng > graph.png"},
       .run = RunGraph});
  t.push_back(
      {.name = "may",
       .section = kQueries,
       .summary = "would a mutation be accepted? exit 0 yes, 1 no; changes "
                  "nothing",
       .options = MayCommandOptions,
       .required = {"by", "action"},
       .examples = {"toegang may --by 90031540289 --action user.grant --hco "
                    "1100234 --insz 88080862668 --app ama-wvg"},
       .details = "The other options are those of the mutation named by "
                  "--action (toegang user grant --help, ...).",
       .run = RunMay});
  t.push_back({.name = "audit",
               .section = kQueries,
               .summary = "the audit log: changes and refusals, in order",
               .options = [] { return AuditCommandOptions(false); },
               .examples = {"toegang audit --kbo 0412.345.614 --limit 20"},
               .run = [](const Context& ctx) { return RunAudit(ctx, false); }});
  t.push_back({.name = "changes",
               .section = kQueries,
               .summary = "the committed changes after a revision: a feed",
               .options = [] { return AuditCommandOptions(true); },
               .required = {"since"},
               .examples = {"toegang changes --since 29"},
               .run = [](const Context& ctx) { return RunAudit(ctx, true); }});
  t.push_back({.name = "verify",
               .section = kQueries,
               .summary = "check the database against the model's invariants",
               .options = VerifyCommandOptions,
               .examples = {"toegang verify", "toegang verify --thorough"},
               .run = RunVerify});
  t.push_back({.name = "stats",
               .section = kQueries,
               .summary = "counts of the federation (and of the graph)",
               .options = StatsCommandOptions,
               .examples = {"toegang --json stats", "toegang stats --graph"},
               .run = RunStats});
  t.push_back(
      {.name = "generate",
       .section = kQueries,
       .summary = "write a synthetic federation (tests, benchmarks, demos)",
       .options = GenerateCommandOptions,
       .required = {"persons", "out"},
       .examples = {"toegang generate --persons 100000 --seed 7 --out "
                    "/tmp/fed.db"},
       .run = RunGenerate});
  t.push_back(
      {.name = "serve",
       .section = kGateway,
       .summary = "the HTTP decision service for nginx auth_request and "
                  "Envoy ext_authz",
       .options = ServeCommandOptions,
       .examples = {"toegang --db /var/lib/toegang/toegang.db serve --listen "
                    "127.0.0.1:8080"},
       .details = "Runs until SIGINT or SIGTERM.",
       .run = RunServe});
  t.push_back({.name = "help",
               .section = kHelp,
               .summary = "the help of a command: toegang help COMMAND "
                          "[SUB-COMMAND]",
               .examples = {"toegang help user grant"},
               .run = RunHelp});
  return t;
}

// The edit distance of two words (insertions, deletions, substitutions and
// swaps of two neighbours, each 1: "isnz" is 1 from "insz"), on bytes.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1,
                                     std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

bool Names(const Command& c, std::string_view word) {
  return c.name == word ||
         std::find(c.aliases.begin(), c.aliases.end(), word) != c.aliases.end();
}

}  // namespace

const std::vector<Command>& Commands() {
  static const std::vector<Command> kTable = BuildTable();
  return kTable;
}

const Command* FindCommand(std::string_view word) {
  for (const Command& c : Commands()) {
    if (Names(c, word)) return &c;
  }
  // The manual's words for a delegation group, in any spelling.
  if (std::optional<std::string_view> group = ActionGroup(word)) {
    for (const Command& c : Commands()) {
      if (c.name == *group) return &c;
    }
  }
  return nullptr;
}

const Command* FindSubcommand(const Command& parent, std::string_view word) {
  // As the delegation groups' words: any case, any separator ("Add Co").
  std::string key;
  for (char c : word) {
    if (c == ' ' || c == '.' || c == '_') c = '-';
    key += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (const Command& c : parent.subcommands) {
    if (Names(c, word) || Names(c, key)) return &c;
  }
  return nullptr;
}

std::string Suggest(std::string_view word,
                    const std::vector<std::string>& candidates) {
  if (word.empty()) return "";
  std::string best;
  size_t best_distance = word.size() <= 4 ? 1 : 2;
  bool found = false;
  for (const std::string& c : candidates) {
    const size_t d = EditDistance(word, c);
    if (d <= best_distance && (!found || d < best_distance)) {
      best = c;
      best_distance = d;
      found = true;
    }
  }
  if (found) return best;
  // A beginning of exactly one candidate ("subaf" for "subafdeling").
  if (word.size() >= 3) {
    for (const std::string& c : candidates) {
      if (c.rfind(word, 0) == 0) {
        if (found) return "";
        best = c;
        found = true;
      }
    }
  }
  return found ? best : "";
}

std::string DidYouMean(std::string_view word,
                       const std::vector<std::string>& candidates) {
  const std::string s = Suggest(word, candidates);
  return s.empty() ? "" : "; did you mean `" + s + "`?";
}

}  // namespace toegang::cli
