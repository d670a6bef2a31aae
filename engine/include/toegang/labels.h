// How answers and messages name a person or an enterprise in text: one
// formatter, "NAME (ID)", or ID alone when the name is unknown.
//
// Which ID each output shows (docs/cli.md):
//   - a person: the INSZ's display form, "Koen Maes (82.01.01-245.96)", in
//     every text output (messages, explanations, the helpdesk views); JSON
//     keeps the 11 digits, and every command accepts either form.
//   - an enterprise: "vzw X (KBO 0412.345.614)" (EnterpriseLabel) where
//     KBO and HCO numbers stand side by side (explain, who, graph); the
//     bare display form "vzw X (0412.345.614)" in refusal messages and the
//     audit log, which name no other kind of number.
//
// Thread safety: pure functions.
#ifndef TOEGANG_LABELS_H_
#define TOEGANG_LABELS_H_

#include <string>
#include <string_view>
#include <vector>

#include "toegang/engine.h"
#include "toegang/queries.h"

namespace toegang {

// "NAME (ID)", or ID when name is empty.
std::string NamedLabel(std::string_view name, std::string_view id);

// A person with the INSZ's display form (the 11 digits as given when they
// are not a valid INSZ).
std::string PersonLabel(const PersonRef& person);

// An INSZ's display form, "82.01.01-245.96" (insz as given when it is not
// a valid INSZ).
std::string InszDisplayText(std::string_view insz);

// An enterprise number's display form, "0412.345.614" (kbo as given when it
// is not a valid KBO number).
std::string KboDisplayText(std::string_view kbo);

// An enterprise: NamedLabel(name, "KBO " + kbo_display).
std::string EnterpriseLabel(std::string_view name,
                            std::string_view kbo_display);

// A role's or function's name as the manual writes it: "wv" -> "WV",
// "employee" -> "werknemer"/"employee", "htb" -> "HTB", "tb" -> "TB",
// "co_tb" -> "co-TB", "manager" -> "subafdelingsbeheerder"/"subafdeling
// manager"; any other code as it is.
std::string RoleLabel(std::string_view role, Lang lang);

// An explanation's reason code (toegang/queries.h, Explanation::reason) as a
// few words, e.g. "right_missing" -> "recht ontbreekt"/"right missing";
// any other code as it is.
std::string ReasonLabel(std::string_view reason, Lang lang);

// A mutation's cascade (toegang/engine.h, CascadeStep), a line per kind
// of change as what the mutation takes with it: "revoke 3 rights: Koen
// Maes (82.01.01-245.96) ama-wvg, ... and 1 more" ("3 rechten intrekken:
// ..."); a kind without words of its own as "N x ACTION".
std::vector<std::string> CascadeLines(const std::vector<CascadeStep>& cascade,
                                      Lang lang);

}  // namespace toegang

#endif  // TOEGANG_LABELS_H_
