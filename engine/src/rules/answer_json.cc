#include "toegang/answer_json.h"

#include <optional>

namespace toegang {
namespace {

nlohmann::json OptionalPersonJson(const std::optional<PersonRef>& p) {
  return p ? PersonJson(*p) : nlohmann::json(nullptr);
}

nlohmann::json PeopleJson(const std::vector<PersonRef>& people) {
  nlohmann::json list = nlohmann::json::array();
  for (const PersonRef& p : people) list.push_back(PersonJson(p));
  return list;
}

nlohmann::json FixerRolesJson(const std::vector<FixerContact>& fixers) {
  nlohmann::json list = nlohmann::json::array();
  for (const FixerContact& f : fixers) {
    list.push_back({{"person", PersonJson(f.person)},
                    {"role", f.role},
                    {"kbo", f.kbo},
                    {"hco", f.hco},
                    {"email", f.email},
                    {"phone", f.phone}});
  }
  return list;
}

nlohmann::json HtbJson(const WhoReport::Htb& h) {
  return {{"person", PersonJson(h.person)},
          {"email", h.email},
          {"phone", h.phone},
          {"revision", h.revision},
          {"at", h.at},
          {"appointed_by", OptionalPersonJson(h.appointed_by)},
          {"appointed_by_email", h.appointed_by_email},
          {"appointed_by_phone", h.appointed_by_phone},
          {"appointed_by_former_wv", h.appointed_by_former_wv},
          {"still_listed", h.still_listed}};
}

nlohmann::json EnterpriseJson(const EnterpriseRef& e) {
  return {{"kbo", e.kbo}, {"name", e.name}, {"active", e.active}};
}

nlohmann::json MadeJson(const LinkMade& m) {
  return {
      {"by", OptionalPersonJson(m.by)}, {"revision", m.revision}, {"at", m.at}};
}

}  // namespace

nlohmann::ordered_json DecisionJson(const Decision& d) {
  nlohmann::ordered_json j = {{"allowed", d.allowed},
                              {"revision", d.revision},
                              {"facilities", d.facilities},
                              {"insz", d.insz},
                              {"app", d.application}};
  if (!d.hco.empty()) j["hco"] = d.hco;
  return j;
}

nlohmann::json PersonJson(const PersonRef& p) {
  return {{"insz", p.insz}, {"name", p.name}};
}

nlohmann::json ExplanationJson(const Explanation& e) {
  nlohmann::json chain = nlohmann::json::array();
  for (const ChainLink& l : e.chain) {
    chain.push_back({{"step", l.step},
                     {"person", OptionalPersonJson(l.person)},
                     {"made_by", OptionalPersonJson(l.made_by)},
                     {"revision", l.revision},
                     {"at", l.at},
                     {"text", l.text}});
  }
  return {{"allowed", e.allowed},
          {"revision", e.revision},
          {"facilities", e.facilities},
          {"chain", chain},
          {"login_checklist", e.login_checklist},
          {"reason", e.reason},
          {"condition", e.condition},
          {"manual", e.manual},
          {"candidate_kbo", e.candidate_kbo},
          {"candidate_hco", e.candidate_hco},
          {"fixers", PeopleJson(e.fixers)},
          {"fixer_roles", FixerRolesJson(e.fixer_roles)},
          {"where_to_ask", e.where_to_ask},
          {"summary", e.summary}};
}

nlohmann::json WhoJson(const WhoReport& w) {
  nlohmann::json domains = nlohmann::json::array();
  for (const WhoReport::Domain& d : w.domains) {
    domains.push_back({{"capacity", d.capacity},
                       {"subdivision", d.subdivision},
                       {"tb", OptionalPersonJson(d.tb)},
                       {"co_tbs", PeopleJson(d.co_tbs)}});
  }
  nlohmann::json subs = nlohmann::json::array();
  for (const WhoReport::Subafdeling& s : w.subafdelingen) {
    subs.push_back({{"hco", s.hco},
                    {"facility_name", s.facility_name},
                    {"facility_type", s.facility_type},
                    {"facility_active", s.facility_active},
                    {"capacity", s.capacity},
                    {"subdivision", s.subdivision},
                    {"email", s.email},
                    {"applications", s.applications},
                    {"managers", PeopleJson(s.managers)},
                    {"users", s.users}});
  }
  nlohmann::json facilities = nlohmann::json::array();
  for (const WhoReport::Facility& f : w.facilities) {
    nlohmann::json activations = nlohmann::json::array();
    for (const WhoReport::Facility::Activation& a : f.subafdelingen) {
      activations.push_back({{"capacity", a.capacity},
                             {"subdivision", a.subdivision},
                             {"applications", a.applications}});
    }
    nlohmann::json rule = nlohmann::json::object();
    for (const auto& [app, allowed] : f.facility_rule) rule[app] = allowed;
    facilities.push_back({{"hco", f.hco},
                          {"name", f.name},
                          {"type_code", f.type_code},
                          {"active", f.active},
                          {"subafdelingen", std::move(activations)},
                          {"facility_rule_allows", std::move(rule)}});
  }
  return {{"kbo", w.kbo},
          {"name", w.name},
          {"active", w.active},
          {"ocmw", w.ocmw},
          {"facilities", std::move(facilities)},
          {"legal_representatives", PeopleJson(w.legal_representatives)},
          {"active_capacities", w.active_capacities},
          {"revision", w.revision},
          {"htb", w.htb ? HtbJson(*w.htb) : nlohmann::json(nullptr)},
          {"domains", std::move(domains)},
          {"subafdelingen", std::move(subs)}};
}

nlohmann::json PersonCardJson(const PersonCard& c) {
  nlohmann::json functions = nlohmann::json::array();
  for (const PersonCard::Function& f : c.functions) {
    functions.push_back(
        {{"kind", f.kind}, {"enterprise", EnterpriseJson(f.enterprise)}});
  }
  nlohmann::json roles = nlohmann::json::array();
  for (const PersonCard::Role& r : c.roles) {
    roles.push_back({{"role", r.role},
                     {"enterprise", EnterpriseJson(r.enterprise)},
                     {"capacity", r.capacity},
                     {"subdivision", r.subdivision},
                     {"hco", r.hco},
                     {"facility_name", r.facility_name},
                     {"made", MadeJson(r.made)},
                     {"still_listed", r.still_listed}});
  }
  nlohmann::json memberships = nlohmann::json::array();
  for (const PersonCard::Membership& m : c.memberships) {
    memberships.push_back({{"enterprise", EnterpriseJson(m.enterprise)},
                           {"capacity", m.capacity},
                           {"subdivision", m.subdivision},
                           {"hco", m.hco},
                           {"facility_name", m.facility_name},
                           {"email", m.email},
                           {"rights", m.rights},
                           {"made", MadeJson(m.made)}});
  }
  nlohmann::json decisions = nlohmann::json::array();
  for (const PersonCard::AppDecision& d : c.decisions) {
    decisions.push_back({{"app", d.application},
                         {"app_name", d.application_name},
                         {"explanation", ExplanationJson(d.explanation)}});
  }
  return {{"person", PersonJson(c.person)},
          {"known", c.known},
          {"revision", c.revision},
          {"functions", std::move(functions)},
          {"roles", std::move(roles)},
          {"memberships", std::move(memberships)},
          {"decisions", std::move(decisions)}};
}

nlohmann::json FacilityCardJson(const FacilityCard& c) {
  nlohmann::json subs = nlohmann::json::array();
  for (const FacilityCard::Subafdeling& s : c.subafdelingen) {
    nlohmann::json members = nlohmann::json::array();
    for (const FacilityCard::Member& m : s.members) {
      members.push_back({{"person", PersonJson(m.person)},
                         {"rights", m.rights},
                         {"made", MadeJson(m.made)}});
    }
    subs.push_back({{"capacity", s.capacity},
                    {"subdivision", s.subdivision},
                    {"email", s.email},
                    {"applications", s.applications},
                    {"managers", PeopleJson(s.managers)},
                    {"tb", OptionalPersonJson(s.tb)},
                    {"co_tbs", PeopleJson(s.co_tbs)},
                    {"made", MadeJson(s.made)},
                    {"members", std::move(members)}});
  }
  return {{"hco", c.hco},
          {"name", c.name},
          {"type", c.type},
          {"active", c.active},
          {"organizer", c.organizer ? EnterpriseJson(*c.organizer)
                                    : nlohmann::json(nullptr)},
          {"htb", OptionalPersonJson(c.htb)},
          {"htb_email", c.htb_email},
          {"htb_phone", c.htb_phone},
          {"revision", c.revision},
          {"subafdelingen", std::move(subs)}};
}

std::string ExplanationToJson(const Explanation& e) {
  return AnswerText(ExplanationJson(e));
}

std::string FacilitiesList(const Decision& d) {
  std::string out;
  for (const std::string& f : d.facilities) {
    if (!out.empty()) out += ',';
    out += f;
  }
  return out;
}

}  // namespace toegang
