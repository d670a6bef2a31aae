// LinkGraph (link_graph.h): the compact edge property, and the merged
// graph of a shared base and an overlay, checked against a plain Boost
// adjacency list given the same changes.
#include "graph/link_graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/graph_concepts.hpp>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <random>
#include <tuple>
#include <vector>

#include "graph/provenance_table.h"
#include "support/test_federation.h"

namespace toegang::testing {
namespace {

TEST(LinkTest, TheProvenanceNumberRoundTripsAcrossItsBits) {
  const uint64_t numbers[] = {0,
                              1,
                              (uint64_t{1} << 16) - 1,
                              uint64_t{1} << 16,
                              (uint64_t{1} << 24) + 12345,
                              ProvenanceTable::kMaxNumber};
  for (uint64_t number : numbers) {
    const Link link(LinkKind::kRight, 7, number);
    EXPECT_EQ(link.prov_number(), number);
    EXPECT_EQ(link.kind, LinkKind::kRight);
    EXPECT_EQ(link.app, 7);
  }
  EXPECT_EQ(Link().prov_number(), 0u);
}

BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<LinkGraph>));
BOOST_CONCEPT_ASSERT((boost::BidirectionalGraphConcept<LinkGraph>));
BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<LinkGraph>));
BOOST_CONCEPT_ASSERT((boost::EdgeListGraphConcept<LinkGraph>));

// The reference: what LinkGraph replaced.
using Plain = boost::adjacency_list<boost::vecS, boost::vecS,
                                    boost::bidirectionalS, Node, Link>;

// An edge as the tests compare it: ends, kind, app, and its provenance
// number (each edge gets its own, so equal tuples are the same edge).
using Fact = std::tuple<size_t, size_t, LinkKind, AppId, uint64_t>;

template <typename G>
Fact FactOf(const G& g, const typename G::edge_descriptor& e) {
  const Link& l = g[e];
  return {source(e, g), target(e, g), l.kind, l.app, l.prov_number()};
}

std::vector<Fact> OutFacts(const LinkGraph& g, size_t v) {
  std::vector<Fact> out;
  for (auto [it, end] = out_edges(v, g); it != end; ++it) {
    out.push_back(FactOf(g, *it));
  }
  return out;
}
std::vector<Fact> OutFacts(const Plain& g, size_t v) {
  std::vector<Fact> out;
  for (auto [it, end] = boost::out_edges(v, g); it != end; ++it) {
    out.push_back(FactOf(g, *it));
  }
  return out;
}
std::vector<Fact> SortedInFacts(const LinkGraph& g, size_t v) {
  std::vector<Fact> in;
  for (auto [it, end] = in_edges(v, g); it != end; ++it) {
    in.push_back(FactOf(g, *it));
  }
  std::sort(in.begin(), in.end());
  return in;
}
std::vector<Fact> SortedInFacts(const Plain& g, size_t v) {
  std::vector<Fact> in;
  for (auto [it, end] = boost::in_edges(v, g); it != end; ++it) {
    in.push_back(FactOf(g, *it));
  }
  std::sort(in.begin(), in.end());
  return in;
}

// Out-edges in the same order (base order, then the overlay in order of
// addition, is the adjacency list's order of addition); in-edges as sets
// (the base lists them by source); the same vertices and Nodes; and every
// edge once through edges().
// With `out_order` false the out-edges are compared as sets too (a user
// edge's folded rights come right after it, not where they were added).
void ExpectSameGraph(const LinkGraph& g, const Plain& want,
                     bool out_order = true) {
  ASSERT_EQ(num_vertices(g), boost::num_vertices(want));
  ASSERT_EQ(num_edges(g), boost::num_edges(want));
  for (size_t v = 0; v < boost::num_vertices(want); ++v) {
    EXPECT_EQ(g[v].kind, want[v].kind) << v;
    EXPECT_EQ(g[v].index, want[v].index) << v;
    std::vector<Fact> out = OutFacts(g, v);
    std::vector<Fact> want_out = OutFacts(want, v);
    if (!out_order) {
      std::sort(out.begin(), out.end());
      std::sort(want_out.begin(), want_out.end());
    }
    EXPECT_EQ(out, want_out) << "out-edges of " << v;
    EXPECT_EQ(SortedInFacts(g, v), SortedInFacts(want, v))
        << "in-edges of " << v;
    EXPECT_EQ(out_degree(v, g), boost::out_degree(v, want)) << v;
    EXPECT_EQ(in_degree(v, g), boost::in_degree(v, want)) << v;
  }
  std::vector<Fact> all;
  for (auto [it, end] = edges(g); it != end; ++it)
    all.push_back(FactOf(g, *it));
  std::vector<Fact> want_all;
  for (auto [it, end] = boost::edges(want); it != end; ++it) {
    want_all.push_back(FactOf(want, *it));
  }
  std::sort(all.begin(), all.end());
  std::sort(want_all.begin(), want_all.end());
  EXPECT_EQ(all, want_all);
}

