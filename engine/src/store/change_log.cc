// The change log read back as change sets (Store::ChangesSince), the same
// for every store: it reads the audit log through Store::ReadAudit from a
// revision on and groups the committed ops by revision.
#include <utility>

#include "base/time_util.h"
#include "model/text_forms.h"
#include "store/store.h"

namespace toegang {

Result<std::optional<std::vector<ChangeSet>>> Store::ChangesSince(
    uint64_t from) {
  Store& store = *this;
  const Catalogue& catalogue = this->catalogue();
  using Changes = std::optional<std::vector<ChangeSet>>;
  std::vector<ChangeSet> out;
  AuditQuery q;
  q.since_revision = from;
  q.limit = 1000;
  for (;;) {
    Result<std::vector<AuditRecord>> rows = store.ReadAudit(q);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) break;
    for (const AuditRecord& r : *rows) {
      q.after_seq = r.seq;
      std::optional<Op> op = r.action.rfind("import.", 0) == 0
                                 ? std::nullopt
                                 : OpFromJson(r.detail, catalogue);
      if (!op) return Changes();
      if (out.empty() || out.back().revision != r.revision) {
        // Revisions follow each other without gaps (the store's
        // invariant); anything else is not replayable.
        const uint64_t expected =
            out.empty() ? from + 1 : out.back().revision + 1;
        if (r.revision != expected) return Changes();
        ChangeSet c;
        c.revision = r.revision;
        c.at = ParseUtc(r.at);
        c.actor = FromDigits(r.actor).value_or(0);  // none for imports
        out.push_back(std::move(c));
      }
      out.back().ops.push_back(std::move(*op));
    }
  }
  return Changes(std::move(out));
}

}  // namespace toegang
