// libFuzzer target for the index snapshot reader (index_snapshot.h).
//
// The input bytes are a whole snapshot file. The body hash is recomputed
// first (SealIndexSnapshot), so that the fuzzer reaches the structural
// checks behind it. Opening must refuse the file with snapshot_invalid, or
// map it; a mapped file must answer lookups without reading outside itself
// (ASan) and find every facility by its own HCO number.
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "check/index_snapshot.h"
#include "fuzz_guard.h"

namespace {

using toegang::fuzz::Check;

const std::string& ScratchPath() {
  static const std::string path =
      "/tmp/toegang-index-snapshot-fuzz-" + std::to_string(::getpid());
  return path;
}

bool WriteScratch(const std::string& bytes) {
  const int fd = ::open(ScratchPath().c_str(),
                        O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const bool ok = ::write(fd, bytes.data(), bytes.size()) ==
                  static_cast<ssize_t>(bytes.size());
  ::close(fd);
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  toegang::SealIndexSnapshot(&bytes);
  if (!WriteScratch(bytes)) return 0;
  toegang::fuzz::WithoutEscapes("MappedCheckIndex", [&] {
    toegang::Result<std::unique_ptr<toegang::MappedCheckIndex>> m =
        toegang::MappedCheckIndex::Open(ScratchPath());
    if (!m.ok()) {
      Check(m.status().code() == toegang::kSnapshotInvalid);
      return;
    }
    const toegang::MappedCheckIndex& index = **m;
    // Persons the file may hold (small INSZ-like keys of the seeds and
    // whatever the input's bytes spell) and a few that it cannot.
    for (size_t i = 0; i + 8 <= size; i += 8) {
      uint64_t key = 0;
      for (int b = 0; b < 8; ++b) key |= uint64_t{data[i + b]} << (8 * b);
      for (unsigned app = 0; app < 32; app += 7) {
        (void)index.Allowed(key, app, toegang::check_layout::kAnyFacility);
        (void)index.GrantingHcos(
            key, app, 0, [&](uint32_t f) { return std::string(index.hco(f)); });
      }
    }
    for (uint32_t f = 0; f < index.facility_count(); ++f) {
      Check(index.FindFacility(index.hco(f)) == f);
    }
  });
  return 0;
}
