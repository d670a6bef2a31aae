// The CLI fuzz target leaves out `generate` and `serve` (cli_fuzz.cc never
// dispatches to them: one writes large files, the other listens on a
// socket), so it does not link the generator and the HTTP service. These
// stand in for their entry points: a usage error, like an unknown command.
// `graph --format svg` draws with the service's Graphviz renderer, which
// is not linked either: here it draws nothing and says so.

#include "cli_context.h"
#include "web/graph_svg.h"

namespace toegang::cli {

CommandOptions GenerateCommandOptions() { return {}; }
int RunGenerate(const Context&) { return 2; }
CommandOptions ServeCommandOptions() { return {}; }
int RunServe(const Context&) { return 2; }

}  // namespace toegang::cli

namespace toegang::serve::web {

Picture DotToSvg(std::string_view) {
  Picture p;
  p.problem = "not drawn in the fuzz build";
  return p;
}

}  // namespace toegang::serve::web
