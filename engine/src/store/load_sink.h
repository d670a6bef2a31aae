// LoadSink: what a full load (Store::Load) hands the federation to, row by
// row, in the model's values. The store reads its tables and calls the
// sink; it never sees what the sink builds. The graph implements it
// (engine/graph_load_sink.h); a test can record the calls.
//
// The order of the calls is part of the contract, the same for every
// store:
//   1. Reserve, once, with the number of rows of each registry table;
//   2. Enterprise for every enterprise;
//   3. Person for every person;
//   4. Function for every KBO function (its enterprise was given in 2;
//      its person in 3, or it is known only from this row);
//   5. EndedLegalRepresentatives, once, with every legal representative
//      whose function a whole-registry import ended;
//   6. Facility for every facility (its organizer was given in 2);
//   7. the delegation state as ops through Apply, by kind: every
//      appoint_htb, then activate_capacity, then set_tb / add_co_tb, then
//      create_subafdeling in increasing id, then authorize, then
//      add_manager;
//   8. the bulk of it through ApplyStaged: every add_user, then every
//      grant_right, each grouped by subafdeling.
// Beyond that, rows within a step come in the store's order (none is
// promised). An op's codes (capacity, subdivision, application) are
// resolved against catalogue(); its kbo is the enterprise of its
// subafdeling for the ops of 7 and 8 that name one. A store calls nothing
// after a failure it reports; what the sink holds then is incomplete.
//
// Cost: one virtual call per row; the views passed are valid only during
// the call (the sink copies what it keeps).
//
// Thread safety: the store calls the sink from the thread that called
// Load, one call at a time.
#ifndef TOEGANG_STORE_LOAD_SINK_H_
#define TOEGANG_STORE_LOAD_SINK_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/catalogue.h"
#include "model/change_set.h"
#include "model/provenance.h"
#include "model/registry_rows.h"  // FunctionRole

namespace toegang {

class LoadSink {
 public:
  virtual ~LoadSink() = default;

  // The catalogue the ops' codes are resolved against.
  virtual const Catalogue& catalogue() const = 0;

  // Room for about this many rows of each kind (counts of the tables; the
  // sink may use them only as capacity hints).
  virtual void Reserve(size_t persons, size_t enterprises, size_t facilities,
                       size_t subafdelingen) = 0;
  virtual void Enterprise(uint64_t kbo, std::string_view name, bool active,
                          std::string_view juridical_form,
                          std::string_view start_date) = 0;
  virtual void Person(uint64_t insz, std::string_view name) = 0;
  virtual void Function(uint64_t kbo, uint64_t insz, FunctionRole role) = 0;
  // (kbo, insz) pairs.
  virtual void EndedLegalRepresentatives(
      std::vector<std::pair<uint64_t, uint64_t>> ended) = 0;
  virtual void Facility(const std::string& hco, const std::string& name,
                        const std::string& type_code, uint64_t kbo,
                        bool active) = 0;
  // One row of the delegation state (step 7), as the op that made it.
  virtual void Apply(const Op& op, const Provenance& prov) = 0;
  // One user or right (step 8): the sink may defer building it until the
  // load is over (the graph stages it until Compact).
  virtual void ApplyStaged(const Op& op, const Provenance& prov) = 0;
};

}  // namespace toegang

#endif  // TOEGANG_STORE_LOAD_SINK_H_