Link NumberedLink(LinkKind kind, AppId app, uint64_t number) {
  return Link(kind, app, number);
}

// A LinkGraph and the adjacency list given the same changes, with copies
// of both taken along the way; the random tests drive it.
struct Mirror {
  LinkGraph g;
  Plain want;
  std::vector<std::pair<LinkGraph, Plain>> copies;
  FrozenStore store = FrozenStore::Heap();  // where Compact puts the bases

  void AddVertex(const Node& node) {
    ASSERT_EQ(g.AddVertex(node), boost::add_vertex(node, want));
  }
  void AddEdge(size_t from, size_t to, const Link& l) {
    g.AddEdge(from, to, l);
    boost::add_edge(from, to, l, want);
  }
  void ClearVertex(size_t v) {
    g.ClearVertex(v);
    boost::clear_vertex(v, want);
  }
  void Compact() {
    g.Compact(store);
    // Every base has row starts, so a mapped one is never empty.
    EXPECT_EQ(g.mapped_base_bytes() > 0, !store.heap());
    EXPECT_EQ(g.overlay_edge_count(), 0u);
    EXPECT_EQ(g.removed_base_edge_count(), 0u);
    EXPECT_EQ(g.base_edge_count() + g.folded_right_count(), num_edges(g));
  }
  void Copy() { copies.emplace_back(g, want); }
  // The graph now, and every copy as its reference was when taken.
  void ExpectAllSame(bool out_order) {
    ExpectSameGraph(g, want, out_order);
    ASSERT_FALSE(copies.empty());
    for (const auto& [copy, then] : copies) {
      ExpectSameGraph(copy, then, out_order);
    }
  }
};

// The random tests with the bases on the heap (false) and in a mapped
// file (true).
class LinkGraphRandomTest : public ::testing::TestWithParam<bool> {
 protected:
  Mirror Start() const {
    Mirror m;
    if (GetParam()) m.store = FrozenStore::InDirectory(dir_.path());
    return m;
  }
  void TearDown() override {
    EXPECT_TRUE(std::filesystem::is_empty(dir_.path()));
  }

 private:
  TempDir dir_;
};
INSTANTIATE_TEST_SUITE_P(Bases, LinkGraphRandomTest, ::testing::Bool(),
                         HeapOrMapped);

// Random additions and removals of vertices and (parallel) edges, with a
// compaction now and then and copies taken along the way: after every
// step the merged graph equals the adjacency list, and a copy taken
// earlier still equals the reference as it was then.
TEST_P(LinkGraphRandomTest,
       MergedGraphEqualsAnAdjacencyListUnderRandomChanges) {
  std::mt19937_64 rng(20261129);
  Mirror m = Start();
  LinkGraph& g = m.g;
  Plain& want = m.want;
  uint64_t revision = 0;
  for (int step = 0; step < 3000; ++step) {
    const unsigned choice = rng() % 100;
    const size_t n = boost::num_vertices(want);
    if (n < 2 || choice < 10) {
      const Node node{static_cast<NodeKind>(rng() % 5),
                      static_cast<uint32_t>(rng() % 1000)};
      m.AddVertex(node);
    } else if (choice < 60) {
      const size_t from = rng() % n;
      const size_t to = rng() % n;
      m.AddEdge(from, to,
                NumberedLink(static_cast<LinkKind>(rng() % 12),
                             static_cast<AppId>(rng() % 4), ++revision));
    } else if (choice < 90) {
      // Remove the k-th out-edge of a vertex from both.
      const size_t v = rng() % n;
      const size_t degree = boost::out_degree(v, want);
      if (degree == 0) continue;
      const size_t k = rng() % degree;
      auto it = out_edges(v, g).first;
      std::advance(it, k);
      auto wit = boost::out_edges(v, want).first;
      std::advance(wit, k);
      ASSERT_EQ(FactOf(g, *it), FactOf(want, *wit));
      g.RemoveEdge(*it);
      boost::remove_edge(*wit, want);
    } else if (choice < 93) {
      m.ClearVertex(rng() % n);
    } else if (choice < 97) {
      m.Compact();
    } else {
      m.Copy();
    }
    if (step % 100 == 0) ExpectSameGraph(g, want);
    if (::testing::Test::HasFailure()) return;
  }
  m.ExpectAllSame(true);
}

