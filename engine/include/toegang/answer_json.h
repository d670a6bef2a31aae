// The JSON forms of the answers the three front ends share: the CLI
// (`toegang --json check/explain/who`), the HTTP service (/v1/check,
// /v1/explain) and the C API (toegang_explain). Each answer is built here
// once, as a JSON value, so that the front ends never drift apart.
//
// Decision (DecisionJson), keys in this order (nlohmann::ordered_json; the
// CLI prints its objects with sorted keys):
//   {"allowed": BOOL, "revision": N, "facilities": [HCO, ...],
//    "insz": 11 digits, "app": TEXT, "hco": HCO (only when asked)}
//
// Explanation (ExplanationJson, SPEC 4.5):
//   {"allowed": BOOL, "revision": N, "facilities": [HCO, ...],
//    "chain": [{"step", "person", "made_by", "revision", "at", "text"}],
//    "login_checklist": [TEXT, ...], "reason", "condition", "manual",
//    "candidate_kbo", "candidate_hco", "fixers": [{"insz", "name"}],
//    "fixer_roles": [{"person", "role", "kbo", "hco", "email", "phone"}],
//    "where_to_ask": [KBO, ...], "summary"}
//
// Who-card (WhoJson, manual 2.1 and 3.8):
//   {"kbo", "name", "active", "legal_representatives": [PERSON, ...],
//    "active_capacities": [CODE, ...], "revision",
//    "htb": {"person", "email", "phone", "revision", "at", "appointed_by",
//            "appointed_by_former_wv", "still_listed"} | null,
//    "domains": [{"capacity", "subdivision", "tb", "co_tbs"}],
//    "subafdelingen": [{"hco", "facility_name", "facility_type",
//                       "facility_active", "capacity", "subdivision",
//                       "email", "applications", "managers", "users"}]}
//
// Person's card (PersonCardJson, `who --insz`):
//   {"person": PERSON, "known", "revision",
//    "functions": [{"kind": "wv"|"employee", "enterprise": ENTERPRISE}],
//    "roles": [{"role", "enterprise", "capacity", "subdivision", "hco",
//               "facility_name", "made", "still_listed"}],
//    "memberships": [{"enterprise", "capacity", "subdivision", "hco",
//                     "facility_name", "email", "rights", "made"}],
//    "decisions": [{"app", "app_name", "explanation": EXPLANATION}]}
//
// Facility's card (FacilityCardJson, `who --hco`):
//   {"hco", "name", "type", "active", "organizer": ENTERPRISE | null,
//    "htb": PERSON | null, "htb_email", "htb_phone", "revision",
//    "subafdelingen": [{"capacity", "subdivision", "email", "applications",
//                       "managers", "tb", "co_tbs", "made",
//                       "members": [{"person", "rights", "made"}]}]}
//
// ENTERPRISE is {"kbo": 10 digits, "name", "active"}; "made" (who made a
// link) is {"by": PERSON | null, "revision", "at"}.
//
// Persons are {"insz": 11 digits, "name": TEXT}; an absent optional person
// is null. Strings are kept as they are; AnswerText writes invalid UTF-8 in
// them as U+FFFD, never an error.
//
// This header uses nlohmann/json (header-only), a public dependency of the
// toegang library for this header alone.
//
// Thread safety: pure functions over values.
#ifndef TOEGANG_ANSWER_JSON_H_
#define TOEGANG_ANSWER_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "toegang/cards.h"
#include "toegang/engine.h"
#include "toegang/queries.h"

namespace toegang {

// A decision of Engine::Check, with the inputs it echoes (Decision::insz,
// ::application, ::hco).
nlohmann::ordered_json DecisionJson(const Decision& decision);

// An explanation of Engine::Explain.
nlohmann::json ExplanationJson(const Explanation& explanation);

// A person: {"insz", "name"}.
nlohmann::json PersonJson(const PersonRef& person);

// The who-card of Engine::Who.
nlohmann::json WhoJson(const WhoReport& report);

// The person's card of Engine::WhoPerson.
nlohmann::json PersonCardJson(const PersonCard& card);

// The facility's card of Engine::WhoFacility.
nlohmann::json FacilityCardJson(const FacilityCard& card);

// Any JSON value as one line of text (no trailing newline): bytes that are
// not UTF-8 replaced by U+FFFD.
template <typename Json>
std::string AnswerText(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The explanation as one line of JSON: AnswerText(ExplanationJson(e)).
std::string ExplanationToJson(const Explanation& explanation);

// The facilities of a decision separated by commas, "1100234,1100235"
// (empty when denied): the C API's buffer and the gateways' header.
std::string FacilitiesList(const Decision& decision);

}  // namespace toegang

#endif  // TOEGANG_ANSWER_JSON_H_
