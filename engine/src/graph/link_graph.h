// LinkGraph: the delegation graph's vertices and edges, as one Boost.Graph
// (IncidenceGraph, BidirectionalGraph, VertexListGraph, EdgeListGraph) made
// of two parts:
//
//  - a base: a compressed sparse row layout (LinkBase, 32-bit vertex and
//    edge numbers), immutable once built and shared, through a shared_ptr,
//    by every copy of the graph. An edge costs it 14 bytes (its target, its
//    6-byte Link, and a 4-byte reverse entry), where a Boost adjacency list
//    spends about 100 (a heap list node, an out-edge and an in-edge entry)
//    and Boost's own compressed_sparse_row_graph 18 (its reverse entry
//    holds the source beside the edge number; here the source is found
//    from the edge number, by a binary search over the row starts, paid
//    only when source(e, g) is asked). Its arrays live on the heap or in a
//    mapped file, as the FrozenStore given to Compact() says
//    (frozen_store.h). A user edge and the rights made with
//    it (same ends, same provenance number, applications 0-7) are held as
//    one base edge whose Link carries the rights' applications as a bit
//    set: most rights are granted with the user (`user add --right`), and
//    each costs nothing more. Traversal gives them back as separate edges;
//  - an overlay: what changed since the base was built. Edges added since
//    live in a Boost adjacency_list over the vertices they touch (a local
//    number per touched vertex); base edges removed since are bits in a
//    set; vertices added since have their Node in a vector;
//  - staged edges (StageEdge): a load's bulk, kept in a flat array that
//    only the next Compact() reads, which puts them in the base.
//
// A freshly constructed graph has an empty base, so everything added goes to
// the overlay, which until then is a plain adjacency list over every
// vertex; Compact() folds the merged graph into a new base and empties the
// overlay, which from then on holds only the vertices that changes touch. The
// engine compacts each loaded model before it copies it for the left-right read
// path, so the two instances share one base and each holds only the changes
// made since the load.
//
// Traversal sees the merged graph: out_edges(v) lists v's base edges that
// are not removed, in base order (a user edge's folded rights right after
// it, by application), then its overlay edges in the order they were added;
// in_edges(v) the same. Removing a folded right (or its user edge) removes
// the base edge and adds what remains of it to the overlay. A vertex's
// number never changes, not even by Compact().
//
// Thread safety: not synchronized. Const methods (and the free functions,
// which are const) may run concurrently with each other; a non-const call
// needs exclusive access to this graph object. Copies share the base, which
// nothing ever writes, so copies may be used from different threads freely.
#ifndef TOEGANG_LINK_GRAPH_H_
#define TOEGANG_LINK_GRAPH_H_

#include <algorithm>
#include <boost/dynamic_bitset.hpp>
#include <boost/graph/adjacency_list.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "base/flat_u64_map.h"
#include "graph/frozen_store.h"
#include "model/catalogue.h"

namespace toegang {

enum class NodeKind : uint8_t {
  kPerson,
  kEnterprise,
  kFacility,
  kDomain,
  kSubafdeling
};

enum class LinkKind : uint8_t {
  kLegalRepresentative,  // person -> enterprise
  kEmployee,             // person -> enterprise
  kHtb,                  // person -> enterprise
  kOrganizes,            // enterprise -> facility
  kDomain,               // enterprise -> domain
  kTb,                   // person -> domain
  kCoTb,                 // person -> domain
  kSubafdeling,          // domain -> subafdeling
  kAt,                   // subafdeling -> facility
  kManager,              // person -> subafdeling
  kUser,                 // person -> subafdeling
  kRight,                // person -> subafdeling, for Link::app
};

// A vertex's property, 4 bytes: its kind and its index into the table of
// that kind (29 bits: up to 536 million of one kind).
struct Node {
  static constexpr uint32_t kMaxIndex = (uint32_t{1} << 29) - 1;

