// The delegation commands (htb, hoedanigheid, tb, subafdeling, user) and
// `may`, which asks the same question without changing anything.
#include <algorithm>
#include <map>
#include <set>

#include "cli_context.h"
#include "toegang/error_codes.h"

namespace toegang::cli {
namespace {

namespace po = boost::program_options;

// The options an action takes (besides --by).
struct ActionSpec {
  Action action;
  std::set<std::string> options;
};

const std::set<std::string> kPick = {"kbo", "hoedanigheid", "subdivisie"};

std::set<std::string> With(std::set<std::string> base,
                           std::initializer_list<std::string> more) {
  base.insert(more.begin(), more.end());
  return base;
}

const std::map<std::string, ActionSpec>& Specs() {
  static const std::map<std::string, ActionSpec> kSpecs = {
      {"htb.appoint", {Action::kAppointHtb, {"kbo", "insz", "email", "phone"}}},
      {"hoedanigheid.activate",
       {Action::kActivateCapacity, {"kbo", "hoedanigheid"}}},
      {"tb.set", {Action::kSetTb, With(kPick, {"insz"})}},
      {"tb.add-co", {Action::kAddCoTb, With(kPick, {"insz"})}},
      {"tb.remove-co", {Action::kRemoveCoTb, With(kPick, {"insz"})}},
      {"subafdeling.create",
       {Action::kCreateSubafdeling,
        With(kPick, {"hco", "email", "beheerder", "authorize"})}},
      {"subafdeling.authorize",
       {Action::kAuthorize, With(kPick, {"hco", "app"})}},
      {"subafdeling.deauthorize",
       {Action::kDeauthorize, With(kPick, {"hco", "app"})}},
      {"subafdeling.remove",
       {Action::kRemoveSubafdeling, With(kPick, {"hco"})}},
      {"subafdeling.add-beheerder",
       {Action::kAddManager, With(kPick, {"hco", "insz"})}},
      {"subafdeling.remove-beheerder",
       {Action::kRemoveManager, With(kPick, {"hco", "insz"})}},
      {"user.add", {Action::kAddUser, With(kPick, {"hco", "insz", "right"})}},
      {"user.grant",
       {Action::kGrantRight, With(kPick, {"hco", "insz", "right"})}},
      {"user.revoke",
       {Action::kRevokeRight, With(kPick, {"hco", "insz", "right"})}},
      {"user.remove", {Action::kRemoveUser, With(kPick, {"hco", "insz"})}},
  };
  return kSpecs;
}

// Help text of each option.
const std::map<std::string, const char*>& OptionHelp() {
  static const std::map<std::string, const char*> kHelp = {
      {"kbo", "enterprise number (KBO), e.g. 0403.019.261"},
      {"hoedanigheid", "capacity code or name (default: the only one)"},
      {"subdivisie", "subdivision code or name (default: the only one)"},
      {"hco", "facility HCO number (CoBRHA)"},
      {"insz", "INSZ of the person appointed / added / granted"},
      {"email", "contact e-mail address"},
      {"phone", "contact phone number"},
      {"app", "application code or name, e.g. ama-wvg"},
      {"right", "application right, e.g. ama-wvg (repeatable for user add)"},
      {"authorize", "application to authorize (repeatable)"},
      {"beheerder", "INSZ of a subafdeling manager (repeatable)"},
  };
  return kHelp;
}

bool Repeatable(const std::string& name) {
  return name == "right" || name == "authorize" || name == "beheerder";
}

po::options_description Describe(const ActionSpec& spec, bool with_action) {
  po::options_description desc("options");
  desc.add_options()("by", po::value<std::string>(),
                     "INSZ of the person acting (required)");
  if (with_action) {
    desc.add_options()("action", po::value<std::string>(),
                       "the mutation, e.g. user.grant");
  }
  for (const std::string& name : spec.options) {
    const char* help = OptionHelp().at(name);
    if (Repeatable(name)) {
      desc.add_options()(name.c_str(),
                         po::value<std::vector<std::string>>()->composing(),
                         help);
    } else {
      desc.add_options()(name.c_str(), po::value<std::string>(), help);
    }
  }
  return desc;
}

Mutation Build(const ActionSpec& spec, const po::variables_map& vm) {
  Mutation m;
  m.action = spec.action;
  auto one = [&](const char* name) {
    return vm.count(name) ? vm[name].as<std::string>() : std::string();
  };
  auto many = [&](const char* name) {
    return vm.count(name) ? vm[name].as<std::vector<std::string>>()
                          : std::vector<std::string>();
  };
  m.actor = one("by");
  m.kbo = one("kbo");
  m.capacity = one("hoedanigheid");
  m.subdivision = one("subdivisie");
  m.hco = one("hco");
  m.insz = one("insz");
  m.email = one("email");
  m.phone = one("phone");
  m.managers = many("beheerder");
  if (spec.options.count("app")) {
    std::string app = one("app");
    if (!app.empty()) m.applications.push_back(app);
  } else if (spec.options.count("authorize")) {
    m.applications = many("authorize");
  } else {
    m.applications = many("right");
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

}  // namespace

int RunMutation(const Context& ctx, const std::string& group,
                const std::string& verb) {
  const ActionSpec* spec = FindSpec(group + "." + verb);
  if (spec == nullptr) {
    throw UsageError{"`" + group + " " + verb + "` is not a command"};
  }
  po::variables_map vm = ParseArgs(ctx, Describe(*spec, false));
  Mutation m = Build(*spec, vm);
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  Result<CommitInfo> done = engine->Apply(m);
  if (!done.ok()) return ctx.Fail(done.status());
  nlohmann::json j = {{"ok", true},
                      {"action", ActionName(m.action)},
                      {"revision", done->revision},
                      {"changes", done->changes}};
  std::vector<std::string> text = {"ok: revision " +
                                   std::to_string(done->revision)};
  for (const std::string& c : done->changes) text.push_back("  " + c);
  ctx.Print(j, text);
  return kExitOk;
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
    std::string known;
    for (const auto& [name, s] : Specs()) known += " " + name;
    throw UsageError{"unknown action `" + action_name + "`; known:" + known};
  }
  po::variables_map vm = ParseArgs(ctx, Describe(*spec, true));
  Mutation m = Build(*spec, vm);
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  Status s = engine->May(m);
  if (s.kind() == Status::Kind::kInvalidInput ||
      s.kind() == Status::Kind::kStorage) {
    return ctx.Fail(s);
  }
  const bool allowed = s.ok();
  nlohmann::json j = {{"allowed", allowed},
                      {"action", ActionName(m.action)},
                      {"revision", engine->revision()}};
  if (!allowed) {
    j["code"] = s.code();
    j["message"] = s.message();
  }
  ctx.Print(
      j, {allowed ? std::string("allowed: ") +
                        std::string(ActionName(m.action)) + " would be accepted"
                  : "refused: " + s.code() + ": " + s.message()});
  return allowed ? kExitOk : kExitDenied;
}

}  // namespace toegang::cli
