#include "toegang/labels.h"

#include "toegang/identifiers.h"

namespace toegang {

std::string NamedLabel(std::string_view name, std::string_view id) {
  if (name.empty()) return std::string(id);
  std::string out;
  out.reserve(name.size() + id.size() + 3);
  out.append(name).append(" (").append(id).append(")");
  return out;
}

std::string PersonLabel(const PersonRef& p) {
  Result<Insz> insz = Insz::Parse(p.insz);
  return NamedLabel(p.name, insz.ok() ? insz->Display() : p.insz);
}

std::string KboDisplayText(std::string_view kbo) {
  Result<Kbo> k = Kbo::Parse(kbo);
  return k.ok() ? k->Display() : std::string(kbo);
}

std::string EnterpriseLabel(std::string_view name,
                            std::string_view kbo_display) {
  return NamedLabel(name, "KBO " + std::string(kbo_display));
}

}  // namespace toegang
