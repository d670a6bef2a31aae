#include "import/import_impact.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/text_forms.h"

namespace toegang {
namespace {

// A facility's registry state: status, organizer (0: not listed) and type.
struct FacilityState {
  bool active = false;
  uint64_t kbo = 0;
  std::string type;
};

// A row's state before the import's first change of it and after its
// last.
template <typename T>
struct BeforeAfter {
  T before, after;
};

bool IsIn(const std::vector<std::string>& types, const std::string& t) {
  return std::find(types.begin(), types.end(), t) != types.end();
}

bool IsTrigger(const Catalogue& cat, const std::string& type) {
  for (const FacilityRule& r : cat.facility_rules()) {
    if (IsIn(r.trigger_types, type)) return true;
  }
  return false;
}

// True when the change can turn a facility rule on or off for a whole
// enterprise: a facility of a rule's trigger type (an OCMW's types) joined
// or left an organizer's list (added, moved), or changed to or from such a
// type. graph_type: the facility's type in the graph, which holds on both
// sides when the delta names none.
bool ChangesTrigger(const Catalogue& cat, const RegistryDelta::Facility& f,
                    const std::string& graph_type) {
  const std::string& after = f.type_code.empty() ? graph_type : f.type_code;
  const std::string& before =
      f.was_type_code.empty() ? graph_type : f.was_type_code;
  const bool was = !f.added && IsTrigger(cat, before);
  const bool is = IsTrigger(cat, after);
  if (!was && !is) return false;
  return f.added || was != is || f.kbo != f.was_kbo;
}

// Persons holding a right at a subafdeling of an enterprise or at a
// facility the delta changed, or anywhere in an enterprise whose facility
// rules a facility's change switched (ChangesTrigger), sorted by INSZ so
// that the first listed are the same on every engine.
std::vector<Vertex> AffectedPersons(const DelegationGraph& g,
                                    const RegistryDelta& delta) {
  std::vector<Vertex> subs;
  for (const RegistryDelta::Enterprise& changed : delta.enterprises) {
    const Vertex e = g.FindEnterprise(changed.kbo);
    if (e == kNoVertex) continue;
    for (Vertex d : g.Targets(e, LinkKind::kDomain)) {
      for (Vertex s : g.Targets(d, LinkKind::kSubafdeling)) subs.push_back(s);
    }
  }
  auto all_of_enterprise = [&](uint64_t kbo) {
    const Vertex e = kbo == 0 ? kNoVertex : g.FindEnterprise(kbo);
    if (e == kNoVertex) return;
    for (Vertex d : g.Targets(e, LinkKind::kDomain)) {
      for (Vertex s : g.Targets(d, LinkKind::kSubafdeling)) subs.push_back(s);
    }
  };
  for (const RegistryDelta::Facility& changed : delta.facilities) {
    // A facility rule switched on or off reaches every subafdeling of the
    // organizer, before and after.
    const Vertex f = g.FindFacility(changed.hco);
    static const std::string kUnknown;
    if (ChangesTrigger(g.catalogue(), changed,
                       f == kNoVertex ? kUnknown : g.facility(f).type_code)) {
      all_of_enterprise(changed.kbo);
      all_of_enterprise(changed.was_kbo);
    }
    if (f == kNoVertex) continue;
    for (Vertex s : g.SubafdelingenAt(f)) subs.push_back(s);
  }
  std::sort(subs.begin(), subs.end());
  subs.erase(std::unique(subs.begin(), subs.end()), subs.end());
  std::vector<Vertex> persons;
  for (Vertex s : subs) {
    for (Vertex p : g.Sources(s, LinkKind::kRight)) persons.push_back(p);
  }
  std::sort(persons.begin(), persons.end(), [&](Vertex a, Vertex b) {
    return g.person(a).insz < g.person(b).insz;
  });
  persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  return persons;
}

class Impact {
 public:
  Impact(const DelegationGraph& g, const RegistryDelta& delta)
      : g_(g), delta_(delta) {
    for (const RegistryDelta::Enterprise& e : delta.enterprises) {
      auto it =
          enterprises_.try_emplace(e.kbo, BeforeAfter<bool>{e.was_active, {}})
              .first;
      it->second.after = e.active;
    }
    // The first change of a facility says what it was, the last what it
    // is; its type as the first and last change of type say, else as the
    // graph holds it (the import did not change it).
    std::unordered_map<std::string, std::pair<bool, bool>> typed;
    for (const RegistryDelta::Facility& f : delta.facilities) {
      auto [it, first] = facilities_.try_emplace(f.hco);
      BeforeAfter<FacilityState>& state = it->second;
      auto& [before_typed, after_typed] = typed[f.hco];
      if (first) state.before = FacilityState{f.was_active, f.was_kbo, {}};
      if (!before_typed && (f.added || !f.was_type_code.empty())) {
        state.before.type = f.was_type_code;
        before_typed = true;
      }
      state.after.active = f.active;
      state.after.kbo = f.kbo;
      if (!f.type_code.empty()) {
        state.after.type = f.type_code;
        after_typed = true;
      }
    }
    for (auto& [hco, state] : facilities_) {
      const auto [before_typed, after_typed] = typed[hco];
      const Vertex v = g_.FindFacility(hco);
      const std::string graph_type =
          v == kNoVertex ? "" : g_.facility(v).type_code;
      if (!before_typed) state.before.type = graph_type;
      if (!after_typed) state.after.type = graph_type;
      organized_[0][state.before.kbo].push_back(&state.before);
      organized_[1][state.after.kbo].push_back(&state.after);
    }
  }

