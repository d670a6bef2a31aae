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
#include "toegang/text.h"

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

// Every JSON answer, with the names' bidirectional controls and line
// separators written as escapes (toegang/text.h), as the CLI writes them.
HttpResponse JsonResponse(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = kJson;
  r.body = JsonDisplaySafe(body);
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
    std::vector<std::string_view>* seen, bool* duplicate) {
  for (const auto& [name, value] : params) {
    auto it = std::find_if(wanted.begin(), wanted.end(),
                           [&](const auto& w) { return w.first == name; });
    if (it == wanted.end()) return "unknown parameter `" + name + "`";
    if (std::find(seen->begin(), seen->end(), it->first) != seen->end()) {
      *duplicate = true;
      return "parameter `" + name + "` is given twice; send each input once";
    }
    seen->push_back(it->first);
    *it->second = value;
  }
  return std::nullopt;
}

HttpResponse DuplicateError(std::string_view what) {
  return ErrorResponse(
      400, code::kDuplicateInput,
      std::string(what) + " is given twice; send each input once");
}

// The HCO as gateways send it: digits only. Anything else (a sign, a space,
// a dot) is refused here without echoing it, so that an answer never
// carries an HCO other than the one decided on.
bool BareDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

HttpResponse InvalidHco() {
  return ErrorResponse(400, code::kInvalidHco,
                       "hco is a facility's HCO number: digits only, "
                       "nothing around them");
}

// Parses a JSON object body; *duplicate names a key given twice at its top
// level (nlohmann keeps the last of them silently).
nlohmann::json ParseBody(std::string_view body, std::string* duplicate) {
  std::vector<std::string> keys;
  auto callback = [&](int depth, nlohmann::json::parse_event_t event,
                      nlohmann::json& parsed) {
    if (event == nlohmann::json::parse_event_t::key && depth == 1 &&
        parsed.is_string()) {
      std::string key = parsed.get<std::string>();
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
        if (duplicate->empty()) *duplicate = key;
      } else {
        keys.push_back(std::move(key));
      }
    }
    return true;
  };
  return nlohmann::json::parse(body, callback, false);
}

}  // namespace

