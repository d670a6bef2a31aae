// Waiting in a test for a condition that another thread or process makes
// true, instead of sleeping for a guessed time: poll it until it holds or a
// bound passes, and let the test assert on the answer.
#ifndef TOEGANG_TESTS_EVENTUALLY_H_
#define TOEGANG_TESTS_EVENTUALLY_H_

#include <chrono>
#include <thread>

namespace toegang::testing {

// Calls pred() every `poll` until it returns true (then returns true) or
// `bound` has passed since the call (then returns pred()'s last answer,
// asked once more at the deadline). The bound only limits a failing test:
// a passing one returns as soon as the condition holds.
template <typename Pred>
bool Eventually(Pred pred,
                std::chrono::milliseconds bound = std::chrono::seconds(5),
                std::chrono::milliseconds poll = std::chrono::milliseconds(2)) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(poll);
  }
  return pred();
}

}  // namespace toegang::testing

#endif  // TOEGANG_TESTS_EVENTUALLY_H_