  std::vector<AccessImpact> Run() {
    const Catalogue& cat = g_.catalogue();
    std::vector<AccessImpact> out(cat.application_count());
    for (size_t a = 0; a < out.size(); ++a) {
      out[a].application = cat.application(static_cast<AppId>(a)).code;
    }
    for (Vertex p : AffectedPersons(g_, delta_)) {
      const uint64_t before = Usable(p, false);
      const uint64_t after = Usable(p, true);
      if (before == after) continue;
      const std::string insz = InszDigits(g_.person(p).insz);
      for (size_t a = 0; a < out.size(); ++a) {
        const uint64_t bit = uint64_t{1} << a;
        const bool was = (before & bit) != 0;
        const bool is = (after & bit) != 0;
        AccessImpact& i = out[a];
        if (was && !is) {
          ++i.lose;
          if (i.losing.size() < AccessImpact::kListed) i.losing.push_back(insz);
        } else if (is && !was) {
          ++i.gain;
          if (i.gaining.size() < AccessImpact::kListed) {
            i.gaining.push_back(insz);
          }
        }
      }
    }
    return out;
  }

 private:
  // The applications subafdeling s grants (conditions 1-5), as the
  // registries were before the import (after = false) or are after it: a
  // row the import changed as the delta says, any other as the graph
  // holds it (the same before and after).
  uint64_t Grants(Vertex s, bool after) const {
    const SubafdelingData& sd = g_.subafdeling(s);
    if (sd.removed) return 0;
    const DomainData& d = g_.domain(sd.domain);
    const EnterpriseData& e = g_.enterprise(d.enterprise);
    bool enterprise_active = e.active;
    const FacilityData& f = g_.facility(sd.facility);
    FacilityState facility{
        f.active,
        f.enterprise == kNoVertex ? 0 : g_.enterprise(f.enterprise).kbo,
        f.type_code};
    auto en = enterprises_.find(e.kbo);
    if (en != enterprises_.end()) {
      enterprise_active = after ? en->second.after : en->second.before;
    }
    auto fn = facilities_.find(f.hco);
    if (fn != facilities_.end()) {
      facility = after ? fn->second.after : fn->second.before;
    }
    if (!enterprise_active || e.htb == kNoVertex ||
        !g_.CapacityActive(d.enterprise, d.capacity) || !facility.active ||
        facility.kbo != e.kbo) {
      return 0;
    }
    // 5: the facility rules (the OCMW rule) as the registries say on that
    // side.
    return sd.authorizations & ~RuleDenied(d.enterprise, e.kbo, facility.type,
                                           sd.authorizations, after);
  }

