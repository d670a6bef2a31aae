// DelegationGraph: the one in-memory model of a federation, a Boost.Graph
// (LinkGraph, link_graph.h: a compact shared base plus this copy's changes)
// of persons, enterprises, facilities, domains and subafdelingen, linked by
// the relations of SPEC 4.2-4.3:
//
//   person --wv / employee--> enterprise          (KBO functions)
//   person --htb--> enterprise                     (3.2)
//   enterprise --organizes--> facility             (CoBRHA)
//   enterprise --domain--> domain                  (hoedanigheid+subdivisie)
//   person --tb / co_tb--> domain                  (3.5)
//   domain --subafdeling--> subafdeling --at--> facility   (3.6)
//   person --manager--> subafdeling                (3.6)
//   person --user--> subafdeling                   (3.7)
//   person --right(app)--> subafdeling             (3.7)
//
// Attributes live in per-kind tables indexed by Node::index; indexes map
// identifiers to vertices. Boost types stay inside this module and its
// traversals: the rest of the engine speaks of persons and subafdelingen.
//
// Invariants:
//  1. Every identifier has at most one vertex (the indexes are exact).
//  2. An enterprise has at most one htb edge, and EnterpriseData::htb names
//     its source (or kNoVertex).
//  3. A domain has at most one tb edge, mirrored by DomainData::tb; a person
//     is never both tb and co_tb of one domain.
//  4. A right(app) edge p->s implies a user edge p->s and app in s's
//     authorizations (rights are a subset of authorizations).
//  5. A removed subafdeling has no edges and is not in the id index.
//  6. Vertices are never removed, so vertex descriptors stay valid.
//  7. The check index (check_index.h) holds exactly the right edges, and
//     for each subafdeling exactly what SubafdelingGrants() computes.
//
// Thread safety: not synchronized. Const methods may run concurrently with
// each other; a non-const call needs exclusive access. The engine keeps two
// instances (base/left_right.h) and changes one only as the writer, under
// its writer mutex, while no reader reads it; a graph being loaded or
// compacted is not shared yet.
#ifndef TOEGANG_DELEGATION_GRAPH_H_
#define TOEGANG_DELEGATION_GRAPH_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/flat_u64_map.h"
#include "check/check_index.h"
#include "graph/link_graph.h"
#include "graph/person_table.h"
#include "graph/provenance_table.h"
#include "graph/shared_rows.h"
#include "model/catalogue.h"
#include "model/change_set.h"
#include "toegang/engine.h"

namespace toegang {

using Graph = LinkGraph;
using Vertex = Graph::vertex_descriptor;
using Edge = Graph::edge_descriptor;
inline constexpr Vertex kNoVertex = static_cast<Vertex>(-1);

struct EnterpriseData {
  uint64_t kbo = 0;
  std::string name;
  bool active = false;
  std::string juridical_form;
  std::string start_date;
  Vertex htb = kNoVertex;
  std::string htb_email, htb_phone;
  // The appointing WV's own contact data, given with the appointment.
  std::string wv_email, wv_phone;
  uint64_t active_capacities = 0;  // bit per CapacityId
  std::vector<std::pair<CapacityId, Provenance>> capacity_prov;
};
struct FacilityData {
  std::string hco;
  std::string name;
  std::string type_code;
  Vertex enterprise = kNoVertex;
  bool active = false;
};
struct DomainData {
  Vertex enterprise = kNoVertex;
  CapacityId capacity = 0;
  SubdivisionId subdivision = 0;
  Vertex tb = kNoVertex;
};
struct SubafdelingData {
  int64_t id = 0;
  Vertex domain = kNoVertex;
  Vertex facility = kNoVertex;
  std::string email;
  uint64_t authorizations = 0;  // bit per AppId
  std::vector<std::pair<AppId, Provenance>> authorization_prov;
  Provenance prov;
  bool removed = false;
};

class DelegationGraph {
 public:
  explicit DelegationGraph(const Catalogue* catalogue)
      : catalogue_(catalogue) {}

