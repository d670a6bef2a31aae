// Deterministic randomness for the federation generator.
//
// std::mt19937_64 is specified to the bit by the C++ standard; the
// std::*_distribution classes are not (each library may draw differently).
// So the generator draws only through the small helpers here, which use
// integer arithmetic alone: the same seed gives the same federation with
// any conforming standard library.
//
// Thread safety: a RandomSource is a value; one object is not synchronized.
#ifndef TOEGANG_TOOLS_GENERATOR_RANDOM_SOURCE_H_
#define TOEGANG_TOOLS_GENERATOR_RANDOM_SOURCE_H_

#include <cstdint>
#include <random>

namespace toegang::generator {

// GCC and Clang have 128-bit integers; __extension__ keeps -Wpedantic quiet.
__extension__ typedef unsigned __int128 Uint128;

// SplitMix64's finalizer: a fixed bijection of 64-bit values that mixes
// every input bit into every output bit. Used to derive independent
// streams and keys from one seed.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class RandomSource {
 public:
  // stream separates independent sequences drawn from one seed.
  RandomSource(uint64_t seed, uint64_t stream)
      : engine_(Mix64(seed ^ Mix64(stream))) {}

  uint64_t Next() { return engine_(); }

  // Uniform in [0, n). REQUIRES: n > 0. Lemire's multiply-shift; the bias
  // (at most n / 2^64) does not matter here and keeps one draw per call.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<Uint128>(Next()) * n) >> 64);
  }

  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  uint64_t Between(uint64_t lo, uint64_t hi) { return lo + Below(hi - lo + 1); }

  // True with probability per_mille / 1000.
  bool PerMille(uint64_t per_mille) { return Below(1000) < per_mille; }

 private:
  std::mt19937_64 engine_;
};

// A keyed bijection of [0, size): Feistel rounds on the smallest even
// number of bits that holds size, with cycle walking back into range.
// Gives every generated entity its own identifier slot without a hash set
// of the identifiers handed out so far.
class Permutation {
 public:
  // REQUIRES: 0 < size <= 2^62.
  Permutation(uint64_t size, uint64_t key) : size_(size) {
    int bits = 2;
    while ((uint64_t{1} << bits) < size) bits += 2;
    half_bits_ = bits / 2;
    half_mask_ = (uint64_t{1} << half_bits_) - 1;
    for (int r = 0; r < kRounds; ++r) {
      keys_[r] = Mix64(key + static_cast<uint64_t>(r) * 0x632be59bd9b4e019ULL);
    }
  }

  // REQUIRES: x < size().
  uint64_t operator()(uint64_t x) const {
    do {
      x = Encrypt(x);
    } while (x >= size_);
    return x;
  }

  uint64_t size() const { return size_; }

 private:
  static constexpr int kRounds = 4;

  uint64_t Encrypt(uint64_t x) const {
    uint64_t left = x >> half_bits_;
    uint64_t right = x & half_mask_;
    for (int r = 0; r < kRounds; ++r) {
      const uint64_t next = left ^ (Mix64(right ^ keys_[r]) & half_mask_);
      left = right;
      right = next;
    }
    return (left << half_bits_) | right;
  }

  uint64_t size_;
  int half_bits_ = 1;
  uint64_t half_mask_ = 1;
  uint64_t keys_[kRounds] = {};
};

}  // namespace toegang::generator

#endif  // TOEGANG_TOOLS_GENERATOR_RANDOM_SOURCE_H_
