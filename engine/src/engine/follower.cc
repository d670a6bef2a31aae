#include "engine/follower.h"

#include <algorithm>
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
  if (s.ok()) {
    failed_looks_.store(0, std::memory_order_relaxed);
  } else {
    failed_looks_.fetch_add(1, std::memory_order_relaxed);
  }
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

std::chrono::milliseconds FollowBackoff(std::chrono::milliseconds period,
                                        uint32_t failures) {
  const std::chrono::milliseconds cap = std::max(period, kMaxFollowBackoff);
  std::chrono::milliseconds wait = period;
  for (uint32_t i = 0; i < failures && wait < cap; ++i) wait *= 2;
  return std::min(wait, cap);
}

bool Follower::WaitForCommit(std::chrono::milliseconds period,
                             const StopSignal& stop) {
  const std::chrono::milliseconds wait =
      FollowBackoff(period, failed_looks_.load(std::memory_order_relaxed));
  if (listener_ == nullptr) return stop.WaitFor(wait);
  // Heard or not: look (the poll). A listener that lost its connection
  // tries to listen again once per call, so at this pace too.
  (void)listener_->Wait(wait);
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
