// The delegation commands (htb, hoedanigheid, tb, subafdeling, user) and
// `may`, which asks the same question without changing anything.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>

#include "cli_context.h"
#include "command_table.h"
#include "toegang/error_codes.h"
#include "toegang/error_text.h"
#include "toegang/labels.h"

namespace toegang::cli {
namespace {

namespace po = boost::program_options;

// The options an action takes (besides --by), what it does and an example.
struct ActionSpec {
  Action action;
  std::set<std::string> options;
  const char* summary;
  const char* example;
};

const std::set<std::string> kPick = {"kbo", "hoedanigheid", "subdivisie"};

std::set<std::string> With(std::set<std::string> base,
                           std::initializer_list<std::string> more) {
  base.insert(more.begin(), more.end());
  return base;
}

const std::map<std::string, ActionSpec>& Specs() {
  // clang-format off
  static const std::map<std::string, ActionSpec> kSpecs = {
      {"htb.appoint",
       {Action::kAppointHtb,
        {"kbo", "insz", "email", "phone", "wv-email", "wv-phone"},
        "a WV appoints the enterprise's main access manager (manual 3.2)",
        "toegang htb appoint --kbo 0412.345.614 --insz 82010124596 --email "
        "koen.maes@broeders.example --phone \"+32 9 123 45 67\" --by "
        "78051212326"}},
      {"htb.set-contact",
       {Action::kSetHtbContact,
        {"kbo", "email", "phone", "wv-email", "wv-phone"},
        "a WV or the HTB changes the HTB's e-mail and phone (manual 3.2.2)",
        "toegang htb set-contact --kbo 0412.345.614 --phone \"+32 9 123 45 "
        "00\" --by 82010124596"}},
      {"hoedanigheid.activate",
       {Action::kActivateCapacity, {"kbo", "hoedanigheid"},
        "the HTB activates a capacity of the enterprise (manual 3.4)",
        "toegang hoedanigheid activate --kbo 0412.345.614 --by 82010124596"}},
      {"hoedanigheid.deactivate",
       {Action::kDeactivateCapacity, {"kbo", "hoedanigheid"},
        "the HTB deactivates a capacity, removing its subafdelingen, users "
        "and TBs",
        "toegang hoedanigheid deactivate --kbo 0412.345.614 --by "
        "82010124596"}},
      {"tb.set",
       {Action::kSetTb, With(kPick, {"insz"}),
        "the HTB sets a domain's access manager (TB, manual 3.5); a co-TB "
        "is promoted",
        "toegang tb set --kbo 0412.345.614 --insz 69072331112 --by "
        "82010124596"}},
      {"tb.remove",
       {Action::kRemoveTb, With(kPick, {"insz"}),
        "the HTB removes a domain's TB; the HTB manages the domain again",
        "toegang tb remove --kbo 0412.345.614 --insz 69072331112 --by "
        "82010124596"}},
      {"tb.add-co",
       {Action::kAddCoTb, With(kPick, {"insz"}),
        "the HTB adds a co-TB to a domain (manual 3.5)",
        "toegang tb add-co --kbo 0412.345.614 --insz 90031540289 --by "
        "82010124596"}},
      {"tb.remove-co",
       {Action::kRemoveCoTb, With(kPick, {"insz"}),
        "the HTB removes a co-TB from a domain (manual 3.5)",
        "toegang tb remove-co --kbo 0412.345.614 --insz 90031540289 --by "
        "82010124596"}},
      {"subafdeling.create",
       {Action::kCreateSubafdeling,
        With(kPick, {"hco", "email", "beheerder", "app", "authorize"}),
        "make a facility a subafdeling of a domain (manual 3.6)",
        "toegang subafdeling create --kbo 0412.345.614 --hco 1100234 "
        "--email toegang@broeders.example --app ama-wvg --by "
        "69072331112"}},
      {"subafdeling.authorize",
       {Action::kAuthorize, With(kPick, {"hco", "app"}),
        "authorize a subafdeling for an application (manual 3.6)",
        "toegang subafdeling authorize --hco 1100234 --app ama-wvg --by "
        "69072331112"}},
      {"subafdeling.deauthorize",
       {Action::kDeauthorize, With(kPick, {"hco", "app"}),
        "withdraw an application; its rights there are revoked",
        "toegang subafdeling deauthorize --hco 1100234 --app ama-wvg --by "
        "69072331112"}},
      {"subafdeling.remove",
       {Action::kRemoveSubafdeling, With(kPick, {"hco"}),
        "remove a subafdeling with its users, rights and managers",
        "toegang subafdeling remove --hco 1100235 --by 90031540289"}},
      {"subafdeling.set-email",
       {Action::kSetSubafdelingEmail, With(kPick, {"hco", "email"}),
        "change a subafdeling's contact e-mail (manual 3.6)",
        "toegang subafdeling set-email --hco 1100234 --email "
        "zorg@broeders.example --by 75113051741"}},
      {"subafdeling.add-beheerder",
       {Action::kAddManager, With(kPick, {"hco", "insz"}),
        "add a manager of the subafdeling's users (manual 3.6)",
        "toegang subafdeling add-beheerder --hco 1100234 --insz 75113051741 "
        "--by 69072331112"}},
      {"subafdeling.remove-beheerder",
       {Action::kRemoveManager, With(kPick, {"hco", "insz"}),
        "remove a manager of the subafdeling",
        "toegang subafdeling remove-beheerder --hco 1100234 --insz "
        "75113051741 --by 69072331112"}},
      {"user.add",
       {Action::kAddUser, With(kPick, {"hco", "insz", "app", "right"}),
        "add a user to a subafdeling, with rights (manual 3.7)",
        "toegang user add --hco 1100234 --insz 75113051741 --app ama-wvg "
        "--by 69072331112"}},
      {"user.grant",
       {Action::kGrantRight, With(kPick, {"hco", "insz", "app", "right"}),
        "grant a user a right (manual 3.7)",
        "toegang user grant --hco 1100234 --insz 88080862668 --app \"e-loket "
        "AMA WVG\" --by 69072331112"}},
      {"user.revoke",
       {Action::kRevokeRight, With(kPick, {"hco", "insz", "app", "right"}),
        "revoke a user's right (manual 3.7)",
        "toegang user revoke --hco 1100234 --insz 88080862668 --app ama-wvg "
        "--by 90031540289"}},
      {"user.remove",
       {Action::kRemoveUser, With(kPick, {"hco", "insz"}),
        "remove a user from a subafdeling, with the rights (manual 3.7)",
        "toegang user remove --hco 1100234 --insz 88080862668 --by "
        "90031540289"}},
  };
  // clang-format on
  return kSpecs;
}

// Each option's value name and meaning.
const std::map<std::string, std::pair<const char*, const char*>>& OptionHelp() {
  static const std::map<std::string, std::pair<const char*, const char*>>
      kHelp = {
          {"kbo", {"KBO", "enterprise number (KBO), e.g. 0403.019.261"}},
          {"hoedanigheid",
           {"CAPACITY", "capacity code or name (default: the only one)"}},
          {"subdivisie",
           {"SUBDIVISION", "subdivision code or name (default: the only one)"}},
          {"hco", {"HCO", "facility HCO number (CoBRHA)"}},
          {"insz", {"INSZ", "INSZ of the person appointed / added / granted"}},
          {"email", {"EMAIL", "contact e-mail address"}},
          {"phone", {"PHONE", "contact phone number"}},
          {"wv-email",
           {"EMAIL", "the appointing WV's own e-mail address (manual 3.2.3)"}},
          {"wv-phone",
           {"PHONE", "the appointing WV's own phone number (manual 3.2.3)"}},
          {"app",
           {"APP",
            "the application, by code or name: ama-wvg or \"e-loket AMA "
            "WVG\" (repeatable for user add and subafdeling create)"}},
          {"right", {"APP", "the same as --app"}},
          {"authorize", {"APP", "the same as --app"}},
          {"beheerder", {"INSZ", "INSZ of a subafdeling manager (repeatable)"}},
      };
  return kHelp;
}

bool Repeatable(const std::string& name) {
  return name == "app" || name == "right" || name == "authorize" ||
         name == "beheerder";
}

// The options of a mutation given as names (the union of several actions'
// for `may`).
CommandOptions Describe(const std::set<std::string>& options,
                        bool with_action) {
  CommandOptions spec;
  po::options_description& desc = spec.options;
  desc.add_options()("by", po::value<std::string>()->value_name("INSZ"),
                     "INSZ of the person acting (required)");
  if (with_action) {
    desc.add_options()("action", po::value<std::string>()->value_name("ACTION"),
                       "the mutation, e.g. user.grant");
  } else {
    desc.add_options()(
        "yes", po::bool_switch(),
        "go ahead when the mutation takes away more than it names (a "
        "cascade, as `may` states it); needed on a terminal");
  }
  for (const std::string& name : options) {
    const auto& [value, help] = OptionHelp().at(name);
    if (Repeatable(name)) {
      desc.add_options()(
          name.c_str(),
          po::value<std::vector<std::string>>()->composing()->value_name(value),
          help);
    } else {
      desc.add_options()(name.c_str(),
                         po::value<std::string>()->value_name(value), help);
    }
  }
  return spec;
}

Mutation Build(const ActionSpec& spec, const po::variables_map& vm) {
  Mutation m;
  m.action = spec.action;
  auto many = [&](const char* name) {
    return vm.count(name) ? vm[name].as<std::vector<std::string>>()
                          : std::vector<std::string>();
  };
  m.actor = TextOption(vm, "by");
  m.kbo = TextOption(vm, "kbo");
  m.capacity = TextOption(vm, "hoedanigheid");
  m.subdivision = TextOption(vm, "subdivisie");
  m.hco = TextOption(vm, "hco");
  m.insz = TextOption(vm, "insz");
  m.email = TextOption(vm, "email");
  m.phone = TextOption(vm, "phone");
  m.wv_email = TextOption(vm, "wv-email");
  m.wv_phone = TextOption(vm, "wv-phone");
  m.managers = many("beheerder");
  // --app, and its older names --right and --authorize (an action that
  // takes one application refuses more than one, with its code).
  for (const char* name : {"app", "right", "authorize"}) {
    for (std::string& app : many(name)) {
      if (!app.empty()) m.applications.push_back(std::move(app));
    }
  }
  return m;
}

// "user.grant", "user grant", "user:grant", "vte.appoint" -> spec key.
const ActionSpec* FindSpec(std::string name) {
  std::replace(name.begin(), name.end(), ' ', '.');
  std::replace(name.begin(), name.end(), ':', '.');
  std::optional<Action> action = ActionFromName(name);
  if (!action) return nullptr;
  return &Specs().at(std::string(ActionName(*action)));
}

// A cascade as JSON: [{"action","count","first"}].
nlohmann::json CascadeJson(const std::vector<CascadeStep>& cascade) {
  nlohmann::json steps = nlohmann::json::array();
  for (const CascadeStep& step : cascade) {
    steps.push_back({{"action", step.action},
                     {"count", step.count},
                     {"first", step.first}});
  }
  return steps;
}

// "ACTION would also:" (or its Dutch), the line above CascadeLines.
std::string CascadeHeading(const Context& ctx, Action action, bool done) {
  const bool nl = ctx.lang == "nl";
  const char* tail = nl ? (done ? " deed ook:" : " zou ook:")
                        : (done ? " also did:" : " would also:");
  return std::string(ActionName(action)) + tail;
}

int RunMutation(const Context& ctx, const ActionSpec& action) {
  const ActionSpec* spec = &action;
  po::variables_map vm = ParseArgs(ctx);
  Mutation m = Build(*spec, vm);
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  const Lang lang = ctx.lang == "nl" ? Lang::kNl : Lang::kEn;
  // On a terminal a person is typing: a mutation that takes away more
  // than it names waits for --yes. (A refusal goes on to Apply, which
  // records it in the audit log.)
  if (::isatty(STDIN_FILENO) && !vm["yes"].as<bool>()) {
    Result<MutationPreview> preview = engine->Preview(m);
    if (preview.ok() && !preview->cascade.empty()) {
      if (!ctx.json) {
        std::cerr << TextLine(CascadeHeading(ctx, m.action, false));
        for (const std::string& line : CascadeLines(preview->cascade, lang)) {
          std::cerr << TextLine("  " + line);
        }
      }
      return ctx.Fail(
          Status::InvalidInput(
              code::kConfirmationNeeded,
              fmt::format("{} takes away more than it names (the cascade "
                          "above); nothing was changed. Run it again with "
                          "--yes to go ahead",
                          ActionName(m.action))),
          {{"cascade", CascadeJson(preview->cascade)}});
    }
  }
  Result<CommitInfo> done = engine->Apply(m);
  if (!done.ok()) return ctx.Fail(done.status());
  nlohmann::json j = {{"ok", true},
                      {"action", ActionName(m.action)},
                      {"revision", done->revision},
                      {"changes", done->changes},
                      {"cascade", CascadeJson(done->cascade)}};
  std::vector<std::string> text = {"ok: revision " +
                                   std::to_string(done->revision)};
  // Every change when they are few; the count per kind always.
  constexpr size_t kShown = 20;
  for (size_t i = 0; i < done->changes.size() && i < kShown; ++i) {
    text.push_back("  " + done->changes[i]);
  }
  if (done->changes.size() > kShown) {
    text.push_back(fmt::format("  ... and {} more changes (--json lists them)",
                               done->changes.size() - kShown));
  }
  if (!done->cascade.empty()) {
    text.push_back(CascadeHeading(ctx, m.action, true));
    for (const std::string& line : CascadeLines(done->cascade, lang)) {
      text.push_back("  " + line);
    }
  }
  ctx.Print(j, text);
  return kExitOk;
}

// One sub-command of a delegation group: the action under the verb.
Command MutationCommand(const std::string& verb, const std::string& key,
                        std::vector<std::string> aliases = {}) {
  const ActionSpec& spec = Specs().at(key);
  Command c;
  c.name = verb;
  c.aliases = std::move(aliases);
  c.summary = spec.summary;
  c.options = [&spec] { return Describe(spec.options, false); };
  c.required = {"by"};
  c.examples = {spec.example};
  c.run = [&spec](const Context& ctx) { return RunMutation(ctx, spec); };
  return c;
}

}  // namespace

std::vector<Command> MutationGroups() {
  // The aliases are the manual's words that ActionGroup (toegang/
  // mutation.h) takes for the group, as listed in --help, the man page
  // and the completion.
  struct Group {
    const char* name;
    const char* summary;
    std::vector<std::string> aliases;
  };
  static const Group kGroups[] = {
      {"htb",
       "the main access manager (hoofdtoegangsbeheerder)",
       {"vte", "hoofdtoegangsbeheerder"}},
      {"hoedanigheid", "the enterprise's capacities", {}},
      {"tb",
       "a domain's access manager (TB) and co-TBs",
       {"lokale-beheerder", "toegangsbeheerder"}},
      {"co-tb",
       "a domain's co-TBs: tb add-co and tb remove-co",
       {"co-lokale-beheerder", "co-toegangsbeheerder"}},
      {"subafdeling",
       "facilities as subafdelingen, their applications and managers",
       {}},
      {"user", "the users of a subafdeling and their rights", {"gebruiker"}},
  };
  std::vector<Command> groups;
  for (const Group& g : kGroups) {
    Command group;
    group.name = g.name;
    group.summary = g.summary;
    group.aliases = g.aliases;
    if (group.name == "co-tb") {
      // The co-TB's own words for tb add-co and tb remove-co.
      group.subcommands = {
          MutationCommand("add", "tb.add-co", {"add-co"}),
          MutationCommand("remove", "tb.remove-co", {"remove-co"})};
    } else {
      for (const auto& [key, spec] : Specs()) {
        if (key.rfind(group.name + ".", 0) != 0) continue;
        group.subcommands.push_back(
            MutationCommand(key.substr(group.name.size() + 1), key));
      }
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

CommandOptions MayCommandOptions() {
  std::set<std::string> every;
  for (const auto& [key, spec] : Specs()) {
    every.insert(spec.options.begin(), spec.options.end());
  }
  return Describe(every, true);
}

int RunMay(const Context& ctx) {
  // First find the action, then parse its options.
  std::string action_name;
  for (size_t i = 0; i < ctx.args.size(); ++i) {
    const std::string& a = ctx.args[i];
    if (a == "--action" && i + 1 < ctx.args.size())
      action_name = ctx.args[i + 1];
    if (a.rfind("--action=", 0) == 0) action_name = a.substr(9);
  }
  if (action_name.empty()) {
    throw UsageError{"may needs --action, e.g. --action user.grant"};
  }
  const ActionSpec* spec = FindSpec(action_name);
  if (spec == nullptr) {
    std::vector<std::string> names;
    std::string known;
    for (const auto& [name, s] : Specs()) {
      names.push_back(name);
      known += " " + name;
    }
    throw UsageError{"unknown action `" + action_name + "`" +
                     DidYouMean(action_name, names) + "; known:" + known};
  }
  po::variables_map vm = ParseArgs(ctx, Describe(spec->options, true));
  Mutation m = Build(*spec, vm);
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  const Lang lang = ctx.lang == "nl" ? Lang::kNl : Lang::kEn;
  Result<MutationPreview> preview = engine->Preview(m);
  const Status& s = preview.status();
  if (s.kind() == Status::Kind::kInvalidInput ||
      s.kind() == Status::Kind::kStorage) {
    return ctx.Fail(s);
  }
  const bool allowed = s.ok();
  nlohmann::json j = {{"allowed", allowed},
                      {"action", ActionName(m.action)},
                      {"revision", engine->revision()}};
  std::vector<std::string> text;
  if (allowed) {
    j["cascade"] = CascadeJson(preview->cascade);
    text.push_back("allowed: " + std::string(ActionName(m.action)) +
                   " would be accepted");
    if (!preview->cascade.empty()) {
      text.push_back(CascadeHeading(ctx, m.action, false));
      for (const std::string& line : CascadeLines(preview->cascade, lang)) {
        text.push_back("  " + line);
      }
    }
  } else {
    j["code"] = s.code();
    j["message"] = s.message();
    const std::string_view dutch = DutchErrorText(s.code());
    if (ctx.lang == "nl" && !dutch.empty()) j["message_nl"] = dutch;
    text.push_back("refused: " + ctx.ErrorText(s));
  }
  ctx.Print(j, text);
  return allowed ? kExitOk : kExitDenied;
}

}  // namespace toegang::cli
