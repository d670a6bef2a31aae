#include "import/import_impact.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "model/text_forms.h"

namespace toegang {
namespace {

// A facility's registry state: status and organizer.
struct FacilityState {
  bool active = false;
  uint64_t kbo = 0;
};

// A row's state before the import's first change of it and after its
// last.
template <typename T>
struct BeforeAfter {
  T before, after;
};

// Persons holding a right at a subafdeling of an enterprise or at a
// facility the delta changed, sorted by INSZ so that the first listed are
// the same on every engine.
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
  for (const RegistryDelta::Facility& changed : delta.facilities) {
    const Vertex f = g.FindFacility(changed.hco);
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
    for (const RegistryDelta::Facility& f : delta.facilities) {
      auto it = facilities_
                    .try_emplace(f.hco,
                                 BeforeAfter<FacilityState>{
                                     {f.was_active, f.was_kbo}, {}})
                    .first;
      it->second.after = FacilityState{f.active, f.kbo};
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
    FacilityState facility{f.active, f.enterprise == kNoVertex
                                         ? 0
                                         : g_.enterprise(f.enterprise).kbo};
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
    return sd.authorizations;
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
};

}  // namespace

std::vector<AccessImpact> ComputeImpact(const DelegationGraph& graph,
                                        const RegistryDelta& delta) {
  return Impact(graph, delta).Run();
}

LoadScope DeltaScope(const RegistryDelta& delta) {
  LoadScope scope;
  for (const RegistryDelta::Enterprise& e : delta.enterprises) {
    scope.enterprises.push_back(e.kbo);
  }
  for (const RegistryDelta::Facility& f : delta.facilities) {
    scope.facilities.push_back(f.hco);
    scope.enterprises.push_back(f.kbo);
    scope.enterprises.push_back(f.was_kbo);
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
  LoadScope scope = DeltaScope(delta);
  for (Vertex p : AffectedPersons(graph, delta)) {
    scope.right_holders.push_back(graph.person(p).insz);
  }
  return scope;
}

}  // namespace toegang
