// ReplayLoad: the part of a load (Store::Load, LoadPart) that every store
// shares: the order of the steps after Reserve (load_sink.h, 2 to 8) and
// how each step's rows become sink calls and ops. A store supplies only
// how a step's rows are read: its own SQL text per step (whole tables, or
// a part's rows) and a view of a row's columns. Reserve, the counts and
// the transaction stay with the store.
//
// Each step's statement must return these columns in this order (kbo and
// insz as digits; "by_insz, revision, at" is the row's provenance, at in
// the stored UTC form) and may return its rows in any order unless said:
//   kEnterprises        kbo, name, active, juridical_form, start_date
//   kPersons            insz, name
//   kFunctions          kbo, insz, role ('employee' or a legal
//                       representative's)
//   kEndedFunctions     kbo, insz  (ended legal representatives only)
//   kFacilities         hco, name, type_code, kbo, active
//   kHtbs               kbo, insz, email, phone, by_insz, revision, at,
//                       wv_email, wv_phone
//   kActiveCapacities   kbo, capacity, by_insz, revision, at
//   kDomainManagers     kbo, capacity, subdivision, insz, role ('tb' or a
//                       co-tb's), by_insz, revision, at
//   kSubafdelingen      id, kbo, capacity, subdivision, hco, email,
//                       by_insz, revision, at; ORDER BY id
//   kAuthorizations     subafdeling, application, by_insz, revision, at
//   kSubafdelingManagers subafdeling, insz, by_insz, revision, at
//   kUsers              subafdeling, insz, by_insz, revision, at;
//                       grouped by subafdeling
//   kUserRights         subafdeling, insz, application, by_insz, revision,
//                       at; grouped by subafdeling
// Codes (capacity, subdivision, application) are resolved against the
// sink's catalogue (0 when unknown); a digits column that does not parse
// reads as 0. An op of the last four steps carries the kbo of its
// subafdeling as given in kSubafdelingen (0 when that step did not give
// it).
//
// Errors: ReplayLoad reports none of its own; what the runner or the sink
// throws passes through it unchanged (the store turns it into a Status),
// and the sink is then incomplete (load_sink.h).
//
// Thread safety: one thread, the caller's; the runner reads through the
// caller's store connection, one statement at a time.
#ifndef TOEGANG_STORE_LOAD_REPLAY_H_
#define TOEGANG_STORE_LOAD_REPLAY_H_

#include <cstdint>
#include <functional>
#include <string_view>

#include "model/catalogue.h"
#include "store/load_sink.h"
#include "toegang/status.h"

namespace toegang {

// The statements of a load after Reserve, in the order ReplayLoad runs them.
enum class LoadStep {
  kEnterprises,
  kPersons,
  kFunctions,
  kEndedFunctions,
  kFacilities,
  kHtbs,
  kActiveCapacities,
  kDomainManagers,
  kSubafdelingen,
  kAuthorizations,
  kSubafdelingManagers,
  kUsers,
  kUserRights,
};

// The current row of a step's statement. The views returned are valid
// until the runner moves to the next row.
class LoadRow {
 public:
  virtual ~LoadRow() = default;
  virtual std::string_view Text(int col) const = 0;
  virtual int64_t Integer(int col) const = 0;

  // A kbo or insz column: its digits, or 0 when they do not parse.
  uint64_t Digits(int col) const;
};

// Called once per row of a step, in the statement's order.
using LoadRowFn = std::function<void(const LoadRow&)>;
// Runs the statement of a step and calls the row function for each row.
using LoadStepRunner = std::function<void(LoadStep, const LoadRowFn&)>;

// Runs every step in order through run and hands the rows to sink
// (load_sink.h, steps 2 to 8).
void ReplayLoad(LoadSink* sink, const LoadStepRunner& run);

// Runs sql (a SELECT over one catalogue table, without an ORDER BY) with
// the store's "in the order written" appended (SQLite's rowid, PostgreSQL's
// ctid: the catalogue's tables are written only by the migrations, in
// order, and never updated) and calls the row function for each row.
using CatalogueRunner =
    std::function<void(std::string_view sql, const LoadRowFn&)>;

// Reads the catalogue's tables through run into *out (replacing what it
// held): capacities, subdivisions, applications, application aliases and
// facility rules, in that order. A store error passes through (as for
// ReplayLoad); a catalogue toegang cannot hold (more than 64 applications,
// an alias of no application) is a storage_error Status.
Status ReplayCatalogue(Catalogue* out, const CatalogueRunner& run);

}  // namespace toegang

#endif  // TOEGANG_STORE_LOAD_REPLAY_H_
