#include "revision_waiter.h"

#include <algorithm>
#include <utility>

namespace toegang::serve {
namespace {

// How often the change log is read while someone waits (as
// Engine::CatchUp polls).
constexpr std::chrono::milliseconds kPollInterval{10};

}  // namespace

RevisionWaiter::RevisionWaiter(Engine* engine, size_t max_waiting)
    : engine_(engine),
      max_waiting_(std::max<size_t>(max_waiting, 1)),
      thread_([this] { Run(); }) {}

RevisionWaiter::~RevisionWaiter() { Stop(); }

bool RevisionWaiter::Wait(uint64_t revision, Clock::time_point deadline,
                          std::function<void()> done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_ || waiters_.size() >= max_waiting_) return false;
    waiters_.push_back({revision, deadline, std::move(done)});
    added_ = true;
  }
  wake_.notify_one();
  return true;
}

void RevisionWaiter::ReleaseAll() {
  std::vector<Waiter> released;
  {
    std::lock_guard<std::mutex> lock(mu_);
    released.swap(waiters_);
  }
  for (Waiter& w : released) w.done();
}

void RevisionWaiter::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_ && !thread_.joinable()) return;
    stopped_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
    thread_.join();
  }
  std::vector<Waiter> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    dropped.swap(waiters_);
  }
}

size_t RevisionWaiter::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiters_.size();
}

void RevisionWaiter::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopped_) {
    if (waiters_.empty()) {
      wake_.wait(lock, [this] { return stopped_ || !waiters_.empty(); });
      continue;
    }
    added_ = false;
    uint64_t wanted = 0;
    for (const Waiter& w : waiters_) wanted = std::max(wanted, w.revision);
    lock.unlock();
    // One look at the change log (bound 0); a failure or a revision not
    // yet committed leaves the waiters to their deadlines.
    if (engine_->revision() < wanted) {
      (void)engine_->CatchUp(wanted, std::chrono::milliseconds(0));
    }
    const uint64_t reached = engine_->revision();
    const Clock::time_point now = Clock::now();
    lock.lock();
    std::vector<Waiter> ready;
    auto split =
        std::partition(waiters_.begin(), waiters_.end(), [&](const Waiter& w) {
          return w.revision > reached && w.deadline > now;
        });
    std::move(split, waiters_.end(), std::back_inserter(ready));
    waiters_.erase(split, waiters_.end());
    Clock::time_point next = now + kPollInterval;
    for (const Waiter& w : waiters_) next = std::min(next, w.deadline);
    lock.unlock();
    for (Waiter& w : ready) w.done();
    ready.clear();
    lock.lock();
    // A new waiter gets its first look at once (read your writes without
    // a poll interval's delay); otherwise the next poll or deadline.
    if (!added_) {
      wake_.wait_until(lock, next, [this] { return stopped_ || added_; });
    }
  }
}

}  // namespace toegang::serve
