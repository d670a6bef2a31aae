// The person's and the facility's cards and the name search
// (rules/cards.h): one hop from the vertex asked about, over its own links,
// so a card costs what the person or facility is tied to, not the size of
// the federation. The decisions come from explain (rules/explain.h), so a
// card never disagrees with check or explain.
#include "rules/cards.h"

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "base/time_util.h"
#include "model/text_forms.h"
#include "rules/administration.h"
#include "rules/answer_parts.h"
#include "rules/explain.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"

namespace toegang {
namespace {

EnterpriseRef EnterpriseOf(const DelegationGraph& g, Vertex e) {
  const EnterpriseData& d = g.enterprise(e);
  return EnterpriseRef{KboDigits(d.kbo), d.name, d.active};
}

LinkMade Made(const DelegationGraph& g, const Provenance& p) {
  LinkMade m;
  if (p.by != 0) {
    m.by = PersonRefByInsz(g, p.by);
  }
  m.revision = p.revision;
  if (p.at != 0) m.at = FormatUtc(p.at);
  return m;
}

LinkMade MadeOf(const DelegationGraph& g, const Edge& e) {
  return Made(g, g.provenance(g.graph()[e]));
}

// The rights a person holds at subafdeling s, as an application bit mask.
uint64_t RightsAt(const DelegationGraph& g, Vertex person, Vertex s) {
  uint64_t mask = 0;
  const Graph& graph = g.graph();
  for (auto [it, end] = out_edges(person, graph); it != end; ++it) {
    const Link l = graph[*it];
    if (l.kind == LinkKind::kRight && target(*it, graph) == s) {
      mask |= uint64_t{1} << l.app;
    }
  }
  return mask;
}

// Lower-case ASCII letters; other bytes as they are.
std::string Folded(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

PersonCard DescribePerson(const DelegationGraph& graph, uint64_t insz,
                          Lang lang, uint64_t revision) {
  PersonCard card;
  card.revision = revision;
  card.person.insz = InszDigits(insz);
  const Catalogue& cat = graph.catalogue();
  const Vertex p = graph.FindPerson(insz);
  if (p != kNoVertex) {
    card.known = true;
    card.person = PersonRefOf(graph, p);
    const Graph& g = graph.graph();
    for (auto [it, end] = out_edges(p, g); it != end; ++it) {
      const Link l = g[*it];
      const Vertex to = target(*it, g);
      switch (l.kind) {
        case LinkKind::kLegalRepresentative:
        case LinkKind::kEmployee:
          card.functions.push_back(
              {l.kind == LinkKind::kEmployee ? "employee" : "wv",
               EnterpriseOf(graph, to)});
          break;
        case LinkKind::kHtb: {
          PersonCard::Role r;
          r.role = "htb";
          r.enterprise = EnterpriseOf(graph, to);
          r.made = MadeOf(graph, *it);
          r.still_listed = HtbStillListed(graph, p, to);
          card.roles.push_back(std::move(r));
          break;
        }
        case LinkKind::kTb:
        case LinkKind::kCoTb: {
          const DomainData& d = graph.domain(to);
          PersonCard::Role r;
          r.role = l.kind == LinkKind::kTb ? "tb" : "co_tb";
          r.enterprise = EnterpriseOf(graph, d.enterprise);
          r.capacity = cat.capacity(d.capacity).code;
          r.subdivision = cat.subdivision(d.subdivision).code;
          r.made = MadeOf(graph, *it);
          card.roles.push_back(std::move(r));
          break;
        }
        case LinkKind::kManager: {
          const SubafdelingData& s = graph.subafdeling(to);
          const DomainData& d = graph.domain(s.domain);
          PersonCard::Role r;
          r.role = "manager";
          r.enterprise = EnterpriseOf(graph, d.enterprise);
          r.capacity = cat.capacity(d.capacity).code;
          r.subdivision = cat.subdivision(d.subdivision).code;
          r.hco = graph.facility(s.facility).hco;
          r.facility_name = graph.facility(s.facility).name;
          r.made = MadeOf(graph, *it);
          card.roles.push_back(std::move(r));
          break;
        }
        case LinkKind::kUser: {
          const SubafdelingData& s = graph.subafdeling(to);
          const DomainData& d = graph.domain(s.domain);
          PersonCard::Membership m;
          m.enterprise = EnterpriseOf(graph, d.enterprise);
          m.capacity = cat.capacity(d.capacity).code;
          m.subdivision = cat.subdivision(d.subdivision).code;
          m.hco = graph.facility(s.facility).hco;
          m.facility_name = graph.facility(s.facility).name;
          m.email = s.email;
          m.rights = AppCodes(cat, RightsAt(graph, p, to));
          m.made = MadeOf(graph, *it);
          card.memberships.push_back(std::move(m));
          break;
        }
        default:
          break;
      }
    }
    std::sort(card.functions.begin(), card.functions.end(),
              [](const PersonCard::Function& a, const PersonCard::Function& b) {
                return std::tie(a.enterprise.kbo, a.kind) <
                       std::tie(b.enterprise.kbo, b.kind);
              });
    std::sort(card.roles.begin(), card.roles.end(),
              [](const PersonCard::Role& a, const PersonCard::Role& b) {
                return std::tie(a.enterprise.kbo, a.role, a.capacity,
                                a.subdivision, a.hco) <
                       std::tie(b.enterprise.kbo, b.role, b.capacity,
                                b.subdivision, b.hco);
              });
    std::sort(
        card.memberships.begin(), card.memberships.end(),
        [](const PersonCard::Membership& a, const PersonCard::Membership& b) {
          return std::tie(a.hco, a.capacity, a.subdivision) <
                 std::tie(b.hco, b.capacity, b.subdivision);
        });
  }
  for (size_t a = 0; a < cat.application_count(); ++a) {
    const AppId app = static_cast<AppId>(a);
    PersonCard::AppDecision d;
    d.application = cat.application(app).code;
    d.application_name = cat.application(app).name;
    d.explanation = ExplainDecision(graph, insz, app, "", lang, revision);
    card.decisions.push_back(std::move(d));
  }
  return card;
}

Result<FacilityCard> DescribeFacility(const DelegationGraph& graph,
                                      const std::string& hco,
                                      uint64_t revision) {
  const Vertex f = graph.FindFacility(hco);
  if (f == kNoVertex) return FacilityUnknown(hco);
  const Catalogue& cat = graph.catalogue();
  const FacilityData& fd = graph.facility(f);
  FacilityCard card;
  card.revision = revision;
  card.hco = fd.hco;
  card.name = fd.name;
  card.type = fd.type_code;
  card.active = fd.active;
  if (fd.enterprise != kNoVertex) {
    card.organizer = EnterpriseOf(graph, fd.enterprise);
    const EnterpriseData& ed = graph.enterprise(fd.enterprise);
    if (ed.htb != kNoVertex) {
      card.htb = PersonRefOf(graph, ed.htb);
      card.htb_email = ed.htb_email;
      card.htb_phone = ed.htb_phone;
    }
  }
  const Graph& g = graph.graph();
  for (Vertex s : graph.SubafdelingenAt(f)) {
    const SubafdelingData& sd = graph.subafdeling(s);
    if (sd.removed) continue;
    const DomainData& d = graph.domain(sd.domain);
    FacilityCard::Subafdeling sub;
    sub.capacity = cat.capacity(d.capacity).code;
    sub.subdivision = cat.subdivision(d.subdivision).code;
    sub.email = sd.email;
    sub.applications = AppCodes(cat, sd.authorizations);
    sub.managers =
        PersonRefsByInsz(graph, graph.Sources(s, LinkKind::kManager));
    if (d.tb != kNoVertex) sub.tb = PersonRefOf(graph, d.tb);
    sub.co_tbs =
        PersonRefsByInsz(graph, graph.Sources(sd.domain, LinkKind::kCoTb));
    sub.made = Made(graph, sd.prov);
    for (auto [it, end] = in_edges(s, g); it != end; ++it) {
      if (g[*it].kind != LinkKind::kUser) continue;
      const Vertex p = source(*it, g);
      FacilityCard::Member m;
      m.person = PersonRefOf(graph, p);
      m.rights = AppCodes(cat, RightsAt(graph, p, s));
      m.made = MadeOf(graph, *it);
      sub.members.push_back(std::move(m));
    }
    std::sort(sub.members.begin(), sub.members.end(),
              [](const FacilityCard::Member& a, const FacilityCard::Member& b) {
                return a.person.insz < b.person.insz;
              });
    card.subafdelingen.push_back(std::move(sub));
  }
  std::sort(card.subafdelingen.begin(), card.subafdelingen.end(),
            [](const FacilityCard::Subafdeling& a,
               const FacilityCard::Subafdeling& b) {
              return std::tie(a.capacity, a.subdivision) <
                     std::tie(b.capacity, b.subdivision);
            });
  return card;
}

Result<Vertex> NameCursorVertex(const DelegationGraph& graph,
                                std::string_view cursor) {
  const std::string_view id = cursor.empty() ? "" : cursor.substr(1);
  const bool digits = !id.empty() && id.size() <= 11 &&
                      std::all_of(id.begin(), id.end(),
                                  [](char c) { return c >= '0' && c <= '9'; });
  Vertex v = kNoVertex;
  if (digits && cursor[0] == 'p') {
    v = graph.FindPerson(std::stoull(std::string(id)));
  } else if (digits && cursor[0] == 'e') {
    v = graph.FindEnterprise(std::stoull(std::string(id)));
  }
  if (v == kNoVertex) {
    return Status::InvalidInput(
        code::kUsage,
        "not a cursor of the name search; pass the next_cursor of the "
        "previous page unchanged");
  }
  return v;
}

Result<Page<NameHit>> FindNames(const DelegationGraph& graph,
                                std::string_view prefix,
                                const PageRequest& page, uint64_t revision) {
  const std::string folded = Folded(prefix);
  if (folded.size() < 2) {
    return Status::InvalidInput(
        code::kUsage, "a name search needs at least 2 characters of the name");
  }
  // The cursor names the last hit, "p" + INSZ or "e" + KBO; the next
  // page starts after that hit's key (folded name, kind, id).
  using Key = std::tuple<std::string, std::string, std::string>;
  std::optional<Key> after;
  if (!page.cursor.empty()) {
    Result<Vertex> v = NameCursorVertex(graph, page.cursor);
    if (!v.ok()) return v.status();
    const std::string id = page.cursor.substr(1);
    after = page.cursor[0] == 'p'
                ? Key{Folded(graph.person(*v).name), "person", id}
                : Key{Folded(graph.enterprise(*v).name), "enterprise", id};
  }
  std::vector<std::pair<Key, NameHit>> hits;
  const Graph& g = graph.graph();
  for (auto [it, end] = vertices(g); it != end; ++it) {
    const NodeKind kind = g[*it].kind;
    std::string_view name;
    NameHit hit;
    if (kind == NodeKind::kPerson) {
      const PersonView p = graph.person(*it);
      name = p.name;
      hit.kind = "person";
      hit.id = InszDigits(p.insz);
    } else if (kind == NodeKind::kEnterprise) {
      const EnterpriseData& e = graph.enterprise(*it);
      name = e.name;
      hit.kind = "enterprise";
      hit.id = KboDigits(e.kbo);
    } else {
      continue;
    }
    if (name.size() < folded.size()) continue;
    std::string key_name = Folded(name);
    if (key_name.compare(0, folded.size(), folded) != 0) continue;
    Key key{std::move(key_name), hit.kind, hit.id};
    if (after && key <= *after) continue;
    hit.name = std::string(name);
    hits.emplace_back(std::move(key), std::move(hit));
  }
  const size_t n = std::min(page.limit, hits.size());
  std::partial_sort(
      hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(n), hits.end(),
      [](const auto& x, const auto& y) { return x.first < y.first; });
  Page<NameHit> out;
  out.revision = revision;
  for (size_t i = 0; i < n; ++i) out.items.push_back(std::move(hits[i].second));
  if (hits.size() > n && n > 0) {
    const NameHit& last = out.items.back();
    out.next_cursor = (last.kind == "person" ? "p" : "e") + last.id;
  }
  return out;
}

}  // namespace toegang