// Users and rights as the engine makes them: a user edge, and rights to
// the same subafdeling that often share its provenance number (granted
// with it) and sometimes not (granted later), among other edges. Random
// removals of rights, users and whole vertices, compactions and copies:
// the merged graph always reads as the adjacency list given the same
// changes, and the base holds the rights that share a user edge's
// provenance inside that edge.
TEST_P(LinkGraphRandomTest,
       RightsFoldedIntoUserEdgesReadBackAsTheEdgesTheyWere) {
  std::mt19937_64 rng(20261202);
  Mirror m = Start();
  LinkGraph& g = m.g;
  Plain& want = m.want;
  uint64_t revision = 0;
  for (int i = 0; i < 40; ++i) {
    m.AddVertex(Node{i < 30 ? NodeKind::kPerson : NodeKind::kSubafdeling,
                     static_cast<uint32_t>(i)});
  }
  auto add = [&](size_t from, size_t to, const Link& l) {
    m.AddEdge(from, to, l);
  };
  size_t folded_seen = 0;
  for (int step = 0; step < 3000; ++step) {
    const unsigned choice = rng() % 100;
    const size_t person = rng() % 30;
    if (choice < 35) {
      // A user with rights: most with the user's provenance, some later;
      // applications 0-9 (8 and 9 cannot fold), some twice.
      const size_t sub = 30 + rng() % 10;
      const uint64_t prov = ++revision;
      add(person, sub, NumberedLink(LinkKind::kUser, 0, prov));
      const int rights = static_cast<int>(rng() % 4);
      for (int r = 0; r < rights; ++r) {
        const auto app = static_cast<AppId>(rng() % 10);
        add(person, sub,
            NumberedLink(LinkKind::kRight, app,
                         rng() % 4 == 0 ? ++revision : prov));
      }
    } else if (choice < 45) {
      add(person, rng() % 40,
          NumberedLink(static_cast<LinkKind>(rng() % 12),
                       static_cast<AppId>(rng() % 3), ++revision));
    } else if (choice < 85) {
      // Remove one edge (a right more often than not) from both.
      const std::vector<Fact> out = OutFacts(want, person);
      if (out.empty()) continue;
      Fact doomed = out[rng() % out.size()];
      for (const Fact& f : out) {
        if (std::get<2>(f) == LinkKind::kRight && rng() % 2 == 0) doomed = f;
      }
      bool found = false;
      for (auto [it, end] = out_edges(person, g); it != end; ++it) {
        if (FactOf(g, *it) == doomed) {
          g.RemoveEdge(*it);
          found = true;
          break;
        }
      }
      ASSERT_TRUE(found);
      for (auto [it, end] = boost::out_edges(person, want); it != end; ++it) {
        if (FactOf(want, *it) == doomed) {
          boost::remove_edge(*it, want);
          break;
        }
      }
    } else if (choice < 88) {
      m.ClearVertex(rng() % 40);
    } else if (choice < 96) {
      m.Compact();
      folded_seen += g.folded_right_count();
    } else {
      m.Copy();
    }
    if (step % 50 == 0) ExpectSameGraph(g, want, false);
    if (::testing::Test::HasFailure()) return;
  }
  m.ExpectAllSame(false);
  EXPECT_GT(folded_seen, 0u);
}

