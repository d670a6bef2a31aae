#include "engine/follower.h"

#include <utility>

#include "base/time_util.h"
#include "model/text_forms.h"
#include "toegang/identifiers.h"

namespace toegang {

Status Follower::CatchUp() {
  Result<uint64_t> stored = store_->CurrentRevision();
  Status s = stored.ok() ? Status::Ok() : stored.status();
  const bool behind = stored.ok() && *stored != model_->writer().revision;
  if (behind) s = CatchUpFrom(*stored);
  health_->Look(s, behind);
  return s;
}

Status Follower::CatchUpFrom(uint64_t stored) {
  const uint64_t mine = model_->writer().revision;
  if (stored < mine) return Reload();  // a different file now
  Result<std::optional<std::vector<ChangeSet>>> changes =
      ReadChangesSince(mine);
  if (!changes.ok()) return changes.status();
  if (!changes->has_value() || (*changes)->empty() ||
      (*changes)->back().revision < stored) {
    return Reload();
  }
  model_->Publish(**changes);
  health_->Replayed((*changes)->size());
  return Status::Ok();
}

// The whole model loaded again for a catch-up, counted in follow_state()
// once it is visible.
Status Follower::Reload() {
  Status s = model_->Load(*store_, nullptr);
  if (s.ok()) health_->Reloaded();
  return s;
}

// Returns nullopt when the log cannot be replayed (an import, whose rows
// are not in the log, or rows this build cannot read): then the caller
// loads from the tables.
Result<std::optional<std::vector<ChangeSet>>> Follower::ReadChangesSince(
    uint64_t from) {
  std::vector<ChangeSet> out;
  AuditQuery q;
  q.since_revision = from;
  q.limit = 1000;
  for (;;) {
    Result<std::vector<AuditRecord>> rows = store_->ReadAudit(q);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) break;
    for (const AuditRecord& r : *rows) {
      q.after_seq = r.seq;
      std::optional<Op> op = r.action.rfind("import.", 0) == 0
                                 ? std::nullopt
                                 : OpFromJson(r.detail, *catalogue_);
      if (!op) return std::optional<std::vector<ChangeSet>>();
      if (out.empty() || out.back().revision != r.revision) {
        // Revisions follow each other without gaps (the store's
        // invariant); anything else is not replayable.
        const uint64_t expected =
            out.empty() ? from + 1 : out.back().revision + 1;
        if (r.revision != expected) {
          return std::optional<std::vector<ChangeSet>>();
        }
        ChangeSet c;
        c.revision = r.revision;
        c.at = ParseUtc(r.at);
        c.actor = FromDigits(r.actor).value_or(0);  // none for imports
        out.push_back(std::move(c));
      }
      out.back().ops.push_back(std::move(*op));
    }
  }
  return std::optional<std::vector<ChangeSet>>(std::move(out));
}

}  // namespace toegang
