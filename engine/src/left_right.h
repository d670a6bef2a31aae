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
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <utility>

namespace toegang {

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
    Stripe& stripe = stripes_[MyStripe()];
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
  static constexpr size_t kStripes = 32;
  struct alignas(128) Stripe {
    std::array<std::atomic<int64_t>, 2> readers{};
  };

  // Each thread announces itself on a stripe of its own (round robin), so
  // readers on different cores do not share a cache line.
  static size_t MyStripe() {
    static std::atomic<size_t> next{0};
    thread_local const size_t mine =
        next.fetch_add(1, std::memory_order_relaxed) % kStripes;
    return mine;
  }

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
  mutable std::array<Stripe, kStripes> stripes_;
};

}  // namespace toegang

#endif  // TOEGANG_LEFT_RIGHT_H_
