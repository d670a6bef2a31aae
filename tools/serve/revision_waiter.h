// Parks requests that wait for a revision (at_least) without holding the
// threads that answer others: one thread of its own catches the engine up
// (Engine::CatchUp, one look at the change log each time) as long as
// anyone waits, and calls each waiter back once the engine's revision is
// at least the one it wants or its deadline has passed.
//
//   RevisionWaiter waiter(engine, 1000);
//   if (!waiter.Wait(rev, deadline, [=] { post(resume-the-request); })) {
//     ...too many waiting: answer 503 now...
//   }
//
// The callbacks run on the waiter's thread and must be short (post the
// real work elsewhere). Each is called exactly once, unless Stop() comes
// first: then each is called at once (its deadline counted as passed) by
// ReleaseAll(), or destroyed uncalled by Stop().
//
// Thread safety: all methods may be called from any thread. The engine
// must outlive the waiter.
#ifndef TOEGANG_SERVE_REVISION_WAITER_H_
#define TOEGANG_SERVE_REVISION_WAITER_H_

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "toegang/engine.h"

namespace toegang::serve {

class RevisionWaiter {
 public:
  using Clock = std::chrono::steady_clock;

  // max_waiting: how many may wait at once (>= 1).
  RevisionWaiter(Engine* engine, size_t max_waiting);
  ~RevisionWaiter();  // Stop()

  RevisionWaiter(const RevisionWaiter&) = delete;
  RevisionWaiter& operator=(const RevisionWaiter&) = delete;

  // Registers a waiter; false (done never called) when max_waiting are
  // waiting already or the waiter is stopped.
  bool Wait(uint64_t revision, Clock::time_point deadline,
            std::function<void()> done);

  // Calls every waiter back now (a server that stops answers them).
  void ReleaseAll();

  // Ends the thread; waiters still registered are dropped uncalled.
  void Stop();

  // How many wait now.
  size_t waiting() const;

 private:
  struct Waiter {
    uint64_t revision;
    Clock::time_point deadline;
    std::function<void()> done;
  };

  void Run();

  Engine* const engine_;
  const size_t max_waiting_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::vector<Waiter> waiters_;  // guarded by mu_
  bool stopped_ = false;         // guarded by mu_
  bool added_ = false;           // guarded by mu_: a waiter came since a look
  std::thread thread_;
};

}  // namespace toegang::serve

#endif  // TOEGANG_SERVE_REVISION_WAITER_H_
