// The text forms of identifiers the graph keeps as integers: canonical
// digits (database, audit log, JSON) and display forms (messages).
#ifndef TOEGANG_TEXT_FORMS_H_
#define TOEGANG_TEXT_FORMS_H_

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "toegang/identifiers.h"

namespace toegang {

// 11 digits, leading zeros kept: "85073003328".
inline std::string InszDigits(uint64_t insz) {
  return fmt::format("{:011}", insz);
}
// 10 digits, leading zeros kept: "0403019261".
inline std::string KboDigits(uint64_t kbo) {
  return fmt::format("{:010}", kbo);
}
// "85.07.30-033.28" (the digits when the value is somehow not valid).
inline std::string InszDisplay(uint64_t insz) {
  Result<Insz> i = Insz::FromValue(insz);
  return i.ok() ? i->Display() : InszDigits(insz);
}
// "0403.019.261" (the digits when the value is somehow not valid).
inline std::string KboDisplay(uint64_t kbo) {
  Result<Kbo> k = Kbo::FromValue(kbo);
  return k.ok() ? k->Display() : KboDigits(kbo);
}

// The inverse of the digit forms above: the number, or nullopt when text is
// empty, holds anything but digits or does not fit in 64 bits.
inline std::optional<uint64_t> FromDigits(std::string_view text) {
  return ParseDigits(text);
}

}  // namespace toegang

#endif  // TOEGANG_TEXT_FORMS_H_