  NodeKind kind : 3 = NodeKind::kPerson;
  uint32_t index : 29 = 0;  // into the table of its kind
};
static_assert(sizeof(Node) == 4);

// An edge's property, 6 bytes: its kind, the application of a right, and
// who made it, as a number into the owner's ProvenanceTable (32 bits, in
// two halves so that the property needs only 2-byte alignment: the base's
// array of them costs 6 bytes an edge, not 8).
struct Link {
  Link() = default;
  // REQUIRES: prov_number <= ProvenanceTable::kMaxNumber.
  Link(LinkKind k, AppId a, uint64_t prov_number)
      : kind(k),
        app(a),
        prov_high_(static_cast<uint16_t>(prov_number >> 16)),
        prov_low_(static_cast<uint16_t>(prov_number)) {}

  uint64_t prov_number() const {
    return (uint64_t{prov_high_} << 16) | prov_low_;
  }

  LinkKind kind = LinkKind::kUser;
  AppId app = 0;  // kRight only

 private:
  uint16_t prov_high_ = 0;
  uint16_t prov_low_ = 0;
};
static_assert(sizeof(Link) == 6 && alignof(Link) == 2);

class LinkGraph;

// An edge of a LinkGraph: its ends, its Link, and where it lives. Valid
// until the graph is next changed.
struct LinkEdge {
  using Overlay = boost::adjacency_list<boost::vecS, boost::vecS,
                                        boost::bidirectionalS, size_t, Link>;
  static constexpr uint32_t kNotBase = UINT32_MAX;

  static constexpr size_t kSourceToFind = SIZE_MAX;

  // kSourceToFind on a base in-edge: the base finds a source by a search,
  // which only source(e, g) pays for (filters on the Link do not).
  size_t source = 0;
  size_t target = 0;
  Link link;  // a copy: a folded right has no Link of its own to point to
  uint32_t base_index = kNotBase;      // the base edge's number, or kNotBase
  Overlay::edge_descriptor overlay{};  // when base_index == kNotBase

  // The same edge of the same graph: the same base edge and part of it (a
  // user edge and its folded rights share a base edge), or the same
  // overlay edge.
  friend bool operator==(const LinkEdge& a, const LinkEdge& b) {
    if (a.base_index != b.base_index) return false;
    if (a.base_index == kNotBase) return a.overlay == b.overlay;
    return a.link.kind == b.link.kind && a.link.app == b.link.app;
  }
  friend bool operator!=(const LinkEdge& a, const LinkEdge& b) {
    return !(a == b);
  }
};

// Row starts of a base with no vertices: one 0.
inline constexpr uint32_t kEmptyRowStarts[1] = {0};

// The base of a LinkGraph: its vertices and edges in compressed sparse row
// form. Edges are numbered in order of their source; vertex v's out-edges
// are the numbers [out_start[v], out_start[v + 1]), its in-edges the
// numbers in_edge[in_start[v] .. in_start[v + 1]), in ascending order.
// Immutable once built (LinkGraph::Compact); the arrays live where the
// FrozenStore given to Compact put them, kept by `frozen`.
struct LinkBase {
  FrozenArray<Node> nodes;
  FrozenArray<uint32_t> out_start{kEmptyRowStarts, 1};  // vertex count + 1
  FrozenArray<uint32_t> target;                         // by edge number
  FrozenArray<Link> links;                              // by edge number
  FrozenArray<uint32_t> in_start{kEmptyRowStarts, 1};   // vertex count + 1
  FrozenArray<uint32_t> in_edge;  // edge numbers, by target
  size_t folded_rights = 0;       // rights held inside user edges
  FrozenBlock frozen;             // keeps the arrays

  size_t vertex_count() const { return nodes.size(); }
  size_t edge_count() const { return target.size(); }
  // The source of edge e: the last vertex whose out-edges start at or
  // before e (vertices without out-edges share their start with the next).
  uint32_t Source(uint32_t e) const {
    const uint32_t* it =
        std::upper_bound(out_start.begin(), out_start.end(), e);
    return static_cast<uint32_t>(it - out_start.begin() - 1);
  }
};

class LinkGraph {
 public:
  using Base = LinkBase;
  using Overlay = LinkEdge::Overlay;

