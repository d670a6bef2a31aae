#include "web/graph_svg.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <memory>
#include <mutex>

namespace toegang::serve::web {
namespace {

std::mutex& GraphvizMutex() {
  static std::mutex mu;
  return mu;
}

// The process's one Graphviz context, made at the first picture and never
// freed. A context per picture is not safe: freeing one leaves the pango
// plugin's font data dangling, and the next layout reads freed memory
// (AddressSanitizer shows it at the second picture). REQUIRES: the mutex.
GVC_t* Context() {
  static GVC_t* const gvc = gvContext();
  return gvc;
}

}  // namespace

Picture DotToSvg(std::string_view dot) {
  Picture out;
  if (dot.size() > kMaxDotBytes) {
    out.too_large = true;
    return out;
  }
  std::lock_guard<std::mutex> lock(GraphvizMutex());
  const std::string text(dot);
  GVC_t* const gvc = Context();
  if (gvc == nullptr) {
    out.problem = "gvContext failed";
    return out;
  }
  std::unique_ptr<Agraph_t, int (*)(Agraph_t*)> graph(agmemread(text.c_str()),
                                                      agclose);
  if (!graph) {
    out.problem = "Graphviz cannot read the DOT";
    return out;
  }
  if (gvLayout(gvc, graph.get(), "dot") != 0) {
    out.problem = "Graphviz layout failed";
    return out;
  }
  char* data = nullptr;
  unsigned int length = 0;
  const int rendered = gvRenderData(gvc, graph.get(), "svg", &data, &length);
  std::string svg = rendered == 0 && data != nullptr ? std::string(data, length)
                                                     : std::string();
  if (data != nullptr) gvFreeRenderData(data);
  gvFreeLayout(gvc, graph.get());
  const size_t start = svg.find("<svg");
  if (rendered != 0 || start == std::string::npos) {
    out.problem = "Graphviz rendering failed";
    return out;
  }
  out.svg = svg.substr(start);
  return out;
}

}  // namespace toegang::serve::web
