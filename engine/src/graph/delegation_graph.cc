#include "graph/delegation_graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <new>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "base/huge_pages.h"
#include "model/text_forms.h"
#include "toegang/identifiers.h"

namespace toegang {
namespace {

// A domain's key: its enterprise's vertex (32 bits), hoedanigheid and
// subdivisie.
uint64_t DomainKey(Vertex enterprise, CapacityId c, SubdivisionId s) {
  return (static_cast<uint64_t>(enterprise) << 16) | (uint64_t{c} << 8) | s;
}

}  // namespace

namespace {

// InjectGraphFaultForTests: the kind (bits 8-15) and the fault (bits 0-7)
// armed, or 0.
std::atomic<uint32_t> g_fault_for_tests{0};

}  // namespace

void InjectGraphFaultForTests(NodeKind kind, GraphFault fault) {
  g_fault_for_tests.store(
      fault == GraphFault::kNone
          ? 0
          : (static_cast<uint32_t>(kind) << 8) | static_cast<uint32_t>(fault),
      std::memory_order_release);
}

Vertex DelegationGraph::AddNode(NodeKind kind, uint32_t index) {
  if (uint32_t armed = g_fault_for_tests.load(std::memory_order_relaxed);
      armed != 0 && (armed >> 8) == static_cast<uint32_t>(kind) &&
      g_fault_for_tests.compare_exchange_strong(armed, 0)) [[unlikely]] {
    if (static_cast<GraphFault>(armed & 0xff) == GraphFault::kBadAlloc) {
      throw std::bad_alloc();
    }
    throw std::length_error("a fault injected by a test");
  }
  if (index > Node::kMaxIndex) {
    throw std::length_error("more vertices of one kind than a Node can number");
  }
  return graph_.AddVertex(Node{kind, index});
}

void DelegationGraph::Reserve(size_t persons, size_t enterprises,
                              size_t facilities, size_t subafdelingen) {
  persons_.Reserve(persons);
  enterprises_.Reserve(enterprises);
  enterprise_by_kbo_.Reserve(enterprises);
  facilities_.Reserve(facilities);
  facility_by_hco_.Reserve(facilities);
  subafdelingen_.Reserve(subafdelingen);
  subafdeling_by_id_.reserve(subafdelingen);
  // A domain per enterprise at most, in practice.
  graph_.ReserveVertices(persons + 2 * enterprises + facilities +
                         subafdelingen);
}

Vertex DelegationGraph::EnsurePerson(uint64_t insz) {
  if (std::optional<Vertex> known = persons_.Find(insz)) return *known;
  const Vertex v =
      AddNode(NodeKind::kPerson, static_cast<uint32_t>(persons_.size()));
  persons_.Add(insz, v);
  return v;
}

Vertex DelegationGraph::UpsertPerson(uint64_t insz, std::string_view name) {
  Vertex v = EnsurePerson(insz);
  persons_.SetName(graph_[v].index, name);
  return v;
}

Vertex DelegationGraph::UpsertEnterprise(uint64_t kbo, std::string_view name,
                                         bool active,
                                         std::string_view juridical_form,
                                         std::string_view start_date) {
  auto [slot, inserted] = enterprise_by_kbo_.Insert(kbo, kNoVertex);
  if (inserted) {
    EnterpriseData fresh;
    fresh.kbo = kbo;
    *slot = AddNode(NodeKind::kEnterprise,
                    static_cast<uint32_t>(enterprises_.Add(std::move(fresh))));
  }
  const Vertex v = *slot;
  EnterpriseData& e = enterprises_.Mutable(graph_[v].index);
  e.name = name;
  const bool was_active = e.active;
  e.active = active;
  e.juridical_form = juridical_form;
  e.start_date = start_date;
  if (was_active != active) RefreshEnterprise(v);
  return v;
}

void DelegationGraph::StageFunction(uint64_t kbo, uint64_t insz,
                                    LinkKind role) {
  const Vertex e = FindEnterprise(kbo);
  if (e == kNoVertex) return;
  graph_.StageEdge(EnsurePerson(insz), e,
                   Link{role, AppId{0}, provs_.Intern(Provenance{})},
                   LinkGraph::StagePlace::kBeforeOverlay);
}

Vertex DelegationGraph::UpsertFacility(const std::string& hco,
                                       const std::string& name,
                                       const std::string& type_code,
                                       uint64_t kbo, bool active) {
  Vertex e = FindEnterprise(kbo);
  Vertex v;
  const std::optional<uint64_t> key = HcoKey(hco);
  if (!key) return kNoVertex;
  if (const FacilityRef* known = facility_by_hco_.Find(*key)) {
    v = known->vertex;
  } else {
    FacilityData fresh;
    fresh.hco = hco;
    const auto index = static_cast<uint32_t>(facilities_.Add(std::move(fresh)));
    v = AddNode(NodeKind::kFacility, index);
    facility_by_hco_.Insert(*key, FacilityRef{static_cast<uint32_t>(v), index});
  }
  FacilityData& f = facilities_.Mutable(graph_[v].index);
  if (f.enterprise != e && f.enterprise != kNoVertex) {
    RemoveLink(f.enterprise, v, LinkKind::kOrganizes);
  }
  if (e != kNoVertex && !HasLink(e, v, LinkKind::kOrganizes)) {
    AddLink(e, v, LinkKind::kOrganizes, Provenance{});
  }
  f.name = name;
  const bool retyped = f.type_code != type_code;
  f.type_code = type_code;
  const Vertex old_enterprise = f.enterprise;
  const bool changed = f.enterprise != e || f.active != active || retyped;
  f.enterprise = e;
  f.active = active;
  if (changed) RefreshFacility(v);
  // A facility's type, or which enterprise organizes it, decides the
  // facility rules (the OCMW rule) for every subafdeling of its organizers.
  if ((retyped || old_enterprise != e) &&
      !catalogue_->facility_rules().empty()) {
    if (e != kNoVertex) RefreshEnterprise(e);
    if (old_enterprise != kNoVertex && old_enterprise != e) {
      RefreshEnterprise(old_enterprise);
    }
  }
  return v;
}

Vertex DelegationGraph::EnsureDomain(Vertex enterprise, CapacityId c,
                                     SubdivisionId s) {
  const uint64_t key = DomainKey(enterprise, c, s);
  if (const uint32_t* known = domain_by_key_.Find(key)) return *known;
  Vertex v =
      AddNode(NodeKind::kDomain, static_cast<uint32_t>(domains_.Add(
                                     DomainData{enterprise, c, s, kNoVertex})));
  domain_by_key_.Insert(key, static_cast<uint32_t>(v));
  AddLink(enterprise, v, LinkKind::kDomain, Provenance{});
  return v;
}

void DelegationGraph::AddLink(Vertex from, Vertex to, LinkKind kind,
                              const Provenance& prov, AppId app) {
  if (kind == LinkKind::kRight) {
    AddRightLink(from, person(from).insz, to, prov, app);
    return;
  }
  graph_.AddEdge(from, to, Link{kind, app, provs_.Intern(prov)});
}

void DelegationGraph::AddRightLink(Vertex person, uint64_t insz, Vertex to,
                                   const Provenance& prov, AppId app) {
  graph_.AddEdge(person, to, Link{LinkKind::kRight, app, provs_.Intern(prov)});
  index_.AddRight(insz, graph_[to].index, app);
}

bool DelegationGraph::RemoveLink(Vertex from, Vertex to, LinkKind kind,
                                 AppId app) {
  std::optional<Edge> e = FindLink(from, to, kind, app);
  if (!e) return false;
  graph_.RemoveEdge(*e);
  if (kind == LinkKind::kRight) {
    index_.RemoveRight(person(from).insz, graph_[to].index, app);
  }
  return true;
}

uint32_t DelegationGraph::SubafdelingGrants(Vertex s) const {
  const SubafdelingData& sub = subafdeling(s);
  if (sub.removed) return 0;
  const FacilityData& f = facility(sub.facility);
  if (!f.active) return 0;  // 4
  const DomainData& d = domain(sub.domain);
  // 4, continued: a facility that CoBRHA now lists under another organizer
  // no longer grants through the old enterprise's subafdeling.
  if (f.enterprise != d.enterprise) return 0;
  const EnterpriseData& e = enterprise(d.enterprise);
  if (!e.active) return 0;                                        // 1
  if (e.htb == kNoVertex) return 0;                               // 2
  if (((e.active_capacities >> d.capacity) & 1U) == 0) return 0;  // 3
  // 5: authorized, and the facility rule (the OCMW rule) holds now.
  return static_cast<uint32_t>(
      sub.authorizations &
      ~FacilityRuleDenied(d.enterprise, sub.facility, sub.authorizations));
}

uint64_t DelegationGraph::FacilityRuleDenied(Vertex enterprise, Vertex facility,
                                             uint64_t apps) const {
  uint64_t denied = 0;
  if (enterprise == kNoVertex || facility == kNoVertex) return 0;
  auto is_in = [](const std::vector<std::string>& types, const std::string& t) {
    return std::find(types.begin(), types.end(), t) != types.end();
  };
  for (const FacilityRule& r : catalogue_->facility_rules()) {
    const uint64_t bit = uint64_t{1} << r.application;
    if ((apps & bit) == 0 || (denied & bit) != 0) continue;
    if (is_in(r.allowed_types, this->facility(facility).type_code)) continue;
    bool triggered = false;
    for (auto [it, end] = out_edges(enterprise, graph_); it != end; ++it) {
      if (graph_[*it].kind != LinkKind::kOrganizes) continue;
      if (is_in(r.trigger_types,
                this->facility(target(*it, graph_)).type_code)) {
        triggered = true;
        break;
      }
    }
    if (triggered) denied |= bit;
  }
  return denied;
}

void DelegationGraph::RefreshSubafdeling(Vertex s) {
  index_.SetSubafdeling(graph_[s].index, SubafdelingGrants(s),
                        graph_[subafdeling(s).facility].index);
}

void DelegationGraph::RefreshEnterprise(Vertex enterprise) {
  for (Vertex d : Targets(enterprise, LinkKind::kDomain)) {
    for (Vertex s : Targets(d, LinkKind::kSubafdeling)) RefreshSubafdeling(s);
  }
}

void DelegationGraph::RefreshFacility(Vertex facility) {
  for (Vertex s : SubafdelingenAt(facility)) RefreshSubafdeling(s);
}

std::optional<Edge> DelegationGraph::FindLink(Vertex from, Vertex to,
                                              LinkKind kind, AppId app) const {
  for (auto [it, end] = out_edges(from, graph_); it != end; ++it) {
    const Link& l = graph_[*it];
    if (target(*it, graph_) == to && l.kind == kind &&
        (kind != LinkKind::kRight || l.app == app)) {
      return *it;
    }
  }
  return std::nullopt;
}

bool DelegationGraph::HasLink(Vertex from, Vertex to, LinkKind kind,
                              AppId app) const {
  return FindLink(from, to, kind, app).has_value();
}

std::vector<Vertex> DelegationGraph::Sources(Vertex to, LinkKind kind) const {
  std::vector<Vertex> out;
  for (auto [it, end] = in_edges(to, graph_); it != end; ++it) {
    if (graph_[*it].kind == kind) out.push_back(source(*it, graph_));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<Vertex> DelegationGraph::Targets(Vertex from, LinkKind kind) const {
  std::vector<Vertex> out;
  for (auto [it, end] = out_edges(from, graph_); it != end; ++it) {
    if (graph_[*it].kind == kind) out.push_back(target(*it, graph_));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Vertex DelegationGraph::FindPerson(uint64_t insz) const {
  return persons_.Find(insz).value_or(kNoVertex);
}

Vertex DelegationGraph::FindEnterprise(uint64_t kbo) const {
  const Vertex* v = enterprise_by_kbo_.Find(kbo);
  return v == nullptr ? kNoVertex : *v;
}

Vertex DelegationGraph::FindFacility(const std::string& hco) const {
  const std::optional<uint64_t> key = HcoKey(hco);
  const FacilityRef* f = key ? facility_by_hco_.Find(*key) : nullptr;
  return f == nullptr ? kNoVertex : f->vertex;
}

std::optional<uint32_t> DelegationGraph::FindFacilityIndex(
    const std::string& hco) const {
  const std::optional<uint64_t> key = HcoKey(hco);
  const FacilityRef* f = key ? facility_by_hco_.Find(*key) : nullptr;
  if (f == nullptr) return std::nullopt;
  return f->index;
}

Vertex DelegationGraph::FindDomain(Vertex enterprise, CapacityId c,
                                   SubdivisionId s) const {
  const uint32_t* d = domain_by_key_.Find(DomainKey(enterprise, c, s));
  return d == nullptr ? kNoVertex : *d;
}

Vertex DelegationGraph::FindSubafdeling(int64_t id) const {
  auto it = subafdeling_by_id_.find(id);
  return it == subafdeling_by_id_.end() ? kNoVertex : it->second;
}

std::vector<Vertex> DelegationGraph::SubafdelingenAt(Vertex facility) const {
  return Sources(facility, LinkKind::kAt);
}

Vertex DelegationGraph::SubafdelingIn(Vertex domain, Vertex facility) const {
  for (Vertex s : SubafdelingenAt(facility)) {
    if (subafdeling(s).domain == domain) return s;
  }
  return kNoVertex;
}

bool DelegationGraph::CapacityActive(Vertex enterprise, CapacityId c) const {
  return (this->enterprise(enterprise).active_capacities >> c) & 1U;
}

bool DelegationGraph::Apply(const Op& op, const Provenance& prov) {
  Vertex e = FindEnterprise(op.kbo);
  if (e == kNoVertex) return false;
  // Rows are taken to change only by the ops that change them: a copy
  // that changes a shared row holds its own copy of it (SharedRows).
  switch (op.kind) {
    case Action::kAppointHtb: {
      EnterpriseData& ent = enterprises_.Mutable(graph_[e].index);
      if (ent.htb != kNoVertex) RemoveLink(ent.htb, e, LinkKind::kHtb);
      Vertex p = EnsurePerson(op.insz);
      AddLink(p, e, LinkKind::kHtb, prov);
      ent.htb = p;
      ent.htb_email = op.email;
      ent.htb_phone = op.phone;
      ent.wv_email = op.wv_email;
      ent.wv_phone = op.wv_phone;
      RefreshEnterprise(e);
      return true;
    }
    case Action::kSetHtbContact: {
      const Vertex p = FindPerson(op.insz);
      if (p == kNoVertex || enterprise(e).htb != p) return false;
      EnterpriseData& ent = enterprises_.Mutable(graph_[e].index);
      ent.htb_email = op.email;
      ent.htb_phone = op.phone;
      ent.wv_email = op.wv_email;
      ent.wv_phone = op.wv_phone;
      return true;
    }
    case Action::kActivateCapacity: {
      EnterpriseData& ent = enterprises_.Mutable(graph_[e].index);
      ent.active_capacities |= uint64_t{1} << op.capacity;
      ent.capacity_prov.emplace_back(op.capacity, prov);
      RefreshEnterprise(e);
      return true;
    }
    case Action::kDeactivateCapacity: {
      EnterpriseData& ent = enterprises_.Mutable(graph_[e].index);
      const uint64_t bit = uint64_t{1} << op.capacity;
      if ((ent.active_capacities & bit) == 0) return false;
      ent.active_capacities &= ~bit;
      std::erase_if(ent.capacity_prov,
                    [&](const auto& p) { return p.first == op.capacity; });
      RefreshEnterprise(e);
      return true;
    }
    case Action::kRemoveTb: {
      Vertex d = FindDomain(e, op.capacity, op.subdivision);
      Vertex p = FindPerson(op.insz);
      if (d == kNoVertex || p == kNoVertex || domain(d).tb != p) return false;
      RemoveLink(p, d, LinkKind::kTb);
      domains_.Mutable(graph_[d].index).tb = kNoVertex;
      return true;
    }
    case Action::kSetTb: {
      Vertex d = EnsureDomain(e, op.capacity, op.subdivision);
      DomainData& dom = domains_.Mutable(graph_[d].index);
      if (dom.tb != kNoVertex) RemoveLink(dom.tb, d, LinkKind::kTb);
      Vertex p = EnsurePerson(op.insz);
      AddLink(p, d, LinkKind::kTb, prov);
      dom.tb = p;
      return true;
    }
    case Action::kAddCoTb: {
      Vertex d = EnsureDomain(e, op.capacity, op.subdivision);
      AddLink(EnsurePerson(op.insz), d, LinkKind::kCoTb, prov);
      return true;
    }
    case Action::kRemoveCoTb: {
      Vertex d = FindDomain(e, op.capacity, op.subdivision);
      Vertex p = FindPerson(op.insz);
      return d != kNoVertex && p != kNoVertex &&
             RemoveLink(p, d, LinkKind::kCoTb);
    }
    case Action::kCreateSubafdeling: {
      Vertex f = FindFacility(op.hco);
      if (f == kNoVertex || subafdeling_by_id_.count(op.subafdeling)) {
        return false;
      }
      Vertex d = EnsureDomain(e, op.capacity, op.subdivision);
      SubafdelingData data;
      data.id = op.subafdeling;
      data.domain = d;
      data.facility = f;
      data.email = op.email;
      data.prov = prov;
      Vertex s =
          AddNode(NodeKind::kSubafdeling,
                  static_cast<uint32_t>(subafdelingen_.Add(std::move(data))));
      subafdeling_by_id_.emplace(op.subafdeling, s);
      max_subafdeling_id_ = std::max(max_subafdeling_id_, op.subafdeling);
      AddLink(d, s, LinkKind::kSubafdeling, prov);
      AddLink(s, f, LinkKind::kAt, prov);
      RefreshSubafdeling(s);
      return true;
    }
    default:
      break;
  }

  // The remaining ops act on an existing subafdeling.
  Vertex s = FindSubafdeling(op.subafdeling);
  if (s == kNoVertex) return false;
  const uint64_t bit = uint64_t{1} << op.app;
  switch (op.kind) {
    case Action::kAuthorize: {
      SubafdelingData& sub = subafdelingen_.Mutable(graph_[s].index);
      sub.authorizations |= bit;
      sub.authorization_prov.emplace_back(op.app, prov);
      RefreshSubafdeling(s);
      return true;
    }
    case Action::kDeauthorize: {
      SubafdelingData& sub = subafdelingen_.Mutable(graph_[s].index);
      sub.authorizations &= ~bit;
      std::erase_if(sub.authorization_prov,
                    [&](const auto& p) { return p.first == op.app; });
      RefreshSubafdeling(s);
      return true;
    }
    case Action::kRemoveSubafdeling: {
      // The rights go with the subafdeling (normally revoked by earlier
      // ops of the same change; any left are dropped from the index here).
      for (auto [it, end] = in_edges(s, graph_); it != end; ++it) {
        const Link& l = graph_[*it];
        if (l.kind == LinkKind::kRight) {
          index_.RemoveRight(person(source(*it, graph_)).insz, graph_[s].index,
                             l.app);
        }
      }
      graph_.ClearVertex(s);
      SubafdelingData& sub = subafdelingen_.Mutable(graph_[s].index);
      sub.removed = true;
      sub.authorizations = 0;
      sub.authorization_prov.clear();
      subafdeling_by_id_.erase(op.subafdeling);
      RefreshSubafdeling(s);
      return true;
    }
    case Action::kSetSubafdelingEmail:
      subafdelingen_.Mutable(graph_[s].index).email = op.email;
      return true;
    case Action::kAddManager:
      AddLink(EnsurePerson(op.insz), s, LinkKind::kManager, prov);
      return true;
    case Action::kRemoveManager: {
      Vertex p = FindPerson(op.insz);
      return p != kNoVertex && RemoveLink(p, s, LinkKind::kManager);
    }
    case Action::kAddUser:
      AddLink(EnsurePerson(op.insz), s, LinkKind::kUser, prov);
      return true;
    case Action::kGrantRight:
      AddRightLink(EnsurePerson(op.insz), op.insz, s, prov, op.app);
      return true;
    case Action::kRevokeRight: {
      Vertex p = FindPerson(op.insz);
      return p != kNoVertex && RemoveLink(p, s, LinkKind::kRight, op.app);
    }
    case Action::kRemoveUser: {
      Vertex p = FindPerson(op.insz);
      return p != kNoVertex && RemoveLink(p, s, LinkKind::kUser);
    }
    default:
      return false;
  }
}

bool DelegationGraph::ApplyStaged(const Op& op, const Provenance& prov) {
  const bool right = op.kind == Action::kGrantRight;
  if (!right && op.kind != Action::kAddUser) return false;
  // What Apply asks of these ops: the enterprise and the subafdeling.
  if (FindEnterprise(op.kbo) == kNoVertex) return false;
  const Vertex s = FindSubafdeling(op.subafdeling);
  if (s == kNoVertex) return false;
  const Vertex p = EnsurePerson(op.insz);
  graph_.StageEdge(p, s,
                   Link{right ? LinkKind::kRight : LinkKind::kUser,
                        right ? op.app : AppId{0}, provs_.Intern(prov)});
  if (right) index_.AddRight(op.insz, graph_[s].index, op.app);
  return true;
}

bool DelegationGraph::ApplyAll(const ChangeSet& changes) {
  const Provenance prov{changes.actor, changes.revision, changes.at};
  bool all = true;
  for (const Op& op : changes.ops) all = Apply(op, prov) && all;
  return all;
}

std::vector<std::string> DelegationGraph::GrantingFacilities(
    uint64_t insz, AppId app, Vertex only) const {
  return GrantingFacilitiesAt(
      insz, app,
      only == kNoVertex ? CheckIndex::kAnyFacility : graph_[only].index);
}

std::vector<std::string> DelegationGraph::GrantingFacilitiesAt(
    uint64_t insz, AppId app, uint32_t facility) const {
  return index_.GrantingHcos(
      insz, app, facility,
      [&](uint32_t f) -> const std::string& { return facilities_[f].hco; });
}

std::vector<std::string_view> DelegationGraph::FacilityHcos() const {
  std::vector<std::string_view> out;
  out.reserve(facilities_.size());
  for (const FacilityData& f : facilities_) out.emplace_back(f.hco);
  return out;
}

std::vector<std::string> DelegationGraph::GrantingFacilitiesByTraversal(
    uint64_t insz, AppId app, Vertex only) const {
  std::vector<std::string> out;
  Vertex p = FindPerson(insz);
  if (p == kNoVertex) return out;
  const uint64_t bit = uint64_t{1} << app;
  for (auto [it, end] = out_edges(p, graph_); it != end; ++it) {
    const Link& l = graph_[*it];
    // Conditions 6 and 7: a right edge exists only for a user (invariant 4).
    if (l.kind != LinkKind::kRight || l.app != app) continue;
    const SubafdelingData& s = subafdeling(target(*it, graph_));
    if ((s.authorizations & bit) == 0) continue;  // 5
    const FacilityData& f = facility(s.facility);
    if (!f.active || (only != kNoVertex && s.facility != only)) continue;  // 4
    const DomainData& d = domain(s.domain);
    // 4, continued: a facility that CoBRHA now lists under another
    // organizer no longer grants through the old enterprise's subafdeling.
    if (f.enterprise != d.enterprise) continue;
    const EnterpriseData& e = enterprise(d.enterprise);
    if (!e.active) continue;                                               // 1
    if (e.htb == kNoVertex) continue;                                      // 2
    if (((e.active_capacities >> d.capacity) & 1U) == 0) continue;         // 3
    if (FacilityRuleDenied(d.enterprise, s.facility, bit) != 0) continue;  // 5
    out.push_back(f.hco);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

size_t DelegationGraph::CountLinks(LinkKind kind) const {
  size_t n = 0;
  for (auto [it, end] = edges(graph_); it != end; ++it) {
    if (graph_[*it].kind == kind) ++n;
  }
  return n;
}

std::vector<std::string> DelegationGraph::Dump() const {
  const Catalogue& cat = *catalogue_;
  std::vector<std::string> lines;
  for (uint32_t i = 0; i < persons_.size(); ++i) {
    const PersonView p = persons_[i];
    if (!p.name.empty()) {
      lines.push_back(fmt::format("person {} {}", InszDigits(p.insz), p.name));
    }
  }
  for (const EnterpriseData& e : enterprises_) {
    lines.push_back(fmt::format("enterprise {} active={} form={} start={} {}",
                                KboDigits(e.kbo), e.active, e.juridical_form,
                                e.start_date, e.name));
    for (size_t c = 0; c < cat.capacity_count(); ++c) {
      if ((e.active_capacities >> c) & 1U) {
        lines.push_back(
            fmt::format("capacity {} {}", KboDigits(e.kbo),
                        cat.capacity(static_cast<CapacityId>(c)).code));
      }
    }
    if (e.htb != kNoVertex) {
      lines.push_back(
          fmt::format("htb {} {} email={} phone={} wv_email={} wv_phone={}",
                      KboDigits(e.kbo), InszDigits(person(e.htb).insz),
                      e.htb_email, e.htb_phone, e.wv_email, e.wv_phone));
    }
  }
  for (const FacilityData& f : facilities_) {
    lines.push_back(fmt::format(
        "facility {} type={} kbo={} active={} {}", f.hco, f.type_code,
        f.enterprise == kNoVertex ? std::string("-")
                                  : KboDigits(enterprise(f.enterprise).kbo),
        f.active, f.name));
  }
  auto domain_text = [&](Vertex d) {
    const DomainData& dd = domain(d);
    return fmt::format("{}/{}/{}", KboDigits(enterprise(dd.enterprise).kbo),
                       cat.capacity(dd.capacity).code,
                       cat.subdivision(dd.subdivision).code);
  };
  for (const SubafdelingData& s : subafdelingen_) {
    if (s.removed) continue;
    std::string apps;
    for (size_t a = 0; a < cat.application_count(); ++a) {
      if ((s.authorizations >> a) & 1U) {
        apps += " " + cat.application(static_cast<AppId>(a)).code;
      }
    }
    lines.push_back(fmt::format("subafdeling {} {} hco={} email={} apps={}",
                                s.id, domain_text(s.domain),
                                facility(s.facility).hco, s.email, apps));
  }
  for (auto [it, end] = edges(graph_); it != end; ++it) {
    const Link& l = graph_[*it];
    Vertex from = source(*it, graph_);
    Vertex to = target(*it, graph_);
    switch (l.kind) {
      case LinkKind::kLegalRepresentative:
      case LinkKind::kEmployee:
        lines.push_back(fmt::format(
            "function {} {} {}", KboDigits(enterprise(to).kbo),
            InszDigits(person(from).insz),
            l.kind == LinkKind::kEmployee ? "employee"
                                          : "legal_representative"));
        break;
      case LinkKind::kTb:
      case LinkKind::kCoTb:
        lines.push_back(
            fmt::format("{} {} {}", l.kind == LinkKind::kTb ? "tb" : "co_tb",
                        domain_text(to), InszDigits(person(from).insz)));
        break;
      case LinkKind::kManager:
      case LinkKind::kUser:
        lines.push_back(fmt::format(
            "{} {} {}", l.kind == LinkKind::kUser ? "user" : "manager",
            subafdeling(to).id, InszDigits(person(from).insz)));
        break;
      case LinkKind::kRight:
        lines.push_back(fmt::format("right {} {} {}", subafdeling(to).id,
                                    InszDigits(person(from).insz),
                                    cat.application(l.app).code));
        break;
      default:
        break;  // derived from the attributes dumped above
    }
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> DelegationGraph::CheckInvariants() const {
  std::vector<std::string> problems;
  for (const EnterpriseData& e : enterprises_) {
    Vertex v = FindEnterprise(e.kbo);
    std::vector<Vertex> htbs = Sources(v, LinkKind::kHtb);
    if (htbs.size() > 1 || (htbs.size() == 1) != (e.htb != kNoVertex) ||
        (e.htb != kNoVertex && htbs.front() != e.htb)) {
      problems.push_back(
          fmt::format("enterprise {}: HTB links disagree", KboDigits(e.kbo)));
    }
  }
  for (size_t i = 0; i < domains_.size(); ++i) {
    const DomainData& d = domains_[i];
    const Vertex dv = FindDomain(d.enterprise, d.capacity, d.subdivision);
    if (dv == kNoVertex || graph_[dv].index != i) {
      problems.push_back(fmt::format("domain of {}: index disagrees",
                                     KboDigits(enterprise(d.enterprise).kbo)));
      continue;
    }
    std::vector<Vertex> tbs = Sources(dv, LinkKind::kTb);
    if (tbs.size() > 1 || (tbs.size() == 1) != (d.tb != kNoVertex)) {
      problems.push_back(fmt::format("domain of {}: TB links disagree",
                                     KboDigits(enterprise(d.enterprise).kbo)));
    }
    for (Vertex co : Sources(dv, LinkKind::kCoTb)) {
      if (co == d.tb) {
        problems.push_back(
            fmt::format("person {} is TB and co-TB of one domain",
                        InszDigits(person(co).insz)));
      }
    }
  }
  for (auto [it, end] = edges(graph_); it != end; ++it) {
    const Link& l = graph_[*it];
    if (l.kind != LinkKind::kRight) continue;
    Vertex p = source(*it, graph_);
    Vertex s = target(*it, graph_);
    const SubafdelingData& sub = subafdeling(s);
    if (!HasLink(p, s, LinkKind::kUser)) {
      problems.push_back(
          fmt::format("right of {} at subafdeling {} without user",
                      InszDigits(person(p).insz), sub.id));
    }
    if (((sub.authorizations >> l.app) & 1U) == 0) {
      problems.push_back(fmt::format(
          "right {} of {} at subafdeling {} is not authorized there",
          catalogue_->application(l.app).code, InszDigits(person(p).insz),
          sub.id));
    }
  }
  for (const SubafdelingData& s : subafdelingen_) {
    bool indexed = subafdeling_by_id_.count(s.id) > 0;
    if (s.removed == indexed) {
      problems.push_back(
          fmt::format("subafdeling {}: index disagrees with state", s.id));
    }
  }
  // Invariant 7: the check index is what the graph says.
  for (auto [it, end] = vertices(graph_); it != end; ++it) {
    const Vertex v = *it;
    if (graph_[v].kind == NodeKind::kSubafdeling &&
        index_.grantable(graph_[v].index) != SubafdelingGrants(v)) {
      problems.push_back(fmt::format(
          "check index: subafdeling {} grants {:#x}, the graph says {:#x}",
          subafdeling(v).id, index_.grantable(graph_[v].index),
          SubafdelingGrants(v)));
    }
  }
  size_t rights = 0;
  for (uint32_t i = 0; i < persons_.size(); ++i) {
    const PersonView p = persons_[i];
    std::map<uint32_t, uint32_t> want;  // subafdeling index -> apps
    for (auto [it, end] = out_edges(FindPerson(p.insz), graph_); it != end;
         ++it) {
      const Link& l = graph_[*it];
      if (l.kind != LinkKind::kRight) continue;
      want[graph_[target(*it, graph_)].index] |= 1U << l.app;
      ++rights;
    }
    std::map<uint32_t, uint32_t> have;
    for (const CheckIndex::Grant& g : index_.GrantsOf(p.insz)) {
      have[g.sub] |= g.apps;
    }
    if (want != have) {
      problems.push_back(
          fmt::format("check index: the rights of {} differ from the graph's",
                      InszDigits(p.insz)));
    }
  }
  if (rights != index_.grants()) {
    problems.push_back(fmt::format("check index: {} rights, the graph has {}",
                                   index_.grants(), rights));
  }
  return problems;
}

void DelegationGraph::SetEndedLegalRepresentatives(
    std::vector<std::pair<uint64_t, uint64_t>> ended) {
  std::sort(ended.begin(), ended.end());
  ended_wvs_ = std::move(ended);
}

bool DelegationGraph::LegalRepresentativeEnded(uint64_t kbo,
                                               uint64_t insz) const {
  return std::binary_search(ended_wvs_.begin(), ended_wvs_.end(),
                            std::make_pair(kbo, insz));
}

}  // namespace toegang