  // --- Boost.Graph traits -------------------------------------------------
  using vertex_descriptor = size_t;
  using edge_descriptor = LinkEdge;
  using directed_category = boost::bidirectional_tag;
  using edge_parallel_category = boost::allow_parallel_edge_tag;
  struct traversal_category : boost::bidirectional_graph_tag,
                              boost::vertex_list_graph_tag,
                              boost::edge_list_graph_tag {};
  using vertices_size_type = size_t;
  using edges_size_type = size_t;
  using degree_size_type = size_t;
  using vertex_bundled = Node;
  // No edge bundle for Boost to see: a Link is read through operator[]
  // below, by value, and Boost's wrappers (filtered_graph::operator[]) hand
  // a bundle back by reference, which would outlive that value. With no
  // bundle, such a use does not compile; read the Link from the LinkGraph.
  using edge_bundled = boost::no_property;
  using graph_bundled = boost::no_property;
  using vertex_property_type = Node;
  using edge_property_type = Link;
  using graph_property_type = boost::no_property;
  static vertex_descriptor null_vertex() { return static_cast<size_t>(-1); }

  template <bool kIn, typename OverIt>
  class IncidentIterator;
  using out_edge_iterator = IncidentIterator<false, Overlay::out_edge_iterator>;
  using in_edge_iterator = IncidentIterator<true, Overlay::in_edge_iterator>;
  class edge_iterator;
  using vertex_iterator = boost::counting_iterator<size_t>;

  LinkGraph();
  // A copy shares the base and copies the overlay.
  LinkGraph(const LinkGraph& other);
  LinkGraph& operator=(const LinkGraph& other);
  LinkGraph(LinkGraph&&) noexcept = default;
  LinkGraph& operator=(LinkGraph&&) noexcept = default;
  ~LinkGraph() = default;

  // --- changes (to the overlay) ---------------------------------------------
  // Adds a vertex; returns its number (the number of vertices before).
  vertex_descriptor AddVertex(const Node& node);
  // Makes room for this many vertices in all.
  void ReserveVertices(size_t n);
  void AddEdge(vertex_descriptor from, vertex_descriptor to, const Link& link);
  // Where a staged edge goes in its source's row (StageEdge).
  enum class StagePlace : uint8_t {
    kBeforeOverlay,  // after the source's base edges, before its overlay's
    kAfterOverlay,   // after the source's overlay edges, those added later too
  };
  // Adds an edge that only the next Compact() makes part of the graph, at
  // `place` in its source's row, in the order staged. Until then the graph
  // reads and changes as if it were not there: traversal, edge_count(),
  // RemoveEdge() and ClearVertex() do not see it. For a full load, which
  // adds millions of edges and reads none of them back before it
  // compacts: a staged edge costs 16 bytes in one array, where the overlay
  // spends about 100 and a heap block of its own, and Compact() then reads
  // it in order instead of chasing the overlay's list nodes.
  // REQUIRES: both ends exist; nothing needs to see the edge before the
  // next Compact().
  void StageEdge(vertex_descriptor from, vertex_descriptor to, const Link& link,
                 StagePlace place = StagePlace::kAfterOverlay) {
    staged_.push_back(Staged{static_cast<uint32_t>(from),
                             static_cast<uint32_t>(to), link, place});
  }
  // REQUIRES: e is an edge of this graph, found since its last change.
  void RemoveEdge(const LinkEdge& e);
  // Removes every edge into or out of v.
  void ClearVertex(vertex_descriptor v);

  // Folds the overlay and the staged edges into a new base (an O(V + E)
  // rebuild) and empties both; the base's arrays go where `store` says
  // (see frozen_store.h). Copies made before keep the old base. When the
  // graph outgrows the base's 32-bit numbers it builds no base: the staged
  // edges go to the overlay (after the edges there), which keeps
  // everything.
  // Returns the old overlay, so that the caller may free its millions of
  // small blocks where that costs nobody a wait (or just drop it).
  std::unique_ptr<Overlay> Compact(
      const FrozenStore& store = FrozenStore::Heap());

