#include "graph/frozen_store.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace toegang {
namespace {

// Each array starts on a cache line.
constexpr size_t kAlign = 64;

size_t AlignUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

// A new file in dir that no name reaches: O_TMPFILE where the file system
// has it, else a named file unlinked at once. -1 when neither works.
int OpenUnnamed(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  // ENOENT/EACCES/EROFS fail the same way below; EOPNOTSUPP and EISDIR
  // (no O_TMPFILE on this file system or kernel) get the fallback.
  std::string name = dir + "/.toegang-base-XXXXXX";
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) return -1;
  ::unlink(name.c_str());
  return fd;
}

bool WriteAll(int fd, const void* data, size_t bytes, off_t at) {
  const auto* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::pwrite(fd, p, bytes, at);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    bytes -= static_cast<size_t>(n);
    at += n;
  }
  return true;
}

}  // namespace

FrozenBlock FrozenBuilder::WriteAndMap(std::vector<size_t>* offsets) {
  size_t total = 0;
  for (const Piece& p : pieces_) {
    total = AlignUp(total, std::max(kAlign, p.align));
    offsets->push_back(total);
    total += p.bytes;
  }
  if (total == 0) return {};
  const int fd = OpenUnnamed(store_.dir());
  if (fd < 0) return {};
  // Written, not just sized, before it is mapped: a write that finds the
  // disk full fails here, where the heap can take over, and never later
  // as a fault on a page that has no block.
  bool ok = true;
  for (size_t i = 0; i < pieces_.size() && ok; ++i) {
    ok = WriteAll(fd, pieces_[i].data, pieces_[i].bytes,
                  static_cast<off_t>((*offsets)[i]));
  }
  // The padding after the last array, if any, reads as zeros.
  ok = ok && ::ftruncate(fd, static_cast<off_t>(total)) == 0;
  void* at =
      ok ? ::mmap(nullptr, total, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
  ::close(fd);  // the mapping keeps the file
  if (at == MAP_FAILED) return {};
  return {std::shared_ptr<const void>(at,
                                      [total](const void* p) {
                                        ::munmap(const_cast<void*>(p), total);
                                      }),
          total};
}

FrozenBlock FrozenBuilder::Finish() {
  std::vector<size_t> offsets;
  FrozenBlock mapping;
  if (!store_.heap()) mapping = WriteAndMap(&offsets);
  if (mapping.owner != nullptr) {
    const auto* base = static_cast<const unsigned char*>(mapping.owner.get());
    for (size_t i = 0; i < pieces_.size(); ++i) {
      pieces_[i].point(base + offsets[i]);
    }
    pieces_.clear();  // frees the vectors
    return mapping;
  }
  auto kept = std::make_shared<std::vector<std::shared_ptr<void>>>();
  kept->reserve(pieces_.size());
  for (Piece& p : pieces_) {
    p.point(p.data);
    kept->push_back(std::move(p.held));
  }
  pieces_.clear();
  return {std::move(kept), 0};
}

}  // namespace toegang
