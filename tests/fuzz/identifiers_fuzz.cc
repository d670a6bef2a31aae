// libFuzzer target for the identifier parsers (toegang/identifiers.h).
//
// The input bytes are one candidate identifier. Every parser runs on it;
// whatever parses must survive a round trip through its text forms and, for
// the numeric identifiers, through FromValue(). A violated invariant, or an
// exception escaping the engine (which promises none), is a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include "fuzz_guard.h"
#include "toegang/identifiers.h"

namespace {

using toegang::fuzz::Check;

void FuzzInsz(std::string_view text) {
  const toegang::Result<toegang::Insz> insz = toegang::Insz::Parse(text);
  if (!insz.ok()) {
    Check(!insz.status().code().empty());
    return;
  }
  const toegang::Insz& value = insz.value();
  const std::string digits = value.ToString();
  Check(digits.size() == 11);

  const toegang::Result<toegang::Insz> again = toegang::Insz::Parse(digits);
  Check(again.ok() && again.value() == value);
  const toegang::Result<toegang::Insz> shown =
      toegang::Insz::Parse(value.Display());
  Check(shown.ok() && shown.value() == value);
  const toegang::Result<toegang::Insz> stored =
      toegang::Insz::FromValue(value.value());
  Check(stored.ok() && stored.value() == value);
  Check(stored.value().IsBis() == value.IsBis());

  // The masked form keeps the date and hides the rest.
  const std::string masked = value.Masked();
  Check(masked.size() == value.Display().size());
  Check(masked.compare(0, 8, value.Display(), 0, 8) == 0);
}

void FuzzKbo(std::string_view text) {
  const toegang::Result<toegang::Kbo> kbo = toegang::Kbo::Parse(text);
  if (!kbo.ok()) {
    Check(!kbo.status().code().empty());
    return;
  }
  const toegang::Kbo& value = kbo.value();
  const std::string digits = value.ToString();
  Check(digits.size() == 10);
  Check(digits[0] == '0' || digits[0] == '1');

  const toegang::Result<toegang::Kbo> again = toegang::Kbo::Parse(digits);
  Check(again.ok() && again.value() == value);
  const toegang::Result<toegang::Kbo> shown =
      toegang::Kbo::Parse(value.Display());
  Check(shown.ok() && shown.value() == value);
  const toegang::Result<toegang::Kbo> prefixed =
      toegang::Kbo::Parse("BE" + digits);
  Check(prefixed.ok() && prefixed.value() == value);
  const toegang::Result<toegang::Kbo> stored =
      toegang::Kbo::FromValue(value.value());
  Check(stored.ok() && stored.value() == value);

  // An enterprise number is never an establishment-unit number.
  Check(!toegang::IsEstablishmentUnitNumber(digits));
}

void FuzzHco(std::string_view text) {
  const toegang::Result<toegang::Hco> hco = toegang::Hco::Parse(text);
  if (!hco.ok()) {
    Check(!hco.status().code().empty());
    return;
  }
  const std::string& digits = hco.value().str();
  Check(!digits.empty() && digits.size() <= 15);
  for (char c : digits) Check(c >= '0' && c <= '9');
  const toegang::Result<toegang::Hco> again = toegang::Hco::Parse(digits);
  Check(again.ok() && again.value() == hco.value());
}

void FuzzTypeCode(std::string_view text) {
  const toegang::Result<toegang::TypeCode> type =
      toegang::TypeCode::Parse(text);
  if (!type.ok()) {
    Check(!type.status().code().empty());
    return;
  }
  const std::string& digits = type.value().str();
  Check(digits.size() == 3);
  for (char c : digits) Check(c >= '0' && c <= '9');
  const toegang::Result<toegang::TypeCode> again =
      toegang::TypeCode::Parse(digits);
  Check(again.ok() && again.value() == type.value());
}

void FuzzEstablishmentUnit(std::string_view text) {
  if (!toegang::IsEstablishmentUnitNumber(text)) return;
  // Kbo::Parse refuses establishment-unit numbers (identifiers.h).
  Check(!toegang::Kbo::Parse(text).ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  toegang::fuzz::WithoutEscapes("the engine", [&] {
    FuzzInsz(text);
    FuzzKbo(text);
    FuzzHco(text);
    FuzzTypeCode(text);
    FuzzEstablishmentUnit(text);
  });
  return 0;
}
