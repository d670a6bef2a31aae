#include "import/import_impact.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "model/text_forms.h"

namespace toegang {
namespace {

struct FacilityNow {
  bool active = false;
  uint64_t kbo = 0;
};

class Impact {
 public:
  Impact(const DelegationGraph& g, const RegistryDelta& delta) : g_(g) {
    // The last change of a row is what it is now.
    for (const RegistryDelta::Enterprise& e : delta.enterprises) {
      enterprise_now_[e.kbo] = e.active;
    }
    for (const RegistryDelta::Facility& f : delta.facilities) {
      facility_now_[f.hco] = FacilityNow{f.active, f.kbo};
    }
  }

  std::vector<AccessImpact> Run() {
    const Catalogue& cat = g_.catalogue();
    std::vector<AccessImpact> out(cat.application_count());
    for (size_t a = 0; a < out.size(); ++a) {
      out[a].application = cat.application(static_cast<AppId>(a)).code;
    }
    for (Vertex p : AffectedPersons()) {
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
  // Persons holding a right at a subafdeling whose enterprise or facility
  // changed, sorted by INSZ so that the first listed are the same on
  // every engine.
  std::vector<Vertex> AffectedPersons() const {
    std::vector<Vertex> subs;
    for (const auto& [kbo, active] : enterprise_now_) {
      const Vertex e = g_.FindEnterprise(kbo);
      if (e == kNoVertex) continue;
      for (Vertex d : g_.Targets(e, LinkKind::kDomain)) {
        for (Vertex s : g_.Targets(d, LinkKind::kSubafdeling)) {
          subs.push_back(s);
        }
      }
    }
    for (const auto& [hco, now] : facility_now_) {
      const Vertex f = g_.FindFacility(hco);
      if (f == kNoVertex) continue;
      for (Vertex s : g_.SubafdelingenAt(f)) subs.push_back(s);
    }
    std::vector<Vertex> persons;
    for (Vertex s : subs) {
      for (Vertex p : g_.Sources(s, LinkKind::kRight)) persons.push_back(p);
    }
    std::sort(persons.begin(), persons.end(), [&](Vertex a, Vertex b) {
      return g_.person(a).insz < g_.person(b).insz;
    });
    persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
    return persons;
  }

  // The applications subafdeling s grants (conditions 1-5), as the
  // registries are (after = false) or would be with the delta.
  uint64_t Grants(Vertex s, bool after) const {
    const SubafdelingData& sd = g_.subafdeling(s);
    if (sd.removed) return 0;
    const DomainData& d = g_.domain(sd.domain);
    const EnterpriseData& e = g_.enterprise(d.enterprise);
    bool enterprise_active = e.active;
    const FacilityData& f = g_.facility(sd.facility);
    bool facility_active = f.active;
    uint64_t organizer =
        f.enterprise == kNoVertex ? 0 : g_.enterprise(f.enterprise).kbo;
    if (after) {
      auto en = enterprise_now_.find(e.kbo);
      if (en != enterprise_now_.end()) enterprise_active = en->second;
      auto fn = facility_now_.find(f.hco);
      if (fn != facility_now_.end()) {
        facility_active = fn->second.active;
        organizer = fn->second.kbo;
      }
    }
    if (!enterprise_active || e.htb == kNoVertex ||
        !g_.CapacityActive(d.enterprise, d.capacity) || !facility_active ||
        organizer != e.kbo) {
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
  std::unordered_map<uint64_t, bool> enterprise_now_;
  std::unordered_map<std::string, FacilityNow> facility_now_;
};

}  // namespace

std::vector<AccessImpact> ComputeImpact(const DelegationGraph& graph,
                                        const RegistryDelta& delta) {
  return Impact(graph, delta).Run();
}

}  // namespace toegang
