#include "web/views.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string_view>

#include "toegang/identifiers.h"
#include "toegang/labels.h"
#include "web/html.h"
#include "web/i18n.h"

namespace toegang::serve::web {
namespace {

std::string T(std::string_view key, const ViewContext& v) {
  return std::string(Tr(key, v.lang));
}

std::string InszShown(const std::string& insz) {
  Result<Insz> i = Insz::Parse(insz);
  return i.ok() ? i->Display() : insz;
}

// A person: their name (or INSZ) linked to their page by token, with the
// INSZ's display form beside it.
std::string PersonLink(const PersonRef& p, const ViewContext& v) {
  const std::string token = v.tokens->TokenFor(p.insz);
  const std::string shown = InszShown(p.insz);
  if (p.name.empty()) {
    return fmt::format("<a href=\"/p/{}\">{}</a>", token, Html(shown));
  }
  return fmt::format("<a href=\"/p/{}\">{}</a> <span class=\"id\">({})</span>",
                     token, Html(p.name), Html(shown));
}

std::string PeopleLinks(const std::vector<PersonRef>& people,
                        const ViewContext& v) {
  if (people.empty()) return T("none", v);
  std::string out;
  for (const PersonRef& p : people) {
    out += (out.empty() ? "" : ", ") + PersonLink(p, v);
  }
  return out;
}

std::string EnterpriseLink(const std::string& kbo, const std::string& name,
                           bool active, const ViewContext& v) {
  std::string out =
      fmt::format("<a href=\"/enterprise/{}\">{}</a>", Html(kbo),
                  Html(EnterpriseLabel(name, KboDisplayText(kbo))));
  if (!active) {
    out += " <span class=\"broken\">(" + T("stopped", v) + ")</span>";
  }
  return out;
}

std::string EnterpriseLink(const EnterpriseRef& e, const ViewContext& v) {
  return EnterpriseLink(e.kbo, e.name, e.active, v);
}

std::string FacilityLink(const std::string& hco, const std::string& name) {
  return fmt::format("<a href=\"/facility/{}\">HCO {} {}</a>", Html(hco),
                     Html(hco), Html(name));
}

std::string List(const std::vector<std::string>& items, const ViewContext& v) {
  if (items.empty()) return T("none", v);
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + Html(s);
  return out;
}

std::string Made(const LinkMade& m, const ViewContext& v) {
  if (!m.by && m.at.empty()) return T("registry", v);
  return fmt::format("{} {} {} {}", T("by", v),
                     m.by ? PersonLink(*m.by, v) : "-", T("at", v),
                     Html(m.at.empty() ? "-" : m.at));
}

std::string Domain(const std::string& capacity,
                   const std::string& subdivision) {
  return Html(capacity) + " / " + Html(subdivision);
}

std::string Fixers(const Explanation& e, const ViewContext& v) {
  if (e.fixer_roles.empty()) {
    return "<p>" + T("nobody_fixes", v) + "</p>";
  }
  std::string out = "<ul class=\"fixers\">";
  for (const FixerContact& f : e.fixer_roles) {
    out += "<li>" + PersonLink(f.person, v) + ", " +
           Html(RoleLabel(f.role, v.lang));
    if (!f.kbo.empty()) out += " (KBO " + Html(KboDisplayText(f.kbo)) + ")";
    if (!f.email.empty()) {
      out += fmt::format(", <a href=\"mailto:{}\">{}</a>", Html(f.email),
                         Html(f.email));
    }
    if (!f.phone.empty()) out += ", " + Html(f.phone);
    out += "</li>";
  }
  return out + "</ul>";
}

std::string Chain(const Explanation& e, const ViewContext& v) {
  std::string out = "<ol class=\"chain\">";
  for (const ChainLink& l : e.chain) {
    out += "<li><strong>" + Html(RoleLabel(l.step, v.lang)) +
           "</strong>: " + Html(l.text);
    if (l.made_by || !l.at.empty()) {
      out += " <span class=\"made\">(" + T("made", v) + " " +
             (l.made_by ? PersonLink(*l.made_by, v) : std::string("-")) + ", " +
             Html(l.at.empty() ? "-" : l.at) + ")</span>";
    }
    out += "</li>";
  }
  return out + "</ol>";
}

// The facilities CoBRHA lists for the enterprise (manual 2.1: the list a
// TB activates from), each with its subafdelingen and, for an OCMW, where
// the facility rule lets it carry an application.
std::string FacilitiesTable(const WhoReport& w, const ViewContext& v) {
  std::string out =
      "<h2 id=\"facilities\">" + T("facilities_cobrha", v) + "</h2>";
  if (w.ocmw) out += "<p class=\"note\">" + T("ocmw_note", v) + "</p>";
  out += "<table><thead><tr><th>" + T("facility", v) + "</th><th>" +
         T("type", v) + "</th><th>" + T("status", v) + "</th><th>" +
         T("subafdelingen", v) + "</th>" +
         (w.ocmw ? "<th>" + T("facility_rule", v) + "</th>" : std::string()) +
         "</tr></thead><tbody>";
  for (const WhoReport::Facility& f : w.facilities) {
    out += "<tr><td>" + FacilityLink(f.hco, f.name) + "</td><td>" +
           Html(f.type_code) + "</td><td>" +
           (f.active ? T("open", v)
                     : "<span class=\"broken\">" + T("closed", v) + "</span>") +
           "</td><td>";
    for (const WhoReport::Facility::Activation& a : f.subafdelingen) {
      out += Domain(a.capacity, a.subdivision) + ": " +
             List(a.applications, v) + "<br>";
    }
    if (f.subafdelingen.empty()) out += T("no_activation", v);
    out += "</td>";
    if (w.ocmw) {
      out += "<td>";
      for (const auto& [app, allowed] : f.facility_rule) {
        out += Html(app) + ": " +
               (allowed ? T("allowed", v)
                        : "<span class=\"broken\">" + T("not_allowed", v) +
                              "</span>") +
               "<br>";
      }
      out += "</td>";
    }
    out += "</tr>";
  }
  if (w.facilities.empty()) {
    out += fmt::format("<tr><td colspan=\"{}\">{}</td></tr>", w.ocmw ? 5 : 4,
                       T("none", v));
  }
  return out + "</tbody></table>";
}

}  // namespace

std::string PersonBody(const PersonCard& c, const ViewContext& v) {
  std::string out = fmt::format(
      "<h1 id=\"person-name\">{}</h1><p>INSZ {}</p>",
      Html(c.person.name.empty() ? InszShown(c.person.insz) : c.person.name),
      Html(InszShown(c.person.insz)));
  if (!c.known) out += "<p class=\"note\">" + T("unknown_person", v) + "</p>";

  out += "<h2>" + T("decisions", v) +
         "</h2><table id=\"decisions\"><thead><tr><th>" + T("application", v) +
         "</th><th>" + T("decision", v) + "</th><th>" + T("why", v) +
         "</th></tr></thead><tbody>";
  for (const PersonCard::AppDecision& d : c.decisions) {
    const Explanation& e = d.explanation;
    out += fmt::format("<tr id=\"app-{}\"><td>{}<br><small>{}</small></td>",
                       Html(d.application), Html(d.application_name),
                       Html(d.application));
    if (e.allowed) {
      out += "<td class=\"allowed\">" + T("allowed", v) + "</td><td>" +
             T("through", v) + " " + List(e.facilities, v) + Chain(e, v) +
             "</td></tr>";
      continue;
    }
    out += "<td class=\"denied\">" + T("denied", v) + "</td><td>";
    out += "<p class=\"reason\"><strong>" +
           Html(ReasonLabel(e.reason, v.lang)) + "</strong> (" +
           T("manual", v) + " " + Html(e.manual) + ", " + T("condition", v) +
           " " + std::to_string(e.condition) + ")</p>";
    if (!e.candidate_hco.empty()) {
      out += "<p>" + T("candidate", v) + ": " +
             FacilityLink(e.candidate_hco, "") + "</p>";
    }
    out += "<p>" + T("who_fixes", v) + ":</p>" + Fixers(e, v);
    out += "<details><summary>" + T("details", v) + "</summary><p>" +
           Html(e.summary) + "</p></details></td></tr>";
  }
  out += "</tbody></table>";

  out += "<h2>" + T("functions", v) + "</h2><ul id=\"functions\">";
  for (const PersonCard::Function& f : c.functions) {
    out += "<li>" + Html(RoleLabel(f.kind, v.lang)) + " " + T("of", v) + " " +
           EnterpriseLink(f.enterprise, v) + "</li>";
  }
  if (c.functions.empty()) out += "<li>" + T("none", v) + "</li>";
  out += "</ul><h2>" + T("roles", v) + "</h2><ul id=\"roles\">";
  for (const PersonCard::Role& r : c.roles) {
    out += "<li>" + Html(RoleLabel(r.role, v.lang)) + " " + T("of", v) + " ";
    if (!r.hco.empty()) {
      out += "subafdeling " + FacilityLink(r.hco, r.facility_name) + " (" +
             Domain(r.capacity, r.subdivision) + "), ";
    } else if (!r.capacity.empty()) {
      out += T("domain", v) + " " + Domain(r.capacity, r.subdivision) + ", ";
    }
    out += EnterpriseLink(r.enterprise, v) + "; " + Made(r.made, v);
    if (!r.still_listed) {
      out += " <span class=\"broken\">" + T("htb_not_listed", v) + "</span>";
    }
    out += "</li>";
  }
  if (c.roles.empty()) out += "<li>" + T("none", v) + "</li>";
  out += "</ul><h2>" + T("memberships", v) + "</h2><ul id=\"memberships\">";
  for (const PersonCard::Membership& m : c.memberships) {
    out += "<li>subafdeling " + FacilityLink(m.hco, m.facility_name) + " (" +
           Domain(m.capacity, m.subdivision) + "), " +
           EnterpriseLink(m.enterprise, v) + ": " + T("rights", v) + " " +
           List(m.rights, v) + "; " + Made(m.made, v) + "</li>";
  }
  if (c.memberships.empty()) out += "<li>" + T("none", v) + "</li>";
  out += "</ul><p class=\"revision\">" + T("revision", v) + " " +
         std::to_string(c.revision) + "</p>";
  return out;
}

std::string EnterpriseBody(const WhoReport& w, const Picture& picture,
                           const std::vector<AuditRecord>& audit,
                           uint64_t before, uint64_t next_before,
                           const ViewContext& v) {
  std::string out =
      "<h1>" + Html(EnterpriseLabel(w.name, KboDisplayText(w.kbo))) + "</h1>";
  out +=
      "<p>" +
      (w.active ? T("active", v)
                : "<span class=\"broken\">" + T("stopped_kbo", v) + "</span>") +
      "</p><dl>";
  out += "<dt>WV</dt><dd>" + PeopleLinks(w.legal_representatives, v) + "</dd>";
  out += "<dt>HTB</dt><dd>";
  if (w.htb) {
    const WhoReport::Htb& h = *w.htb;
    out += PersonLink(h.person, v);
    if (!h.email.empty()) {
      out += fmt::format(", <a href=\"mailto:{}\">{}</a>", Html(h.email),
                         Html(h.email));
    }
    if (!h.phone.empty()) out += ", " + Html(h.phone);
    out += "<br>" + T("appointed", v) + " " + T("by", v) + " " +
           (h.appointed_by ? PersonLink(*h.appointed_by, v) : std::string("-"));
    // The appointing WV's own contact data (manual 3.2.3), when given.
    if (!h.appointed_by_email.empty()) {
      out +=
          fmt::format(" (<a href=\"mailto:{}\">{}</a>",
                      Html(h.appointed_by_email), Html(h.appointed_by_email));
      out += h.appointed_by_phone.empty()
                 ? ")"
                 : ", " + Html(h.appointed_by_phone) + ")";
    } else if (!h.appointed_by_phone.empty()) {
      out += " (" + Html(h.appointed_by_phone) + ")";
    }
    out += " " + T("at", v) + " " + Html(h.at.empty() ? "-" : h.at);
    if (h.appointed_by_former_wv) {
      out += "<br><span class=\"note\">" + T("former_wv", v) + "</span>";
    }
    if (!h.still_listed) {
      out += "<br><span class=\"broken\">" + T("htb_not_listed", v) + "</span>";
    }
  } else {
    out += "<span class=\"broken\">" + T("no_htb", v) + "</span>";
  }
  out += "</dd><dt>" + T("capacities", v) + "</dt><dd>" +
         List(w.active_capacities, v) + "</dd></dl>";

  out += "<h2>" + T("domains", v) + "</h2><ul>";
  for (const WhoReport::Domain& d : w.domains) {
    out += "<li>" + Domain(d.capacity, d.subdivision) + ": TB " +
           (d.tb ? PersonLink(*d.tb, v) : T("the_htb", v)) + "; co-TB " +
           PeopleLinks(d.co_tbs, v) + "</li>";
  }
  if (w.domains.empty()) out += "<li>" + T("none", v) + "</li>";
  out += "</ul><h2>" + T("subafdelingen", v) + "</h2><table><thead><tr><th>" +
         T("facility", v) + "</th><th>" + T("domain", v) + "</th><th>" +
         T("applications", v) + "</th><th>" + T("managers", v) + "</th><th>" +
         T("users", v) + "</th></tr></thead><tbody>";
  for (const WhoReport::Subafdeling& s : w.subafdelingen) {
    out += "<tr><td>" + FacilityLink(s.hco, s.facility_name) +
           (s.facility_active
                ? std::string()
                : " <span class=\"broken\">(" + T("closed", v) + ")</span>") +
           "<br>" + Html(s.email) + "</td><td>" +
           Domain(s.capacity, s.subdivision) + "</td><td>" +
           List(s.applications, v) + "</td><td>" + PeopleLinks(s.managers, v) +
           "</td><td>" + std::to_string(s.users) + "</td></tr>";
  }
  out += "</tbody></table>" + FacilitiesTable(w, v);

  if (v.steps != nullptr) out += v.steps->Enterprise(w);

  out += "<h2>" + T("picture", v) + "</h2>";
  if (!picture.svg.empty()) {
    out +=
        "<figure class=\"picture\" id=\"picture\" role=\"img\" "
        "aria-label=\"" +
        T("picture", v) + "\">" + picture.svg + "</figure><p><small>" +
        T("picture_note", v) + "</small></p>";
  } else if (picture.too_large) {
    out += "<p class=\"note\">" + T("picture_too_large", v) + "</p>";
  } else {
    out += "<p class=\"error\">" + Html(picture.problem) + "</p>";
  }

  out += "<h2 id=\"audit\">" + T("recent_changes", v) +
         "</h2><table><thead><tr><th>#</th><th>" + T("when", v) + "</th><th>" +
         T("action", v) + "</th><th>" + T("actor", v) + "</th><th>" +
         T("outcome", v) + "</th></tr></thead><tbody>";
  for (const AuditRecord& a : audit) {
    out += "<tr><td>" + std::to_string(a.seq) + "</td><td>" + Html(a.at) +
           "</td><td>" + Html(a.action) + "</td><td>" +
           (a.actor.empty() ? T("registry", v)
                            : PersonLink(PersonRef{a.actor, a.actor_name}, v)) +
           "</td><td>" + Html(a.outcome) +
           (a.code.empty() ? std::string() : " (" + Html(a.code) + ")") +
           "</td></tr>";
  }
  if (audit.empty()) {
    out += "<tr><td colspan=\"5\">" + T("none", v) + "</td></tr>";
  }
  out += "</tbody></table><p>";
  if (before > 0) {
    out += fmt::format("<a href=\"/enterprise/{}#audit\">{}</a> ", Html(w.kbo),
                       T("first_page", v));
  }
  if (next_before > 0) {
    out += fmt::format(
        "<a id=\"audit-next\" href=\"/enterprise/{}?before={}#audit\">{}</a>",
        Html(w.kbo), next_before, T("older_page", v));
  }
  out += "</p><p class=\"revision\">" + T("revision", v) + " " +
         std::to_string(w.revision) + "</p>";
  return out;
}

namespace {

// One component of a URL's query: letters, digits and -._~ as they are,
// every other byte %XX.
std::string UrlComponent(std::string_view s) {
  std::string out;
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

// "Leden 51-100 van 340", and the links to the previous and next page of
// the subafdeling's members (MembersWindow).
std::string MembersNavigation(const FacilityCard& c,
                              const FacilityCard::Subafdeling& s, size_t from,
                              size_t shown, const std::string& anchor,
                              const ViewContext& v) {
  const size_t n = s.members.size();
  std::string out =
      fmt::format("<p class=\"pages\" id=\"{}-pages\">{} {}-{} {} {}", anchor,
                  T("members_title", v), from + 1, from + shown, T("of", v), n);
  auto link = [&](size_t at, std::string_view id, std::string_view key) {
    return fmt::format(
        " <a id=\"{}-{}\" href=\"/facility/{}?capacity={}&amp;subdivision={}"
        "&amp;from={}#{}\">{}</a>",
        anchor, id, Html(c.hco), Html(UrlComponent(s.capacity)),
        Html(UrlComponent(s.subdivision)), at, anchor, T(key, v));
  };
  if (from > 0) {
    out += link(from > kMembersPage ? from - kMembersPage : 0, "previous",
                "previous_page");
  }
  if (from + shown < n) out += link(from + shown, "next", "next_page");
  return out + "</p>";
}

}  // namespace

std::string FacilityBody(const FacilityCard& c, const MembersWindow& w,
                         const ViewContext& v) {
  std::string out = "<h1>HCO " + Html(c.hco) + " " + Html(c.name) + "</h1>";
  out += "<dl><dt>" + T("type", v) + "</dt><dd>" + Html(c.type) + "</dd><dt>" +
         T("status", v) + "</dt><dd>" +
         (c.active
              ? T("open", v)
              : "<span class=\"broken\">" + T("closed_cobrha", v) + "</span>") +
         "</dd><dt>" + T("organizer", v) + "</dt><dd>" +
         (c.organizer ? EnterpriseLink(*c.organizer, v) : T("none", v)) +
         "</dd><dt>HTB</dt><dd>" +
         (c.htb ? PersonLink(*c.htb, v) : T("none", v));
  if (!c.htb_email.empty()) {
    out += fmt::format(", <a href=\"mailto:{}\">{}</a>", Html(c.htb_email),
                       Html(c.htb_email));
  }
  if (!c.htb_phone.empty()) out += ", " + Html(c.htb_phone);
  out += "</dd></dl>";
  for (const FacilityCard::Subafdeling& s : c.subafdelingen) {
    const std::string anchor =
        "members-" + IdText(s.capacity) + "-" + IdText(s.subdivision);
    out += "<h2>Subafdeling " + Domain(s.capacity, s.subdivision) + "</h2><dl>";
    out += "<dt>" + T("email", v) + "</dt><dd>" + Html(s.email) + "</dd>";
    out += "<dt>" + T("applications", v) + "</dt><dd>" +
           List(s.applications, v) + "</dd>";
    out += "<dt>TB</dt><dd>" + (s.tb ? PersonLink(*s.tb, v) : T("the_htb", v)) +
           "</dd><dt>co-TB</dt><dd>" + PeopleLinks(s.co_tbs, v) + "</dd>";
    out += "<dt>" + T("managers", v) + "</dt><dd>" +
           PeopleLinks(s.managers, v) + "</dd><dt>" + T("created", v) +
           "</dt><dd>" + Made(s.made, v) + "</dd></dl>";
    const Status users =
        v.steps != nullptr ? v.steps->UsersStep(c, s) : Status::Ok();
    if (v.steps != nullptr) out += v.steps->Subafdeling(c, s, users);
    // One page of the members: the window's for its subafdeling, else the
    // first.
    const size_t n = s.members.size();
    size_t from = 0;
    if (s.capacity == w.capacity && s.subdivision == w.subdivision && n > 0) {
      from = std::min(w.from, (n - 1) / kMembersPage * kMembersPage);
    }
    const size_t shown = std::min(kMembersPage, n - from);
    out += "<h3 id=\"" + anchor + "\">" + T("members_title", v) + "</h3>";
    if (n > kMembersPage) {
      out += MembersNavigation(c, s, from, shown, anchor, v);
    }
    out += "<table><thead><tr><th>" + T("member", v) + "</th><th>" +
           T("rights", v) + "</th><th>" + T("added", v) + "</th>" +
           (v.steps != nullptr ? "<th>" + T("steps_column", v) + "</th>"
                               : std::string()) +
           "</tr></thead><tbody>";
    for (size_t i = from; i < from + shown; ++i) {
      const FacilityCard::Member& m = s.members[i];
      out += "<tr><td>" + PersonLink(m.person, v) + "</td><td>" +
             (m.rights.empty()
                  ? "<span class=\"broken\">" + T("no_rights", v) + "</span>"
                  : List(m.rights, v)) +
             "</td><td>" + Made(m.made, v) + "</td>";
      if (v.steps != nullptr) {
        out += "<td>" + v.steps->Member(c, s, m, users) + "</td>";
      }
      out += "</tr>";
    }
    if (s.members.empty()) {
      out += fmt::format("<tr><td colspan=\"{}\">{}</td></tr>",
                         v.steps != nullptr ? 4 : 3, T("none", v));
    }
    out += "</tbody></table>";
  }
  if (c.subafdelingen.empty()) {
    out += "<p class=\"note\">" + T("no_subafdeling_here", v) + "</p>";
  }
  out += "<p class=\"revision\">" + T("revision", v) + " " +
         std::to_string(c.revision) + "</p>";
  return out;
}

std::string SearchBody(const std::string& query, const Page<NameHit>& hits,
                       const ViewContext& v) {
  std::string out = "<h1>" + T("results_for", v) + " &ldquo;" + Html(query) +
                    "&rdquo;</h1><ul id=\"hits\">";
  for (const NameHit& h : hits.items) {
    out += "<li>";
    if (h.kind == "person") {
      out += T("person", v) + ": " + PersonLink(PersonRef{h.id, h.name}, v);
    } else {
      out += T("enterprise", v) + ": " + EnterpriseLink(h.id, h.name, true, v);
    }
    out += "</li>";
  }
  if (hits.items.empty()) out += "<li>" + T("no_hits", v) + "</li>";
  out += "</ul>";
  if (!hits.next_cursor.empty()) {
    out +=
        "<form method=\"post\" action=\"/search\"><input type=\"hidden\" "
        "name=\"csrf\" value=\"" +
        Html(v.csrf) + "\"><input type=\"hidden\" name=\"q\" value=\"" +
        Html(query) + "\"><input type=\"hidden\" name=\"cursor\" value=\"" +
        Html(hits.next_cursor) +
        "\"><button id=\"next-hits\" type=\"submit\">" + T("next_page", v) +
        "</button></form>";
  }
  return out;
}

std::string MessageBody(const std::string& title, const std::string& message) {
  return "<h1>" + Html(title) + "</h1><p class=\"error\" id=\"message\">" +
         Html(message) + "</p>";
}

}  // namespace toegang::serve::web
