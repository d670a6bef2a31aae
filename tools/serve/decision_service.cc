#include "decision_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>

#include "query_string.h"
#include "toegang/error_codes.h"
#include "toegang/explanation_json.h"
#include "toegang/identifiers.h"

namespace toegang::serve {

// What a decision needs, from whichever part of the request it came.
struct DecisionService::CheckInput {
  std::string insz, app, hco;
  uint64_t at_least = 0;
  std::chrono::milliseconds wait{0};
};

namespace {

using Clock = std::chrono::steady_clock;
using Params = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kJson = "application/json";

std::string JsonText(std::string_view s) {
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse JsonResponse(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = kJson;
  r.body = std::move(body);
  return r;
}

HttpResponse ErrorResponse(int status, std::string_view code,
                           std::string_view message) {
  return JsonResponse(status, fmt::format("{{\"error\":{},\"message\":{}}}",
                                          JsonText(code), JsonText(message)));
}

HttpResponse UsageError(std::string_view message) {
  return ErrorResponse(400, code::kUsage, message);
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

// Digits only, at most 2^63 - 1 (as the CLI's --at-least).
std::optional<uint64_t> ParseUnsigned(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t value = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() ||
      value > static_cast<uint64_t>(INT64_MAX)) {
    return std::nullopt;
  }
  return value;
}

std::string JoinFacilities(const std::vector<std::string>& facilities) {
  std::string out;
  for (const std::string& f : facilities) {
    if (!out.empty()) out += ',';
    out += f;
  }
  return out;
}

// Picks the named parameters out of params; any other name, or a name
// given twice, is a usage error (returned as its message).
std::optional<std::string> TakeParams(
    const Params& params,
    std::initializer_list<std::pair<std::string_view, std::string*>> wanted,
    std::vector<std::string_view>* seen) {
  for (const auto& [name, value] : params) {
    auto it = std::find_if(wanted.begin(), wanted.end(),
                           [&](const auto& w) { return w.first == name; });
    if (it == wanted.end()) return "unknown parameter `" + name + "`";
    if (std::find(seen->begin(), seen->end(), it->first) != seen->end()) {
      return "parameter `" + name + "` given twice";
    }
    seen->push_back(it->first);
    *it->second = value;
  }
  return std::nullopt;
}

}  // namespace

DecisionService::DecisionService(Engine* engine, ServiceOptions options)
    : engine_(engine),
      options_(std::move(options)),
      started_(std::chrono::system_clock::now()) {}

HttpResponse DecisionService::Handle(const HttpRequest& request) {
  HttpResponse response;
  try {
    const Target target = SplitTarget(request.target);
    const std::string_view path = target.path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (path == "/v1/check") {
      response =
          get || request.method == "POST"
              ? Check(request, target.query)
              : ErrorResponse(405, code::kUsage, "/v1/check takes GET or POST");
    } else if (path == "/v1/auth") {
      response = Gateway(request, target.query, Endpoint::kAuth);
    } else if (path == "/v1/ext_authz" || path.starts_with("/v1/ext_authz/")) {
      response = Gateway(request, target.query, Endpoint::kExtAuthz);
    } else if (path == "/v1/explain") {
      response =
          get ? Explain(request, target.query)
              : ErrorResponse(405, code::kUsage, "/v1/explain takes GET");
    } else if (path == "/healthz") {
      response = Health();
    } else if (path == "/metrics") {
      response.content_type = "text/plain; version=0.0.4; charset=utf-8";
      response.body =
          metrics_.Render(engine_->follow_state(), engine_->startup());
    } else {
      response = ErrorResponse(
          404, "not_found",
          "no such endpoint; see docs/embedding.md for the service's paths");
    }
    if (response.status == 405) {
      response.headers.emplace_back(
          "Allow", path == "/v1/check" ? "GET, HEAD, POST" : "GET, HEAD");
    }
  } catch (const std::exception& e) {
    response = ErrorResponse(500, "internal", e.what());
  }
  metrics_.RecordResponse(response.status);
  return response;
}

Status DecisionService::CatchUpTo(uint64_t at_least,
                                  std::chrono::milliseconds wait) {
  if (at_least == 0 || engine_->revision() >= at_least) return Status::Ok();
  return engine_->CatchUp(at_least, std::min(wait, options_.max_wait));
}

Result<Decision> DecisionService::Decide(const CheckInput& input) {
  Status caught = CatchUpTo(input.at_least, input.wait);
  if (!caught.ok()) return caught;
  return engine_->Check(input.insz, input.app, input.hco);
}

HttpResponse DecisionService::Check(const HttpRequest& request,
                                    std::string_view query) {
  const Clock::time_point start = Clock::now();
  CheckInput input;
  input.wait = options_.max_wait;
  std::string at_least = std::string(request.Header(kAtLeastHeader));
  std::string wait_ms;
  auto invalid = [&](HttpResponse r) {
    metrics_.RecordDecision(Endpoint::kCheck, Outcome::kInvalid,
                            Clock::now() - start);
    return r;
  };
  if (request.method == "POST") {
    nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object()) {
      return invalid(UsageError("the body must be a JSON object"));
    }
    for (auto& [name, value] : body.items()) {
      std::string* field = name == "insz"       ? &input.insz
                           : name == "app"      ? &input.app
                           : name == "hco"      ? &input.hco
                           : name == "at_least" ? &at_least
                           : name == "wait_ms"  ? &wait_ms
                                                : nullptr;
      if (field == nullptr) {
        return invalid(UsageError("unknown field `" + name + "`"));
      }
      if (value.is_string()) {
        *field = value.get<std::string>();
      } else if (value.is_number_unsigned() &&
                 (field == &at_least || field == &wait_ms)) {
        *field = std::to_string(value.get<uint64_t>());
      } else if (!value.is_null()) {
        return invalid(UsageError("field `" + name + "` must be a " +
                                  (field == &at_least || field == &wait_ms
                                       ? "non-negative integer"
                                       : "string")));
      }
    }
  } else {
    std::optional<Params> params = ParseQuery(query);
    if (!params) return invalid(UsageError("malformed query string"));
    std::vector<std::string_view> seen;
    std::string query_at_least;
    if (auto bad = TakeParams(*params,
                              {{"insz", &input.insz},
                               {"app", &input.app},
                               {"hco", &input.hco},
                               {"at_least", &query_at_least},
                               {"wait_ms", &wait_ms}},
                              &seen)) {
      return invalid(UsageError(*bad));
    }
    if (!query_at_least.empty()) at_least = query_at_least;
  }
  if (input.insz.empty() || input.app.empty()) {
    return invalid(UsageError("check needs insz and app"));
  }
  if (!at_least.empty()) {
    std::optional<uint64_t> r = ParseUnsigned(at_least);
    if (!r) return invalid(UsageError("at_least is a revision number"));
    input.at_least = *r;
  }
  if (!wait_ms.empty()) {
    std::optional<uint64_t> w = ParseUnsigned(wait_ms);
    if (!w) return invalid(UsageError("wait_ms is a number of milliseconds"));
    input.wait = std::chrono::milliseconds(std::min<uint64_t>(
        *w, static_cast<uint64_t>(options_.max_wait.count())));
  }
  Result<Decision> d = Decide(input);
  if (!d.ok()) {
    metrics_.RecordDecision(Endpoint::kCheck, OutcomeFor(d.status()),
                            Clock::now() - start);
    return FailureResponse(d.status());
  }
  // Check accepted the INSZ, so it parses: echo its canonical 11 digits as
  // `toegang --json check` does.
  const std::string canonical = Insz::Parse(input.insz)->ToString();
  std::string facilities;
  for (const std::string& f : d->facilities) {
    facilities += facilities.empty() ? "\"" : ",\"";
    facilities += f;  // HCO numbers are digits
    facilities += '"';
  }
  std::string body = fmt::format(
      "{{\"allowed\":{},\"revision\":{},\"facilities\":[{}],\"insz\":\"{}\","
      "\"app\":{}",
      d->allowed, d->revision, facilities, canonical, JsonText(input.app));
  if (!input.hco.empty()) body += ",\"hco\":" + JsonText(input.hco);
  body += '}';
  metrics_.RecordDecision(Endpoint::kCheck,
                          d->allowed ? Outcome::kAllowed : Outcome::kDenied,
                          Clock::now() - start);
  return JsonResponse(200, std::move(body));
}

HttpResponse DecisionService::Gateway(const HttpRequest& request,
                                      std::string_view query,
                                      Endpoint endpoint) {
  const Clock::time_point start = Clock::now();
  const bool envoy = endpoint == Endpoint::kExtAuthz;
  CheckInput input;
  input.wait = options_.max_wait;
  input.insz = std::string(request.Header(options_.insz_header));
  input.app = std::string(request.Header(kAppHeader));
  input.hco = std::string(request.Header(kHcoHeader));
  std::string at_least = std::string(request.Header(kAtLeastHeader));

  auto refuse = [&](int status, std::string_view code, std::string_view message,
                    Outcome outcome) {
    metrics_.RecordDecision(endpoint, outcome, Clock::now() - start);
    HttpResponse r;
    if (envoy) r = ErrorResponse(status, code, message);
    r.status = status;
    r.headers.emplace_back(kErrorHeader, code);
    if (status == 503) r.headers.emplace_back("Retry-After", "1");
    return r;
  };

  // nginx's auth_request URI is the operator's configuration, so its query
  // may name the application; Envoy's path carries the client's original
  // query, which must never steer the decision.
  if (!envoy) {
    std::optional<Params> params = ParseQuery(query);
    if (!params) {
      return refuse(403, code::kUsage, "malformed query string",
                    Outcome::kInvalid);
    }
    std::string query_app, query_hco, query_at_least;
    std::vector<std::string_view> seen;
    if (auto bad = TakeParams(*params,
                              {{"app", &query_app},
                               {"hco", &query_hco},
                               {"at_least", &query_at_least}},
                              &seen)) {
      return refuse(403, code::kUsage, *bad, Outcome::kInvalid);
    }
    if (input.app.empty()) input.app = query_app;
    if (input.hco.empty()) input.hco = query_hco;
    if (at_least.empty()) at_least = query_at_least;
  }
  if (input.app.empty()) input.app = options_.default_app;
  if (input.insz.empty()) {
    return refuse(401, "missing_insz",
                  "the request has no " + options_.insz_header + " header",
                  Outcome::kInvalid);
  }
  if (!at_least.empty()) {
    std::optional<uint64_t> r = ParseUnsigned(at_least);
    if (!r) {
      return refuse(403, code::kUsage, "at_least is a revision number",
                    Outcome::kInvalid);
    }
    input.at_least = *r;
  }
  Result<Decision> d = Decide(input);
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
    r.headers.emplace_back(kFacilitiesHeader, JoinFacilities(d->facilities));
  } else {
    r.status = 403;
    if (envoy) {
      r.content_type = kJson;
      r.body =
          fmt::format("{{\"allowed\":false,\"revision\":{}}}", d->revision);
    }
  }
  metrics_.RecordDecision(endpoint,
                          d->allowed ? Outcome::kAllowed : Outcome::kDenied,
                          Clock::now() - start);
  return r;
}

