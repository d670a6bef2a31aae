// The helpdesk's cards of a person and of a facility, and the name search
// (toegang/cards.h): what `who --insz`, `who --hco` and the admin web page
// show, read from the delegation graph.
//
// REQUIRES: graph does not change during the call. The engine passes the
// instance its left-right read holds (base/left_right.h): no writer touches
// that instance until the read ends. No lock is taken or needed.
// Thread safety: reads the graph only; calls may run concurrently.
#ifndef TOEGANG_RULES_CARDS_H_
#define TOEGANG_RULES_CARDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "graph/delegation_graph.h"
#include "toegang/cards.h"
#include "toegang/queries.h"
#include "toegang/status.h"

namespace toegang {

// insz: a valid INSZ. A person the federation does not know gets a card
// with known == false and every application denied (as check answers).
// The decisions are Explain's, one per application, in `lang`.
PersonCard DescribePerson(const DelegationGraph& graph, uint64_t insz,
                          Lang lang, uint64_t revision);

// hco: a valid HCO number. facility_unknown (kRefused) when CoBRHA's
// registry as imported does not list it.
Result<FacilityCard> DescribeFacility(const DelegationGraph& graph,
                                      const std::string& hco,
                                      uint64_t revision);

// Persons and enterprises whose name starts with `prefix` (ASCII letters
// compared without case; at least 2 bytes, else usage), ordered by
// (name without case, kind, id), one page after page.cursor (the last
// hit as "p" + INSZ or "e" + KBO). Reads every person and enterprise: its
// cost grows with the federation, not with the hits. The engine answers
// from NameIndex (rules/name_index.h) instead; this scan is the reference
// the index is tested against.
Result<Page<NameHit>> FindNames(const DelegationGraph& graph,
                                std::string_view prefix,
                                const PageRequest& page, uint64_t revision);

// The person ("p" + INSZ) or enterprise ("e" + KBO) a name search's cursor
// names, or the usage error of every name search for a cursor that names
// none.
Result<Vertex> NameCursorVertex(const DelegationGraph& graph,
                                std::string_view cursor);

}  // namespace toegang

#endif  // TOEGANG_RULES_CARDS_H_
