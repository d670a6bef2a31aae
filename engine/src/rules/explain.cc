// Explain (SPEC 4.5): the chain behind an allowed decision, or the first
// failing condition of the closest candidate behind a denied one.
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
//
// The conditions themselves are attribute reads on the vertices reached;
// Evaluate() applies them in the order of SPEC 4.5, exactly as
// DelegationGraph::GrantingFacilities does, so that explain and check
// agree.
#include "rules/explain.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/pending/queue.hpp>
#include <boost/property_map/property_map.hpp>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/time_util.h"
#include "model/text_forms.h"
#include "toegang/identifiers.h"
#include "toegang/labels.h"

namespace toegang {
namespace {

// The failing conditions, in the order of SPEC 4.5: a later one is closer
// to access. kNone: every condition holds.
enum class Reason : uint8_t {
  kEnterpriseInactive,
  kNoHtb,
  kCapacityInactive,
  kFacilityInactive,
  kNoSubafdeling,
  kApplicationNotAuthorized,
  kNotAUser,
  kRightMissing,
  kNone,
};

struct ReasonInfo {
  const char* code;
  int condition;  // SPEC 4.5 numbering
  const char* manual;
};

// no_subafdeling counts as condition 4: no subafdeling D has the asked
// facility ("and is facility hco when given").
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
    case Reason::kNotAUser:
      return {"not_a_user", 6, "3.7"};
    case Reason::kRightMissing:
      return {"right_missing", 7, "3.7"};
    case Reason::kNone:
      break;
  }
  return {"", 0, ""};
}

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

// What ties a person to the model.
struct Ties {
  std::vector<Vertex> user_of;      // subafdelingen
  std::vector<Vertex> enterprises;  // WV, employee, HTB, TB/co-TB, manager
};

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

// --- the explainer -----------------------------------------------------------

// A candidate and where it stands.
struct Verdict {
  Reason reason = Reason::kNone;
  Vertex enterprise = kNoVertex;
  Vertex facility = kNoVertex;
  Vertex subafdeling = kNoVertex;
  std::vector<Vertex> domains;  // no_subafdeling: the capacity's domains
};

// Who can fix something, with the roles that make them able to.
struct Fixer {
  Vertex person = kNoVertex;
  std::vector<std::string> roles;
};

class Explainer {
 public:
  Explainer(const DelegationGraph& g, uint64_t insz, AppId app,
            const std::string& hco, Lang lang, uint64_t revision)
      : g_(g),
        cat_(g.catalogue()),
        insz_(insz),
        person_(g.FindPerson(insz)),
        app_(app),
        hco_(hco),
        nl_(lang == Lang::kNl),
        revision_(revision) {}

  Explanation Run() {
    Explanation e;
    e.revision = revision_;
    const Vertex only = hco_.empty() ? kNoVertex : g_.FindFacility(hco_);
    if (hco_.empty() || only != kNoVertex) {
      e.facilities = g_.GrantingFacilities(insz_, app_, only);
    }
    e.allowed = !e.facilities.empty();
    const Ties ties = PersonTies(g_, person_);
    if (e.allowed) {
      Allowed(ties, &e);
    } else {
      Denied(ties, &e);
    }
    return e;
  }

 private:
  // --- the conditions --------------------------------------------------------

