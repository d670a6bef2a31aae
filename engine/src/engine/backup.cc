// BackupDatabase (toegang/backup.h): opens the database's store as every
// command does and has it copy itself.
#include "toegang/backup.h"

#include <sys/stat.h>

#include <memory>

#include "base/exception_boundary.h"
#include "store/open_store.h"

namespace toegang {

Result<BackupInfo> BackupDatabase(const std::string& db,
                                  const std::string& to) {
  return CatchAll("backup", [&]() -> Result<BackupInfo> {
    Result<std::unique_ptr<Store>> store = OpenStore(db, StoreOpenOptions());
    if (!store.ok()) return store.status();
    Status copied = (*store)->BackupTo(to);
    if (!copied.ok()) return copied;
    BackupInfo info;
    // The revision the copy holds (writers go on during the copy).
    Result<std::unique_ptr<Store>> copy = OpenStore(
        to, StoreOpenOptions{.create_if_missing = false, .read_only = true});
    if (!copy.ok()) return copy.status();
    Result<uint64_t> held = (*copy)->CurrentRevision();
    if (!held.ok()) return held.status();
    info.revision = *held;
    struct stat st {};
    if (::stat(to.c_str(), &st) == 0) {
      info.bytes = static_cast<uint64_t>(st.st_size);
    }
    return info;
  });
}

}  // namespace toegang
