#include "rules/answer_parts.h"

#include <fmt/format.h>

#include <algorithm>

#include "model/text_forms.h"
#include "toegang/error_codes.h"

namespace toegang {

PersonRef PersonRefOf(const DelegationGraph& graph, Vertex p) {
  const PersonView d = graph.person(p);
  return PersonRef{InszDigits(d.insz), std::string(d.name)};
}

PersonRef PersonRefByInsz(const DelegationGraph& graph, uint64_t insz) {
  const Vertex p = graph.FindPerson(insz);
  return p == kNoVertex ? PersonRef{InszDigits(insz), {}}
                        : PersonRefOf(graph, p);
}

std::vector<PersonRef> PersonRefsByInsz(const DelegationGraph& graph,
                                        const std::vector<Vertex>& people) {
  std::vector<PersonRef> out;
  out.reserve(people.size());
  for (Vertex p : people) out.push_back(PersonRefOf(graph, p));
  std::sort(out.begin(), out.end(), [](const PersonRef& a, const PersonRef& b) {
    return a.insz < b.insz;
  });
  return out;
}

std::vector<std::string> AppCodes(const Catalogue& catalogue, uint64_t mask) {
  std::vector<std::string> out;
  for (size_t a = 0; a < catalogue.application_count(); ++a) {
    if ((mask >> a) & 1U) {
      out.push_back(catalogue.application(static_cast<AppId>(a)).code);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status FacilityUnknown(std::string_view hco) {
  return Status::Refused(
      code::kFacilityUnknown,
      fmt::format("facility HCO {} is not in the CoBRHA registry as "
                  "imported; check the number, or import the facilities "
                  "file that lists it (toegang import facilities)",
                  hco));
}

}  // namespace toegang
