#include "decision_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "decision_request.h"
#include "query_string.h"
#include "toegang/answer_json.h"
#include "toegang/error_codes.h"
#include "toegang/text.h"
#include "web/web_pages.h"

namespace toegang::serve {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kJson = "application/json";

// Every JSON answer, with the names' bidirectional controls and line
// separators written as escapes (toegang/text.h), as the CLI writes them.
template <typename Json>
HttpResponse JsonResponse(int status, const Json& json) {
  HttpResponse r;
  r.status = status;
  r.content_type = kJson;
  r.body = JsonDisplaySafe(AnswerText(json));
  return r;
}

HttpResponse ErrorResponse(int status, std::string_view code,
                           std::string_view message) {
  return JsonResponse(
      status, nlohmann::ordered_json{{"error", code}, {"message", message}});
}

HttpResponse ErrorResponse(int status, const RequestError& error) {
  return ErrorResponse(status, error.code, error.message);
}

// The HTTP status of a failed decision on /v1/check and /v1/explain.
int StatusFor(const Status& status) {
  switch (status.kind()) {
    case Status::Kind::kInvalidInput:
      return 400;
    case Status::Kind::kRefused:
      return 409;
    case Status::Kind::kStorage:
      return status.code() == code::kRevisionNotReached ? 503 : 500;
    case Status::Kind::kOk:
      break;
  }
  return 500;
}

Outcome OutcomeFor(const Status& status) {
  if (status.kind() == Status::Kind::kInvalidInput) return Outcome::kInvalid;
  if (status.code() == code::kRevisionNotReached) return Outcome::kNotReached;
  return Outcome::kError;
}

HttpResponse FailureResponse(const Status& status) {
  HttpResponse r =
      ErrorResponse(StatusFor(status), status.code(), status.message());
  if (r.status == 503) r.headers.emplace_back("Retry-After", "1");
  return r;
}

}  // namespace

DecisionService::DecisionService(Engine* engine, ServiceOptions options)
    : engine_(engine),
      options_(std::move(options)),
      started_(std::chrono::system_clock::now()),
      web_(std::make_unique<web::WebPages>(
          engine, web::WebOptions{options_.actor_header})) {}

DecisionService::~DecisionService() = default;

HttpResponse DecisionService::Handle(const HttpRequest& request) {
  HttpResponse response = Begin(request);
  if (response.pending == nullptr) return response;
  const std::shared_ptr<PendingDecision> pending = std::move(response.pending);
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      pending->deadline - Clock::now());
  Status caught = engine_->CatchUp(
      pending->revision, std::max(left, std::chrono::milliseconds(0)));
  try {
    response = pending->finish(caught);
  } catch (const std::exception& e) {
    response = ErrorResponse(500, "internal", e.what());
  }
  metrics_.RecordResponse(response.status);
  return response;
}

HttpResponse DecisionService::Begin(const HttpRequest& request) {
  HttpResponse response;
  try {
    response = Dispatch(request);
  } catch (const std::exception& e) {
    response = ErrorResponse(500, "internal", e.what());
  }
  if (response.pending == nullptr) metrics_.RecordResponse(response.status);
  return response;
}

HttpResponse DecisionService::Resume(const PendingDecision& pending) {
  HttpResponse response;
  try {
    const uint64_t reached = engine_->revision();
    response = pending.finish(
        reached >= pending.revision
            ? Status::Ok()
            : Status::Storage(
                  code::kRevisionNotReached,
                  fmt::format("the database is at revision {}, not yet at {}, "
                              "within the wait; the change waited for has not "
                              "been committed",
                              reached, pending.revision)));
  } catch (const std::exception& e) {
    response = ErrorResponse(500, "internal", e.what());
  }
  metrics_.RecordResponse(response.status);
  return response;
}

