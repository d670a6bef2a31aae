// SnapshotKeeper: the index snapshot's life cycle (docs/architecture.md,
// "Start-up"). At opening it maps the snapshot when it was taken from the
// database's current state, and checks read it until the model is loaded
// (the hand-over); meanwhile a follower's watcher thread looks at the
// database's revision and makes checks fail closed once another process
// has committed past the snapshot. Later it writes the snapshot: after a
// long-running engine's first load (in the twin's task), when the model
// has been idle for OpenOptions::snapshot_after_idle, and when the engine
// closes.
//
// Thread safety and locks: the keeper owns no mutex. The check side
// (model_ready, Enter, index, trusted, Distrust) may be called from any
// thread without a lock: a check announces itself on a ReaderCount before
// it reads the mapped index, and HandOver waits for those readers before
// it unmaps (a Dekker-style hand-over on model_ready_). Start runs at
// opening, before any other thread; StartWatcher starts the watcher
// thread, which only reads the database through its own connection and
// writes the HealthRecord, and StopWatcher joins it after the engine's
// StopSignal was given. Every other method requires the engine's writer
// lock (EngineImpl::write_mu_), which serializes them and every use of the
// store.
#ifndef TOEGANG_ENGINE_SNAPSHOT_KEEPER_H_
#define TOEGANG_ENGINE_SNAPSHOT_KEEPER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

#include "base/left_right.h"
#include "check/index_snapshot.h"
#include "engine/health_record.h"
#include "engine/model_holder.h"
#include "engine/settings.h"
#include "engine/stop_signal.h"
#include "model/catalogue.h"
#include "store/store.h"

namespace toegang {

class SnapshotKeeper {
 public:
  SnapshotKeeper(Store* store, const Catalogue* catalogue,
                 const Settings* settings, HealthRecord* health,
                 const StopSignal* stop)
      : store_(store),
        catalogue_(catalogue),
        settings_(settings),
        health_(health),
        stop_(stop) {}
  ~SnapshotKeeper() { StopWatcher(); }
  SnapshotKeeper(const SnapshotKeeper&) = delete;
  SnapshotKeeper& operator=(const SnapshotKeeper&) = delete;

  // --- opening, before any other thread ---------------------------------
  // Maps the index snapshot when it was taken from the database's current
  // state (then *model's published revision is the snapshot's); otherwise
  // notes why not in the HealthRecord. A follower that can write also
  // opens the connection the watcher reads. Returns whether checks read
  // the snapshot until the hand-over.
  bool Start(ModelHolder* model);
  // Starts the watcher thread when Start opened its connection.
  void StartWatcher();
  // Joins the watcher. REQUIRES: the StopSignal was given (or the model
  // handed over), so that it ends.
  void StopWatcher() {
    if (watcher_.joinable()) watcher_.join();
  }

  // --- checks: any thread, no lock --------------------------------------
  // Whether checks read the model (after HandOver, or when nothing was
  // mapped and the model was loaded).
  bool model_ready() const {
    return model_ready_.load(std::memory_order_acquire);
  }
  // A check's read of the snapshot: enter, then look at model_ready_now()
  // again; only while that is false may it read index().
  ReaderCount::Inside Enter() const { return readers_.Enter(); }
  bool model_ready_now() const {
    return model_ready_.load(std::memory_order_seq_cst);
  }
  // REQUIRES: inside Enter() and !model_ready_now().
  const MappedCheckIndex& index() const { return *mapped_; }
  // False once the snapshot may no longer answer: the background load
  // failed, or the database has moved past it. Distrust() then says why.
  bool trusted() const {
    return !load_failed_.load(std::memory_order_acquire) &&
           !behind_.load(std::memory_order_acquire);
  }
  Status Distrust() const;
  // Whether a check may read index(): a snapshot is mapped and trusted.
  // REQUIRES: inside Enter() and !model_ready_now().
  bool readable() const { return mapped_ != nullptr && trusted(); }
  // This engine committed past the snapshot without a model to hand over
  // to (a one-shot engine's mutation on a part of the federation): checks
  // stop reading it, as when the watcher sees another process's commit.
  void Outdated() { behind_.store(true, std::memory_order_release); }

  // --- the background load (its thread) ---------------------------------
  void set_load_failed(bool failed) {
    load_failed_.store(failed, std::memory_order_release);
  }

  // --- the writer lock held ---------------------------------------------
  // Whether checks went on from a snapshot while the model loaded (then
  // the loaded model must catch up before the hand-over).
  bool answering() const { return mapped_ != nullptr; }
  // Moves checks to the model for good and unmaps the snapshot.
  // REQUIRES: the model loaded and caught up.
  void HandOver();
  // For the first load of a long-running engine: the work that writes its
  // snapshot in the twin's task, always (a snapshot with a current stamp
  // but other content, the database edited behind toegang's back, heals
  // so), or nothing when snapshots are off or the stamp cannot be read.
  ModelHolder::AfterLoad WriterForFirstLoad(uint64_t revision);
  // Whether SnapshotIfIdle has work: the model moved past the snapshot on
  // disk and has been idle long enough. Reads only atomics (any thread).
  bool IdleWriteDue(const ModelHolder& model) const;
  // Writes the snapshot of the model when the one on disk is stale, and
  // remembers its revision. REQUIRES: the model loaded.
  void WriteIdle(const ModelHolder& model);
  // At closing: leaves a current snapshot for the next start (the one of a
  // one-shot engine's full load always, see HandOver).
  void WriteAtClose(const ModelHolder& model);

 private:
  Result<SnapshotStamp> StampOf(uint64_t revision);
  SnapshotStamp StampFor(const HistoryMark& mark) const;
  void Write(const Model& model, bool only_if_stale);
  void Watch(uint64_t at);

  Store* const store_;  // the writer lock held
  const Catalogue* const catalogue_;
  const Settings* const settings_;
  HealthRecord* const health_;
  const StopSignal* const stop_;

  // Until the model is loaded (model_ready_), checks read the mapped
  // snapshot, announcing themselves on readers_.
  std::atomic<bool> model_ready_{false};
  std::atomic<bool> load_failed_{false};  // the background load failed
  std::unique_ptr<MappedCheckIndex> mapped_;
  ReaderCount readers_;
  // While checks read the snapshot in a follower: the connection that
  // watches the database's revision (used by watcher_ only), and whether
  // it has moved past the snapshot (checks then fail closed).
  std::unique_ptr<RevisionWatch> watch_;
  std::atomic<bool> behind_{false};
  std::thread watcher_;
  // The revision of the snapshot this engine last wrote or started from.
  std::atomic<uint64_t> written_revision_{0};
  // A one-shot engine's full load, whose snapshot is written at closing.
  bool due_at_close_ = false;
};

}  // namespace toegang

#endif  // TOEGANG_ENGINE_SNAPSHOT_KEEPER_H_
