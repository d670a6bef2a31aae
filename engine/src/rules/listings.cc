// The helpdesk listings of SPEC 4.6 over the delegation graph.
//
// access and users answer with the access decision itself
// (DelegationGraph::GrantingFacilities), so a listing never disagrees with
// check. managed-by walks the administrative edges of the graph with a
// Boost.Graph breadth-first visit from the person. Pages are cut with
// keyset cursors: a cursor is the sort key of the last entry returned, and
// the next page holds the entries whose key is greater.
#include "rules/listings.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/time_util.h"
#include "model/text_forms.h"
#include "rules/administration.h"
#include "rules/answer_parts.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"

namespace toegang {
namespace {

// --- cursors ---------------------------------------------------------------
//
// A cursor is the sort key of the last entry of a page, its fields joined
// by '|'; '%' and '|' inside a field are written %25 and %7C, so any
// catalogue code round-trips.

std::string EscapeField(std::string_view field) {
  std::string out;
  for (char c : field) {
    if (c == '%') {
      out += "%25";
    } else if (c == '|') {
      out += "%7C";
    } else {
      out += c;
    }
  }
  return out;
}

bool UnescapeField(std::string_view field, std::string* out) {
  out->clear();
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '%') {
      *out += field[i];
      continue;
    }
    std::string_view code = field.substr(i + 1, 2);
    if (code == "25") {
      *out += '%';
    } else if (code == "7C") {
      *out += '|';
    } else {
      return false;
    }
    i += 2;
  }
  return true;
}

std::string JoinCursor(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += '|';
    out += EscapeField(fields[i]);
  }
  return out;
}

