#include "catalogue.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "toegang/error_codes.h"

namespace toegang {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

// Finds text among entries (by code or name); indices limited to those
// for which keep(i) holds. what: "hoedanigheid", "subdivisie", "toepassing".
template <typename Entry, typename Keep>
Result<uint8_t> Find(const std::vector<Entry>& entries, std::string_view text,
                     Keep keep, std::string_view what,
                     std::string_view unknown_code) {
  text = Trim(text);
  // The common case first, without building anything: the exact code.
  if (!text.empty()) {
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].code == text && keep(i)) return static_cast<uint8_t>(i);
    }
  }
  std::vector<uint8_t> candidates;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (keep(i)) candidates.push_back(static_cast<uint8_t>(i));
  }
  auto known = [&] {
    std::string list;
    for (uint8_t i : candidates) {
      if (!list.empty()) list += ", ";
      list += fmt::format("{} (\"{}\")", entries[i].code, entries[i].name);
    }
    return list.empty() ? std::string("(none)") : list;
  };
  if (text.empty()) {
    if (candidates.size() == 1) return candidates.front();
    return Status::InvalidInput(
        code::kUsage, fmt::format("name the {}: one of {}", what, known()));
  }
  for (uint8_t i : candidates) {
    if (EqualsIgnoreCase(entries[i].code, text) ||
        EqualsIgnoreCase(entries[i].name, text)) {
      return i;
    }
  }
  return Status::InvalidInput(
      unknown_code,
      fmt::format("unknown {} \"{}\"; known: {}", what, text, known()));
}

}  // namespace

bool Catalogue::AddCapacity(CapacityEntry e) {
  if (capacities_.size() >= kMaxCapacities) return false;
  capacities_.push_back(std::move(e));
  return true;
}

bool Catalogue::AddSubdivision(SubdivisionEntry e) {
  if (subdivisions_.size() >= 255) return false;
  subdivisions_.push_back(std::move(e));
  return true;
}

bool Catalogue::AddApplication(ApplicationEntry e) {
  if (applications_.size() >= kMaxApplications) return false;
  applications_.push_back(std::move(e));
  return true;
}

void Catalogue::AddFacilityRule(AppId app, std::string trigger,
                                std::string allowed) {
  auto it = std::find_if(rules_.begin(), rules_.end(),
                         [&](const auto& r) { return r.application == app; });
  if (it == rules_.end()) {
    rules_.push_back(FacilityRule{app, {}, {}});
    it = rules_.end() - 1;
  }
  auto add_unique = [](std::vector<std::string>& v, std::string s) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
  };
  add_unique(it->trigger_types, std::move(trigger));
  add_unique(it->allowed_types, std::move(allowed));
}

Result<CapacityId> Catalogue::FindCapacity(std::string_view text) const {
  return Find(
      capacities_, text, [](size_t) { return true; }, "hoedanigheid",
      code::kUnknownCapacity);
}

Result<SubdivisionId> Catalogue::FindSubdivision(std::string_view text,
                                                 CapacityId capacity) const {
  return Find(
      subdivisions_, text,
      [&](size_t i) { return subdivisions_[i].capacity == capacity; },
      "subdivisie", code::kUnknownSubdivision);
}

Result<AppId> Catalogue::FindApplication(std::string_view text) const {
  if (Trim(text).empty()) {
    return Status::InvalidInput(code::kUsage,
                                "name the application (toepassing), e.g. "
                                "ama-wvg");
  }
  return Find(
      applications_, text, [](size_t) { return true; }, "toepassing",
      code::kUnknownApplication);
}

Result<std::vector<AppId>> Catalogue::FindApplications(
    const std::vector<std::string>& texts) const {
  std::vector<AppId> ids;
  for (const std::string& t : texts) {
    Result<AppId> id = FindApplication(t);
    if (!id.ok()) return id.status();
    if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
  }
  return ids;
}

}  // namespace toegang
