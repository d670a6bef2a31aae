// Explain's verdict (explain_verdict.h): the walks over the model and the
// conditions.
//
// Traversals run over views of the one model (boost::filtered_graph keeps
// only the link kinds a question is about) with visitors that record what
// they meet and never throw:
//
//  * PersonTies (depth_first_visit from the person, over user, WV,
//    employee, HTB, TB, co-TB and manager links): the subafdelingen the
//    person is a user of (the candidates without an HCO, and the way to
//    the granting subafdeling when allowed) and the enterprises the person
//    is tied to (where to ask when the person is a user nowhere).
//  * EnterpriseSubtree (breadth_first_visit from the enterprise, over
//    enterprise -> domain -> subafdeling -> facility, the domain links
//    limited to the application's capacity): the domains of the capacity
//    and the subafdelingen of the asked facility, so that a facility is
//    walked from its enterprise down even when it has no subafdeling yet.
//
// The colour maps are sparse (a hash map per walk), so a walk costs what
// it visits, not the size of the federation.
#include "rules/explain_verdict.h"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/pending/queue.hpp>
#include <boost/property_map/property_map.hpp>
#include <unordered_map>
#include <utility>
#include <vector>

namespace toegang {
namespace {

constexpr uint32_t Bit(LinkKind k) {
  return uint32_t{1} << static_cast<unsigned>(k);
}

// --- views and visitors ------------------------------------------------------

// Keeps the links whose kind is in `kinds`; domain links only to domains
// of `capacity` when it is not negative.
struct LinkFilter {
  const DelegationGraph* model = nullptr;
  uint32_t kinds = 0;
  int capacity = -1;

  bool operator()(const Edge& e) const {
    const Graph& g = model->graph();
    const Link& l = g[e];
    if ((kinds & Bit(l.kind)) == 0) return false;
    if (l.kind == LinkKind::kDomain && capacity >= 0) {
      return model->domain(target(e, g)).capacity == capacity;
    }
    return true;
  }
};

using View = boost::filtered_graph<Graph, LinkFilter>;
using Colors = std::unordered_map<Vertex, boost::default_color_type>;

class TiesRecorder : public boost::default_dfs_visitor {
 public:
  TiesRecorder(const DelegationGraph* model, Ties* out)
      : model_(model), out_(out) {}

  template <typename G>
  void examine_edge(Edge e, const G& g) const {
    const Vertex to = target(e, g);
    switch (model_->graph()[e].kind) {
      case LinkKind::kUser:
        out_->user_of.push_back(to);
        break;
      case LinkKind::kLegalRepresentative:
      case LinkKind::kEmployee:
      case LinkKind::kHtb:
        out_->enterprises.push_back(to);
        break;
      case LinkKind::kTb:
      case LinkKind::kCoTb:
        out_->enterprises.push_back(model_->domain(to).enterprise);
        break;
      case LinkKind::kManager:
        out_->enterprises.push_back(
            model_->domain(model_->subafdeling(to).domain).enterprise);
        break;
      default:
        break;
    }
  }

 private:
  const DelegationGraph* model_;
  Ties* out_;
};

// An enterprise's part of the model below it, for one facility.
struct Subtree {
  std::vector<Vertex> domains;      // of the capacity
  std::vector<Vertex> at_facility;  // subafdelingen of the facility
};

class SubtreeRecorder : public boost::default_bfs_visitor {
 public:
  SubtreeRecorder(const DelegationGraph* model, Vertex facility, Subtree* out)
      : model_(model), facility_(facility), out_(out) {}

  template <typename G>
  void examine_edge(Edge e, const G& g) const {
    switch (model_->graph()[e].kind) {
      case LinkKind::kDomain:
        out_->domains.push_back(target(e, g));
        break;
      case LinkKind::kAt:
        if (target(e, g) == facility_) {
          out_->at_facility.push_back(source(e, g));
        }
        break;
      default:
        break;
    }
  }

