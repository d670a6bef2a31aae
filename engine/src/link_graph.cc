#include "link_graph.h"

#include <limits>
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

void LinkGraph::RemoveEdge(const LinkEdge& e) {
  if (e.base_index == LinkEdge::kNotBase) {
    boost::remove_edge(e.overlay, *overlay_);
    return;
  }
  if (removed_.empty()) removed_.resize(boost::num_edges(*base_));
  if (!removed_.test_set(e.base_index)) ++removed_count_;
}

void LinkGraph::ClearVertex(vertex_descriptor v) {
  std::vector<LinkEdge> doomed;
  for (auto [it, end] = out_edges(v, *this); it != end; ++it) {
    if (it->base_index != LinkEdge::kNotBase) doomed.push_back(*it);
  }
  for (auto [it, end] = in_edges(v, *this); it != end; ++it) {
    if (it->base_index != LinkEdge::kNotBase) doomed.push_back(*it);
  }
  for (const LinkEdge& e : doomed) RemoveEdge(e);
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
  // (Boost places unsorted edges stably, by source).
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  std::vector<Link> links;
  ends.reserve(m);
  links.reserve(m);
  for (size_t v = 0; v < n; ++v) {
    for (auto [it, end] = out_edges(v, *this); it != end; ++it) {
      const LinkEdge e = *it;
      ends.emplace_back(static_cast<uint32_t>(v),
                        static_cast<uint32_t>(e.target));
      links.push_back(*e.link);
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
  std::vector<Node>().swap(added_nodes_);
  std::unique_ptr<Overlay> old =
      std::exchange(overlay_, std::make_unique<Overlay>());
  dense_ = false;
  local_ = FlatU64Map<uint32_t>();
  return old;
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
