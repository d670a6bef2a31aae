// The helpdesk's web pages (issue 27), served by `toegang serve` on the
// admin listener only (HttpRequest::admin; never on the gateway's decision
// port, where these paths are 404):
//
//   GET  /                      the search box
//   POST /search                q: an INSZ in any form (303 to the
//                               person's page), a KBO number in any form
//                               (303 to /enterprise/KBO), an HCO (303 to
//                               /facility/HCO), or a name prefix (persons
//                               and enterprises, paginated by a POST with
//                               the cursor)
//   GET  /p/TOKEN               a person's page; TOKEN is opaque
//                               (web/person_tokens.h): no INSZ in any URL
//   GET  /enterprise/KBO[?after=SEQ]   the who-card, the delegation picture
//                               (SVG) and the audit rows after SEQ
//   GET  /facility/HCO[?capacity=C&subdivision=S&from=N]   the facility's
//                               card, each subafdeling's members a page
//                               at a time (web/views.h MembersWindow)
//   GET  /assets/style.css      the compiled-in style sheet
//   POST /step                  one of the manual's steps (web/steps.h),
//                               for the asserted actor only
//
// Every page: server-rendered HTML without any script, in Dutch unless
// ?lang=en (remembered in a cookie; a link on every page switches),
// Content-Security-Policy "default-src 'self'; script-src 'none'; ...;
// frame-ancestors 'none'", Cache-Control: no-store, nosniff, Referrer-Policy
// same-origin.
// Every POST carries a CSRF token equal to the toegang_csrf cookie
// (SameSite=Strict, HttpOnly) the pages set, and an Origin (when the
// browser sends one) of this host; else 403 and nothing is done.
//
// The actor: toegang does not authenticate. When the operator names a
// trusted header (WebOptions::actor_header, `serve --actor-header`), the
// authenticating proxy in front of the admin listener asserts in it the
// INSZ of the person using the pages, and only then do the pages offer
// the manual's steps (web/steps.h), committed through Engine::Apply with
// that actor as the CLI's --by. The header is read only on the admin
// listener (HttpRequest::admin) and only when named; a request that
// carries it twice is refused (400, X-Toegang-Error: duplicate_input), one
// whose value is not a valid INSZ too (400, invalid_insz). Without it every
// page is read-only: no form on it changes anything, and POST /step is
// 403.
//
// Thread safety: Handle() may be called from any number of threads at
// once. The engine must outlive the pages.
#ifndef TOEGANG_SERVE_WEB_WEB_PAGES_H_
#define TOEGANG_SERVE_WEB_WEB_PAGES_H_

#include <string>
#include <string_view>

#include "decision_service.h"
#include "toegang/engine.h"
#include "web/person_tokens.h"

namespace toegang::serve::web {

// The response headers every page and asset carries.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'none'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
    "style-src 'self'; img-src 'self'";

struct WebOptions {
  // The request header in which the authenticating proxy asserts the
  // acting person's INSZ; empty (the default): none is trusted and the
  // pages are read-only.
  std::string actor_header;
};

class WebPages {
 public:
  explicit WebPages(Engine* engine, WebOptions options = {});

  // Whether path is one of the pages' (on the admin listener).
  static bool Serves(std::string_view path);

  // Answers one request for a path that Serves().
  HttpResponse Handle(const HttpRequest& request);

  PersonTokens& tokens() { return tokens_; }

 private:
  Engine* const engine_;
  const WebOptions options_;
  PersonTokens tokens_;
};

}  // namespace toegang::serve::web

#endif  // TOEGANG_SERVE_WEB_WEB_PAGES_H_
