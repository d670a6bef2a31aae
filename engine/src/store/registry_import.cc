#include "store/registry_import.h"

#include <fmt/format.h>

#include "base/time_util.h"
#include "store/history_chain.h"
#include "toegang/error_codes.h"

namespace toegang {
namespace {

const char* RoleName(FunctionRole role) {
  return role == FunctionRole::kLegalRepresentative ? "legal_representative"
                                                    : "employee";
}

Status UnknownEnterprise(const Kbo& kbo) {
  return Status::Refused(code::kEnterpriseUnknown,
                         fmt::format("enterprise {} is not in the KBO "
                                     "registry: import the KBO first",
                                     kbo.Display()));
}

}  // namespace

RegistryImport::RegistryImport(std::unique_ptr<ImportTables> tables,
                               const DatabaseKey& key)
    : tables_(std::move(tables)),
      key_(key),
      revision_(tables_->Mark().revision + 1),
      at_(NowSeconds()) {}

template <typename T, typename Fn>
Result<T> RegistryImport::Guard(std::string_view doing, Fn fn) {
  try {
    return fn();
  } catch (...) {
    return tables_->Failure(doing);
  }
}

void RegistryImport::Write(const ImportAuditRow& r) {
  tables_->InsertAudit(revision_, at_, r.action, r.kbo, r.detail, r.message);
}

void RegistryImport::SetSource(const std::string& source, bool full) {
  source_ = source;
  full_ = full;
}

Result<ImportSession::Put> RegistryImport::PutEnterprise(
    const EnterpriseRow& row) {
  return Guard<Put>("importing an enterprise row", [&] {
    const std::string kbo = row.kbo.ToString();
    if (full_) tables_->ListEnterprise(kbo);
    const std::optional<ImportTables::Enterprise> old =
        tables_->GetEnterprise(kbo);
    if (!old) {
      tables_->InsertEnterprise(kbo, row);
      return Put::kInserted;
    }
    if (old->active == row.active &&
        old->juridical_form == row.juridical_form &&
        old->start_date == row.start_date) {
      return Put::kUnchanged;
    }
    tables_->UpdateEnterprise(kbo, row);
    if (old->active != row.active) {
      Write(ledger_.Enterprise(kbo, row.active, source_));
    }
    return Put::kUpdated;
  });
}

Result<ImportSession::Put> RegistryImport::PutDenomination(
    const DenominationRow& row) {
  if (row.skip || !row.kbo) return Put::kIgnored;
  return Guard<Put>("importing a denomination row", [&] {
    const std::string kbo = row.kbo->ToString();
    if (!tables_->EnterpriseKnown(kbo)) return Put::kIgnored;
    tables_->OfferName(kbo, DenominationRank(row), row.denomination);
    return Put::kUnchanged;  // counted by FinishDenominations
  });
}

Result<size_t> RegistryImport::FinishDenominations() {
  return Guard<size_t>("applying enterprise names",
                       [&] { return tables_->ApplyNames(); });
}

Result<ImportSession::Put> RegistryImport::PutPerson(const PersonRow& row) {
  return Guard<Put>("importing a person row", [&] {
    const std::string insz = row.insz.ToString();
    const std::optional<std::string> name = tables_->PersonName(insz);
    if (!name) {
      tables_->InsertPerson(insz, row.name);
      return Put::kInserted;
    }
    // An empty name in the file does not erase a known one.
    if (row.name.empty() || *name == row.name) return Put::kUnchanged;
    tables_->UpdatePerson(insz, row.name);
    return Put::kUpdated;
  });
}

Result<ImportSession::Put> RegistryImport::PutFunction(const FunctionRow& row) {
  return Guard<Put>("importing a function row", [&]() -> Result<Put> {
    const ImportTables::FunctionKey f = {
        row.kbo.ToString(), row.insz.ToString(), RoleName(row.role)};
    if (!tables_->EnterpriseKnown(f[0])) return UnknownEnterprise(row.kbo);
    if (full_) tables_->ListFunction(f);
    if (!tables_->InsertFunction(f)) return Put::kUnchanged;
    tables_->UnendFunction(f);
    Write(ledger_.Function(f[0], f[1], f[2], /*added=*/true, source_));
    return Put::kInserted;
  });
}

Result<ImportSession::Put> RegistryImport::PutFacility(const FacilityRow& row) {
  return Guard<Put>("importing a facility row", [&]() -> Result<Put> {
    const std::string kbo = row.kbo.ToString();
    if (!tables_->EnterpriseKnown(kbo)) return UnknownEnterprise(row.kbo);
    if (full_) tables_->ListFacility(row.hco.str());
    const std::optional<ImportTables::Facility> old =
        tables_->GetFacility(row.hco.str());
    if (!old) {
      tables_->InsertFacility(row);
      ledger_.FacilityAdded(row);
      return Put::kInserted;
    }
    if (old->name == row.name && old->type_code == row.type_code.str() &&
        old->kbo == kbo && old->active == row.active) {
      return Put::kUnchanged;
    }
    tables_->UpdateFacility(row);
    for (const ImportAuditRow& r : ledger_.Facility(
             row, old->type_code, old->kbo, old->active, source_)) {
      Write(r);
    }
    return Put::kUpdated;
  });
}

Result<size_t> RegistryImport::EndUnlistedFunctions() {
  return Guard<size_t>("ending the functions the file does not list", [&] {
    const std::vector<ImportTables::FunctionKey> ended =
        tables_->UnlistedFunctions();
    for (const ImportTables::FunctionKey& f : ended) {
      tables_->EndFunction(f, revision_, FormatUtc(at_), source_);
      Write(ledger_.Function(f[0], f[1], f[2], /*added=*/false, source_));
    }
    return ended.size();
  });
}

Result<size_t> RegistryImport::CloseUnlistedFacilities() {
  return Guard<size_t>("closing the facilities the file does not list", [&] {
    const auto closed = tables_->UnlistedActiveFacilities();
    for (const auto& [hco, kbo] : closed) {
      tables_->CloseFacility(hco);
      Write(ledger_.FacilityUnlisted(hco, kbo, source_));
    }
    return closed.size();
  });
}

Result<ImportSession::Put> RegistryImport::DeleteEnterprise(const Kbo& kbo) {
  return Guard<Put>("importing an enterprise_delete row", [&] {
    tables_->NoteDeletedEnterprise(kbo.ToString());
    return Put::kUnchanged;  // counted when stopped
  });
}

Result<size_t> RegistryImport::StopDeletedEnterprises(
    const std::string& reason) {
  return Stop(/*deleted_only=*/true, reason);
}

Result<size_t> RegistryImport::StopUnlistedEnterprises(
    const std::string& reason) {
  return Stop(/*deleted_only=*/false, reason);
}

Result<size_t> RegistryImport::Stop(bool deleted_only,
                                    const std::string& reason) {
  return Guard<size_t>("stopping the enterprises the extract ends", [&] {
    const std::vector<std::string> stop =
        tables_->EnterprisesToStop(deleted_only);
    for (const std::string& kbo : stop) {
      tables_->StopEnterprise(kbo);
      Write(ledger_.Enterprise(kbo, false, reason));
    }
    return stop.size();
  });
}

Result<std::optional<ImportSession::Extract>> RegistryImport::LastExtract() {
  return Guard<std::optional<Extract>>("reading the last KBO extract applied",
                                       [&] { return tables_->LastExtract(); });
}

Status RegistryImport::RecordExtract(const Extract& extract) {
  return Guard<bool>("recording the KBO extract applied",
                     [&] {
                       tables_->RecordExtract(extract, revision_);
                       wrote_state_ = true;
                       return true;
                     })
      .status();
}

Result<uint64_t> RegistryImport::Commit(const std::string& action,
                                        const std::string& detail,
                                        const std::string& message,
                                        bool changed) {
  if (!changed) return uint64_t{0};  // the tables roll back when destroyed
  return Guard<uint64_t>("committing the import", [&] {
    HistoryLink next(key_, tables_->Mark());
    next.AddRow(at_, "", action, "", detail, message);
    tables_->SetMark(next.Finish());
    tables_->InsertAudit(revision_, at_, action, "", detail, message);
    tables_->Commit(revision_);
    return revision_;
  });
}

}  // namespace toegang
