#include "web/web_pages.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "query_string.h"
#include "toegang/error_codes.h"
#include "toegang/identifiers.h"
#include "web/assets.h"
#include "web/graph_svg.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/steps.h"
#include "web/views.h"

namespace toegang::serve::web {
namespace {

constexpr std::string_view kCsrfCookie = "toegang_csrf";
constexpr std::string_view kLangCookie = "toegang_lang";
constexpr size_t kAuditPage = 20;
constexpr size_t kHitsPage = 20;

// The value of one cookie of the Cookie header, or "".
std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view()
                                            : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return pair.substr(eq + 1);
    }
  }
  return {};
}

bool IsToken(std::string_view s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// What one request needs to answer: its language, its CSRF token and the
// cookies to set.
struct Visit {
  Lang lang = Lang::kNl;
  std::string csrf;
  bool csrf_from_cookie = false;  // the request carried a valid one
  std::vector<std::string> set_cookies;
  std::string actor;  // the asserted actor's INSZ; empty: read-only
};

std::string Cookie(std::string_view name, std::string_view value) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict", name, value);
}

void AddSecurityHeaders(HttpResponse* r) {
  r->headers.emplace_back("Content-Security-Policy",
                          std::string(kContentSecurityPolicy));
  r->headers.emplace_back("Cache-Control", "no-store");
  r->headers.emplace_back("X-Content-Type-Options", "nosniff");
  r->headers.emplace_back("X-Frame-Options", "DENY");
  r->headers.emplace_back("Referrer-Policy", "same-origin");
}

HttpResponse HtmlResponse(int status, const Visit& visit, Frame frame,
                          const std::string& body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  frame.lang = visit.lang;
  frame.csrf = visit.csrf;
  frame.actor = visit.actor;
  r.body = RenderPage(frame, body);
  AddSecurityHeaders(&r);
  for (const std::string& c : visit.set_cookies) {
    r.headers.emplace_back("Set-Cookie", c);
  }
  return r;
}

HttpResponse Redirect(const Visit& visit, std::string location) {
  HttpResponse r;
  r.status = 303;
  r.headers.emplace_back("Location", std::move(location));
  AddSecurityHeaders(&r);
  for (const std::string& c : visit.set_cookies) {
    r.headers.emplace_back("Set-Cookie", c);
  }
  return r;
}

HttpResponse Message(int status, const Visit& visit, std::string_view title,
                     const std::string& message, std::string path = "/") {
  Frame f;
  f.title = std::string(title);
  f.path = std::move(path);
  return HtmlResponse(status, visit, f,
                      MessageBody(std::string(title), message));
}

// The HTTP status of a failed engine call on a page.
int StatusOf(const Status& s) {
  switch (s.kind()) {
    case Status::Kind::kInvalidInput:
      return 400;
    case Status::Kind::kRefused:
      return 404;
    default:
      return s.code() == code::kRevisionNotReached ? 503 : 500;
  }
}

// Whether the text has a letter outside a leading "BE" (a KBO number's
// country prefix): then it is a name.
bool LooksLikeName(std::string_view q) {
  if (q.size() >= 2 && (q[0] == 'B' || q[0] == 'b') &&
      (q[1] == 'E' || q[1] == 'e')) {
    q.remove_prefix(2);
  }
  return std::any_of(q.begin(), q.end(), [](char c) {
    return !(std::isdigit(static_cast<unsigned char>(c)) || c == ' ' ||
             c == '.' || c == '-' || c == '/');
  });
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// Whether a POSTed form comes from a page of this site: the form's token
// equals the cookie's, and a browser that names the origin names this
// host.
bool FromThisSite(const HttpRequest& request, const Visit& visit,
                  std::string_view csrf_field) {
  const std::string_view origin = request.Header("Origin");
  const std::string_view host = request.Header("Host");
  const bool same_origin = origin.empty() ||
                           origin == fmt::format("http://{}", host) ||
                           origin == fmt::format("https://{}", host);
  return visit.csrf_from_cookie && csrf_field == visit.csrf && same_origin;
}

}  // namespace

