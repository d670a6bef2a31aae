// The CLI fuzz target leaves out `generate` and `serve` (cli_fuzz.cc never
// dispatches to them: one writes large files, the other listens on a
// socket), so it does not link the generator and the HTTP service. These
// stand in for their entry points.
#include <cstdlib>

#include "cli_context.h"

namespace toegang::cli {

int RunGenerate(const Context&) { std::abort(); }
int RunServe(const Context&) { std::abort(); }

}  // namespace toegang::cli
