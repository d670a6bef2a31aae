// LeftRight<T>: two instances of T, one that readers read while the writer
// changes the other, after the Left-Right technique of Ramalhete and
// Correia. Readers never wait for the writer and never take a lock: a read
// announces itself on a counter of its own cache line, reads the instance
// the writer is not touching, and leaves. The writer applies a change to
// the idle instance, points new readers at it, waits until the readers of
// the other instance have left, and applies the same change there. A
// change costs twice its own work and never a copy of T.
//
// Contracts:
//  - Write(fn) calls fn exactly twice, once per instance; fn must bring
//    both to the same state (it is given instances that are equal before).
//  - A Read that starts after Write returns sees the change.
//  - Writers must be serialized by the caller; Write blocks until the
//    readers that were in the old instance have left, so a reader must not
//    call Write (it would wait for itself).
//
// Thread safety: Read from any number of threads, concurrently with one
// writer at a time.
#ifndef TOEGANG_LEFT_RIGHT_H_
#define TOEGANG_LEFT_RIGHT_H_

#include <array>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <utility>

namespace toegang {

namespace left_right_detail {

// Readers announce themselves on one of kStripes counters, each on a cache
// line of its own. A thread leases the lowest free stripe when it first
// reads and gives it back when it exits, so the threads alive at one time
// never share a stripe while there are at most kStripes of them (beyond
// that, the extra ones share, round robin). Handing out stripes round
// robin without giving them back, as before, put the 32nd thread started
// after a long-lived reader on that reader's stripe: two gateway threads
// then bounced one cache line on every check (ReadersUnderWriter/M fell
// from 1.7x to 1.2x once a benchmark run had started enough threads).
inline constexpr size_t kStripes = 32;
inline std::atomic<uint32_t> g_stripes_taken{0};  // bit s: stripe s leased
inline std::atomic<uint32_t> g_stripes_shared{0};

// Gives a leased stripe back when its thread exits.
struct StripeLease {
  uint32_t bit = 0;
  ~StripeLease() {
    if (bit != 0) g_stripes_taken.fetch_and(~bit, std::memory_order_release);
  }
};

// This thread's stripe. Stays valid (a number below kStripes) after the
// lease is given back, so a read from another thread_local's destructor
// still works; it may then share its line, which costs time, not
// correctness.
inline size_t ThisThreadsStripe() {
  thread_local size_t stripe = kStripes;  // trivially destructible
  if (stripe == kStripes) [[unlikely]] {
    thread_local StripeLease lease;
    uint32_t taken = g_stripes_taken.load(std::memory_order_relaxed);
    for (;;) {
      if (taken == UINT32_MAX) {
        stripe =
            g_stripes_shared.fetch_add(1, std::memory_order_relaxed) % kStripes;
        break;
      }
      const int free = std::countr_one(taken);
      const uint32_t bit = uint32_t{1} << free;
      if (g_stripes_taken.compare_exchange_weak(taken, taken | bit,
                                                std::memory_order_acquire,
                                                std::memory_order_relaxed)) {
        lease.bit = bit;
        stripe = static_cast<size_t>(free);
        break;
      }
    }
  }
  return stripe;
}
static_assert(kStripes == 32, "one bit of g_stripes_taken per stripe");

}  // namespace left_right_detail

template <typename T>
class LeftRight {
 public:
  // Both instances start as copies of initial.
  explicit LeftRight(const T& initial) : instances_{initial, initial} {}
  LeftRight(T first, T second)
      : instances_{std::move(first), std::move(second)} {}

  LeftRight(const LeftRight&) = delete;
  LeftRight& operator=(const LeftRight&) = delete;

  // Runs fn(const T&) on the instance readers may read now and returns its
  // result.
  template <typename Fn>
  decltype(auto) Read(Fn&& fn) const {
    Stripe& stripe = stripes_[left_right_detail::ThisThreadsStripe()];
    const int version = version_.load(std::memory_order_seq_cst);
    stripe.readers[version].fetch_add(1, std::memory_order_seq_cst);
    struct Leave {
      std::atomic<int64_t>& counter;
      ~Leave() { counter.fetch_sub(1, std::memory_order_release); }
    } leave{stripe.readers[version]};
    return fn(instances_[left_right_.load(std::memory_order_seq_cst)]);
  }

  // Applies fn(T&) to both instances (see the contract above).
  template <typename Fn>
  void Write(Fn&& fn) {
    const int readable = left_right_.load(std::memory_order_relaxed);
    fn(instances_[1 - readable]);
    left_right_.store(1 - readable, std::memory_order_seq_cst);
    // Flip the version new readers announce themselves on, waiting for the
    // stragglers of each version so none is left in the old instance.
    const int old_version = version_.load(std::memory_order_relaxed);
    WaitForReaders(1 - old_version);
    version_.store(1 - old_version, std::memory_order_seq_cst);
    WaitForReaders(old_version);
    fn(instances_[readable]);
  }

  // The instance as the writer sees it. REQUIRES: called by the (only)
  // writer; both instances are equal between writes.
  const T& WriterView() const {
    return instances_[left_right_.load(std::memory_order_relaxed)];
  }

  // The instance no reader reads, for the writer to fill in when it was
  // built later than the other (e.g. a copy made after opening).
  // REQUIRES: called by the (only) writer, between writes.
  T& Idle() {
    return instances_[1 - left_right_.load(std::memory_order_relaxed)];
  }

 private:
  struct alignas(128) Stripe {
    std::array<std::atomic<int64_t>, 2> readers{};
  };

  // A read takes a few hundred nanoseconds, so a short spin usually sees
  // the stragglers leave. When it does not, a reader was preempted inside
  // its read, and this thread sleeps rather than yields: with readers that
  // never block on every core, a yield can keep the writer off the CPU
  // until the next scheduler tick (milliseconds; a writer paced at 1,000
  // commits/s fell to 740-950/s in ReadersUnderWriter/S), while the end of
  // a short sleep preempts a reader at once.
  void WaitForReaders(int version) const {
    for (const Stripe& s : stripes_) {
      for (int spins = 0;
           s.readers[version].load(std::memory_order_seq_cst) != 0; ++spins) {
        if (spins > 64) {
          std::this_thread::sleep_for(std::chrono::microseconds(20));
        }
      }
    }
  }

  std::array<T, 2> instances_;
  std::atomic<int> left_right_{0};  // the instance readers read
  std::atomic<int> version_{0};     // the counter new readers use
  mutable std::array<Stripe, left_right_detail::kStripes> stripes_;
};

}  // namespace toegang

#endif  // TOEGANG_LEFT_RIGHT_H_
