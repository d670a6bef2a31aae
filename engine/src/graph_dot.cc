// Placeholder until graph export is built (issue 3).
#include "graph_dot.h"

namespace toegang {

std::string EnterpriseDot(const DelegationGraph&, Vertex) {
  return "digraph toegang {}\n";
}

}  // namespace toegang
