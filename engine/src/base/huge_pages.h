// Transparent huge pages (Linux, madvise mode) for tables that are probed
// at random, where a TLB miss costs as much as the cache miss:
//  - AdviseHugePages asks for them on a buffer allocated elsewhere (only
//    its 2 MiB-aligned part; small buffers are left alone);
//  - HugePageAllocator allocates large tables on 2 MiB boundaries and asks
//    for them (small tables come from operator new as usual).
// The advice is a hint: failure is harmless and not reported. Also
// ReturnFreedMemory, and the 64-bit mix the identifier tables hash with.
//
// Thread safety: thread-safe (system calls and pure functions).
#ifndef TOEGANG_HUGE_PAGES_H_
#define TOEGANG_HUGE_PAGES_H_

#include <cstddef>
#include <cstdint>

namespace toegang {

void AdviseHugePages(const void* data, size_t bytes);

// Hands the heap's free pages back to the system (glibc's malloc_trim;
// nothing elsewhere). After a load frees millions of small blocks (the
// graph's build-time overlay), glibc would otherwise keep them resident.
void ReturnFreedMemory();

// A std allocator for large, randomly probed tables (see above).
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  explicit HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(size_t n);
  void deallocate(T* p, size_t n);
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) {
    return true;
  }
};

// Out of line: the system calls stay in huge_pages.cc.
void* AllocateHuge(size_t bytes);
void FreeHuge(void* p, size_t bytes);

template <typename T>
T* HugePageAllocator<T>::allocate(size_t n) {
  return static_cast<T*>(AllocateHuge(n * sizeof(T)));
}
template <typename T>
void HugePageAllocator<T>::deallocate(T* p, size_t n) {
  FreeHuge(p, n * sizeof(T));
}

// The first rounds of MurmurHash3's fmix64 finalizer, for keys such as INSZ
// and KBO numbers, whose low digits are not evenly spread.
inline size_t MixU64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return static_cast<size_t>(x);
}

}  // namespace toegang

#endif  // TOEGANG_HUGE_PAGES_H_
