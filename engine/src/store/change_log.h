// The change log read back as change sets (Store::ChangesSince), the same
// for every store: it reads the audit log through Store::ReadAudit from a
// revision on and groups the committed ops by revision.
//
// Thread safety: as the store it reads (one thread at a time).
#ifndef TOEGANG_STORE_CHANGE_LOG_H_
#define TOEGANG_STORE_CHANGE_LOG_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "model/catalogue.h"
#include "model/change_set.h"
#include "store/store.h"
#include "toegang/status.h"

namespace toegang {

// What Store::ChangesSince(from) returns (store.h), read from store's
// audit log; ops are decoded against catalogue.
Result<std::optional<std::vector<ChangeSet>>> ReadChangeLog(
    Store& store, const Catalogue& catalogue, uint64_t from);

}  // namespace toegang

#endif  // TOEGANG_STORE_CHANGE_LOG_H_
