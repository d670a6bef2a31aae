#include "toegang/mutation.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace toegang {
namespace {

constexpr std::array<std::pair<Action, std::string_view>, 19> kNames = {{
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
    {Action::kRemoveTb, "tb.remove"},
    {Action::kDeactivateCapacity, "hoedanigheid.deactivate"},
    {Action::kSetHtbContact, "htb.set-contact"},
    {Action::kSetSubafdelingEmail, "subafdeling.set-email"},
}};

// The words for a group of actions: the groups' own names, the manual's old
// terms (SPEC 2, manual 3.1: VTE for HTB, lokale beheerder for TB,
// co-lokale beheerder for co-TB) and the Dutch words of the roles, as
// GroupKey writes them. "co-tb" is the group of tb.add-co and tb.remove-co
// under the co-TB's own name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 13>
    kGroupWords = {{{"htb", "htb"},
                    {"vte", "htb"},
                    {"hoofdtoegangsbeheerder", "htb"},
                    {"hoedanigheid", "hoedanigheid"},
                    {"tb", "tb"},
                    {"lokale-beheerder", "tb"},
                    {"toegangsbeheerder", "tb"},
                    {"co-tb", "co-tb"},
                    {"co-lokale-beheerder", "co-tb"},
                    {"co-toegangsbeheerder", "co-tb"},
                    {"subafdeling", "subafdeling"},
                    {"user", "user"},
                    {"gebruiker", "user"}}};

// The verbs of the co-tb group and the tb actions they are.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4>
    kCoTbVerbs = {{{"add", "tb.add-co"},
                   {"add-co", "tb.add-co"},
                   {"remove", "tb.remove-co"},
                   {"remove-co", "tb.remove-co"}}};

// word in lower case (ASCII), with spaces, dots and underscores as dashes
// and no dash at either end or twice in a row: "Co-Lokale  Beheerder" and
// "co-lokale.beheerder" are "co-lokale-beheerder".
std::string GroupKey(std::string_view word) {
  std::string key;
  for (char c : word) {
    if (c == ' ' || c == '.' || c == '_' || c == '-' || c == '\t') {
      if (!key.empty() && key.back() != '-') key += '-';
    } else {
      key += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  if (!key.empty() && key.back() == '-') key.pop_back();
  return key;
}

}  // namespace

std::string_view ActionName(Action action) {
  for (const auto& [a, name] : kNames) {
    if (a == action) return name;
  }
  return "unknown";
}

std::optional<std::string_view> ActionGroup(std::string_view word) {
  const std::string key = GroupKey(word);
  for (const auto& [w, group] : kGroupWords) {
    if (w == key) return group;
  }
  return std::nullopt;
}

std::optional<Action> ActionFromName(std::string_view name) {
  for (const auto& [a, n] : kNames) {
    if (n == name) return a;
  }
  // GROUP.VERB, the group in any of its words (which may hold dots).
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::optional<std::string_view> group =
      ActionGroup(name.substr(0, dot));
  if (!group) return std::nullopt;
  const std::string verb = GroupKey(name.substr(dot + 1));
  std::string modern = std::string(*group) + "." + verb;
  if (*group == "co-tb") {
    modern.clear();
    for (const auto& [v, action] : kCoTbVerbs) {
      if (v == verb) modern = action;
    }
  }
  for (const auto& [a, n] : kNames) {
    if (n == modern) return a;
  }
  return std::nullopt;
}

}  // namespace toegang