HttpResponse DecisionService::Explain(const HttpRequest& request,
                                      std::string_view query) {
  const Clock::time_point start = Clock::now();
  auto invalid = [&](HttpResponse r) {
    metrics_.RecordDecision(Endpoint::kExplain, Outcome::kInvalid,
                            Clock::now() - start);
    return r;
  };
  std::optional<Params> params = ParseQuery(query);
  if (!params) return invalid(UsageError("malformed query string"));
  std::string insz, app, hco, lang, at_least, wait_ms;
  std::vector<std::string_view> seen;
  if (auto bad = TakeParams(*params,
                            {{"insz", &insz},
                             {"app", &app},
                             {"hco", &hco},
                             {"lang", &lang},
                             {"at_least", &at_least},
                             {"wait_ms", &wait_ms}},
                            &seen)) {
    return invalid(UsageError(*bad));
  }
  if (at_least.empty()) at_least = std::string(request.Header(kAtLeastHeader));
  if (insz.empty() || app.empty()) {
    return invalid(UsageError("explain needs insz and app"));
  }
  if (lang.empty()) lang = "en";
  if (lang != "nl" && lang != "en") {
    return invalid(UsageError("lang is nl or en"));
  }
  std::chrono::milliseconds wait = options_.max_wait;
  uint64_t revision = 0;
  if (!at_least.empty()) {
    std::optional<uint64_t> r = ParseUnsigned(at_least);
    if (!r) return invalid(UsageError("at_least is a revision number"));
    revision = *r;
  }
  if (!wait_ms.empty()) {
    std::optional<uint64_t> w = ParseUnsigned(wait_ms);
    if (!w) return invalid(UsageError("wait_ms is a number of milliseconds"));
    wait = std::chrono::milliseconds(static_cast<int64_t>(*w));
  }
  Status caught = CatchUpTo(revision, wait);
  Result<Explanation> e =
      caught.ok() ? engine_->Explain(insz, app, hco,
                                     lang == "nl" ? Lang::kNl : Lang::kEn)
                  : Result<Explanation>(caught);
  if (!e.ok()) {
    metrics_.RecordDecision(Endpoint::kExplain, OutcomeFor(e.status()),
                            Clock::now() - start);
    return FailureResponse(e.status());
  }
  metrics_.RecordDecision(Endpoint::kExplain,
                          e->allowed ? Outcome::kAllowed : Outcome::kDenied,
                          Clock::now() - start);
  return JsonResponse(200, ExplanationToJson(*e));
}

