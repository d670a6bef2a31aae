// GenerateFederation: plans the federation in memory (federation_plan.cc),
// then writes every row through the store's bulk writer
// (store/bulk_writer.h), which owns the schema and all SQL.
//
// Why the file is written this way:
//  - The store creates it (CreateInBulk), so the schema, the catalogue and
//    the 0600 mode are the engine's own.
//  - The file is a temporary one until the end (the bulk writer is not
//    durable until Finish), so a crash only loses the temporary file. Rows
//    go in primary-key order where the key is known (persons by INSZ,
//    functions by KBO, users by subafdeling), which keeps B-tree inserts at
//    the right edge.
//  - Afterwards the file is synced and moved into place (link() when it
//    must not replace anything, so a file created at out_path meanwhile is
//    never overwritten).
#include "federation_generator.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
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

#include "federation_plan.h"
#include "identifier_maker.h"
#include "random_source.h"
#include "store/bulk_writer.h"
#include "store/open_store.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"

namespace toegang {
namespace {

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

std::string IsoDate(int64_t days) {
  const generator::Date d = DateFromDays(days);
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

// An HCO number's stored form: eight digits.
std::string HcoText(uint64_t v) { return fmt::format("{:08}", v); }
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
  Writer(BulkWriter& out, const Plan& plan, const InszMaker& insz,
         const GenerateOptions& options, GenerateSummary* summary)
      : out_(out), plan_(plan), insz_(insz), options_(options), sum_(*summary) {
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
  // Writes every row; the caller finishes the writer (at
  // plan.last_revision).
  void WriteAll();

 private:
  // Counts a row written.
  void Tick(const char* phase) {
    if (++done_ % kProgressEvery == 0 && options_.progress) {
      options_.progress(phase, done_, total_);
    }
  }
  void Audit(uint32_t revision, int64_t at, std::string_view action,
             uint64_t kbo, const std::string& detail,
             const std::string& message);

  void WriteEnterprises();
  void WritePersons();
  void WriteFunctions();
  void WriteFacilities();
  void WriteDelegation();
  void WriteUsers();
  void WriteAudit();

  BulkWriter& out_;
  const Plan& plan_;
  const InszMaker& insz_;
  const GenerateOptions& options_;
  GenerateSummary& sum_;
  Clock clock_{};
  uint64_t done_ = 0, total_ = 0;
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

void Writer::Audit(uint32_t revision, int64_t at, std::string_view action,
                   uint64_t kbo, const std::string& detail,
                   const std::string& message) {
  out_.Audit(revision, at, action, kbo, detail, message);
  Tick("audit");
}

void Writer::WriteAll() {
  // A failure stops the writing at the end of its phase (the writer keeps
  // it and writes nothing more).
  for (void (Writer::*phase)() :
       {&Writer::WriteEnterprises, &Writer::WritePersons,
        &Writer::WriteFunctions, &Writer::WriteFacilities,
        &Writer::WriteDelegation, &Writer::WriteUsers, &Writer::WriteAudit}) {
    (this->*phase)();
    if (!out_.status().ok()) return;
  }
  if (options_.progress) options_.progress("done", total_, total_);
}

void Writer::WriteEnterprises() {
  std::vector<uint32_t> order(plan_.enterprises.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return plan_.enterprises[a].kbo < plan_.enterprises[b].kbo;
  });
  for (uint32_t i : order) {
    const PlannedEnterprise& e = plan_.enterprises[i];
    out_.Enterprise(e.kbo, generator::EnterpriseName(e), e.Active(),
                    generator::JuridicalForm(e), IsoDate(e.started));
    Tick("enterprises");
  }
}

void Writer::WritePersons() {
  std::vector<uint64_t> all(plan_.persons);
  for (uint64_t i = 0; i < plan_.persons; ++i) all[i] = insz_.Make(i);
  std::sort(all.begin(), all.end());
  for (uint64_t v : all) {
    out_.Person(v, generator::PersonName(v, plan_.seed));
    Tick("persons");
  }
}

void Writer::WriteFunctions() {
  std::vector<uint32_t> order(plan_.enterprises.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return plan_.enterprises[a].kbo < plan_.enterprises[b].kbo;
  });
  std::vector<std::pair<uint64_t, bool>> members;  // (INSZ, is WV)
  for (uint32_t i : order) {
    const PlannedEnterprise& e = plan_.enterprises[i];
    members.clear();
    for (uint32_t local = 0; local < e.persons; ++local) {
      members.emplace_back(insz_.Make(e.first_person + local), local < e.wvs);
    }
    std::sort(members.begin(), members.end());
    for (const auto& [person, wv] : members) {
      out_.Function(
          e.kbo, person,
          wv ? FunctionRole::kLegalRepresentative : FunctionRole::kEmployee);
      Tick("functions");
    }
  }
}

void Writer::WriteFacilities() {
  std::vector<uint32_t> order(plan_.facilities.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return plan_.facilities[a].hco < plan_.facilities[b].hco;
  });
  for (uint32_t i : order) {
    const PlannedFacility& f = plan_.facilities[i];
    out_.Facility(HcoText(f.hco), generator::FacilityName(f),
                  generator::TypeCodeText(f.type),
                  plan_.enterprises[f.enterprise].kbo,
                  f.state == FacilityState::kActive);
    Tick("facilities");
  }
}

// HTBs, active hoedanigheden, TB / co-TBs, subafdelingen with their
// managers and authorizations: all of an enterprise at its revision.
void Writer::WriteDelegation() {
  for (const PlannedEnterprise& e : plan_.enterprises) {
    if (!e.HasHtb()) continue;
    const Roles roles = RolesOf(e, insz_);
    Provenance made{roles.wv_appointer, e.revision,
                    clock_.Delegation(e.revision)};
    const uint64_t h = Mix64(e.kbo ^ plan_.seed);
    out_.Htb(e.kbo, roles.htb,
             fmt::format("htb-{}@voorbeeld.be", KboText(e.kbo)),
             fmt::format("+32 {} {:03} {:02} {:02}", 2 + h % 8, (h >> 8) % 1000,
                         (h >> 20) % 100, (h >> 32) % 100),
             made);
    Tick("delegation");
    if (!e.Delegates()) continue;

    made.by = roles.htb;
    out_.ActiveCapacity(e.kbo, kCapacity, made);
    Tick("delegation");

    std::vector<std::pair<uint64_t, bool>> managers;  // (INSZ, is the TB)
    if (e.has_tb) managers.emplace_back(roles.tb, true);
    for (uint32_t c = 0; c < e.co_tbs; ++c) {
      managers.emplace_back(insz_.Make(e.first_person + e.FirstCoTbLocal() + c),
                            false);
    }
    std::sort(managers.begin(), managers.end());
    for (const auto& [m, tb] : managers) {
      out_.DomainManager(e.kbo, kCapacity, kSubdivision, m, tb, made);
      Tick("delegation");
    }

    made.by = roles.Creator();
    for (uint32_t n = 0; n < e.facilities; ++n) {
      const PlannedFacility& f = plan_.facilities[e.first_facility + n];
      if (f.subafdeling == 0) continue;
      const auto id = static_cast<int64_t>(f.subafdeling);
      const std::string hco = HcoText(f.hco);
      out_.Subafdeling(id, e.kbo, kCapacity, kSubdivision, hco,
                       fmt::format("toegang-{}@voorbeeld.be", hco), made);
      Tick("delegation");
      if (f.manager != 0) {
        out_.SubafdelingManager(id, insz_.Make(f.manager - 1), made);
        Tick("delegation");
      }
      for (uint8_t bit : {kAmaWvg, kVipa}) {
        if ((f.authorizations & bit) == 0) continue;
        out_.Authorization(id, bit == kAmaWvg ? kAmaWvgCode : kVipaCode, made);
        Tick("delegation");
      }
    }
  }
}

// Users and their rights, in (subafdeling, INSZ) order. A user is added by
// the subafdeling's named manager when it has one, else by its creator.
void Writer::WriteUsers() {
  uint32_t current = 0;
  Provenance made;
  for (uint64_t key : plan_.links) {
    const uint32_t s = generator::LinkSub(key);
    if (s != current) {
      current = s;
      const PlannedFacility& f =
          plan_.facilities[plan_.subafdeling_facility[s - 1]];
      const PlannedEnterprise& e = plan_.enterprises[f.enterprise];
      made.by = f.manager != 0 ? insz_.Make(f.manager - 1)
                               : RolesOf(e, insz_).Creator();
      made.revision = e.revision;
      made.at = clock_.Delegation(e.revision);
    }
    const uint64_t person = generator::LinkInsz(key);
    out_.User(static_cast<int64_t>(s), person, made);
    Tick("users");
    const uint8_t rights = generator::LinkRights(key);
    for (uint8_t bit : {kAmaWvg, kVipa}) {
      if ((rights & bit) == 0) continue;
      out_.Right(static_cast<int64_t>(s), person,
                 bit == kAmaWvg ? kAmaWvgCode : kVipaCode, made);
      Tick("users");
    }
  }
}

// The change log: what each revision did, in revision order.
void Writer::WriteAudit() {
  const GenerateSummary& s = sum_;
  Audit(1, clock_.registries, "generate.registries", 0,
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
    Audit(e.revision, clock_.Delegation(e.revision), "generate.delegation",
          e.kbo,
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
    Audit(last, clock_.changes_at, "import.enterprise", e.kbo,
          fmt::format(R"({{"kbo":"{}","active":false}})", kbo),
          fmt::format("enterprise {} stopped in the KBO", KboDisplay(e.kbo)));
    ++stopped;
  }
  for (const PlannedFacility& f : plan_.facilities) {
    if (f.state != FacilityState::kClosedLater) continue;
    const std::string kbo = KboText(plan_.enterprises[f.enterprise].kbo);
    const std::string hco = HcoText(f.hco);
    const char* type = generator::TypeCodeText(f.type);
    Audit(last, clock_.changes_at, "import.facility",
          plan_.enterprises[f.enterprise].kbo,
          fmt::format(R"({{"hco":"{}","active":false,"type_code":"{}",)"
                      R"("kbo":"{}","previous_kbo":"{}"}})",
                      hco, type, kbo, kbo),
          fmt::format("facility HCO {} closed in CoBRHA (type {}, organized "
                      "by {})",
                      hco, type,
                      KboDisplay(plan_.enterprises[f.enterprise].kbo)));
    ++closed;
  }
  Audit(last, clock_.changes_at, "generate.registry_changes", 0,
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

// Writes the federation into the new database `name` (a file: synced
// afterwards; on a server, durable once Finish committed).
Status Fill(const std::string& name, const Plan& plan, const InszMaker& insz,
            const GenerateOptions& options, GenerateSummary* summary) {
  BulkWriteOptions bulk;
  bulk.smaller_hint = "ask for fewer --persons";
  Result<std::unique_ptr<BulkWriter>> out = CreateInBulk(name, bulk);
  if (!out.ok()) return out.status();
  Writer writer(**out, plan, insz, options, summary);
  writer.Count();
  writer.WriteAll();
  Status s = (*out)->Finish(plan.last_revision);
  if (!s.ok()) return s;
  return IsServerName(name) ? Status::Ok() : SyncPath(name, false);
}

// Plans and fills `name`, turning what is thrown into a status.
Status PlanAndFill(const std::string& name, const GenerateOptions& options,
                   GenerateSummary* summary) {
  try {
    if (options.progress) options.progress("planning", 0, 0);
    const generator::InszMaker insz(options.seed);
    const Plan plan = generator::BuildPlan(options.persons, options.seed, insz);
    return Fill(name, plan, insz, options, summary);
  } catch (const std::bad_alloc&) {
    return Status::Storage(code::kStorageError,
                           "out of memory while generating: ask for fewer "
                           "--persons");
  } catch (const std::exception& e) {
    // Nothing may cross the public API; a throwing progress callback ends
    // up here too.
    return Status::Storage(
        code::kStorageError,
        fmt::format("generating {}: {}", options.out_path, e.what()));
  }
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
  GenerateSummary local;
  GenerateSummary& sum = summary != nullptr ? *summary : local;
  sum = GenerateSummary();
  if (IsServerName(out)) {
    // A database on a server: written in one transaction into a new or
    // empty database (pg_bulk_writer.h), nothing to move into place.
    if (options.overwrite) {
      return Status::InvalidInput(
          code::kUsage,
          "--force replaces a file only; to generate into a PostgreSQL "
          "database that holds a federation, drop it and create it again "
          "(or name a new one)");
    }
    return PlanAndFill(out, options, &sum);
  }
  std::error_code ec;
  if (std::filesystem::is_directory(out, ec)) {
    return Status::Storage(code::kFileExists,
                           fmt::format("{} is a directory; name a database "
                                       "file with --out",
                                       out));
  }
  if (!options.overwrite && Exists(out)) return FileExists(out);

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
    ::unlink(tmp.c_str());  // CreateInBulk creates it, with its own mode
  }
  Status status = PlanAndFill(tmp, options, &sum);
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
