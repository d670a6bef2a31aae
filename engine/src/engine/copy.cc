// CopyFederation (toegang/copy.h): opens both stores as every command
// does, copies through them (store/database_copy.h) and checks the copy's
// id on a fresh opening.
#include "toegang/copy.h"

#include <memory>
#include <utility>

#include "base/exception_boundary.h"
#include "store/database_copy.h"
#include "store/open_store.h"
#include "toegang/error_codes.h"

namespace toegang {

Result<CopyInfo> CopyFederation(const std::string& from,
                                const std::string& to) {
  return CatchAll("copy", [&]() -> Result<CopyInfo> {
    if (from == to) {
      return Status::InvalidInput(
          code::kUsage,
          "--from and --to name the same database: name a new one with --to");
    }
    Result<std::unique_ptr<Store>> source = OpenStore(from, StoreOpenOptions());
    if (!source.ok()) return source.status();
    Result<std::unique_ptr<Store>> target = OpenStore(
        to, StoreOpenOptions{.create_if_missing = true, .read_only = false});
    if (!target.ok()) return target.status();
    std::unique_ptr<Store> dst = std::move(target).value();
    Result<CopySummary> copied = CopyDatabase(**source, *dst);
    if (!copied.ok()) return copied.status();
    dst.reset();
    // The id the copy took from the source, as a new opening reads it.
    Result<std::unique_ptr<Store>> reopened = OpenStore(to, StoreOpenOptions());
    if (!reopened.ok()) return reopened.status();
    if ((*reopened)->database_key() != (*source)->database_key()) {
      return Status::Storage(code::kStorageError,
                             "the copy does not read back with the source's "
                             "database id; drop it and copy again");
    }
    CopyInfo info;
    info.revision = copied->revision;
    info.tables = copied->tables;
    info.rows = copied->rows;
    return info;
  });
}

}  // namespace toegang
