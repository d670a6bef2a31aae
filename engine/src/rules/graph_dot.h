// The delegation graph of one enterprise as GraphViz DOT, written with
// Boost.Graph's write_graphviz over a filtered view of the graph.
//
// REQUIRES: the caller holds the graph's read lock for the whole call.
#ifndef TOEGANG_GRAPH_DOT_H_
#define TOEGANG_GRAPH_DOT_H_

#include <string>

#include "graph/delegation_graph.h"

namespace toegang {

// REQUIRES: enterprise is an enterprise vertex of graph.
std::string EnterpriseDot(const DelegationGraph& graph, Vertex enterprise);

}  // namespace toegang

#endif  // TOEGANG_GRAPH_DOT_H_
