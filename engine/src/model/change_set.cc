#include "model/change_set.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "model/text_forms.h"

namespace toegang {
namespace {

// Which fields an op kind carries, so the JSON and the summary name only
// what matters.
bool HasDomain(Action k) {
  return k == Action::kSetTb || k == Action::kAddCoTb ||
         k == Action::kRemoveCoTb || k == Action::kRemoveTb ||
         k == Action::kCreateSubafdeling;
}
bool HasCapacity(Action k) {
  return HasDomain(k) || k == Action::kActivateCapacity ||
         k == Action::kDeactivateCapacity;
}
bool HasSubafdeling(Action k) {
  return k != Action::kAppointHtb && k != Action::kSetHtbContact &&
         k != Action::kActivateCapacity && k != Action::kDeactivateCapacity &&
         k != Action::kSetTb && k != Action::kAddCoTb &&
         k != Action::kRemoveCoTb && k != Action::kRemoveTb;
}
bool HasPerson(Action k) {
  return k != Action::kActivateCapacity && k != Action::kDeactivateCapacity &&
         k != Action::kCreateSubafdeling && k != Action::kSetSubafdelingEmail &&
         k != Action::kAuthorize && k != Action::kDeauthorize &&
         k != Action::kRemoveSubafdeling;
}
bool HasApp(Action k) {
  return k == Action::kAuthorize || k == Action::kDeauthorize ||
         k == Action::kGrantRight || k == Action::kRevokeRight;
}

}  // namespace

std::string OpToJson(const Op& op, const Catalogue& catalogue) {
  nlohmann::json j;
  j["op"] = ActionName(op.kind);
  j["kbo"] = KboDigits(op.kbo);
  if (HasCapacity(op.kind)) {
    j["hoedanigheid"] = catalogue.capacity(op.capacity).code;
  }
  if (HasDomain(op.kind)) {
    j["subdivisie"] = catalogue.subdivision(op.subdivision).code;
  }
  if (HasSubafdeling(op.kind)) {
    j["subafdeling"] = op.subafdeling;
    j["hco"] = op.hco;
  }
  if (HasPerson(op.kind)) j["insz"] = InszDigits(op.insz);
  if (HasApp(op.kind)) j["app"] = catalogue.application(op.app).code;
  if (!op.email.empty()) j["email"] = op.email;
  if (!op.phone.empty()) j["phone"] = op.phone;
  if (!op.wv_email.empty()) j["wv_email"] = op.wv_email;
  if (!op.wv_phone.empty()) j["wv_phone"] = op.wv_phone;
  if (op.previous != 0) j["previous"] = InszDigits(op.previous);
  if (!op.cause.empty()) j["cause"] = op.cause;
  // An e-mail address may hold bytes that are not UTF-8; replace them rather
  // than let nlohmann throw (no exception crosses the engine's API).
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Op> OpFromJson(std::string_view json,
                             const Catalogue& catalogue) {
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object() || !j.contains("op") || !j["op"].is_string()) {
    return std::nullopt;
  }
  std::optional<Action> kind = ActionFromName(j["op"].get<std::string>());
  if (!kind) return std::nullopt;
  Op op;
  op.kind = *kind;
  // Each field is text of digits or a catalogue code; anything else means
  // the row is not one this build wrote.
  auto text = [&](const char* key) -> std::string {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : "";
  };
  auto number = [&](const char* key, uint64_t* out) {
    const std::string t = text(key);
    if (t.empty()) return true;  // not carried by this op kind
    std::optional<uint64_t> v = FromDigits(t);
    if (v) *out = *v;
    return v.has_value();
  };
  if (!number("kbo", &op.kbo) || !number("insz", &op.insz) ||
      !number("previous", &op.previous)) {
    return std::nullopt;
  }
  if (j.contains("hoedanigheid")) {
    Result<CapacityId> c = catalogue.FindCapacity(text("hoedanigheid"));
    if (!c.ok()) return std::nullopt;
    op.capacity = *c;
  }
  if (j.contains("subdivisie")) {
    Result<SubdivisionId> s =
        catalogue.FindSubdivision(text("subdivisie"), op.capacity);
    if (!s.ok()) return std::nullopt;
    op.subdivision = *s;
  }
  if (j.contains("app")) {
    Result<AppId> a = catalogue.FindApplication(text("app"));
    if (!a.ok()) return std::nullopt;
    op.app = *a;
  }
  if (auto it = j.find("subafdeling"); it != j.end()) {
    if (!it->is_number_integer()) return std::nullopt;
    op.subafdeling = it->get<int64_t>();
  }
  op.hco = text("hco");
  op.email = text("email");
  op.phone = text("phone");
  op.wv_email = text("wv_email");
  op.wv_phone = text("wv_phone");
  op.cause = text("cause");
  return op;
}

std::string OpSummary(const Op& op, const Catalogue& catalogue) {
  std::string s(ActionName(op.kind));
  s += fmt::format(" kbo={:010}", op.kbo);
  if (HasCapacity(op.kind)) {
    s += " hoedanigheid=" + catalogue.capacity(op.capacity).code;
  }
  if (HasDomain(op.kind)) {
    s += " subdivisie=" + catalogue.subdivision(op.subdivision).code;
  }
  if (HasSubafdeling(op.kind)) s += " hco=" + op.hco;
  if (HasPerson(op.kind)) s += fmt::format(" insz={:011}", op.insz);
  if (HasApp(op.kind)) s += " app=" + catalogue.application(op.app).code;
  if (op.previous != 0) s += fmt::format(" (replaces {:011})", op.previous);
  if (!op.cause.empty()) s += " (because of " + op.cause + ")";
  return s;
}

}  // namespace toegang