// Rounds of changes, each ending in a load's bulk: vertices added, edges
// staged (users with rights that fold, and edges of every kind, between old
// and new vertices) among edges added and removed, then a compaction. The
// staged edges stay out of sight until the compaction, which makes the
// graph read as the adjacency list given the same edges by add_edge; a
// copy taken before the staging keeps its graph. Round 0 stages into a
// graph that was never compacted (as a load does), the later rounds into
// one with a base, an overlay and removed base edges.
TEST_P(LinkGraphRandomTest, StagedEdgesJoinTheGraphAtCompaction) {
  std::mt19937_64 rng(20261204);
  Mirror m = Start();
  LinkGraph& g = m.g;
  Plain& want = m.want;
  uint64_t revision = 0;
  auto random_link = [&] {
    return NumberedLink(static_cast<LinkKind>(rng() % 12),
                        static_cast<AppId>(rng() % 3), ++revision);
  };
  for (int i = 0; i < 20; ++i) {
    m.AddVertex(Node{static_cast<NodeKind>(i % 5), static_cast<uint32_t>(i)});
  }
  size_t folded_seen = 0;
  for (int round = 0; round < 12; ++round) {
    // A change as a running engine makes them: an edge added, or one of
    // a vertex's edges removed from both (found by its fact: a folded
    // right reads right after its user edge, not where it was added). The
    // graph's edges leave out the staged ones, the reference's do not.
    auto change = [&] {
      const size_t n = boost::num_vertices(want);
      const size_t from = rng() % n;
      if (rng() % 3 != 0) {
        m.AddEdge(from, rng() % n, random_link());
        return;
      }
      const std::vector<Fact> out = OutFacts(g, from);
      if (out.empty()) return;
      const Fact doomed = out[rng() % out.size()];
      auto it = out_edges(from, g).first;
      while (FactOf(g, *it) != doomed) ++it;
      g.RemoveEdge(*it);
      auto wit = boost::out_edges(from, want).first;
      while (FactOf(want, *wit) != doomed) ++wit;
      boost::remove_edge(*wit, want);
    };
    // None before round 0's staging, as in a load.
    for (int step = 0; round > 0 && step < 150; ++step) {
      change();
      if (step % 75 == 74) m.Compact();
    }
    m.Copy();
    // The bulk: new vertices, and edges staged among old and new ones,
    // with changes to the rest of the graph in between.
    size_t staged = 0;
    for (int step = 0; step < 200; ++step) {
      if (rng() % 4 == 0) {
        change();
        continue;
      }
      if (rng() % 10 == 0) {
        m.AddVertex(Node{static_cast<NodeKind>(rng() % 5),
                         static_cast<uint32_t>(rng() % 1000)});
      }
      const size_t n = boost::num_vertices(want);
      const size_t from = rng() % n;
      const size_t to = rng() % n;
      std::vector<Link> links;
      if (rng() % 2 == 0) {
        // A user and its rights, most of them with the user's provenance.
        const uint64_t prov = ++revision;
        links.push_back(NumberedLink(LinkKind::kUser, 0, prov));
        for (int r = static_cast<int>(rng() % 4); r > 0; --r) {
          links.push_back(NumberedLink(LinkKind::kRight,
                                       static_cast<AppId>(rng() % 10),
                                       rng() % 4 == 0 ? ++revision : prov));
        }
      } else {
        links.push_back(random_link());
      }
      const auto place = rng() % 2 == 0 ? LinkGraph::StagePlace::kBeforeOverlay
                                        : LinkGraph::StagePlace::kAfterOverlay;
      for (const Link& l : links) {
        g.StageEdge(from, to, l, place);
        boost::add_edge(from, to, l, want);
        ++staged;
      }
    }
    EXPECT_EQ(g.staged_edge_count(), staged);
    EXPECT_EQ(num_edges(g) + staged, boost::num_edges(want))
        << "staged edges are not seen";
    m.Compact();
    EXPECT_EQ(g.staged_edge_count(), 0u);
    folded_seen += g.folded_right_count();
    m.ExpectAllSame(false);
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(folded_seen, 0u);
}

// Without rights to fold, staged edges take their places in their
// source's row: after its base edges and before its overlay edges, or
// after those (those added after them too), in the order staged.
TEST(LinkGraphTest, StagedEdgesTakeTheirPlacesInTheirSourcesRow) {
  using Place = LinkGraph::StagePlace;
  LinkGraph g;
  for (int i = 0; i < 4; ++i) {
    g.AddVertex(Node{NodeKind::kDomain, static_cast<uint32_t>(i)});
  }
  uint64_t number = 0;
  auto add = [&](size_t from, size_t to) {
    g.AddEdge(from, to, NumberedLink(LinkKind::kDomain, 0, ++number));
    return Fact{from, to, LinkKind::kDomain, 0, number};
  };
  auto stage = [&](size_t from, size_t to, Place place) {
    g.StageEdge(from, to, NumberedLink(LinkKind::kDomain, 0, ++number), place);
    return Fact{from, to, LinkKind::kDomain, 0, number};
  };
  // Vertex 1 has no base edges, vertex 2 no overlay edges, vertex 3 none.
  const Fact base1 = add(0, 1);
  const Fact base2 = add(0, 2);
  const Fact base3 = add(2, 1);
  g.Compact();
  const Fact after1 = stage(0, 2, Place::kAfterOverlay);
  const Fact overlay1 = add(0, 3);
  const Fact before1 = stage(0, 3, Place::kBeforeOverlay);
  const Fact only_before = stage(3, 0, Place::kBeforeOverlay);
  const Fact overlay2 = add(0, 0);
  const Fact after2 = stage(0, 1, Place::kAfterOverlay);
  const Fact before2 = stage(0, 0, Place::kBeforeOverlay);
  const Fact overlay3 = add(1, 0);
  const Fact before3 = stage(1, 2, Place::kBeforeOverlay);
  const Fact after3 = stage(2, 0, Place::kAfterOverlay);
  const Fact before4 = stage(2, 3, Place::kBeforeOverlay);
  EXPECT_EQ(OutFacts(g, 0),
            (std::vector<Fact>{base1, base2, overlay1, overlay2}));
  EXPECT_EQ(num_edges(g), 6u);
  g.Compact();
  EXPECT_EQ(OutFacts(g, 0),
            (std::vector<Fact>{base1, base2, before1, before2, overlay1,
                               overlay2, after1, after2}));
  EXPECT_EQ(OutFacts(g, 1), (std::vector<Fact>{before3, overlay3}));
  EXPECT_EQ(OutFacts(g, 2), (std::vector<Fact>{base3, before4, after3}));
  EXPECT_EQ(OutFacts(g, 3), std::vector<Fact>{only_before});
  EXPECT_EQ(num_edges(g), 14u);
}

// One person's user edge and its rights, checked part by part.
TEST(LinkGraphTest, AFoldedRightIsAnEdgeOfItsOwnToReadAndToRemove) {
  LinkGraph g;
  const size_t p = g.AddVertex(Node{NodeKind::kPerson, 0});
  const size_t s = g.AddVertex(Node{NodeKind::kSubafdeling, 0});
  g.AddEdge(p, s, NumberedLink(LinkKind::kUser, 0, 5));
  g.AddEdge(p, s, NumberedLink(LinkKind::kRight, 3, 5));
  g.AddEdge(p, s, NumberedLink(LinkKind::kRight, 1, 5));
  g.AddEdge(p, s, NumberedLink(LinkKind::kRight, 2, 6));  // granted later
  g.Compact();
  EXPECT_EQ(g.base_edge_count(), 2u);
  EXPECT_EQ(g.folded_right_count(), 2u);
  EXPECT_EQ(num_edges(g), 4u);
  // The user edge, its rights by application, then the later right.
  const std::vector<Fact> parts = {
      {p, s, LinkKind::kUser, 0, 5},
      {p, s, LinkKind::kRight, 1, 5},
      {p, s, LinkKind::kRight, 3, 5},
      {p, s, LinkKind::kRight, 2, 6},
  };
  EXPECT_EQ(OutFacts(g, p), parts);
  EXPECT_EQ(SortedInFacts(g, s),
            (std::vector<Fact>{parts[0], parts[1], parts[3], parts[2]}));
  EXPECT_EQ(out_degree(p, g), 4u);
  EXPECT_EQ(in_degree(s, g), 4u);
  // Each part is an edge of its own: equal to itself, to no other part.
  std::vector<LinkEdge> es;
  for (auto [it, end] = out_edges(p, g); it != end; ++it) es.push_back(*it);
  for (size_t i = 0; i < es.size(); ++i) {
    for (size_t j = 0; j < es.size(); ++j) EXPECT_EQ(es[i] == es[j], i == j);
  }

  // A copy revokes application 3: the user edge and application 1 stay,
  // with the provenance they had, and g is untouched.
  LinkGraph copy = g;
  copy.RemoveEdge(es[2]);
  EXPECT_EQ(num_edges(copy), 3u);
  std::vector<Fact> left = OutFacts(copy, p);
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<Fact>{parts[0], parts[1], parts[3]}));
  EXPECT_EQ(OutFacts(g, p), parts);
  EXPECT_EQ(num_edges(g), 4u);

  // Removing the user part first leaves its rights (the engine removes
  // the rights of a user it removes; the graph does not).
  LinkGraph other = g;
  other.RemoveEdge(es[0]);
  left = OutFacts(other, p);
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<Fact>{parts[1], parts[3], parts[2]}));

  // Clearing the subafdeling takes every part.
  other = g;
  other.ClearVertex(s);
  EXPECT_EQ(num_edges(other), 0u);
  EXPECT_EQ(out_degree(p, other), 0u);

  // Compacting again folds what still shares the user edge's provenance.
  copy.Compact();
  EXPECT_EQ(copy.base_edge_count(), 2u);
  EXPECT_EQ(copy.folded_right_count(), 1u);
}

