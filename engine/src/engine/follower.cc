#include "engine/follower.h"

#include <utility>

#include "base/exception_boundary.h"

namespace toegang {

Status Follower::CatchUp() {
  Result<uint64_t> stored = store_->CurrentRevision();
  Status s = stored.ok() ? Status::Ok() : stored.status();
  const bool behind = stored.ok() && *stored != model_->writer().revision;
  if (behind) {
    s = CatchAll("catching up", [&] { return CatchUpFrom(*stored); });
  }
  health_->Look(s, behind);
  return s;
}

Status Follower::CatchUpFrom(uint64_t stored) {
  const uint64_t mine = model_->writer().revision;
  if (stored < mine) return Reload();  // a different file now
  Result<std::optional<std::vector<ChangeSet>>> changes =
      store_->ChangesSince(mine);
  if (!changes.ok()) return changes.status();
  if (!changes->has_value() || (*changes)->empty() ||
      (*changes)->back().revision < stored) {
    return Reload();
  }
  model_->Publish(**changes);
  health_->Replayed((*changes)->size());
  return Status::Ok();
}

void Follower::Listen() {
  Result<std::unique_ptr<CommitListener>> listener = store_->ListenForCommits();
  if (listener.ok()) listener_ = std::move(listener).value();
}

bool Follower::WaitForCommit(std::chrono::milliseconds period,
                             const StopSignal& stop) {
  if (listener_ == nullptr) return stop.WaitFor(period);
  (void)listener_->Wait(period);  // heard or not: look (the poll)
  return stop.stopping();
}

void Follower::Interrupt() {
  if (listener_ != nullptr) listener_->Interrupt();
}

// The whole model loaded again for a catch-up, counted in follow_state()
// once it is visible.
Status Follower::Reload() {
  Status s = model_->Load(*store_, nullptr);
  if (s.ok()) health_->Reloaded();
  return s;
}

}  // namespace toegang
