// HealthRecord: what the engine tells health checks and metrics about how
// it started (StartupInfo) and how it keeps up with the database
// (FollowState): the counters and last errors the follower, the snapshot
// watcher and the background load write, and Engine::startup() and
// Engine::follow_state() read.
//
// Thread safety: every method may be called from any thread. The record
// owns one mutex, a leaf: no other lock is taken while it is held, and it
// may be taken while the engine's writer lock is held (never the other way
// round).
#ifndef TOEGANG_ENGINE_HEALTH_RECORD_H_
#define TOEGANG_ENGINE_HEALTH_RECORD_H_

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

#include "toegang/engine.h"
#include "toegang/status.h"

namespace toegang {

class HealthRecord {
 public:
  // The model counts as current from now (the engine opens and loads it
  // before anything reads the record).
  HealthRecord();

  // How opening went with the index snapshot (set once, at opening).
  void SetStart(bool from_snapshot, std::string note, int64_t snapshot_ms);

  // One look at the database by a catch-up: its outcome, and whether it
  // applied something.
  void Look(const Status& outcome, bool applied);
  // One attempt of the background load after a start from a snapshot.
  void LoadAttempt(const Status& outcome);
  // A look by the snapshot watcher that failed.
  void WatchFailed(const std::string& message);
  // A follower's look left to the writer holding the writer lock.
  void Skipped();
  // A catch-up that loaded everything again.
  void Reloaded();
  // A catch-up that replayed this many revisions from the change log.
  void Replayed(size_t revisions);

  // The record, with the fields the engine knows better filled in: the
  // model's revision and load time, the compactions, and `files`, the
  // outcome of Store::CheckHealth.
  FollowState Follow(uint64_t revision, size_t compactions,
                     const Status& files) const;
  StartupInfo Startup(bool model_loaded, int64_t load_ms) const;

 private:
  void Failed(const std::string& message);  // REQUIRES: mu_ held

  mutable std::mutex mu_;
  FollowState follow_;
  bool last_look_failed_ = false;  // the last catch-up or load failed
  StartupInfo startup_;
};

}  // namespace toegang

#endif  // TOEGANG_ENGINE_HEALTH_RECORD_H_