HttpResponse DecisionService::Health() const {
  const FollowState follow = engine_->follow_state();
  const StartupInfo startup = engine_->startup();
  bool healthy = true;
  // Loading the graph after a start from an index snapshot: checks are
  // answered (at the snapshot's revision), the follower starts after it.
  const bool loading = !startup.model_loaded;
  if (!loading && options_.follow_interval.count() > 0) {
    const int64_t now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch())
            .count();
    const int64_t since =
        std::max<int64_t>(follow.last_catch_up_ms,
                          std::chrono::duration_cast<std::chrono::milliseconds>(
                              started_.time_since_epoch())
                              .count());
    const int64_t limit =
        std::max<int64_t>(5000, 50 * options_.follow_interval.count());
    healthy = now_ms - since <= limit;
  }
  // A database file or log removed or replaced under the engine, or a
  // failed look at it (FollowState::store_ok): nothing it answers can be
  // trusted to be current.
  if (!follow.store_ok) healthy = false;
  nlohmann::json j = {{"status", !follow.store_ok ? "store_unavailable"
                                 : loading        ? "loading"
                                 : healthy        ? "ok"
                                                  : "stale"},
                      {"revision", follow.revision},
                      {"model_loaded", startup.model_loaded},
                      {"from_snapshot", startup.from_snapshot},
                      {"last_catch_up_ms", follow.last_catch_up_ms},
                      {"catch_ups", follow.catch_ups},
                      {"follow_failures", follow.failures}};
  if (!follow.last_error.empty()) j["last_error"] = follow.last_error;
  if (!follow.store_ok) j["store_error"] = follow.store_error;
  return JsonResponse(
      healthy ? 200 : 503,
      j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace toegang::serve
