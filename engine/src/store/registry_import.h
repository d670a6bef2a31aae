// RegistryImport: the ImportSession (store.h) of every store. It decides
// what a registry row changes (insert, update, unchanged, refused), what
// the whole registry ends, and what is audited and counted (ImportLedger);
// the store's ImportTables runs the SQL, in its own dialect, inside the
// import's write transaction.
//
// Thread safety: one thread at a time, like the store it belongs to.
#ifndef TOEGANG_STORE_REGISTRY_IMPORT_H_
#define TOEGANG_STORE_REGISTRY_IMPORT_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/keyed_hash.h"
#include "store/import_ledger.h"
#include "store/store.h"

namespace toegang {

// One store's statements for an import. Each method throws the store's
// own exception on failure; Failure() turns the exception in flight into a
// Status. Made by the store with the write transaction already open (it
// rolls back when the tables are destroyed uncommitted), and the lists of
// what the rows list empty.
class ImportTables {
 public:
  // Sets a store's "write transaction open" flag while it lives, so that
  // the store's loads during the import (the impact's part of the
  // federation) read inside the import's transaction instead of opening
  // one of their own. An ImportTables member declared after the
  // transaction: the flag drops before the transaction rolls back.
  class HeldFlag {
   public:
    explicit HeldFlag(bool* flag) : flag_(flag) { *flag_ = true; }
    ~HeldFlag() { *flag_ = false; }
    HeldFlag(const HeldFlag&) = delete;
    HeldFlag& operator=(const HeldFlag&) = delete;

   private:
    bool* flag_;
  };

  struct Enterprise {
    bool active = false;
    std::string juridical_form, start_date;
  };
  struct Facility {
    std::string name, type_code, kbo;
    bool active = false;
  };
  using FunctionKey = std::array<std::string, 3>;  // kbo, insz, role

  virtual ~ImportTables() = default;

  // What the rows list (for the whole-registry ends), and the update
  // extract's deletions.
  virtual void ListEnterprise(const std::string& kbo) = 0;
  virtual void ListFunction(const FunctionKey& f) = 0;
  virtual void ListFacility(const std::string& hco) = 0;
  virtual void NoteDeletedEnterprise(const std::string& kbo) = 0;

  virtual std::optional<Enterprise> GetEnterprise(const std::string& kbo) = 0;
  // Inserts it and remembers that this import made it.
  virtual void InsertEnterprise(const std::string& kbo,
                                const EnterpriseRow& row) = 0;
  virtual void UpdateEnterprise(const std::string& kbo,
                                const EnterpriseRow& row) = 0;
  virtual bool EnterpriseKnown(const std::string& kbo) = 0;
  // The enterprises to stop: active ones deleted by the extract and not
  // listed again (deleted_only), or active ones not listed; in kbo order.
  virtual std::vector<std::string> EnterprisesToStop(bool deleted_only) = 0;
  virtual void StopEnterprise(const std::string& kbo) = 0;

  // Keeps the name if its rank is better than the one offered before.
  virtual void OfferName(const std::string& kbo, int rank,
                         const std::string& name) = 0;
  // Applies the names kept; returns how many enterprises this import did
  // not insert changed name.
  virtual size_t ApplyNames() = 0;

  virtual std::optional<std::string> PersonName(const std::string& insz) = 0;
  virtual void InsertPerson(const std::string& insz,
                            const std::string& name) = 0;
  virtual void UpdatePerson(const std::string& insz,
                            const std::string& name) = 0;

  // False when the function is there already.
  virtual bool InsertFunction(const FunctionKey& f) = 0;
  // The function is listed again: it leaves function_ended.
  virtual void UnendFunction(const FunctionKey& f) = 0;
  // Functions no ListFunction named, in key order.
  virtual std::vector<FunctionKey> UnlistedFunctions() = 0;
  // Moves it from function to function_ended.
  virtual void EndFunction(const FunctionKey& f, uint64_t revision,
                           const std::string& at,
                           const std::string& source) = 0;

  virtual std::optional<Facility> GetFacility(const std::string& hco) = 0;
  virtual void InsertFacility(const FacilityRow& row) = 0;
  virtual void UpdateFacility(const FacilityRow& row) = 0;
  // Active facilities no ListFacility named: (hco, kbo), in hco order.
  virtual std::vector<std::pair<std::string, std::string>>
  UnlistedActiveFacilities() = 0;
  virtual void CloseFacility(const std::string& hco) = 0;

  virtual std::optional<ImportSession::Extract> LastExtract() = 0;
  virtual void RecordExtract(const ImportSession::Extract& extract,
                             uint64_t revision) = 0;

  virtual void InsertAudit(uint64_t revision, int64_t at,
                           std::string_view action, std::string_view kbo,
                           std::string_view detail,
                           std::string_view message) = 0;
  virtual HistoryMark Mark() = 0;
  virtual void SetMark(const HistoryMark& mark) = 0;
  // Commits the transaction (with whatever the store adds to a commit).
  virtual void Commit(uint64_t revision) = 0;

  // Called inside a catch block: the exception in flight as a Status
  // (storage_error or io_error with a remedy); rethrows what is not the
  // store's.
  virtual Status Failure(std::string_view doing) = 0;
};

class RegistryImport : public ImportSession {
 public:
  // REQUIRES: tables holds the write lock (its revision is read here).
  RegistryImport(std::unique_ptr<ImportTables> tables, const DatabaseKey& key);

  Result<Put> PutEnterprise(const EnterpriseRow& row) override;
  Result<Put> PutDenomination(const DenominationRow& row) override;
  Result<size_t> FinishDenominations() override;
  Result<Put> PutPerson(const PersonRow& row) override;
  Result<Put> PutFunction(const FunctionRow& row) override;
  Result<Put> PutFacility(const FacilityRow& row) override;
  void SetSource(const std::string& source, bool full) override;
  Result<size_t> EndUnlistedFunctions() override;
  Result<size_t> CloseUnlistedFacilities() override;
  Result<Put> DeleteEnterprise(const Kbo& kbo) override;
  Result<size_t> StopDeletedEnterprises(const std::string& reason) override;
  Result<size_t> StopUnlistedEnterprises(const std::string& reason) override;
  Result<std::optional<Extract>> LastExtract() override;
  Status RecordExtract(const Extract& extract) override;
  bool wrote_state() const override { return wrote_state_; }
  const RegistryChanges& changes() const override { return ledger_.changes(); }
  const RegistryDelta& delta() const override { return ledger_.delta(); }
  uint64_t revision() const override { return revision_; }
  Result<uint64_t> Commit(const std::string& action, const std::string& detail,
                          const std::string& message, bool changed) override;

 private:
  // Runs fn, turning the store's failure into a Status (`doing` names it).
  template <typename T, typename Fn>
  Result<T> Guard(std::string_view doing, Fn fn);
  Result<size_t> Stop(bool deleted_only, const std::string& reason);
  void Write(const ImportAuditRow& r);

  std::unique_ptr<ImportTables> tables_;
  const DatabaseKey& key_;  // the store's
  const uint64_t revision_;
  const int64_t at_;
  std::string source_;  // the file the rows come from (SetSource)
  bool full_ = false;   // remember what the rows list
  ImportLedger ledger_;
  bool wrote_state_ = false;  // RecordExtract
};

}  // namespace toegang

#endif  // TOEGANG_STORE_REGISTRY_IMPORT_H_
