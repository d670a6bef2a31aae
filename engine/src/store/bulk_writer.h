// BulkWriter: fills a new, empty database in one go (the federation
// generator, SPEC 8), row by row in the model's values, so that every
// table and the audit log are written by the store that owns the schema.
// Obtained from CreateInBulk (open_store.h).
//
// Contract, the same for every store:
//  - Nothing is visible to anyone until Finish returns ok; a writer
//    destroyed before that leaves the database as created (empty, at
//    revision 0). The database is not durable against a crash until then
//    either: fill a temporary name and move it into place afterwards.
//  - Rows of one table are stored in the order they are given (the
//    identifiers a table assigns, such as the audit log's sequence, follow
//    it). References between tables are not checked while writing: a user
//    may come before its subafdeling, a right before its user; the caller
//    gives a consistent federation.
//  - The delegation rows carry their provenance (by, revision, at); the
//    audit rows are the change log of those revisions. Finish(revision)
//    sets the database's revision and starts a new history chain (a fresh
//    chain value, schema/0002_database_identity.sql): the generated
//    history is not a copy of any other.
//  - The first failure is kept: the row calls after it write nothing, and
//    status() and Finish return it. Failures are storage_error or io_error
//    with a remedy (for lack of room, BulkWriteOptions::smaller_hint).
//
// Cost: one virtual call per row; rows are buffered and written many to a
// statement, without allocating per row once the buffers have grown.
//
// Thread safety: one thread at a time.
#ifndef TOEGANG_STORE_BULK_WRITER_H_
#define TOEGANG_STORE_BULK_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "model/provenance.h"
#include "store/load_sink.h"
#include "toegang/status.h"

namespace toegang {

struct BulkWriteOptions {
  // What else the user can do when the medium runs out of room, named in
  // the remedy after "free space or" (the generator: "ask for fewer
  // --persons"); empty: nothing else.
  std::string smaller_hint;
};

class BulkWriter {
 public:
  virtual ~BulkWriter() = default;

  // --- the registries -----------------------------------------------------
  // start_date: "YYYY-MM-DD".
  virtual void Enterprise(uint64_t kbo, std::string_view name, bool active,
                          std::string_view juridical_form,
                          std::string_view start_date) = 0;
  virtual void Person(uint64_t insz, std::string_view name) = 0;
  virtual void Function(uint64_t kbo, uint64_t insz, FunctionRole role) = 0;
  // hco: the HCO number's digits.
  virtual void Facility(std::string_view hco, std::string_view name,
                        std::string_view type_code, uint64_t kbo,
                        bool active) = 0;

  // --- the delegation state -------------------------------------------------
  // Codes are the catalogue's (capacity, subdivision, application).
  virtual void Htb(uint64_t kbo, uint64_t insz, std::string_view email,
                   std::string_view phone, const Provenance& prov) = 0;
  virtual void ActiveCapacity(uint64_t kbo, std::string_view capacity,
                              const Provenance& prov) = 0;
  // tb: the TB, else a co-TB.
  virtual void DomainManager(uint64_t kbo, std::string_view capacity,
                             std::string_view subdivision, uint64_t insz,
                             bool tb, const Provenance& prov) = 0;
  virtual void Subafdeling(int64_t id, uint64_t kbo, std::string_view capacity,
                           std::string_view subdivision, std::string_view hco,
                           std::string_view email, const Provenance& prov) = 0;
  virtual void SubafdelingManager(int64_t subafdeling, uint64_t insz,
                                  const Provenance& prov) = 0;
  virtual void Authorization(int64_t subafdeling, std::string_view application,
                             const Provenance& prov) = 0;
  virtual void User(int64_t subafdeling, uint64_t insz,
                    const Provenance& prov) = 0;
  virtual void Right(int64_t subafdeling, uint64_t insz,
                     std::string_view application, const Provenance& prov) = 0;

  // --- the change log -----------------------------------------------------
  // One audit row of `revision` at `at` (unix seconds), outcome ok, no
  // actor; kbo 0: none.
  virtual void Audit(uint64_t revision, int64_t at, std::string_view action,
                     uint64_t kbo, std::string_view detail,
                     std::string_view message) = 0;

  // The first failure so far, or ok.
  virtual const Status& status() const = 0;
  // Writes what is buffered, sets the revision with a new history chain,
  // commits and leaves the database as any other (durable commits, the
  // usual journal). Call once; the writer is done afterwards.
  virtual Status Finish(uint64_t revision) = 0;
};

}  // namespace toegang

#endif  // TOEGANG_STORE_BULK_WRITER_H_
