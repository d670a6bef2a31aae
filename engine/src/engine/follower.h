// Follower: keeps the model up with commits other processes (the CLI, an
// admin tool, another service) made to the database, by replaying the
// change log revision by revision, or by loading everything again when
// the log cannot be replayed (an import, whose rows are not in the log).
// The engine calls it before each write, in CatchUp() and Refresh(), and
// every follow interval from its background thread (OpenMode::kFollower).
//
// Thread safety: the follower owns no lock and keeps no state of its own
// beyond the HealthRecord it writes. Every method requires the engine's
// writer lock (EngineImpl::write_mu_), which serializes it with every
// other writer and every use of the store; queries go on meanwhile (the
// model is changed through ModelHolder).
#ifndef TOEGANG_ENGINE_FOLLOWER_H_
#define TOEGANG_ENGINE_FOLLOWER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/health_record.h"
#include "engine/model_holder.h"
#include "model/change_set.h"
#include "store/store.h"

namespace toegang {

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

 private:
  Status Reload();

  Store* const store_;
  ModelHolder* const model_;
  HealthRecord* const health_;
};

}  // namespace toegang

#endif  // TOEGANG_ENGINE_FOLLOWER_H_