  // --- building (registry rows, used while loading and importing) -------
  // Makes room for about this many of each kind, so that a full load does
  // not grow the tables and indexes row by row. Only capacity changes; the
  // counts may be estimates.
  void Reserve(size_t persons, size_t enterprises, size_t facilities,
               size_t subafdelingen);
  // Adds the person unless known, and sets the name.
  Vertex UpsertPerson(uint64_t insz, std::string_view name);
  Vertex UpsertEnterprise(uint64_t kbo, std::string_view name, bool active,
                          std::string_view juridical_form,
                          std::string_view start_date);
  // A KBO function (role kLegalRepresentative or kEmployee) for a full
  // load: the person is added if unknown and the edge is staged, as
  // ApplyStaged's are, without looking for the same function (the
  // database holds each (kbo, insz, role) once). It goes before the edges
  // the load adds after it (the HTB's, TBs' and managers'), and the users
  // and rights after those: the order a load through the overlay gave.
  // Nothing unless the enterprise exists.
  void StageFunction(uint64_t kbo, uint64_t insz, LinkKind role);
  // REQUIRES: the enterprise exists. Text that is not an HCO number (the
  // database holds none) adds nothing: kNoVertex.
  Vertex UpsertFacility(const std::string& hco, const std::string& name,
                        const std::string& type_code, uint64_t kbo,
                        bool active);

  // Folds the changes of the graph (and its staged edges, see
  // StageFunction and ApplyStaged), the person table, the check index, the
  // provenance table and the rows of enterprises, facilities, domains and
  // subafdelingen into compact bases that copies of this graph share
  // (LinkGraph::Compact, PersonTable::Compact, CheckIndex::Compact,
  // ProvenanceTable::Compact, SharedRows::Compact): call it on a loaded
  // model before copying it. The graph's and the person table's bases,
  // which checks never read, go where `store` says (frozen_store.h).
  // Changes nothing a query sees. Returns the graph's old overlay, for the
  // caller to free off the path to the first query.
  std::unique_ptr<LinkGraph::Overlay> Compact(
      const FrozenStore& store = FrozenStore::Heap()) {
    enterprises_.Compact();
    facilities_.Compact();
    domains_.Compact();
    subafdelingen_.Compact();
    persons_.Compact(store);
    index_.Compact();
    provs_.Compact();
    return graph_.Compact(store);
  }

  // --- delegation state -------------------------------------------------
  // Applies one primitive op. REQUIRES: the op was planned against this
  // graph (rules.h), so every vertex it names exists; an op that does not
  // fit is ignored and returns false (the caller treats that as a bug).
  bool Apply(const Op& op, const Provenance& prov);
  bool ApplyAll(const ChangeSet& changes);
  // Apply for the bulk of a full load: an add_user or grant_right op whose
  // edge is staged (LinkGraph::StageEdge) instead of added to the graph's
  // overlay, which at M and L was most of the load's time and its peak
  // memory. The check index takes a right at once; the edge joins the
  // graph at the next Compact(), after its person's other edges. Returns
  // false, doing nothing, for an op of another kind or one that does not
  // fit (as Apply).
  // REQUIRES: nothing reads the staged edges (the users and rights) before
  // Compact(), and Compact() before the graph is used for anything but
  // loading (Store::Load through GraphLoadSink, and its caller, keep both).
  bool ApplyStaged(const Op& op, const Provenance& prov);
  // Edges staged by ApplyStaged and StageFunction that wait for Compact().
  size_t staged_link_count() const { return graph_.staged_edge_count(); }

  // Legal representatives whose function a whole-registry functions
  // import ended (the table function_ended), as (kbo, insz) pairs: not
  // part of the graph, only what the rules name when a former WV acts
  // (code function_ended). Set by the load; imports reload.
  void SetEndedLegalRepresentatives(
      std::vector<std::pair<uint64_t, uint64_t>> ended);
  bool LegalRepresentativeEnded(uint64_t kbo, uint64_t insz) const;

