// The HTTP decision service's endpoints, free of any transport: a request
// (method, target, headers, body) in, a response out. http_server.h puts
// it on a socket; the tests also call it directly.
//
// The gateway listener (--listen) serves:
//   GET  /v1/check?insz=U&app=A[&hco=H][&at_least=REV][&wait_ms=MS]
//   POST /v1/check   {"insz": U, "app": A, "hco": H, "at_least": REV}
//        200 {"allowed", "revision", "facilities", "insz", "app"[, "hco"]}
//        (the object of `toegang --json check`), allowed or denied alike.
//   ANY  /v1/auth[?app=A][&hco=H]   nginx auth_request: the INSZ from the
//        configured header; the application only from the operator: the
//        `app` query parameter of the auth_request URI, else --app (the
//        X-Toegang-App header is never read here); hco from X-Toegang-Hco
//        or the query. 204 allowed, 403 denied, 401 no INSZ header;
//        X-Toegang-Facilities and X-Toegang-Revision.
//   ANY  /v1/ext_authz[/ORIGINAL-PATH]   Envoy's HTTP ext_authz: as
//        /v1/auth, but 200 when allowed, the query (the original
//        request's) is never read, and the application is --app, or the
//        header named by --app-header when the operator set one (the proxy
//        must then set it, overwriting the client's).
//   GET  /healthz    200, or 503 when the engine stopped following the
//        change log.
//   GET  /metrics    Prometheus text (metrics.h).
// The admin listener (--admin-listen, off by default) serves all of the
// above and, with personal data (names and INSZ numbers), only there:
//   GET  /v1/explain?insz=U&app=A[&hco=H][&lang=nl|en]   the explanation
//        JSON of `toegang --json explain`. 404 on the gateway listener.
//   The helpdesk's web pages (web/web_pages.h: /, /search, /p/TOKEN,
//        /enterprise/KBO, /facility/HCO, /assets/...). 404 on the gateway
//        listener.
//
// Errors of /v1/check and /v1/explain: 400 {"error": CODE, "message"} for
// invalid input (codes of docs/cli.md, "usage" for the request's own
// shape, "duplicate_input" for an input given twice), 503
// revision_not_reached with Retry-After when at_least was not reached
// within the bound, 500 storage_error. The gateways answer a duplicated
// input (two INSZ, application, facility or at-least headers, or a header
// and a query parameter for the same input) with 400 and X-Toegang-Error:
// duplicate_input; nginx turns that into a 500 for the client (its
// auth_request passes only 2xx, 401 and 403), Envoy denies: both fail
// closed.
//
// At-least (SPEC 4.7): the `at_least` parameter or the X-Toegang-At-Least
// header names a revision; a decision is never made on an older model.
// Begin() then returns a PendingDecision instead of an answer: the
// transport parks the request without holding a thread until the engine
// reached the revision or the bound min(wait_ms, max_wait) passed, then
// calls Resume() (503 when it was not reached). Handle() does the same
// waiting in the calling thread (Engine::CatchUp).
//
// Thread safety: Handle(), Begin() and Resume() may be called from any
// number of threads at once. The engine must outlive the service.
#ifndef TOEGANG_SERVE_DECISION_SERVICE_H_
#define TOEGANG_SERVE_DECISION_SERVICE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics.h"
#include "toegang/engine.h"

namespace toegang::serve {

// A request as the transport hands it over; all views stay valid for the
// duration of Handle().
struct HttpRequest {
  std::string_view method;  // "GET", "POST", ...
  std::string_view target;  // path and query, undecoded
  std::string_view body;
  // Looks a header up by name (case-insensitive); "" when absent.
  std::string_view (*header)(const void* context,
                             std::string_view name) = nullptr;
  const void* header_context = nullptr;

  // How many times a header occurs (case-insensitive); when null, 1 for a
  // header that Header() finds non-empty.
  size_t (*header_count)(const void* context, std::string_view name) = nullptr;
  // The request came in on the admin listener (/v1/explain is served).
  bool admin = false;

