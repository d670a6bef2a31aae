#include "engine/snapshot_keeper.h"

#include <fmt/format.h>

#include <chrono>
#include <string>
#include <utility>

#include "base/exception_boundary.h"
#include "base/keyed_hash.h"
#include "toegang/error_codes.h"

namespace toegang {

bool SnapshotKeeper::Start(ModelHolder* model) {
  const auto started = std::chrono::steady_clock::now();
  Result<HistoryMark> mark = store_->CurrentMark();
  std::string note;
  if (!mark.ok()) {
    note = mark.status().message();
  } else {
    const SnapshotStamp stamp = StampFor(*mark);
    Result<std::unique_ptr<MappedCheckIndex>> mapped =
        MappedCheckIndex::Open(settings_->snapshot_path);
    std::unique_ptr<RevisionWatch> watch;
    if (!mapped.ok()) {
      note = mapped.status().message();
    } else if ((*mapped)->stamp().database != stamp.database) {
      note =
          "the index snapshot belongs to another database (a file copied "
          "or moved from elsewhere, or written before this database was "
          "made or migrated)";
    } else if ((*mapped)->stamp().revision != stamp.revision) {
      note = fmt::format(
          "the index snapshot is of revision {}, the database is at {}",
          (*mapped)->stamp().revision, stamp.revision);
    } else if ((*mapped)->stamp() != stamp) {
      note = fmt::format(
          "the index snapshot is of revision {} but of another history or "
          "state: a copy of this database that was changed apart, an edit "
          "behind toegang's back, or a build that stamps differently",
          stamp.revision);
    } else if (settings_->follows() && !store_->read_only()) {
      Result<std::unique_ptr<RevisionWatch>> w = store_->WatchRevision();
      if (!w.ok()) {
        note = fmt::format(
            "the database cannot be watched while the "
            "graph loads ({})",
            w.status().message());
      } else {
        watch = std::move(w).value();
      }
    }
    if (note.empty()) {
      mapped_ = std::move(mapped).value();
      watch_ = std::move(watch);
      model->set_published_revision(stamp.revision);
      written_revision_.store(stamp.revision, std::memory_order_relaxed);
    }
  }
  health_->SetStart(mapped_ != nullptr, std::move(note),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count());
  return mapped_ != nullptr;
}

void SnapshotKeeper::StartWatcher() {
  if (watch_ == nullptr) return;
  const uint64_t at = mapped_->stamp().revision;
  watcher_ = std::thread([this, at] { Watch(at); });
}

// The watcher thread: reads the database's revision through its own
// connection every follow interval while the graph loads. Once it differs
// from the snapshot's (another process committed), or cannot be read,
// checks fail closed (Distrust) until the model is loaded and caught up.
void SnapshotKeeper::Watch(uint64_t at) {
  while (!stop_->WaitFor(settings_->follow_interval, [this] {
    return model_ready();
  }) && !model_ready()) {
    Result<uint64_t> now =
        CatchAll("watching the database", [&] { return watch_->Revision(); });
    if (!now.ok()) health_->WatchFailed(now.status().message());
    if (!now.ok() || *now != at) {
      behind_.store(true, std::memory_order_release);
      break;
    }
  }
  watch_.reset();  // only this thread uses it
}

Status SnapshotKeeper::Distrust() const {
  if (load_failed_.load(std::memory_order_acquire)) {
    return Status::Storage(code::kStorageError,
                           "the federation could not be loaded after "
                           "opening; the engine retries every second (see "
                           "follow_state().last_error)");
  }
  // Another process committed since the snapshot: its answers may be
  // stale (a revoked right), so none is given until the model, loading
  // now, has caught up.
  return Status::Storage(
      code::kRevisionNotReached,
      fmt::format("the database has moved past revision {} of "
                  "the index snapshot this engine started from; "
                  "checks resume once the graph, loading now, "
                  "has caught up: retry shortly",
                  mapped_->stamp().revision));
}

void SnapshotKeeper::HandOver() {
  // A check that missed this store has announced itself on readers_
  // before looking, so once the count is zero no check can be reading the
  // snapshot.
  model_ready_.store(true, std::memory_order_seq_cst);
  readers_.WaitUntilZero();
  mapped_.reset();
  // The snapshot of this load is written by the twin's task
  // (WriterForFirstLoad), or when a one-shot engine, which has none,
  // closes.
  due_at_close_ = settings_->snapshots && settings_->lazy;
}

ModelHolder::AfterLoad SnapshotKeeper::WriterForFirstLoad(uint64_t revision) {
  if (!settings_->snapshots) return {};
  Result<SnapshotStamp> stamp = StampOf(revision);
  if (!stamp.ok()) return {};
  written_revision_.store(revision, std::memory_order_relaxed);
  return
      [path = settings_->snapshot_path, stamp = *stamp](const Model& loaded) {
        (void)WriteIndexSnapshot(path, stamp, loaded.graph.check_index(),
                                 loaded.graph.FacilityHcos());
      };
}

bool SnapshotKeeper::IdleWriteDue(const ModelHolder& model) const {
  const uint64_t revision = model.published_revision();
  if (!model_ready() ||
      revision == written_revision_.load(std::memory_order_relaxed)) {
    return false;
  }
  return SteadyNanos() - model.last_change_ns() >=
         std::chrono::nanoseconds(settings_->snapshot_after_idle).count();
}

void SnapshotKeeper::WriteIdle(const ModelHolder& model) {
  Write(model.writer(), /*only_if_stale=*/true);
  written_revision_.store(model.writer().revision, std::memory_order_relaxed);
}

void SnapshotKeeper::WriteAtClose(const ModelHolder& model) {
  if (model_ready()) Write(model.writer(), /*only_if_stale=*/!due_at_close_);
}

// Writes the index snapshot of the model (when only_if_stale, only if the
// file on disk is not of the model's state). A cache: failures are
// ignored.
void SnapshotKeeper::Write(const Model& model, bool only_if_stale) {
  if (!settings_->snapshots) return;
  Result<SnapshotStamp> stamp = StampOf(model.revision);
  if (!stamp.ok()) return;
  const std::string path = settings_->snapshot_path;
  if (only_if_stale && ReadSnapshotStamp(path) == *stamp) return;
  (void)WriteIndexSnapshot(path, *stamp, model.graph.check_index(),
                           model.graph.FacilityHcos());
}

// The stamp of the database state at `revision`, which must be the
// database's current one (a snapshot of any other state would be stale at
// once). One indexed read.
Result<SnapshotStamp> SnapshotKeeper::StampOf(uint64_t revision) {
  Result<HistoryMark> mark = store_->CurrentMark();
  if (!mark.ok()) return mark.status();
  if (mark->revision != revision) {
    return Status::Storage(code::kStorageError,
                           fmt::format("the database is at revision {}, "
                                       "not {}",
                                       mark->revision, revision));
  }
  return StampFor(*mark);
}

// A hash keyed with the database's id of its chain value at the mark's
// revision (which stands for its whole history, see
// schema/0002_database_identity.sql), of the catalogue and of the schema
// version, and a keyed fingerprint of the id.
SnapshotStamp SnapshotKeeper::StampFor(const HistoryMark& mark) const {
  KeyedHasher digest(store_->database_key());
  digest.Add(std::string_view("toegang index snapshot"));
  digest.Add(CatalogueDigest(*catalogue_));
  // A migration may rewrite rows without a revision of its own.
  digest.Add(static_cast<uint64_t>(store_->schema_version()));
  digest.Add(mark.revision);
  digest.Add(mark.chain);
  KeyedHasher database(store_->database_key());
  database.Add(std::string_view("toegang database"));
  return SnapshotStamp{mark.revision, digest.Final(), database.Final()};
}

}  // namespace toegang
