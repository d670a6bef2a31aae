#include "web/steps.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "toegang/error_codes.h"
#include "toegang/error_text.h"
#include "toegang/identifiers.h"
#include "toegang/labels.h"
#include "web/html.h"
#include "web/i18n.h"

namespace toegang::serve::web {
namespace {

std::string T(std::string_view key, Lang lang) {
  return std::string(Tr(key, lang));
}

// The steps the pages offer (a form naming any other action is refused).
bool Offered(Action a) {
  switch (a) {
    case Action::kAppointHtb:
    case Action::kActivateCapacity:
    case Action::kSetTb:
    case Action::kAddCoTb:
    case Action::kRemoveCoTb:
    case Action::kCreateSubafdeling:
    case Action::kAuthorize:
    case Action::kDeauthorize:
    case Action::kRemoveSubafdeling:
    case Action::kAddManager:
    case Action::kRemoveManager:
    case Action::kAddUser:
    case Action::kGrantRight:
    case Action::kRevokeRight:
    case Action::kRemoveUser:
      return true;
    default:
      return false;
  }
}

// A labelled text field.
std::string Input(const std::string& id, std::string_view name,
                  const std::string& label, bool required) {
  return fmt::format(
      "<label for=\"{0}\">{1}</label><input id=\"{0}\" name=\"{2}\" "
      "type=\"text\" autocomplete=\"off\"{3}>",
      Html(id), Html(label), Html(name), required ? " required" : "");
}

std::string Hidden(std::string_view name, std::string_view value) {
  return fmt::format("<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                     Html(name), Html(value));
}

}  // namespace

bool StepRefusedHere(const Status& status) {
  const std::string& c = status.code();
  return c == code::kNotAuthorized || c == code::kEnterpriseUnknown ||
         c == code::kEnterpriseInactive || c == code::kFunctionEnded ||
         c == code::kCapacityInactive || c == code::kFacilityClosed ||
         c == code::kFacilityNotOfEnterprise || c == code::kSubafdelingUnknown;
}

StepForms::StepForms(const Engine* engine, std::string actor, Lang lang,
                     PersonTokens* tokens, std::string csrf)
    : engine_(engine),
      actor_(std::move(actor)),
      lang_(lang),
      tokens_(tokens),
      csrf_(std::move(csrf)) {}

std::string StepForms::Form(const FormFields& hidden, const std::string& inputs,
                            const std::string& button,
                            const std::string& id) const {
  std::string out = fmt::format(
      "<form method=\"post\" action=\"/step\" class=\"step\" id=\"{}\">",
      Html(id));
  out += Hidden("csrf", csrf_);
  for (const auto& [name, value] : hidden) out += Hidden(name, value);
  out +=
      inputs + "<button type=\"submit\">" + Html(button) + "</button></form>";
  return out;
}

std::string StepForms::Refusal(const Status& status) const {
  std::string out = "<p class=\"refusal\"><strong>" + T("step_refused", lang_) +
                    "</strong> (" + Html(status.code()) + ")";
  const std::string_view dutch =
      lang_ == Lang::kNl ? DutchErrorText(status.code()) : std::string_view();
  if (!dutch.empty()) out += " " + Html(dutch);
  return out + "<br>" + Html(status.message()) + "</p>";
}

std::string StepForms::Enterprise(const WhoReport& w) const {
  std::string out = "<section id=\"steps\"><h2>" + T("steps", lang_) +
                    "</h2><p>" + T("steps_note", lang_) + "</p>";
  auto ask = [&](Mutation m) {
    m.actor = actor_;
    m.kbo = w.kbo;
    return engine_->Preview(m).status();
  };

  // Appoint the HTB (manual 3.2): the appointee is typed.
  out += "<h3>" + T("step_htb", lang_) + "</h3>";
  Mutation htb;
  htb.action = Action::kAppointHtb;
  htb.insz = actor_;
  if (Status s = ask(htb); !s.ok() && StepRefusedHere(s)) {
    out += Refusal(s);
  } else {
    out += Form({{"action", "htb.appoint"}, {"kbo", w.kbo}},
                Input("htb-insz", "insz", "INSZ", true) +
                    Input("htb-email", "email", T("email", lang_), false) +
                    Input("htb-phone", "phone", T("phone", lang_), false),
                T("appoint", lang_), "step-htb");
  }

  // Activate the capacity (manual 3.4): asked as it would be taken.
  out += "<h3>" + T("step_capacity", lang_) + "</h3>";
  Mutation capacity;
  capacity.action = Action::kActivateCapacity;
  if (Status s = ask(capacity); s.code() == code::kAlreadyActive) {
    out += "<p>" + T("capacity_is_active", lang_) + "</p>";
  } else if (!s.ok() && StepRefusedHere(s)) {
    out += Refusal(s);
  } else {
    out += Form(
        {{"action", "hoedanigheid.activate"}, {"kbo", w.kbo}},
        Input("cap-capacity", "capacity", T("capacity_optional", lang_), false),
        T("activate", lang_), "step-capacity");
  }

  // The TB and co-TBs of a domain (manual 3.5).
  out += "<h3>" + T("step_tb", lang_) + "</h3>";
  Mutation tb;
  tb.action = Action::kSetTb;
  tb.insz = actor_;
  if (Status s = ask(tb); !s.ok() && StepRefusedHere(s)) {
    out += Refusal(s);
  } else {
    const std::string choice =
        "<label for=\"tb-action\">" + T("what", lang_) +
        "</label><select id=\"tb-action\" name=\"action\">"
        "<option value=\"tb.set\">" +
        T("tb_set", lang_) + "</option><option value=\"tb.add-co\">" +
        T("tb_add_co", lang_) + "</option><option value=\"tb.remove-co\">" +
        T("tb_remove_co", lang_) + "</option></select>";
    out += Form({{"kbo", w.kbo}},
                choice + Input("tb-insz", "insz", "INSZ", true) +
                    Input("tb-capacity", "capacity",
                          T("capacity_optional", lang_), false) +
                    Input("tb-subdivision", "subdivision",
                          T("subdivision_optional", lang_), false),
                T("appoint", lang_), "step-tb");
  }

  // Create a subafdeling (manual 3.6): the facility is typed.
  out += "<h3>" + T("step_subafdeling", lang_) + "</h3>";
  Mutation create;
  create.action = Action::kCreateSubafdeling;
  create.hco = "0";
  create.email = "placeholder@example.org";
  if (Status s = ask(create); !s.ok() && StepRefusedHere(s)) {
    out += Refusal(s);
  } else {
    out += Form({{"action", "subafdeling.create"}, {"kbo", w.kbo}},
                Input("sub-hco", "hco", T("hco", lang_), true) +
                    Input("sub-email", "email", T("email", lang_), true) +
                    Input("sub-app", "app", T("apps_typed", lang_), false) +
                    Input("sub-capacity", "capacity",
                          T("capacity_optional", lang_), false) +
                    Input("sub-subdivision", "subdivision",
                          T("subdivision_optional", lang_), false),
                T("create", lang_), "step-subafdeling");
  }
  return out + "</section>";
}

FormFields StepForms::Target(const FacilityCard& card,
                             const FacilityCard::Subafdeling& s,
                             std::string_view action) const {
  return {{"action", std::string(action)},
          {"kbo", card.organizer ? card.organizer->kbo : std::string()},
          {"hco", card.hco},
          {"capacity", s.capacity},
          {"subdivision", s.subdivision}};
}

Mutation StepForms::Asked(const FacilityCard& card,
                          const FacilityCard::Subafdeling& s,
                          Action action) const {
  Mutation m;
  m.action = action;
  m.actor = actor_;
  m.kbo = card.organizer ? card.organizer->kbo : std::string();
  m.hco = card.hco;
  m.capacity = s.capacity;
  m.subdivision = s.subdivision;
  return m;
}

Status StepForms::UsersStep(const FacilityCard& card,
                            const FacilityCard::Subafdeling& s) const {
  Mutation m = Asked(card, s, Action::kAddUser);
  m.insz = actor_;
  return engine_->Preview(m).status();
}

std::string StepForms::Subafdeling(const FacilityCard& card,
                                   const FacilityCard::Subafdeling& s,
                                   const Status& users) const {
  const std::string id = IdText(s.capacity + "-" + s.subdivision);
  std::string out = "<h3>" + T("step_user", lang_) + "</h3>";
  if (!users.ok() && StepRefusedHere(users)) {
    out += Refusal(users);
  } else {
    std::string rights =
        "<fieldset><legend>" + T("rights", lang_) + "</legend>";
    for (const std::string& app : s.applications) {
      const std::string box = "add-" + id + "-" + IdText(app);
      rights += fmt::format(
          "<input type=\"checkbox\" id=\"{0}\" name=\"app\" value=\"{1}\">"
          "<label for=\"{0}\">{1}</label> ",
          Html(box), Html(app));
    }
    rights += "</fieldset>";
    out += Form(Target(card, s, "user.add"),
                Input("add-" + id + "-insz", "insz", "INSZ", true) + rights,
                T("add_user", lang_), "step-add-user-" + id);
  }
  // The checks that come before the typed application's or person's (the
  // enterprise, the facility, the actor: the HTB or a TB/co-TB of the
  // domain) are one question, asked as add-beheerder with the actor as
  // the placeholder person; its refusal hides the forms with a typed
  // target here (authorize, add-beheerder).
  Mutation manage = Asked(card, s, Action::kAddManager);
  manage.insz = actor_;
  const Status domain = engine_->Preview(manage).status();
  const bool domain_refused = !domain.ok() && StepRefusedHere(domain);

  // Authorize an application (manual 3.6): its code is typed.
  out += "<h3>" + T("step_authorize", lang_) + "</h3>";
  if (domain_refused) {
    out += Refusal(domain);
  } else {
    out += Form(Target(card, s, "subafdeling.authorize"),
                Input("auth-" + id + "-app", "app", T("app_code", lang_), true),
                T("authorize", lang_), "step-authorize-" + id);
  }

  // Withdrawing an application revokes its rights there: asked per
  // application, as it would be taken.
  std::string withdraw;
  std::string refused;
  for (const std::string& app : s.applications) {
    Mutation m = Asked(card, s, Action::kDeauthorize);
    m.applications = {app};
    Result<MutationPreview> p = engine_->Preview(m);
    if (p.ok()) {
      FormFields f = Target(card, s, "subafdeling.deauthorize");
      f.emplace_back("app", app);
      withdraw += Form(f, "", T("withdraw", lang_) + " " + app,
                       "step-deauthorize-" + id + "-" + IdText(app));
    } else if (refused.empty()) {
      refused = Refusal(p.status());
    }
  }
  if (!s.applications.empty()) {
    out += "<h3>" + T("step_withdraw", lang_) + "</h3>" +
           (withdraw.empty() ? refused : withdraw);
  }

  // The named managers (beheerders, manual 3.6): add one (typed), remove
  // one (each asked as it would be taken).
  out += "<h3>" + T("step_managers", lang_) + "</h3>";
  if (domain_refused) {
    out += Refusal(domain);
  } else {
    out += Form(Target(card, s, "subafdeling.add-beheerder"),
                Input("manager-" + id + "-insz", "insz", "INSZ", true),
                T("add_manager", lang_), "step-add-manager-" + id);
  }
  std::string removals;
  refused.clear();
  for (const PersonRef& manager : s.managers) {
    Mutation m = Asked(card, s, Action::kRemoveManager);
    m.insz = manager.insz;
    if (Status may = engine_->Preview(m).status(); may.ok()) {
      const std::string token = tokens_->TokenFor(manager.insz);
      FormFields f = Target(card, s, "subafdeling.remove-beheerder");
      f.emplace_back("person", token);
      removals +=
          Form(f, "",
               T("remove_manager", lang_) + " " +
                   (manager.name.empty() ? T("person", lang_) : manager.name),
               "remove-manager-" + token);
    } else if (refused.empty() && !domain_refused) {
      refused = Refusal(may);
    }
  }
  out += removals + refused;

  // Remove the subafdeling (its users, rights, managers and authorizations
  // with it: the cascade asks for confirmation), asked as it would be
  // taken.
  out += "<h3>" + T("step_remove_subafdeling", lang_) + "</h3>";
  if (Status may =
          engine_->Preview(Asked(card, s, Action::kRemoveSubafdeling)).status();
      may.ok()) {
    out +=
        Form(Target(card, s, "subafdeling.remove"), "",
             T("remove_subafdeling", lang_), "step-remove-subafdeling-" + id);
  } else {
    out += Refusal(may);
  }
  return out;
}

std::string StepForms::Member(const FacilityCard& card,
                              const FacilityCard::Subafdeling& s,
                              const FacilityCard::Member& m,
                              const Status& users) const {
  if (!users.ok() && StepRefusedHere(users)) return "";
  const std::string token = tokens_->TokenFor(m.person.insz);
  std::string out;
  for (const std::string& app : m.rights) {
    FormFields f = Target(card, s, "user.revoke");
    f.emplace_back("person", token);
    f.emplace_back("app", app);
    out += Form(f, "", T("revoke", lang_) + " " + app,
                "revoke-" + token + "-" + IdText(app));
  }
  std::string options;
  for (const std::string& app : s.applications) {
    if (std::find(m.rights.begin(), m.rights.end(), app) != m.rights.end()) {
      continue;
    }
    options += fmt::format("<option value=\"{0}\">{0}</option>", Html(app));
  }
  if (!options.empty()) {
    FormFields f = Target(card, s, "user.grant");
    f.emplace_back("person", token);
    out += Form(f,
                "<label for=\"grant-" + token + "\">" + T("right", lang_) +
                    "</label><select id=\"grant-" + token + "\" name=\"app\">" +
                    options + "</select>",
                T("grant", lang_), "grant-" + token);
  }
  FormFields f = Target(card, s, "user.remove");
  f.emplace_back("person", token);
  out += Form(f, "", T("remove_user", lang_), "remove-" + token);
  return out;
}

Result<StepRequest> ParseStep(const FormFields& form, const std::string& actor,
                              PersonTokens* tokens) {
  StepRequest step;
  Mutation& m = step.mutation;
  m.actor = actor;
  std::string action, person;
  std::set<std::string> seen;
  for (const auto& [name, value] : form) {
    if (name == "csrf") continue;
    if (name == "confirm") {
      step.confirmed = value == "1";
      continue;
    }
    step.fields.emplace_back(name, value);
    if (name == "app") {
      std::string app;
      for (char c : value + " ") {
        if (c == ' ' || c == ',') {
          if (!app.empty()) m.applications.push_back(app);
          app.clear();
        } else {
          app += c;
        }
      }
      continue;
    }
    if (!seen.insert(name).second) {
      return Status::InvalidInput(
          code::kUsage, fmt::format("the form gives `{}` twice", name));
    }
    if (name == "action") {
      action = value;
    } else if (name == "kbo") {
      m.kbo = value;
    } else if (name == "hco") {
      m.hco = value;
    } else if (name == "capacity") {
      m.capacity = value;
    } else if (name == "subdivision") {
      m.subdivision = value;
    } else if (name == "insz") {
      m.insz = value;
    } else if (name == "person") {
      person = value;
    } else if (name == "email") {
      m.email = value;
    } else if (name == "phone") {
      m.phone = value;
    } else {
      return Status::InvalidInput(
          code::kUsage, fmt::format("the form has a field `{}` that no step "
                                    "takes",
                                    name));
    }
  }
  std::optional<Action> a = ActionFromName(action);
  if (!a || !Offered(*a)) {
    return Status::InvalidInput(
        code::kUsage,
        "the form names no step that the pages offer; reload "
        "the page and use its forms");
  }
  m.action = *a;
  if (!person.empty()) {
    if (!m.insz.empty()) {
      return Status::InvalidInput(code::kDuplicateInput,
                                  "the form names the person twice (typed "
                                  "and by link); reload the page and use its "
                                  "forms");
    }
    std::optional<std::string> insz = tokens->Resolve(person);
    if (!insz) {
      return Status::InvalidInput(
          code::kUsage,
          "the link to this person has expired (after 30 minutes or a "
          "restart); reload the page and take the step again");
    }
    m.insz = *insz;
  }
  return step;
}

std::string StepBackPath(const Mutation& m) {
  const bool on_subafdeling =
      m.action != Action::kAppointHtb &&
      m.action != Action::kActivateCapacity && m.action != Action::kSetTb &&
      m.action != Action::kAddCoTb && m.action != Action::kRemoveCoTb &&
      m.action != Action::kCreateSubafdeling;
  if (on_subafdeling) {
    if (Result<Hco> hco = Hco::Parse(m.hco); hco.ok()) {
      return "/facility/" + hco->str();
    }
  }
  if (Result<Kbo> kbo = Kbo::Parse(m.kbo); kbo.ok()) {
    return "/enterprise/" + kbo->ToString();
  }
  return "/";
}

std::string StepConfirmBody(const StepRequest& step,
                            const MutationPreview& preview, Lang lang,
                            const std::string& csrf) {
  const Mutation& m = step.mutation;
  std::string out = "<h1>" + T("confirm_title", lang) + ": " +
                    Html(ActionName(m.action)) + "</h1><p id=\"may\">" +
                    T("may_allowed", lang) + " " + T("revision", lang) + " " +
                    std::to_string(preview.revision) + ".</p><p>" +
                    Html(ActionName(m.action)) + " " + T("would_also", lang) +
                    "</p><ul id=\"cascade\">";
  for (const std::string& line : CascadeLines(preview.cascade, lang)) {
    out += "<li>" + Html(line) + "</li>";
  }
  out +=
      "</ul><form method=\"post\" action=\"/step\" class=\"step\" "
      "id=\"confirm-step\">" +
      Hidden("csrf", csrf);
  for (const auto& [name, value] : step.fields) out += Hidden(name, value);
  out += Hidden("confirm", "1") + "<button type=\"submit\">" +
         T("confirm", lang) + "</button></form><p><a id=\"cancel\" href=\"" +
         Html(StepBackPath(m)) + "\">" + T("cancel", lang) + "</a></p>";
  return out;
}

std::string StepDoneBody(const Mutation& m, const CommitInfo& done, Lang lang) {
  std::string out = "<h1>" + T("step_done", lang) + "</h1><p id=\"done\">" +
                    Html(ActionName(m.action)) + ": " + T("revision", lang) +
                    " " + std::to_string(done.revision) + "</p><ul>";
  constexpr size_t kShown = 20;
  for (size_t i = 0; i < done.changes.size() && i < kShown; ++i) {
    out += "<li>" + Html(done.changes[i]) + "</li>";
  }
  out += "</ul>";
  if (!done.cascade.empty()) {
    out += "<p>" + Html(ActionName(m.action)) + " " + T("did_also", lang) +
           "</p><ul>";
    for (const std::string& line : CascadeLines(done.cascade, lang)) {
      out += "<li>" + Html(line) + "</li>";
    }
    out += "</ul>";
  }
  return out + "<p><a id=\"back\" href=\"" + Html(StepBackPath(m)) + "\">" +
         T("back", lang) + "</a></p>";
}

std::string StepRefusedBody(const Mutation& m, const Status& status,
                            Lang lang) {
  std::string out = "<h1>" + T("step_refused", lang) + ": " +
                    Html(ActionName(m.action)) +
                    "</h1><p class=\"refusal\" id=\"refusal\"><strong>" +
                    Html(status.code()) + "</strong>";
  const std::string_view dutch =
      lang == Lang::kNl ? DutchErrorText(status.code()) : std::string_view();
  if (!dutch.empty()) out += ": " + Html(dutch);
  out += "<br>" + Html(status.message()) + "</p><p>" +
         T("nothing_changed", lang) + "</p>";
  return out + "<p><a id=\"back\" href=\"" + Html(StepBackPath(m)) + "\">" +
         T("back", lang) + "</a></p>";
}

}  // namespace toegang::serve::web
