// graph(kbo): one enterprise's delegation graph as GraphViz DOT.
//
// The enterprise's part of the federation (the enterprise, its WVs and
// HTB, its domains with their TB and co-TBs, its facilities, its
// subafdelingen with their managers and users) is copied into a small
// graph of its own in a canonical order (by kind, then KBO, INSZ, HCO,
// domain or subafdeling id), so that the text is the same whatever order
// the model holds its vertices in (a full load, a part, a model changed
// since), and written with boost::write_graphviz and property writers
// that label and colour each vertex and edge, in Dutch or English. Persons
// appear by name and masked INSZ only. What stops access is red: a stopped
// enterprise or one without HTB, a closed facility, a subafdeling whose
// capacity is inactive or that carries no application, and a right its
// subafdeling no longer grants. A large enterprise (GraphOptions) is drawn
// in summary: each subafdeling's users and rights as one counting vertex,
// so that the picture stays readable and Graphviz can lay it out.
#include "rules/graph_dot.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "model/text_forms.h"
#include "toegang/identifiers.h"
#include "toegang/labels.h"
#include "toegang/text.h"

namespace toegang {
namespace {

// One line of a label as the inside of a DOT quoted string: first shown
// as toegang/text.h shows any name (control characters, bidirectional
// controls, line separators and bytes that are not UTF-8 as \x.. or \u....
// escapes, so that a name cannot reorder the label or hide text), then
// quotes and backslashes escaped for DOT (so that a name cannot end the
// string or start a GraphViz escape such as \N).
std::string EscapeLine(std::string_view text) {
  const std::string shown = DisplayText(text);
  std::string out;
  out.reserve(shown.size());
  for (const char c : shown) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// A quoted DOT string of lines, joined by GraphViz's centred line break.
std::string Quoted(const std::vector<std::string>& lines) {
  std::string out = "\"";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += "\\n";
    out += EscapeLine(lines[i]);
  }
  return out + "\"";
}

std::string MaskedInsz(uint64_t insz) {
  Result<Insz> i = Insz::FromValue(insz);
  return i.ok() ? i->Masked() : std::string("**.**.**-***.**");
}

constexpr const char* kBroken = ", color=red, fontcolor=red, penwidth=2";

// Conditions 1-5 of SPEC 4.5 for one subafdeling and application: whether
// a right for app there gives access (conditions 6 and 7 are the right
// edge itself). Mirrors DelegationGraph::GrantingFacilities.
bool Grants(const DelegationGraph& g, Vertex s, AppId app) {
  const SubafdelingData& sub = g.subafdeling(s);
  if (((sub.authorizations >> app) & 1U) == 0) return false;
  const FacilityData& f = g.facility(sub.facility);
  const DomainData& d = g.domain(sub.domain);
  if (!f.active || f.enterprise != d.enterprise) return false;
  const EnterpriseData& e = g.enterprise(d.enterprise);
  return e.active && e.htb != kNoVertex &&
         g.CapacityActive(d.enterprise, d.capacity);
}

// What a summary draws for one subafdeling instead of its users.
struct Counted {
  Vertex subafdeling = kNoVertex;
  size_t users = 0;
  size_t rights = 0;
  size_t not_granting = 0;  // rights the subafdeling no longer grants
};

// How many user and right links hang on the enterprise's subafdelingen.
size_t UsersAndRights(const DelegationGraph& g, Vertex enterprise) {
  size_t n = 0;
  for (Vertex d : g.Targets(enterprise, LinkKind::kDomain)) {
    for (Vertex s : g.Targets(d, LinkKind::kSubafdeling)) {
      for (auto [it, end] = in_edges(s, g.graph()); it != end; ++it) {
        const LinkKind k = g.graph()[*it].kind;
        n += k == LinkKind::kUser || k == LinkKind::kRight ? 1 : 0;
      }
    }
  }
  return n;
}

// The vertices of one enterprise's delegation graph (in a summary, the
// persons who are only users are left out and counted).
class EnterpriseVertices {
 public:
  EnterpriseVertices(const DelegationGraph& g, Vertex enterprise, bool summary)
      : keep_(num_vertices(g.graph()), false), summary_(summary) {
    Keep(enterprise);
    for (Vertex p : g.Sources(enterprise, LinkKind::kLegalRepresentative)) {
      Keep(p);
    }
    Keep(g.enterprise(enterprise).htb);
    for (Vertex f : g.Targets(enterprise, LinkKind::kOrganizes)) Keep(f);
    for (Vertex d : g.Targets(enterprise, LinkKind::kDomain)) {
      Keep(d);
      for (Vertex p : g.Sources(d, LinkKind::kTb)) Keep(p);
      for (Vertex p : g.Sources(d, LinkKind::kCoTb)) Keep(p);
      for (Vertex s : g.Targets(d, LinkKind::kSubafdeling)) {
        Keep(s);
        // Its facility even when CoBRHA now lists it under another
        // organizer: that is what broke it.
        Keep(g.subafdeling(s).facility);
        for (Vertex p : g.Sources(s, LinkKind::kManager)) Keep(p);
        if (summary) {
          counted_.push_back(Count(g, s));
          continue;
        }
        for (Vertex p : g.Sources(s, LinkKind::kUser)) Keep(p);
        for (Vertex p : g.Sources(s, LinkKind::kRight)) Keep(p);
      }
    }
  }