// Splits a cursor into exactly n unescaped fields.
bool SplitCursor(std::string_view cursor, size_t n,
                 std::vector<std::string>* fields) {
  fields->clear();
  size_t start = 0;
  while (true) {
    size_t bar = cursor.find('|', start);
    std::string_view part = cursor.substr(start, bar == std::string_view::npos
                                                     ? std::string_view::npos
                                                     : bar - start);
    std::string field;
    if (!UnescapeField(part, &field)) return false;
    fields->push_back(std::move(field));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return fields->size() == n;
}

bool AllDigits(std::string_view s, size_t min_len, size_t max_len) {
  return s.size() >= min_len && s.size() <= max_len &&
         std::all_of(s.begin(), s.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

Status BadCursor(std::string_view listing, std::string_view cursor) {
  return Status::InvalidInput(
      code::kUsage,
      fmt::format("`{}` is not a cursor of the {} listing; pass the "
                  "next_cursor of its previous page unchanged, or leave the "
                  "cursor out to start at the first page",
                  cursor, listing));
}

// Builds a page from candidates sorted by key, all after the cursor: the
// first `limit`, and a cursor when one more exists.
template <typename T, typename Key, typename KeyText>
Page<T> CutPage(std::vector<std::pair<Key, T>> entries, size_t limit,
                uint64_t revision, KeyText key_text) {
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Page<T> page;
  page.revision = revision;
  const size_t n = std::min(limit, entries.size());
  page.items.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    page.items.push_back(std::move(entries[i].second));
  }
  if (entries.size() > limit && n > 0) {
    page.next_cursor = key_text(entries[n - 1].first);
  }
  return page;
}

// Sort key of managed-by: (kbo, kind, capacity, subdivision, hco).
using ManagedKey =
    std::tuple<uint64_t, int, std::string, std::string, std::string>;

std::string ManagedCursor(const ManagedKey& k) {
  return JoinCursor({KboDigits(std::get<0>(k)), std::to_string(std::get<1>(k)),
                     std::get<2>(k), std::get<3>(k), std::get<4>(k)});
}

}  // namespace

// --- access ----------------------------------------------------------------

Result<Page<AccessEntry>> ListAccess(const DelegationGraph& graph,
                                     uint64_t insz, const PageRequest& page,
                                     uint64_t revision) {
  using Key = std::pair<std::string, std::string>;  // (application, hco)
  std::optional<Key> after;
  if (!page.cursor.empty()) {
    std::vector<std::string> f;
    if (!SplitCursor(page.cursor, 2, &f) || f[0].empty() ||
        !AllDigits(f[1], 1, 15)) {
      return BadCursor("access", page.cursor);
    }
    after = Key{f[0], f[1]};
  }
  std::vector<std::pair<Key, AccessEntry>> entries;
  Vertex p = graph.FindPerson(insz);
  if (p != kNoVertex) {
    // The applications the person holds a right for somewhere; the
    // decision then says through which facilities each is usable.
    uint64_t apps = 0;
    const Graph& g = graph.graph();
    for (auto [it, end] = out_edges(p, g); it != end; ++it) {
      if (g[*it].kind == LinkKind::kRight) apps |= uint64_t{1} << g[*it].app;
    }
    const Catalogue& cat = graph.catalogue();
    for (size_t a = 0; a < cat.application_count(); ++a) {
      if (((apps >> a) & 1U) == 0) continue;
      const AppId app = static_cast<AppId>(a);
      for (const std::string& hco :
           graph.GrantingFacilities(insz, app, kNoVertex)) {
        Key key{cat.application(app).code, hco};
        if (after && key <= *after) continue;
        const FacilityData& f = graph.facility(graph.FindFacility(hco));
        AccessEntry e;
        e.application = key.first;
        e.hco = hco;
        e.facility_name = f.name;
        if (f.enterprise != kNoVertex) {
          e.kbo = KboDigits(graph.enterprise(f.enterprise).kbo);
        }
        entries.emplace_back(std::move(key), std::move(e));
      }
    }
  }
  return CutPage(std::move(entries), page.limit, revision, [](const Key& k) {
    return JoinCursor({k.first, k.second});
  });
}

// --- users -----------------------------------------------------------------

Result<Page<UserEntry>> ListUsers(const DelegationGraph& graph,
                                  const std::string& hco,
                                  std::optional<AppId> app,
                                  const PageRequest& page, uint64_t revision) {
  uint64_t after = 0;
  if (!page.cursor.empty()) {
    if (!AllDigits(page.cursor, 11, 11)) return BadCursor("users", page.cursor);
    after = *ParseDigits(page.cursor);  // 11 digits: always fits
  }
  Page<UserEntry> out;
  out.revision = revision;
  Vertex f = graph.FindFacility(hco);
  if (f == kNoVertex) return FacilityUnknown(hco);

  // Candidates after the cursor: who holds a right at one of the
  // facility's subafdelingen, with the applications of those rights.
  const Graph& g = graph.graph();
  std::map<uint64_t, uint64_t> candidates;  // insz -> application bits
  for (Vertex s : graph.SubafdelingenAt(f)) {
    for (auto [it, end] = in_edges(s, g); it != end; ++it) {
      const Link& l = g[*it];
      if (l.kind != LinkKind::kRight || (app && l.app != *app)) continue;
      const uint64_t insz = graph.person(source(*it, g)).insz;
      if (insz <= after) continue;
      candidates[insz] |= uint64_t{1} << l.app;
    }
  }
  // In INSZ order, keep those the decision allows, until one more than a
  // page is found (that one only tells there is a next page).
  const Catalogue& cat = graph.catalogue();
  bool more = false;
  for (const auto& [insz, apps] : candidates) {
    uint64_t allowed = 0;
    for (size_t a = 0; a < cat.application_count(); ++a) {
      if (((apps >> a) & 1U) == 0) continue;
      if (!graph.GrantingFacilities(insz, static_cast<AppId>(a), f).empty()) {
        allowed |= uint64_t{1} << a;
      }
    }
    if (allowed == 0) continue;
    if (out.items.size() == page.limit) {
      more = true;
      break;
    }
    out.items.push_back(
        UserEntry{PersonRefByInsz(graph, insz), AppCodes(cat, allowed)});
  }
  if (more) out.next_cursor = out.items.back().person.insz;
  return out;
}

// --- managed-by ------------------------------------------------------------

Result<Page<ManagedEntry>> ListManagedBy(const DelegationGraph& graph,
                                         uint64_t insz, const PageRequest& page,
                                         uint64_t revision) {
  std::optional<ManagedKey> after;
  if (!page.cursor.empty()) {
    std::vector<std::string> f;
    if (!SplitCursor(page.cursor, 5, &f) || !AllDigits(f[0], 10, 10) ||
        !AllDigits(f[1], 1, 1) || f[1][0] > '2' ||
        (!f[4].empty() && !AllDigits(f[4], 1, 15))) {
      return BadCursor("managed-by", page.cursor);
    }
    after = ManagedKey{*ParseDigits(f[0]), f[1][0] - '0', f[2], f[3], f[4]};
  }
  std::vector<std::pair<ManagedKey, ManagedEntry>> entries;
  Vertex p = graph.FindPerson(insz);
  if (p != kNoVertex) {
    const Catalogue& cat = graph.catalogue();
    for (const auto& [v, role] : Administered(graph, p)) {
      if (role == Role::kNone) continue;
      ManagedEntry e;
      e.role = AdminRoleName(role);
      Vertex ent = kNoVertex;
      int kind = 0;
      switch (graph.graph()[v].kind) {
        case NodeKind::kEnterprise:
          e.kind = "enterprise";
          ent = v;
          break;
        case NodeKind::kDomain: {
          const DomainData& d = graph.domain(v);
          e.kind = "domain";
          kind = 1;
          ent = d.enterprise;
          e.capacity = cat.capacity(d.capacity).code;
          e.subdivision = cat.subdivision(d.subdivision).code;
          break;
        }
        case NodeKind::kSubafdeling: {
          const SubafdelingData& s = graph.subafdeling(v);
          const DomainData& d = graph.domain(s.domain);
          const FacilityData& f = graph.facility(s.facility);
          e.kind = "subafdeling";
          kind = 2;
          ent = d.enterprise;
          e.capacity = cat.capacity(d.capacity).code;
          e.subdivision = cat.subdivision(d.subdivision).code;
          e.hco = f.hco;
          e.facility_name = f.name;
          break;
        }
        default:
          continue;  // not reachable along administrative links
      }
      const EnterpriseData& ed = graph.enterprise(ent);
      e.kbo = KboDigits(ed.kbo);
      e.enterprise_name = ed.name;
      ManagedKey key{ed.kbo, kind, e.capacity, e.subdivision, e.hco};
      if (after && key <= *after) continue;
      entries.emplace_back(std::move(key), std::move(e));
    }
  }
  return CutPage(std::move(entries), page.limit, revision, ManagedCursor);
}

// --- who -------------------------------------------------------------------

Result<WhoReport> DescribeEnterprise(const DelegationGraph& graph, uint64_t kbo,
                                     uint64_t revision) {
  Vertex e = graph.FindEnterprise(kbo);
  if (e == kNoVertex) {
    Result<Kbo> k = Kbo::FromValue(kbo);
    return Status::Refused(
        code::kEnterpriseUnknown,
        fmt::format("enterprise {} is not in the KBO registry; import the "
                    "KBO Open Data that lists it (toegang import kbo)",
                    k.ok() ? k->Display() : KboDigits(kbo)));
  }
  const Catalogue& cat = graph.catalogue();
  const EnterpriseData& ed = graph.enterprise(e);
  WhoReport r;
  r.kbo = KboDigits(ed.kbo);
  r.name = ed.name;
  r.active = ed.active;
  r.revision = revision;
  r.legal_representatives =
      PersonRefsByInsz(graph, graph.Sources(e, LinkKind::kLegalRepresentative));

  if (ed.htb != kNoVertex) {
    WhoReport::Htb h;
    h.person = PersonRefOf(graph, ed.htb);
    h.email = ed.htb_email;
    h.phone = ed.htb_phone;
    h.appointed_by_email = ed.wv_email;
    h.appointed_by_phone = ed.wv_phone;
    if (std::optional<Edge> link = graph.FindLink(ed.htb, e, LinkKind::kHtb)) {
      const Provenance prov = graph.provenance(graph.graph()[*link]);
      if (prov.by != 0) {
        h.appointed_by = PersonRefByInsz(graph, prov.by);
        // Only a WV can appoint (manual 3.2.1), so an appointer who is not
        // a WV now was one then.
        const Vertex by = graph.FindPerson(prov.by);
        h.appointed_by_former_wv =
            by == kNoVertex ||
            !graph.HasLink(by, e, LinkKind::kLegalRepresentative);
      }
      h.revision = prov.revision;
      if (prov.at != 0) h.at = FormatUtc(prov.at);
    }
    h.still_listed = HtbStillListed(graph, ed.htb, e);
    r.htb = std::move(h);
  }

  for (size_t c = 0; c < cat.capacity_count(); ++c) {
    if (graph.CapacityActive(e, static_cast<CapacityId>(c))) {
      r.active_capacities.push_back(
          cat.capacity(static_cast<CapacityId>(c)).code);
    }
  }

  for (Vertex dv : graph.Targets(e, LinkKind::kDomain)) {
    const DomainData& d = graph.domain(dv);
    WhoReport::Domain dom;
    dom.capacity = cat.capacity(d.capacity).code;
    dom.subdivision = cat.subdivision(d.subdivision).code;
    if (d.tb != kNoVertex) dom.tb = PersonRefOf(graph, d.tb);
    dom.co_tbs = PersonRefsByInsz(graph, graph.Sources(dv, LinkKind::kCoTb));
    r.domains.push_back(std::move(dom));

    // Live subafdelingen only: a removed one has lost its links.
    for (Vertex sv : graph.Targets(dv, LinkKind::kSubafdeling)) {
      const SubafdelingData& s = graph.subafdeling(sv);
      if (s.removed) continue;
      const FacilityData& f = graph.facility(s.facility);
      WhoReport::Subafdeling sub;
      sub.hco = f.hco;
      sub.facility_name = f.name;
      sub.facility_type = f.type_code;
      sub.facility_active = f.active;
      sub.capacity = cat.capacity(d.capacity).code;
      sub.subdivision = cat.subdivision(d.subdivision).code;
      sub.email = s.email;
      sub.applications = AppCodes(cat, s.authorizations);
      // One pass over the in-links (a large subafdeling has tens of
      // thousands): the users are counted, not looked up (a person has one
      // user link to a subafdeling), and only the managers' sources read.
      std::vector<Vertex> managers;
      for (auto [it, end] = in_edges(sv, graph.graph()); it != end; ++it) {
        const LinkKind kind = graph.graph()[*it].kind;
        if (kind == LinkKind::kUser) {
          ++sub.users;
        } else if (kind == LinkKind::kManager) {
          managers.push_back(source(*it, graph.graph()));
        }
      }
      std::sort(managers.begin(), managers.end());
      managers.erase(std::unique(managers.begin(), managers.end()),
                     managers.end());
      sub.managers = PersonRefsByInsz(graph, managers);
      r.subafdelingen.push_back(std::move(sub));
    }
  }
  // The enterprise's facilities, each with its subafdelingen and what the
  // facility rules say of it now.
  const uint64_t ruled = [&] {
    uint64_t apps = 0;
    for (const FacilityRule& rule : cat.facility_rules()) {
      apps |= uint64_t{1} << rule.application;
    }
    return apps;
  }();
  for (Vertex fv : graph.Targets(e, LinkKind::kOrganizes)) {
    const FacilityData& f = graph.facility(fv);
    WhoReport::Facility fac;
    fac.hco = f.hco;
    fac.name = f.name;
    fac.type_code = f.type_code;
    fac.active = f.active;
    for (Vertex sv : graph.SubafdelingenAt(fv)) {
      const SubafdelingData& s = graph.subafdeling(sv);
      const DomainData& d = graph.domain(s.domain);
      if (s.removed || d.enterprise != e) continue;
      fac.subafdelingen.push_back({cat.capacity(d.capacity).code,
                                   cat.subdivision(d.subdivision).code,
                                   AppCodes(cat, s.authorizations)});
    }
    std::sort(fac.subafdelingen.begin(), fac.subafdelingen.end(),
              [](const auto& a, const auto& b) {
                return std::tie(a.capacity, a.subdivision) <
                       std::tie(b.capacity, b.subdivision);
              });
    const uint64_t denied = graph.FacilityRuleDenied(e, fv, ruled);
    for (size_t a = 0; a < cat.application_count(); ++a) {
      const uint64_t bit = uint64_t{1} << a;
      if ((ruled & bit) == 0) continue;
      fac.facility_rule.emplace_back(
          cat.application(static_cast<AppId>(a)).code, (denied & bit) == 0);
    }
    r.facilities.push_back(std::move(fac));
  }
  std::sort(r.facilities.begin(), r.facilities.end(),
            [](const WhoReport::Facility& a, const WhoReport::Facility& b) {
              return a.hco < b.hco;
            });
  for (const FacilityRule& rule : cat.facility_rules()) {
    for (const WhoReport::Facility& f : r.facilities) {
      if (std::find(rule.trigger_types.begin(), rule.trigger_types.end(),
                    f.type_code) != rule.trigger_types.end()) {
        r.ocmw = true;
      }
    }
  }

  std::sort(r.domains.begin(), r.domains.end(),
            [](const WhoReport::Domain& a, const WhoReport::Domain& b) {
              return std::tie(a.capacity, a.subdivision) <
                     std::tie(b.capacity, b.subdivision);
            });
  std::sort(
      r.subafdelingen.begin(), r.subafdelingen.end(),
      [](const WhoReport::Subafdeling& a, const WhoReport::Subafdeling& b) {
        return std::tie(a.hco, a.capacity, a.subdivision) <
               std::tie(b.hco, b.capacity, b.subdivision);
      });
  return r;
}

}  // namespace toegang
