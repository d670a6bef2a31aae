#include "rules/name_index.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <tuple>
#include <utility>

#include "model/text_forms.h"
#include "rules/cards.h"
#include "toegang/error_codes.h"

namespace toegang {
namespace {

// Kinds in key order: "enterprise" < "person", as FindNames compares the
// kind's text.
enum : uint8_t { kEnterpriseKind = 0, kPersonKind = 1 };

unsigned char Fold(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

std::string Folded(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(Fold(static_cast<unsigned char>(c)));
  return out;
}

// <0, 0, >0 as Folded(name) compares with `folded` (bytes unsigned, as
// std::string compares them), without making the folded copy.
int CompareFolded(std::string_view name, std::string_view folded) {
  const size_t n = std::min(name.size(), folded.size());
  for (size_t i = 0; i < n; ++i) {
    const unsigned char a = Fold(static_cast<unsigned char>(name[i]));
    const unsigned char b = static_cast<unsigned char>(folded[i]);
    if (a != b) return a < b ? -1 : 1;
  }
  if (name.size() == folded.size()) return 0;
  return name.size() < folded.size() ? -1 : 1;
}

bool StartsFolded(std::string_view name, std::string_view folded) {
  return name.size() >= folded.size() &&
         CompareFolded(name.substr(0, folded.size()), folded) == 0;
}

// A vertex of the index as its key reads it from the graph.
struct Named {
  std::string_view name;
  uint8_t kind;
  uint64_t id;  // INSZ or KBO: fixed width, so numbers order as digits do
};

Named NamedAt(const DelegationGraph& graph, uint32_t v) {
  if (graph.graph()[v].kind == NodeKind::kPerson) {
    const PersonView p = graph.person(v);
    return {p.name, kPersonKind, p.insz};
  }
  const EnterpriseData& e = graph.enterprise(v);
  return {e.name, kEnterpriseKind, e.kbo};
}

// While sorting: the folded name's first 8 bytes as a big-endian number
// (most comparisons end there) and the rest in one arena.
struct BuildEntry {
  uint64_t head;
  uint32_t offset, length;  // of the folded name in the arena
  uint8_t kind;
  uint64_t id;
  uint32_t vertex;
};

uint64_t Head(std::string_view folded) {
  uint64_t head = 0;
  for (size_t i = 0; i < 8; ++i) {
    head = (head << 8) |
           (i < folded.size() ? static_cast<unsigned char>(folded[i]) : 0u);
  }
  return head;
}

}  // namespace

std::shared_ptr<const NameIndex> NameIndex::Build(
    const DelegationGraph& graph) {
  std::string arena;
  std::vector<BuildEntry> entries;
  entries.reserve(graph.person_count() + graph.enterprise_count());
  const Graph& g = graph.graph();
  for (auto [it, end] = vertices(g); it != end; ++it) {
    const NodeKind kind = g[*it].kind;
    if (kind != NodeKind::kPerson && kind != NodeKind::kEnterprise) continue;
    const uint32_t v = static_cast<uint32_t>(*it);
    const Named named = NamedAt(graph, v);
    if (named.name.empty()) continue;  // never a hit: a prefix has 2 bytes
    const size_t offset = arena.size();
    for (char c : named.name) {
      arena.push_back(static_cast<char>(Fold(static_cast<unsigned char>(c))));
    }
    entries.push_back(BuildEntry{Head(std::string_view(arena).substr(offset)),
                                 static_cast<uint32_t>(offset),
                                 static_cast<uint32_t>(named.name.size()),
                                 named.kind, named.id, v});
  }
  std::sort(entries.begin(), entries.end(),
            [&arena](const BuildEntry& a, const BuildEntry& b) {
              if (a.head != b.head) return a.head < b.head;
              const std::string_view an(arena.data() + a.offset, a.length);
              const std::string_view bn(arena.data() + b.offset, b.length);
              if (const int c = an.compare(bn); c != 0) return c < 0;
              return std::tie(a.kind, a.id) < std::tie(b.kind, b.id);
            });
  auto index = std::make_shared<NameIndex>();
  index->vertices_.reserve(entries.size());
  for (const BuildEntry& e : entries) index->vertices_.push_back(e.vertex);
  return index;
}

Result<Page<NameHit>> NameIndex::Find(const DelegationGraph& graph,
                                      std::string_view prefix,
                                      const PageRequest& page,
                                      uint64_t revision) const {
  const std::string folded = Folded(prefix);
  if (folded.size() < 2) {
    return Status::InvalidInput(
        code::kUsage, "a name search needs at least 2 characters of the name");
  }
  auto begin =
      std::partition_point(vertices_.begin(), vertices_.end(), [&](uint32_t v) {
        return CompareFolded(NamedAt(graph, v).name, folded) < 0;
      });
  // The cursor names the last hit, "p" + INSZ or "e" + KBO; the page
  // starts after that hit's key (folded name, kind, id).
  if (!page.cursor.empty()) {
    Result<Vertex> v = NameCursorVertex(graph, page.cursor);
    if (!v.ok()) return v.status();
    const Named after = NamedAt(graph, static_cast<uint32_t>(*v));
    const std::string after_name = Folded(after.name);
    begin = std::partition_point(begin, vertices_.end(), [&](uint32_t w) {
      const Named n = NamedAt(graph, w);
      const int c = CompareFolded(n.name, after_name);
      if (c != 0) return c < 0;
      return std::tie(n.kind, n.id) <= std::tie(after.kind, after.id);
    });
  }
  Page<NameHit> out;
  out.revision = revision;
  for (auto it = begin; it != vertices_.end(); ++it) {
    const Named n = NamedAt(graph, *it);
    if (!StartsFolded(n.name, folded)) break;
    if (out.items.size() == page.limit) {
      if (!out.items.empty()) {
        const NameHit& last = out.items.back();
        out.next_cursor = (last.kind == "person" ? "p" : "e") + last.id;
      }
      break;
    }
    NameHit hit;
    hit.kind = n.kind == kPersonKind ? "person" : "enterprise";
    hit.id = n.kind == kPersonKind ? InszDigits(n.id) : KboDigits(n.id);
    hit.name = std::string(n.name);
    out.items.push_back(std::move(hit));
  }
  return out;
}

std::shared_ptr<const NameIndex> NameIndexCache::Get(
    const DelegationGraph& graph) {
  std::lock_guard<std::mutex> lock(mu_);
  if (index_ == nullptr) index_ = NameIndex::Build(graph);
  return index_;
}

size_t NameIndexCache::built_size() {
  std::lock_guard<std::mutex> lock(mu_);
  return index_ == nullptr ? 0 : index_->size();
}

}  // namespace toegang