WebPages::WebPages(Engine* engine, WebOptions options)
    : engine_(engine), options_(std::move(options)) {}

bool WebPages::Serves(std::string_view path) {
  return path == "/" || path == "/search" || path == "/step" ||
         path.starts_with("/p/") || path.starts_with("/enterprise/") ||
         path.starts_with("/facility/") || path.starts_with("/assets/");
}

HttpResponse WebPages::Handle(const HttpRequest& request) {
  const Target target = SplitTarget(request.target);
  const std::string_view path = target.path;
  const bool get = request.method == "GET" || request.method == "HEAD";
  const bool post = request.method == "POST";

  if (path.starts_with("/assets/")) {
    HttpResponse r;
    const Asset* asset = FindAsset(path);
    if (asset == nullptr || !get) {
      r.status = asset == nullptr ? 404 : 405;
      r.content_type = "text/plain; charset=utf-8";
      r.body = asset == nullptr ? "no such asset\n" : "GET only\n";
    } else {
      r.content_type = std::string(asset->content_type);
      r.body = std::string(asset->body);
    }
    AddSecurityHeaders(&r);
    return r;
  }

  Visit visit;
  std::optional<std::vector<std::pair<std::string, std::string>>> params =
      ParseQuery(target.query);
  std::string lang_param;
  std::string before_param;
  MembersWindow members;  // a facility's page
  if (params) {
    for (const auto& [name, value] : *params) {
      if (name == "lang") lang_param = value;
      if (name == "before") before_param = value;
      if (name == "capacity") members.capacity = value;
      if (name == "subdivision") members.subdivision = value;
      if (name == "from" && !value.empty() && value.size() <= 9 &&
          std::all_of(value.begin(), value.end(),
                      [](char c) { return c >= '0' && c <= '9'; })) {
        members.from = std::stoul(value);
      }
    }
  }
  const std::string_view cookies = request.Header("Cookie");
  if (lang_param == "nl" || lang_param == "en") {
    visit.lang = lang_param == "en" ? Lang::kEn : Lang::kNl;
    visit.set_cookies.push_back(Cookie(kLangCookie, lang_param));
  } else {
    visit.lang =
        CookieValue(cookies, kLangCookie) == "en" ? Lang::kEn : Lang::kNl;
  }
  const std::string_view csrf_cookie = CookieValue(cookies, kCsrfCookie);
  if (IsToken(csrf_cookie)) {
    visit.csrf = std::string(csrf_cookie);
    visit.csrf_from_cookie = true;
  } else {
    visit.csrf = RandomToken();
    visit.set_cookies.push_back(Cookie(kCsrfCookie, visit.csrf));
  }
  const Lang lang = visit.lang;
  // The actor, from the trusted header: on the admin listener only, and
  // only when the operator named one.
  if (request.admin && !options_.actor_header.empty()) {
    if (request.HeaderCount(options_.actor_header) > 1) {
      HttpResponse r = Message(400, visit, Tr("error", lang),
                               std::string(Tr("duplicate_actor", lang)));
      r.headers.emplace_back("X-Toegang-Error",
                             std::string(code::kDuplicateInput));
      return r;
    }
    if (const std::string_view asserted = request.Header(options_.actor_header);
        !asserted.empty()) {
      Result<Insz> insz = Insz::Parse(asserted);
      if (!insz.ok()) {
        HttpResponse r = Message(400, visit, Tr("error", lang),
                                 std::string(Tr("invalid_actor", lang)));
        r.headers.emplace_back("X-Toegang-Error",
                               std::string(code::kInvalidInsz));
        return r;
      }
      visit.actor = insz->ToString();
    }
  }
  ViewContext view{lang, &tokens_, visit.csrf};
  std::optional<StepForms> steps;
  if (!visit.actor.empty()) {
    steps.emplace(engine_, visit.actor, lang, &tokens_, visit.csrf);
    view.steps = &*steps;
  }

  if (path == "/step") {
    if (!post) {
      HttpResponse r = Message(405, visit, Tr("error", lang),
                               std::string(Tr("step_is_post", lang)));
      r.headers.emplace_back("Allow", "POST");
      return r;
    }
    std::optional<std::vector<std::pair<std::string, std::string>>> form =
        ParseQuery(request.body);
    std::string csrf;
    if (form) {
      for (const auto& [name, value] : *form) {
        if (name == "csrf") csrf = value;
      }
    }
    if (!form || !FromThisSite(request, visit, csrf)) {
      return Message(403, visit, Tr("error", lang),
                     std::string(Tr("csrf_failed", lang)));
    }
    if (visit.actor.empty()) {
      return Message(403, visit, Tr("error", lang),
                     std::string(Tr("not_acting", lang)));
    }
    Result<StepRequest> step = ParseStep(*form, visit.actor, &tokens_);
    if (!step.ok()) {
      return Message(400, visit, Tr("error", lang),
                     step.status().code() + ": " + step.status().message());
    }
    const Mutation& m = step->mutation;
    Frame f;
    f.title = std::string(ActionName(m.action));
    f.path = StepBackPath(m);
    // As the CLI on a terminal: what takes away more than it names waits
    // for a confirmation; a refusal goes on to Apply, which records it.
    if (!step->confirmed) {
      Result<MutationPreview> preview = engine_->Preview(m);
      if (preview.ok() && !preview->cascade.empty()) {
        return HtmlResponse(200, visit, f,
                            StepConfirmBody(*step, *preview, lang, visit.csrf));
      }
    }
    Result<CommitInfo> done = engine_->Apply(m);
    if (!done.ok()) {
      const int status = done.status().kind() == Status::Kind::kRefused
                             ? 409
                             : StatusOf(done.status());
      return HtmlResponse(status, visit, f,
                          StepRefusedBody(m, done.status(), lang));
    }
    return HtmlResponse(200, visit, f, StepDoneBody(m, *done, lang));
  }

  if (path == "/search") {
    if (!post) {
      HttpResponse r = Message(405, visit, Tr("error", lang),
                               std::string(Tr("search_is_post", lang)));
      r.headers.emplace_back("Allow", "POST");
      return r;
    }
    // A form of this site only: the cookie and the field agree, and a
    // browser that names the origin names this host.
    std::optional<std::vector<std::pair<std::string, std::string>>> form =
        ParseQuery(request.body);
    std::string q, csrf, cursor;
    if (form) {
      for (const auto& [name, value] : *form) {
        if (name == "q") q = Trimmed(value);
        if (name == "csrf") csrf = value;
        if (name == "cursor") cursor = value;
      }
    }
    if (!FromThisSite(request, visit, csrf)) {
      return Message(403, visit, Tr("error", lang),
                     std::string(Tr("csrf_failed", lang)));
    }
    if (q.empty()) {
      return Message(400, visit, Tr("error", lang),
                     std::string(Tr("empty_search", lang)));
    }
    if (LooksLikeName(q)) {
      Result<Page<NameHit>> hits =
          engine_->FindByName(q, PageRequest{kHitsPage, cursor});
      if (!hits.ok()) {
        return Message(StatusOf(hits.status()), visit, Tr("error", lang),
                       hits.status().message());
      }
      Frame f;
      f.title = std::string(Tr("results", lang));
      f.query = q;
      return HtmlResponse(200, visit, f, SearchBody(q, *hits, view));
    }
    std::string digits;
    for (char c : q) {
      if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    }
    if (digits.size() == 11) {
      if (Result<Insz> insz = Insz::Parse(q); insz.ok()) {
        return Redirect(visit, "/p/" + tokens_.TokenFor(insz->ToString()));
      }
    }
    if (digits.size() == 9 || digits.size() == 10) {
      if (Result<Kbo> kbo = Kbo::Parse(q); kbo.ok()) {
        return Redirect(visit, "/enterprise/" + kbo->ToString());
      }
    }
    if (Result<Hco> hco = Hco::Parse(q); hco.ok()) {
      Result<FacilityCard> card = engine_->WhoFacility(hco->str());
      if (card.ok()) return Redirect(visit, "/facility/" + hco->str());
    }
    return Message(404, visit, Tr("not_found", lang),
                   std::string(Tr("number_not_found", lang)));
  }

  if (!get) {
    HttpResponse r = Message(405, visit, Tr("error", lang),
                             std::string(Tr("get_only", lang)));
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }

  if (path == "/") {
    Frame f;
    f.title = std::string(Tr("home_title", lang));
    return HtmlResponse(200, visit, f,
                        "<h1>" + std::string(Tr("home_title", lang)) +
                            "</h1><p>" + std::string(Tr("home_text", lang)) +
                            "</p>");
  }

  if (path.starts_with("/p/")) {
    const std::string page_path(path);
    std::optional<std::string> insz = tokens_.Resolve(path.substr(3));
    if (!insz) {
      return Message(404, visit, Tr("not_found", lang),
                     std::string(Tr("link_expired", lang)), page_path);
    }
    Result<PersonCard> card = engine_->WhoPerson(*insz, lang);
    if (!card.ok()) {
      return Message(StatusOf(card.status()), visit, Tr("error", lang),
                     card.status().message(), page_path);
    }
    Frame f;
    f.title = card->person.name.empty() ? std::string(Tr("person", lang))
                                        : card->person.name;
    f.path = page_path;
    return HtmlResponse(200, visit, f, PersonBody(*card, view));
  }

  if (path.starts_with("/enterprise/")) {
    Result<Kbo> kbo = Kbo::Parse(path.substr(12));
    if (!kbo.ok()) {
      return Message(404, visit, Tr("not_found", lang), kbo.status().message());
    }
    const std::string page_path = "/enterprise/" + kbo->ToString();
    Result<WhoReport> who = engine_->Who(kbo->ToString());
    if (!who.ok()) {
      return Message(StatusOf(who.status()), visit, Tr("not_found", lang),
                     who.status().message(), page_path);
    }
    Picture picture;
    GraphOptions drawing;
    drawing.lang = lang;
    if (Result<std::string> dot = engine_->GraphDot(kbo->ToString(), drawing);
        dot.ok()) {
      picture = DotToSvg(*dot);
    } else {
      picture.problem = dot.status().message();
    }
    AuditQuery query;
    query.kbo = kbo->ToString();
    query.limit = kAuditPage;
    query.newest_first = true;
    uint64_t before = 0;
    if (!before_param.empty() && before_param.size() <= 18 &&
        std::all_of(before_param.begin(), before_param.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      before = std::stoull(before_param);
    }
    query.before_seq = before;
    Result<std::vector<AuditRecord>> audit = engine_->Audit(query);
    std::vector<AuditRecord> rows;
    if (audit.ok()) rows = std::move(audit).value();
    // The next page holds the older rows.
    const uint64_t next =
        rows.size() == kAuditPage ? rows.back().seq : uint64_t{0};
    Frame f;
    f.title = who->name.empty() ? kbo->Display() : who->name;
    f.path = page_path;
    return HtmlResponse(
        200, visit, f, EnterpriseBody(*who, picture, rows, before, next, view));
  }

  // /facility/HCO
  Result<Hco> hco = Hco::Parse(path.substr(10));
  if (!hco.ok()) {
    return Message(404, visit, Tr("not_found", lang), hco.status().message());
  }
  const std::string page_path = "/facility/" + hco->str();
  Result<FacilityCard> card = engine_->WhoFacility(hco->str());
  if (!card.ok()) {
    return Message(StatusOf(card.status()), visit, Tr("not_found", lang),
                   card.status().message(), page_path);
  }
  Frame f;
  f.title = "HCO " + card->hco;
  f.path = page_path;
  return HtmlResponse(200, visit, f, FacilityBody(*card, members, view));
}

}  // namespace toegang::serve::web