HttpResponse DecisionService::Dispatch(const HttpRequest& request) {
  HttpResponse response;
  const Target target = SplitTarget(request.target);
  const std::string_view path = target.path;
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (request.admin && web::WebPages::Serves(path)) {
    return web_->Handle(request);  // with its own Allow on a 405
  }
  if (path == "/v1/check") {
    response =
        get || request.method == "POST"
            ? Check(request, target.query)
            : ErrorResponse(405, code::kUsage, "/v1/check takes GET or POST");
  } else if (path == "/v1/auth") {
    response = Gateway(request, target.query, Endpoint::kAuth);
  } else if (path == "/v1/ext_authz" || path.starts_with("/v1/ext_authz/")) {
    response = Gateway(request, target.query, Endpoint::kExtAuthz);
  } else if (path == "/v1/explain" && request.admin) {
    response = get ? Explain(request, target.query)
                   : ErrorResponse(405, code::kUsage, "/v1/explain takes GET");
  } else if (path == "/healthz" && !get) {
    response = ErrorResponse(405, code::kUsage, "/healthz takes GET");
  } else if (path == "/healthz") {
    response = Health();
  } else if (path == "/metrics" && !get) {
    response = ErrorResponse(405, code::kUsage, "/metrics takes GET");
  } else if (path == "/metrics") {
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    const FollowState follow = engine_->follow_state();
    const StartupInfo startup = engine_->startup();
    response.body = metrics_.Render(follow, startup,
                                    FreshnessOf(follow, startup).stale_seconds);
  } else {
    response = ErrorResponse(
        404, "not_found",
        path == "/v1/explain"
            ? "/v1/explain is served on the admin listener (--admin-listen) "
              "only"
            : "no such endpoint; see docs/embedding.md for the service's "
              "paths");
  }
  if (response.status == 405) {
    response.headers.emplace_back(
        "Allow", path == "/v1/check" ? "GET, HEAD, POST" : "GET, HEAD");
  }
  return response;
}

HttpResponse DecisionService::AtLeast(
    uint64_t at_least, std::chrono::milliseconds wait,
    std::function<HttpResponse(const Status& caught)> finish) const {
  if (at_least == 0 || engine_->revision() >= at_least) {
    return finish(Status::Ok());
  }
  HttpResponse r;
  r.pending = std::make_shared<PendingDecision>();
  r.pending->revision = at_least;
  r.pending->deadline = Clock::now() + std::min(wait, options_.max_wait);
  r.pending->finish = std::move(finish);
  return r;
}

HttpResponse DecisionService::Check(const HttpRequest& request,
                                    std::string_view query) {
  const Clock::time_point start = Clock::now();
  auto invalid = [&](const RequestError& error) {
    metrics_.RecordDecision(Endpoint::kCheck, Outcome::kInvalid,
                            Clock::now() - start);
    return ErrorResponse(400, error);
  };
  RequestParser parser(
      {Input::kInsz, Input::kApp, Input::kHco, Input::kAtLeast, Input::kWaitMs},
      Wording::kApi);
  const size_t at_least_headers = request.HeaderCount(kAtLeastHeader);
  const std::string_view at_least_header = request.Header(kAtLeastHeader);
  if (auto e = RequestParser::Once(kAtLeastHeader, at_least_headers)) {
    return invalid(*e);
  }
  // The header first for a body (a field that repeats it is the error),
  // last for a query (a malformed or unknown parameter is the error).
  std::optional<RequestError> error;
  if (request.method == "POST") {
    error = parser.TakeHeader(Input::kAtLeast, kAtLeastHeader, at_least_headers,
                              at_least_header);
    if (!error) error = parser.TakeBody(request.body);
  } else {
    error = parser.TakeQuery(query);
    if (!error) {
      error = parser.TakeHeader(Input::kAtLeast, kAtLeastHeader,
                                at_least_headers, at_least_header);
    }
  }
  if (error) return invalid(*error);
  if (parser.value(Input::kInsz).empty() || parser.value(Input::kApp).empty()) {
    return invalid({std::string(code::kUsage), "check needs insz and app"});
  }
  DecisionRequest input;
  if (auto e = parser.Finish(&input)) return invalid(*e);
  return AtLeast(
      input.at_least, Wait(input),
      [this, input, start](const Status& caught) -> HttpResponse {
        Result<Decision> d =
            caught.ok() ? engine_->Check(input.insz, input.app, input.hco)
                        : Result<Decision>(caught);
        if (!d.ok()) {
          metrics_.RecordDecision(Endpoint::kCheck, OutcomeFor(d.status()),
                                  Clock::now() - start);
          return FailureResponse(d.status());
        }
        metrics_.RecordDecision(
            Endpoint::kCheck, d->allowed ? Outcome::kAllowed : Outcome::kDenied,
            Clock::now() - start);
        return JsonResponse(200, DecisionJson(*d));
      });
}

