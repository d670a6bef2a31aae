// Placeholder until explain is built (issue 3).
#include "explain.h"

namespace toegang {

Explanation ExplainDecision(const DelegationGraph& graph, uint64_t insz,
                            AppId app, const std::string& hco, Lang /*lang*/,
                            uint64_t revision) {
  Explanation e;
  e.revision = revision;
  Vertex only = hco.empty() ? kNoVertex : graph.FindFacility(hco);
  if (hco.empty() || only != kNoVertex) {
    e.facilities = graph.GrantingFacilities(insz, app, only);
  }
  e.allowed = !e.facilities.empty();
  return e;
}

}  // namespace toegang
