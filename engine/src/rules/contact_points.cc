// The contact points the manual names (contact_points.h).
#include "rules/contact_points.h"

#include <fmt/format.h>

namespace toegang {

std::string EranovaText(Lang lang) {
  return lang == Lang::kNl
             ? fmt::format(
                   "ERANOVA, het contactcenter van eHealth ({}, {}, elke "
                   "werkdag van 7 tot 20u)",
                   kEranovaPhone, kEranovaEmail)
             : fmt::format(
                   "ERANOVA, the eHealth contact center ({}, {}, every "
                   "working day from 7:00 to 20:00)",
                   kEranovaPhone, kEranovaEmail);
}

std::vector<std::string> LoginChecklist(Lang lang, std::string_view kbo_display,
                                        std::string_view hco) {
  if (lang == Lang::kNl) {
    return {
        "Gebruik Google Chrome (handleiding 1.3).",
        fmt::format("Meld u aan met een digitale sleutel: de eID-kaartlezer, "
                    "itsme of een andere; uw sleutels beheert u via {} "
                    "(handleiding 1.3, 2.2).",
                    kCsamAddress),
        fmt::format("Surf naar {} en kies het e-loket AMA WVG (handleiding "
                    "2.2).",
                    kEdeskAddress),
        fmt::format("Lukt het nog niet, contacteer dan {}, met het "
                    "ondernemingsnummer {} en het HCO-nummer {} bij de hand "
                    "(handleiding 3.8; beide staan ook op {}).",
                    EranovaText(lang), kbo_display, hco, kCobrhaAddress),
    };
  }
  return {
      "Use Google Chrome (manual 1.3).",
      fmt::format("Log in with a digital key: the eID card reader, itsme or "
                  "another; keys are managed at {} (manual 1.3, 2.2).",
                  kCsamAddress),
      fmt::format("Go to {} and choose the e-desk AMA WVG (manual 2.2).",
                  kEdeskAddress),
      fmt::format("If it still fails, contact {}, with the enterprise number "
                  "{} and the HCO number {} at hand (manual 3.8; both can "
                  "also be found at {}).",
                  EranovaText(lang), kbo_display, hco, kCobrhaAddress),
  };
}

}  // namespace toegang
