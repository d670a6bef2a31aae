// Frozen arrays: where the immutable bases of the in-memory model keep
// their large arrays (LinkBase, PersonTable's base).
//
// Checks never read those arrays (they read the check index); explain,
// listings and writes do, a few entries at a time. A FrozenStore for a
// directory therefore writes each base's arrays, once built, into an
// unnamed file there (O_TMPFILE, or a file unlinked at once) and maps it
// read-only: the kernel pages in what is read and, under memory pressure,
// can drop the pages again, which heap memory without swap cannot. The
// file never has a name, so nothing is left behind by a crash, and it is
// not synced: its content is rebuilt from the database at every start.
// When the file cannot be made (no such directory, read-only, full disk)
// the arrays stay on the heap, as they do for FrozenStore::Heap(); the
// result is the same either way, only where the bytes live differs.
//
// Thread safety: FrozenArray is a read-only view; any number of threads
// may read one (and the memory it views) concurrently. FrozenStore is an
// immutable value. A FrozenBuilder is used by one thread.
#ifndef TOEGANG_FROZEN_STORE_H_
#define TOEGANG_FROZEN_STORE_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace toegang {

// A read-only view of n values of T, kept alive by whoever holds the
// owner of the FrozenBlock its builder returned. Default: empty.
template <typename T>
class FrozenArray {
 public:
  FrozenArray() = default;
  FrozenArray(const T* data, size_t n) : data_(data), size_(n) {}

  const T& operator[](size_t i) const { return data_[i]; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T* data() const { return data_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  const T* data_ = nullptr;
  size_t size_ = 0;
};

// Where frozen arrays go: the heap, or an unnamed file in a directory.
class FrozenStore {
 public:
  static FrozenStore Heap() { return FrozenStore(); }
  // An unnamed file in `dir` for each base (the heap when that fails).
  static FrozenStore InDirectory(std::string dir) {
    FrozenStore s;
    s.dir_ = std::move(dir);
    return s;
  }
  bool heap() const { return dir_.empty(); }
  const std::string& dir() const { return dir_; }

 private:
  FrozenStore() = default;
  std::string dir_;
};

// What keeps one base's frozen arrays alive, and where they went.
struct FrozenBlock {
  std::shared_ptr<const void> owner;
  size_t mapped_bytes = 0;  // in a mapped file (0: on the heap)
};

// Gathers one base's arrays and freezes them together: Finish() moves
// each vector into the store and points its FrozenArray at the result.
//
//   FrozenBuilder b(store);
//   b.Add(std::move(nodes), &base.nodes);
//   base.block = b.Finish();
class FrozenBuilder {
 public:
  explicit FrozenBuilder(FrozenStore store) : store_(std::move(store)) {}

  // Takes v; *out views its values once Finish() returns (not before).
  // T must be trivially copyable: it may be written to a file as bytes.
  template <typename T, typename Alloc>
  void Add(std::vector<T, Alloc>&& v, FrozenArray<T>* out) {
    static_assert(std::is_trivially_copyable_v<T>);
    auto held = std::make_shared<std::vector<T, Alloc>>(std::move(v));
    const std::vector<T, Alloc>& h = *held;
    pieces_.push_back(
        Piece{h.data(), h.size() * sizeof(T), alignof(T), std::move(held),
              [out, n = h.size()](const void* at) {
                *out = FrozenArray<T>(static_cast<const T*>(at), n);
              }});
  }

  // Writes the arrays to the store's file and maps it, or keeps them on
  // the heap; points every FrozenArray given to Add at its values; and
  // returns what keeps those values alive. Never fails: a file that
  // cannot be written leaves the arrays on the heap. Call it once.
  FrozenBlock Finish();

 private:
  struct Piece {
    const void* data;
    size_t bytes;
    size_t align;
    std::shared_ptr<void> held;  // the vector, until it is written
    std::function<void(const void*)> point;
  };
  // The mapping of a new unnamed file holding every piece, or an empty
  // block.
  FrozenBlock WriteAndMap(std::vector<size_t>* offsets);

  FrozenStore store_;
  std::vector<Piece> pieces_;
};

}  // namespace toegang

#endif  // TOEGANG_FROZEN_STORE_H_