  // Each kept vertex once, in the order they were found.
  const std::vector<Vertex>& kept() const { return kept_; }
  // A summary's counts, per subafdeling with users or rights.
  const std::vector<Counted>& counted() const { return counted_; }
  bool summary() const { return summary_; }

 private:
  void Keep(Vertex v) {
    if (v != kNoVertex && v < keep_.size() && !keep_[v]) {
      keep_[v] = true;
      kept_.push_back(v);
    }
  }

  static Counted Count(const DelegationGraph& g, Vertex s) {
    Counted c;
    c.subafdeling = s;
    for (auto [it, end] = in_edges(s, g.graph()); it != end; ++it) {
      const Link& l = g.graph()[*it];
      if (l.kind == LinkKind::kUser) ++c.users;
      if (l.kind != LinkKind::kRight) continue;
      ++c.rights;
      if (!Grants(g, s, l.app)) ++c.not_granting;
    }
    return c;
  }

  std::vector<bool> keep_;
  std::vector<Vertex> kept_;
  std::vector<Counted> counted_;
  bool summary_;
};

// Where a vertex goes in the picture: by kind, then by what names it.
std::tuple<int, uint64_t, std::string> CanonicalKey(const DelegationGraph& g,
                                                    Vertex v) {
  switch (g.graph()[v].kind) {
    case NodeKind::kEnterprise:
      return {0, g.enterprise(v).kbo, {}};
    case NodeKind::kPerson:
      return {1, g.person(v).insz, {}};
    case NodeKind::kFacility:
      return {2, 0, g.facility(v).hco};
    case NodeKind::kDomain: {
      const DomainData& d = g.domain(v);
      return {3, (uint64_t{d.capacity} << 32) | d.subdivision,
              g.enterprise(d.enterprise).name};
    }
    case NodeKind::kSubafdeling:
      return {4, static_cast<uint64_t>(g.subafdeling(v).id), {}};
  }
  return {5, v, {}};
}

// The enterprise's part, copied in canonical order: each vertex holds the
// model's vertex, each edge the model's link and target.
struct PictureVertex {
  Vertex model = kNoVertex;  // kNoVertex: a summary's counting vertex
  Counted counted;
};
struct PictureEdge {
  Link link;
  Vertex model_target = kNoVertex;
  bool counted = false;  // from a counting vertex to its subafdeling
};
// bidirectionalS keeps the edges in one list, in the order added, which
// write_graphviz then follows.
using Picture =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                          PictureVertex, PictureEdge>;

Picture CanonicalPicture(const DelegationGraph& graph,
                         const EnterpriseVertices& keep) {
  std::vector<Vertex> order = keep.kept();
  std::sort(order.begin(), order.end(), [&](Vertex a, Vertex b) {
    return CanonicalKey(graph, a) < CanonicalKey(graph, b);
  });
  Picture picture(order.size());
  std::unordered_map<Vertex, size_t> index;
  for (size_t i = 0; i < order.size(); ++i) {
    picture[i].model = order[i];
    index[order[i]] = i;
  }
  struct Found {
    size_t source, target;
    LinkKind kind;
    AppId app;
    Link link;
  };
  std::vector<Found> found;
  const Graph& g = graph.graph();
  for (size_t i = 0; i < order.size(); ++i) {
    for (auto [it, end] = out_edges(order[i], g); it != end; ++it) {
      const auto t = index.find(target(*it, g));
      if (t == index.end()) continue;  // outside the enterprise's part
      const Link& l = g[*it];
      if (keep.summary() &&
          (l.kind == LinkKind::kUser || l.kind == LinkKind::kRight)) {
        continue;  // counted instead
      }
      found.push_back({i, t->second, l.kind, l.app, l});
    }
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::tie(a.source, a.target, a.kind, a.app) <
           std::tie(b.source, b.target, b.kind, b.app);
  });
  for (const Found& f : found) {
    boost::add_edge(f.source, f.target,
                    PictureEdge{f.link, picture[f.target].model, false},
                    picture);
  }
  // A summary's counting vertices last, in subafdeling order.
  std::vector<Counted> counted = keep.counted();
  std::sort(counted.begin(), counted.end(),
            [&](const Counted& a, const Counted& b) {
              return graph.subafdeling(a.subafdeling).id <
                     graph.subafdeling(b.subafdeling).id;
            });
  for (const Counted& c : counted) {
    if (c.users == 0 && c.rights == 0) continue;
    const size_t v = boost::add_vertex(PictureVertex{kNoVertex, c}, picture);
    Link link;
    link.kind = LinkKind::kUser;
    boost::add_edge(v, index.at(c.subafdeling),
                    PictureEdge{link, c.subafdeling, true}, picture);
  }
  return picture;
}

// The labels' language.
class Words {
 public:
  explicit Words(Lang lang) : nl_(lang == Lang::kNl) {}
  const char* operator()(const char* nl, const char* en) const {
    return nl_ ? nl : en;
  }

