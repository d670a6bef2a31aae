// The small pieces the rules' answers are built from: a person of the
// graph as PersonRef, a bit mask of applications as their codes, and the
// refusal of a facility the registry does not hold. One place, so explain,
// the listings and the cards name people and facilities alike.
//
// REQUIRES: graph does not change during a call (see listings.h).
// Thread safety: reads the graph only.
#ifndef TOEGANG_RULES_ANSWER_PARTS_H_
#define TOEGANG_RULES_ANSWER_PARTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "graph/delegation_graph.h"
#include "model/catalogue.h"
#include "toegang/queries.h"
#include "toegang/status.h"

namespace toegang {

// The person at vertex p: 11 digits and name.
PersonRef PersonRefOf(const DelegationGraph& graph, Vertex p);
// A person named by INSZ only (who made a link): with the name when the
// graph knows the person.
PersonRef PersonRefByInsz(const DelegationGraph& graph, uint64_t insz);
// The persons at these vertices, sorted by INSZ.
std::vector<PersonRef> PersonRefsByInsz(const DelegationGraph& graph,
                                        const std::vector<Vertex>& people);
// The codes of the applications whose bits are set in mask, sorted.
std::vector<std::string> AppCodes(const Catalogue& catalogue, uint64_t mask);
// facility_unknown (refused, exit 3) for a valid HCO number that is not in
// the facilities registry as imported: a mistyped number, never a quiet
// "none".
Status FacilityUnknown(std::string_view hco);

}  // namespace toegang

#endif  // TOEGANG_RULES_ANSWER_PARTS_H_
