#include "store/import_ledger.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "model/text_forms.h"

namespace toegang {

ImportAuditRow ImportLedger::Enterprise(const std::string& kbo, bool active,
                                        const std::string& reason) {
  ++(active ? changes_.enterprises_reactivated : changes_.enterprises_stopped);
  delta_.enterprises.push_back({FromDigits(kbo).value_or(0), active, !active});
  return {"import.enterprise", kbo,
          nlohmann::json{{"kbo", kbo},
                         {"active", active},
                         {"change", active ? "reactivated" : "stopped"},
                         {"old", active ? "stopped" : "active"},
                         {"new", active ? "active" : "stopped"},
                         {"source", reason}}
              .dump(),
          fmt::format("enterprise {} {} in the KBO ({})",
                      KboDisplay(FromDigits(kbo).value_or(0)),
                      active ? "active again" : "stopped", reason)};
}

ImportAuditRow ImportLedger::Function(const std::string& kbo,
                                      const std::string& insz,
                                      const std::string& role, bool added,
                                      const std::string& source) {
  ++(added ? changes_.functions_added : changes_.functions_ended);
  const bool wv = role == "legal_representative";
  return {"import.function", kbo,
          nlohmann::json{{"kbo", kbo},
                         {"insz", insz},
                         {"role", role},
                         {"change", added ? "added" : "ended"},
                         {"old", added ? "none" : role},
                         {"new", added ? role : "none"},
                         {"source", source}}
              .dump(),
          fmt::format("{} {} of {} {} in the functions registry ({})",
                      wv ? "legal representative (WV)" : "employee",
                      InszDisplay(FromDigits(insz).value_or(0)),
                      KboDisplay(FromDigits(kbo).value_or(0)),
                      added ? "added" : "ended", source)};
}

ImportAuditRow ImportLedger::FacilityUnlisted(const std::string& hco,
                                              const std::string& kbo,
                                              const std::string& source) {
  ++changes_.facilities_closed;
  const uint64_t organizer = FromDigits(kbo).value_or(0);
  delta_.facilities.push_back(
      {hco, false, organizer, true, organizer, "", "", /*added=*/false});
  return {"import.facility", kbo,
          nlohmann::json{{"hco", hco},
                         {"kbo", kbo},
                         {"change", "closed"},
                         {"old", "active"},
                         {"new", "closed"},
                         {"reason", "not listed in the whole registry"},
                         {"source", source}}
              .dump(),
          fmt::format("facility HCO {} closed: the CoBRHA file {} (the whole "
                      "registry) does not list it",
                      hco, source)};
}

void ImportLedger::FacilityAdded(const FacilityRow& row) {
  delta_.facilities.push_back({row.hco.str(), row.active, row.kbo.value(),
                               false, 0, row.type_code.str(), "",
                               /*added=*/true});
}

std::vector<ImportAuditRow> ImportLedger::Facility(const FacilityRow& row,
                                                   const std::string& old_type,
                                                   const std::string& old_kbo,
                                                   bool was_active,
                                                   const std::string& source) {
  std::vector<ImportAuditRow> rows;
  const std::string kbo = row.kbo.ToString();
  if (was_active == row.active && old_kbo == kbo &&
      old_type == row.type_code.str()) {
    return rows;
  }
  // A move is news for both organizers: audit it under each.
  if (old_kbo != kbo) {
    ++changes_.facilities_moved;
    rows.push_back({"import.facility", old_kbo,
                    nlohmann::json{{"hco", row.hco.str()},
                                   {"moved_to", kbo},
                                   {"change", "moved"},
                                   {"old", old_kbo},
                                   {"new", kbo},
                                   {"source", source}}
                        .dump(),
                    fmt::format("facility HCO {} moved in CoBRHA to {}; its "
                                "subafdelingen here grant nothing any more",
                                row.hco.str(), row.kbo.Display())});
  }
  if (was_active != row.active) {
    ++(row.active ? changes_.facilities_reopened : changes_.facilities_closed);
  }
  const bool retyped = old_type != row.type_code.str();
  delta_.facilities.push_back({row.hco.str(), row.active, row.kbo.value(),
                               was_active, FromDigits(old_kbo).value_or(0),
                               retyped ? row.type_code.str() : "",
                               retyped ? old_type : ""});
  rows.push_back(
      {"import.facility", kbo,
       nlohmann::json{{"hco", row.hco.str()},
                      {"active", row.active},
                      {"type_code", row.type_code.str()},
                      {"kbo", kbo},
                      {"previous_kbo", old_kbo},
                      {"change", was_active == row.active
                                     ? (old_kbo != kbo ? "moved" : "type")
                                     : (row.active ? "reopened" : "closed")},
                      {"old", nlohmann::json{{"active", was_active},
                                             {"type_code", old_type},
                                             {"kbo", old_kbo}}},
                      {"new", nlohmann::json{{"active", row.active},
                                             {"type_code", row.type_code.str()},
                                             {"kbo", kbo}}},
                      {"source", source}}
           .dump(),
       fmt::format("facility HCO {} {} in CoBRHA (type {}, organized by {})",
                   row.hco.str(),
                   was_active == row.active
                       ? "changed"
                       : (row.active ? "reopened" : "closed"),
                   row.type_code.str(), row.kbo.Display())});
  return rows;
}

int DenominationRank(const DenominationRow& row) {
  const int type_rank = row.type == "001"   ? 0
                        : row.type == "003" ? 1
                        : row.type == "002" ? 2
                                            : 3;
  static constexpr int kLanguageRank[] = {4, 1, 0, 2, 3};
  const int lang =
      row.language >= 0 && row.language <= 4 ? kLanguageRank[row.language] : 5;
  return type_rank * 10 + lang;
}

}  // namespace toegang
