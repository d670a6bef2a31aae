// The delegation graph of one enterprise as GraphViz DOT, written with
// Boost.Graph's write_graphviz over a filtered view of the graph.
//
// REQUIRES: graph does not change during the call. The engine passes the
// instance its left-right read holds (base/left_right.h): no writer touches
// that instance until the read ends. No lock is taken or needed.
// Thread safety: reads the graph only; calls may run concurrently.
#ifndef TOEGANG_GRAPH_DOT_H_
#define TOEGANG_GRAPH_DOT_H_

#include <string>

#include "graph/delegation_graph.h"
#include "toegang/engine.h"

namespace toegang {

// REQUIRES: enterprise is an enterprise vertex of graph.
std::string EnterpriseDot(const DelegationGraph& graph, Vertex enterprise,
                          const GraphOptions& options);

}  // namespace toegang

#endif  // TOEGANG_GRAPH_DOT_H_
