// Explain (SPEC 4.5): the verdict (explain_verdict.h) put into an
// Explanation, with its text (explain_text.h).
#include "rules/explain.h"

#include <string>

#include "model/text_forms.h"
#include "rules/explain_text.h"
#include "rules/explain_verdict.h"

namespace toegang {

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
    const PersonView p = graph.person(f.person);
    e.fixers.push_back(PersonRef{InszDigits(p.insz), std::string(p.name)});
  }
  e.summary =
      ExplainDenied(graph, insz, app, hco, lang, revision, v, ties, fixers);
  return e;
}

}  // namespace toegang
