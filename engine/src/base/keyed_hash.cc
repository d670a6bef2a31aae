#include "base/keyed_hash.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace toegang {
namespace {

uint64_t LoadLittle(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

void Round(uint64_t* v) {
  v[0] += v[1];
  v[1] = std::rotl(v[1], 13) ^ v[0];
  v[0] = std::rotl(v[0], 32);
  v[2] += v[3];
  v[3] = std::rotl(v[3], 16) ^ v[2];
  v[0] += v[3];
  v[3] = std::rotl(v[3], 21) ^ v[0];
  v[2] += v[1];
  v[1] = std::rotl(v[1], 17) ^ v[2];
  v[2] = std::rotl(v[2], 32);
}

// One 8-byte word through the state: two rounds (the "2" of 2-4).
void Absorb(uint64_t* v, uint64_t m) {
  v[3] ^= m;
  Round(v);
  Round(v);
  v[0] ^= m;
}

}  // namespace

KeyedHasher::KeyedHasher(const DatabaseKey& key) {
  const uint64_t k0 = LoadLittle(key.data());
  const uint64_t k1 = LoadLittle(key.data() + 8);
  // The initial state: the key folded into "somepseudorandomlygeneratedbytes".
  v_[0] = k0 ^ 0x736f6d6570736575ULL;
  v_[1] = k1 ^ 0x646f72616e646f6dULL;
  v_[2] = k0 ^ 0x6c7967656e657261ULL;
  v_[3] = k1 ^ 0x7465646279746573ULL;
}

void KeyedHasher::Update(const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  length_ += n;
  while (n > 0) {
    const size_t take = std::min(n, sizeof tail_ - tail_size_);
    std::memcpy(tail_ + tail_size_, p, take);
    tail_size_ += take;
    p += take;
    n -= take;
    if (tail_size_ == sizeof tail_) {
      Absorb(v_, LoadLittle(tail_));
      tail_size_ = 0;
    }
  }
}

void KeyedHasher::Add(std::string_view text) {
  Add(static_cast<uint64_t>(text.size()));
  Update(text.data(), text.size());
}

void KeyedHasher::Add(uint64_t value) {
  unsigned char bytes[8];
  for (unsigned char& b : bytes) {
    b = static_cast<unsigned char>(value & 0xff);
    value >>= 8;
  }
  Update(bytes, sizeof bytes);
}

uint64_t KeyedHasher::Final() const {
  uint64_t v[4] = {v_[0], v_[1], v_[2], v_[3]};
  // The last word: the bytes left over and the length's low byte on top.
  uint64_t last = (length_ & 0xff) << 56;
  for (size_t i = 0; i < tail_size_; ++i) {
    last |= static_cast<uint64_t>(tail_[i]) << (8 * i);
  }
  Absorb(v, last);
  v[2] ^= 0xff;
  for (int i = 0; i < 4; ++i) Round(v);  // the "4" of 2-4
  return v[0] ^ v[1] ^ v[2] ^ v[3];
}

}  // namespace toegang
