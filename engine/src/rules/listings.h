// The helpdesk listings of SPEC 4.6: access, users, managed-by, who.
//
// Pages use keyset cursors (see toegang/queries.h). A malformed cursor is
// kInvalidInput with code "usage".
//
// REQUIRES: graph does not change during the call. The engine passes the
// instance its left-right read holds (base/left_right.h): no writer touches
// that instance until the read ends. No lock is taken or needed.
// Thread safety: reads the graph only; calls may run concurrently.
#ifndef TOEGANG_LISTINGS_H_
#define TOEGANG_LISTINGS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "graph/delegation_graph.h"
#include "model/catalogue.h"
#include "toegang/queries.h"
#include "toegang/status.h"

namespace toegang {

Result<Page<AccessEntry>> ListAccess(const DelegationGraph& graph,
                                     uint64_t insz, const PageRequest& page,
                                     uint64_t revision);
// hco: a valid HCO number; app: nullopt for any application.
Result<Page<UserEntry>> ListUsers(const DelegationGraph& graph,
                                  const std::string& hco,
                                  std::optional<AppId> app,
                                  const PageRequest& page, uint64_t revision);
Result<Page<ManagedEntry>> ListManagedBy(const DelegationGraph& graph,
                                         uint64_t insz, const PageRequest& page,
                                         uint64_t revision);
// enterprise_unknown (kRefused) when the KBO is not in the graph.
Result<WhoReport> DescribeEnterprise(const DelegationGraph& graph, uint64_t kbo,
                                     uint64_t revision);

}  // namespace toegang

#endif  // TOEGANG_LISTINGS_H_
