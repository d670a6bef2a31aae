#include "graph/link_graph.h"

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
      added_nodes_(other.added_nodes_),
      overlay_(std::make_unique<Overlay>(*other.overlay_)),
      dense_(other.dense_),
      local_(other.local_),
      staged_(other.staged_) {}

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
  if (removed_.empty()) removed_.resize(base_->edge_count());
  if (removed_.test_set(index)) return std::nullopt;
  const Link stored = base_->links[index];
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
  const size_t from = SourceOf(e);
  if (e.link.kind != LinkKind::kUser) {
    AddEdge(from, e.target, Link(LinkKind::kUser, 0, prov));
  }
  for (uint8_t apps = stored->app; apps != 0; apps &= apps - 1) {
    const auto app = static_cast<AppId>(std::countr_zero(apps));
    if (e.link.kind != LinkKind::kRight || e.link.app != app) {
      AddEdge(from, e.target, Link(LinkKind::kRight, app, prov));
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

LinkGraph::StagedRows LinkGraph::TakeStagedRows(size_t vertices) {
  StagedRows rows;
  if (staged_.empty()) return rows;
  rows.start.assign(vertices + 1, 0);
  for (const Staged& s : staged_) ++rows.start[s.from + 1];
  for (size_t v = 0; v < vertices; ++v) rows.start[v + 1] += rows.start[v];
  rows.edges.resize(staged_.size());
  {
    std::vector<uint32_t> next(rows.start.begin(), rows.start.end() - 1);
    for (const Staged& s : staged_) rows.edges[next[s.from]++] = s;
  }
  std::vector<Staged>().swap(staged_);
  return rows;
}

std::unique_ptr<LinkGraph::Overlay> LinkGraph::Compact(
    const FrozenStore& store) {
  const size_t n = vertex_count();
  const size_t m = edge_count() + staged_.size();
  if (n >= std::numeric_limits<uint32_t>::max() ||
      m >= std::numeric_limits<uint32_t>::max()) {
    // No base: what was staged joins the overlay instead.
    std::vector<Staged> staged;
    staged.swap(staged_);
    for (const Staged& s : staged) AddEdge(s.from, s.to, s.link);
    return nullptr;
  }
  const StagedRows staged = TakeStagedRows(n);
  // Edges in out-edge order, vertex by vertex, except that rights folded
  // into a user edge (FoldRights) follow it.
  std::vector<Node> nodes;
  std::vector<uint32_t> out_start{0};
  std::vector<uint32_t> target;
  std::vector<Link> links;
  nodes.reserve(n);
  out_start.reserve(n + 1);
  target.reserve(m);
  links.reserve(m);
  auto fresh = std::make_shared<Base>();
  std::vector<LinkEdge> mine;
  for (size_t v = 0; v < n; ++v) {
    nodes.push_back((*this)[v]);
    mine.clear();
    // v's staged edges at `place`, in the order staged.
    auto add_staged = [&](StagePlace place) {
      if (staged.edges.empty()) return;
      for (uint32_t i = staged.start[v]; i < staged.start[v + 1]; ++i) {
        const Staged& s = staged.edges[i];
        if (s.place != place) continue;
        mine.push_back(LinkEdge{v, s.to, s.link, LinkEdge::kNotBase, {}});
      }
    };
    // The merged row lists the base edges first, then the overlay's.
    bool in_overlay = false;
    for (auto [it, end] = out_edges(v, *this); it != end; ++it) {
      if (!in_overlay && it->base_index == LinkEdge::kNotBase) {
        add_staged(StagePlace::kBeforeOverlay);
        in_overlay = true;
      }
      mine.push_back(*it);
    }
    if (!in_overlay) add_staged(StagePlace::kBeforeOverlay);
    add_staged(StagePlace::kAfterOverlay);
    fresh->folded_rights += FoldRights(mine);
    for (const LinkEdge& e : mine) {
      if (e.base_index == kFoldedAway) continue;
      target.push_back(static_cast<uint32_t>(e.target));
      links.push_back(e.link);
    }
    out_start.push_back(static_cast<uint32_t>(target.size()));
  }
  target.shrink_to_fit();
  links.shrink_to_fit();
  // The reverse rows, by counting: edge numbers ascend within each row.
  const size_t edges = target.size();
  std::vector<uint32_t> in_start(n + 1, 0);
  for (uint32_t t : target) ++in_start[t + 1];
  for (size_t v = 0; v < n; ++v) in_start[v + 1] += in_start[v];
  std::vector<uint32_t> in_edge(edges);
  {
    std::vector<uint32_t> next(in_start.begin(), in_start.end() - 1);
    for (uint32_t e = 0; e < edges; ++e) in_edge[next[target[e]]++] = e;
  }
  FrozenBuilder frozen(store);
  frozen.Add(std::move(nodes), &fresh->nodes);
  frozen.Add(std::move(out_start), &fresh->out_start);
  frozen.Add(std::move(target), &fresh->target);
  frozen.Add(std::move(links), &fresh->links);
  frozen.Add(std::move(in_start), &fresh->in_start);
  frozen.Add(std::move(in_edge), &fresh->in_edge);
  fresh->frozen = frozen.Finish();
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

template <bool kIn, typename OverIt, typename RangeFn>
std::pair<LinkGraph::IncidentIterator<kIn, OverIt>,
          LinkGraph::IncidentIterator<kIn, OverIt>>
LinkGraph::Incident(vertex_descriptor v, RangeFn range) const {
  using It = IncidentIterator<kIn, OverIt>;
  uint32_t base_begin = 0;
  uint32_t base_end = 0;
  if (v < base_vertices_) {
    const FrozenArray<uint32_t>& start =
        kIn ? base_->in_start : base_->out_start;
    base_begin = start[v];
    base_end = start[v + 1];
  }
  const uint32_t local = LocalOf(v);
  if (local == kNoLocal) {
    return {It(this, v, base_begin, base_end, false, {}, {}),
            It(this, v, base_end, base_end, false, {}, {})};
  }
  auto [over_begin, over_end] = range(local, *overlay_);
  return {It(this, v, base_begin, base_end, true, over_begin, over_end),
          It(this, v, base_end, base_end, true, over_end, over_end)};
}

std::pair<LinkGraph::out_edge_iterator, LinkGraph::out_edge_iterator> out_edges(
    LinkGraph::vertex_descriptor v, const LinkGraph& g) {
  return g.Incident<false, LinkGraph::Overlay::out_edge_iterator>(
      v, [](auto u, const auto& graph) { return boost::out_edges(u, graph); });
}

std::pair<LinkGraph::in_edge_iterator, LinkGraph::in_edge_iterator> in_edges(
    LinkGraph::vertex_descriptor v, const LinkGraph& g) {
  return g.Incident<true, LinkGraph::Overlay::in_edge_iterator>(
      v, [](auto u, const auto& graph) { return boost::in_edges(u, graph); });
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