HttpResponse DecisionService::Gateway(const HttpRequest& request,
                                      std::string_view query,
                                      Endpoint endpoint) {
  const Clock::time_point start = Clock::now();
  const bool envoy = endpoint == Endpoint::kExtAuthz;

  auto refuse = [this, envoy, endpoint, start](
                    int status, std::string_view code, std::string_view message,
                    Outcome outcome) {
    metrics_.RecordDecision(endpoint, outcome, Clock::now() - start);
    HttpResponse r;
    if (envoy) r = ErrorResponse(status, code, message);
    r.status = status;
    r.headers.emplace_back(kErrorHeader, code);
    if (status == 503) r.headers.emplace_back("Retry-After", "1");
    return r;
  };
  // An input given twice is a 400 (nginx fails closed on it), any other
  // refused input a 403.
  auto invalid = [&](const RequestError& e) {
    return refuse(e.code == code::kDuplicateInput ? 400 : 403, e.code,
                  e.message, Outcome::kInvalid);
  };

  RequestParser parser({Input::kApp, Input::kHco, Input::kAtLeast},
                       Wording::kGateway);
  // The headers that carry an input, each at most once.
  std::vector<std::pair<Input, std::string_view>> headers = {
      {Input::kInsz, options_.insz_header},
      {Input::kHco, kHcoHeader},
      {Input::kAtLeast, kAtLeastHeader}};
  // Envoy's path carries the client's original query, which must never
  // steer the decision; the application is the operator's: --app, or the
  // header the proxy sets when the operator named one. nginx's
  // auth_request URI is the operator's configuration, so its query may
  // name the application; no header can (the client's headers reach this
  // subrequest).
  if (envoy && !options_.app_header.empty()) {
    headers.emplace_back(Input::kApp, options_.app_header);
  }
  for (const auto& [input, name] : headers) {
    if (auto e = RequestParser::Once(name, request.HeaderCount(name))) {
      return invalid(*e);
    }
  }
  if (!envoy) {
    if (auto e = parser.TakeQuery(query)) return invalid(*e);
  }
  for (const auto& [input, name] : headers) {
    if (auto e = parser.TakeHeader(input, name, request.HeaderCount(name),
                                   request.Header(name))) {
      return invalid(*e);
    }
  }
  parser.Default(Input::kApp, options_.default_app);
  if (parser.value(Input::kInsz).empty()) {
    return refuse(401, "missing_insz",
                  "the request has no " + options_.insz_header + " header",
                  Outcome::kInvalid);
  }
  DecisionRequest input;
  if (auto e = parser.Finish(&input)) return invalid(*e);
  return AtLeast(
      input.at_least, options_.max_wait,
      [this, input, envoy, endpoint, start,
       refuse](const Status& caught) -> HttpResponse {
        Result<Decision> d =
            caught.ok() ? engine_->Check(input.insz, input.app, input.hco)
                        : Result<Decision>(caught);
        if (!d.ok()) {
          const Status& s = d.status();
          const int status = s.kind() == Status::Kind::kInvalidInput ? 403
                             : s.code() == code::kRevisionNotReached ? 503
                                                                     : 500;
          return refuse(status, s.code(), s.message(), OutcomeFor(s));
        }
        HttpResponse r;
        r.headers.emplace_back(kRevisionHeader, std::to_string(d->revision));
        if (d->allowed) {
          r.status = envoy ? 200 : 204;
          r.headers.emplace_back(kFacilitiesHeader, FacilitiesList(*d));
        } else {
          r.status = 403;
          if (envoy) {
            r.content_type = kJson;
            r.body = AnswerText(nlohmann::ordered_json{
                {"allowed", false}, {"revision", d->revision}});
          }
        }
        metrics_.RecordDecision(
            endpoint, d->allowed ? Outcome::kAllowed : Outcome::kDenied,
            Clock::now() - start);
        return r;
      });
}