  // --- reading ----------------------------------------------------------
  const Node& operator[](vertex_descriptor v) const {
    const size_t n = base_vertices_;
    return v < n ? base_->nodes[v] : added_nodes_[v - n];
  }
  // By value: a folded right is not stored as a Link of its own. (A
  // `const Link&` bound to the result keeps the copy alive.)
  Link operator[](const LinkEdge& e) const { return e.link; }
  // e's source (source(e, g) calls it).
  size_t SourceOf(const LinkEdge& e) const {
    return e.source != LinkEdge::kSourceToFind ? e.source
                                               : base_->Source(e.base_index);
  }

  size_t vertex_count() const { return base_vertices_ + added_nodes_.size(); }
  size_t edge_count() const {
    return base_->edge_count() + base_->folded_rights - removed_count_ +
           boost::num_edges(*overlay_);
  }
  // The base's own edges: edge_count() less the overlay, less the rights
  // folded into user edges, plus what was removed since.
  size_t base_edge_count() const { return base_->edge_count(); }
  // Rights the base holds inside user edges.
  size_t folded_right_count() const { return base_->folded_rights; }
  // Edges in the overlay (added since the base was built) and base edges
  // removed since: what Compact() would fold in.
  size_t overlay_edge_count() const { return boost::num_edges(*overlay_); }
  size_t removed_base_edge_count() const { return removed_count_; }
  // Edges staged for the next Compact() (StageEdge).
  size_t staged_edge_count() const { return staged_.size(); }
  // The base's bytes that live in a mapped file (0: on the heap).
  size_t mapped_base_bytes() const { return base_->frozen.mapped_bytes; }
  // Whether the two graphs read the same base (a copy does, until one of
  // them compacts).
  bool SharesBaseWith(const LinkGraph& other) const {
    return base_ == other.base_;
  }

 private:
  template <bool kIn, typename OverIt>
  friend class IncidentIterator;
  friend std::pair<out_edge_iterator, out_edge_iterator> out_edges(
      vertex_descriptor v, const LinkGraph& g);
  friend std::pair<in_edge_iterator, in_edge_iterator> in_edges(
      vertex_descriptor v, const LinkGraph& g);

  static constexpr uint32_t kNoLocal = UINT32_MAX;
  // A base Link whose kind has this bit is a user edge (LinkKind::kUser)
  // whose `app` is the bit set of the rights folded into it: applications
  // 0-7, each a right with the same ends and provenance number.
  static constexpr uint8_t kFoldedBit = 0x80;
  static constexpr uint8_t kSelf = 0xFF;  // a base edge's own part
  static constexpr AppId kMaxFoldedApp = 7;

  static bool IsFolded(const Link& stored) {
    return (static_cast<uint8_t>(stored.kind) & kFoldedBit) != 0;
  }
  // The rights folded into base edge e (an empty set for most edges).
  uint8_t FoldedApps(uint32_t e) const {
    const Link& stored = base_->links[e];
    return IsFolded(stored) ? stored.app : 0;
  }
  // Compact's fold: in one vertex's out-edges, marks each right that joins
  // a user edge (same target and provenance number, application at most
  // kMaxFoldedApp) as kFoldedAway and sets the user edge's stored Link to
  // carry it. Returns how many rights it folded.
  static constexpr uint32_t kFoldedAway = UINT32_MAX - 1;
  static size_t FoldRights(std::vector<LinkEdge>& edges);
  // Marks base edge `index` (every part of it) removed; returns its stored
  // Link, or nullopt when it was removed already.
  std::optional<Link> MarkBaseRemoved(uint32_t index);

