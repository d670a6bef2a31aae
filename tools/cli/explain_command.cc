// Placeholder until explain is built (issue 3).
#include "cli_context.h"

namespace toegang::cli {

int RunExplain(const Context&) { throw UsageError{"explain is not built yet"}; }

}  // namespace toegang::cli
