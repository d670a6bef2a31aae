#include "toegang/mutation.h"

#include <array>
#include <utility>

namespace toegang {
namespace {

constexpr std::array<std::pair<Action, std::string_view>, 15> kNames = {{
    {Action::kAppointHtb, "htb.appoint"},
    {Action::kActivateCapacity, "hoedanigheid.activate"},
    {Action::kSetTb, "tb.set"},
    {Action::kAddCoTb, "tb.add-co"},
    {Action::kRemoveCoTb, "tb.remove-co"},
    {Action::kCreateSubafdeling, "subafdeling.create"},
    {Action::kAuthorize, "subafdeling.authorize"},
    {Action::kDeauthorize, "subafdeling.deauthorize"},
    {Action::kRemoveSubafdeling, "subafdeling.remove"},
    {Action::kAddManager, "subafdeling.add-beheerder"},
    {Action::kRemoveManager, "subafdeling.remove-beheerder"},
    {Action::kAddUser, "user.add"},
    {Action::kGrantRight, "user.grant"},
    {Action::kRevokeRight, "user.revoke"},
    {Action::kRemoveUser, "user.remove"},
}};

// The manual's old terms (SPEC 2): VTE for HTB, lokale beheerder for TB.
// "gebruiker" is the Dutch word for user, accepted like the CLI accepts it.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3>
    kOldPrefixes = {{{"vte.", "htb."},
                     {"lokale-beheerder.", "tb."},
                     {"gebruiker.", "user."}}};

}  // namespace

std::string_view ActionName(Action action) {
  for (const auto& [a, name] : kNames) {
    if (a == action) return name;
  }
  return "unknown";
}

std::optional<Action> ActionFromName(std::string_view name) {
  std::string modern(name);
  for (const auto& [old_prefix, new_prefix] : kOldPrefixes) {
    if (name.substr(0, old_prefix.size()) == old_prefix) {
      modern =
          std::string(new_prefix) + std::string(name.substr(old_prefix.size()));
    }
  }
  for (const auto& [a, n] : kNames) {
    if (n == modern) return a;
  }
  return std::nullopt;
}

}  // namespace toegang
