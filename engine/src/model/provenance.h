// Provenance: who made a link of the delegation state, at which revision
// and when. A value of the model: the store reads and writes it with each
// row of the delegation tables, the graph keeps it per link
// (graph/provenance_table.h).
//
// Thread safety: a plain value.
#ifndef TOEGANG_MODEL_PROVENANCE_H_
#define TOEGANG_MODEL_PROVENANCE_H_

#include <cstdint>

namespace toegang {

// Who made a link (an INSZ), at which revision and when (unix seconds).
// Zero for links that come from a registry import.
struct Provenance {
  uint64_t by = 0;
  uint64_t revision = 0;
  int64_t at = 0;

  bool operator==(const Provenance&) const = default;
};

}  // namespace toegang

#endif  // TOEGANG_MODEL_PROVENANCE_H_
