// The places outside toegang that the manual sends people to: ERANOVA (the
// eHealth contact centre), the e-desk's address, CSAM and CoBRHA. One
// place for their numbers, addresses and hours, so that every explanation
// and remedy that names one says the same (manual 1.3, 2.1, 2.2, 3.8).
//
// Thread safety: constants and pure functions.
#ifndef TOEGANG_RULES_CONTACT_POINTS_H_
#define TOEGANG_RULES_CONTACT_POINTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "toegang/queries.h"

namespace toegang {

// ERANOVA, as the manual gives it (2.2, 3.8).
inline constexpr std::string_view kEranovaPhone = "02-511 51 51";
inline constexpr std::string_view kEranovaEmail =
    "contactcenter@eranova.fgov.be";

// Where one logs in to the e-desk (manual 2.2 step 1).
inline constexpr std::string_view kEdeskAddress =
    "https://www.werkzorg.vlaanderen.be";
// Where one manages one's digital keys (manual 2.2 step 2).
inline constexpr std::string_view kCsamAddress = "www.csam.be";
// Where enterprise and HCO numbers can be looked up (manual 3.8).
inline constexpr std::string_view kCobrhaAddress =
    "https://publiek.departementzorg.be/Cobrha";

// "ERANOVA, the eHealth contact center (02-511 51 51,
// contactcenter@eranova.fgov.be, every working day from 7:00 to 20:00)",
// in the asked language.
std::string EranovaText(Lang lang);

// What a person whose access chain is complete checks when logging in to
// the e-desk still fails (manual 1.3, 2.2, 3.8), in the asked language:
// the browser, the digital key, the e-desk's address, and ERANOVA with the
// enterprise number (display form) and HCO number to have at hand.
std::vector<std::string> LoginChecklist(Lang lang, std::string_view kbo_display,
                                        std::string_view hco);

}  // namespace toegang

#endif  // TOEGANG_RULES_CONTACT_POINTS_H_
