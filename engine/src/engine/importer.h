// Importer: the registry imports (SPEC 6; Engine::ImportKbo and the
// others): reading each CSV file (or the entries of a KBO Open Data
// extract) row by row, validating the rows, writing them through the
// store's ImportSession, reporting what changed and its impact on access,
// and committing one revision with its audit row, or refusing the whole
// file and recording the refusal.
//
// Thread safety and locks: the importer owns no lock and no state besides
// the callback it is given. Reading and validating what needs no store
// (options, an extract's meta.csv) runs on the caller's thread without a
// lock; the part that uses the store and the model runs inside `Locked`,
// which the engine implements by taking its writer lock
// (EngineImpl::write_mu_) and catching the model up first. One import at a
// time per engine, then, and queries go on meanwhile.
#ifndef TOEGANG_ENGINE_IMPORTER_H_
#define TOEGANG_ENGINE_IMPORTER_H_

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/csv_reader.h"
#include "import/import_rows.h"  // Fields
#include "store/store.h"
#include "toegang/engine.h"

namespace toegang {

class Importer {
 public:
  // Who loses or gains access by an import's registry delta
  // (import_impact.h), on the federation as it was before the import:
  // given by the engine, called inside the import's transaction.
  using ImpactFn = std::function<Result<std::vector<AccessImpact>>(
      const RegistryDelta& delta)>;
  // The part of an import that writes: runs with the store and the means
  // to compute the impact; returns whether it committed a change.
  using Body = std::function<Result<bool>(Store& store, const ImpactFn&)>;
  // Runs body under the engine's writer lock (a failed catch-up of a
  // loaded model is returned as is, body not run), and brings what the
  // engine holds up to the commit when body committed a change.
  using Locked = std::function<Status(const Body& body)>;

  explicit Importer(Locked locked) : locked_(std::move(locked)) {}

  // As Engine's methods of the same names.
  Status ImportKbo(const std::string& enterprises_csv,
                   const std::string& denominations_csv,
                   const ImportOptions& options, ImportReport* report);
  Status ImportKboOpenData(const std::string& path,
                           const ImportOptions& options, ImportReport* report);
  Status ImportPersons(const std::string& csv, const ImportOptions& options,
                       ImportReport* report);
  Status ImportFunctions(const std::string& csv, const ImportOptions& options,
                         ImportReport* report);
  Status ImportFacilities(const std::string& csv, const ImportOptions& options,
                          ImportReport* report);

 private:
  // One import from the session's start to its commit (or refusal):
  // `fill` reads the rows into the session.
  Status RunImport(std::string_view action, const ImportOptions& options,
                   ImportReport* report,
                   const std::function<Status(ImportSession&)>& fill);
  template <typename Row>
  Status ImportOneFile(
      std::string_view action, const std::string& csv,
      const ImportOptions& options, ImportReport* report,
      bool (*is_header)(const Fields&), Result<Row> (*parse)(const Fields&),
      Result<ImportSession::Put> (ImportSession::*put)(const Row&),
      Result<size_t> (ImportSession::*unlisted)() = nullptr);

  const Locked locked_;
};

}  // namespace toegang

#endif  // TOEGANG_ENGINE_IMPORTER_H_
