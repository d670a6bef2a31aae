#include "engine/committer.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "base/time_util.h"
#include "rules/cascade.h"
#include "rules/rules.h"
#include "toegang/error_codes.h"

namespace toegang {
namespace {

// The request of a refused mutation, for its audit row's detail.
std::string RequestJson(const Mutation& m) {
  nlohmann::json j;
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) j[k] = v;
  };
  put("kbo", m.kbo);
  put("hoedanigheid", m.capacity);
  put("subdivisie", m.subdivision);
  put("hco", m.hco);
  put("insz", m.insz);
  if (!m.applications.empty()) j["apps"] = m.applications;
  if (!m.managers.empty()) j["beheerders"] = m.managers;
  return j.is_null()
             ? "{}"
             : j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Result<CommitInfo> CommitMutation(Store& store, WriteLock& lock,
                                  const Catalogue& catalogue,
                                  const Model& current, const Mutation& m,
                                  ChangeSet* committed) {
  Result<int64_t> next_id = store.NextSubafdelingId();
  if (!next_id.ok()) return next_id.status();
  Plan plan = PlanMutation(current.graph, m, NowSeconds(), *next_id);
  if (!plan.status.ok()) {
    if (plan.status.kind() == Status::Kind::kRefused) {
      AuditRecord r;
      r.actor = plan.actor;
      r.action = std::string(ActionName(m.action));
      r.kbo = plan.kbo;
      r.code = plan.status.code();
      r.message = plan.status.message();
      r.detail = RequestJson(m);
      Status logged = store.RecordRefusal(r);
      if (logged.ok()) logged = lock.Commit();
      if (!logged.ok()) return logged;
    }
    return plan.status;
  }
  // Named from the graph before the change takes them away.
  std::vector<CascadeStep> cascade = CascadeOf(current.graph, plan.changes);
  Status s = store.Commit(&plan.changes, current.revision);
  if (s.code() == kStaleRevision) {
    return Status::Storage(
        code::kStorageError,
        fmt::format("the database does not hold what this engine loaded "
                    "({}); was it edited with another tool? Run `toegang "
                    "verify`, delete the -index file and try again",
                    s.message()));
  }
  if (s.ok()) s = lock.Commit();
  if (!s.ok()) return s;
  CommitInfo info;
  info.revision = plan.changes.revision;
  info.cascade = std::move(cascade);
  // The mutation itself first (see CommitInfo), then what it caused. The
  // ops are in store order, where a removal comes after the revocations
  // and removals it causes.
  const std::vector<Op>& ops = plan.changes.ops;
  auto own = std::find_if(ops.begin(), ops.end(), [&](const Op& op) {
    return op.kind == m.action && op.cause.empty();
  });
  if (own != ops.end()) info.changes.push_back(OpSummary(*own, catalogue));
  for (auto it = ops.begin(); it != ops.end(); ++it) {
    if (it != own) info.changes.push_back(OpSummary(*it, catalogue));
  }
  *committed = std::move(plan.changes);
  return info;
}

}  // namespace toegang
