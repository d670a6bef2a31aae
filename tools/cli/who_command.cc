// who: the helpdesk's card of an enterprise (--kbo), a person (--insz) or
// a facility (--hco); exactly one of the three.
//
// who --insz: the person's functions, roles, memberships with rights and
// the decision per application with its short reason and who can fix it.
// who --hco: the facility, its organizer and status, each subafdeling
// there with its managers, and its members with and without rights.
// JSON: the cards of toegang/answer_json.h.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

#include "cli_context.h"
#include "toegang/answer_json.h"
#include "toegang/cards.h"
#include "toegang/labels.h"

namespace toegang::cli {
namespace {

namespace po = boost::program_options;

// A person as every command shows one: the name and the dotted INSZ
// (labels.h); JSON keeps the digits.
std::string PersonText(const PersonRef& p) { return PersonLabel(p); }

std::string PeopleText(const std::vector<PersonRef>& people, bool nl) {
  if (people.empty()) return nl ? "geen" : "none";
  std::string out;
  for (const PersonRef& p : people) {
    out += (out.empty() ? "" : ", ") + PersonText(p);
  }
  return out;
}

std::string ListText(const std::vector<std::string>& items, bool nl) {
  if (items.empty()) return nl ? "geen" : "none";
  return fmt::format("{}", fmt::join(items, ", "));
}

std::string EnterpriseText(const EnterpriseRef& e, bool nl) {
  std::string out = EnterpriseLabel(e.name, KboDisplayText(e.kbo));
  if (!e.active) out += nl ? " (gestopt)" : " (stopped)";
  return out;
}

std::string MadeText(const LinkMade& m, bool nl) {
  if (!m.by && m.at.empty()) return "";
  return fmt::format(fmt::runtime(nl ? "; door {} op {} (revisie {})"
                                     : "; by {} at {} (revision {})"),
                     m.by ? PersonText(*m.by) : "-", m.at.empty() ? "-" : m.at,
                     m.revision);
}

std::string FixerText(const FixerContact& f, Lang lang) {
  std::string out = PersonText(f.person) + ", " + RoleLabel(f.role, lang);
  if (!f.email.empty()) out += ", " + f.email;
  if (!f.phone.empty()) out += ", " + f.phone;
  return out;
}

std::vector<std::string> PersonCardText(const PersonCard& c, Lang lang) {
  const bool nl = lang == Lang::kNl;
  std::vector<std::string> text = {
      c.known ? PersonText(c.person)
              : fmt::format(fmt::runtime(nl ? "{}: onbekend in de federatie"
                                            : "{}: unknown to the federation"),
                            PersonLabel(PersonRef{c.person.insz, {}}))};
  std::string functions;
  for (const PersonCard::Function& f : c.functions) {
    functions +=
        (functions.empty() ? "" : "; ") +
        fmt::format(fmt::runtime(nl ? "{} van {}" : "{} of {}"),
                    RoleLabel(f.kind, lang), EnterpriseText(f.enterprise, nl));
  }
  text.push_back((nl ? "  Functies: " : "  Functions: ") +
                 (functions.empty() ? (nl ? "geen" : "none") : functions));
  text.push_back(nl ? "  Rollen:" : "  Roles:");
  for (const PersonCard::Role& r : c.roles) {
    std::string where = EnterpriseText(r.enterprise, nl);
    if (!r.hco.empty()) {
      where = fmt::format("subafdeling HCO {} {} ({} / {}), {}", r.hco,
                          r.facility_name, r.capacity, r.subdivision, where);
    } else if (!r.capacity.empty()) {
      where = fmt::format(
          fmt::runtime(nl ? "domein {} / {}, {}" : "domain {} / {}, {}"),
          r.capacity, r.subdivision, where);
    }
    std::string line =
        fmt::format(fmt::runtime(nl ? "    {} van {}{}" : "    {} of {}{}"),
                    RoleLabel(r.role, lang), where, MadeText(r.made, nl));
    if (!r.still_listed) {
      line += nl ? " (niet meer WV of werknemer: beheert niets)"
                 : " (no longer WV or employee: administers nothing)";
    }
    text.push_back(std::move(line));
  }
  if (c.roles.empty()) text.push_back(nl ? "    geen" : "    none");
  text.push_back(nl ? "  Lidmaatschappen:" : "  Memberships:");
  for (const PersonCard::Membership& m : c.memberships) {
    text.push_back(fmt::format(
        fmt::runtime(
            nl ? "    subafdeling HCO {} {} ({} / {}), {}: rechten {}{}"
               : "    subafdeling HCO {} {} ({} / {}), {}: rights {}{}"),
        m.hco, m.facility_name, m.capacity, m.subdivision,
        EnterpriseText(m.enterprise, nl), ListText(m.rights, nl),
        MadeText(m.made, nl)));
  }
  if (c.memberships.empty()) text.push_back(nl ? "    geen" : "    none");
  text.push_back(nl ? "  Beslissingen:" : "  Decisions:");
  for (const PersonCard::AppDecision& d : c.decisions) {
    const Explanation& e = d.explanation;
    if (e.allowed) {
      text.push_back(
          fmt::format(fmt::runtime(nl ? "    {:<10} toegestaan via HCO {}"
                                      : "    {:<10} allowed through HCO {}"),
                      d.application, ListText(e.facilities, nl)));
      continue;
    }
    text.push_back(fmt::format(
        fmt::runtime(nl ? "    {:<10} geweigerd: {} (handleiding {})"
                        : "    {:<10} denied: {} (manual {})"),
        d.application, ReasonLabel(e.reason, lang), e.manual));
    for (const FixerContact& f : e.fixer_roles) {
      text.push_back(fmt::format(fmt::runtime(nl ? "               oplossen: {}"
                                                 : "               fix: {}"),
                                 FixerText(f, lang)));
    }
  }
  text.push_back(fmt::format(
      fmt::runtime(nl ? "(revisie {})" : "(revision {})"), c.revision));
  return text;
}

std::vector<std::string> FacilityCardText(const FacilityCard& c, bool nl) {
  std::vector<std::string> text = {
      fmt::format("HCO {} {} (type {}), {}", c.hco, c.name, c.type,
                  c.active ? (nl ? "open" : "open")
                           : (nl ? "gesloten in CoBRHA" : "closed in CoBRHA"))};
  text.push_back((nl ? "  Organisator: " : "  Organizer: ") +
                 (c.organizer ? EnterpriseText(*c.organizer, nl)
                              : (nl ? "geen" : "none")));
  if (c.organizer) {
    // The organizer's other facilities, and which may become a subafdeling
    // (manual 2.1 step 2C, the OCMW rule of 1.1).
    text.push_back(fmt::format(
        fmt::runtime(nl ? "  Alle voorzieningen van de organisator: toegang "
                          "facilities --kbo {}"
                        : "  All the organizer's facilities: toegang "
                          "facilities --kbo {}"),
        KboDisplayText(c.organizer->kbo)));
  }
  if (c.htb) {
    text.push_back(fmt::format("  HTB: {}{}{}", PersonText(*c.htb),
                               c.htb_email.empty() ? "" : ", " + c.htb_email,
                               c.htb_phone.empty() ? "" : ", " + c.htb_phone));
  }
  for (const FacilityCard::Subafdeling& s : c.subafdelingen) {
    text.push_back(fmt::format(
        fmt::runtime(nl ? "  Subafdeling {} / {}, {}: toepassingen {}"
                        : "  Subafdeling {} / {}, {}: applications {}"),
        s.capacity, s.subdivision, s.email, ListText(s.applications, nl)));
    text.push_back(
        fmt::format(fmt::runtime(nl ? "       TB {}; co-TB: {}; beheerders: {}"
                                    : "       TB {}; co-TB: {}; managers: {}"),
                    s.tb ? PersonText(*s.tb) : (nl ? "de HTB" : "the HTB"),
                    PeopleText(s.co_tbs, nl), PeopleText(s.managers, nl)));
    text.push_back(fmt::format(
        fmt::runtime(nl ? "       leden ({}):" : "       members ({}):"),
        s.members.size()));
    for (const FacilityCard::Member& m : s.members) {
      text.push_back(fmt::format(fmt::runtime(nl ? "         {}: rechten {}{}"
                                                 : "         {}: rights {}{}"),
                                 PersonText(m.person), ListText(m.rights, nl),
                                 MadeText(m.made, nl)));
    }
  }
  if (c.subafdelingen.empty()) {
    text.push_back(nl ? "  Subafdelingen: geen" : "  Subafdelingen: none");
  }
  text.push_back(fmt::format(
      fmt::runtime(nl ? "(revisie {})" : "(revision {})"), c.revision));
  return text;
}

std::vector<std::string> EnterpriseCardText(const WhoReport& w, bool nl) {
  std::vector<std::string> text = {
      fmt::format("{}, {}", EnterpriseLabel(w.name, KboDisplayText(w.kbo)),
                  w.active ? (nl ? "actief" : "active")
                           : (nl ? "gestopt in de KBO" : "stopped in the KBO")),
      fmt::format("  WV: {}", PeopleText(w.legal_representatives, nl))};

  if (w.htb) {
    const WhoReport::Htb& h = *w.htb;
    text.push_back(fmt::format("  HTB: {}", PersonText(h.person)));
    text.push_back(fmt::format(fmt::runtime(nl ? "       e-mail {}, telefoon {}"
                                               : "       e-mail {}, phone {}"),
                               h.email.empty() ? "-" : h.email,
                               h.phone.empty() ? "-" : h.phone));
    if (h.email.empty() || h.phone.empty()) {
      text.push_back(
          nl ? "       (handleiding 3.2.2 vraagt e-mail en telefoon: een WV "
               "of de HTB vult aan met toegang htb set-contact)"
             : "       (manual 3.2.2 asks for e-mail and phone: a WV or the "
               "HTB completes them with toegang htb set-contact)");
    }
    std::string wv_contact;
    for (const std::string* c :
         {&h.appointed_by_email, &h.appointed_by_phone}) {
      if (!c->empty()) wv_contact += (wv_contact.empty() ? "" : ", ") + *c;
    }
    text.push_back(fmt::format(
        fmt::runtime(nl ? "       aangesteld door {}{} op {} (revisie {})"
                        : "       appointed by {}{} at {} (revision {})"),
        h.appointed_by ? PersonText(*h.appointed_by) : "-",
        wv_contact.empty() ? "" : " (" + wv_contact + ")",
        h.at.empty() ? "-" : h.at, h.revision));
    if (h.appointed_by_former_wv) {
      text.push_back(
          nl ? "       aangesteld door een gewezen WV: een huidige WV "
               "bevestigt of vervangt de HTB (handleiding 3.2)"
             : "       appointed by a former WV: a current WV re-confirms "
               "or replaces the HTB (manual 3.2)");
    }
    if (!h.still_listed) {
      text.push_back(
          nl ? "       niet meer WV of werknemer volgens de KBO: beheert "
               "niets meer tot een WV een nieuwe HTB aanstelt"
             : "       no longer a WV or employee in the KBO: administers "
               "nothing until a WV appoints a new HTB");
    }
  } else {
    text.push_back(nl ? "  HTB: geen; een WV stelt er een aan (handleiding "
                        "3.2)"
                      : "  HTB: none; a WV appoints one (manual 3.2)");
  }
  text.push_back(
      fmt::format(fmt::runtime(nl ? "  Hoedanigheden: {}" : "  Capacities: {}"),
                  ListText(w.active_capacities, nl)));

  for (const WhoReport::Domain& d : w.domains) {
    text.push_back(fmt::format(
        fmt::runtime(nl ? "  Domein {} / {}: TB {}; co-TB: {}"
                        : "  Domain {} / {}: TB {}; co-TB: {}"),
        d.capacity, d.subdivision,
        d.tb ? PersonText(*d.tb) : (nl ? "geen (de HTB)" : "none (the HTB)"),
        PeopleText(d.co_tbs, nl)));
  }

  for (const WhoReport::Subafdeling& s : w.subafdelingen) {
    text.push_back(
        fmt::format("  Subafdeling HCO {} {} (type {}{}), {} / {}, {}", s.hco,
                    s.facility_name, s.facility_type,
                    s.facility_active ? "" : (nl ? ", gesloten" : ", closed"),
                    s.capacity, s.subdivision, s.email));
    text.push_back(fmt::format(
        fmt::runtime(nl ? "       toepassingen: {}; beheerders: {}; "
                          "gebruikers: {}"
                        : "       applications: {}; managers: {}; users: {}"),
        ListText(s.applications, nl), PeopleText(s.managers, nl), s.users));
  }
  if (w.subafdelingen.empty()) {
    text.push_back(nl ? "  Subafdelingen: geen" : "  Subafdelingen: none");
  }
  text.push_back(fmt::format(
      fmt::runtime(nl ? "(revisie {})" : "(revision {})"), w.revision));
  return text;
}

}  // namespace

CommandOptions WhoCommandOptions() {
  CommandOptions spec;
  // clang-format off
  spec.options.add_options()
      ("kbo", po::value<std::string>()->value_name("KBO"),
       "an enterprise: its WVs, HTB, TBs and subafdelingen")
      ("insz", po::value<std::string>()->value_name("INSZ"),
       "a person: functions, roles, memberships and rights, and the "
       "decision per application")
      ("hco", po::value<std::string>()->value_name("HCO"),
       "a facility: organizer, status, subafdelingen and members");
  // clang-format on
  return spec;
}

int RunWho(const Context& ctx) {
  po::variables_map vm = ParseArgs(ctx);
  const size_t given = vm.count("kbo") + vm.count("insz") + vm.count("hco");
  if (given != 1) {
    throw UsageError{"who needs one of --kbo, --insz or --hco"};
  }
  int code = kExitOk;
  std::unique_ptr<Engine> engine = ctx.OpenEngine(false, &code);
  if (!engine) return code;
  const Lang lang = ctx.lang == "nl" ? Lang::kNl : Lang::kEn;
  if (vm.count("kbo")) {
    Result<WhoReport> r = engine->Who(vm["kbo"].as<std::string>());
    if (!r.ok()) return ctx.Fail(r.status());
    ctx.Print(WhoJson(*r), EnterpriseCardText(*r, lang == Lang::kNl));
    return kExitOk;
  }
  if (vm.count("insz")) {
    Result<PersonCard> card =
        engine->WhoPerson(vm["insz"].as<std::string>(), lang);
    if (!card.ok()) return ctx.Fail(card.status());
    ctx.Print(PersonCardJson(*card), PersonCardText(*card, lang));
    return kExitOk;
  }
  Result<FacilityCard> card = engine->WhoFacility(vm["hco"].as<std::string>());
  if (!card.ok()) return ctx.Fail(card.status());
  ctx.Print(FacilityCardJson(*card),
            FacilityCardText(*card, lang == Lang::kNl));
  return kExitOk;
}

}  // namespace toegang::cli
