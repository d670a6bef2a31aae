// The bodies of the admin web pages, as HTML: a person's, an
// enterprise's and a facility's page, and the search results. Every value
// goes through Html() (web/html.h); a person is linked by an opaque token
// (web/person_tokens.h), never by INSZ.
//
// Thread safety: pure functions over values, except that person links ask
// the token store (which is thread-safe).
#ifndef TOEGANG_SERVE_WEB_VIEWS_H_
#define TOEGANG_SERVE_WEB_VIEWS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "toegang/cards.h"
#include "toegang/engine.h"
#include "toegang/queries.h"
#include "web/graph_svg.h"
#include "web/person_tokens.h"
#include "web/steps.h"

namespace toegang::serve::web {

struct ViewContext {
  Lang lang = Lang::kNl;
  PersonTokens* tokens = nullptr;
  std::string csrf;  // for the forms a body holds (the next page)
  // The step forms for the asserted actor (web/steps.h); null: the page
  // is read-only and holds no form that changes anything.
  const StepForms* steps = nullptr;
};

std::string PersonBody(const PersonCard& card, const ViewContext& view);

// audit: one page of the enterprise's audit rows, newest first, each
// actor by name and INSZ as persons are shown everywhere; before: the
// cursor this page was read with (0: the newest); next_before: the cursor
// of the next, older page (0: none).
std::string EnterpriseBody(const WhoReport& who, const Picture& picture,
                           const std::vector<AuditRecord>& audit,
                           uint64_t before, uint64_t next_before,
                           const ViewContext& view);

// How many members of a subafdeling a facility's page lists at once.
inline constexpr size_t kMembersPage = 50;

// Which members a facility's page lists: the first kMembersPage of every
// subafdeling, except for the subafdeling (capacity, subdivision), whose
// list starts at member `from` (in INSZ order; clamped to its last page).
// Each list links its previous and next page by these three values only
// (codes and a number: nothing about a person in the URL), as
// /facility/HCO?capacity=C&subdivision=S&from=N#members-C-S.
struct MembersWindow {
  std::string capacity, subdivision;
  size_t from = 0;
};

std::string FacilityBody(const FacilityCard& card, const MembersWindow& members,
                         const ViewContext& view);

// The hits of a name search for `query`; a next page is a POST form that
// carries the query and the cursor.
std::string SearchBody(const std::string& query, const Page<NameHit>& hits,
                       const ViewContext& view);

// A page's body that says only `message` (already in the page's
// language), as an error or a note.
std::string MessageBody(const std::string& title, const std::string& message);

}  // namespace toegang::serve::web

#endif  // TOEGANG_SERVE_WEB_VIEWS_H_
