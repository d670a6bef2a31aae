#include "engine/model_holder.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "base/huge_pages.h"
#include "engine/graph_load_sink.h"

namespace toegang {

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

ModelHolder::~ModelHolder() { WaitForTwin(); }  // the copy reads the model

Status ModelHolder::Load(
    Store& store, const std::function<AfterLoad(uint64_t)>& after_first) {
  const auto started = std::chrono::steady_clock::now();
  auto fresh = std::make_unique<Model>(Model{DelegationGraph(catalogue_), 0});
  GraphLoadSink sink(&fresh->graph);
  Result<uint64_t> rev = store.Load(&sink);
  if (!rev.ok()) return rev.status();
  fresh->revision = *rev;
  // The compaction makes the staged functions, users and rights part of
  // the graph (Store::Load), and gives the two instances one base to
  // share; a one-shot engine, which copies its model only for a write, if
  // ever, keeps that base on the heap. The build-time overlay (a million
  // small blocks at M) is freed off the path to the first query: by the
  // twin's task when opening, else below.
  std::unique_ptr<LinkGraph::Overlay> retired = fresh->graph.Compact(
      settings_->lazy ? FrozenStore::Heap() : settings_->base_store);
  load_ms_.store(std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - started)
                     .count(),
                 std::memory_order_relaxed);
  if (model_ == nullptr) {
    // Opening: queries can start on the loaded model at once; its twin,
    // which only writers need, is copied in the background (see
    // TwinReady), or by the first write of a one-shot engine.
    const Model* loaded = fresh.get();
    model_ = std::make_unique<LeftRight<ModelPtr>>(std::move(fresh), nullptr);
    if (!settings_->lazy) {
      // The task runs `after` off the path to the first check. Nothing
      // changes the loaded instance until TwinReady() has waited for it.
      AfterLoad after = after_first ? after_first(*rev) : AfterLoad();
      twin_ = std::async(
          std::launch::async,
          [loaded, after = std::move(after), retired = std::move(retired),
           index_names = settings_->index_names]() mutable {
            retired.reset();
            ReturnFreedMemory();
            auto twin = std::make_unique<Model>(*loaded);
            if (after) after(*loaded);
            // The twin shares the cache (model_holder.h, Model).
            if (index_names) loaded->names->Get(loaded->graph);
            return twin;
          });
    }
  } else {
    retired.reset();
    // Both instances are replaced below: a twin still being copied from
    // the loaded instance is waited for and dropped, not put in place.
    if (twin_.valid()) twin_.get();
    if (settings_->index_names) fresh->names->Get(fresh->graph);
    PutInPlace(std::move(fresh));
    ReturnFreedMemory();  // the two old instances and the overlay
  }
  Changed(*rev);
  return Status::Ok();
}

void ModelHolder::TwinReady() {
  if (twin_.valid()) {
    model_->Idle() = twin_.get();
    // The loaded instance's small records lie scattered among the blocks
    // its load freed, pinning those pages; queries move to the twin and
    // the loaded instance makes way for a fresh copy, so that its heap
    // can go back to the system.
    const Model* twin = model_->Idle().get();
    model_->Write([twin](ModelPtr& m) {
      if (m.get() != twin) m = std::make_unique<Model>(*twin);
    });
    ReturnFreedMemory();
  } else if (model_->Idle() == nullptr) {
    model_->Idle() = std::make_unique<Model>(writer());
  }
}

void ModelHolder::Publish(const std::vector<ChangeSet>& changes) {
  if (changes.empty()) return;
  TwinReady();
  dirty_ = true;  // until both instances hold the changes
  model_->Write([&](ModelPtr& m) {
    for (const ChangeSet& c : changes) {
      m->graph.ApplyAll(c);
      m->revision = c.revision;
    }
  });
  dirty_ = false;
  Changed(changes.back().revision);
  CompactIfDue();
}

void ModelHolder::Changed(uint64_t revision) {
  published_revision_.store(revision, std::memory_order_release);
  last_change_ns_.store(SteadyNanos(), std::memory_order_relaxed);
}

// Folds the overlays into new bases once they hold enough changes (see
// OpenOptions::compact_after_changes): the writer's instance is copied
// and compacted, and takes the place of both, as a reload's fresh model
// does. Both instances are equal here.
void ModelHolder::CompactIfDue() {
  if (settings_->lazy) return;
  const DelegationGraph& g = writer().graph;
  const LinkGraph& links = g.graph();
  const size_t changes = links.overlay_edge_count() +
                         links.removed_base_edge_count() +
                         g.check_index().own_persons();
  const size_t due = settings_->compact_after_changes != 0
                         ? settings_->compact_after_changes
                         : std::max<size_t>(50000, links.edge_count() / 20);
  if (changes < due) return;
  auto fresh = std::make_unique<Model>(writer());
  std::unique_ptr<LinkGraph::Overlay> retired =
      fresh->graph.Compact(settings_->base_store);
  PutInPlace(std::move(fresh));
  retired.reset();
  ReturnFreedMemory();  // the two old instances and their overlays
  compactions_.fetch_add(1, std::memory_order_relaxed);
}

// Replaces both instances by `fresh`: it goes where no reader is, and the
// other instance becomes a copy of it once its readers have left.
void ModelHolder::PutInPlace(ModelPtr fresh) {
  const Model* first = nullptr;
  dirty_ = true;  // until both instances are fresh
  model_->Write([&](ModelPtr& m) {
    if (first == nullptr) {
      m = std::move(fresh);
      first = m.get();
    } else {
      m = std::make_unique<Model>(*first);
    }
  });
  dirty_ = false;
}

}  // namespace toegang
