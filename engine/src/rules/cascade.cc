// A mutation's cascade (cascade.h).
#include "rules/cascade.h"

#include <algorithm>
#include <string>

#include "rules/answer_parts.h"
#include "toegang/labels.h"

namespace toegang {

std::vector<CascadeStep> CascadeOf(const DelegationGraph& graph,
                                   const ChangeSet& changes) {
  const Catalogue& catalogue = graph.catalogue();
  std::vector<CascadeStep> steps;
  for (const Op& op : changes.ops) {
    if (op.cause.empty()) continue;
    const std::string action(ActionName(op.kind));
    // A kind per step, in the order first seen (a deactivation takes
    // down one subafdeling after another, each with its users).
    auto it =
        std::find_if(steps.begin(), steps.end(),
                     [&](const CascadeStep& s) { return s.action == action; });
    if (it == steps.end()) {
      CascadeStep step;
      step.action = action;
      it = steps.insert(steps.end(), std::move(step));
    }
    CascadeStep& step = *it;
    ++step.count;
    if (step.first.size() >= CascadeStep::kListed) continue;
    if (op.kind == Action::kDeauthorize) {
      step.first.push_back(catalogue.application(op.app).code);
      continue;
    }
    if (op.kind == Action::kRemoveSubafdeling) {
      step.first.push_back("HCO " + op.hco);
      continue;
    }
    std::string what = PersonLabel(PersonRefByInsz(graph, op.insz));
    if (op.kind == Action::kRevokeRight || op.kind == Action::kGrantRight) {
      what += " " + catalogue.application(op.app).code;
    }
    step.first.push_back(std::move(what));
  }
  return steps;
}

}  // namespace toegang
