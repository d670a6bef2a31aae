#include "web/person_tokens.h"

#include <random>

namespace toegang::serve::web {

std::string RandomToken() {
  // std::random_device reads the kernel's random source on Linux
  // (getrandom / /dev/urandom): unpredictable, not a seeded generator.
  static thread_local std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (int i = 0; i < 4; ++i) {
    uint32_t word = device();
    for (int j = 0; j < 8; ++j) {
      out += kHex[word & 0xF];
      word >>= 4;
    }
  }
  return out;
}

PersonTokens::PersonTokens(std::chrono::seconds ttl, size_t capacity)
    : ttl_(ttl), capacity_(capacity) {}

void PersonTokens::DropOldLocked(Clock::time_point now) {
  while (!order_.empty()) {
    auto it = by_token_.find(order_.front());
    const bool gone = it == by_token_.end();
    if (!gone && now - it->second.made < ttl_ && by_token_.size() < capacity_) {
      break;
    }
    if (!gone) {
      by_insz_.erase(it->second.insz);
      by_token_.erase(it);
    }
    order_.pop_front();
  }
}

std::string PersonTokens::TokenFor(const std::string& insz) {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point now = Now();
  DropOldLocked(now);
  if (auto it = by_insz_.find(insz); it != by_insz_.end()) return it->second;
  std::string token = RandomToken();
  by_token_[token] = Entry{insz, now};
  by_insz_[insz] = token;
  order_.push_back(token);
  return token;
}

std::optional<std::string> PersonTokens::Resolve(std::string_view token) {
  if (token.size() != 32) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point now = Now();
  auto it = by_token_.find(std::string(token));
  if (it == by_token_.end() || now - it->second.made >= ttl_) {
    return std::nullopt;
  }
  return it->second.insz;
}

void PersonTokens::AdvanceForTests(std::chrono::seconds by) {
  std::lock_guard<std::mutex> lock(mu_);
  skew_ += by;
}

}  // namespace toegang::serve::web
