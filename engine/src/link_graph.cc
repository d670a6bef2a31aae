#include "link_graph.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <tuple>
#include <utility>

namespace toegang {

LinkGraph::LinkGraph()
    : base_(std::make_shared<const Base>()),
      overlay_(std::make_unique<Overlay>()) {}

LinkGraph::LinkGraph(const LinkGraph& other)
    : base_(other.base_),
      base_vertices_(other.base_vertices_),
      removed_(other.removed_),
      removed_count_(other.removed_count_),
      folded_rights_(other.folded_rights_),
      added_nodes_(other.added_nodes_),
      overlay_(std::make_unique<Overlay>(*other.overlay_)),
      dense_(other.dense_),
      local_(other.local_) {}

LinkGraph& LinkGraph::operator=(const LinkGraph& other) {
  if (this != &other) *this = LinkGraph(other);
  return *this;
}

LinkGraph::vertex_descriptor LinkGraph::AddVertex(const Node& node) {
  added_nodes_.push_back(node);
  const vertex_descriptor v = base_vertices_ + added_nodes_.size() - 1;
  if (dense_) boost::add_vertex(v, *overlay_);
  return v;
}

void LinkGraph::ReserveVertices(size_t n) {
  if (n > base_vertices_) added_nodes_.reserve(n - base_vertices_);
  // Boost's vecS vertex storage has no reserve of its own; m_vertices is
  // its public vector.
  if (dense_) overlay_->m_vertices.reserve(n);
}

LinkGraph::Overlay::vertex_descriptor LinkGraph::EnsureLocal(
    vertex_descriptor v) {
  if (dense_) return v;
  auto [local, inserted] = local_.Insert(v, kNoLocal);
  if (inserted) *local = static_cast<uint32_t>(boost::add_vertex(v, *overlay_));
  return *local;
}

void LinkGraph::AddEdge(vertex_descriptor from, vertex_descriptor to,
                        const Link& link) {
  const auto f = EnsureLocal(from);
  const auto t = EnsureLocal(to);
  boost::add_edge(f, t, link, *overlay_);
}

std::optional<Link> LinkGraph::MarkBaseRemoved(uint32_t index) {
  if (removed_.empty()) removed_.resize(boost::num_edges(*base_));
  if (removed_.test_set(index)) return std::nullopt;
  // Boost reads an edge's property by its number alone.
  const Link stored = (*base_)[Base::edge_descriptor(0, index)];
  removed_count_ += 1;
  if (IsFolded(stored)) removed_count_ += std::popcount(stored.app);
  return stored;
}

void LinkGraph::RemoveEdge(const LinkEdge& e) {
  if (e.base_index == LinkEdge::kNotBase) {
    boost::remove_edge(e.overlay, *overlay_);
    return;
  }
  const std::optional<Link> stored = MarkBaseRemoved(e.base_index);
  if (!stored || !IsFolded(*stored)) return;
  // The base edge held a user edge and its rights; all but e stay, now in
  // the overlay.
  const uint64_t prov = stored->prov_number();
  if (e.link.kind != LinkKind::kUser) {
    AddEdge(e.source, e.target, Link(LinkKind::kUser, 0, prov));
  }
  for (uint8_t apps = stored->app; apps != 0; apps &= apps - 1) {
    const auto app = static_cast<AppId>(std::countr_zero(apps));
    if (e.link.kind != LinkKind::kRight || e.link.app != app) {
      AddEdge(e.source, e.target, Link(LinkKind::kRight, app, prov));
    }
  }
}

void LinkGraph::ClearVertex(vertex_descriptor v) {
  // Whole base edges: every part of a folded one touches v too.
  std::vector<uint32_t> doomed;
  for (auto [it, end] = out_edges(v, *this); it != end; ++it) {
    if (it->base_index != LinkEdge::kNotBase) doomed.push_back(it->base_index);
  }
  for (auto [it, end] = in_edges(v, *this); it != end; ++it) {
    if (it->base_index != LinkEdge::kNotBase) doomed.push_back(it->base_index);
  }
  for (uint32_t index : doomed) MarkBaseRemoved(index);
  const uint32_t local = LocalOf(v);
  if (local != kNoLocal) boost::clear_vertex(local, *overlay_);
}

std::unique_ptr<LinkGraph::Overlay> LinkGraph::Compact() {
  const size_t n = vertex_count();
  const size_t m = edge_count();
  if (n >= std::numeric_limits<uint32_t>::max() ||
      m >= std::numeric_limits<uint32_t>::max()) {
    return nullptr;
  }
  // Edges in out-edge order, vertex by vertex: the base keeps that order
  // (Boost places unsorted edges stably, by source), except that rights
  // folded into a user edge (FoldRights) follow it.
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  std::vector<Link> links;
  ends.reserve(m);
  links.reserve(m);
  std::vector<LinkEdge> mine;
  size_t folded = 0;
  for (size_t v = 0; v < n; ++v) {
    mine.clear();
    for (auto [it, end] = out_edges(v, *this); it != end; ++it) {
      mine.push_back(*it);
    }
    folded += FoldRights(mine);
    for (const LinkEdge& e : mine) {
      if (e.base_index == kFoldedAway) continue;
      ends.emplace_back(static_cast<uint32_t>(v),
                        static_cast<uint32_t>(e.target));
      links.push_back(e.link);
    }
  }
  auto fresh = std::make_shared<Base>(boost::edges_are_unsorted_multi_pass,
                                      ends.begin(), ends.end(), links.begin(),
                                      static_cast<uint32_t>(n));
  for (size_t v = 0; v < n; ++v) {
    (*fresh)[static_cast<uint32_t>(v)] = (*this)[v];
  }
  // Free the build's buffers before the old parts go.
  std::vector<std::pair<uint32_t, uint32_t>>().swap(ends);
  std::vector<Link>().swap(links);
  base_ = std::move(fresh);
  base_vertices_ = n;
  removed_ = {};
  removed_count_ = 0;
  folded_rights_ = folded;
  std::vector<Node>().swap(added_nodes_);
  std::unique_ptr<Overlay> old =
      std::exchange(overlay_, std::make_unique<Overlay>());
  dense_ = false;
  local_ = FlatU64Map<uint32_t>();
  return old;
}

size_t LinkGraph::FoldRights(std::vector<LinkEdge>& edges) {
  // The rights among them, by (target, provenance, application), to find
  // those of a user edge by binary search: a person with many edges costs
  // O(d log d), not O(d^2).
  std::vector<size_t> rights;
  for (size_t i = 0; i < edges.size(); ++i) {
    const Link& l = edges[i].link;
    if (l.kind == LinkKind::kRight && l.app <= kMaxFoldedApp) {
      rights.push_back(i);
    }
  }
  if (rights.empty()) return 0;
  auto key = [&](size_t i) {
    return std::tuple(edges[i].target, edges[i].link.prov_number(),
                      edges[i].link.app);
  };
  std::sort(rights.begin(), rights.end(),
            [&](size_t a, size_t b) { return key(a) < key(b); });
  size_t folded = 0;
  for (LinkEdge& user : edges) {
    if (user.link.kind != LinkKind::kUser || user.link.app != 0) continue;
    const uint64_t prov = user.link.prov_number();
    auto it = std::lower_bound(rights.begin(), rights.end(), user.target,
                               [&](size_t i, size_t target) {
                                 return std::pair(edges[i].target,
                                                  edges[i].link.prov_number()) <
                                        std::pair(target, prov);
                               });
    uint8_t apps = 0;
    for (; it != rights.end() && edges[*it].target == user.target &&
           edges[*it].link.prov_number() == prov;
         ++it) {
      LinkEdge& right = edges[*it];
      const auto bit = static_cast<uint8_t>(1U << right.link.app);
      // A second user edge to the same subafdeling, or a parallel right,
      // keeps what it has: each right folds once.
      if ((apps & bit) != 0 || right.base_index == kFoldedAway) continue;
      apps = static_cast<uint8_t>(apps | bit);
      right.base_index = kFoldedAway;
      ++folded;
    }
    if (apps != 0) {
      user.link = Link(static_cast<LinkKind>(
                           static_cast<uint8_t>(LinkKind::kUser) | kFoldedBit),
                       apps, prov);
    }
  }
  return folded;
}

template <typename It, typename BaseIt, typename RangeFn>
std::pair<It, It> LinkGraph::Incident(vertex_descriptor v, BaseIt empty,
                                      RangeFn range) const {
  BaseIt base_begin = empty;
  BaseIt base_end = empty;
  if (v < base_vertices_) {
    std::tie(base_begin, base_end) = range(static_cast<uint32_t>(v), *base_);
  }
  const uint32_t local = LocalOf(v);
  if (local == kNoLocal) {
    return {It(this, base_begin, base_end, false, {}, {}),
            It(this, base_end, base_end, false, {}, {})};
  }
  auto [over_begin, over_end] = range(local, *overlay_);
  return {It(this, base_begin, base_end, true, over_begin, over_end),
          It(this, base_end, base_end, true, over_end, over_end)};
}

std::pair<LinkGraph::out_edge_iterator, LinkGraph::out_edge_iterator> out_edges(
    LinkGraph::vertex_descriptor v, const LinkGraph& g) {
  return g.Incident<LinkGraph::out_edge_iterator>(
      v,
      LinkGraph::Base::out_edge_iterator(
          LinkGraph::Base::edge_descriptor(0, 0)),
      [](auto u, const auto& graph) { return boost::out_edges(u, graph); });
}

std::pair<LinkGraph::in_edge_iterator, LinkGraph::in_edge_iterator> in_edges(
    LinkGraph::vertex_descriptor v, const LinkGraph& g) {
  return g.Incident<LinkGraph::in_edge_iterator>(
      v, LinkGraph::Base::in_edge_iterator(*g.base_, 0),
      [](auto u, const auto& graph) { return boost::in_edges(u, graph); });
}

size_t out_degree(LinkGraph::vertex_descriptor v, const LinkGraph& g) {
  size_t n = 0;
  for (auto [it, end] = out_edges(v, g); it != end; ++it) ++n;
  return n;
}

size_t in_degree(LinkGraph::vertex_descriptor v, const LinkGraph& g) {
  size_t n = 0;
  for (auto [it, end] = in_edges(v, g); it != end; ++it) ++n;
  return n;
}

LinkGraph::edge_iterator::edge_iterator(const LinkGraph* g, size_t v)
    : g_(g), v_(v), n_(g->vertex_count()) {
  SkipEmpty();
}

void LinkGraph::edge_iterator::SkipEmpty() {
  for (; v_ < n_; ++v_) {
    std::tie(at_, end_) = out_edges(v_, *g_);
    if (at_ != end_) return;
  }
}

}  // namespace toegang