  // --- lookups ----------------------------------------------------------
  Vertex FindPerson(uint64_t insz) const;
  Vertex FindEnterprise(uint64_t kbo) const;
  Vertex FindFacility(const std::string& hco) const;
  // The facility's number in the facility table (the check index's
  // facility numbers), found without reading the vertex table: the check
  // path's lookup (the vertex table is tens of MB at M; a facility's vertex
  // is a cache miss that the check does not need).
  std::optional<uint32_t> FindFacilityIndex(const std::string& hco) const;
  Vertex FindDomain(Vertex enterprise, CapacityId c, SubdivisionId s) const;
  Vertex FindSubafdeling(int64_t id) const;
  // Live subafdelingen of a facility (any domain).
  std::vector<Vertex> SubafdelingenAt(Vertex facility) const;
  // The live subafdeling of the facility in the domain, or kNoVertex.
  Vertex SubafdelingIn(Vertex domain, Vertex facility) const;

  bool HasLink(Vertex from, Vertex to, LinkKind kind, AppId app = 0) const;
  std::optional<Edge> FindLink(Vertex from, Vertex to, LinkKind kind,
                               AppId app = 0) const;
  // Sources of in-links of a kind (e.g. the WVs of an enterprise).
  std::vector<Vertex> Sources(Vertex to, LinkKind kind) const;
  // Targets of out-links of a kind (e.g. a domain's subafdelingen).
  std::vector<Vertex> Targets(Vertex from, LinkKind kind) const;

  PersonView person(Vertex v) const { return persons_[graph_[v].index]; }
  const EnterpriseData& enterprise(Vertex v) const {
    return enterprises_[graph_[v].index];
  }
  const FacilityData& facility(Vertex v) const {
    return facilities_[graph_[v].index];
  }
  const DomainData& domain(Vertex v) const { return domains_[graph_[v].index]; }
  const SubafdelingData& subafdeling(Vertex v) const {
    return subafdelingen_[graph_[v].index];
  }
  const Graph& graph() const { return graph_; }
  const Catalogue& catalogue() const { return *catalogue_; }

  // True when the enterprise may administer anything: capacity c active.
  bool CapacityActive(Vertex enterprise, CapacityId c) const;

  // --- the access decision (SPEC 4.5) -----------------------------------
  // Whether the person may use the application, at the facility with this
  // number (FindFacilityIndex) unless it is CheckIndex::kAnyFacility. Reads
  // the check index only: no allocation.
  bool Allowed(uint64_t insz, AppId app, uint32_t facility) const {
    return index_.Allowed(insz, app, facility);
  }
  // Facilities (HCO numbers, sorted, unique) through which the person may
  // use the application; only facility `only` when it is not kNoVertex.
  // From the check index.
  std::vector<std::string> GrantingFacilities(uint64_t insz, AppId app,
                                              Vertex only) const;
  // The same with the facility by its number, or CheckIndex::kAnyFacility.
  std::vector<std::string> GrantingFacilitiesAt(uint64_t insz, AppId app,
                                                uint32_t facility) const;
  // The same answer found by walking the graph (conditions 1-7 edge by
  // edge); the reference the index is tested and verified against.
  std::vector<std::string> GrantingFacilitiesByTraversal(uint64_t insz,
                                                         AppId app,
                                                         Vertex only) const;
  // The applications subafdeling s can grant now: its authorizations when
  // conditions 1-4 of SPEC 4.5 hold for it, else none; less those the
  // facility rules forbid there now (FacilityRuleDenied).
  uint32_t SubafdelingGrants(Vertex s) const;
  // The applications (a bit per AppId, among `apps`) that the catalogue's
  // facility rules (SPEC 4.1, the OCMW rule of manual 1.1) forbid at
  // `facility` for `enterprise` as CoBRHA lists their facilities now: the
  // enterprise organizes a facility of a trigger type and `facility` is not
  // of an allowed type. Part of condition 5 of the decision: an
  // authorization made before a type changed stops granting. Walks the
  // enterprise's facility links; allocates nothing.
  uint64_t FacilityRuleDenied(Vertex enterprise, Vertex facility,
                              uint64_t apps) const;
  const CheckIndex& check_index() const { return index_; }
  // Who made the link, when and at which revision.
  const Provenance& provenance(const Link& link) const {
    return provs_[link.prov_number()];
  }
  // The HCO numbers of the facilities by index (the check index's facility
  // numbers), for an index snapshot.
  std::vector<std::string_view> FacilityHcos() const;