TEST(LinkGraphTest, CopiesShareTheBaseAndKeepTheirOwnChanges) {
  LinkGraph g;
  const size_t a = g.AddVertex(Node{NodeKind::kPerson, 0});
  const size_t b = g.AddVertex(Node{NodeKind::kSubafdeling, 0});
  g.AddEdge(a, b, NumberedLink(LinkKind::kUser, 0, 1));
  g.AddEdge(a, b, NumberedLink(LinkKind::kRight, 2, 2));
  g.Compact();
  LinkGraph copy = g;
  EXPECT_TRUE(copy.SharesBaseWith(g));

  // The copy loses the right and gains a vertex and an edge; g is as it was.
  auto it = out_edges(a, copy).first;
  ++it;
  ASSERT_EQ(copy[*it].kind, LinkKind::kRight);
  ASSERT_NE(it->base_index, LinkEdge::kNotBase);
  copy.RemoveEdge(*it);
  const size_t c = copy.AddVertex(Node{NodeKind::kFacility, 0});
  copy.AddEdge(b, c, NumberedLink(LinkKind::kAt, 0, 3));

  EXPECT_EQ(num_edges(copy), 2u);
  EXPECT_EQ(num_vertices(copy), 3u);
  EXPECT_EQ(copy.removed_base_edge_count(), 1u);
  EXPECT_EQ(copy.overlay_edge_count(), 1u);
  EXPECT_EQ(num_edges(g), 2u);
  EXPECT_EQ(num_vertices(g), 2u);
  EXPECT_EQ(out_degree(a, g), 2u);
  EXPECT_EQ(in_degree(b, g), 2u);
  EXPECT_EQ(out_degree(a, copy), 1u);
  EXPECT_EQ(in_degree(b, copy), 1u);
  EXPECT_EQ(copy[c].kind, NodeKind::kFacility);

  // Compacting the copy gives it a base of its own; g keeps the old one.
  copy.Compact();
  EXPECT_FALSE(copy.SharesBaseWith(g));
  EXPECT_EQ(num_edges(copy), 2u);
  EXPECT_EQ(copy.overlay_edge_count(), 0u);
  EXPECT_EQ(num_edges(g), 2u);
  EXPECT_EQ(out_degree(a, g), 2u);
}