  // DelegationGraph::FacilityRuleDenied on one side of the import: the
  // enterprise's facilities as the graph holds them, those the delta
  // changed as it says.
  uint64_t RuleDenied(Vertex enterprise, uint64_t kbo,
                      const std::string& facility_type, uint64_t apps,
                      bool after) const {
    uint64_t denied = 0;
    for (const FacilityRule& r : g_.catalogue().facility_rules()) {
      const uint64_t bit = uint64_t{1} << r.application;
      if ((apps & bit) == 0 || (denied & bit) != 0) continue;
      if (IsIn(r.allowed_types, facility_type)) continue;
      if (Triggered(enterprise, kbo, r, after)) denied |= bit;
    }
    return denied;
  }

  // True when the enterprise organizes a facility of one of r's trigger
  // types on that side.
  bool Triggered(Vertex enterprise, uint64_t kbo, const FacilityRule& r,
                 bool after) const {
    const Graph& graph = g_.graph();
    for (auto [it, end] = out_edges(enterprise, graph); it != end; ++it) {
      if (graph[*it].kind != LinkKind::kOrganizes) continue;
      const FacilityData& f = g_.facility(target(*it, graph));
      if (facilities_.count(f.hco) != 0) continue;  // as the delta says
      if (IsIn(r.trigger_types, f.type_code)) return true;
    }
    auto listed = organized_[after ? 1 : 0].find(kbo);
    if (listed == organized_[after ? 1 : 0].end()) return false;
    for (const FacilityState* f : listed->second) {
      if (IsIn(r.trigger_types, f->type)) return true;
    }
    return false;
  }

  // Bit per application the person may use somewhere (conditions 1-7).
  uint64_t Usable(Vertex p, bool after) const {
    uint64_t apps = 0;
    for (auto [it, end] = out_edges(p, g_.graph()); it != end; ++it) {
      const Link& l = g_.graph()[*it];
      if (l.kind != LinkKind::kRight) continue;
      if ((Grants(target(*it, g_.graph()), after) >> l.app) & 1U) {
        apps |= uint64_t{1} << l.app;
      }
    }
    return apps;
  }

  const DelegationGraph& g_;
  const RegistryDelta& delta_;
  std::unordered_map<uint64_t, BeforeAfter<bool>> enterprises_;
  std::unordered_map<std::string, BeforeAfter<FacilityState>> facilities_;
  // Per side (0 before, 1 after): organizer -> the delta's facilities it
  // lists on that side.
  std::unordered_map<uint64_t, std::vector<const FacilityState*>> organized_[2];
};

}  // namespace

std::vector<AccessImpact> ComputeImpact(const DelegationGraph& graph,
                                        const RegistryDelta& delta) {
  return Impact(graph, delta).Run();
}

LoadScope DeltaScope(const Catalogue& catalogue, const RegistryDelta& delta) {
  LoadScope scope;
  for (const RegistryDelta::Enterprise& e : delta.enterprises) {
    scope.enterprises.push_back(e.kbo);
  }
  for (const RegistryDelta::Facility& f : delta.facilities) {
    // A facility added changes nothing unless it makes its organizer an
    // OCMW (a first import adds thousands).
    if (f.added && !IsTrigger(catalogue, f.type_code)) continue;
    scope.facilities.push_back(f.hco);
    scope.enterprises.push_back(f.kbo);
    if (f.was_kbo != 0) scope.enterprises.push_back(f.was_kbo);
  }
  std::sort(scope.enterprises.begin(), scope.enterprises.end());
  scope.enterprises.erase(
      std::unique(scope.enterprises.begin(), scope.enterprises.end()),
      scope.enterprises.end());
  std::sort(scope.facilities.begin(), scope.facilities.end());
  scope.facilities.erase(
      std::unique(scope.facilities.begin(), scope.facilities.end()),
      scope.facilities.end());
  return scope;
}

LoadScope ImpactScope(const DelegationGraph& graph,
                      const RegistryDelta& delta) {
  LoadScope scope = DeltaScope(graph.catalogue(), delta);
  for (Vertex p : AffectedPersons(graph, delta)) {
    scope.right_holders.push_back(graph.person(p).insz);
  }
  return scope;
}

}  // namespace toegang