DecisionService::DecisionService(Engine* engine, ServiceOptions options)
    : engine_(engine),
      options_(std::move(options)),
      started_(std::chrono::system_clock::now()) {}

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
    response.body =
        metrics_.Render(engine_->follow_state(), engine_->startup());
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
  CheckInput input;
  input.wait = options_.max_wait;
  std::string at_least = std::string(request.Header(kAtLeastHeader));
  std::string wait_ms;
  auto invalid = [&](HttpResponse r) {
    metrics_.RecordDecision(Endpoint::kCheck, Outcome::kInvalid,
                            Clock::now() - start);
    return r;
  };
  if (request.HeaderCount(kAtLeastHeader) > 1) {
    return invalid(DuplicateError(kAtLeastHeader));
  }
  if (request.method == "POST") {
    std::string duplicate;
    nlohmann::json body = ParseBody(request.body, &duplicate);
    if (!body.is_object()) {
      return invalid(UsageError("the body must be a JSON object"));
    }
    if (!duplicate.empty()) {
      return invalid(DuplicateError("field `" + duplicate + "`"));
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
      if (field == &at_least && request.HeaderCount(kAtLeastHeader) > 0) {
        return invalid(DuplicateError(
            "the revision (field `at_least` and the X-Toegang-At-Least "
            "header)"));
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
    bool duplicate = false;
    if (auto bad = TakeParams(*params,
                              {{"insz", &input.insz},
                               {"app", &input.app},
                               {"hco", &input.hco},
                               {"at_least", &query_at_least},
                               {"wait_ms", &wait_ms}},
                              &seen, &duplicate)) {
      return invalid(duplicate ? ErrorResponse(400, code::kDuplicateInput, *bad)
                               : UsageError(*bad));
    }
    if (std::find(seen.begin(), seen.end(), "at_least") != seen.end()) {
      if (request.HeaderCount(kAtLeastHeader) > 0) {
        return invalid(DuplicateError(
            "the revision (parameter `at_least` and the X-Toegang-At-Least "
            "header)"));
      }
      at_least = query_at_least;
    }
  }
  if (input.insz.empty() || input.app.empty()) {
    return invalid(UsageError("check needs insz and app"));
  }
  if (!input.hco.empty() && !BareDigits(input.hco)) {
    return invalid(InvalidHco());
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
  return AtLeast(
      input.at_least, input.wait,
      [this, input, start](const Status& caught) -> HttpResponse {
        Result<Decision> d =
            caught.ok() ? engine_->Check(input.insz, input.app, input.hco)
                        : Result<Decision>(caught);
        if (!d.ok()) {
          metrics_.RecordDecision(Endpoint::kCheck, OutcomeFor(d.status()),
                                  Clock::now() - start);
          return FailureResponse(d.status());
        }
        // Check accepted the INSZ, so it parses: echo its canonical 11
        // digits as `toegang --json check` does.
        const std::string canonical = Insz::Parse(input.insz)->ToString();
        std::string facilities;
        for (const std::string& f : d->facilities) {
          facilities += facilities.empty() ? "\"" : ",\"";
          facilities += f;  // HCO numbers are digits
          facilities += '"';
        }
        std::string body = fmt::format(
            "{{\"allowed\":{},\"revision\":{},\"facilities\":[{}],"
            "\"insz\":\"{}\",\"app\":{}",
            d->allowed, d->revision, facilities, canonical,
            JsonText(input.app));
        // Bare digits (checked above): the HCO decided on.
        if (!input.hco.empty()) body += ",\"hco\":" + JsonText(input.hco);
        body += '}';
        metrics_.RecordDecision(
            Endpoint::kCheck, d->allowed ? Outcome::kAllowed : Outcome::kDenied,
            Clock::now() - start);
        return JsonResponse(200, std::move(body));
      });
}

HttpResponse DecisionService::Gateway(const HttpRequest& request,
                                      std::string_view query,
                                      Endpoint endpoint) {
  const Clock::time_point start = Clock::now();
  const bool envoy = endpoint == Endpoint::kExtAuthz;
  CheckInput input;
  input.wait = options_.max_wait;

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
  auto duplicate = [&](std::string_view what) {
    return refuse(400, code::kDuplicateInput,
                  std::string(what) + " is given twice; send each input once",
                  Outcome::kInvalid);
  };

  // Each input at most once, whichever header carries it.
  if (request.HeaderCount(options_.insz_header) > 1) {
    return duplicate(options_.insz_header);
  }
  if (request.HeaderCount(kHcoHeader) > 1) return duplicate(kHcoHeader);
  if (request.HeaderCount(kAtLeastHeader) > 1) return duplicate(kAtLeastHeader);
  input.insz = std::string(request.Header(options_.insz_header));
  input.hco = std::string(request.Header(kHcoHeader));
  std::string at_least = std::string(request.Header(kAtLeastHeader));

  if (envoy) {
    // Envoy's path carries the client's original query, which must never
    // steer the decision; the application is the operator's: --app, or
    // the header the proxy sets when the operator named one.
    if (!options_.app_header.empty()) {
      if (request.HeaderCount(options_.app_header) > 1) {
        return duplicate(options_.app_header);
      }
      input.app = std::string(request.Header(options_.app_header));
    }
  } else {
    // nginx's auth_request URI is the operator's configuration, so its
    // query may name the application; no header can (the client's headers
    // reach this subrequest).
    std::optional<Params> params = ParseQuery(query);
    if (!params) {
      return refuse(403, code::kUsage, "malformed query string",
                    Outcome::kInvalid);
    }
    std::string query_hco, query_at_least;
    std::vector<std::string_view> seen;
    bool twice = false;
    if (auto bad = TakeParams(*params,
                              {{"app", &input.app},
                               {"hco", &query_hco},
                               {"at_least", &query_at_least}},
                              &seen, &twice)) {
      return twice ? refuse(400, code::kDuplicateInput, *bad, Outcome::kInvalid)
                   : refuse(403, code::kUsage, *bad, Outcome::kInvalid);
    }
    auto given = [&](std::string_view name) {
      return std::find(seen.begin(), seen.end(), name) != seen.end();
    };
    if (given("hco")) {
      if (request.HeaderCount(kHcoHeader) > 0) {
        return duplicate("the facility (parameter `hco` and X-Toegang-Hco)");
      }
      input.hco = query_hco;
    }
    if (given("at_least")) {
      if (request.HeaderCount(kAtLeastHeader) > 0) {
        return duplicate(
            "the revision (parameter `at_least` and X-Toegang-At-Least)");
      }
      at_least = query_at_least;
    }
  }
  if (input.app.empty()) input.app = options_.default_app;
  if (input.insz.empty()) {
    return refuse(401, "missing_insz",
                  "the request has no " + options_.insz_header + " header",
                  Outcome::kInvalid);
  }
  if (!input.hco.empty() && !BareDigits(input.hco)) {
    return refuse(403, code::kInvalidHco,
                  "hco is a facility's HCO number: digits only",
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
  return AtLeast(
      input.at_least, input.wait,
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
          r.headers.emplace_back(kFacilitiesHeader,
                                 JoinFacilities(d->facilities));
        } else {
          r.status = 403;
          if (envoy) {
            r.content_type = kJson;
            r.body = fmt::format("{{\"allowed\":false,\"revision\":{}}}",
                                 d->revision);
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
  auto invalid = [&](HttpResponse r) {
    metrics_.RecordDecision(Endpoint::kExplain, Outcome::kInvalid,
                            Clock::now() - start);
    return r;
  };
  if (request.HeaderCount(kAtLeastHeader) > 1) {
    return invalid(DuplicateError(kAtLeastHeader));
  }
  std::optional<Params> params = ParseQuery(query);
  if (!params) return invalid(UsageError("malformed query string"));
  std::string insz, app, hco, lang, at_least, wait_ms;
  std::vector<std::string_view> seen;
  bool duplicate = false;
  if (auto bad = TakeParams(*params,
                            {{"insz", &insz},
                             {"app", &app},
                             {"hco", &hco},
                             {"lang", &lang},
                             {"at_least", &at_least},
                             {"wait_ms", &wait_ms}},
                            &seen, &duplicate)) {
    return invalid(duplicate ? ErrorResponse(400, code::kDuplicateInput, *bad)
                             : UsageError(*bad));
  }
  if (request.HeaderCount(kAtLeastHeader) > 0) {
    if (std::find(seen.begin(), seen.end(), "at_least") != seen.end()) {
      return invalid(DuplicateError(
          "the revision (parameter `at_least` and the X-Toegang-At-Least "
          "header)"));
    }
    at_least = std::string(request.Header(kAtLeastHeader));
  }
  if (insz.empty() || app.empty()) {
    return invalid(UsageError("explain needs insz and app"));
  }
  if (!hco.empty() && !BareDigits(hco)) return invalid(InvalidHco());
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
    wait = std::chrono::milliseconds(std::min<uint64_t>(
        *w, static_cast<uint64_t>(options_.max_wait.count())));
  }
  return AtLeast(
      revision, wait,
      [this, insz, app, hco, lang, start](const Status& caught) {
        Result<Explanation> e =
            caught.ok() ? engine_->Explain(insz, app, hco,
                                           lang == "nl" ? Lang::kNl : Lang::kEn)
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
        return JsonResponse(200, ExplanationToJson(*e));
      });
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