HttpResponse DecisionService::Explain(const HttpRequest& request,
                                      std::string_view query) {
  const Clock::time_point start = Clock::now();
  auto invalid = [&](const RequestError& error) {
    metrics_.RecordDecision(Endpoint::kExplain, Outcome::kInvalid,
                            Clock::now() - start);
    return ErrorResponse(400, error);
  };
  RequestParser parser({Input::kInsz, Input::kApp, Input::kHco, Input::kLang,
                        Input::kAtLeast, Input::kWaitMs},
                       Wording::kApi);
  const size_t at_least_headers = request.HeaderCount(kAtLeastHeader);
  std::optional<RequestError> error =
      RequestParser::Once(kAtLeastHeader, at_least_headers);
  if (!error) error = parser.TakeQuery(query);
  if (!error) {
    error = parser.TakeHeader(Input::kAtLeast, kAtLeastHeader, at_least_headers,
                              request.Header(kAtLeastHeader));
  }
  if (error) return invalid(*error);
  if (parser.value(Input::kInsz).empty() || parser.value(Input::kApp).empty()) {
    return invalid({std::string(code::kUsage), "explain needs insz and app"});
  }
  DecisionRequest input;
  if (auto e = parser.Finish(&input)) return invalid(*e);
  return AtLeast(
      input.at_least, Wait(input), [this, input, start](const Status& caught) {
        Result<Explanation> e =
            caught.ok()
                ? engine_->Explain(input.insz, input.app, input.hco,
                                   input.lang == "nl" ? Lang::kNl : Lang::kEn)
                : Result<Explanation>(caught);
        if (!e.ok()) {
          metrics_.RecordDecision(Endpoint::kExplain, OutcomeFor(e.status()),
                                  Clock::now() - start);
          return FailureResponse(e.status());
        }
        metrics_.RecordDecision(
            Endpoint::kExplain,
            e->allowed ? Outcome::kAllowed : Outcome::kDenied,
            Clock::now() - start);
        return JsonResponse(200, ExplanationJson(*e));
      });
}

std::chrono::milliseconds DecisionService::Wait(
    const DecisionRequest& input) const {
  if (!input.wait_ms) return options_.max_wait;
  return std::chrono::milliseconds(std::min<uint64_t>(
      *input.wait_ms, static_cast<uint64_t>(options_.max_wait.count())));
}

DecisionService::Freshness DecisionService::FreshnessOf(
    const FollowState& follow, const StartupInfo& startup) const {
  Freshness f;
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count();
  const int64_t started_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(
          started_.time_since_epoch())
          .count();
  // Loading the graph after a start from an index snapshot: checks are
  // answered (at the snapshot's revision), the follower starts after it.
  f.loading = !startup.model_loaded;
  if (!f.loading && options_.follow_interval.count() > 0) {
    const int64_t since = std::max(follow.last_catch_up_ms, started_ms);
    const int64_t limit =
        std::max<int64_t>(5000, 50 * options_.follow_interval.count());
    f.healthy = now_ms - since <= limit;
  }
  // A database file or log removed or replaced under the engine, or a
  // failed look at it (FollowState::store_ok): nothing it answers can be
  // trusted to be current.
  if (!follow.store_ok) f.healthy = false;
  if (!f.healthy) {
    const int64_t current = std::max(follow.current_ms, started_ms);
    f.stale_seconds =
        static_cast<double>(std::max<int64_t>(0, now_ms - current)) / 1000.0;
  }
  return f;
}

HttpResponse DecisionService::Health() const {
  const FollowState follow = engine_->follow_state();
  const StartupInfo startup = engine_->startup();
  const Freshness f = FreshnessOf(follow, startup);
  nlohmann::json j = {{"status", !follow.store_ok ? "store_unavailable"
                                 : f.loading      ? "loading"
                                 : f.healthy      ? "ok"
                                                  : "stale"},
                      {"revision", follow.revision},
                      {"stale_seconds", f.stale_seconds},
                      {"model_loaded", startup.model_loaded},
                      {"from_snapshot", startup.from_snapshot},
                      {"last_catch_up_ms", follow.last_catch_up_ms},
                      {"catch_ups", follow.catch_ups},
                      {"follow_failures", follow.failures}};
  if (!follow.last_error.empty()) j["last_error"] = follow.last_error;
  if (!follow.store_ok) j["store_error"] = follow.store_error;
  return JsonResponse(f.healthy ? 200 : 503, j);
}

}  // namespace toegang::serve
