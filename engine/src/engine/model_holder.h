// ModelHolder: the model queries read, held twice (left-right, see
// base/left_right.h): loading it from the store, the second instance (the
// twin, copied in the background after opening, or at the first write of
// a one-shot engine), applying committed change sets to both instances,
// and folding the overlays into new bases once they hold enough changes
// (compaction). ModelCheckReader is the loaded model as a CheckReader.
//
// Thread safety: Read(), loaded_revision() and the counters may be called
// from any thread without a lock; Read() never waits for the writer. Every
// other method is the writer's: the caller holds the engine's writer lock
// (EngineImpl::write_mu_, engine.cc), which serializes them. The holder
// owns no lock; its one background task (the twin's copy, started by the
// first Load of a long-running engine) reads only the loaded instance,
// which nothing changes until TwinReady() has waited for the task.
#ifndef TOEGANG_ENGINE_MODEL_HOLDER_H_
#define TOEGANG_ENGINE_MODEL_HOLDER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/left_right.h"
#include "check/check_reader.h"
#include "engine/settings.h"
#include "graph/delegation_graph.h"
#include "model/change_set.h"
#include "rules/name_index.h"
#include "store/store.h"

namespace toegang {

// What queries read: the graph (with its check index), the revision it
// reflects, and the index of its names, built by the first name search.
// A copy of a Model shares the name index's cache (rules/name_index.h,
// invariant 2: a copy holds the same names at the same vertices); a model
// made by a load has a cache of its own.
struct Model {
  DelegationGraph graph;
  uint64_t revision = 0;
  std::shared_ptr<NameIndexCache> names = std::make_shared<NameIndexCache>();
};
using ModelPtr = std::unique_ptr<Model>;

// The loaded model as a CheckReader (check/check_reader.h): the graph's
// check index, with the graph's facility table for the HCO numbers.
class ModelCheckReader {
 public:
  explicit ModelCheckReader(const Model& model) : model_(model) {}
  uint64_t revision() const { return model_.revision; }
  void Prefetch(uint64_t insz) const {
    model_.graph.check_index().Prefetch(insz);
  }
  std::optional<uint32_t> FindFacility(const std::string& hco) const {
    return model_.graph.FindFacilityIndex(hco);
  }
  bool Allowed(uint64_t insz, unsigned app, uint32_t facility) const {
    return model_.graph.check_index().Allowed(insz, app, facility);
  }
  std::vector<std::string> GrantingHcos(uint64_t insz, unsigned app,
                                        uint32_t facility) const {
    return model_.graph.GrantingFacilitiesAt(insz, app, facility);
  }

 private:
  const Model& model_;
};
static_assert(CheckReader<ModelCheckReader>);

class ModelHolder {
 public:
  // Work the twin's task does on the instance just loaded, after copying
  // it (the index snapshot of the load).
  using AfterLoad = std::function<void(const Model& loaded)>;

  ModelHolder(const Catalogue* catalogue, const Settings* settings)
      : catalogue_(catalogue), settings_(settings) {}
  ~ModelHolder();  // waits for the twin's task
  ModelHolder(const ModelHolder&) = delete;
  ModelHolder& operator=(const ModelHolder&) = delete;

  // --- any thread -------------------------------------------------------
  // Runs fn(const ModelPtr&) on the instance readers may read now.
  // REQUIRES: loaded() (seen through the engine's hand-over flag).
  template <typename Fn>
  decltype(auto) Read(Fn&& fn) const {
    return model_->Read(std::forward<Fn>(fn));
  }
  // The revision of the model last put in place (or of the index snapshot
  // checks read before it: set_published_revision).
  uint64_t published_revision() const {
    return published_revision_.load(std::memory_order_acquire);
  }
  // When the model last changed (steady clock, ns).
  int64_t last_change_ns() const {
    return last_change_ns_.load(std::memory_order_relaxed);
  }
  size_t compactions() const {
    return compactions_.load(std::memory_order_relaxed);
  }
  // How long the last full load took (0 if none).
  int64_t load_ms() const { return load_ms_.load(std::memory_order_relaxed); }

  // --- the writer (the engine's writer lock held) ------------------------
  bool loaded() const { return model_ != nullptr; }
  // The model as the writer sees it. REQUIRES: loaded().
  const Model& writer() const { return *model_->WriterView(); }
  // Whether the twin's task still runs (it writes a snapshot of its own).
  bool twin_pending() const { return twin_.valid(); }
  // Whether a change to the two instances began and did not finish (an
  // exception left them apart: Publish, PutInPlace); the caller then loads
  // both again from the store. REQUIRES: the writer lock held.
  bool dirty() const { return dirty_; }
  // Waits for the twin's task to end, leaving its copy to TwinReady.
  void WaitForTwin() const {
    if (twin_.valid()) twin_.wait();
  }
  // Before anything is loaded: the revision checks answer at.
  void set_published_revision(uint64_t revision) {
    published_revision_.store(revision, std::memory_order_release);
  }

  // Loads the whole federation from the store. Readers keep the old model
  // until the new one is swapped in. The first load of a long-running
  // engine starts the twin's task, which runs after_first(revision)'s
  // work (may be empty) once it has copied the model.
  Status Load(Store& store,
              const std::function<AfterLoad(uint64_t)>& after_first);

  // Waits for the background copy made at opening (or, in a one-shot
  // engine, makes it) and puts it in place as the instance no query
  // reads. REQUIRES: loaded().
  void TwinReady();

  // Applies committed change sets to both instances, then compacts when
  // due (OpenOptions::compact_after_changes). REQUIRES: loaded().
  void Publish(const std::vector<ChangeSet>& changes);

 private:
  void CompactIfDue();
  void PutInPlace(ModelPtr fresh);
  void Changed(uint64_t revision);

  const Catalogue* const catalogue_;
  const Settings* const settings_;
  // Null until the first Load.
  std::unique_ptr<LeftRight<ModelPtr>> model_;
  // The second instance while it is being copied after opening.
  std::future<ModelPtr> twin_;
  // A change to the instances began and did not finish (dirty()). Under
  // the writer lock.
  bool dirty_ = false;
  std::atomic<uint64_t> published_revision_{0};
  std::atomic<int64_t> last_change_ns_{0};
  std::atomic<size_t> compactions_{0};  // CompactIfDue() runs
  std::atomic<int64_t> load_ms_{0};
};

// The steady clock in nanoseconds (ModelHolder::last_change_ns).
int64_t SteadyNanos();

}  // namespace toegang

#endif  // TOEGANG_ENGINE_MODEL_HOLDER_H_
