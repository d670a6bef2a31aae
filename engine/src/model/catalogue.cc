#include "model/catalogue.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "toegang/error_codes.h"

namespace toegang {
namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)); }

char Lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// text as names are compared: ASCII letters in lower case, white space
// around it dropped and every run of it inside as one space.
std::string NameKey(std::string_view text) {
  std::string key;
  bool gap = false;
  for (char c : text) {
    if (IsSpace(c)) {
      gap = !key.empty();
      continue;
    }
    if (gap) key += ' ';
    gap = false;
    key += Lower(c);
  }
  return key;
}

// Whether a and b name the same thing: "e-loket  AMA wvg" names
// "e-loket AMA WVG".
bool SameName(std::string_view a, std::string_view b) {
  return NameKey(a) == NameKey(b);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Finds text among entries (by code or name, or by an alias when aliases
// is not null); indices limited to those for which keep(i) holds. what:
// "hoedanigheid", "subdivisie", "toepassing".
template <typename Entry, typename Keep>
Result<uint8_t> Find(const std::vector<Entry>& entries, std::string_view text,
                     Keep keep, std::string_view what,
                     std::string_view unknown_code,
                     const std::vector<ApplicationAlias>* aliases = nullptr) {
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
      list += fmt::format("{} (\"{}\"", entries[i].code, entries[i].name);
      if (aliases != nullptr) {
        const char* lead = "; also ";
        for (const ApplicationAlias& a : *aliases) {
          if (a.application != i) continue;
          list += fmt::format("{}\"{}\"", lead, a.alias);
          lead = ", ";
        }
      }
      list += ")";
    }
    return list.empty() ? std::string("(none)") : list;
  };
  if (text.empty()) {
    if (candidates.size() == 1) return candidates.front();
    return Status::InvalidInput(
        code::kUsage, fmt::format("name the {}: one of {}", what, known()));
  }
  for (uint8_t i : candidates) {
    if (SameName(entries[i].code, text) || SameName(entries[i].name, text)) {
      return i;
    }
  }
  if (aliases != nullptr) {
    for (const ApplicationAlias& a : *aliases) {
      if (keep(a.application) && SameName(a.alias, text)) {
        return a.application;
      }
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

bool Catalogue::AddApplicationAlias(std::string alias, AppId application) {
  if (Trim(alias).empty() || application >= applications_.size()) {
    return false;
  }
  for (const ApplicationEntry& e : applications_) {
    if (SameName(e.code, alias) || SameName(e.name, alias)) return false;
  }
  for (const ApplicationAlias& a : aliases_) {
    if (SameName(a.alias, alias)) return false;
  }
  aliases_.push_back({std::move(alias), application});
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
      code::kUnknownApplication, &aliases_);
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
