// GenerateFederation: plans the federation in memory (federation_plan.cc),
// then writes every table with prepared statements in one transaction; the
// four big tables (persons, functions, users, rights) through multi-row
// INSERTs (batch_insert.h), which halves the time per row.
//
// Why the file is written this way:
//  - Engine::Open creates it, so the schema, the catalogue and the 0600
//    mode are the engine's own.
//  - During the bulk load the connection runs with synchronous=OFF, an
//    in-memory rollback journal and a large page cache: the file is a
//    temporary one until the end, so a crash only loses the temporary file.
//    Rows go in primary-key order where the key is known (persons by INSZ,
//    functions by KBO, users by subafdeling), which keeps B-tree inserts at
//    the right edge.
//  - Afterwards the file is switched back to WAL, synced, and moved into
//    place (link() when it must not replace anything, so a file created at
//    out_path meanwhile is never overwritten).
#include "federation_generator.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "batch_insert.h"
#include "federation_plan.h"
#include "identifier_maker.h"
#include "random_source.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"

namespace toegang {
namespace {

using generator::BatchInsert;
using generator::DateFromDays;
using generator::EnterpriseKind;
using generator::FacilityState;
using generator::InszMaker;
using generator::kAmaWvg;
using generator::kVipa;
using generator::Mix64;
using generator::Plan;
using generator::PlannedEnterprise;
using generator::PlannedFacility;

constexpr const char* kCapacity = "ehealth-gezondheidszorg";
constexpr const char* kSubdivision = "gezondheidszorg";
constexpr const char* kAmaWvgCode = "ama-wvg";
constexpr const char* kVipaCode = "vipa";

// 2022-01-01T00:00:00Z; the seed moves the start by up to two years.
constexpr int64_t kEpoch = 1'640'995'200;
constexpr int64_t kDay = 86'400;
constexpr uint64_t kProgressEvery = 1 << 16;

// ISO-8601 UTC, as the engine stores times ("2022-01-01T00:00:00Z").
std::string Utc(int64_t seconds) {
  const int64_t days =
      seconds >= 0 ? seconds / kDay : (seconds - kDay + 1) / kDay;
  const int64_t rest = seconds - days * kDay;
  const generator::Date d = DateFromDays(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", d.year, d.month,
                     d.day, rest / 3600, rest / 60 % 60, rest % 60);
}

std::string IsoDate(int64_t days) {
  const generator::Date d = DateFromDays(days);
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

// Zero-padded digits into *out (no allocation once out has capacity).
void PutDigits(std::string* out, uint64_t value, int width) {
  out->assign(static_cast<size_t>(width), '0');
  for (int i = width - 1; i >= 0 && value > 0; --i) {
    (*out)[static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

std::string InszText(uint64_t v) { return fmt::format("{:011}", v); }
std::string KboText(uint64_t v) { return fmt::format("{:010}", v); }
std::string KboDisplay(uint64_t v) {
  const std::string s = KboText(v);
  return s.substr(0, 4) + "." + s.substr(4, 3) + "." + s.substr(7, 3);
}

// The times of the revisions: the registries, then one revision per
// enterprise with an HTB a minute apart, the registry changes a month
// after the last.
struct Clock {
  int64_t registries;
  int64_t Delegation(uint32_t revision) const {
    return registries + kDay + static_cast<int64_t>(revision - 2) * 61;
  }
  int64_t changes_at;
};

// Who did what inside one enterprise (INSZ values).
struct Roles {
  uint64_t wv_appointer = 0;
  uint64_t htb = 0;
  uint64_t tb = 0;  // 0: none (the HTB acts as TB)
  uint64_t Creator() const { return tb != 0 ? tb : htb; }
};

Roles RolesOf(const PlannedEnterprise& e, const InszMaker& insz) {
  Roles r;
  r.wv_appointer = insz.Make(e.first_person + e.appointer);
  if (!e.HasHtb()) return r;
  r.htb = insz.Make(e.first_person + e.HtbLocal());
  if (e.has_tb) r.tb = insz.Make(e.first_person + e.TbLocal());
  return r;
}

class Writer {
 public:
  Writer(SQLite::Database& db, const Plan& plan, const InszMaker& insz,
         const GenerateOptions& options, GenerateSummary* summary)
      : db_(db), plan_(plan), insz_(insz), options_(options), sum_(*summary) {
    const uint64_t start_day = plan.seed % 730;
    clock_.registries = kEpoch + static_cast<int64_t>(start_day) * kDay +
                        static_cast<int64_t>(Mix64(plan.seed) % 28'800);
    uint32_t last_delegation = 1;
    for (const PlannedEnterprise& e : plan.enterprises) {
      last_delegation = std::max(last_delegation, e.revision);
    }
    clock_.changes_at =
        (last_delegation > 1 ? clock_.Delegation(last_delegation)
                             : clock_.registries) +
        30 * kDay;
  }

  // Counts every row before writing, for the summary and the progress.
  void Count();
  void WriteAll();

 private:
  void Tick(const char* phase) {
    if (++done_ % kProgressEvery == 0 && options_.progress) {
      options_.progress(phase, done_, total_);
    }
  }
  void Exec(SQLite::Statement& q, const char* phase) {
    q.exec();
    q.reset();
    Tick(phase);
  }
  // Ends a row of a batched table (written when its batch is full).
  void Add(BatchInsert& q, const char* phase) {
    q.EndRow();
    Tick(phase);
  }
  void Audit(uint32_t revision, int64_t at, const std::string& action,
             const std::string& kbo, const std::string& detail,
             const std::string& message);

  void WriteEnterprises();
  void WritePersons();
  void WriteFunctions();
  void WriteFacilities();
  void WriteDelegation();
  void WriteUsers();
  void WriteAudit();

  SQLite::Database& db_;
  const Plan& plan_;
  const InszMaker& insz_;
  const GenerateOptions& options_;
  GenerateSummary& sum_;
  Clock clock_{};
  uint64_t done_ = 0, total_ = 0;
  std::unique_ptr<SQLite::Statement> audit_;
};

void Writer::Count() {
  GenerateSummary& s = sum_;
  s.persons = plan_.persons;
  s.enterprises = plan_.enterprises.size();
  for (const PlannedEnterprise& e : plan_.enterprises) {
    s.ocmws += e.ocmw ? 1 : 0;
    s.stopped_enterprises += e.Active() ? 0 : 1;
    s.enterprises_without_htb += e.HasHtb() ? 0 : 1;
    s.enterprises_without_capacity +=
        e.kind == EnterpriseKind::kNoCapacity ? 1 : 0;
    s.legal_representatives += e.wvs;
    s.employees += e.persons - e.wvs;
    s.htbs += e.HasHtb() ? 1 : 0;
    if (e.Delegates()) {
      s.active_capacities += 1;
      s.domain_managers += (e.has_tb ? 1 : 0) + e.co_tbs;
    }
  }
  s.facilities = plan_.facilities.size();
  for (const PlannedFacility& f : plan_.facilities) {
    s.closed_facilities += f.state == FacilityState::kActive ? 0 : 1;
    if (f.subafdeling == 0) continue;
    s.subafdelingen += 1;
    s.unauthorized_subafdelingen += f.authorizations == 0 ? 1 : 0;
    s.closed_subafdelingen += f.state == FacilityState::kClosedLater ? 1 : 0;
    s.subafdeling_managers += f.manager != 0 ? 1 : 0;
    s.authorizations += ((f.authorizations & kAmaWvg) != 0 ? 1 : 0) +
                        ((f.authorizations & kVipa) != 0 ? 1 : 0);
  }
  s.users = plan_.links.size();
  for (uint64_t key : plan_.links) {
    const uint8_t r = generator::LinkRights(key);
    s.rights += ((r & kAmaWvg) != 0 ? 1 : 0) + ((r & kVipa) != 0 ? 1 : 0);
  }
  s.revoked_rights = plan_.revoked;
  s.revision = plan_.last_revision;
  // Registries, one per enterprise with an HTB, one per registry change,
  // and the summary of the changes.
  uint64_t stopped_later = 0;
  for (const PlannedEnterprise& e : plan_.enterprises) {
    stopped_later += e.kind == EnterpriseKind::kStoppedLater ? 1 : 0;
  }
  s.audit_rows = 1 + s.htbs + stopped_later + s.closed_subafdelingen + 1;
  total_ = s.enterprises + 2 * s.persons + s.facilities + s.htbs +
           s.active_capacities + s.domain_managers + s.subafdelingen +
           s.subafdeling_managers + s.authorizations + s.users + s.rights +
           s.audit_rows;
}

void Writer::Audit(uint32_t revision, int64_t at, const std::string& action,
                   const std::string& kbo, const std::string& detail,
                   const std::string& message) {
  if (!audit_) {
    audit_ = std::make_unique<SQLite::Statement>(
        db_,
        "INSERT INTO audit (revision, at, actor, action, kbo, outcome, "
        "detail, message) VALUES (?, ?, '', ?, ?, 'ok', ?, ?)");
  }
  SQLite::Statement& q = *audit_;
  q.bind(1, static_cast<int64_t>(revision));
  q.bind(2, Utc(at));
  q.bind(3, action);
  q.bind(4, kbo);
  q.bind(5, detail);
  q.bind(6, message);
  Exec(q, "audit");
}

void Writer::WriteAll() {
  WriteEnterprises();
  WritePersons();
  WriteFunctions();
  WriteFacilities();
  WriteDelegation();
  WriteUsers();
  WriteAudit();
  // The generated history is a new one: a fresh chain value for it
  // (schema/0002_database_identity.sql).
  SQLite::Statement rev(
      db_, "UPDATE revision SET value = ?, chain = random() WHERE id = 1");
  rev.bind(1, static_cast<int64_t>(plan_.last_revision));
  rev.exec();
  if (options_.progress) options_.progress("done", total_, total_);
}

void Writer::WriteEnterprises() {
  std::vector<uint32_t> order(plan_.enterprises.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return plan_.enterprises[a].kbo < plan_.enterprises[b].kbo;
  });
  SQLite::Statement q(db_,
                      "INSERT INTO enterprise (kbo, name, active, "
                      "juridical_form, start_date) VALUES (?, ?, ?, ?, ?)");
  std::string kbo;
  for (uint32_t i : order) {
    const PlannedEnterprise& e = plan_.enterprises[i];
    PutDigits(&kbo, e.kbo, 10);
    q.bindNoCopy(1, kbo);
    q.bind(2, generator::EnterpriseName(e));
    q.bind(3, e.Active() ? 1 : 0);
    q.bind(4, generator::JuridicalForm(e));
    q.bind(5, IsoDate(e.started));
    Exec(q, "enterprises");
  }
}

void Writer::WritePersons() {
  std::vector<uint64_t> all(plan_.persons);
  for (uint64_t i = 0; i < plan_.persons; ++i) all[i] = insz_.Make(i);
  std::sort(all.begin(), all.end());
  BatchInsert q(db_, "INSERT INTO person (insz, name) VALUES", 2);
  std::string insz;
  for (uint64_t v : all) {
    PutDigits(&insz, v, 11);
    q.Text(insz);
    q.Text(generator::PersonName(v, plan_.seed));
    Add(q, "persons");
  }
  q.Flush();
}

void Writer::WriteFunctions() {
  std::vector<uint32_t> order(plan_.enterprises.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return plan_.enterprises[a].kbo < plan_.enterprises[b].kbo;
  });
  BatchInsert q(db_, "INSERT INTO function (kbo, insz, role) VALUES", 3);
  std::string kbo, insz;
  std::vector<std::pair<uint64_t, bool>> members;  // (INSZ, is WV)
  for (uint32_t i : order) {
    const PlannedEnterprise& e = plan_.enterprises[i];
    members.clear();
    for (uint32_t local = 0; local < e.persons; ++local) {
      members.emplace_back(insz_.Make(e.first_person + local), local < e.wvs);
    }
    std::sort(members.begin(), members.end());
    PutDigits(&kbo, e.kbo, 10);
    for (const auto& [person, wv] : members) {
      PutDigits(&insz, person, 11);
      q.Text(kbo);
      q.Text(insz);
      q.Text(wv ? "legal_representative" : "employee");
      Add(q, "functions");
    }
  }
  q.Flush();
}

void Writer::WriteFacilities() {
  std::vector<uint32_t> order(plan_.facilities.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return plan_.facilities[a].hco < plan_.facilities[b].hco;
  });
  SQLite::Statement q(db_,
                      "INSERT INTO facility (hco, name, type_code, kbo, "
                      "active) VALUES (?, ?, ?, ?, ?)");
  std::string hco, kbo;
  for (uint32_t i : order) {
    const PlannedFacility& f = plan_.facilities[i];
    PutDigits(&hco, f.hco, 8);
    PutDigits(&kbo, plan_.enterprises[f.enterprise].kbo, 10);
    q.bindNoCopy(1, hco);
    q.bind(2, generator::FacilityName(f));
    q.bindNoCopy(3, generator::TypeCodeText(f.type));
    q.bindNoCopy(4, kbo);
    q.bind(5, f.state == FacilityState::kActive ? 1 : 0);
    Exec(q, "facilities");
  }
}

// HTBs, active hoedanigheden, TB / co-TBs, subafdelingen with their
// managers and authorizations: all of an enterprise at its revision.
void Writer::WriteDelegation() {
  SQLite::Statement htb(db_,
                        "INSERT INTO htb (kbo, insz, email, phone, by_insz, "
                        "revision, at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  SQLite::Statement cap(db_,
                        "INSERT INTO active_capacity (kbo, capacity, by_insz, "
                        "revision, at) VALUES (?, ?, ?, ?, ?)");
  SQLite::Statement dm(db_,
                       "INSERT INTO domain_manager (kbo, capacity, "
                       "subdivision, insz, role, by_insz, revision, at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  SQLite::Statement sub(db_,
                        "INSERT INTO subafdeling (id, kbo, capacity, "
                        "subdivision, hco, email, by_insz, revision, at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  SQLite::Statement mgr(db_,
                        "INSERT INTO subafdeling_manager (subafdeling, insz, "
                        "by_insz, revision, at) VALUES (?, ?, ?, ?, ?)");
  SQLite::Statement auth(db_,
                         "INSERT INTO authorization (subafdeling, "
                         "application, by_insz, revision, at) VALUES (?, ?, "
                         "?, ?, ?)");
  std::string kbo, person, by, at, hco;
  for (const PlannedEnterprise& e : plan_.enterprises) {
    if (!e.HasHtb()) continue;
    const Roles roles = RolesOf(e, insz_);
    const auto rev = static_cast<int64_t>(e.revision);
    at = Utc(clock_.Delegation(e.revision));
    PutDigits(&kbo, e.kbo, 10);
    PutDigits(&person, roles.htb, 11);
    PutDigits(&by, roles.wv_appointer, 11);
    const uint64_t h = Mix64(e.kbo ^ plan_.seed);
    htb.bindNoCopy(1, kbo);
    htb.bindNoCopy(2, person);
    htb.bind(3, fmt::format("htb-{}@voorbeeld.be", KboText(e.kbo)));
    htb.bind(4, fmt::format("+32 {} {:03} {:02} {:02}", 2 + h % 8,
                            (h >> 8) % 1000, (h >> 20) % 100, (h >> 32) % 100));
    htb.bindNoCopy(5, by);
    htb.bind(6, rev);
    htb.bindNoCopy(7, at);
    Exec(htb, "delegation");
    if (!e.Delegates()) continue;

    PutDigits(&by, roles.htb, 11);
    cap.bindNoCopy(1, kbo);
    cap.bindNoCopy(2, kCapacity);
    cap.bindNoCopy(3, by);
    cap.bind(4, rev);
    cap.bindNoCopy(5, at);
    Exec(cap, "delegation");

    std::vector<std::pair<uint64_t, const char*>> managers;
    if (e.has_tb) managers.emplace_back(roles.tb, "tb");
    for (uint32_t c = 0; c < e.co_tbs; ++c) {
      managers.emplace_back(insz_.Make(e.first_person + e.FirstCoTbLocal() + c),
                            "co_tb");
    }
    std::sort(managers.begin(), managers.end());
    for (const auto& [m, role] : managers) {
      PutDigits(&person, m, 11);
      dm.bindNoCopy(1, kbo);
      dm.bindNoCopy(2, kCapacity);
      dm.bindNoCopy(3, kSubdivision);
      dm.bindNoCopy(4, person);
      dm.bindNoCopy(5, role);
      dm.bindNoCopy(6, by);
      dm.bind(7, rev);
      dm.bindNoCopy(8, at);
      Exec(dm, "delegation");
    }

    PutDigits(&by, roles.Creator(), 11);
    for (uint32_t n = 0; n < e.facilities; ++n) {
      const PlannedFacility& f = plan_.facilities[e.first_facility + n];
      if (f.subafdeling == 0) continue;
      const auto id = static_cast<int64_t>(f.subafdeling);
      PutDigits(&hco, f.hco, 8);
      sub.bind(1, id);
      sub.bindNoCopy(2, kbo);
      sub.bindNoCopy(3, kCapacity);
      sub.bindNoCopy(4, kSubdivision);
      sub.bindNoCopy(5, hco);
      sub.bind(6, fmt::format("toegang-{}@voorbeeld.be", hco));
      sub.bindNoCopy(7, by);
      sub.bind(8, rev);
      sub.bindNoCopy(9, at);
      Exec(sub, "delegation");
      if (f.manager != 0) {
        PutDigits(&person, insz_.Make(f.manager - 1), 11);
        mgr.bind(1, id);
        mgr.bindNoCopy(2, person);
        mgr.bindNoCopy(3, by);
        mgr.bind(4, rev);
        mgr.bindNoCopy(5, at);
        Exec(mgr, "delegation");
      }
      for (uint8_t bit : {kAmaWvg, kVipa}) {
        if ((f.authorizations & bit) == 0) continue;
        auth.bind(1, id);
        auth.bindNoCopy(2, bit == kAmaWvg ? kAmaWvgCode : kVipaCode);
        auth.bindNoCopy(3, by);
        auth.bind(4, rev);
        auth.bindNoCopy(5, at);
        Exec(auth, "delegation");
      }
    }
  }
}

// Users and their rights, in (subafdeling, INSZ) order. A user is added by
// the subafdeling's named manager when it has one, else by its creator.
void Writer::WriteUsers() {
  // Each table's rows in the order one INSERT per row would give; the
  // connection does not enforce foreign keys, so a batch of rights may be
  // written before the batch holding their users.
  BatchInsert user(db_,
                   "INSERT INTO user (subafdeling, insz, by_insz, revision, "
                   "at) VALUES",
                   5);
  BatchInsert right(db_,
                    "INSERT INTO user_right (subafdeling, insz, application, "
                    "by_insz, revision, at) VALUES",
                    6);
  std::string person, by, at;
  uint32_t current = 0;
  int64_t rev = 0;
  for (uint64_t key : plan_.links) {
    const uint32_t s = generator::LinkSub(key);
    if (s != current) {
      current = s;
      const PlannedFacility& f =
          plan_.facilities[plan_.subafdeling_facility[s - 1]];
      const PlannedEnterprise& e = plan_.enterprises[f.enterprise];
      const uint64_t adder = f.manager != 0 ? insz_.Make(f.manager - 1)
                                            : RolesOf(e, insz_).Creator();
      PutDigits(&by, adder, 11);
      rev = static_cast<int64_t>(e.revision);
      at = Utc(clock_.Delegation(e.revision));
    }
    PutDigits(&person, generator::LinkInsz(key), 11);
    user.Int(static_cast<int64_t>(s));
    user.Text(person);
    user.Text(by);
    user.Int(rev);
    user.Text(at);
    Add(user, "users");
    const uint8_t rights = generator::LinkRights(key);
    for (uint8_t bit : {kAmaWvg, kVipa}) {
      if ((rights & bit) == 0) continue;
      right.Int(static_cast<int64_t>(s));
      right.Text(person);
      right.Text(bit == kAmaWvg ? kAmaWvgCode : kVipaCode);
      right.Text(by);
      right.Int(rev);
      right.Text(at);
      Add(right, "users");
    }
  }
  user.Flush();
  right.Flush();
}

// The change log: what each revision did, in revision order.
void Writer::WriteAudit() {
  const GenerateSummary& s = sum_;
  Audit(1, clock_.registries, "generate.registries", "",
        fmt::format(R"({{"seed":{},"persons":{},"enterprises":{},)"
                    R"("facilities":{}}})",
                    plan_.seed, s.persons, s.enterprises, s.facilities),
        fmt::format("generated registries (seed {}): {} persons, {} "
                    "enterprises ({} OCMWs), {} facilities, {} WVs, {} "
                    "employees",
                    plan_.seed, s.persons, s.enterprises, s.ocmws, s.facilities,
                    s.legal_representatives, s.employees));
  for (const PlannedEnterprise& e : plan_.enterprises) {
    if (!e.HasHtb()) continue;
    const Roles roles = RolesOf(e, insz_);
    const std::string kbo = KboText(e.kbo);
    Audit(e.revision, clock_.Delegation(e.revision), "generate.delegation", kbo,
          fmt::format(R"({{"kbo":"{}","htb":"{}","by":"{}","capacity":{},)"
                      R"("subafdelingen":{},"users":{},"rights":{}}})",
                      kbo, InszText(roles.htb), InszText(roles.wv_appointer),
                      e.Delegates(), e.subs, e.users, e.rights),
          e.Delegates()
              ? fmt::format("generated delegation of {}: HTB {} appointed "
                            "by WV {}, hoedanigheid activated, {} "
                            "subafdelingen, {} users, {} rights",
                            KboDisplay(e.kbo), InszText(roles.htb),
                            InszText(roles.wv_appointer), e.subs, e.users,
                            e.rights)
              : fmt::format("generated delegation of {}: HTB {} appointed "
                            "by WV {}, no hoedanigheid activated",
                            KboDisplay(e.kbo), InszText(roles.htb),
                            InszText(roles.wv_appointer)));
  }
  // The registry changes, audited as an import would audit them.
  const uint32_t last = plan_.last_revision;
  uint64_t stopped = 0, closed = 0;
  for (const PlannedEnterprise& e : plan_.enterprises) {
    if (e.kind != EnterpriseKind::kStoppedLater) continue;
    const std::string kbo = KboText(e.kbo);
    Audit(last, clock_.changes_at, "import.enterprise", kbo,
          fmt::format(R"({{"kbo":"{}","active":false}})", kbo),
          fmt::format("enterprise {} stopped in the KBO", KboDisplay(e.kbo)));
    ++stopped;
  }
  for (const PlannedFacility& f : plan_.facilities) {
    if (f.state != FacilityState::kClosedLater) continue;
    const std::string kbo = KboText(plan_.enterprises[f.enterprise].kbo);
    const std::string hco = fmt::format("{:08}", f.hco);
    const char* type = generator::TypeCodeText(f.type);
    Audit(last, clock_.changes_at, "import.facility", kbo,
          fmt::format(R"({{"hco":"{}","active":false,"type_code":"{}",)"
                      R"("kbo":"{}","previous_kbo":"{}"}})",
                      hco, type, kbo, kbo),
          fmt::format("facility HCO {} closed in CoBRHA (type {}, organized "
                      "by {})",
                      hco, type,
                      KboDisplay(plan_.enterprises[f.enterprise].kbo)));
    ++closed;
  }
  Audit(last, clock_.changes_at, "generate.registry_changes", "",
        fmt::format(R"({{"stopped_enterprises":{},"closed_facilities":{}}})",
                    stopped, closed),
        fmt::format("generated registry changes: {} enterprises stopped in "
                    "the KBO, {} facilities closed in CoBRHA",
                    stopped, closed));
}

// --- the file --------------------------------------------------------------

bool Exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

void RemoveDatabaseFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal", "-index"}) {
    ::unlink((path + suffix).c_str());
  }
}

// The temporary files of a generate into out are named
// "<out>.generating-<pid>-<random>" (with SQLite's -journal, -wal, -shm
// beside them). Removes those of processes that no longer exist: a run
// killed outright (SIGKILL, the OOM killer, a power cut) cannot remove its
// own. Files of this process and of live processes are kept; so is a name
// without a pid (an older toegang's) and anything that is not out's. A pid
// reused by an unrelated process keeps its files until that one ends too.
void RemoveStaleTemporaries(const std::string& out) {
  const std::filesystem::path out_path(out);
  std::filesystem::path dir = out_path.parent_path();
  if (dir.empty()) dir = ".";
  const std::string prefix = out_path.filename().string() + ".generating-";
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return;  // nothing to clean where nothing can be listed
  std::vector<std::filesystem::path> stale;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    size_t end = prefix.size();
    while (end < name.size() && name[end] >= '0' && name[end] <= '9') ++end;
    const size_t digits = end - prefix.size();
    if (digits == 0 || digits > 9) continue;
    if (end < name.size() && name[end] != '-') continue;
    const pid_t pid =
        static_cast<pid_t>(std::stol(name.substr(prefix.size(), digits)));
    if (pid <= 0 || pid == ::getpid()) continue;
    // Alive, or not ours to tell (EPERM: another user's live process).
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;
    stale.push_back(it->path());
  }
  for (const std::filesystem::path& path : stale) ::unlink(path.c_str());
}

Status SyncPath(const std::string& path, bool directory) {
  const int fd = ::open(
      path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    return Status::Storage(
        code::kIoError,
        fmt::format("cannot sync {}: {}", path, std::strerror(err)));
  }
  ::close(fd);
  return Status::Ok();
}

Status FileExists(const std::string& path) {
  return Status::Storage(
      code::kFileExists,
      fmt::format("{} already exists; generate writes a new database only: "
                  "choose another --out, or add --force to replace it",
                  path));
}

// Moves the finished temporary file to out (replacing it only when
// overwrite), and makes the move durable.
Status Place(const std::string& tmp, const std::string& out, bool overwrite) {
  if (overwrite) {
    // A stale WAL of the file being replaced must not be applied to ours,
    // and its index snapshot (index_snapshot.h) is of another federation.
    ::unlink((out + "-wal").c_str());
    ::unlink((out + "-shm").c_str());
    ::unlink((out + "-index").c_str());
    if (::rename(tmp.c_str(), out.c_str()) != 0) {
      return Status::Storage(code::kIoError,
                             fmt::format("cannot move {} to {}: {}", tmp, out,
                                         std::strerror(errno)));
    }
  } else if (::link(tmp.c_str(), out.c_str()) == 0) {
    ::unlink(tmp.c_str());
  } else if (errno == EEXIST) {
    return FileExists(out);
  } else if (Exists(out)) {
    return FileExists(out);
  } else if (::rename(tmp.c_str(), out.c_str()) != 0) {
    // The file system has no hard links: the check above and the rename
    // are close enough.
    return Status::Storage(code::kIoError,
                           fmt::format("cannot move {} to {}: {}", tmp, out,
                                       std::strerror(errno)));
  }
  std::filesystem::path dir = std::filesystem::path(out).parent_path();
  return SyncPath(dir.empty() ? "." : dir.string(), true);
}

// The secondary indexes of the big tables whose keys arrive in random
// order. DropBulkIndexes drops those that exist and returns their
// definitions (the schema's own CREATE INDEX text) to run again after the
// load. The names are ours; only the definitions come from the file that
// Engine::Open has just created.
constexpr const char* kBulkIndexes[] = {"function_by_insz", "user_by_insz"};

std::vector<std::string> DropBulkIndexes(SQLite::Database& db) {
  std::vector<std::string> definitions;
  for (const char* name : kBulkIndexes) {
    {
      SQLite::Statement q(db,
                          "SELECT sql FROM sqlite_master WHERE type = "
                          "'index' AND name = ?");
      q.bind(1, name);
      if (!q.executeStep()) continue;
      definitions.push_back(q.getColumn(0).getString());
    }  // the statement must be done before the schema changes
    db.exec(std::string("DROP INDEX ") + name);
  }
  return definitions;
}

Status Fill(const std::string& tmp, const Plan& plan, const InszMaker& insz,
            const GenerateOptions& options, GenerateSummary* summary) {
  {
    // The engine creates the file: schema, catalogue, mode 0600, WAL.
    OpenOptions open;
    open.create_if_missing = true;
    open.index_snapshot = false;  // of an empty federation: of no use
    Result<std::unique_ptr<Engine>> engine = Engine::Open(tmp, open);
    if (!engine.ok()) return engine.status();
  }
  try {
    SQLite::Database db(tmp, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
    db.execAndGet("PRAGMA journal_mode = MEMORY");
    db.exec("PRAGMA synchronous = OFF");
    db.exec("PRAGMA locking_mode = EXCLUSIVE");
    db.exec("PRAGMA cache_size = -524288");  // 512 MiB
    db.exec("PRAGMA temp_store = MEMORY");
    db.exec("PRAGMA foreign_keys = OFF");  // batches of rights before users
    Writer writer(db, plan, insz, options, summary);
    writer.Count();
    {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      const std::vector<std::string> indexes = DropBulkIndexes(db);
      writer.WriteAll();
      // Rebuilt from their own definitions: one sort each, instead of a
      // random B-tree insert per row.
      for (const std::string& sql : indexes) db.exec(sql);
      tx.commit();
    }
    // Back to a normal database: shared locking, WAL, durable commits.
    db.exec("PRAGMA locking_mode = NORMAL");
    db.execAndGet("SELECT value FROM revision WHERE id = 1");
    const std::string mode =
        db.execAndGet("PRAGMA journal_mode = WAL").getString();
    if (mode != "wal") {
      return Status::Storage(code::kStorageError,
                             fmt::format("{} did not switch to WAL (journal "
                                         "mode {})",
                                         tmp, mode));
    }
  } catch (const SQLite::Exception& e) {
    const int rc = e.getErrorCode() & 0xff;
    if (rc == SQLITE_FULL) {
      return Status::Storage(code::kStorageError,
                             fmt::format("writing {}: {}; the disk is full: "
                                         "free space or ask for fewer "
                                         "--persons",
                                         tmp, e.what()));
    }
    if (rc == SQLITE_IOERR) {
      // EFBIG (ulimit -f), EDQUOT and EIO all come back as an I/O error.
      return Status::Storage(
          code::kIoError,
          fmt::format("writing {}: {}; the file size limit (ulimit -f) or a "
                      "disk quota was reached, or the disk failed: raise the "
                      "limit, free space or ask for fewer --persons",
                      tmp, e.what()));
    }
    return Status::Storage(code::kStorageError,
                           fmt::format("writing {}: {}", tmp, e.what()));
  }
  return SyncPath(tmp, false);
}

}  // namespace

Status GenerateFederation(const GenerateOptions& options,
                          GenerateSummary* summary) {
  if (options.persons < 1 || options.persons > kMaxGeneratedPersons) {
    return Status::InvalidInput(
        code::kUsage, fmt::format("--persons must be 1 to {}, not {}",
                                  kMaxGeneratedPersons, options.persons));
  }
  if (options.out_path.empty()) {
    return Status::InvalidInput(code::kUsage,
                                "name the database to write with --out FILE");
  }
  const std::string& out = options.out_path;
  std::error_code ec;
  if (std::filesystem::is_directory(out, ec)) {
    return Status::Storage(code::kFileExists,
                           fmt::format("{} is a directory; name a database "
                                       "file with --out",
                                       out));
  }
  if (!options.overwrite && Exists(out)) return FileExists(out);

  GenerateSummary local;
  GenerateSummary& sum = summary != nullptr ? *summary : local;
  sum = GenerateSummary();
  RemoveStaleTemporaries(out);
  std::string tmp = fmt::format("{}.generating-{}-XXXXXX", out, ::getpid());
  {
    const int fd = ::mkstemp(tmp.data());
    if (fd < 0) {
      return Status::Storage(
          code::kIoError, fmt::format("cannot create a file beside {}: {}", out,
                                      std::strerror(errno)));
    }
    ::close(fd);
    ::unlink(tmp.c_str());  // Engine::Open creates it, with its own mode
  }
  Status status;
  try {
    if (options.progress) options.progress("planning", 0, 0);
    const generator::InszMaker insz(options.seed);
    const Plan plan = generator::BuildPlan(options.persons, options.seed, insz);
    status = Fill(tmp, plan, insz, options, &sum);
  } catch (const std::bad_alloc&) {
    status = Status::Storage(code::kStorageError,
                             "out of memory while generating: ask for fewer "
                             "--persons");
  } catch (const std::exception& e) {
    // Nothing may cross the public API; a throwing progress callback ends
    // up here too.
    status = Status::Storage(code::kStorageError,
                             fmt::format("generating {}: {}", out, e.what()));
  }
  if (status.ok()) status = Place(tmp, out, options.overwrite);
  if (!status.ok()) {
    RemoveDatabaseFiles(tmp);
    return status;
  }
  struct stat st {};
  if (::stat(out.c_str(), &st) == 0) {
    sum.file_bytes = static_cast<uint64_t>(st.st_size);
  }
  return Status::Ok();
}

}  // namespace toegang
