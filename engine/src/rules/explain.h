// Explain (SPEC 4.5): why a person may or may not use an application.
//
// REQUIRES: graph does not change during the call. The engine passes the
// instance its left-right read holds (base/left_right.h): no writer touches
// that instance until the read ends. No lock is taken or needed.
// Thread safety: reads the graph only; calls may run concurrently.
#ifndef TOEGANG_EXPLAIN_H_
#define TOEGANG_EXPLAIN_H_

#include <cstdint>
#include <string>

#include "graph/delegation_graph.h"
#include "model/catalogue.h"
#include "toegang/queries.h"

namespace toegang {

// insz: a valid INSZ as an integer; app: a catalogue id; hco: a valid HCO
// number or empty (no facility asked for); revision: the graph's revision,
// reported in the explanation.
Explanation ExplainDecision(const DelegationGraph& graph, uint64_t insz,
                            AppId app, const std::string& hco, Lang lang,
                            uint64_t revision);

}  // namespace toegang

#endif  // TOEGANG_EXPLAIN_H_