  // The first failing condition of SPEC 4.5 for subafdeling s.
  Verdict Evaluate(Vertex s) const {
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
    } else if (person_ == kNoVertex ||
               !g_.HasLink(person_, s, LinkKind::kUser)) {
      v.reason = Reason::kNotAUser;
    } else if (!g_.HasLink(person_, s, LinkKind::kRight, app_)) {
      v.reason = Reason::kRightMissing;
    }
    return v;
  }

  // The closest of the candidates: the latest first failing condition,
  // then the lowest HCO, then the oldest subafdeling.
  Verdict Closest(const std::vector<Vertex>& subs) const {
    Verdict best;
    for (Vertex s : subs) {
      Verdict v = Evaluate(s);
      if (best.subafdeling == kNoVertex || Closer(v, best)) best = std::move(v);
    }
    return best;
  }
  bool Closer(const Verdict& a, const Verdict& b) const {
    if (a.reason != b.reason) return a.reason > b.reason;
    const std::string& a_hco = g_.facility(a.facility).hco;
    const std::string& b_hco = g_.facility(b.facility).hco;
    if (a_hco != b_hco) return a_hco < b_hco;
    return g_.subafdeling(a.subafdeling).id < g_.subafdeling(b.subafdeling).id;
  }

  // With an HCO: the facility, walked from its enterprise down.
  Verdict WalkFacility() const {
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

  // --- texts -----------------------------------------------------------------

  const char* L(const char* nl, const char* en) const { return nl_ ? nl : en; }

  template <typename... Args>
  std::string F(const char* nl, const char* en, Args&&... args) const {
    return fmt::format(fmt::runtime(L(nl, en)), std::forward<Args>(args)...);
  }

  PersonRef Ref(Vertex p) const {
    const PersonView d = g_.person(p);
    return PersonRef{InszDigits(d.insz), std::string(d.name)};
  }
  PersonRef RefByInsz(uint64_t insz) const {
    Vertex p = g_.FindPerson(insz);
    return p != kNoVertex ? Ref(p) : PersonRef{InszDigits(insz), ""};
  }
  std::string InszLabel(uint64_t insz) const {
    const PersonRef r = RefByInsz(insz);
    return NamedLabel(r.name, InszDisplay(insz));
  }
  std::string PersonLabel(Vertex p) const {
    return InszLabel(g_.person(p).insz);
  }

  std::string EnterpriseLabel(Vertex e) const {
    const EnterpriseData& d = g_.enterprise(e);
    return toegang::EnterpriseLabel(d.name, KboDisplay(d.kbo));
  }
  std::string FacilityLabel(Vertex f) const {
    const FacilityData& d = g_.facility(f);
    return d.name.empty() ? fmt::format("HCO {}", d.hco)
                          : fmt::format("HCO {} ({})", d.hco, d.name);
  }
  std::string DomainLabel(Vertex d) const {
    const DomainData& dd = g_.domain(d);
    return fmt::format("\"{}\" / \"{}\"", cat_.capacity(dd.capacity).name,
                       cat_.subdivision(dd.subdivision).name);
  }
  std::string AppName() const {
    return fmt::format("\"{}\"", cat_.application(app_).name);
  }
  std::string CapacityName() const {
    return fmt::format("\"{}\"",
                       cat_.capacity(cat_.application(app_).capacity).name);
  }
  // The subdivision(s) of the domains, or those the capacity has.
  std::string SubdivisionNames(const std::vector<Vertex>& domains) const {
    std::vector<std::string> names;
    names.reserve(domains.size());
    for (Vertex d : domains) {
      names.push_back(cat_.subdivision(g_.domain(d).subdivision).name);
    }
    if (names.empty()) {
      for (size_t i = 0; i < cat_.subdivision_count(); ++i) {
        const SubdivisionEntry& s =
            cat_.subdivision(static_cast<SubdivisionId>(i));
        if (s.capacity == cat_.application(app_).capacity) {
          names.push_back(s.name);
        }
      }
    }
    std::string out;
    for (const std::string& n : names) {
      if (!out.empty()) out += L(" of ", " or ");
      out += "\"" + n + "\"";
    }
    return out;
  }

  std::string When(const Provenance& p) const {
    if (p.at == 0) return F("in revisie {}", "at revision {}", p.revision);
    return F("in revisie {} op {}", "at revision {} on {}", p.revision,
             FormatUtc(p.at));
  }
  std::string By(const Provenance& p) const {
    return p.by == 0 ? std::string(L("onbekend", "unknown")) : InszLabel(p.by);
  }
  // The maker of a link at subafdeling s, with the role that let them.
  std::string ByAt(const Provenance& p, Vertex s) const {
    std::string who = By(p);
    Vertex maker = p.by == 0 ? kNoVertex : g_.FindPerson(p.by);
    if (maker == kNoVertex) return who;
    const SubafdelingData& sub = g_.subafdeling(s);
    const DomainData& d = g_.domain(sub.domain);
    std::string role;
    if (g_.enterprise(d.enterprise).htb == maker) {
      role = "HTB";
    } else if (d.tb == maker) {
      role = "TB";
    } else if (g_.HasLink(maker, sub.domain, LinkKind::kCoTb)) {
      role = "co-TB";
    } else if (g_.HasLink(maker, s, LinkKind::kManager)) {
      role = L("subafdelingsbeheerder", "subafdeling manager");
    }
    return role.empty() ? who : F("{} als {}", "{} as {}", who, role);
  }

  static ChainLink MakeLink(std::string step, std::optional<PersonRef> person,
                            const Provenance* prov, std::string text) {
    ChainLink l;
    l.step = std::move(step);
    l.person = std::move(person);
    l.text = std::move(text);
    if (prov != nullptr) {
      l.revision = prov->revision;
      l.at = prov->at == 0 ? std::string() : FormatUtc(prov->at);
    }
    return l;
  }
  void SetMadeBy(const Provenance& p, ChainLink* l) const {
    if (p.by != 0) l->made_by = RefByInsz(p.by);
  }

  // --- allowed ---------------------------------------------------------------

  // The subafdeling through which the first granting facility grants.
  Vertex GrantingSubafdeling(const Ties& ties, const std::string& hco) const {
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

  void Allowed(const Ties& ties, Explanation* out) const {
    std::string via;
    for (const std::string& h : out->facilities) {
      via += (via.empty() ? "" : ", ") + h;
    }
    const Vertex s = GrantingSubafdeling(ties, out->facilities.front());
    if (s == kNoVertex) {  // cannot happen: check and explain agree
      out->summary =
          F("{} mag de toepassing {} gebruiken via HCO {} "
            "(revisie {}).",
            "{} may use the application {} through HCO {} "
            "(revision {}).",
            InszLabel(insz_), AppName(), via, revision_);
      return;
    }
    const SubafdelingData& sub = g_.subafdeling(s);
    const Vertex dv = sub.domain;
    const DomainData& d = g_.domain(dv);
    const Vertex ev = d.enterprise;
    const EnterpriseData& ent = g_.enterprise(ev);
    std::vector<ChainLink>& chain = out->chain;

    // WV -> HTB.
    std::optional<Edge> htb_edge = g_.FindLink(ent.htb, ev, LinkKind::kHtb);
    const Provenance htb_prov =
        htb_edge ? g_.provenance(g_.graph()[*htb_edge]) : Provenance{};
    const Vertex wv = htb_prov.by == 0 ? kNoVertex : g_.FindPerson(htb_prov.by);
    if (wv != kNoVertex && g_.HasLink(wv, ev, LinkKind::kLegalRepresentative)) {
      chain.push_back(
          MakeLink("wv", Ref(wv), nullptr,
                   F("{} is wettelijk vertegenwoordiger (WV) van {} "
                     "volgens de KBO.",
                     "{} is a legal representative (WV) of {} "
                     "according to the KBO.",
                     PersonLabel(wv), EnterpriseLabel(ev))));
    }
    ChainLink htb = MakeLink(
        "htb", Ref(ent.htb), &htb_prov,
        F("{} is hoofdtoegangsbeheerder (HTB) van {}, aangesteld door {} {}.",
          "{} is the main access manager (HTB) of {}, appointed by {} {}.",
          PersonLabel(ent.htb), EnterpriseLabel(ev), By(htb_prov),
          When(htb_prov)));
    SetMadeBy(htb_prov, &htb);
    chain.push_back(std::move(htb));

    // TB (or the HTB as TB of every domain), and the co-TBs who built the
    // rest of the chain.
    if (d.tb != kNoVertex) {
      std::optional<Edge> tb_edge = g_.FindLink(d.tb, dv, LinkKind::kTb);
      const Provenance prov =
          tb_edge ? g_.provenance(g_.graph()[*tb_edge]) : Provenance{};
      ChainLink tb = MakeLink(
          "tb", Ref(d.tb), &prov,
          F("{} is toegangsbeheerder (TB) van het domein {}, aangesteld door "
            "{} {}.",
            "{} is the access manager (TB) of domain {}, appointed by {} {}.",
            PersonLabel(d.tb), DomainLabel(dv), By(prov), When(prov)));
      SetMadeBy(prov, &tb);
      chain.push_back(std::move(tb));
    } else {
      chain.push_back(MakeLink(
          "tb", Ref(ent.htb), nullptr,
          F("Er is geen aparte toegangsbeheerder (TB) aangesteld voor het "
            "domein {}: de HTB {} is automatisch toegangsbeheerder van elk "
            "domein (handleiding 3.3.2).",
            "No separate access manager (TB) is appointed for domain {}: "
            "the HTB {} is the access manager of every domain (manual "
            "3.3.2).",
            DomainLabel(dv), PersonLabel(ent.htb))));
    }
    std::optional<Edge> user_edge = g_.FindLink(person_, s, LinkKind::kUser);
    std::optional<Edge> right_edge =
        g_.FindLink(person_, s, LinkKind::kRight, app_);
    const Provenance user_prov =
        user_edge ? g_.provenance(g_.graph()[*user_edge]) : Provenance{};
    const Provenance right_prov =
        right_edge ? g_.provenance(g_.graph()[*right_edge]) : Provenance{};
    std::vector<Vertex> co_makers;
    for (uint64_t by : {sub.prov.by, user_prov.by, right_prov.by}) {
      Vertex maker = by == 0 ? kNoVertex : g_.FindPerson(by);
      if (maker != kNoVertex && g_.HasLink(maker, dv, LinkKind::kCoTb)) {
        co_makers.push_back(maker);
      }
    }
    std::sort(co_makers.begin(), co_makers.end(), [&](Vertex a, Vertex b) {
      return g_.person(a).insz < g_.person(b).insz;
    });
    co_makers.erase(std::unique(co_makers.begin(), co_makers.end()),
                    co_makers.end());
    for (Vertex co : co_makers) {
      std::optional<Edge> co_edge = g_.FindLink(co, dv, LinkKind::kCoTb);
      const Provenance prov =
          co_edge ? g_.provenance(g_.graph()[*co_edge]) : Provenance{};
      ChainLink link = MakeLink(
          "co_tb", Ref(co), &prov,
          F("{} is co-toegangsbeheerder (co-TB) van het domein {}, aangesteld "
            "door {} {}.",
            "{} is a co-access manager (co-TB) of domain {}, appointed by {} "
            "{}.",
            PersonLabel(co), DomainLabel(dv), By(prov), When(prov)));
      SetMadeBy(prov, &link);
      chain.push_back(std::move(link));
    }

    // Subafdeling -> user -> right.
    ChainLink sublink = MakeLink(
        "subafdeling", std::nullopt, &sub.prov,
        F("Voorziening {} is subafdeling van het domein {}, geactiveerd door "
          "{} {}, en is geautoriseerd voor {}.",
          "Facility {} is a subafdeling of domain {}, activated by {} {}, "
          "and is authorized for {}.",
          FacilityLabel(sub.facility), DomainLabel(dv), ByAt(sub.prov, s),
          When(sub.prov), AppName()));
    SetMadeBy(sub.prov, &sublink);
    chain.push_back(std::move(sublink));
    ChainLink user = MakeLink(
        "user", Ref(person_), &user_prov,
        F("{} is gebruiker van die subafdeling, toegevoegd door {} {}.",
          "{} is a user of that subafdeling, added by {} {}.",
          PersonLabel(person_), ByAt(user_prov, s), When(user_prov)));
    SetMadeBy(user_prov, &user);
    chain.push_back(std::move(user));
    ChainLink right =
        MakeLink("right", std::nullopt, &right_prov,
                 F("{} heeft er het recht {}, toegekend door {} {}.",
                   "{} holds the right {} there, granted by {} {}.",
                   PersonLabel(person_), AppName(), ByAt(right_prov, s),
                   When(right_prov)));
    SetMadeBy(right_prov, &right);
    chain.push_back(std::move(right));

    out->summary = F(
        "{} mag de toepassing {} gebruiken via HCO {} (revisie {}). De "
        "toegang loopt via subafdeling {} van onderneming {}, met {} als "
        "hoofdtoegangsbeheerder (HTB); de keten (wettelijk vertegenwoordiger "
        "-> HTB -> toegangsbeheerder -> subafdeling -> gebruiker -> recht) "
        "toont wie elke schakel legde en wanneer.",
        "{} may use the application {} through HCO {} (revision {}). Access "
        "runs through subafdeling {} of enterprise {}, with {} as main access "
        "manager (HTB); the chain (legal representative -> HTB -> access "
        "manager -> subafdeling -> user -> right) shows who made each link "
        "and when.",
        InszLabel(insz_), AppName(), via, revision_,
        FacilityLabel(sub.facility), EnterpriseLabel(ev), PersonLabel(ent.htb));
  }

  // --- denied ----------------------------------------------------------------

  void AddFixer(Vertex p, std::string role,
                std::map<uint64_t, Fixer>* fixers) const {
    if (p == kNoVertex) return;
    Fixer& f = (*fixers)[g_.person(p).insz];
    f.person = p;
    if (std::find(f.roles.begin(), f.roles.end(), role) == f.roles.end()) {
      f.roles.push_back(std::move(role));
    }
  }
  void AddDomainManagers(Vertex d, std::map<uint64_t, Fixer>* fixers) const {
    if (d == kNoVertex) return;
    AddFixer(g_.domain(d).tb, "TB", fixers);
    for (Vertex co : g_.Sources(d, LinkKind::kCoTb)) {
      AddFixer(co, "co-TB", fixers);
    }
  }

  std::map<uint64_t, Fixer> Fixers(const Verdict& v, const Ties& ties) const {
    std::map<uint64_t, Fixer> fixers;
    const Vertex htb =
        v.enterprise == kNoVertex ? kNoVertex : g_.enterprise(v.enterprise).htb;
    const Vertex domain = v.subafdeling == kNoVertex
                              ? kNoVertex
                              : g_.subafdeling(v.subafdeling).domain;
    switch (v.reason) {
      case Reason::kNoHtb:
        for (Vertex wv :
             g_.Sources(v.enterprise, LinkKind::kLegalRepresentative)) {
          AddFixer(wv, "WV", &fixers);
        }
        break;
      case Reason::kCapacityInactive:
        AddFixer(htb, "HTB", &fixers);
        break;
      case Reason::kNoSubafdeling:
        AddFixer(htb, "HTB", &fixers);
        for (Vertex d : v.domains) AddDomainManagers(d, &fixers);
        break;
      case Reason::kApplicationNotAuthorized:
        AddFixer(htb, "HTB", &fixers);
        AddDomainManagers(domain, &fixers);
        break;
      case Reason::kNotAUser:
      case Reason::kRightMissing:
        if (v.subafdeling == kNoVertex) {  // a user nowhere
          for (Vertex e : ties.enterprises) {
            AddFixer(g_.enterprise(e).htb,
                     F("HTB van KBO {}", "HTB of KBO {}",
                       KboDisplay(g_.enterprise(e).kbo)),
                     &fixers);
          }
          break;
        }
        AddFixer(htb, "HTB", &fixers);
        AddDomainManagers(domain, &fixers);
        for (Vertex m : g_.Sources(v.subafdeling, LinkKind::kManager)) {
          AddFixer(m, L("subafdelingsbeheerder", "subafdeling manager"),
                   &fixers);
        }
        break;
      default:  // enterprise_inactive, facility_inactive: the registries
        break;
    }
    return fixers;
  }

  // Manual 1.1 / 3.6: an OCMW carries the application only on facilities
  // of the allowed types; empty when that does not stand in the way.
  std::string FacilityRuleNote(Vertex enterprise, Vertex facility) const {
    if (enterprise == kNoVertex || facility == kNoVertex) return "";
    const std::vector<Vertex> own =
        g_.Targets(enterprise, LinkKind::kOrganizes);
    auto has_type = [&](const std::vector<std::string>& types, Vertex f) {
      return std::find(types.begin(), types.end(), g_.facility(f).type_code) !=
             types.end();
    };
    for (const FacilityRule& r : cat_.facility_rules()) {
      if (r.application != app_) continue;
      const bool triggered = std::any_of(own.begin(), own.end(), [&](Vertex f) {
        return has_type(r.trigger_types, f);
      });
      if (!triggered || has_type(r.allowed_types, facility)) continue;
      std::string types, right;
      for (const std::string& t : r.allowed_types) {
        types += (types.empty() ? "" : L(" of ", " or ")) + t;
      }
      for (Vertex f : own) {
        if (!has_type(r.allowed_types, f)) continue;
        right += (right.empty() ? "" : ", ") + FacilityLabel(f);
      }
      if (right.empty()) right = L("(geen in CoBRHA)", "(none in CoBRHA)");
      return F(
          " Opgelet: {} is een OCMW en kan {} enkel activeren op een "
          "voorziening met zorgvoorzieningstype {}, zoals de "
          "voormalige afdeling Welzijn en Samenleving die in CoBRHA "
          "onderhoudt, niet op voorziening {} (type {}); gebruik {} "
          "(handleiding 1.1).",
          " Note: {} is an OCMW and can carry {} only on a facility of "
          "CoBRHA type {} as kept in CoBRHA by the former "
          "afdeling Welzijn en Samenleving, not on facility {} (type "
          "{}); use {} (manual 1.1).",
          EnterpriseLabel(enterprise), AppName(), types,
          FacilityLabel(facility), g_.facility(facility).type_code, right);
    }
    return "";
  }

  static constexpr const char* kEranovaNl =
      "ERANOVA, het contactcenter van eHealth (02-511 51 51, "
      "contactcenter@eranova.fgov.be)";
  static constexpr const char* kEranovaEn =
      "ERANOVA, the eHealth contact center (02-511 51 51, "
      "contactcenter@eranova.fgov.be)";

  // What failed, for the candidate.
  std::string FailureText(const Verdict& v, const Ties& ties) const {
    const std::string ent =
        v.enterprise == kNoVertex ? "" : EnterpriseLabel(v.enterprise);
    const std::string fac =
        v.facility == kNoVertex ? "" : FacilityLabel(v.facility);
    const std::string code = cat_.application(app_).code;
    switch (v.reason) {
      case Reason::kEnterpriseInactive: {
        const std::string what =
            v.enterprise == kNoVertex
                ? F("Voorwaarde 1 faalt: de onderneming (inrichtende macht) "
                    "van voorziening {} is niet gekend in de KBO.",
                    "Condition 1 fails: the enterprise (organizing body) of "
                    "facility {} is not known in the KBO.",
                    fac)
                : F("Voorwaarde 1 faalt: onderneming {} is stopgezet in de "
                    "KBO, dus geeft geen enkele subafdeling van die "
                    "onderneming toegang, ook niet voorziening {}.",
                    "Condition 1 fails: enterprise {} is stopped in the KBO, "
                    "so none of its subafdelingen grants access, facility {} "
                    "included.",
                    ent, fac);
        return what +
               F(" Handleiding 1.1: dit kan niet in het toegangsbeheer "
                 "worden opgelost; de onderneming moet in de KBO als actief "
                 "gekend zijn. Voor vragen over de onderneming: {}, met het "
                 "ondernemingsnummer bij de hand.",
                 " Manual 1.1: this cannot be fixed in access management; "
                 "the enterprise must be active in the KBO. For questions "
                 "about the enterprise: {}, with the enterprise number at "
                 "hand.",
                 L(kEranovaNl, kEranovaEn));
      }
      case Reason::kNoHtb:
        return F(
            "Voorwaarde 2 faalt: onderneming {} heeft nog geen "
            "hoofdtoegangsbeheerder (HTB), dus geeft geen enkele "
            "subafdeling ervan toegang (het gaat om voorziening {}). "
            "Handleiding 3.2: een wettelijk vertegenwoordiger (WV) van "
            "de onderneming stelt via CSAM \"Beheer der "
            "Toegangsbeheerders\" een hoofdtoegangsbeheerder aan: "
            "zichzelf, een andere WV of een werknemer (toegang htb "
            "appoint).",
            "Condition 2 fails: enterprise {} has no main access "
            "manager (HTB) yet, so none of its subafdelingen grants "
            "access (the candidate is facility {}). Manual 3.2: a legal "
            "representative (WV) of the enterprise appoints an HTB in "
            "CSAM \"Beheer der Toegangsbeheerders\": themselves, "
            "another WV or an employee (toegang htb appoint).",
            ent, fac);
      case Reason::kCapacityInactive:
        return F(
            "Voorwaarde 3 faalt: de hoedanigheid {} is niet geactiveerd "
            "voor onderneming {} (het gaat om voorziening {}). "
            "Handleiding 3.4: de hoofdtoegangsbeheerder (HTB) activeert "
            "de hoedanigheid {} via CSAM \"Beheer der "
            "Toegangsbeheerders\" (toegang hoedanigheid activate).",
            "Condition 3 fails: the capacity (hoedanigheid) {} is not "
            "active for enterprise {} (the candidate is facility {}). "
            "Manual 3.4: the main access manager (HTB) activates the "
            "capacity {} in CSAM \"Beheer der Toegangsbeheerders\" "
            "(toegang hoedanigheid activate).",
            CapacityName(), ent, fac, CapacityName());
      case Reason::kFacilityInactive: {
        std::string what;
        if (v.facility == kNoVertex) {
          what =
              F("Voorwaarde 4 faalt: voorziening HCO {} is niet gekend in "
                "CoBRHA, dus is ook haar onderneming (inrichtende macht) "
                "niet gekend.",
                "Condition 4 fails: facility HCO {} is not known in "
                "CoBRHA, so its enterprise (organizing body) is not known "
                "either.",
                hco_);
        } else if (g_.facility(v.facility).active) {
          // Active, but CoBRHA lists another organizer now.
          const Vertex now = g_.facility(v.facility).enterprise;
          what =
              F("Voorwaarde 4 faalt: voorziening {} wordt in CoBRHA nu "
                "ingericht door {}, niet meer door onderneming {}; de "
                "subafdeling van {} geeft daarom geen toegang meer. De "
                "nieuwe inrichtende macht activeert de voorziening als "
                "subafdeling (handleiding 3.6).",
                "Condition 4 fails: facility {} is now organized by {} in "
                "CoBRHA, no longer by enterprise {}; the subafdeling of {} "
                "therefore grants no access any more. The new organizing "
                "enterprise activates the facility as a subafdeling "
                "(manual 3.6).",
                fac,
                now == kNoVertex ? std::string(L("een onbekende "
                                                 "onderneming",
                                                 "an unknown enterprise"))
                                 : EnterpriseLabel(now),
                ent, ent);
        } else {
          what =
              F("Voorwaarde 4 faalt: voorziening {} van onderneming {} is "
                "gesloten in CoBRHA, en een gesloten voorziening geeft "
                "geen toegang.",
                "Condition 4 fails: facility {} of enterprise {} is closed "
                "in CoBRHA, and a closed facility grants no access.",
                fac, ent);
        }
        return what +
               F(" Handleiding 1.1: dit kan niet in het toegangsbeheer "
                 "worden opgelost; kijk het HCO-nummer na in CoBRHA "
                 "(https://publiek.departementzorg.be/Cobrha). Is de "
                 "voorziening een maatwerkbedrijf dat nog niet gekend is in "
                 "CoBRHA, neem dan eerst contact op met "
                 "zorgenwerk.zorg@vlaanderen.be. Voor vragen over de "
                 "voorziening: {}, met het ondernemingsnummer en het "
                 "HCO-nummer bij de hand.",
                 " Manual 1.1: this cannot be fixed in access management; "
                 "check the HCO number in CoBRHA "
                 "(https://publiek.departementzorg.be/Cobrha). If the "
                 "facility is a maatwerkbedrijf (sheltered workshop) not yet "
                 "known in CoBRHA, first contact "
                 "zorgenwerk.zorg@vlaanderen.be. For questions about the "
                 "facility: {}, with the enterprise number and the HCO "
                 "number at hand.",
                 L(kEranovaNl, kEranovaEn));
      }
      case Reason::kNoSubafdeling:
        return F(
            "Voorwaarde 4 faalt: voorziening {} is nog geen subafdeling "
            "van onderneming {} in de hoedanigheid {}. Handleiding 3.6: "
            "de hoofdtoegangsbeheerder (HTB) of een toegangsbeheerder "
            "(TB) van het domein activeert de voorziening als "
            "subafdeling van het type {} en vinkt de autorisatie {} aan "
            "(toegang subafdeling create --authorize {}); daarna voegt "
            "een beheerder de gebruiker toe met dat recht (handleiding "
            "3.7).{}",
            "Condition 4 fails: facility {} is not yet a subafdeling of "
            "enterprise {} in the capacity (hoedanigheid) {}. Manual "
            "3.6: the main access manager (HTB) or an access manager "
            "(TB) of the domain activates the facility as a subafdeling "
            "of type {} and ticks the authorization {} (toegang "
            "subafdeling create --authorize {}); then a manager adds the "
            "user with that right (manual 3.7).{}",
            fac, ent, CapacityName(), SubdivisionNames(v.domains), AppName(),
            code, FacilityRuleNote(v.enterprise, v.facility));
      case Reason::kApplicationNotAuthorized:
        return F(
            "Voorwaarde 5 faalt: subafdeling {} van onderneming {} is "
            "niet geautoriseerd voor {}. Handleiding 3.6 (\"Je hebt al "
            "een subafdeling\"): de hoofdtoegangsbeheerder (HTB) of een "
            "toegangsbeheerder (TB) van het domein {} vinkt bij de "
            "subafdeling de toepassing {} aan (toegang subafdeling "
            "authorize --hco {} --app {}).{}",
            "Condition 5 fails: subafdeling {} of enterprise {} is not "
            "authorized for {}. Manual 3.6 (\"you already have a "
            "subafdeling\"): the main access manager (HTB) or an access "
            "manager (TB) of domain {} ticks the application {} on the "
            "subafdeling (toegang subafdeling authorize --hco {} --app "
            "{}).{}",
            fac, ent, AppName(),
            DomainLabel(g_.subafdeling(v.subafdeling).domain), AppName(),
            g_.facility(v.facility).hco, code,
            FacilityRuleNote(v.enterprise, v.facility));
      case Reason::kNotAUser:
        if (v.subafdeling == kNoVertex) return NowhereText(ties);
        return F(
            "Voorwaarde 6 faalt: {} is geen gebruiker van subafdeling "
            "{} van onderneming {}. Handleiding 3.7: de "
            "hoofdtoegangsbeheerder (HTB), een toegangsbeheerder (TB) "
            "van het domein of een subafdelingsbeheerder voegt {} toe "
            "als gebruiker van de subafdeling met het recht {} (toegang "
            "user add --hco {} --insz {:011} --right {}).",
            "Condition 6 fails: {} is not a user of subafdeling {} of "
            "enterprise {}. Manual 3.7: the main access manager (HTB), "
            "an access manager (TB) of the domain or a manager of the "
            "subafdeling adds {} as a user of the subafdeling with the "
            "right {} (toegang user add --hco {} --insz {:011} --right "
            "{}).",
            InszLabel(insz_), fac, ent, InszLabel(insz_), AppName(),
            g_.facility(v.facility).hco, insz_, code);
      case Reason::kRightMissing:
        return F(
            "Voorwaarde 7 faalt: {} is gebruiker van subafdeling {} van "
            "onderneming {}, maar heeft er het recht {} niet. "
            "Handleiding 3.7: de hoofdtoegangsbeheerder (HTB), een "
            "toegangsbeheerder (TB) van het domein of een "
            "subafdelingsbeheerder kent {} het recht {} toe (toegang "
            "user grant --hco {} --insz {:011} --right {}).",
            "Condition 7 fails: {} is a user of subafdeling {} of "
            "enterprise {} but does not hold the right {} there. Manual "
            "3.7: the main access manager (HTB), an access manager (TB) "
            "of the domain or a manager of the subafdeling grants {} "
            "the right {} (toegang user grant --hco {} --insz {:011} "
            "--right {}).",
            InszLabel(insz_), fac, ent, AppName(), InszLabel(insz_), AppName(),
            g_.facility(v.facility).hco, insz_, code);
      case Reason::kNone:
        break;
    }
    return "";
  }

  // Not a user of any subafdeling.
  std::string NowhereText(const Ties& ties) const {
    std::string out =
        F("Voorwaarde 6 faalt: {} is van geen enkele subafdeling gebruiker. "
          "Handleiding 3.7: een beheerder van de subafdeling van de "
          "voorziening (de hoofdtoegangsbeheerder (HTB), een "
          "toegangsbeheerder (TB) van het domein of een "
          "subafdelingsbeheerder) voegt {} toe als gebruiker met het recht {}.",
          "Condition 6 fails: {} is not a user of any subafdeling. Manual 3.7: "
          "a manager of the facility's subafdeling (the main access manager "
          "(HTB), an access manager (TB) of the domain or a manager of the "
          "subafdeling) adds {} as a user with the right {}.",
          InszLabel(insz_), InszLabel(insz_), AppName());
    if (ties.enterprises.empty()) {
      return out + F(" Het model verbindt {} met geen enkele onderneming: "
                     "vraag het aan de hoofdtoegangsbeheerder (HTB) van de "
                     "onderneming waarvoor de persoon werkt; {} kan aan de "
                     "hand van het ondernemingsnummer zeggen wie dat is.",
                     " The model ties {} to no enterprise: ask the main "
                     "access manager (HTB) of the enterprise the person works "
                     "for; {} can tell who that is from the enterprise "
                     "number.",
                     InszLabel(insz_), L(kEranovaNl, kEranovaEn));
    }
    std::string where;
    for (Vertex e : ties.enterprises) {
      where += (where.empty() ? "" : ", ") + EnterpriseLabel(e);
    }
    return out + F(" Waar vragen: {} is verbonden aan {}; vraag het daar.",
                   " Where to ask: {} is tied to {}; ask there.",
                   InszLabel(insz_), where);
  }

  std::string FixerText(const Verdict& v, const Ties& ties,
                        const std::map<uint64_t, Fixer>& fixers) const {
    if (v.reason == Reason::kEnterpriseInactive) {
      return L(
          " Niemand in het toegangsbeheer kan dit oplossen: het is een "
          "gegeven van de KBO.",
          " Nobody in access management can fix this: it is a fact of "
          "the KBO.");
    }
    if (v.reason == Reason::kFacilityInactive) {
      return L(
          " Niemand in het toegangsbeheer kan dit oplossen: het is een "
          "gegeven van CoBRHA.",
          " Nobody in access management can fix this: it is a fact of "
          "CoBRHA.");
    }
    if (fixers.empty()) {
      if (v.reason == Reason::kNoHtb) {
        return F(
            " Het model kent geen wettelijk vertegenwoordiger (WV) van "
            "de onderneming; {} kan aan de hand van het "
            "ondernemingsnummer zeggen wie dat is.",
            " The model knows no legal representative (WV) of the "
            "enterprise; {} can tell who that is from the enterprise "
            "number.",
            L(kEranovaNl, kEranovaEn));
      }
      if (v.subafdeling == kNoVertex && v.reason == Reason::kNotAUser) {
        // A user nowhere: NowhereText said where to ask.
        if (ties.enterprises.empty()) return "";
        return L(
            " Geen van die ondernemingen heeft al een "
            "hoofdtoegangsbeheerder (HTB); een wettelijk "
            "vertegenwoordiger (WV) stelt er eerst een aan (handleiding "
            "3.2).",
            " None of those enterprises has a main access manager (HTB) "
            "yet; a legal representative (WV) appoints one first "
            "(manual 3.2).");
      }
      return F(
          " Het model kent (nog) niemand die dit kan oplossen; voor "
          "hulp: {}.",
          " The model knows nobody (yet) who can fix this; for help: "
          "{}.",
          L(kEranovaNl, kEranovaEn));
    }
    std::string who;
    for (const auto& [insz, f] : fixers) {
      std::string roles;
      for (const std::string& r : f.roles) {
        roles += (roles.empty() ? "" : ", ") + r;
      }
      const std::string_view name = g_.person(f.person).name;
      who += (who.empty() ? "" : ", ") +
             (name.empty()
                  ? fmt::format("{} ({})", InszDisplay(insz), roles)
                  : fmt::format("{} ({}, {})", name, InszDisplay(insz), roles));
    }
    return F(" Wie dit kan oplossen: {}.", " Who can fix it: {}.", who);
  }

  void Denied(const Ties& ties, Explanation* out) const {
    Verdict v;
    if (!hco_.empty()) {
      v = WalkFacility();
    } else if (!ties.user_of.empty()) {
      v = Closest(ties.user_of);
    } else {
      v.reason = Reason::kNotAUser;  // a user nowhere
      for (Vertex e : ties.enterprises) {
        out->where_to_ask.push_back(KboDigits(g_.enterprise(e).kbo));
      }
    }
    // Every condition holds only when check allows (Evaluate mirrors
    // GrantingFacilities); keep a reason all the same.
    if (v.reason == Reason::kNone) v.reason = Reason::kRightMissing;
    const ReasonInfo info = Info(v.reason);
    out->reason = info.code;
    out->condition = info.condition;
    out->manual = info.manual;
    if (v.enterprise != kNoVertex) {
      out->candidate_kbo = KboDigits(g_.enterprise(v.enterprise).kbo);
    }
    if (v.facility != kNoVertex) {
      out->candidate_hco = g_.facility(v.facility).hco;
    } else if (!hco_.empty()) {
      out->candidate_hco = hco_;
    }
    const std::map<uint64_t, Fixer> fixers = Fixers(v, ties);
    for (const auto& [insz, f] : fixers) out->fixers.push_back(Ref(f.person));

    std::string opening =
        hco_.empty()
            ? F("{} mag de toepassing {} niet gebruiken (revisie {}).",
                "{} may not use the application {} (revision {}).",
                InszLabel(insz_), AppName(), revision_)
            : F("{} mag de toepassing {} niet gebruiken via voorziening HCO "
                "{} (revisie {}).",
                "{} may not use the application {} through facility HCO {} "
                "(revision {}).",
                InszLabel(insz_), AppName(), hco_, revision_);
    out->summary =
        opening + " " + FailureText(v, ties) + FixerText(v, ties, fixers);
  }

  const DelegationGraph& g_;
  const Catalogue& cat_;
  const uint64_t insz_;
  const Vertex person_;
  const AppId app_;
  const std::string hco_;
  const bool nl_;
  const uint64_t revision_;
};

}  // namespace

Explanation ExplainDecision(const DelegationGraph& graph, uint64_t insz,
                            AppId app, const std::string& hco, Lang lang,
                            uint64_t revision) {
  return Explainer(graph, insz, app, hco, lang, revision).Run();
}

}  // namespace toegang
