// The CLI fuzz target leaves out `generate` and `serve` (cli_fuzz.cc never
// dispatches to them: one writes large files, the other listens on a
// socket), so it does not link the generator and the HTTP service. These
// stand in for their entry points: a usage error, like an unknown command.

#include "cli_context.h"

namespace toegang::cli {

CommandOptions GenerateCommandOptions() { return {}; }
int RunGenerate(const Context&) { return 2; }
CommandOptions ServeCommandOptions() { return {}; }
int RunServe(const Context&) { return 2; }

}  // namespace toegang::cli
