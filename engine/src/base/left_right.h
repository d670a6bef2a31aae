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
// then bounced one cache line on every check (in a benchmark run that had
// started enough threads, two readers at M did 1.05x the checks of one;
// with leased stripes, 1.82x).
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

// ReaderCount: how many threads are inside a read section, counted on the
// reading thread's stripe (above), so readers on different cores write
// different cache lines. Made for Dekker-style hand-overs: a reader
// enters (seq_cst), then looks at what the waiter changes; the waiter
// changes it (seq_cst), then waits until the count is zero, after which
// no reader can still be using what it looked at before the change.
//
// Thread safety: Enter and WaitUntilZero from any thread.
class ReaderCount {
 public:
  // The section of one reader, left when this is destroyed.
  class [[nodiscard]] Inside {
   public:
    explicit Inside(std::atomic<int64_t>& count) : count_(count) {}
    ~Inside() { count_.fetch_sub(1, std::memory_order_release); }
    Inside(const Inside&) = delete;
    Inside& operator=(const Inside&) = delete;

   private:
    std::atomic<int64_t>& count_;
  };

  Inside Enter() const {
    std::atomic<int64_t>& count =
        stripes_[left_right_detail::ThisThreadsStripe()].count;
    count.fetch_add(1, std::memory_order_seq_cst);
    return Inside(count);
  }

  // Returns once every reader that had entered has left. A read takes a
  // few hundred nanoseconds, so a short spin usually sees the stragglers
  // leave. When it does not, a reader was preempted inside its read, and
  // this thread sleeps rather than yields: with readers that never block
  // on every core, a yield can keep the waiter off the CPU until the next
  // scheduler tick (milliseconds; a writer paced at 1,000 commits/s fell
  // to 740-950/s in ReadersUnderWriter/S), while the end of a short sleep
  // preempts a reader at once.
  void WaitUntilZero() const {
    WaitUntilZero([] {});
  }
  // The same, calling on_sleep() each time it is about to sleep because a
  // reader is still inside: a test's way to know, without a timeout, that
  // the waiter is held by that reader. The engine uses the form above.
  template <typename OnSleep>
  void WaitUntilZero(OnSleep&& on_sleep) const {
    for (const Stripe& s : stripes_) {
      for (int spins = 0; s.count.load(std::memory_order_seq_cst) != 0;
           ++spins) {
        if (spins > 64) {
          on_sleep();
          std::this_thread::sleep_for(std::chrono::microseconds(20));
        }
      }
    }
  }

 private:
  struct alignas(128) Stripe {
    std::atomic<int64_t> count{0};
  };
  mutable std::array<Stripe, left_right_detail::kStripes> stripes_;
};

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
    const int version = version_.load(std::memory_order_seq_cst);
    const ReaderCount::Inside inside = readers_[version].Enter();
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
    readers_[1 - old_version].WaitUntilZero();
    version_.store(1 - old_version, std::memory_order_seq_cst);
    readers_[old_version].WaitUntilZero();
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
  std::array<T, 2> instances_;
  std::atomic<int> left_right_{0};      // the instance readers read
  std::atomic<int> version_{0};         // the counter new readers use
  std::array<ReaderCount, 2> readers_;  // one per version
};

}  // namespace toegang

#endif  // TOEGANG_LEFT_RIGHT_H_