// The generic algorithms the engine runs on it (explain, the
// administration view) work through filtered_graph.
TEST(LinkGraphTest,
     BreadthFirstSearchThroughAFilteredViewCrossesBaseAndOverlay) {
  LinkGraph g;
  for (int i = 0; i < 5; ++i) g.AddVertex(Node{NodeKind::kDomain, 0});
  g.AddEdge(0, 1, NumberedLink(LinkKind::kDomain, 0, 1));
  g.AddEdge(1, 2, NumberedLink(LinkKind::kRight, 0, 2));  // filtered out
  g.Compact();
  g.AddEdge(1, 3, NumberedLink(LinkKind::kDomain, 0, 3));
  g.AddEdge(3, 4, NumberedLink(LinkKind::kDomain, 0, 4));
  struct NoRights {
    const LinkGraph* g = nullptr;
    bool operator()(const LinkEdge& e) const {
      return (*g)[e].kind != LinkKind::kRight;
    }
  };
  boost::filtered_graph<LinkGraph, NoRights> view(g, NoRights{&g});
  std::vector<boost::default_color_type> colors(num_vertices(g),
                                                boost::white_color);
  boost::queue<size_t> queue;
  boost::breadth_first_visit(view, size_t{0}, queue,
                             boost::default_bfs_visitor(), colors.data());
  EXPECT_NE(colors[1], boost::white_color);
  EXPECT_EQ(colors[2], boost::white_color);
  EXPECT_NE(colors[3], boost::white_color);
  EXPECT_NE(colors[4], boost::white_color);
}

}  // namespace
}  // namespace toegang::testing
