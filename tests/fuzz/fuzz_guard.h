// What every fuzz target of tests/fuzz/ shares: a failed expectation and an
// exception that escapes the code under test both stop the fuzzer (the
// engine promises that no exception crosses its API).
#ifndef TOEGANG_TESTS_FUZZ_FUZZ_GUARD_H_
#define TOEGANG_TESTS_FUZZ_FUZZ_GUARD_H_

#include <cstdio>
#include <exception>

namespace toegang::fuzz {

inline void Check(bool condition) {
  if (!condition) __builtin_trap();
}

// Runs body(); traps when it throws. `what` names the code under test.
template <typename Body>
void WithoutEscapes(const char* what, Body body) {
  try {
    body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "exception escaped %s: %s\n", what, e.what());
    __builtin_trap();
  } catch (...) {
    std::fprintf(stderr, "unknown exception escaped %s\n", what);
    __builtin_trap();
  }
}

}  // namespace toegang::fuzz

#endif  // TOEGANG_TESTS_FUZZ_FUZZ_GUARD_H_