  bool BaseRemoved(uint32_t index) const {
    return index < removed_.size() && removed_.test(index);
  }
  // The overlay's number for v, or kNoLocal. Until the first Compact()
  // the overlay holds every vertex under its own number (a graph being
  // loaded touches them all), so the lookup is the identity.
  uint32_t LocalOf(vertex_descriptor v) const {
    if (dense_) return static_cast<uint32_t>(v);
    const uint32_t* l = local_.Find(v);
    return l == nullptr ? kNoLocal : *l;
  }
  Overlay::vertex_descriptor EnsureLocal(vertex_descriptor v);
  LinkEdge OverlayEdge(Overlay::edge_descriptor e) const {
    const Overlay& o = *overlay_;
    return LinkEdge{o[boost::source(e, o)], o[boost::target(e, o)], o[e],
                    LinkEdge::kNotBase, e};
  }
  // v's out- (kIn false) or in-edges as a pair of iterators: its base
  // range (none for a vertex added since the base) then its overlay range;
  // range(u, overlay) gives Boost's out- or in-edges of u in the overlay.
  template <bool kIn, typename OverIt, typename RangeFn>
  std::pair<IncidentIterator<kIn, OverIt>, IncidentIterator<kIn, OverIt>>
  Incident(vertex_descriptor v, RangeFn range) const;
  // Part `part` of base edge e, from `source` to `target`: the edge itself
  // (kSelf), or the folded right for that application.
  LinkEdge BaseEdge(uint32_t e, size_t source, size_t target,
                    uint8_t part) const {
    Link link = base_->links[e];
    if (IsFolded(link)) {
      link = part == kSelf ? Link(LinkKind::kUser, 0, link.prov_number())
                           : Link(LinkKind::kRight, part, link.prov_number());
    }
    return LinkEdge{source, target, link, e, {}};
  }

  // An edge waiting for Compact() (StageEdge): 16 bytes.
  struct Staged {
    uint32_t from, to;
    Link link;
    StagePlace place;
  };
  static_assert(sizeof(Staged) == 16);
  // The staged edges grouped by source, in the order staged within each
  // source (a counting sort): Compact's input beside the merged graph.
  struct StagedRows {
    std::vector<uint32_t> start;  // vertex v's are [start[v], start[v + 1])
    std::vector<Staged> edges;
  };
  StagedRows TakeStagedRows(size_t vertices);

  std::shared_ptr<const Base> base_;
  size_t base_vertices_ = 0;
  boost::dynamic_bitset<uint64_t> removed_;  // a bit per base edge, or empty
  size_t removed_count_ = 0;                 // removed_.count(), kept
  std::vector<Node> added_nodes_;            // vertices from base_vertices_ on
  // Vertex property: the vertex's number. Held by pointer because Boost's
  // adjacency_list has no move and its swap() copies.
  std::unique_ptr<Overlay> overlay_;
  bool dense_ = true;           // overlay vertex i is vertex i (all)
  FlatU64Map<uint32_t> local_;  // vertex number -> overlay vertex
  std::vector<Staged> staged_;  // StageEdge's, for the next Compact()