 private:
  const DelegationGraph* model_;
  Vertex facility_;
  Subtree* out_;
};

Subtree EnterpriseSubtree(const DelegationGraph& model, Vertex enterprise,
                          CapacityId capacity, Vertex facility) {
  Subtree tree;
  const LinkFilter filter{
      &model,
      Bit(LinkKind::kDomain) | Bit(LinkKind::kSubafdeling) | Bit(LinkKind::kAt),
      capacity};
  const View view(model.graph(), filter);
  Colors colors;
  boost::associative_property_map<Colors> color(colors);
  boost::queue<Vertex> queue;
  boost::breadth_first_visit(view, enterprise, queue,
                             SubtreeRecorder(&model, facility, &tree), color);
  std::sort(tree.domains.begin(), tree.domains.end());
  std::sort(tree.at_facility.begin(), tree.at_facility.end());
  return tree;
}

}  // namespace

ReasonInfo Info(Reason r) {
  switch (r) {
    case Reason::kEnterpriseInactive:
      return {"enterprise_inactive", 1, "1.1"};
    case Reason::kNoHtb:
      return {"no_htb", 2, "3.2"};
    case Reason::kCapacityInactive:
      return {"capacity_inactive", 3, "3.4"};
    case Reason::kFacilityInactive:
      return {"facility_inactive", 4, "1.1"};
    case Reason::kNoSubafdeling:
      return {"no_subafdeling", 4, "3.6"};
    case Reason::kApplicationNotAuthorized:
      return {"application_not_authorized", 5, "3.6"};
    case Reason::kWrongFacilityType:
      return {"wrong_facility_type", 5, "1.1"};
    case Reason::kNotAUser:
      return {"not_a_user", 6, "3.7"};
    case Reason::kRightMissing:
      return {"right_missing", 7, "3.7"};
    case Reason::kNone:
      break;
  }
  return {"", 0, ""};
}

Ties PersonTies(const DelegationGraph& model, Vertex person) {
  Ties ties;
  if (person == kNoVertex) return ties;
  const LinkFilter filter{
      &model,
      Bit(LinkKind::kUser) | Bit(LinkKind::kLegalRepresentative) |
          Bit(LinkKind::kEmployee) | Bit(LinkKind::kHtb) | Bit(LinkKind::kTb) |
          Bit(LinkKind::kCoTb) | Bit(LinkKind::kManager),
      -1};
  const View view(model.graph(), filter);
  Colors colors;
  boost::associative_property_map<Colors> color(colors);
  // One hop: the walk does not go on from the vertices the person is tied
  // to (their own out-links, e.g. an enterprise's facilities, are no ties).
  auto beyond = [person](Vertex v, const View&) { return v != person; };
  boost::depth_first_visit(view, person, TiesRecorder(&model, &ties), color,
                           beyond);
  auto tidy = [](std::vector<Vertex>* v) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  };
  tidy(&ties.user_of);
  std::erase(ties.enterprises, kNoVertex);
  tidy(&ties.enterprises);
  std::sort(ties.enterprises.begin(), ties.enterprises.end(),
            [&](Vertex a, Vertex b) {
              return model.enterprise(a).kbo < model.enterprise(b).kbo;
            });
  return ties;
}

VerdictFinder::VerdictFinder(const DelegationGraph& graph, Vertex person,
                             AppId app, const std::string& hco)
    : g_(graph),
      cat_(graph.catalogue()),
      person_(person),
      app_(app),
      hco_(hco) {}

// The first failing condition of SPEC 4.5 for subafdeling s.
Verdict VerdictFinder::Evaluate(Vertex s) const {
  const SubafdelingData& sub = g_.subafdeling(s);
  const DomainData& d = g_.domain(sub.domain);
  Verdict v;
  v.enterprise = d.enterprise;
  v.facility = sub.facility;
  v.subafdeling = s;
  const EnterpriseData& e = g_.enterprise(d.enterprise);
  const FacilityData& f = g_.facility(sub.facility);
  if (!e.active) {
    v.reason = Reason::kEnterpriseInactive;
  } else if (e.htb == kNoVertex) {
    v.reason = Reason::kNoHtb;
  } else if (!g_.CapacityActive(d.enterprise, d.capacity)) {
    v.reason = Reason::kCapacityInactive;
  } else if (!f.active || f.enterprise != d.enterprise) {
    v.reason = Reason::kFacilityInactive;
  } else if (((sub.authorizations >> app_) & 1U) == 0) {
    v.reason = Reason::kApplicationNotAuthorized;
  } else if (g_.FacilityRuleDenied(d.enterprise, sub.facility,
                                   uint64_t{1} << app_) != 0) {
    v.reason = Reason::kWrongFacilityType;
  } else if (person_ == kNoVertex || !g_.HasLink(person_, s, LinkKind::kUser)) {
    v.reason = Reason::kNotAUser;
  } else if (!g_.HasLink(person_, s, LinkKind::kRight, app_)) {
    v.reason = Reason::kRightMissing;
  }
  return v;
}

// The closest of the candidates: the latest first failing condition,
// then the lowest HCO, then the oldest subafdeling.
Verdict VerdictFinder::Closest(const std::vector<Vertex>& subs) const {
  Verdict best;
  for (Vertex s : subs) {
    Verdict v = Evaluate(s);
    if (best.subafdeling == kNoVertex || Closer(v, best)) best = std::move(v);
  }
  return best;
}
bool VerdictFinder::Closer(const Verdict& a, const Verdict& b) const {
  if (a.reason != b.reason) return a.reason > b.reason;
  const std::string& a_hco = g_.facility(a.facility).hco;
  const std::string& b_hco = g_.facility(b.facility).hco;
  if (a_hco != b_hco) return a_hco < b_hco;
  return g_.subafdeling(a.subafdeling).id < g_.subafdeling(b.subafdeling).id;
}

