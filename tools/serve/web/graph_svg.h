// The delegation picture: GraphViz DOT (Engine::GraphDot, INSZ already
// masked there) laid out and rendered as SVG by Graphviz's own library
// (gvc / cgraph: agmemread, gvLayout, gvRenderData), in-process.
//
// Thread safety: Graphviz's library keeps global state, so every call
// takes one process-wide mutex and uses the process's one Graphviz
// context (made at the first call, kept to the end of the process).
#ifndef TOEGANG_SERVE_WEB_GRAPH_SVG_H_
#define TOEGANG_SERVE_WEB_GRAPH_SVG_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace toegang::serve::web {

// DOT larger than this is not laid out (a large enterprise's picture takes
// seconds and is unreadable in a page): too_large.
inline constexpr size_t kMaxDotBytes = 256 * 1024;

// What drawing gave: the picture, or why there is none.
struct Picture {
  std::string svg;         // <svg ...>...</svg>, empty when not drawn
  bool too_large = false;  // beyond kMaxDotBytes: not laid out
  std::string problem;     // Graphviz could not read or render it
};

// The <svg> element for dot, ready to be put inline in a page (the XML
// declaration and doctype dropped). Graphviz writes every label as XML
// text (&lt; for <), so a name cannot become markup.
Picture DotToSvg(std::string_view dot);

}  // namespace toegang::serve::web

#endif  // TOEGANG_SERVE_WEB_GRAPH_SVG_H_
