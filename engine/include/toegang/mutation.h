// Mutation: one change to the delegation state, as an actor asks for it
// (SPEC 4.4). Every field is text as the caller has it (CLI arguments, a
// gateway's request); the engine parses and validates all of it, so a bad
// identifier or an unknown code comes back as kInvalidInput, never as a
// half-applied change.
//
// Thread safety: plain value type.
#ifndef TOEGANG_MUTATION_H_
#define TOEGANG_MUTATION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace toegang {

// The mutations of SPEC 4.4, with the manual section that describes each.
enum class Action {
  kAppointHtb,         // 3.2   htb appoint
  kActivateCapacity,   // 3.4   hoedanigheid activate
  kSetTb,              // 3.5.1 tb set
  kAddCoTb,            // 3.5.2 tb add-co
  kRemoveCoTb,         // 3.5.2 tb remove-co
  kCreateSubafdeling,  // 3.6   subafdeling create
  kAuthorize,          // 3.6   subafdeling authorize
  kDeauthorize,        // 3.6   subafdeling deauthorize
  kRemoveSubafdeling,  //       subafdeling remove
  kAddManager,         // 3.6   subafdeling add-beheerder
  kRemoveManager,      //       subafdeling remove-beheerder
  kAddUser,            // 3.7   user add
  kGrantRight,         // 3.7   user grant
  kRevokeRight,        // 3.7   user revoke
  kRemoveUser,         // 3.7   user remove
  // Undoing roles (docs/model.md "Undoing roles"); added after the first
  // fifteen, so that no earlier value changes.
  kRemoveTb,            // 3.5.1 tb remove: the HTB manages the domain again
  kDeactivateCapacity,  // 3.4   hoedanigheid deactivate, with its domains
  // Contact data that can change (docs/model.md "Contact data").
  kSetHtbContact,        // 3.2.2 htb set-contact: the HTB's e-mail, phone
  kSetSubafdelingEmail,  // 3.6   subafdeling set-email
};

// Stable name of an action, as written in the audit log: "htb.appoint",
// "hoedanigheid.activate", "tb.set", "tb.add-co", "tb.remove-co",
// "subafdeling.create", "subafdeling.authorize", "subafdeling.deauthorize",
// "subafdeling.remove", "subafdeling.add-beheerder",
// "subafdeling.remove-beheerder", "user.add", "user.grant", "user.revoke",
// "user.remove", "tb.remove", "hoedanigheid.deactivate", "htb.set-contact",
// "subafdeling.set-email".
std::string_view ActionName(Action action);
// The inverse of ActionName. Also accepts the group in any of the words
// ActionGroup knows ("vte.appoint", "lokale-beheerder.set",
// "co-lokale beheerder.add", "gebruiker.grant"), case-insensitively, and
// the co-TB's own group: "co-tb.add" is "tb.add-co", "co-tb.remove" is
// "tb.remove-co". nullopt when unknown.
std::optional<Action> ActionFromName(std::string_view name);

// The group of actions (the CLI's command) a word names: "htb",
// "hoedanigheid", "tb", "co-tb", "subafdeling" or "user". Besides these,
// the manual's old terms (manual 3.1): "vte" (HTB), "lokale beheerder" (TB),
// "co-lokale beheerder" (co-TB), and the Dutch words "hoofdtoegangsbeheerder",
// "toegangsbeheerder", "co-toegangsbeheerder", "gebruiker". Case does not
// matter, and spaces, dots, underscores and dashes are all one separator
// ("co-lokale beheerder" = "co-lokale-beheerder"). nullopt when unknown.
std::optional<std::string_view> ActionGroup(std::string_view word);

struct Mutation {
  Action action = Action::kAppointHtb;
  // INSZ of the person asking (toegang does not authenticate: the caller
  // asserts it, the rules decide what it may do). Required.
  std::string actor;

  // Target, as the action needs it (unused fields are ignored):
  std::string kbo;          // enterprise; optional where hco identifies it
  std::string capacity;     // hoedanigheid code or name; optional while only
                            // one exists
  std::string subdivision;  // subdivisie code or name; optional likewise
  std::string hco;          // facility / subafdeling
  std::string insz;         // the person appointed, added, granted ...
  std::string email;        // htb appoint, set-contact; subafdeling create,
                            // set-email
  std::string phone;        // htb appoint, set-contact
  // The appointing WV's own e-mail and phone (manual 3.2.3 "uw e-mailadres
  // en uw telefoonnummer"): htb appoint, htb set-contact.
  std::string wv_email;
  std::string wv_phone;
  // Applications (--app): subafdeling create, authorize/deauthorize
  // (exactly one), user add, grant/revoke (exactly one).
  std::vector<std::string> applications;
  // subafdeling create --beheerder: named subafdeling managers.
  std::vector<std::string> managers;
};

}  // namespace toegang

#endif  // TOEGANG_MUTATION_H_
