// The impact of a registry import on access (issue 23, "dry run and
// impact"): who would lose or gain access to each application when the
// enterprises and facilities an import changed take their new status.
//
// Only SPEC 4.5 conditions 1 (enterprise active) and 4 (facility active and
// organized by the subafdeling's enterprise) depend on the registries, so
// the persons whose access can change hold a right at a subafdeling of a
// changed enterprise or at a changed facility. For each of them the
// applications they may use are computed from the graph as it is and as it
// would be with the registry delta applied; the graph is not changed.
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

}  // namespace toegang

#endif  // TOEGANG_IMPORT_IMPACT_H_
