// A mutation's cascade: the changes of a planned ChangeSet besides the one
// the mutation names (the ops with a cause), counted per kind and with the
// first few named, for `may`, the CLI's confirmation and CommitInfo.
//
// REQUIRES: graph is the one the change set was planned against and does
// not change during the call (the persons are named as it holds them).
// Thread safety: reads the graph only.
#ifndef TOEGANG_RULES_CASCADE_H_
#define TOEGANG_RULES_CASCADE_H_

#include <vector>

#include "graph/delegation_graph.h"
#include "model/change_set.h"
#include "toegang/engine.h"

namespace toegang {

std::vector<CascadeStep> CascadeOf(const DelegationGraph& graph,
                                   const ChangeSet& changes);

}  // namespace toegang

#endif  // TOEGANG_RULES_CASCADE_H_
