// Follower: keeps the model up with commits other processes (the CLI, an
// admin tool, another service) made to the database, by replaying the
// change log revision by revision, or by loading everything again when
// the log cannot be replayed (an import, whose rows are not in the log).
// The engine calls it before each write, in CatchUp() and Refresh(), and
// from its background thread (OpenMode::kFollower) every follow interval,
// or at once when the store hears another connection commit (a
// PostgreSQL store's LISTEN/NOTIFY, Store::ListenForCommits): the poll is
// then only the fallback.
//
// While the database cannot be reached, the background thread backs off:
// after each failed look it waits twice as long before the next one (and
// before the commit listener tries to listen again), up to
// kMaxFollowBackoff, and back to the follow interval after the first look
// that succeeds (FollowBackoff).
//
// Thread safety: the follower owns no lock and keeps no state of its own
// beyond the HealthRecord it writes, the commit listener and the count of
// failed looks in a row (atomic). CatchUp and
// CatchUpFrom require the engine's writer lock (EngineImpl::write_mu_),
// which serializes them with every other writer and every use of the
// store; queries go on meanwhile (the model is changed through
// ModelHolder). Listen and WaitForCommit are for the background thread
// (Listen before it starts); Interrupt may be called from any thread.
#ifndef TOEGANG_ENGINE_FOLLOWER_H_
#define TOEGANG_ENGINE_FOLLOWER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/health_record.h"
#include "engine/model_holder.h"
#include "engine/stop_signal.h"
#include "model/change_set.h"
#include "store/store.h"

namespace toegang {

// The longest wait between two looks while they fail, unless the follow
// interval itself is longer.
inline constexpr std::chrono::milliseconds kMaxFollowBackoff{2000};

// The wait before the next look after `failures` failed looks in a row:
// period when none failed, then period * 2^failures, at most
// max(period, kMaxFollowBackoff).
std::chrono::milliseconds FollowBackoff(std::chrono::milliseconds period,
                                        uint32_t failures);

class Follower {
 public:
  Follower(Store* store, ModelHolder* model, HealthRecord* health)
      : store_(store), model_(model), health_(health) {}

  // One look at the database: brings the model up to the database's
  // revision, and records the look. REQUIRES: the model loaded.
  Status CatchUp();
  // Brings the model up to `stored`, the database's revision now.
  // REQUIRES: the model loaded.
  Status CatchUpFrom(uint64_t stored);

  // Starts hearing other connections' commits, when the store can (a
  // failure leaves the poll alone in charge).
  void Listen();
  // Waits until a commit is heard, `period` (backed off while looks fail,
  // FollowBackoff) has passed or stop stops; returns stop.stopping().
  bool WaitForCommit(std::chrono::milliseconds period, const StopSignal& stop);
  // Ends a WaitForCommit in progress (the engine closes; after stop.Stop).
  void Interrupt();

 private:
  Status Reload();

  Store* const store_;
  ModelHolder* const model_;
  HealthRecord* const health_;
  std::unique_ptr<CommitListener> listener_;  // null: poll only
  std::atomic<uint32_t> failed_looks_{0};     // failed CatchUps in a row
};

}  // namespace toegang

#endif  // TOEGANG_ENGINE_FOLLOWER_H_
