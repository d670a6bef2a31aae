// Explain (SPEC 4.5): the verdict (explain_verdict.h) put into an
// Explanation, with its text (explain_text.h).
#include "rules/explain.h"

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>

#include "model/text_forms.h"
#include "rules/answer_parts.h"
#include "rules/explain_text.h"
#include "rules/explain_verdict.h"

namespace toegang {
namespace {

// Who should act first: the one closest to the person.
int ActOrder(FixerRole::Kind kind) {
  switch (kind) {
    case FixerRole::Kind::kManager:
      return 0;
    case FixerRole::Kind::kCoTb:
      return 1;
    case FixerRole::Kind::kTb:
      return 2;
    case FixerRole::Kind::kHtb:
    case FixerRole::Kind::kHtbOf:
      return 3;
    case FixerRole::Kind::kWv:
      return 4;
  }
  return 5;
}

const char* RoleCode(FixerRole::Kind kind) {
  switch (kind) {
    case FixerRole::Kind::kManager:
      return "manager";
    case FixerRole::Kind::kCoTb:
      return "co_tb";
    case FixerRole::Kind::kTb:
      return "tb";
    case FixerRole::Kind::kHtb:
    case FixerRole::Kind::kHtbOf:
      return "htb";
    case FixerRole::Kind::kWv:
      return "wv";
  }
  return "";
}

// Each fixer's roles with the contact data the model holds for them.
std::vector<FixerContact> FixerContacts(const DelegationGraph& graph,
                                        const Verdict& v,
                                        const Fixers& fixers) {
  std::vector<std::pair<int, FixerContact>> out;
  for (const auto& [insz, f] : fixers) {
    for (const FixerRole& r : f.roles) {
      FixerContact c;
      c.person = PersonRefOf(graph, f.person);
      c.role = RoleCode(r.kind);
      const Vertex ent = r.kind == FixerRole::Kind::kHtbOf
                             ? graph.FindEnterprise(r.kbo)
                             : v.enterprise;
      if (ent != kNoVertex) {
        const EnterpriseData& e = graph.enterprise(ent);
        c.kbo = KboDigits(e.kbo);
        if (r.kind == FixerRole::Kind::kHtb ||
            r.kind == FixerRole::Kind::kHtbOf) {
          c.email = e.htb_email;
          c.phone = e.htb_phone;
        }
        // A WV's own contact data is known when they appointed the HTB
        // (manual 3.2.3).
        if (r.kind == FixerRole::Kind::kWv && e.htb != kNoVertex) {
          const std::optional<Edge> link =
              graph.FindLink(e.htb, ent, LinkKind::kHtb);
          if (link && graph.provenance(graph.graph()[*link]).by == insz) {
            c.email = e.wv_email;
            c.phone = e.wv_phone;
          }
        }
      }
      if (r.kind == FixerRole::Kind::kManager && v.subafdeling != kNoVertex) {
        const SubafdelingData& s = graph.subafdeling(v.subafdeling);
        c.email = s.email;
        c.hco = graph.facility(s.facility).hco;
      }
      out.emplace_back(ActOrder(r.kind), std::move(c));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.person.insz, a.second.kbo) <
           std::tie(b.first, b.second.person.insz, b.second.kbo);
  });
  std::vector<FixerContact> contacts;
  contacts.reserve(out.size());
  for (auto& [order, c] : out) contacts.push_back(std::move(c));
  return contacts;
}

}  // namespace

Explanation ExplainDecision(const DelegationGraph& graph, uint64_t insz,
                            AppId app, const std::string& hco, Lang lang,
                            uint64_t revision) {
  Explanation e;
  e.revision = revision;
  const Vertex only = hco.empty() ? kNoVertex : graph.FindFacility(hco);
  if (hco.empty() || only != kNoVertex) {
    e.facilities = graph.GrantingFacilities(insz, app, only);
  }
  e.allowed = !e.facilities.empty();
  const Vertex person = graph.FindPerson(insz);
  const Ties ties = PersonTies(graph, person);
  const VerdictFinder finder(graph, person, app, hco);
  if (e.allowed) {
    ExplainAllowed(graph, insz, app, lang, revision,
                   finder.GrantingSubafdeling(ties, e.facilities.front()), &e);
    return e;
  }

  const Verdict v = finder.Denied(ties);
  if (hco.empty() && ties.user_of.empty()) {  // a user nowhere
    for (Vertex ent : ties.enterprises) {
      e.where_to_ask.push_back(KboDigits(graph.enterprise(ent).kbo));
    }
  }
  const ReasonInfo info = Info(v.reason);
  e.reason = info.code;
  e.condition = info.condition;
  e.manual = info.manual;
  if (v.enterprise != kNoVertex) {
    e.candidate_kbo = KboDigits(graph.enterprise(v.enterprise).kbo);
  }
  if (v.facility != kNoVertex) {
    e.candidate_hco = graph.facility(v.facility).hco;
  } else if (!hco.empty()) {
    e.candidate_hco = hco;
  }
  const Fixers fixers = finder.FixersOf(v, ties);
  for (const auto& [fixer_insz, f] : fixers) {
    e.fixers.push_back(PersonRefOf(graph, f.person));
  }
  e.fixer_roles = FixerContacts(graph, v, fixers);
  e.summary =
      ExplainDenied(graph, insz, app, hco, lang, revision, v, ties, fixers);
  return e;
}

}  // namespace toegang
