// The one JSON form of an explanation (SPEC 4.5), shared by
// `toegang --json explain`, the C API's toegang_explain() and the HTTP
// service's GET /v1/explain, so that the three never drift apart.
//
//   {"allowed": BOOL, "revision": N, "facilities": [HCO, ...],
//    "chain": [{"step", "person", "made_by", "revision", "at", "text"}],
//    "reason", "condition", "manual", "candidate_kbo", "candidate_hco",
//    "fixers": [{"insz", "name"}], "where_to_ask": [KBO, ...], "summary"}
//
// Persons are {"insz": 11 digits, "name": TEXT}; "person" and "made_by" are
// null when absent. Invalid UTF-8 in names is replaced, never an error.
//
// Thread safety: a pure function.
#ifndef TOEGANG_EXPLANATION_JSON_H_
#define TOEGANG_EXPLANATION_JSON_H_

#include <string>

#include "toegang/queries.h"

namespace toegang {

// The explanation as one line of JSON (no trailing newline).
std::string ExplanationToJson(const Explanation& explanation);

}  // namespace toegang

#endif  // TOEGANG_EXPLANATION_JSON_H_