 private:
  bool nl_;
};

class VertexWriter {
 public:
  VertexWriter(const DelegationGraph& g, const Picture& picture, Words w)
      : g_(g), picture_(picture), w_(w) {}

  void operator()(std::ostream& out, size_t at) const {
    const Vertex v = picture_[at].model;
    const Catalogue& cat = g_.catalogue();
    std::vector<std::string> lines;
    std::string shape = "box";
    bool broken = false;
    if (v == kNoVertex) {
      const Counted& c = picture_[at].counted;
      lines = {
          fmt::format(fmt::runtime(w_("{} gebruikers", "{} users")), c.users),
          fmt::format(fmt::runtime(w_("{} rechten", "{} rights")), c.rights)};
      if (c.not_granting > 0) {
        lines.push_back(fmt::format(
            fmt::runtime(w_("{} geven geen toegang", "{} not granting")),
            c.not_granting));
      }
      out << "[label=" << Quoted(lines) << ", shape=component"
          << (c.not_granting > 0 ? kBroken : "") << "]";
      return;
    }
    switch (g_.graph()[v].kind) {
      case NodeKind::kPerson: {
        const PersonView p = g_.person(v);
        lines = {p.name.empty() ? w_("(naam onbekend)", "(name unknown)")
                                : std::string(p.name),
                 MaskedInsz(p.insz)};
        shape = "ellipse";
        break;
      }
      case NodeKind::kEnterprise: {
        const EnterpriseData& e = g_.enterprise(v);
        lines = {
            e.name.empty() ? w_("(naam onbekend)", "(name unknown)") : e.name,
            "KBO " + KboDisplay(e.kbo)};
        if (!e.active)
          lines.push_back(w_("gestopt in de KBO", "stopped in the KBO"));
        if (e.htb == kNoVertex) lines.push_back(w_("geen HTB", "no HTB"));
        broken = !e.active || e.htb == kNoVertex;
        shape = "box3d";
        break;
      }
      case NodeKind::kFacility: {
        const FacilityData& f = g_.facility(v);
        lines = {"HCO " + f.hco + " " + f.name, "type " + f.type_code};
        if (!f.active)
          lines.push_back(w_("gesloten in CoBRHA", "closed in CoBRHA"));
        broken = !f.active;
        shape = "house";
        break;
      }
      case NodeKind::kDomain: {
        const DomainData& d = g_.domain(v);
        lines = {w_("domein", "domain"), cat.capacity(d.capacity).name,
                 cat.subdivision(d.subdivision).name};
        if (!g_.CapacityActive(d.enterprise, d.capacity)) {
          lines.push_back(
              w_("hoedanigheid niet actief", "capacity not active"));
          broken = true;
        }
        shape = "folder";
        break;
      }
      case NodeKind::kSubafdeling: {
        const SubafdelingData& s = g_.subafdeling(v);
        const DomainData& d = g_.domain(s.domain);
        const FacilityData& f = g_.facility(s.facility);
        std::string apps;
        for (size_t a = 0; a < cat.application_count(); ++a) {
          if ((s.authorizations >> a) & 1U) {
            apps += (apps.empty() ? "" : ", ") +
                    cat.application(static_cast<AppId>(a)).code;
          }
        }
        lines = {
            "subafdeling HCO " + f.hco,
            apps.empty() ? w_("geen toepassingen", "no applications") : apps};
        const bool capacity = g_.CapacityActive(d.enterprise, d.capacity);
        if (!capacity) {
          lines.push_back(
              w_("hoedanigheid niet actief", "capacity not active"));
        }
        if (f.enterprise != d.enterprise) {
          lines.push_back(w_("voorziening niet meer van deze onderneming",
                             "facility no longer of this enterprise"));
        }
        broken = !capacity || apps.empty() || f.enterprise != d.enterprise;
        shape = "note";
        break;
      }
    }
    out << "[label=" << Quoted(lines) << ", shape=" << shape
        << (broken ? kBroken : "") << "]";
  }

