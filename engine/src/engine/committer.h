// Committer: one mutation (SPEC 4.4) from plan to durable commit. It plans
// the mutation against the writer's model (rules/rules.h), and either
// commits the plan's change set to the store or, for a refusal, records it
// in the audit log; the caller then publishes the change set to the model
// (ModelHolder::Publish).
//
// Thread safety: a function without state. REQUIRES: the engine's writer
// lock (EngineImpl::write_mu_) held, the store's WriteLock taken, and the
// model caught up with the database under it.
#ifndef TOEGANG_ENGINE_COMMITTER_H_
#define TOEGANG_ENGINE_COMMITTER_H_

#include "engine/model_holder.h"
#include "model/catalogue.h"
#include "model/change_set.h"
#include "store/store.h"
#include "toegang/engine.h"
#include "toegang/mutation.h"

namespace toegang {

// Plans `mutation` against `current` and commits it under `lock`. On
// success *committed is the change set to publish; on failure nothing was
// committed (a refusal, kRefused, was recorded with the actor).
Result<CommitInfo> CommitMutation(Store& store, WriteLock& lock,
                                  const Catalogue& catalogue,
                                  const Model& current,
                                  const Mutation& mutation,
                                  ChangeSet* committed);

}  // namespace toegang

#endif  // TOEGANG_ENGINE_COMMITTER_H_
