#include "store/part_load.h"

#include <set>
#include <utility>

#include "model/text_forms.h"

namespace toegang {
namespace {

// A load step's statement over the part's rows (load_replay.h's columns).
// The persons: the named ones and everyone the part's rows name, as
// subject or as maker (explanations name the makers).
std::string_view PartStepSql(LoadStep step) {
  switch (step) {
    case LoadStep::kEnterprises:
      return "SELECT kbo, name, active, juridical_form, start_date FROM "
             "enterprise WHERE kbo IN ({reach})";
    case LoadStep::kPersons:
      return "SELECT insz, name FROM person WHERE insz IN ({persons} UNION "
             "SELECT insz FROM function WHERE kbo IN ({full}) UNION SELECT "
             "insz FROM htb WHERE kbo IN ({full}) UNION SELECT by_insz FROM "
             "htb WHERE kbo IN ({full}) UNION SELECT by_insz FROM "
             "active_capacity WHERE kbo IN ({full}) UNION SELECT insz FROM "
             "domain_manager WHERE kbo IN ({full}) UNION SELECT by_insz FROM "
             "domain_manager WHERE kbo IN ({full}) UNION SELECT by_insz FROM "
             "subafdeling WHERE kbo IN ({full}) UNION SELECT a.by_insz FROM "
             "\"authorization\" a JOIN subafdeling s ON s.id = a.subafdeling "
             "WHERE s.kbo IN ({full}) UNION SELECT m.insz FROM "
             "subafdeling_manager m JOIN subafdeling s ON s.id = m.subafdeling "
             "WHERE s.kbo IN ({full}) UNION SELECT m.by_insz FROM "
             "subafdeling_manager m JOIN subafdeling s ON s.id = m.subafdeling "
             "WHERE s.kbo IN ({full}) UNION SELECT u.insz FROM \"user\" u JOIN "
             "subafdeling s ON s.id = u.subafdeling WHERE s.kbo IN ({full}) "
             "UNION SELECT u.by_insz FROM \"user\" u JOIN subafdeling s ON "
             "s.id = u.subafdeling WHERE s.kbo IN ({full}) UNION SELECT "
             "r.by_insz FROM user_right r JOIN subafdeling s ON s.id = "
             "r.subafdeling WHERE s.kbo IN ({full}))";
    case LoadStep::kFunctions:
      return "SELECT kbo, insz, role FROM function WHERE kbo IN ({full})";
    case LoadStep::kEndedFunctions:
      return "SELECT kbo, insz FROM function_ended WHERE role = "
             "'legal_representative' AND kbo IN ({full})";
    case LoadStep::kFacilities:
      return "SELECT hco, name, type_code, kbo, active FROM facility WHERE kbo "
             "IN ({reach})";
    case LoadStep::kHtbs:
      return "SELECT kbo, insz, email, phone, by_insz, revision, at, "
             "wv_email, wv_phone FROM htb "
             "WHERE kbo IN ({full} UNION ALL {lkbo})";
    case LoadStep::kActiveCapacities:
      return "SELECT kbo, capacity, by_insz, revision, at FROM active_capacity "
             "WHERE kbo IN ({full} UNION ALL {lkbo})";
    case LoadStep::kDomainManagers:
      return "SELECT kbo, capacity, subdivision, insz, role, by_insz, "
             "revision, at FROM domain_manager WHERE kbo IN ({full})";
    case LoadStep::kSubafdelingen:
      return "SELECT id, kbo, capacity, subdivision, hco, email, by_insz, "
             "revision, at FROM subafdeling WHERE kbo IN ({full}) UNION ALL "
             "SELECT id, kbo, capacity, subdivision, hco, email, by_insz, "
             "revision, at FROM subafdeling WHERE id IN ({lsub}) ORDER BY id";
    case LoadStep::kAuthorizations:
      return "SELECT subafdeling, application, by_insz, revision, at FROM "
             "\"authorization\" WHERE subafdeling IN (SELECT id FROM "
             "subafdeling WHERE kbo IN ({full}) UNION ALL {lsub})";
    case LoadStep::kSubafdelingManagers:
      return "SELECT subafdeling, insz, by_insz, revision, at FROM "
             "subafdeling_manager WHERE subafdeling IN (SELECT id FROM "
             "subafdeling WHERE kbo IN ({full}))";
    case LoadStep::kUsers:
      return "SELECT subafdeling, insz, by_insz, revision, at FROM \"user\" "
             "WHERE subafdeling IN (SELECT id FROM subafdeling WHERE kbo IN "
             "({full})) UNION ALL SELECT subafdeling, insz, by_insz, revision, "
             "at FROM \"user\" WHERE insz IN ({holders}) AND +subafdeling IN "
             "({lsub}) ORDER BY subafdeling";
    case LoadStep::kUserRights:
      return "SELECT subafdeling, insz, application, by_insz, revision, at "
             "FROM user_right WHERE subafdeling IN (SELECT id FROM subafdeling "
             "WHERE kbo IN ({full})) UNION ALL SELECT r.subafdeling, r.insz, "
             "r.application, r.by_insz, r.revision, r.at FROM \"user\" u JOIN "
             "user_right r ON r.subafdeling = u.subafdeling AND r.insz = "
             "u.insz WHERE u.insz IN ({holders}) AND +u.subafdeling IN "
             "({lsub}) ORDER BY 1";
  }
  return "";  // not reached: every step is a case above
}

// One column of text per row, appended to *out.
LoadRowFn Collect(std::vector<std::string>* out) {
  return [out](const LoadRow& row) { out->emplace_back(row.Text(0)); };
}

}  // namespace

std::string_view PartSetName(PartSet set) {
  static constexpr std::array<std::string_view, kPartSets> kNames = {
      "kbos",    "inszs",   "hcos", "full", "reach",
      "persons", "holders", "lsub", "lkbo"};
  return kNames[static_cast<size_t>(set)];
}

std::string ExpandPartSql(
    std::string_view sql,
    const std::function<std::string(PartSet, int)>& placeholder,
    std::vector<PartSet>* order) {
  std::string out;
  out.reserve(sql.size() + 64);
  size_t at = 0;
  while (at < sql.size()) {
    const size_t open = sql.find('{', at);
    const size_t close =
        open == std::string_view::npos ? open : sql.find('}', open);
    if (close == std::string_view::npos) {
      out.append(sql.substr(at));
      break;
    }
    out.append(sql.substr(at, open - at));
    const std::string_view name = sql.substr(open + 1, close - open - 1);
    bool known = false;
    for (size_t s = 0; s < kPartSets; ++s) {
      if (PartSetName(static_cast<PartSet>(s)) == name) {
        order->push_back(static_cast<PartSet>(s));
        out += placeholder(static_cast<PartSet>(s),
                           static_cast<int>(order->size()));
        known = true;
        break;
      }
    }
    if (!known) out.append(sql.substr(open, close + 1 - open));
    at = close + 1;
  }
  return out;
}

// The part's enterprises, found from what the scope names: each person's
// by every table that ties a person to an enterprise (SQLite's indexes
// function_by_insz and user_by_insz; htb, domain_manager and
// subafdeling_manager are small enough to scan), each facility's
// organizer and the enterprises with a subafdeling there.
PartSets FindPart(const LoadScope& scope, const PartRunner& run) {
  PartSets part;
  for (uint64_t k : scope.enterprises) {
    part[PartSet::kKbos].push_back(KboDigits(k));
  }
  for (uint64_t p : scope.persons) {
    part[PartSet::kInszs].push_back(InszDigits(p));
  }
  part[PartSet::kHcos] = scope.facilities;
  run("SELECT kbo FROM enterprise WHERE kbo IN ({kbos}) "
      "UNION SELECT kbo FROM function WHERE insz IN ({inszs}) "
      "UNION SELECT kbo FROM htb WHERE insz IN ({inszs}) "
      "UNION SELECT kbo FROM domain_manager WHERE insz IN ({inszs}) "
      "UNION SELECT s.kbo FROM subafdeling_manager m JOIN subafdeling s ON "
      "s.id = m.subafdeling WHERE m.insz IN ({inszs}) "
      "UNION SELECT s.kbo FROM \"user\" u JOIN subafdeling s ON s.id = "
      "u.subafdeling WHERE u.insz IN ({inszs}) "
      "UNION SELECT kbo FROM facility WHERE hco IN ({hcos}) "
      "UNION SELECT kbo FROM subafdeling WHERE hco IN ({hcos})",
      part, Collect(&part[PartSet::kFull]));
  std::set<std::string> reach(part[PartSet::kFull].begin(),
                              part[PartSet::kFull].end());
  part[PartSet::kPersons] = part[PartSet::kInszs];
  if (!scope.right_holders.empty()) {
    // The right holders' subafdelingen outside the full enterprises, and
    // those subafdelingen's enterprises (row, HTB, capacities).
    for (uint64_t p : scope.right_holders) {
      part[PartSet::kHolders].push_back(InszDigits(p));
      part[PartSet::kPersons].push_back(InszDigits(p));
    }
    std::set<std::string> lkbo;
    run("SELECT DISTINCT u.subafdeling, s.kbo FROM \"user\" u JOIN "
        "subafdeling s ON s.id = u.subafdeling WHERE u.insz IN ({holders}) "
        "AND s.kbo NOT IN ({full})",
        part, [&](const LoadRow& row) {
          part[PartSet::kLsub].emplace_back(row.Text(0));
          lkbo.emplace(row.Text(1));
        });
    part[PartSet::kLkbo].assign(lkbo.begin(), lkbo.end());
    reach.insert(lkbo.begin(), lkbo.end());
  }
  // Enterprises that organize a facility a subafdeling of the part is at:
  // their row and their facilities, so that the facility is what the full
  // load makes of it.
  run("SELECT f.kbo FROM subafdeling s JOIN facility f ON f.hco = s.hco "
      "WHERE s.kbo IN ({full}) UNION SELECT f.kbo FROM subafdeling s JOIN "
      "facility f ON f.hco = s.hco WHERE s.id IN ({lsub})",
      part, [&](const LoadRow& row) { reach.emplace(row.Text(0)); });
  part[PartSet::kReach].assign(reach.begin(), reach.end());
  return part;
}

void ReplayPart(LoadSink* sink, const PartSets& part, const PartRunner& run) {
  // Room for what follows (persons also arrive through links; those few
  // grow as usual).
  auto count = [&](std::string_view sql) {
    size_t n = 0;
    run(sql, part,
        [&](const LoadRow& row) { n = static_cast<size_t>(row.Integer(0)); });
    return n;
  };
  sink->Reserve(
      count("SELECT count(*) FROM function WHERE kbo IN ({full})"),
      part[PartSet::kReach].size(),
      count("SELECT count(*) FROM facility WHERE kbo IN ({reach})"),
      count("SELECT count(*) FROM subafdeling WHERE kbo IN ({full})"));
  ReplayLoad(sink, [&](LoadStep step, const LoadRowFn& row_fn) {
    run(PartStepSql(step), part, row_fn);
  });
}

}  // namespace toegang
