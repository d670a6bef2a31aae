// AdviseHugePages: asks the kernel to back a large, already allocated
// buffer with transparent huge pages (Linux, madvise mode), for tables that
// are probed at random, where a TLB miss costs as much as the cache miss.
//
// Only the 2 MiB-aligned part of [data, data + bytes) is advised; small
// buffers are left alone. A hint: failure is harmless and not reported.
// The buffer's owner and allocator are unchanged.
//
// Thread safety: thread-safe (one system call).
#ifndef TOEGANG_HUGE_PAGES_H_
#define TOEGANG_HUGE_PAGES_H_

#include <cstddef>

namespace toegang {

void AdviseHugePages(const void* data, size_t bytes);

}  // namespace toegang

#endif  // TOEGANG_HUGE_PAGES_H_
