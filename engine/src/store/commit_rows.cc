#include "store/commit_rows.h"

#include <fmt/format.h>

#include <stdexcept>

#include "base/time_util.h"
#include "model/text_forms.h"
#include "store/history_chain.h"

namespace toegang {

std::vector<RowWrite> OpRowWrites(const Op& op, const Catalogue& catalogue,
                                  const std::string& by_insz, int64_t revision,
                                  const std::string& at) {
  const std::string kbo = KboDigits(op.kbo);
  const std::string insz = InszDigits(op.insz);
  const std::string& cap = catalogue.capacity(op.capacity).code;
  const std::string& sub = catalogue.subdivision(op.subdivision).code;
  const std::string& app = catalogue.application(op.app).code;
  const int64_t id = op.subafdeling;
  switch (op.kind) {
    case Action::kAppointHtb:
      return {
          {"INSERT INTO htb (kbo, insz, email, phone, by_insz, revision, "
           "at, wv_email, wv_phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON "
           "CONFLICT (kbo) DO UPDATE SET insz = excluded.insz, email = "
           "excluded.email, phone = excluded.phone, by_insz = "
           "excluded.by_insz, revision = excluded.revision, at = "
           "excluded.at, wv_email = excluded.wv_email, wv_phone = "
           "excluded.wv_phone",
           {kbo, insz, op.email, op.phone, by_insz, revision, at, op.wv_email,
            op.wv_phone}}};
    case Action::kSetHtbContact:
      // Who appointed the HTB, and when, stays: only the contact changes
      // (the audit row says who changed it).
      return {
          {"UPDATE htb SET email = ?, phone = ?, wv_email = ?, wv_phone "
           "= ? WHERE kbo = ? AND insz = ?",
           {op.email, op.phone, op.wv_email, op.wv_phone, kbo, insz}}};
    case Action::kSetSubafdelingEmail:
      return {
          {"UPDATE subafdeling SET email = ? WHERE id = ?", {op.email, id}}};
    case Action::kActivateCapacity:
      return {
          {"INSERT INTO active_capacity (kbo, capacity, by_insz, "
           "revision, at) VALUES (?, ?, ?, ?, ?)",
           {kbo, cap, by_insz, revision, at}}};
    case Action::kDeactivateCapacity:
      return {{"DELETE FROM active_capacity WHERE kbo = ? AND capacity = ?",
               {kbo, cap}}};
    case Action::kRemoveTb:
      return {
          {"DELETE FROM domain_manager WHERE kbo = ? AND capacity = ? AND "
           "subdivision = ? AND insz = ? AND role = 'tb'",
           {kbo, cap, sub, insz}}};
    case Action::kSetTb:
      // The domain has one TB: the new one replaces whoever held it.
      return {{"DELETE FROM domain_manager WHERE kbo = ? AND capacity = ? AND "
               "subdivision = ? AND role = 'tb'",
               {kbo, cap, sub},
               false},
              {"INSERT INTO domain_manager (kbo, capacity, subdivision, insz, "
               "role, by_insz, revision, at) VALUES (?, ?, ?, ?, 'tb', ?, ?, "
               "?)",
               {kbo, cap, sub, insz, by_insz, revision, at}}};
    case Action::kAddCoTb:
      return {
          {"INSERT INTO domain_manager (kbo, capacity, subdivision, insz, "
           "role, by_insz, revision, at) VALUES (?, ?, ?, ?, 'co_tb', ?, "
           "?, ?)",
           {kbo, cap, sub, insz, by_insz, revision, at}}};
    case Action::kRemoveCoTb:
      return {
          {"DELETE FROM domain_manager WHERE kbo = ? AND capacity = ? AND "
           "subdivision = ? AND insz = ? AND role = 'co_tb'",
           {kbo, cap, sub, insz}}};
    case Action::kCreateSubafdeling:
      return {
          {"INSERT INTO subafdeling (id, kbo, capacity, subdivision, hco, "
           "email, by_insz, revision, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
           "?)",
           {id, kbo, cap, sub, op.hco, op.email, by_insz, revision, at}}};
    case Action::kRemoveSubafdeling:
      return {{"DELETE FROM subafdeling WHERE id = ?", {id}}};
    case Action::kAuthorize:
      return {
          {"INSERT INTO \"authorization\" (subafdeling, application, "
           "by_insz, revision, at) VALUES (?, ?, ?, ?, ?)",
           {id, app, by_insz, revision, at}}};
    case Action::kAddManager:
      return {
          {"INSERT INTO subafdeling_manager (subafdeling, insz, by_insz, "
           "revision, at) VALUES (?, ?, ?, ?, ?)",
           {id, insz, by_insz, revision, at}}};
    case Action::kAddUser:
      return {
          {"INSERT INTO \"user\" (subafdeling, insz, by_insz, revision, "
           "at) VALUES (?, ?, ?, ?, ?)",
           {id, insz, by_insz, revision, at}}};
    case Action::kDeauthorize:
      return {
          {"DELETE FROM \"authorization\" WHERE subafdeling = ? AND "
           "application = ?",
           {id, app}}};
    case Action::kRemoveManager:
      return {
          {"DELETE FROM subafdeling_manager WHERE subafdeling = ? AND "
           "insz = ?",
           {id, insz}}};
    case Action::kRemoveUser:
      return {{"DELETE FROM \"user\" WHERE subafdeling = ? AND insz = ?",
               {id, insz}}};
    case Action::kGrantRight:
      return {
          {"INSERT INTO user_right (subafdeling, insz, application, "
           "by_insz, revision, at) VALUES (?, ?, ?, ?, ?, ?)",
           {id, insz, app, by_insz, revision, at}}};
    case Action::kRevokeRight:
      return {
          {"DELETE FROM user_right WHERE subafdeling = ? AND insz = ? AND "
           "application = ?",
           {id, insz, app}}};
  }
  throw std::runtime_error(
      fmt::format("an op of unknown kind {}", static_cast<int>(op.kind)));
}

Status WriteCommit(CommitRows& rows, const DatabaseKey& key,
                   const Catalogue& catalogue, const ChangeSet& changes,
                   uint64_t expected_revision) {
  const HistoryMark stored = rows.Mark();
  if (stored.revision != expected_revision) {
    return Status::Storage(
        kStaleRevision,
        fmt::format("the database is at revision {}, the engine at {}",
                    stored.revision, expected_revision));
  }
  HistoryLink next(key, stored);
  const uint64_t revision = expected_revision + 1;
  const std::string at = FormatUtc(changes.at);
  const std::string by = InszDigits(changes.actor);
  for (const Op& op : changes.ops) {
    const std::string_view action = ActionName(op.kind);
    for (const RowWrite& w :
         OpRowWrites(op, catalogue, by, static_cast<int64_t>(revision), at)) {
      if (rows.Run(w) != 1 && w.one_row) {
        throw std::runtime_error(fmt::format("{} changed no row", action));
      }
    }
    rows.AfterRows(op);
    const std::string kbo = KboDigits(op.kbo);
    const std::string detail = OpToJson(op, catalogue);
    const std::string message = OpSummary(op, catalogue);
    rows.InsertAudit(revision, changes.at, by, action, kbo, detail, message);
    next.AddRow(changes.at, by, action, kbo, detail, message);
  }
  rows.StoreMark(next.Finish());
  return Status::Ok();
}

std::string NumberedPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (const char c : sql) {
    if (c == '?') {
      out += fmt::format("${}", ++n);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace toegang
