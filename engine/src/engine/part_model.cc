#include "engine/part_model.h"

#include <memory>
#include <string>
#include <utility>

#include "engine/graph_load_sink.h"
#include "toegang/identifiers.h"

namespace toegang {
namespace {

void AddPerson(std::string_view text, LoadScope* scope) {
  Result<Insz> p = Insz::Parse(text);
  if (p.ok()) scope->persons.push_back(p->value());
}

void AddFacility(std::string_view text, LoadScope* scope) {
  if (text.empty()) return;
  Result<Hco> h = Hco::Parse(text);
  if (h.ok()) scope->facilities.push_back(h->str());
}

}  // namespace

LoadScope QuestionScope(std::string_view insz, std::string_view hco) {
  LoadScope scope;
  AddPerson(insz, &scope);
  AddFacility(hco, &scope);
  return scope;
}

LoadScope EnterpriseScope(uint64_t kbo) {
  LoadScope scope;
  scope.enterprises.push_back(kbo);
  return scope;
}

LoadScope FacilityScope(std::string_view hco) {
  LoadScope scope;
  AddFacility(hco, &scope);
  return scope;
}

LoadScope MutationScope(const Mutation& m) {
  LoadScope scope;
  AddPerson(m.actor, &scope);
  AddPerson(m.insz, &scope);
  for (const std::string& manager : m.managers) AddPerson(manager, &scope);
  AddFacility(m.hco, &scope);
  if (!m.kbo.empty()) {
    Result<Kbo> k = Kbo::Parse(m.kbo);
    if (k.ok()) scope.enterprises.push_back(k->value());
  }
  return scope;
}

Result<ModelPtr> LoadPartModel(Store& store, const Catalogue* catalogue,
                               const LoadScope& scope) {
  auto part = std::make_unique<Model>(Model{DelegationGraph(catalogue), 0});
  GraphLoadSink sink(&part->graph);
  Result<uint64_t> revision = store.LoadPart(scope, &sink);
  if (!revision.ok()) return revision.status();
  part->revision = *revision;
  part->graph.Compact();  // the staged edges join it (Store::Load)
  return part;
}

}  // namespace toegang
