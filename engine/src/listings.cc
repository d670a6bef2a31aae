// Placeholder until the listings are built (issue 3).
#include "listings.h"

#include "toegang/error_codes.h"

namespace toegang {

Result<Page<AccessEntry>> ListAccess(const DelegationGraph&, uint64_t,
                                     const PageRequest&, uint64_t) {
  return Status::InvalidInput(code::kUsage, "access is not built yet");
}
Result<Page<UserEntry>> ListUsers(const DelegationGraph&, const std::string&,
                                  std::optional<AppId>, const PageRequest&,
                                  uint64_t) {
  return Status::InvalidInput(code::kUsage, "users is not built yet");
}
Result<Page<ManagedEntry>> ListManagedBy(const DelegationGraph&, uint64_t,
                                         const PageRequest&, uint64_t) {
  return Status::InvalidInput(code::kUsage, "managed-by is not built yet");
}
Result<WhoReport> DescribeEnterprise(const DelegationGraph&, uint64_t,
                                     uint64_t) {
  return Status::InvalidInput(code::kUsage, "who is not built yet");
}

}  // namespace toegang
