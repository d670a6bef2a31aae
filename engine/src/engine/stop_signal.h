// StopSignal: tells the engine's threads (the background thread and the
// snapshot watcher, engine.cc and snapshot_keeper.h) that the engine
// closes, and lets them sleep until then.
//
// Thread safety: every method may be called from any thread. It owns one
// mutex, a leaf, held only inside its methods.
#ifndef TOEGANG_ENGINE_STOP_SIGNAL_H_
#define TOEGANG_ENGINE_STOP_SIGNAL_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace toegang {

class StopSignal {
 public:
  // Wakes every waiter; from now on stopping() is true.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
  }
  bool stopping() const {
    std::lock_guard<std::mutex> lock(mu_);
    return stopping_;
  }
  // Sleeps for `period`, or until Stop(), or until done() (looked at when
  // the wait starts and on each wake-up). Returns stopping().
  template <typename Done>
  bool WaitFor(std::chrono::milliseconds period, Done done) const {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, period, [&] { return stopping_ || done(); });
    return stopping_;
  }
  bool WaitFor(std::chrono::milliseconds period) const {
    return WaitFor(period, [] { return false; });
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace toegang

#endif  // TOEGANG_ENGINE_STOP_SIGNAL_H_
