// A mutation's cascade (cascade.h).
#include "rules/cascade.h"

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
    if (steps.empty() || steps.back().action != action) {
      // The rules emit the ops of one kind together (rules.h).
      CascadeStep step;
      step.action = action;
      steps.push_back(std::move(step));
    }
    CascadeStep& step = steps.back();
    ++step.count;
    if (step.first.size() >= CascadeStep::kListed) continue;
    if (op.kind == Action::kDeauthorize) {
      step.first.push_back(catalogue.application(op.app).code);
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
