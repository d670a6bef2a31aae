// KeyedHasher: SipHash-2-4 (Aumasson and Bernstein), a 64-bit pseudorandom
// function of a byte stream under a 128-bit secret key. toegang keys it
// with a database's id (DatabaseKey) to chain the database's history and
// to stamp index snapshots (docs/architecture.md, "Start-up"): without
// the key, which never leaves the database file, nobody can compute a
// chain value or a stamp that the engine would accept, nor tell how one
// was made.
//
// Thread safety: a KeyedHasher is a value; distinct objects may be used
// concurrently.
#ifndef TOEGANG_KEYED_HASH_H_
#define TOEGANG_KEYED_HASH_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace toegang {

// A database's id: 16 random bytes made when the database is created or
// migrated to schema version 2 (schema/0002_database_identity.sql).
using DatabaseKey = std::array<unsigned char, 16>;

class KeyedHasher {
 public:
  explicit KeyedHasher(const DatabaseKey& key);

  // Adds bytes to the stream.
  void Update(const void* data, size_t n);
  // Adds a length-prefixed text, so that ("ab","c") and ("a","bc") differ.
  void Add(std::string_view text);
  // Adds a 64-bit value (8 bytes, little-endian).
  void Add(uint64_t value);
  // The hash of everything added so far (the hasher stays usable).
  uint64_t Final() const;

 private:
  uint64_t v_[4];
  unsigned char tail_[8] = {};
  size_t tail_size_ = 0;
  uint64_t length_ = 0;  // bytes added
};

}  // namespace toegang

#endif  // TOEGANG_KEYED_HASH_H_
