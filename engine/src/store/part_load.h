// PartLoad: the part of Store::LoadPart that every store shares: which
// rows a scope reaches (store.h, LoadPart), found by the same statements
// in the same order, and the load of those rows through ReplayLoad
// (load_replay.h). A store supplies only how a statement runs
// (PartRunner): how it binds a set of values where the text names one, and
// its transaction, revision and error mapping.
//
// The statements name the part's sets as `{name}` tokens, each standing
// for a one-column relation of the set's values: SQLite expands a token to
// `SELECT value FROM json_each(?N)` bound to a JSON array, PostgreSQL to
// `SELECT unnest($N::text[])` (bigint[] for the subafdeling ids) bound to
// an array (ExpandPartSql). The sets:
//   kbos, inszs, hcos  what the scope names (enterprises, persons and
//                      right holders, facilities)
//   full     the enterprises loaded with all their rows
//   reach    full, plus the enterprises loaded with their row and
//            facilities only (organizers, the right holders' enterprises)
//   persons  the persons named and the right holders
//   holders  the right holders
//   lsub     the right holders' subafdelingen outside full (ids)
//   lkbo     those subafdelingen's enterprises
// Tables that PostgreSQL reserves ("user", "authorization") are quoted,
// which SQLite reads the same.
//
// Errors: none of its own; what the runner or the sink throws passes
// through (the store turns it into a Status).
//
// Thread safety: one thread, the caller's, on the store's connection.
#ifndef TOEGANG_STORE_PART_LOAD_H_
#define TOEGANG_STORE_PART_LOAD_H_

#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "store/load_replay.h"
#include "store/load_sink.h"
#include "store/store.h"

namespace toegang {

enum class PartSet : size_t {
  kKbos,
  kInszs,
  kHcos,
  kFull,
  kReach,
  kPersons,
  kHolders,
  kLsub,
  kLkbo,
};
inline constexpr size_t kPartSets = 9;

// The token's name of a set ("full" for kFull).
std::string_view PartSetName(PartSet set);

// The values of every set, as text (digits; the subafdeling ids of lsub
// too). Sets not yet found are empty.
struct PartSets {
  std::array<std::vector<std::string>, kPartSets> values;
  std::vector<std::string>& operator[](PartSet s) {
    return values[static_cast<size_t>(s)];
  }
  const std::vector<std::string>& operator[](PartSet s) const {
    return values[static_cast<size_t>(s)];
  }
};

// sql with each `{name}` token replaced by placeholder(set, n), n counting
// the tokens from 1 in order; *order gets the set of each token in that
// order (what the store binds as parameter n). A text without tokens comes
// back unchanged.
std::string ExpandPartSql(
    std::string_view sql,
    const std::function<std::string(PartSet, int)>& placeholder,
    std::vector<PartSet>* order);

// Runs one statement with `{name}` tokens, its sets bound from `sets`,
// and calls the row function for each row.
using PartRunner = std::function<void(std::string_view sql,
                                      const PartSets& sets, const LoadRowFn&)>;

// The sets of the part `scope` reaches (store.h, LoadPart), found through
// run.
PartSets FindPart(const LoadScope& scope, const PartRunner& run);

// Hands sink the part's rows: Reserve, then ReplayLoad's steps over the
// rows of `part`. The caller reads the revision in the same transaction.
void ReplayPart(LoadSink* sink, const PartSets& part, const PartRunner& run);

}  // namespace toegang

#endif  // TOEGANG_STORE_PART_LOAD_H_
