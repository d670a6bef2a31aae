// Who may administer what (manual 3.2-3.7): a breadth-first visit from a
// person over the administrative edges of the delegation graph (htb,
// domain, tb, co_tb, subafdeling, manager), through a filtered view, with a
// visitor that records what it reaches. Used by managed-by (listings.cc)
// and by the rules' actor checks (rules.cc).
//
// REQUIRES: graph does not change during the call: the instance of a
// left-right read (listings, May) or the writer's own instance under the
// engine's writer mutex (Apply), see base/left_right.h. No lock is taken.
// Thread safety: reads the graph only; calls may run concurrently.
#ifndef TOEGANG_ADMINISTRATION_H_
#define TOEGANG_ADMINISTRATION_H_

#include <cstdint>
#include <unordered_map>

#include "graph/delegation_graph.h"

namespace toegang {

// The roles that let a person administer something, weakest first: when
// several apply, the strongest counts.
enum class Role : uint8_t { kNone, kManager, kCoTb, kTb, kHtb };

// "htb", "tb", "co_tb", "manager", or "" for kNone.
const char* AdminRoleName(Role role);

// Whether the KBO still lists the person as a WV or an employee of the
// enterprise. An HTB who is neither any more stays HTB (the chain stays
// rooted, their users keep access) but administers nothing: a WV appoints
// a new HTB (docs/model.md, "Registry changes").
bool HtbStillListed(const DelegationGraph& graph, Vertex person,
                    Vertex enterprise);

// Every enterprise, domain and subafdeling the person administers, with the
// strongest role: HTB of an enterprise while still listed (and so of its
// domains and subafdelingen), TB/co-TB of a domain (and its subafdelingen),
// named manager of a subafdeling. The visit costs what it reaches, not the size
// of the federation.
std::unordered_map<Vertex, Role> Administered(const DelegationGraph& graph,
                                              Vertex person);

}  // namespace toegang

#endif  // TOEGANG_ADMINISTRATION_H_
