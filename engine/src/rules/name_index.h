// The name search's index (Engine::FindByName): every person and
// enterprise that has a name, sorted by (folded name, kind, id), so that a
// prefix search is two binary searches and then reads only the hits of its
// page, where FindNames (rules/cards.h) reads every name of the federation.
//
// Folded: the ASCII letters A-Z as a-z, every other byte as it is (so an
// accented letter is neither its plain letter nor its other case: "é"
// finds "émile", not "Émile" or "emile"), as FindNames has always compared.
// The hits, their order and the cursors are FindNames' exactly.
//
// Invariants:
//  1. The index holds the vertex of every person and enterprise of the
//     graph it was built from whose name is not empty, once each, in key
//     order; it holds only vertices, and reads the names from the graph.
//  2. It answers for any graph with the same names at the same vertices:
//     the graph it was built from, copies of it (the two instances of a
//     model, a compacted copy), and those after mutations, which add
//     vertices (persons without a name) but neither name nor rename one.
//     Names are set only by DelegationGraph::UpsertPerson and
//     UpsertEnterprise, which only a load calls (GraphLoadSink, on a graph
//     nothing reads yet); an import, and a catch-up past one, load the
//     federation again into a new Model, with a new cache. An operation
//     that renamed in place would have to drop the model's cache.
#ifndef TOEGANG_RULES_NAME_INDEX_H_
#define TOEGANG_RULES_NAME_INDEX_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "graph/delegation_graph.h"
#include "toegang/cards.h"
#include "toegang/queries.h"
#include "toegang/status.h"

namespace toegang {

// Thread safety: immutable once built; Find may run on any number of
// threads at once.
class NameIndex {
 public:
  // Sorts the names of the graph: O(N log N) for N names (N = persons and
  // enterprises with a name). REQUIRES: graph does not change meanwhile.
  static std::shared_ptr<const NameIndex> Build(const DelegationGraph& graph);

  // FindNames' answer (rules/cards.h) for a graph this index answers for
  // (invariant 2): usage for a prefix shorter than 2 bytes or a cursor
  // that names no hit. O(log N + page) name reads.
  // REQUIRES: graph does not change during the call.
  Result<Page<NameHit>> Find(const DelegationGraph& graph,
                             std::string_view prefix, const PageRequest& page,
                             uint64_t revision) const;

  size_t size() const { return vertices_.size(); }

 private:
  std::vector<uint32_t> vertices_;  // in key order (invariant 1)
};

// The index of a model, built by the first search and kept for the
// model's life (invariant 2). The engine's Model holds one, shared by its
// copies (the left-right instances, a compaction's copy); a load makes a
// model with a fresh one.
//
// Thread safety: thread-safe. The first Get builds the index while holding
// the cache's mutex, so that concurrent first searches wait for one build
// instead of each making its own (about 0.35 s at M); later calls take
// the mutex only to copy the pointer. The index returned is immutable.
class NameIndexCache {
 public:
  // The index for graph, built now unless the cache holds one.
  // REQUIRES: graph does not change during the call, and is the graph the
  // cache's index was built from or one it answers for (invariant 2).
  std::shared_ptr<const NameIndex> Get(const DelegationGraph& graph);
  // The names in the index when one was built, else 0 (builds nothing).
  size_t built_size();

 private:
  std::mutex mu_;
  std::shared_ptr<const NameIndex> index_;  // guarded by mu_
};

}  // namespace toegang

#endif  // TOEGANG_RULES_NAME_INDEX_H_
