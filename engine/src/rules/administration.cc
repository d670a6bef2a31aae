// Who may administer what: see administration.h.
#include "rules/administration.h"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/pending/queue.hpp>
#include <boost/property_map/property_map.hpp>
#include <utility>
#include <vector>

namespace toegang {

const char* AdminRoleName(Role r) {
  switch (r) {
    case Role::kHtb:
      return "htb";
    case Role::kTb:
      return "tb";
    case Role::kCoTb:
      return "co_tb";
    case Role::kManager:
      return "manager";
    case Role::kNone:
      break;
  }
  return "";
}

namespace {

bool IsAdministrative(LinkKind kind) {
  switch (kind) {
    case LinkKind::kHtb:          // person -> enterprise
    case LinkKind::kDomain:       // enterprise -> domain
    case LinkKind::kTb:           // person -> domain
    case LinkKind::kCoTb:         // person -> domain
    case LinkKind::kSubafdeling:  // domain -> subafdeling
    case LinkKind::kManager:      // person -> subafdeling
      return true;
    default:
      return false;
  }
}

// Edge filter of the administrative view: the links along which the power
// to administer flows. None of them enters a person, so a visit from one
// person reaches only what that person administers.
struct AdministrativeEdges {
  const Graph* graph = nullptr;
  bool operator()(const Edge& e) const {
    return IsAdministrative((*graph)[e].kind);
  }
};
using AdministrativeView = boost::filtered_graph<Graph, AdministrativeEdges>;

// One administrative link met by the visit.
struct Reach {
  Vertex from;
  Vertex to;
  LinkKind kind;
};

// Records every administrative link the visit examines; the roles are
// resolved from them afterwards (ResolveRoles), because a vertex can be
// reached along several links (a co-TB who is also HTB reaches the domain
// both directly and through the enterprise), and breadth-first order does
// not promise the strongest arrives first.
class AdministrationRecorder : public boost::default_bfs_visitor {
 public:
  AdministrationRecorder(const Graph* graph, std::vector<Reach>* reached)
      : graph_(graph), reached_(reached) {}

  // The Link is read from the model, not the view (link_graph.h: the view
  // has no edge bundle).
  template <typename G>
  void examine_edge(typename boost::graph_traits<G>::edge_descriptor e,
                    const G& g) const {
    reached_->push_back(Reach{source(e, g), target(e, g), (*graph_)[e].kind});
  }

 private:
  const Graph* graph_;           // not owned
  std::vector<Reach>* reached_;  // not owned
};

// The strongest role the person holds on each vertex the visit reached.
// Administrative links only go person -> enterprise -> domain ->
// subafdeling, so relaxing them in the order of their source's kind is a
// topological order: a vertex's role is final before it is passed on.
std::unordered_map<Vertex, Role> ResolveRoles(const DelegationGraph& g,
                                              std::vector<Reach> reached) {
  auto rank = [&](Vertex v) {
    switch (g.graph()[v].kind) {
      case NodeKind::kPerson:
        return 0;
      case NodeKind::kEnterprise:
        return 1;
      case NodeKind::kDomain:
        return 2;
      default:
        return 3;
    }
  };
  std::stable_sort(reached.begin(), reached.end(),
                   [&](const Reach& a, const Reach& b) {
                     return rank(a.from) < rank(b.from);
                   });
  std::unordered_map<Vertex, Role> roles;
  auto raise = [&](Vertex v, Role r) {
    Role& cur = roles[v];
    if (r > cur) cur = r;
  };
  for (const Reach& r : reached) {
    switch (r.kind) {
      case LinkKind::kHtb:
        // The HTB administers only while the KBO lists them as a WV or
        // employee of the enterprise (docs/model.md, "Registry changes").
        if (HtbStillListed(g, r.from, r.to)) raise(r.to, Role::kHtb);
        break;
      case LinkKind::kTb:
        raise(r.to, Role::kTb);
        break;
      case LinkKind::kCoTb:
        raise(r.to, Role::kCoTb);
        break;
      case LinkKind::kManager:
        raise(r.to, Role::kManager);
        break;
      case LinkKind::kDomain:         // the HTB is TB of every domain
      case LinkKind::kSubafdeling: {  // a domain's TBs manage its subafdelingen
        auto from = roles.find(r.from);
        if (from != roles.end()) raise(r.to, from->second);
        break;
      }
      default:
        break;
    }
  }
  return roles;
}

// What the person administers: vertex -> strongest role.
}  // namespace

bool HtbStillListed(const DelegationGraph& g, Vertex person,
                    Vertex enterprise) {
  return g.HasLink(person, enterprise, LinkKind::kLegalRepresentative) ||
         g.HasLink(person, enterprise, LinkKind::kEmployee);
}

std::unordered_map<Vertex, Role> Administered(const DelegationGraph& g,
                                              Vertex person) {
  AdministrativeView view(g.graph(), AdministrativeEdges{&g.graph()});
  // Colours in a map of the vertices met, not a vector over the whole
  // federation: a visit costs what it reaches.
  std::unordered_map<Vertex, boost::default_color_type> colour_store;
  boost::associative_property_map<decltype(colour_store)> colours(colour_store);
  boost::queue<Vertex> queue;
  std::vector<Reach> reached;
  boost::breadth_first_visit(view, person, queue,
                             AdministrationRecorder(&g.graph(), &reached),
                             colours);
  return ResolveRoles(g, std::move(reached));
}

}  // namespace toegang