// With an HCO: the facility, walked from its enterprise down.
Verdict VerdictFinder::WalkFacility() const {
  Verdict v;
  v.facility = g_.FindFacility(hco_);
  if (v.facility == kNoVertex) {
    v.reason = Reason::kFacilityInactive;  // unknown in CoBRHA
    return v;
  }
  const FacilityData& f = g_.facility(v.facility);
  v.enterprise = f.enterprise;
  const CapacityId capacity = cat_.application(app_).capacity;
  if (v.enterprise == kNoVertex || !g_.enterprise(v.enterprise).active) {
    v.reason = Reason::kEnterpriseInactive;
    return v;
  }
  if (g_.enterprise(v.enterprise).htb == kNoVertex) {
    v.reason = Reason::kNoHtb;
    return v;
  }
  if (!g_.CapacityActive(v.enterprise, capacity)) {
    v.reason = Reason::kCapacityInactive;
    return v;
  }
  if (!f.active) {
    v.reason = Reason::kFacilityInactive;
    return v;
  }
  Subtree tree = EnterpriseSubtree(g_, v.enterprise, capacity, v.facility);
  if (tree.at_facility.empty()) {
    v.reason = Reason::kNoSubafdeling;
    v.domains = std::move(tree.domains);
    return v;
  }
  return Closest(tree.at_facility);
}

// The subafdeling through which the first granting facility grants.
Vertex VerdictFinder::GrantingSubafdeling(const Ties& ties,
                                          const std::string& hco) const {
  Vertex best = kNoVertex;
  for (Vertex s : ties.user_of) {
    if (g_.facility(g_.subafdeling(s).facility).hco != hco) continue;
    if (Evaluate(s).reason != Reason::kNone) continue;
    if (best == kNoVertex || g_.subafdeling(s).id < g_.subafdeling(best).id) {
      best = s;
    }
  }
  return best;
}

Verdict VerdictFinder::Denied(const Ties& ties) const {
  Verdict v;
  if (!hco_.empty()) {
    v = WalkFacility();
  } else if (!ties.user_of.empty()) {
    v = Closest(ties.user_of);
  } else {
    v.reason = Reason::kNotAUser;  // a user nowhere
  }
  // Every condition holds only when check allows (Evaluate mirrors
  // GrantingFacilities); keep a reason all the same.
  if (v.reason == Reason::kNone) v.reason = Reason::kRightMissing;
  return v;
}

void VerdictFinder::AddFixer(Vertex p, FixerRole role, Fixers* fixers) const {
  if (p == kNoVertex) return;
  Fixer& f = (*fixers)[g_.person(p).insz];
  f.person = p;
  if (std::find(f.roles.begin(), f.roles.end(), role) == f.roles.end()) {
    f.roles.push_back(role);
  }
}
void VerdictFinder::AddDomainManagers(Vertex d, Fixers* fixers) const {
  if (d == kNoVertex) return;
  AddFixer(g_.domain(d).tb, {FixerRole::Kind::kTb}, fixers);
  for (Vertex co : g_.Sources(d, LinkKind::kCoTb)) {
    AddFixer(co, {FixerRole::Kind::kCoTb}, fixers);
  }
}

Fixers VerdictFinder::FixersOf(const Verdict& v, const Ties& ties) const {
  Fixers fixers;
  const Vertex htb =
      v.enterprise == kNoVertex ? kNoVertex : g_.enterprise(v.enterprise).htb;
  const Vertex domain = v.subafdeling == kNoVertex
                            ? kNoVertex
                            : g_.subafdeling(v.subafdeling).domain;
  switch (v.reason) {
    case Reason::kNoHtb:
      for (Vertex wv :
           g_.Sources(v.enterprise, LinkKind::kLegalRepresentative)) {
        AddFixer(wv, {FixerRole::Kind::kWv}, &fixers);
      }
      break;
    case Reason::kCapacityInactive:
      AddFixer(htb, {FixerRole::Kind::kHtb}, &fixers);
      break;
    case Reason::kNoSubafdeling:
      AddFixer(htb, {FixerRole::Kind::kHtb}, &fixers);
      for (Vertex d : v.domains) AddDomainManagers(d, &fixers);
      break;
    case Reason::kApplicationNotAuthorized:
    case Reason::kWrongFacilityType:
      AddFixer(htb, {FixerRole::Kind::kHtb}, &fixers);
      AddDomainManagers(domain, &fixers);
      break;
    case Reason::kNotAUser:
    case Reason::kRightMissing:
      if (v.subafdeling == kNoVertex) {  // a user nowhere
        for (Vertex e : ties.enterprises) {
          AddFixer(g_.enterprise(e).htb,
                   {FixerRole::Kind::kHtbOf, g_.enterprise(e).kbo}, &fixers);
        }
        break;
      }
      AddFixer(htb, {FixerRole::Kind::kHtb}, &fixers);
      AddDomainManagers(domain, &fixers);
      for (Vertex m : g_.Sources(v.subafdeling, LinkKind::kManager)) {
        AddFixer(m, {FixerRole::Kind::kManager}, &fixers);
      }
      break;
    default:  // enterprise_inactive, facility_inactive: the registries
      break;
  }
  return fixers;
}

}  // namespace toegang
