// Placeholder until the helpdesk listings are built (issue 3).
#include "cli_context.h"

namespace toegang::cli {

int RunAccess(const Context&) { throw UsageError{"access is not built yet"}; }
int RunUsers(const Context&) { throw UsageError{"users is not built yet"}; }
int RunManagedBy(const Context&) {
  throw UsageError{"managed-by is not built yet"};
}
int RunWho(const Context&) { throw UsageError{"who is not built yet"}; }
int RunGraph(const Context&) { throw UsageError{"graph is not built yet"}; }

}  // namespace toegang::cli
