#include "web/i18n.h"

namespace toegang::serve::web {
namespace {

struct Text {
  std::string_view key, nl, en;
};

// Sorted by key.
constexpr Text kTexts[] = {
    {"acting_as", "Handelend als", "Acting as"},
    {"action", "Handeling", "Action"},
    {"activate", "Activeren", "Activate"},
    {"active", "Actief in de KBO", "Active in the KBO"},
    {"actor", "Door", "Actor"},
    {"add_manager", "Beheerder toevoegen", "Add manager"},
    {"add_user", "Gebruiker toevoegen", "Add user"},
    {"added", "Toegevoegd", "Added"},
    {"allowed", "toegestaan", "allowed"},
    {"app_code", "Toepassing (code)", "Application (code)"},
    {"application", "Toepassing", "Application"},
    {"applications", "Toepassingen", "Applications"},
    {"appoint", "Aanstellen", "Appoint"},
    {"appointed", "aangesteld", "appointed"},
    {"apps_typed", "Toepassingen (codes, gescheiden door spaties)",
     "Applications (codes, separated by spaces)"},
    {"at", "op", "at"},
    {"authorize", "Toekennen", "Authorize"},
    {"back", "Terug", "Back"},
    {"by", "door", "by"},
    {"cancel", "Annuleren", "Cancel"},
    {"candidate", "Dichtstbijzijnde kandidaat", "Closest candidate"},
    {"capacities", "Hoedanigheden", "Capacities"},
    {"capacity_is_active", "De hoedanigheid is actief.",
     "The capacity is active."},
    {"capacity_optional", "Hoedanigheid (leeg: de enige)",
     "Capacity (empty: the only one)"},
    {"closed", "gesloten", "closed"},
    {"closed_cobrha", "gesloten in CoBRHA", "closed in CoBRHA"},
    {"condition", "voorwaarde", "condition"},
    {"confirm", "Bevestigen", "Confirm"},
    {"confirm_title", "Bevestigen", "Confirm"},
    {"create", "Aanmaken", "Create"},
    {"created", "Aangemaakt", "Created"},
    {"csrf_failed",
     "Dit formulier is verlopen of komt niet van deze pagina. Laad de "
     "pagina opnieuw en probeer nog eens.",
     "This form has expired or does not come from this page. Reload the "
     "page and try again."},
    {"decision", "Beslissing", "Decision"},
    {"decisions", "Beslissing per toepassing", "Decision per application"},
    {"denied", "geweigerd", "denied"},
    {"details", "Volledige uitleg", "Full explanation"},
    {"did_also", "deed ook:", "also did:"},
    {"domain", "Domein", "Domain"},
    {"domains", "Domeinen (hoedanigheid / subdivisie)",
     "Domains (capacity / subdivision)"},
    {"duplicate_actor",
     "De gebruiker wordt twee keer opgegeven (de vertrouwde header komt meer "
     "dan eens voor). Er is niets gewijzigd; de proxy voor deze pagina moet de "
     "header precies een keer zetten.",
     "The acting person is given twice (the trusted header occurs more than "
     "once). Nothing was changed; the proxy in front of this page must set the "
     "header exactly once."},
    {"email", "E-mail", "E-mail"},
    {"empty_search", "Typ een INSZ, KBO-nummer, HCO-nummer of naam.",
     "Type an INSZ, KBO number, HCO number or name."},
    {"enterprise", "Onderneming", "Enterprise"},
    {"error", "Fout", "Error"},
    {"facility", "Voorziening", "Facility"},
    {"facilities_cobrha", "Voorzieningen in CoBRHA", "Facilities in CoBRHA"},
    {"facility_rule", "OCMW-regel", "OCMW rule"},
    {"first_page", "Eerste pagina", "First page"},
    {"footer",
     "toegang: alleen lezen. Persoonsgegevens: deel deze pagina niet.",
     "toegang: read only. Personal data: do not share this page."},
    {"footer_acting",
     "toegang: wijzigingen worden geregistreerd op naam van wie handelt. "
     "Persoonsgegevens: deel deze pagina niet.",
     "toegang: changes are recorded in the name of who acts. Personal data: do "
     "not share this page."},
    {"former_wv",
     "Aangesteld door een gewezen WV: een huidige WV bevestigt of vervangt "
     "de HTB (handleiding 3.2).",
     "Appointed by a former WV: a current WV re-confirms or replaces the "
     "HTB (manual 3.2)."},
    {"functions", "Functies in de KBO", "Functions in the KBO"},
    {"get_only", "Deze pagina kan alleen gelezen worden (GET).",
     "This page can only be read (GET)."},
    {"grant", "Recht toekennen", "Grant right"},
    {"hco", "HCO-nummer", "HCO number"},
    {"home_text",
     "Zoek een persoon op INSZ (in eender welke vorm) of naam, een "
     "onderneming op KBO-nummer of naam, of een voorziening op HCO-nummer. "
     "Een persoon zoeken gebeurt met een formulier: het INSZ komt nooit in "
     "een adres of logbestand.",
     "Search a person by INSZ (in any form) or name, an enterprise by KBO "
     "number or name, or a facility by HCO number. A person is searched "
     "with a form: the INSZ never lands in an address or a log."},
    {"home_title", "Helpdesk toegangsbeheer", "Access management helpdesk"},
    {"htb_not_listed",
     "niet meer WV of werknemer volgens de KBO: beheert niets tot een WV "
     "een nieuwe HTB aanstelt",
     "no longer a WV or employee in the KBO: administers nothing until a "
     "WV appoints a new HTB"},
    {"invalid_actor",
     "De vertrouwde header draagt geen geldig INSZ. Er is niets gewijzigd; "
     "controleer de configuratie van de proxy.",
     "The trusted header carries no valid INSZ. Nothing was changed; check the "
     "proxy's configuration."},
    {"language", "Taal", "Language"},
    {"link_expired",
     "Deze link is verlopen (na 30 minuten of bij een herstart). Zoek de "
     "persoon opnieuw.",
     "This link has expired (after 30 minutes or a restart). Search the "
     "person again."},
    {"made", "gemaakt door", "made by"},
    {"managers", "Beheerders", "Managers"},
    {"manual", "handleiding", "manual"},
    {"may_allowed", "Toegestaan (may), gepland op",
     "Allowed (may), planned at"},
    {"member", "Lid", "Member"},
    {"members_title", "Leden", "Members"},
    {"memberships", "Lidmaatschappen en rechten", "Memberships and rights"},
    {"next_page", "Volgende pagina", "Next page"},
    {"no_activation", "geen subafdeling", "no subafdeling"},
    {"no_hits", "Geen personen of ondernemingen met die naam.",
     "No persons or enterprises by that name."},
    {"no_htb", "geen: een WV stelt er een aan (handleiding 3.2)",
     "none: a WV appoints one (manual 3.2)"},
    {"no_rights", "geen rechten", "no rights"},
    {"no_subafdeling_here", "Geen subafdeling voor deze voorziening.",
     "No subafdeling for this facility."},
    {"nobody_fixes",
     "Niemand in het toegangsbeheer kan dit oplossen (een gegeven van de "
     "registers), of het model kent nog niemand.",
     "Nobody in access management can fix this (a fact of the "
     "registries), or the model knows nobody yet."},
    {"none", "geen", "none"},
    {"not_acting",
     "Deze stap vraagt wie handelt, en de proxy voor deze pagina zegt dat "
     "niet: de pagina's wijzigen niets.",
     "This step needs to know who acts, and the proxy in front of this page "
     "does not say: the pages change nothing."},
    {"not_allowed", "niet toegestaan", "not allowed"},
    {"not_found", "Niet gevonden", "Not found"},
    {"nothing_changed", "Er is niets gewijzigd.", "Nothing was changed."},
    {"number_not_found",
     "Geen geldig INSZ, geen gekende onderneming en geen gekende "
     "voorziening met dit nummer.",
     "No valid INSZ, no known enterprise and no known facility with this "
     "number."},
    {"of", "van", "of"},
    {"ocmw_note",
     "Deze onderneming is een OCMW (handleiding 1.1): sommige toepassingen "
     "kan ze enkel op een voorziening van bepaalde types activeren; de "
     "kolom OCMW-regel zegt waar.",
     "This enterprise is an OCMW (manual 1.1): some applications it can "
     "activate only on facilities of certain types; the OCMW rule column "
     "says where."},
    {"older_page", "Oudere wijzigingen", "Older changes"},
    {"open", "open", "open"},
    {"organizer", "Organisator", "Organizer"},
    {"other_language", "English", "Nederlands"},
    {"outcome", "Uitkomst", "Outcome"},
    {"person", "Persoon", "Person"},
    {"phone", "Telefoon", "Phone"},
    {"picture", "Delegatieschema", "Delegation picture"},
    {"picture_note",
     "INSZ-nummers zijn gemaskeerd; rood is wat de toegang breekt.",
     "INSZ numbers are masked; red is what breaks access."},
    {"picture_too_large",
     "Te groot om hier te tekenen; gebruik toegang graph --kbo.",
     "Too large to draw here; use toegang graph --kbo."},
    {"previous_page", "Vorige pagina", "Previous page"},
    {"recent_changes", "Wijzigingen (auditlog, nieuwste eerst)",
     "Changes (audit log, newest first)"},
    {"registry", "register", "registry"},
    {"remove_manager", "Geen beheerder meer:", "No longer manager:"},
    {"remove_subafdeling", "Subafdeling verwijderen", "Remove subafdeling"},
    {"remove_user", "Gebruiker verwijderen", "Remove user"},
    {"results", "Zoekresultaten", "Search results"},
    {"results_for", "Resultaten voor", "Results for"},
    {"revision", "Revisie", "Revision"},
    {"revoke", "Intrekken", "Revoke"},
    {"right", "Recht", "Right"},
    {"rights", "rechten", "rights"},
    {"roles", "Rollen in het toegangsbeheer", "Roles in access management"},
    {"search", "Zoeken", "Search"},
    {"search_is_post", "Zoeken gebeurt met het formulier (POST).",
     "Search with the form (POST)."},
    {"search_label", "INSZ, KBO-nummer, HCO-nummer of naam",
     "INSZ, KBO number, HCO number or name"},
    {"skip", "Naar de inhoud", "Skip to content"},
    {"status", "Status", "Status"},
    {"step_authorize", "Toepassing toekennen (handleiding 3.6)",
     "Authorize an application (manual 3.6)"},
    {"step_capacity", "Hoedanigheid activeren (handleiding 3.4)",
     "Activate the capacity (manual 3.4)"},
    {"step_done", "Gedaan", "Done"},
    {"step_htb", "HTB aanstellen (handleiding 3.2)",
     "Appoint the HTB (manual 3.2)"},
    {"step_is_post", "Een stap gebeurt met het formulier (POST).",
     "A step is taken with the form (POST)."},
    {"step_managers", "Beheerders van de subafdeling (handleiding 3.6)",
     "Managers of the subafdeling (manual 3.6)"},
    {"step_refused", "Geweigerd", "Refused"},
    {"step_remove_subafdeling",
     "Subafdeling verwijderen (met haar gebruikers, rechten en beheerders)",
     "Remove the subafdeling (with its users, rights and managers)"},
    {"step_subafdeling", "Subafdeling aanmaken (handleiding 3.6)",
     "Create a subafdeling (manual 3.6)"},
    {"step_tb", "TB of co-TB van een domein (handleiding 3.5)",
     "TB or co-TB of a domain (manual 3.5)"},
    {"step_user", "Gebruiker toevoegen (handleiding 3.7)",
     "Add a user (manual 3.7)"},
    {"step_withdraw", "Toepassing terugtrekken (trekt de rechten in)",
     "Withdraw an application (revokes its rights)"},
    {"steps", "Stappen van de handleiding", "The manual's steps"},
    {"steps_column", "Stappen", "Steps"},
    {"steps_note",
     "Elke stap wordt eerst nagegaan (may); wat meer wegneemt dan het noemt, "
     "vraagt eerst een bevestiging.",
     "Each step is checked first (may); what takes away more than it names "
     "asks for confirmation first."},
    {"stopped", "gestopt", "stopped"},
    {"stopped_kbo", "Gestopt in de KBO", "Stopped in the KBO"},
    {"subafdelingen", "Subafdelingen", "Subafdelingen"},
    {"subdivision_optional", "Subdivisie (leeg: de enige)",
     "Subdivision (empty: the only one)"},
    {"tb_add_co", "co-TB toevoegen", "add a co-TB"},
    {"tb_remove_co", "co-TB verwijderen", "remove a co-TB"},
    {"tb_set", "TB aanstellen (vervangt de vorige)",
     "appoint the TB (replaces the previous one)"},
    {"the_htb", "de HTB", "the HTB"},
    {"through", "via", "through"},
    {"type", "Type", "Type"},
    {"unknown_person",
     "Deze persoon is onbekend in de federatie: geen enkele toepassing is "
     "toegestaan.",
     "This person is unknown to the federation: no application is "
     "allowed."},
    {"users", "Gebruikers", "Users"},
    {"what", "Wat", "What"},
    {"when", "Wanneer", "When"},
    {"who_fixes", "Wie kan het oplossen", "Who can fix it"},
    {"why", "Waarom", "Why"},
    {"withdraw", "Terugtrekken:", "Withdraw:"},
    {"would_also", "zou ook:", "would also:"},
};

const Text* Find(std::string_view key) {
  for (const Text& t : kTexts) {
    if (t.key == key) return &t;
  }
  return nullptr;
}

}  // namespace

std::string_view Tr(std::string_view key, Lang lang) {
  const Text* t = Find(key);
  if (t == nullptr) return key;
  return lang == Lang::kNl ? t->nl : t->en;
}

bool HasText(std::string_view key) { return Find(key) != nullptr; }

}  // namespace toegang::serve::web
