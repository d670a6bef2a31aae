// The error codes in Dutch (toegang/error_text.h).
#include "toegang/error_text.h"

#include <utility>

#include "toegang/error_codes.h"

namespace toegang {
namespace {

using Entry = std::pair<std::string_view, std::string_view>;

constexpr Entry kDutch[] = {
    // Invalid input.
    {code::kUsage,
     "Het commando is niet volledig of niet juist geschreven. `toegang "
     "COMMANDO --help` toont de opties met voorbeelden."},
    {code::kInvalidInsz,
     "Dit is geen geldig rijksregisternummer (INSZ). Controleer het nummer "
     "op de eID of in het register: de details zeggen wat er niet klopt."},
    {code::kInvalidKbo,
     "Dit is geen geldig ondernemingsnummer (KBO). Gebruik het nummer van "
     "de onderneming, niet dat van een vestigingseenheid."},
    {code::kInvalidHco,
     "Dit is geen geldig HCO-nummer: 1 tot 15 cijfers, zoals CoBRHA het "
     "toont."},
    {code::kInvalidTypeCode,
     "De typecode van een voorziening bestaat uit 3 cijfers, bijvoorbeeld "
     "009."},
    {code::kInvalidEmail,
     "Dit e-mailadres is niet geldig. Een subafdeling heeft een "
     "e-mailadres nodig (handleiding 3.6)."},
    {code::kInvalidPhone,
     "Dit telefoonnummer is niet geldig: 8 tot 15 cijfers."},
    {code::kUnknownCapacity,
     "Deze hoedanigheid bestaat niet. De details noemen de hoedanigheden "
     "die er zijn."},
    {code::kUnknownSubdivision,
     "Deze subdivisie bestaat niet. De details noemen de subdivisies van "
     "de hoedanigheid."},
    {code::kUnknownApplication,
     "Deze toepassing bestaat niet. De details noemen de toepassingen en "
     "hun andere namen."},
    {code::kAmbiguous,
     "Deze voorziening is een subafdeling in meer dan een domein. Voeg "
     "--kbo, --hoedanigheid of --subdivisie toe."},
    {code::kImportRejected,
     "Het bestand werd niet ingelezen: er staan foute rijen in. Verbeter "
     "ze, of lees alleen de goede rijen in met --skip-invalid."},
    {code::kInvalidRow,
     "Deze rij is niet juist: de details noemen de kolom en de waarde."},
    {code::kInvalidHeader,
     "De eerste regel van het bestand is niet de verwachte kolomkop. Een "
     "bestand gescheiden door puntkomma's (;) moet met komma's bewaard "
     "worden."},
    {code::kInvalidName,
     "Een naam in het bestand is geen geldige UTF-8-tekst of bevat een "
     "stuurteken. Bewaar het bestand als UTF-8."},
    {code::kDuplicateInput,
     "Het verzoek geeft een gegeven twee keer. Geef elk gegeven een keer; "
     "de proxy vervangt de identiteitsheaders van de client."},
    {code::kInvalidExtract,
     "Dit is geen volledig KBO Open Data-bestand. De details noemen het "
     "bestand en de regel; een ontbrekend bestand wijst op een onvolledige "
     "download."},
    {code::kConfirmationNeeded,
     "Deze wijziging neemt meer weg dan ze noemt (hierboven). Er is niets "
     "gewijzigd; voer ze opnieuw uit met --yes om door te gaan."},
    {code::kNotEmpty,
     "De doeldatabank bevat al een federatie; er is niets gekopieerd. "
     "Kopieer naar een nieuwe databank: een bestand dat nog niet bestaat, "
     "of een lege PostgreSQL-databank."},
    // Refused by a rule.
    {code::kNotAuthorized,
     "U mag deze wijziging niet uitvoeren. De details noemen wie het wel "
     "mag en het deel van de handleiding."},
    {code::kEnterpriseUnknown,
     "Deze onderneming staat niet in de KBO zoals ingelezen. Controleer het "
     "nummer of lees de KBO-gegevens in (toegang import kbo)."},
    {code::kEnterpriseInactive,
     "Deze onderneming is stopgezet in de KBO. Er kan niets toegekend "
     "worden tot de KBO ze weer als actief vermeldt (handleiding 1.1)."},
    {code::kNotWvOrEmployee,
     "Deze persoon is geen wettelijke vertegenwoordiger of werknemer van de "
     "onderneming en kan geen hoofdtoegangsbeheerder worden (handleiding "
     "3.2.1)."},
    {code::kAlreadyHtb,
     "Deze persoon is al de hoofdtoegangsbeheerder van de onderneming "
     "(handleiding 3.2.2)."},
    {code::kAlreadyActive,
     "Deze hoedanigheid is al geactiveerd voor de onderneming."},
    {code::kCapacityInactive,
     "Deze hoedanigheid is nog niet geactiveerd. De hoofdtoegangsbeheerder "
     "activeert ze eerst (toegang hoedanigheid activate, handleiding 3.4)."},
    {code::kSubdivisionNotInCapacity,
     "Deze subdivisie hoort bij een andere hoedanigheid. Kies een subdivisie "
     "van de gegeven hoedanigheid (handleiding 3.5)."},
    {code::kAlreadyManager,
     "Deze persoon heeft die rol al. Een persoon is geen toegangsbeheerder "
     "en co-toegangsbeheerder van hetzelfde domein (handleiding 3.5)."},
    {code::kNotAManager, "Deze persoon heeft die beheerdersrol niet."},
    {code::kFacilityUnknown,
     "Dit HCO-nummer staat niet in CoBRHA zoals ingelezen. Zoek het op in "
     "CoBRHA en lees het bestand met voorzieningen in; een maatwerkbedrijf "
     "dat er nog niet in staat, contacteert eerst "
     "zorgenwerk.zorg@vlaanderen.be (handleiding 1.1)."},
    {code::kFacilityNotOfEnterprise,
     "Deze voorziening wordt door een andere onderneming georganiseerd. Die "
     "onderneming maakt de subafdeling aan (handleiding 2.1, stap 2C)."},
    {code::kFacilityInactive,
     "Deze voorziening is niet actief in CoBRHA (handleiding 1.1)."},
    {code::kFacilityClosed,
     "CoBRHA vermeldt deze voorziening als gesloten. Dat lost u niet op in "
     "het toegangsbeheer: controleer het HCO-nummer in CoBRHA; andere "
     "vragen over de voorziening: ERANOVA, het contactcenter van eHealth."},
    {code::kFunctionEnded,
     "De KBO vermeldt u niet meer in de functie die deze bevoegdheid "
     "vraagt. Een huidige wettelijke vertegenwoordiger stelt een nieuwe "
     "hoofdtoegangsbeheerder aan (handleiding 3.2)."},
    {code::kExtractGap,
     "Dit KBO-updatebestand volgt niet op het laatst ingelezen bestand. "
     "Lees eerst de ontbrekende in (de details noemen hun nummers), of een "
     "nieuwer volledig bestand, of gebruik --force."},
    {code::kNoFullExtract,
     "Lees eerst het laatste volledige KBO Open Data-bestand in."},
    {code::kAlreadyExists,
     "Deze voorziening is al een subafdeling van dat domein. Pas ze aan "
     "(toegang subafdeling authorize, handleiding 3.6)."},
    {code::kApplicationNotInCapacity,
     "Deze toepassing hoort bij een andere hoedanigheid; de details noemen "
     "welke."},
    {code::kWrongFacilityType,
     "Een OCMW gebruikt e-loket AMA WVG alleen via een voorziening van type "
     "009 of 010; de details noemen die voorzieningen (handleiding 1.1, "
     "3.6)."},
    {code::kSubafdelingUnknown,
     "Deze voorziening is (nog) geen subafdeling. De hoofdtoegangsbeheerder "
     "of een toegangsbeheerder van het domein maakt ze eerst aan (toegang "
     "subafdeling create, handleiding 3.6)."},
    {code::kAlreadyAuthorized,
     "De subafdeling is al gemachtigd voor deze toepassing."},
    {code::kApplicationNotAuthorized,
     "De subafdeling is niet gemachtigd voor deze toepassing. De "
     "hoofdtoegangsbeheerder of een toegangsbeheerder van het domein doet "
     "dat eerst (toegang subafdeling authorize, handleiding 3.6)."},
    {code::kAlreadyUser,
     "Deze persoon is al gebruiker van de subafdeling. Ken rechten toe met "
     "toegang user grant."},
    {code::kNotAUser,
     "Deze persoon is geen gebruiker van de subafdeling. Voeg hem eerst toe "
     "(toegang user add, handleiding 3.7)."},
    {code::kAlreadyGranted, "Deze gebruiker heeft dit recht al."},
    {code::kContactUnchanged,
     "Deze contactgegevens zijn al de bewaarde; er verandert niets."},
    {code::kRightMissing, "Deze gebruiker heeft dit recht niet."},
    // Storage and I/O.
    {code::kStorageError,
     "De databank kon de opdracht niet uitvoeren; er is niets gewijzigd. "
     "Controleer de vrije ruimte en de rechten en probeer opnieuw."},
    {code::kIoError,
     "Een bestand kon niet gelezen of geschreven worden; de details geven "
     "de reden van het besturingssysteem."},
    {code::kNotInitialized,
     "Hier staat geen toegang-databank. Maak er een met toegang init, of "
     "wijs met --db of TOEGANG_DB naar de uwe."},
    {code::kSchemaTooNew,
     "Deze databank is van een nieuwere versie van toegang. Werk toegang "
     "bij; het bestand is niet aangeraakt."},
    {code::kNotADatabase,
     "Dit is geen toegang-databank, of ze is beschadigd. Controleer --db; "
     "zet een beschadigd bestand terug uit een back-up."},
    {code::kRevisionNotReached,
     "De gevraagde wijziging is nog niet vastgelegd, of de gegevens worden "
     "nog geladen. Probeer zo dadelijk opnieuw."},
    {code::kReadOnly,
     "Deze databank kan hier alleen gelezen worden; er is niets gewijzigd. "
     "Maak het bestand en de map schrijfbaar voor deze gebruiker."},
    {code::kVerifyFailed, "De controle vond problemen; ze staan hieronder."},
    {code::kFileExists,
     "Dat bestand bestaat al. Kies een andere naam, of vervang het met "
     "--force waar het commando dat toelaat."},
    {code::kInternal,
     "Er liep iets mis binnen toegang. Bij te weinig geheugen: geef het "
     "proces meer en probeer opnieuw; anders: meld het aan de beheerders "
     "van toegang, met de details."},
    // The HTTP service and the C API.
    {code::kNotFound, "Deze pagina of dit adres bestaat niet."},
    {code::kMissingInsz,
     "Het verzoek noemt geen persoon: de proxy zet de INSZ-header na het "
     "aanmelden met de eID."},
    {code::kNullArgument, "Een verplicht argument ontbreekt (NULL)."},
    {code::kBufferTooSmall,
     "De buffer is te klein voor de voorzieningen; de details zeggen "
     "hoeveel bytes nodig zijn."},
    {code::kNoHtb,
     "De onderneming heeft nog geen hoofdtoegangsbeheerder. Een wettelijke "
     "vertegenwoordiger stelt er een aan (handleiding 3.2)."},
    {code::kNoSubafdeling,
     "Deze voorziening is geen subafdeling in de hoedanigheid van de "
     "toepassing (handleiding 3.6)."},
};

}  // namespace

std::string_view DutchErrorText(std::string_view c) {
  for (const auto& [key, text] : kDutch) {
    if (key == c) return text;
  }
  return {};
}

}  // namespace toegang
