// The decision service's counters and its latency histogram, rendered in
// the Prometheus text exposition format (version 0.0.4) for GET /metrics.
//
// Exposed series (docs/embedding.md lists them with their meaning):
//   toegang_decisions_total{endpoint, outcome}    counter
//   toegang_decision_duration_seconds{...}        histogram (endpoint)
//   toegang_http_requests_total{code}              counter, by status class
//   toegang_waiting_requests                       gauge: parked for at_least
//   toegang_revision                               gauge
//   toegang_follow_last_catch_up_timestamp_seconds gauge
//   toegang_follow_catch_ups_total                 counter
//   toegang_follow_failures_total                  counter
//   toegang_follow_skipped_total                   counter
//   toegang_follow_stale_seconds                   gauge: 0 while healthy
//   toegang_store_ok                               gauge: 1 or 0
//   toegang_model_compactions_total                counter
//
// Thread safety: Record* may be called from any number of threads at once
// (relaxed atomics; a scrape sees each counter consistent on its own, not
// a snapshot of all of them together). Render is safe alongside.
#ifndef TOEGANG_SERVE_METRICS_H_
#define TOEGANG_SERVE_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "toegang/engine.h"

namespace toegang::serve {

// Which door a decision came in through.
enum class Endpoint { kCheck, kAuth, kExtAuthz, kExplain, kCount };

// How a decision ended.
enum class Outcome {
  kAllowed,
  kDenied,
  kInvalid,     // bad input: 400 (check, explain), 401/403 (gateways)
  kNotReached,  // at_least not reached within the bound: 503
  kError,       // storage or internal failure: 500
  kCount
};

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (plus +Inf).
  static constexpr std::array<double, 12> kBuckets = {
      0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001,
      0.0025,   0.005,   0.01,   0.05,    0.25,   1.0};

  void RecordDecision(Endpoint endpoint, Outcome outcome,
                      std::chrono::nanoseconds took);
  // One HTTP response with this status code (any endpoint).
  void RecordResponse(int status);
  // A request parked waiting for a revision (+1), or resumed (-1).
  void AddWaiting(int64_t delta) {
    waiting_.fetch_add(delta, std::memory_order_relaxed);
  }

  uint64_t decisions(Endpoint endpoint, Outcome outcome) const;

  // The exposition text; follow is the engine's follow_state(),
  // stale_seconds what /healthz reports (0 while it says ok).
  std::string Render(const FollowState& follow, const StartupInfo& startup,
                     double stale_seconds) const;

 private:
  static constexpr size_t kEndpoints = static_cast<size_t>(Endpoint::kCount);
  static constexpr size_t kOutcomes = static_cast<size_t>(Outcome::kCount);

  struct Histogram {
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};  // +Inf
    std::atomic<uint64_t> sum_ns{0};
  };

  std::array<std::array<std::atomic<uint64_t>, kOutcomes>, kEndpoints>
      decisions_{};
  std::array<Histogram, kEndpoints> latency_;
  std::array<std::atomic<uint64_t>, 6> responses_{};  // 1xx..5xx, other
  std::atomic<int64_t> waiting_{0};
};

}  // namespace toegang::serve

#endif  // TOEGANG_SERVE_METRICS_H_
