// The small pieces the rules' answers are built from: a person of the
// graph as PersonRef, and a bit mask of applications as their codes. One
// place, so explain, the listings and the cards name people alike.
//
// REQUIRES: graph does not change during a call (see listings.h).
// Thread safety: reads the graph only.
#ifndef TOEGANG_RULES_ANSWER_PARTS_H_
#define TOEGANG_RULES_ANSWER_PARTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "graph/delegation_graph.h"
#include "model/catalogue.h"
#include "toegang/queries.h"

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

}  // namespace toegang

#endif  // TOEGANG_RULES_ANSWER_PARTS_H_
