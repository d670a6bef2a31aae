// ImportLedger: what a registry import session (store.h, ImportSession)
// tallies and audits for each registry change, the same for every store:
// the counts (RegistryChanges), the impact delta (RegistryDelta), and the
// audit rows' detail (JSON) and message. The session writes the rows; the
// ledger says what they hold.
//
// Thread safety: one session's, used by one thread.
#ifndef TOEGANG_STORE_IMPORT_LEDGER_H_
#define TOEGANG_STORE_IMPORT_LEDGER_H_

#include <string>
#include <string_view>
#include <vector>

#include "model/registry_rows.h"
#include "store/store.h"
#include "toegang/engine.h"

namespace toegang {

// One audit row of an import (action import.*), under enterprise kbo.
struct ImportAuditRow {
  std::string_view action;  // import.enterprise, .function or .facility
  std::string kbo;          // digits
  std::string detail;
  std::string message;
};

class ImportLedger {
 public:
  // An enterprise stopped (active false) or active again; reason: the
  // file or why.
  ImportAuditRow Enterprise(const std::string& kbo, bool active,
                            const std::string& reason);
  // A KBO function added or ended; role as stored ("legal_representative"
  // or "employee").
  ImportAuditRow Function(const std::string& kbo, const std::string& insz,
                          const std::string& role, bool added,
                          const std::string& source);
  // An active facility closed because the whole registry does not list it.
  ImportAuditRow FacilityUnlisted(const std::string& hco,
                                  const std::string& kbo,
                                  const std::string& source);
  // A facility the registry lists for the first time: no audit row (it
  // changes no access by itself), but the delta holds it, as its type may
  // make its organizer an OCMW.
  void FacilityAdded(const FacilityRow& row);
  // A facility whose status, organizer or type changed (row as it is now,
  // the rest as it was): one audit row, and before it one under the old
  // organizer when it moved. Nothing when none of those changed.
  std::vector<ImportAuditRow> Facility(const FacilityRow& row,
                                       const std::string& old_type,
                                       const std::string& old_kbo,
                                       bool was_active,
                                       const std::string& source);

  const RegistryChanges& changes() const { return changes_; }
  const RegistryDelta& delta() const { return delta_; }

 private:
  RegistryChanges changes_;
  RegistryDelta delta_;
};

// The rank of a name offered for an enterprise (lower is better): the
// official name before a commercial name before an abbreviation; Dutch,
// then French, German, English, unknown.
int DenominationRank(const DenominationRow& row);

}  // namespace toegang

#endif  // TOEGANG_STORE_IMPORT_LEDGER_H_
