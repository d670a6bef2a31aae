// CheckReader: what a check reads, whichever index answers it. Two types
// model it: MappedCheckIndex (index_snapshot.h, the snapshot file an
// engine answers from while its graph loads) and ModelCheckReader
// (engine/model_holder.h, the loaded model's CheckIndex with the graph's
// facility table). The engine's Check and Allowed (engine/engine.cc) are
// written once against this concept; it is checked at compile time, so the
// hot path stays non-virtual and inlined.
//
// The members, with one meaning for both:
//   uint64_t revision() const
//       the revision the answers are of;
//   void Prefetch(uint64_t insz) const
//       a hint that a lookup of insz follows (changes nothing);
//   std::optional<uint32_t> FindFacility(const std::string& hco) const
//       the facility index of a canonical HCO number, nullopt when unknown;
//   bool Allowed(uint64_t insz, unsigned app, uint32_t facility) const
//       the verdict of SPEC 4.5, at `facility` unless it is kAnyFacility;
//       allocates nothing;
//   std::vector<std::string> GrantingHcos(uint64_t insz, unsigned app,
//                                         uint32_t facility) const
//       the HCO numbers (sorted, unique) of the facilities through which
//       access is granted, only `facility` unless it is kAnyFacility;
//       allocates only when the answer is not empty.
//
// Thread safety: as the type modelling it (both are read concurrently
// without a lock once built).
#ifndef TOEGANG_CHECK_READER_H_
#define TOEGANG_CHECK_READER_H_

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "check/check_index.h"

namespace toegang {

template <typename R>
concept CheckReader = requires(const R& reader, uint64_t insz, unsigned app,
                               uint32_t facility, const std::string& hco) {
  { reader.revision() } -> std::same_as<uint64_t>;
  reader.Prefetch(insz);
  { reader.FindFacility(hco) } -> std::same_as<std::optional<uint32_t>>;
  { reader.Allowed(insz, app, facility) } -> std::same_as<bool>;
  {
    reader.GrantingHcos(insz, app, facility)
    } -> std::same_as<std::vector<std::string>>;
};

}  // namespace toegang

#endif  // TOEGANG_CHECK_READER_H_
