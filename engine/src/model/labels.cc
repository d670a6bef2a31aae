#include "toegang/labels.h"

#include <fmt/format.h>

#include "toegang/identifiers.h"

namespace toegang {

std::string NamedLabel(std::string_view name, std::string_view id) {
  if (name.empty()) return std::string(id);
  std::string out;
  out.reserve(name.size() + id.size() + 3);
  out.append(name).append(" (").append(id).append(")");
  return out;
}

std::string PersonLabel(const PersonRef& p) {
  return NamedLabel(p.name, InszDisplayText(p.insz));
}

std::string InszDisplayText(std::string_view insz) {
  Result<Insz> i = Insz::Parse(insz);
  return i.ok() ? i->Display() : std::string(insz);
}

std::string KboDisplayText(std::string_view kbo) {
  Result<Kbo> k = Kbo::Parse(kbo);
  return k.ok() ? k->Display() : std::string(kbo);
}

std::string EnterpriseLabel(std::string_view name,
                            std::string_view kbo_display) {
  return NamedLabel(name, "KBO " + std::string(kbo_display));
}

std::string RoleLabel(std::string_view role, Lang lang) {
  const bool nl = lang == Lang::kNl;
  if (role == "wv") return "WV";
  if (role == "employee") return nl ? "werknemer" : "employee";
  if (role == "htb") return "HTB";
  if (role == "tb") return "TB";
  if (role == "co_tb") return "co-TB";
  if (role == "manager") {
    return nl ? "subafdelingsbeheerder" : "subafdeling manager";
  }
  return std::string(role);
}

std::string ReasonLabel(std::string_view reason, Lang lang) {
  struct Words {
    std::string_view code, nl, en;
  };
  static constexpr Words kWords[] = {
      {"enterprise_inactive", "onderneming gestopt in de KBO",
       "enterprise stopped in the KBO"},
      {"no_htb", "geen hoofdtoegangsbeheerder (HTB)",
       "no main access manager (HTB)"},
      {"capacity_inactive", "hoedanigheid niet geactiveerd",
       "capacity not activated"},
      {"facility_inactive", "voorziening gesloten in CoBRHA",
       "facility closed in CoBRHA"},
      {"no_subafdeling", "geen subafdeling voor de voorziening",
       "no subafdeling for the facility"},
      {"application_not_authorized",
       "toepassing niet toegekend aan de "
       "subafdeling",
       "application not authorized for the subafdeling"},
      {"not_a_user", "geen gebruiker van de subafdeling",
       "not a user of the subafdeling"},
      {"right_missing", "recht ontbreekt", "right missing"},
  };
  for (const Words& w : kWords) {
    if (w.code == reason) return std::string(lang == Lang::kNl ? w.nl : w.en);
  }
  return std::string(reason);
}

std::vector<std::string> CascadeLines(const std::vector<CascadeStep>& cascade,
                                      Lang lang) {
  struct Words {
    const char* action;
    const char *en_one, *en_many, *nl_one, *nl_many;
  };
  static const Words kWords[] = {
      {"user.revoke", "revoke {} right", "revoke {} rights",
       "{} recht intrekken", "{} rechten intrekken"},
      {"user.remove", "remove {} user", "remove {} users",
       "{} gebruiker verwijderen", "{} gebruikers verwijderen"},
      {"subafdeling.remove-beheerder", "remove {} manager",
       "remove {} managers", "{} beheerder verwijderen",
       "{} beheerders verwijderen"},
      {"subafdeling.deauthorize", "withdraw {} application",
       "withdraw {} applications", "{} toepassing terugtrekken",
       "{} toepassingen terugtrekken"},
      {"subafdeling.remove", "remove {} subafdeling", "remove {} subafdelingen",
       "{} subafdeling verwijderen", "{} subafdelingen verwijderen"},
      {"tb.remove-co", "remove {} co-TB", "remove {} co-TBs",
       "{} co-TB verwijderen", "{} co-TB's verwijderen"},
      {"tb.remove", "remove {} TB", "remove {} TBs", "{} TB verwijderen",
       "{} TB's verwijderen"},
  };
  const bool nl = lang == Lang::kNl;
  std::vector<std::string> lines;
  for (const CascadeStep& step : cascade) {
    std::string head = fmt::format("{} x {}", step.count, step.action);
    for (const Words& w : kWords) {
      if (step.action != w.action) continue;
      const char* form = nl ? (step.count == 1 ? w.nl_one : w.nl_many)
                            : (step.count == 1 ? w.en_one : w.en_many);
      head = fmt::format(fmt::runtime(form), step.count);
    }
    std::string names;
    for (const std::string& name : step.first) {
      names += (names.empty() ? "" : ", ") + name;
    }
    if (step.count > step.first.size()) {
      names += fmt::format(fmt::runtime(nl ? " en {} meer" : " and {} more"),
                           step.count - step.first.size());
    }
    lines.push_back(head + ": " + names);
  }
  return lines;
}

}  // namespace toegang
