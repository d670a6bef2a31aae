// Opaque links to a person's page: the admin pages never put an INSZ in a
// URL (access logs, browser history, Referer), so a person's page is
// /p/TOKEN, where TOKEN is 128 random bits that this process maps to the
// INSZ for a while.
//
// A token lives for `ttl` after it was made and dies with the process;
// at most `capacity` live at once (the oldest goes first).
//
// Thread safety: every method may be called from any thread.
#ifndef TOEGANG_SERVE_WEB_PERSON_TOKENS_H_
#define TOEGANG_SERVE_WEB_PERSON_TOKENS_H_

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace toegang::serve::web {

// 32 lowercase hex digits from the system's random source.
std::string RandomToken();

class PersonTokens {
 public:
  using Clock = std::chrono::steady_clock;

  explicit PersonTokens(std::chrono::seconds ttl = std::chrono::minutes(30),
                        size_t capacity = 20000);

  // A token for this INSZ (11 digits): the live one when there is one.
  std::string TokenFor(const std::string& insz);
  // The INSZ of a live token, or nullopt (unknown, expired, malformed).
  std::optional<std::string> Resolve(std::string_view token);

  // For tests: pretend `by` has passed.
  void AdvanceForTests(std::chrono::seconds by);

 private:
  struct Entry {
    std::string insz;
    Clock::time_point made;
  };
  Clock::time_point Now() const { return Clock::now() + skew_; }
  void DropOldLocked(Clock::time_point now);

  const std::chrono::seconds ttl_;
  const size_t capacity_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> by_token_;
  std::unordered_map<std::string, std::string> by_insz_;
  std::deque<std::string> order_;  // tokens, oldest first
  Clock::duration skew_{0};
};

}  // namespace toegang::serve::web

#endif  // TOEGANG_SERVE_WEB_PERSON_TOKENS_H_