 public:
  // The edges at one vertex v: its base range (skipping removed edges),
  // then its overlay range. Forward only. kIn: in-edges, else out-edges;
  // OverIt is Boost's out- or in-edge iterator of the overlay.
  template <bool kIn, typename OverIt>
  class IncidentIterator
      : public boost::iterator_facade<IncidentIterator<kIn, OverIt>, LinkEdge,
                                      boost::forward_traversal_tag, LinkEdge> {
   public:
    IncidentIterator() = default;
    // The base range is positions [base, base_end) of v's row (edge
    // numbers for out-edges, places in in_edge for in-edges).
    IncidentIterator(const LinkGraph* g, size_t v, uint32_t base,
                     uint32_t base_end, bool has_overlay, OverIt over,
                     OverIt over_end)
        : g_(g),
          v_(v),
          base_(base),
          base_end_(base_end),
          has_overlay_(has_overlay),
          over_(over),
          over_end_(over_end) {
      Arrive();
    }

   private:
    friend class boost::iterator_core_access;
    uint32_t EdgeAt(uint32_t pos) const {
      return kIn ? g_->base_->in_edge[pos] : pos;
    }
    // Skips removed base edges, and starts the next one at its own part.
    void Arrive() {
      while (base_ != base_end_ && g_->BaseRemoved(EdgeAt(base_))) ++base_;
      rest_ = base_ != base_end_ ? g_->FoldedApps(EdgeAt(base_)) : 0;
      part_ = kSelf;
    }
    LinkEdge dereference() const {
      if (base_ == base_end_) return g_->OverlayEdge(*over_);
      const uint32_t e = EdgeAt(base_);
      if constexpr (kIn) {
        return g_->BaseEdge(e, LinkEdge::kSourceToFind, v_, part_);
      }
      const Base& b = *g_->base_;
      return g_->BaseEdge(e, v_, b.target[e], part_);
    }
    void increment() {
      if (base_ == base_end_) {
        ++over_;
      } else if (rest_ != 0) {  // the next folded right
        part_ = static_cast<uint8_t>(__builtin_ctz(rest_));
        rest_ = static_cast<uint8_t>(rest_ & (rest_ - 1));
      } else {
        ++base_;
        Arrive();
      }
    }
    bool equal(const IncidentIterator& o) const {
      return base_ == o.base_ && part_ == o.part_ &&
             (!has_overlay_ || over_ == o.over_);
    }

    const LinkGraph* g_ = nullptr;
    size_t v_ = 0;
    uint32_t base_ = 0, base_end_ = 0;
    uint8_t rest_ = 0;          // folded rights of this base edge still to come
    uint8_t part_ = kSelf;      // the part of this base edge we are at
    bool has_overlay_ = false;  // false: over_ and over_end_ are unset
    OverIt over_, over_end_;
  };

  // Every edge, vertex by vertex in out-edge order.
  class edge_iterator
      : public boost::iterator_facade<edge_iterator, LinkEdge,
                                      boost::forward_traversal_tag, LinkEdge> {
   public:
    edge_iterator() = default;
    edge_iterator(const LinkGraph* g, size_t v);

   private:
    friend class boost::iterator_core_access;
    void SkipEmpty();
    LinkEdge dereference() const { return *at_; }
    void increment() {
      ++at_;
      if (at_ == end_) {
        ++v_;
        SkipEmpty();
      }
    }
    bool equal(const edge_iterator& o) const {
      return v_ == o.v_ && (v_ == n_ || at_ == o.at_);
    }

    const LinkGraph* g_ = nullptr;
    size_t v_ = 0;
    size_t n_ = 0;
    out_edge_iterator at_, end_;
  };
};

// --- the Boost.Graph free functions (found by argument-dependent lookup) ---
std::pair<LinkGraph::out_edge_iterator, LinkGraph::out_edge_iterator> out_edges(
    LinkGraph::vertex_descriptor v, const LinkGraph& g);
std::pair<LinkGraph::in_edge_iterator, LinkGraph::in_edge_iterator> in_edges(
    LinkGraph::vertex_descriptor v, const LinkGraph& g);
size_t out_degree(LinkGraph::vertex_descriptor v, const LinkGraph& g);
size_t in_degree(LinkGraph::vertex_descriptor v, const LinkGraph& g);
inline size_t degree(LinkGraph::vertex_descriptor v, const LinkGraph& g) {
  return out_degree(v, g) + in_degree(v, g);
}
inline size_t source(const LinkEdge& e, const LinkGraph& g) {
  return g.SourceOf(e);
}
inline size_t target(const LinkEdge& e, const LinkGraph&) { return e.target; }
inline std::pair<LinkGraph::vertex_iterator, LinkGraph::vertex_iterator>
vertices(const LinkGraph& g) {
  return {LinkGraph::vertex_iterator(0),
          LinkGraph::vertex_iterator(g.vertex_count())};
}
inline size_t num_vertices(const LinkGraph& g) { return g.vertex_count(); }
inline std::pair<LinkGraph::edge_iterator, LinkGraph::edge_iterator> edges(
    const LinkGraph& g) {
  return {LinkGraph::edge_iterator(&g, 0),
          LinkGraph::edge_iterator(&g, g.vertex_count())};
}
inline size_t num_edges(const LinkGraph& g) { return g.edge_count(); }

}  // namespace toegang

#endif  // TOEGANG_LINK_GRAPH_H_
