// Explain's text (SPEC 4.5): the sentences of an explanation in Dutch or
// English, from the verdict (explain_verdict.h) and the model. Each
// message is written once with its two languages side by side, so that
// they say the same; nothing here decides what fails or who can fix it.
//
// Names appear as toegang/labels.h forms them: persons with the INSZ's
// display form, enterprises as "NAME (KBO 0412.345.614)", facilities as
// "HCO 1100234 (NAME)".
//
// Thread safety: reads the graph it is given, which must not change during
// a call.
#ifndef TOEGANG_RULES_EXPLAIN_TEXT_H_
#define TOEGANG_RULES_EXPLAIN_TEXT_H_

#include <cstdint>
#include <string>

#include "graph/delegation_graph.h"
#include "rules/explain_verdict.h"
#include "toegang/queries.h"

namespace toegang {

// An allowed question: out->chain (each link's sentence and provenance)
// and out->summary, through subafdeling `granting` (a summary alone when
// it is kNoVertex). out->facilities must be set.
void ExplainAllowed(const DelegationGraph& graph, uint64_t insz, AppId app,
                    Lang lang, uint64_t revision, Vertex granting,
                    Explanation* out);

// A denied question: the summary (what was asked, what fails and what
// fixes it, who can).
std::string ExplainDenied(const DelegationGraph& graph, uint64_t insz,
                          AppId app, const std::string& hco, Lang lang,
                          uint64_t revision, const Verdict& verdict,
                          const Ties& ties, const Fixers& fixers);

}  // namespace toegang

#endif  // TOEGANG_RULES_EXPLAIN_TEXT_H_