  std::string_view Header(std::string_view name) const {
    return header == nullptr ? std::string_view()
                             : header(header_context, name);
  }
  size_t HeaderCount(std::string_view name) const {
    if (header_count != nullptr) return header_count(header_context, name);
    return Header(name).empty() ? 0 : 1;
  }
};

struct HttpResponse;
struct DecisionRequest;  // decision_request.h
namespace web {
class WebPages;  // web/web_pages.h
}

// A decision that waits for a revision: the transport calls
// DecisionService::Resume() once the engine's revision is at least
// `revision` or `deadline` has passed, whichever comes first.
struct PendingDecision {
  uint64_t revision = 0;
  std::chrono::steady_clock::time_point deadline;
  // Makes the answer, given whether the wait succeeded (ok) or why not.
  std::function<HttpResponse(const Status& caught)> finish;
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // empty together with an empty body
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set (by Begin() only) when the answer waits for a revision; the other
  // fields are then meaningless.
  std::shared_ptr<PendingDecision> pending;
};

struct ServiceOptions {
  // The request header that carries the authenticated person's INSZ for
  // /v1/auth and /v1/ext_authz (set by the authenticating proxy; it must
  // overwrite whatever the client sent).
  std::string insz_header = "X-Insz";
  // The application of /v1/auth when the auth_request URI names none, and
  // of /v1/ext_authz.
  std::string default_app = "ama-wvg";
  // When not empty, /v1/ext_authz takes the application from this request
  // header (else default_app). The proxy must set it, overwriting the
  // client's; off by default.
  std::string app_header;
  // When not empty, the admin listener's web pages take the acting
  // person's INSZ from this request header, which the authenticating proxy
  // in front of the admin listener must set (overwriting the client's),
  // and offer the manual's steps (web/web_pages.h). Never read on the
  // gateway listener. Empty (the default): the pages are read-only.
  std::string actor_header;
  // The longest a request waits for an at_least revision.
  std::chrono::milliseconds max_wait{1000};
  // The engine's follow interval (0: not following); /healthz reports 503
  // when the last look at the change log is older than
  // max(5 s, 50 intervals).
  std::chrono::milliseconds follow_interval{0};
};

// The response header names of the gateway endpoints.
inline constexpr std::string_view kFacilitiesHeader = "X-Toegang-Facilities";
inline constexpr std::string_view kRevisionHeader = "X-Toegang-Revision";
inline constexpr std::string_view kErrorHeader = "X-Toegang-Error";
// The request headers read besides the INSZ header (and --app-header).
inline constexpr std::string_view kHcoHeader = "X-Toegang-Hco";
inline constexpr std::string_view kAtLeastHeader = "X-Toegang-At-Least";

class DecisionService {
 public:
  DecisionService(Engine* engine, ServiceOptions options);
  ~DecisionService();

  DecisionService(const DecisionService&) = delete;
  DecisionService& operator=(const DecisionService&) = delete;

  // Answers one request, waiting in this thread for an at_least revision.
  // Never throws for a request's sake (a failure inside becomes a 500).
  HttpResponse Handle(const HttpRequest& request);

  // As Handle(), but a request that must wait for a revision returns a
  // response with `pending` set instead of waiting; nothing in it refers
  // to the request any more.
  HttpResponse Begin(const HttpRequest& request);
  // The answer of a pending decision: made now, at the engine's revision;
  // 503 revision_not_reached when it is below the one waited for.
  HttpResponse Resume(const PendingDecision& pending);

  Engine* engine() const { return engine_; }
  // The admin listener's web pages.
  web::WebPages& web() { return *web_; }

  const Metrics& metrics() const { return metrics_; }
  Metrics* mutable_metrics() { return &metrics_; }

 private:
  HttpResponse Check(const HttpRequest& request, std::string_view query);
  HttpResponse Gateway(const HttpRequest& request, std::string_view query,
                       Endpoint endpoint);
  HttpResponse Explain(const HttpRequest& request, std::string_view query);
  HttpResponse Health() const;
  // Whether the model is as current as a follower's should be, and if not,
  // for how many seconds it has not been known current.
  struct Freshness {
    bool loading = false;  // the graph loads after a start from a snapshot
    bool healthy = true;
    double stale_seconds = 0;  // 0 when healthy
  };
  Freshness FreshnessOf(const FollowState& follow,
                        const StartupInfo& startup) const;

  // The response of `finish` at once when the engine is at `at_least`,
  // else a pending one that waits for it up to min(wait, max_wait).
  HttpResponse AtLeast(
      uint64_t at_least, std::chrono::milliseconds wait,
      std::function<HttpResponse(const Status& caught)> finish) const;
  HttpResponse Dispatch(const HttpRequest& request);
  // How long a request waits for its at_least: its wait_ms, at most
  // max_wait (max_wait when it names none).
  std::chrono::milliseconds Wait(const DecisionRequest& input) const;

  Engine* const engine_;
  const ServiceOptions options_;
  const std::chrono::system_clock::time_point started_;
  Metrics metrics_;
  const std::unique_ptr<web::WebPages> web_;
};

}  // namespace toegang::serve

#endif  // TOEGANG_SERVE_DECISION_SERVICE_H_
