// The impact of a registry import on access (issue 23, "dry run and
// impact"): who would lose or gain access to each application when the
// enterprises and facilities an import changed take their new status.
//
// Only SPEC 4.5 conditions 1 (enterprise active), 4 (facility active and
// organized by the subafdeling's enterprise) and the facility rules of 5
// (the OCMW rule: the types of an enterprise's facilities) depend on the
// registries, so the persons whose access can change hold a right at a
// subafdeling of a changed enterprise, at a changed facility, or anywhere
// in an enterprise that a facility of a trigger type joined or left. For each
// of them the applications they may use are computed from the graph as it is
// and as it would be with the registry delta applied; the graph is not changed.
//
// The graph may be the whole model as it was before the import, or a part
// of the federation (Store::LoadPart) read inside the import's
// transaction: the delta says what each changed row was and is, and the
// rest is the same on both sides. A part must hold ImpactScope, which a
// one-shot engine finds in two steps: a part of DeltaScope shows who holds
// a right there; a part of ImpactScope also holds every other right of
// those persons, with what decides whether it grants.
//
// Thread safety: reads the graph; the caller keeps it from changing.
#ifndef TOEGANG_IMPORT_IMPACT_H_
#define TOEGANG_IMPORT_IMPACT_H_

#include <vector>

#include "graph/delegation_graph.h"
#include "store/store.h"
#include "toegang/engine.h"

namespace toegang {

// One entry per application of the graph's catalogue, in catalogue order.
std::vector<AccessImpact> ComputeImpact(const DelegationGraph& graph,
                                        const RegistryDelta& delta);

// The enterprises and facilities the delta changed (a moved facility's old
// and new organizer too; an added facility only when it is of a facility
// rule's trigger type, with its organizer).
LoadScope DeltaScope(const Catalogue& catalogue, const RegistryDelta& delta);

// DeltaScope, and as right holders (LoadScope) the persons holding a right
// at a subafdeling of what it names, found in graph (a part of DeltaScope,
// or the whole model).
LoadScope ImpactScope(const DelegationGraph& graph, const RegistryDelta& delta);

}  // namespace toegang

#endif  // TOEGANG_IMPORT_IMPACT_H_