  // --- whole-model views ------------------------------------------------
  // Every fact of the model as sorted text lines, without provenance times;
  // two graphs with equal dumps hold the same federation. Used by verify
  // and by the tests.
  std::vector<std::string> Dump() const;
  // Checks the invariants above; returns the violations.
  std::vector<std::string> CheckInvariants() const;

  size_t person_count() const { return persons_.size(); }
  // The bytes of the graph's and the person table's bases that live in a
  // mapped file (see Compact).
  size_t mapped_base_bytes() const {
    return graph_.mapped_base_bytes() + persons_.mapped_base_bytes();
  }
  size_t enterprise_count() const { return enterprises_.size(); }
  size_t facility_count() const { return facilities_.size(); }
  size_t live_subafdeling_count() const { return subafdeling_by_id_.size(); }
  int64_t max_subafdeling_id() const { return max_subafdeling_id_; }
  size_t CountLinks(LinkKind kind) const;

 private:
  Vertex AddNode(NodeKind kind, uint32_t index);
  Vertex EnsurePerson(uint64_t insz);
  Vertex EnsureDomain(Vertex enterprise, CapacityId c, SubdivisionId s);
  void AddLink(Vertex from, Vertex to, LinkKind kind, const Provenance& prov,
               AppId app = 0);
  // AddLink for a right(app) edge of the person with this INSZ (known to
  // the caller, which saves reading the person's record).
  void AddRightLink(Vertex person, uint64_t insz, Vertex to,
                    const Provenance& prov, AppId app);
  bool RemoveLink(Vertex from, Vertex to, LinkKind kind, AppId app = 0);
  // Bring the check index's view of subafdeling s (or of every subafdeling
  // of the enterprise, or at the facility) up to date.
  void RefreshSubafdeling(Vertex s);
  void RefreshEnterprise(Vertex enterprise);
  void RefreshFacility(Vertex facility);

  const Catalogue* catalogue_;
  Graph graph_;
  PersonTable persons_;
  SharedRows<EnterpriseData> enterprises_;
  SharedRows<FacilityData> facilities_;
  SharedRows<DomainData> domains_;
  SharedRows<SubafdelingData> subafdelingen_;

  FlatU64Map<Vertex> enterprise_by_kbo_;
  // Vertices fit in 32 bits (LinkGraph numbers them so).
  struct FacilityRef {
    uint32_t vertex;
    uint32_t index;  // into facilities_
  };
  // Keyed by HcoKey(): flat tables, one cache line a lookup (a check with a
  // facility makes one), where node-based maps spent about 80 bytes an
  // entry in each of the two instances.
  FlatU64Map<FacilityRef> facility_by_hco_;
  FlatU64Map<uint32_t> domain_by_key_;  // by DomainKey()
  std::unordered_map<int64_t, Vertex> subafdeling_by_id_;
  int64_t max_subafdeling_id_ = 0;
  CheckIndex index_;
  ProvenanceTable provs_;  // what Link::prov_number() refers to
  std::vector<std::pair<uint64_t, uint64_t>> ended_wvs_;  // sorted
};

// For tests only (a fault-injection seam): the next DelegationGraph, on any
// thread, that adds a vertex of `kind` throws instead, as a federation past
// Node's numbering (std::length_error) or a process out of memory
// (std::bad_alloc) would; the fault fires once. kNone disarms it. Lets a
// test see what the engine makes of an exception in its model, on a public
// call and on its background thread. Never call it in production code.
enum class GraphFault : uint8_t { kNone, kLengthError, kBadAlloc };
void InjectGraphFaultForTests(NodeKind kind, GraphFault fault);

}  // namespace toegang

#endif  // TOEGANG_DELEGATION_GRAPH_H_
