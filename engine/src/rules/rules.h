// The rules of SPEC 4.4: who may make which mutation, and what it changes.
//
// Plan() resolves a Mutation's text fields against the graph and the
// catalogue, checks every rule in the order of the spec, and returns the
// ChangeSet that the mutation makes, in the order the store must apply it:
// ops that are caused by the mutation (marked with Op::cause, e.g. the
// rights revoked by a deauthorization) come before the op they make
// possible, removals after what hangs on them. It reads
// the graph only; the engine commits the plan to the store and then applies
// it to the graph. May() is the same evaluation without a commit.
//
// Thread safety: PlanMutation() reads the graph only and takes no lock.
// REQUIRES: graph does not change during the call. The engine passes its
// writer's instance under the writer mutex (Apply), or the instance a
// left-right read holds (May), which no writer touches until it ends.
#ifndef TOEGANG_RULES_H_
#define TOEGANG_RULES_H_

#include <cstdint>
#include <string>

#include "graph/delegation_graph.h"
#include "model/change_set.h"
#include "toegang/mutation.h"
#include "toegang/status.h"

namespace toegang {

struct Plan {
  Status status;      // ok, or why the mutation is refused / invalid
  ChangeSet changes;  // when ok: what to commit (revision not yet set)
  // What the audit row of a refusal names, as far as it was resolved.
  std::string actor;  // INSZ digits, or the text given
  std::string kbo;    // KBO digits, or empty
};

// Plans mutation against graph. now: unix seconds for the change set.
// next_subafdeling_id: the id a created subafdeling gets.
Plan PlanMutation(const DelegationGraph& graph, const Mutation& mutation,
                  int64_t now, int64_t next_subafdeling_id);

}  // namespace toegang

#endif  // TOEGANG_RULES_H_
