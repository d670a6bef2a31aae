#include "metrics.h"

#include <fmt/format.h>

#include <iterator>

namespace toegang::serve {
namespace {

constexpr std::array<const char*, 4> kEndpointNames = {"check", "auth",
                                                       "ext_authz", "explain"};
constexpr std::array<const char*, 5> kOutcomeNames = {
    "allowed", "denied", "invalid", "not_reached", "error"};

}  // namespace

void Metrics::RecordDecision(Endpoint endpoint, Outcome outcome,
                             std::chrono::nanoseconds took) {
  const auto e = static_cast<size_t>(endpoint);
  decisions_[e][static_cast<size_t>(outcome)].fetch_add(
      1, std::memory_order_relaxed);
  const double seconds = static_cast<double>(took.count()) * 1e-9;
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  Histogram& h = latency_[e];
  h.buckets[b].fetch_add(1, std::memory_order_relaxed);
  h.sum_ns.fetch_add(static_cast<uint64_t>(took.count()),
                     std::memory_order_relaxed);
}

void Metrics::RecordResponse(int status) {
  const size_t cls =
      status >= 100 && status < 600 ? static_cast<size_t>(status / 100 - 1) : 5;
  responses_[cls].fetch_add(1, std::memory_order_relaxed);
}

uint64_t Metrics::decisions(Endpoint endpoint, Outcome outcome) const {
  return decisions_[static_cast<size_t>(endpoint)][static_cast<size_t>(outcome)]
      .load(std::memory_order_relaxed);
}

std::string Metrics::Render(const FollowState& follow,
                            const StartupInfo& startup,
                            double stale_seconds) const {
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it,
                 "# HELP toegang_decisions_total Decisions answered, by "
                 "endpoint and outcome.\n"
                 "# TYPE toegang_decisions_total counter\n");
  for (size_t e = 0; e < kEndpoints; ++e) {
    for (size_t o = 0; o < kOutcomes; ++o) {
      fmt::format_to(
          it, "toegang_decisions_total{{endpoint=\"{}\",outcome=\"{}\"}} {}\n",
          kEndpointNames[e], kOutcomeNames[o],
          decisions_[e][o].load(std::memory_order_relaxed));
    }
  }
  fmt::format_to(it,
                 "# HELP toegang_decision_duration_seconds Time from the "
                 "parsed request to the answer (catch-up included).\n"
                 "# TYPE toegang_decision_duration_seconds histogram\n");
  for (size_t e = 0; e < kEndpoints; ++e) {
    const Histogram& h = latency_[e];
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += h.buckets[b].load(std::memory_order_relaxed);
      const std::string le =
          b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      fmt::format_to(it,
                     "toegang_decision_duration_seconds_bucket{{endpoint=\"{}"
                     "\",le=\"{}\"}} {}\n",
                     kEndpointNames[e], le, cumulative);
    }
    fmt::format_to(
        it,
        "toegang_decision_duration_seconds_sum{{endpoint=\"{}\"}} "
        "{:.9f}\n"
        "toegang_decision_duration_seconds_count{{endpoint=\"{}\"}} "
        "{}\n",
        kEndpointNames[e],
        static_cast<double>(h.sum_ns.load(std::memory_order_relaxed)) * 1e-9,
        kEndpointNames[e], cumulative);
  }
  fmt::format_to(it,
                 "# HELP toegang_http_requests_total HTTP responses, by "
                 "status class.\n"
                 "# TYPE toegang_http_requests_total counter\n");
  constexpr std::array<const char*, 6> kClasses = {"1xx", "2xx", "3xx",
                                                   "4xx", "5xx", "other"};
  for (size_t c = 0; c < kClasses.size(); ++c) {
    fmt::format_to(it, "toegang_http_requests_total{{code=\"{}\"}} {}\n",
                   kClasses[c], responses_[c].load(std::memory_order_relaxed));
  }
  fmt::format_to(it,
                 "# HELP toegang_waiting_requests Requests parked until the "
                 "model reaches their at_least revision.\n"
                 "# TYPE toegang_waiting_requests gauge\n"
                 "toegang_waiting_requests {}\n",
                 waiting_.load(std::memory_order_relaxed));
  fmt::format_to(
      it,
      "# HELP toegang_revision Revision of the model decisions are made on.\n"
      "# TYPE toegang_revision gauge\n"
      "toegang_revision {}\n"
      "# HELP toegang_follow_last_catch_up_timestamp_seconds When the engine "
      "last looked at the change log (unix time; 0: never).\n"
      "# TYPE toegang_follow_last_catch_up_timestamp_seconds gauge\n"
      "toegang_follow_last_catch_up_timestamp_seconds {:.3f}\n"
      "# HELP toegang_follow_catch_ups_total Looks at the change log that "
      "applied commits of other processes.\n"
      "# TYPE toegang_follow_catch_ups_total counter\n"
      "toegang_follow_catch_ups_total {}\n"
      "# HELP toegang_follow_failures_total Looks at the change log that "
      "failed.\n"
      "# TYPE toegang_follow_failures_total counter\n"
      "toegang_follow_failures_total {}\n"
      "# HELP toegang_follow_skipped_total Looks at the change log left to a "
      "writer that held the writer lock (it catches up itself).\n"
      "# TYPE toegang_follow_skipped_total counter\n"
      "toegang_follow_skipped_total {}\n"
      "# HELP toegang_follow_stale_seconds Seconds since the model was last "
      "known to be the database's latest, while /healthz says it is not "
      "(0 while it is ok).\n"
      "# TYPE toegang_follow_stale_seconds gauge\n"
      "toegang_follow_stale_seconds {:.3f}\n"
      "# HELP toegang_store_ok 1 while the database can be read and "
      "followed; 0 when its file or write-ahead log was removed or replaced "
      "under the engine, or the last look at it failed.\n"
      "# TYPE toegang_store_ok gauge\n"
      "toegang_store_ok {}\n"
      "# HELP toegang_model_compactions_total Times the engine folded the "
      "changes made since the load into new shared bases (writes wait for "
      "it, queries do not).\n"
      "# TYPE toegang_model_compactions_total counter\n"
      "toegang_model_compactions_total {}\n",
      follow.revision, static_cast<double>(follow.last_catch_up_ms) / 1000.0,
      follow.catch_ups, follow.failures, follow.skipped, stale_seconds,
      follow.store_ok ? 1 : 0, follow.compactions);
  fmt::format_to(
      it,
      "# HELP toegang_model_loaded 1 when the graph is in memory; 0 while it "
      "loads after a start from an index snapshot.\n"
      "# TYPE toegang_model_loaded gauge\n"
      "toegang_model_loaded {}\n"
      "# HELP toegang_started_from_snapshot 1 when checks were answered from "
      "an index snapshot until the graph was loaded.\n"
      "# TYPE toegang_started_from_snapshot gauge\n"
      "toegang_started_from_snapshot {}\n"
      "# HELP toegang_model_load_seconds How long the last full load of the "
      "graph took.\n"
      "# TYPE toegang_model_load_seconds gauge\n"
      "toegang_model_load_seconds {:.3f}\n",
      startup.model_loaded ? 1 : 0, startup.from_snapshot ? 1 : 0,
      static_cast<double>(startup.load_ms) / 1000.0);
  return fmt::to_string(out);
}

}  // namespace toegang::serve
