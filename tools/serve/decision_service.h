// The HTTP decision service's endpoints, free of any transport: a request
// (method, target, headers, body) in, a response out. http_server.h puts
// it on a socket; the tests also call it directly.
//
//   GET  /v1/check?insz=U&app=A[&hco=H][&at_least=REV][&wait_ms=MS]
//   POST /v1/check   {"insz": U, "app": A, "hco": H, "at_least": REV}
//        200 {"allowed", "revision", "facilities", "insz", "app"[, "hco"]}
//        (the object of `toegang --json check`), allowed or denied alike.
//   ANY  /v1/auth    nginx auth_request: the INSZ from the configured
//        header, app and hco from X-Toegang-App / X-Toegang-Hco or the
//        query (else the default app). 204 allowed, 403 denied, 401 no
//        INSZ header; X-Toegang-Facilities and X-Toegang-Revision.
//   ANY  /v1/ext_authz[/ORIGINAL-PATH]   Envoy's HTTP ext_authz: as
//        /v1/auth, but 200 when allowed, and the query (the original
//        request's) is never read.
//   GET  /v1/explain?insz=U&app=A[&hco=H][&lang=nl|en]   the explanation
//        JSON of `toegang --json explain`.
//   GET  /healthz    200, or 503 when the engine stopped following the
//        change log.
//   GET  /metrics    Prometheus text (metrics.h).
//
// Errors of /v1/check and /v1/explain: 400 {"error": CODE, "message"} for
// invalid input (codes of docs/cli.md, "usage" for the request's own
// shape), 503 revision_not_reached with Retry-After when at_least was not
// reached within the bound, 500 storage_error.
//
// At-least (SPEC 4.7): the `at_least` parameter or the X-Toegang-At-Least
// header names a revision; a decision is never made on an older model: the
// service calls Engine::CatchUp with the bound min(wait_ms, max_wait) and
// answers 503 when it is not reached.
//
// Thread safety: Handle() may be called from any number of threads at
// once. The engine must outlive the service.
#ifndef TOEGANG_SERVE_DECISION_SERVICE_H_
#define TOEGANG_SERVE_DECISION_SERVICE_H_

#include <chrono>
#include <cstdint>
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

  std::string_view Header(std::string_view name) const {
    return header == nullptr ? std::string_view()
                             : header(header_context, name);
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // empty together with an empty body
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct ServiceOptions {
  // The request header that carries the authenticated person's INSZ for
  // /v1/auth and /v1/ext_authz (set by the authenticating proxy; it must
  // overwrite whatever the client sent).
  std::string insz_header = "X-Insz";
  // The application of /v1/auth and /v1/ext_authz when the request names
  // none.
  std::string default_app = "ama-wvg";
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
// The request headers read besides the INSZ header.
inline constexpr std::string_view kAppHeader = "X-Toegang-App";
inline constexpr std::string_view kHcoHeader = "X-Toegang-Hco";
inline constexpr std::string_view kAtLeastHeader = "X-Toegang-At-Least";

class DecisionService {
 public:
  DecisionService(Engine* engine, ServiceOptions options);

  DecisionService(const DecisionService&) = delete;
  DecisionService& operator=(const DecisionService&) = delete;

  // Answers one request. Never throws for a request's sake (a failure
  // inside becomes a 500).
  HttpResponse Handle(const HttpRequest& request);

  const Metrics& metrics() const { return metrics_; }

 private:
  struct CheckInput;

  HttpResponse Check(const HttpRequest& request, std::string_view query);
  HttpResponse Gateway(const HttpRequest& request, std::string_view query,
                       Endpoint endpoint);
  HttpResponse Explain(const HttpRequest& request, std::string_view query);
  HttpResponse Health() const;

  // Catches up to input.at_least when asked, then checks.
  Result<Decision> Decide(const CheckInput& input);
  Status CatchUpTo(uint64_t at_least, std::chrono::milliseconds wait);

  Engine* const engine_;
  const ServiceOptions options_;
  const std::chrono::system_clock::time_point started_;
  Metrics metrics_;
};

}  // namespace toegang::serve

#endif  // TOEGANG_SERVE_DECISION_SERVICE_H_