 private:
  const DelegationGraph& g_;
  const Picture& picture_;
  Words w_;
};

class EdgeWriter {
 public:
  EdgeWriter(const DelegationGraph& g, const Picture& picture, Words w)
      : g_(g), picture_(picture), w_(w) {}

  void operator()(std::ostream& out, Picture::edge_descriptor e) const {
    const Link& l = picture_[e].link;
    std::string label;
    bool broken = false;
    const char* style = "solid";
    if (picture_[e].counted) {
      out << "[label=" << Quoted({w_("gebruikers", "users")})
          << ", style=solid]";
      return;
    }
    switch (l.kind) {
      case LinkKind::kLegalRepresentative:
        label = "wv";
        break;
      case LinkKind::kEmployee:
        label = w_("werknemer", "employee");
        style = "dotted";
        break;
      case LinkKind::kHtb:
        label = "htb";
        break;
      case LinkKind::kOrganizes:
        label = w_("organiseert", "organizes");
        style = "dashed";
        break;
      case LinkKind::kDomain:
        label = w_("domein", "domain");
        break;
      case LinkKind::kTb:
        label = "tb";
        break;
      case LinkKind::kCoTb:
        label = "co-TB";
        break;
      case LinkKind::kSubafdeling:
        label = "subafdeling";
        break;
      case LinkKind::kAt:
        label = w_("op", "at");
        style = "dashed";
        break;
      case LinkKind::kManager:
        label = w_("beheerder", "manager");
        break;
      case LinkKind::kUser:
        label = w_("gebruiker", "user");
        break;
      case LinkKind::kRight:
        label =
            w_("recht: ", "right: ") + g_.catalogue().application(l.app).code;
        broken = !Grants(g_, picture_[e].model_target, l.app);
        break;
    }
    out << "[label=" << Quoted({label}) << ", style=" << style
        << (broken ? kBroken : "") << "]";
  }

 private:
  const DelegationGraph& g_;
  const Picture& picture_;
  Words w_;
};

class GraphWriter {
 public:
  GraphWriter(const DelegationGraph& g, Vertex enterprise, bool summary,
              Words w)
      : g_(g), enterprise_(enterprise), summary_(summary), w_(w) {}

  void operator()(std::ostream& out) const {
    const EnterpriseData& e = g_.enterprise(enterprise_);
    std::vector<std::string> title = {
        "toegang: " + EnterpriseLabel(e.name, KboDisplay(e.kbo))};
    if (summary_) {
      title.push_back(w_("samenvatting: de gebruikers geteld per subafdeling",
                         "summary: the users counted per subafdeling"));
    }
    out << "graph [rankdir=LR, charset=\"UTF-8\", fontname=\"Helvetica\", "
           "labelloc=t, label="
        << Quoted(title) << "];\n"
        << "node [fontname=\"Helvetica\", fontsize=10];\n"
        << "edge [fontname=\"Helvetica\", fontsize=9];\n";
  }

 private:
  const DelegationGraph& g_;
  Vertex enterprise_;
  bool summary_;
  Words w_;
};

}  // namespace

std::string EnterpriseDot(const DelegationGraph& graph, Vertex enterprise,
                          const GraphOptions& options) {
  using Detail = GraphOptions::Detail;
  const bool summary =
      options.detail == Detail::kSummary ||
      (options.detail == Detail::kAuto &&
       UsersAndRights(graph, enterprise) > GraphOptions::kSummaryAbove);
  const Words words(options.lang);
  const Picture picture =
      CanonicalPicture(graph, EnterpriseVertices(graph, enterprise, summary));
  std::ostringstream out;
  // write_graphviz quotes every vertex id through one function-local
  // static Boost.Xpressive regex, which is not documented as safe to match
  // from several threads at once; graph exports are rare, so they take
  // turns (check and the other queries are not affected).
  static std::mutex writing;
  std::lock_guard<std::mutex> lock(writing);
  boost::write_graphviz(out, picture, VertexWriter(graph, picture, words),
                        EdgeWriter(graph, picture, words),
                        GraphWriter(graph, enterprise, summary, words));
  return out.str();
}

}  // namespace toegang
