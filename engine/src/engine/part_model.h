// PartModel: what a one-shot engine (OpenMode::kOneShot) answers a call
// from while it has no full model: a model of only the part of the
// federation the call names (Store::LoadPart), read afresh from the
// database for that call, under the call's own transaction, and dropped
// after it. A query about a person reads the enterprises that person has
// a function or a role in, not the million others; what it reads there is
// what a full load would hold (docs/architecture.md, "One-shot commands").
//
// Thread safety: functions without state. LoadPartModel uses the store:
// the caller holds the engine's writer lock (EngineImpl::write_mu_).
#ifndef TOEGANG_ENGINE_PART_MODEL_H_
#define TOEGANG_ENGINE_PART_MODEL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/model_holder.h"
#include "model/catalogue.h"
#include "store/store.h"
#include "toegang/mutation.h"
#include "toegang/status.h"

namespace toegang {

// The scope of a question about a person (check, explain, access,
// managed-by), at a facility when hco is not empty. Text that does not
// parse is left out: the engine refuses it before reading any model.
LoadScope QuestionScope(std::string_view insz, std::string_view hco = {});

// The scope of a question about an enterprise (who, graph) or a facility
// (users).
LoadScope EnterpriseScope(uint64_t kbo);
LoadScope FacilityScope(std::string_view hco);

// The scope of a mutation: its actor, the person it names, the managers
// it names, its enterprise and its facility. Text that does not parse is
// left out: the rules refuse it before they read the graph.
LoadScope MutationScope(const Mutation& m);

// The part of the federation `scope` reaches, loaded and compacted on the
// heap, with the revision it was read at. REQUIRES: the writer lock held.
Result<ModelPtr> LoadPartModel(Store& store, const Catalogue* catalogue,
                               const LoadScope& scope);

}  // namespace toegang

#endif  // TOEGANG_ENGINE_PART_MODEL_H_
