// GraphLoadSink: a full load (Store::Load) into a DelegationGraph; it sits
// in engine/ because it ties storage to the model in memory, which know
// nothing of each other. Each
// call of the sink is the graph's building call for that row; the
// functions, users and rights are staged (StageFunction, ApplyStaged), so
// the caller compacts the graph (DelegationGraph::Compact) before anything
// reads it.
//
// Thread safety: as the graph it fills (exclusive access during the load).
#ifndef TOEGANG_ENGINE_GRAPH_LOAD_SINK_H_
#define TOEGANG_ENGINE_GRAPH_LOAD_SINK_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graph/delegation_graph.h"
#include "store/load_sink.h"

namespace toegang {

class GraphLoadSink final : public LoadSink {
 public:
  // graph: the graph to fill, built on the catalogue the store loaded;
  // must outlive this sink.
  explicit GraphLoadSink(DelegationGraph* graph) : graph_(*graph) {}

  const Catalogue& catalogue() const override { return graph_.catalogue(); }
  void Reserve(size_t persons, size_t enterprises, size_t facilities,
               size_t subafdelingen) override {
    graph_.Reserve(persons, enterprises, facilities, subafdelingen);
  }
  void Enterprise(uint64_t kbo, std::string_view name, bool active,
                  std::string_view juridical_form,
                  std::string_view start_date) override {
    graph_.UpsertEnterprise(kbo, name, active, juridical_form, start_date);
  }
  void Person(uint64_t insz, std::string_view name) override {
    graph_.UpsertPerson(insz, name);
  }
  void Function(uint64_t kbo, uint64_t insz, FunctionRole role) override {
    graph_.StageFunction(kbo, insz,
                         role == FunctionRole::kEmployee
                             ? LinkKind::kEmployee
                             : LinkKind::kLegalRepresentative);
  }
  void EndedLegalRepresentatives(
      std::vector<std::pair<uint64_t, uint64_t>> ended) override {
    graph_.SetEndedLegalRepresentatives(std::move(ended));
  }
  void Facility(const std::string& hco, const std::string& name,
                const std::string& type_code, uint64_t kbo,
                bool active) override {
    graph_.UpsertFacility(hco, name, type_code, kbo, active);
  }
  void Apply(const Op& op, const Provenance& prov) override {
    graph_.Apply(op, prov);
  }
  void ApplyStaged(const Op& op, const Provenance& prov) override {
    graph_.ApplyStaged(op, prov);
  }

 private:
  DelegationGraph& graph_;
};

}  // namespace toegang

#endif  // TOEGANG_ENGINE_GRAPH_LOAD_SINK_H_
