#include "check/index_snapshot.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <random>

#include "model/catalogue.h"
#include "model/text_forms.h"
#include "toegang/error_codes.h"

namespace toegang {
namespace {

using check_layout::kAnyFacility;
using check_layout::kContinuation;
using check_layout::kCountShift;
using check_layout::kInszMask;
using check_layout::PackedSlot;
using check_layout::SubEntry;

constexpr char kMagic[8] = {'T', 'O', 'E', 'G', 'I', 'D', 'X', '1'};
constexpr uint32_t kByteOrder = 0x01020304;
// 1: 32-byte open-addressing slots; 2: packed, lists apart; 3: packed,
// grants in continuation slots; 4: the stamp keyed with the database's id
// and its history chain, with the id's fingerprint; 5: the grantable sets
// apply the facility rules (the OCMW rule), so a format-4 file, made
// without them, is not trusted.
constexpr uint32_t kFormat = 5;
constexpr size_t kAlign = 64;
// Bounds that keep every size computation far from overflow.
constexpr uint64_t kMaxEntries = uint64_t{1} << 40;

struct FileHeader {
  char magic[8];
  uint32_t byte_order;
  uint32_t format;
  uint64_t revision, digest;
  uint64_t persons, grants;
  uint64_t slot_count, zero, sub_count, facility_count, hco_bytes;  // zero: 0
  uint64_t hash;  // FileHash(): of the body, then of this header
  uint64_t homes;
  uint64_t database;  // SnapshotStamp::database
  uint64_t reserved[2];
};
static_assert(sizeof(FileHeader) == 128);

constexpr uint64_t AlignUp(uint64_t n) {
  return (n + kAlign - 1) / kAlign * kAlign;
}

// Where each section starts, from the counts in the header.
struct Sections {
  uint64_t slots, subs, hco_offsets, hco_chars, by_hco, end;
};
Sections Locate(const FileHeader& h) {
  Sections s{};
  s.slots = sizeof(FileHeader);
  s.subs = AlignUp(s.slots + h.slot_count * sizeof(PackedSlot));
  s.hco_offsets = AlignUp(s.subs + h.sub_count * sizeof(SubEntry));
  s.hco_chars =
      AlignUp(s.hco_offsets + (h.facility_count + 1) * sizeof(uint32_t));
  s.by_hco = AlignUp(s.hco_chars + h.hco_bytes);
  s.end = AlignUp(s.by_hco + h.facility_count * sizeof(uint32_t));
  return s;
}

// The body hash: 64-bit words (the body is a multiple of 64 bytes).
uint64_t HashWords(uint64_t h, const unsigned char* p, size_t n) {
  for (size_t i = 0; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = std::rotl(h ^ (w * 0x9e3779b97f4a7c15ULL), 29) * 0xbf58476d1ce4e5b9ULL;
  }
  return h;
}
constexpr uint64_t kHashSeed = 0x6a09e667f3bcc908ULL;

// The file's hash: the body's words (body_hash, from kHashSeed), then the
// header's with its hash field 0, so that no field of either can change
// unnoticed (the stamp and the section sizes included).
uint64_t FileHash(uint64_t body_hash, FileHeader h) {
  h.hash = 0;
  return HashWords(body_hash, reinterpret_cast<const unsigned char*>(&h),
                   sizeof h);
}

// Streams the body to a file descriptor in 1 MiB chunks, hashing it.
class BodyWriter {
 public:
  explicit BodyWriter(int fd) : fd_(fd), buf_(kChunk) {}
  bool Put(const void* data, size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    while (n > 0) {
      const size_t take = std::min(n, kChunk - used_);
      std::memcpy(buf_.data() + used_, p, take);
      used_ += take;
      written_ += take;
      p += take;
      n -= take;
      if (used_ == kChunk && !Flush()) return false;
    }
    return true;
  }
  bool PadTo(uint64_t offset) {  // offset counted from the file's start
    static const unsigned char kZeros[kAlign] = {};
    while (sizeof(FileHeader) + written_ < offset) {
      const size_t n =
          std::min<uint64_t>(kAlign, offset - sizeof(FileHeader) - written_);
      if (!Put(kZeros, n)) return false;
    }
    return true;
  }
  bool Flush() {
    hash_ = HashWords(hash_, buf_.data(), used_);
    size_t done = 0;
    while (done < used_) {
      const ssize_t w = ::write(fd_, buf_.data() + done, used_ - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      done += static_cast<size_t>(w);
    }
    used_ = 0;
    return true;
  }
  uint64_t hash() const { return hash_; }

 private:
  static constexpr size_t kChunk = size_t{1} << 20;
  int fd_;
  std::vector<unsigned char> buf_;
  size_t used_ = 0;
  uint64_t written_ = 0;
  uint64_t hash_ = kHashSeed;
};

Status IoError(const std::string& what, const std::string& path) {
  return Status::Storage(code::kIoError, fmt::format("{} {}: {}", what, path,
                                                     std::strerror(errno)));
}

// Opens path for reading without blocking and only if it is a regular
// file: not a FIFO (whose open waits for a writer), a device, a directory
// or a symbolic link (not followed). Returns the descriptor and *st, or
// -1 with errno set (ENOENT, EACCES, ..., or EINVAL for a file that is
// not regular).
int OpenRegular(const std::string& path, struct stat* st) {
  if (::lstat(path.c_str(), st) != 0) return -1;
  if (!S_ISREG(st->st_mode)) {
    errno = EINVAL;
    return -1;
  }
  const int fd =
      ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return -1;
  // The name may have been replaced between the two looks.
  if (::fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
    ::close(fd);
    errno = EINVAL;
    return -1;
  }
  return fd;
}

Status Invalid(const std::string& path, std::string_view why) {
  return Status::Storage(kSnapshotInvalid,
                         fmt::format("index snapshot {}: {}", path, why));
}

// A writer killed in the middle of a snapshot leaves its temporary file
// (hundreds of MB at L); remove those of processes that are gone.
void RemoveOrphanedTemporaries(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const std::string prefix = target.filename().string() + ".tmp-";
  const fs::path dir =
      target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string_view rest = std::string_view(name).substr(prefix.size());
    const std::optional<uint64_t> pid =
        FromDigits(rest.substr(0, rest.find('-')));
    if (!pid || *pid == 0 || *pid > INT32_MAX) continue;
    if (::kill(static_cast<pid_t>(*pid), 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

}  // namespace

std::string IndexSnapshotPath(const std::string& db_path) {
  return db_path + "-index";
}

void StampHasher::Add(std::string_view bytes) {
  Add(static_cast<uint64_t>(bytes.size()));
  for (unsigned char c : bytes) {
    h_ = (h_ ^ c) * 0x100000001b3ULL;
  }
}

void StampHasher::Add(uint64_t value) {
  h_ = std::rotl(h_ ^ (value * 0x9e3779b97f4a7c15ULL), 31) *
       0xbf58476d1ce4e5b9ULL;
}

uint64_t CatalogueDigest(const Catalogue& catalogue) {
  StampHasher h;
  h.Add(uint64_t{kFormat});
  for (size_t i = 0; i < catalogue.application_count(); ++i) {
    h.Add(catalogue.application(static_cast<AppId>(i)).code);
  }
  for (size_t i = 0; i < catalogue.capacity_count(); ++i) {
    h.Add(catalogue.capacity(static_cast<CapacityId>(i)).code);
  }
  for (size_t i = 0; i < catalogue.subdivision_count(); ++i) {
    h.Add(catalogue.subdivision(static_cast<SubdivisionId>(i)).code);
  }
  return h.value();
}

Status WriteIndexSnapshot(const std::string& path, const SnapshotStamp& stamp,
                          const CheckIndex& checks,
                          const std::vector<std::string_view>& hcos) {
  CheckIndex::Packed scratch;
  const CheckIndex::Packed& index = checks.Flat(&scratch);
  const std::vector<SubEntry>& subs = checks.subs();
  FileHeader h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.byte_order = kByteOrder;
  h.format = kFormat;
  h.revision = stamp.revision;
  h.digest = stamp.digest;
  h.database = stamp.database;
  h.persons = checks.persons();
  h.grants = checks.grants();
  h.slot_count = index.slots().size();
  h.homes = index.homes();
  h.sub_count = subs.size();
  h.facility_count = hcos.size();
  for (std::string_view hco : hcos) h.hco_bytes += hco.size();
  if (h.hco_bytes >= UINT32_MAX) {
    return Status::Storage(code::kIoError, "too many facilities to snapshot");
  }
  const Sections at = Locate(h);

  RemoveOrphanedTemporaries(path);
  // A fresh name in the same directory, so that the rename is atomic.
  std::random_device rd;
  const std::string tmp =
      fmt::format("{}.tmp-{}-{:08x}", path, ::getpid(), rd());
  const int fd =
      ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("cannot create", tmp);
  auto fail = [&](const char* what) {
    Status s = IoError(what, tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  };
  if (::pwrite(fd, &h, sizeof h, 0) != static_cast<ssize_t>(sizeof h) ||
      ::lseek(fd, sizeof h, SEEK_SET) < 0) {
    return fail("cannot write");
  }
  // The packed persons as they are held in memory.
  BodyWriter out(fd);
  bool ok =
      out.Put(index.slots().data(), index.slots().size() * sizeof(PackedSlot));
  ok = ok && out.PadTo(at.subs);
  for (size_t i = 0; ok && i < subs.size(); ++i) {
    ok = out.Put(&subs[i], sizeof(SubEntry));
  }
  ok = ok && out.PadTo(at.hco_offsets);
  uint32_t offset = 0;
  for (size_t f = 0; ok && f <= hcos.size(); ++f) {
    ok = out.Put(&offset, sizeof offset);
    if (f < hcos.size()) offset += static_cast<uint32_t>(hcos[f].size());
  }
  ok = ok && out.PadTo(at.hco_chars);
  for (size_t f = 0; ok && f < hcos.size(); ++f) {
    ok = out.Put(hcos[f].data(), hcos[f].size());
  }
  ok = ok && out.PadTo(at.by_hco);
  std::vector<uint32_t> by_hco(hcos.size());
  std::iota(by_hco.begin(), by_hco.end(), 0U);
  std::sort(by_hco.begin(), by_hco.end(),
            [&](uint32_t a, uint32_t b) { return hcos[a] < hcos[b]; });
  ok = ok && out.Put(by_hco.data(), by_hco.size() * sizeof(uint32_t));
  ok = ok && out.PadTo(at.end) && out.Flush();
  if (!ok) return fail("cannot write");
  h.hash = FileHash(out.hash(), h);
  if (::pwrite(fd, &h, sizeof h, 0) != static_cast<ssize_t>(sizeof h)) {
    return fail("cannot write");
  }
  // No fsync: a snapshot lost or torn by a power cut fails validation and
  // the engine loads the graph instead.
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return IoError("cannot write", tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = IoError("cannot move into place", path);
    ::unlink(tmp.c_str());
    return s;
  }
  return Status::Ok();
}

void SealIndexSnapshot(std::string* file_bytes) {
  if (file_bytes->size() < sizeof(FileHeader)) return;
  const auto* body =
      reinterpret_cast<const unsigned char*>(file_bytes->data()) +
      sizeof(FileHeader);
  FileHeader h;
  std::memcpy(&h, file_bytes->data(), sizeof h);
  const uint64_t hash = FileHash(
      HashWords(kHashSeed, body, file_bytes->size() - sizeof(FileHeader)), h);
  std::memcpy(file_bytes->data() + offsetof(FileHeader, hash), &hash,
              sizeof hash);
}

std::optional<SnapshotStamp> ReadSnapshotStamp(const std::string& path) {
  struct stat st {};
  const int fd = OpenRegular(path, &st);
  if (fd < 0) return std::nullopt;
  FileHeader h{};
  const ssize_t n = ::pread(fd, &h, sizeof h, 0);
  ::close(fd);
  if (n != static_cast<ssize_t>(sizeof h) ||
      std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 ||
      h.byte_order != kByteOrder || h.format != kFormat) {
    return std::nullopt;
  }
  return SnapshotStamp{h.revision, h.digest, h.database};
}

Result<std::unique_ptr<MappedCheckIndex>> MappedCheckIndex::Open(
    const std::string& path) {
  struct stat st {};
  const int fd = OpenRegular(path, &st);
  if (fd < 0 && errno == EINVAL) {
    return Status::Storage(code::kIoError,
                           fmt::format("{} is not a regular file (a FIFO, a "
                                       "directory, a device or a symbolic "
                                       "link): not read, treated as no "
                                       "snapshot",
                                       path));
  }
  if (fd < 0) return IoError("cannot open", path);
  // Only a file this user wrote and nobody else can change is trusted.
  if (!S_ISREG(st.st_mode) || st.st_uid != ::geteuid() ||
      (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    ::close(fd);
    errno = EPERM;
    return IoError("not a private regular file of this user:", path);
  }
  const auto size = static_cast<size_t>(st.st_size);
  if (size < sizeof(FileHeader)) {
    ::close(fd);
    return Invalid(path, "shorter than its header");
  }
  void* base =
      ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (base == MAP_FAILED) return IoError("cannot map", path);
  std::unique_ptr<MappedCheckIndex> m(new MappedCheckIndex());
  m->base_ = base;
  m->size_ = size;
  Status s = m->Validate();
  if (!s.ok()) {
    return Status::Storage(
        s.code(), fmt::format("index snapshot {}: {}", path, s.message()));
  }
  return m;
}

MappedCheckIndex::~MappedCheckIndex() {
  if (base_ != nullptr) ::munmap(base_, size_);
}

Status MappedCheckIndex::Validate() {
  auto bad = [](std::string_view why) {
    return Status::Storage(kSnapshotInvalid, std::string(why));
  };
  const auto* bytes = static_cast<const unsigned char*>(base_);
  FileHeader h;
  std::memcpy(&h, bytes, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) {
    return bad("not a toegang index snapshot");
  }
  if (h.byte_order != kByteOrder || h.format != kFormat) {
    return bad("written by another build (format or byte order)");
  }
  if (h.slot_count == 0 || h.slot_count > kMaxEntries || h.homes == 0 ||
      h.homes >= h.slot_count || h.zero != 0 || h.sub_count > kMaxEntries ||
      h.facility_count > kMaxEntries || h.hco_bytes > kMaxEntries) {
    return bad("impossible table sizes");
  }
  const Sections at = Locate(h);
  if (at.end != size_) return bad("truncated or padded");
  if (FileHash(HashWords(kHashSeed, bytes + sizeof h, size_ - sizeof h), h) !=
      h.hash) {
    return bad("its hash does not match (damaged)");
  }
  stamp_ = SnapshotStamp{h.revision, h.digest, h.database};
  slots_ = reinterpret_cast<const PackedSlot*>(bytes + at.slots);
  slot_count_ = h.slot_count;
  homes_ = h.homes;
  subs_ = reinterpret_cast<const SubEntry*>(bytes + at.subs);
  sub_count_ = h.sub_count;
  hco_offsets_ = reinterpret_cast<const uint32_t*>(bytes + at.hco_offsets);
  hco_chars_ = reinterpret_cast<const char*>(bytes + at.hco_chars);
  hco_bytes_ = h.hco_bytes;
  by_hco_ = reinterpret_cast<const uint32_t*>(bytes + at.by_hco);
  facilities_ = h.facility_count;

  // Every reference stays inside the file, so no lookup can stray; every
  // person sits where a lookup for it goes (at or after its home, homes in
  // order, no empty slot between), so none is lost; a person's grants fill
  // the slots after its first, so none is read from another.
  if (slots_[slot_count_ - 1].key != 0) {
    return bad("no empty slot ends the person table");
  }
  uint64_t persons = 0, grants = 0;
  size_t last_home = 0, last_empty = SIZE_MAX;  // SIZE_MAX: none yet
  uint64_t pending = 0;  // continuation slots the last person still has
  for (size_t i = 0; i < slot_count_; ++i) {
    const PackedSlot& s = slots_[i];
    const bool no_grant = s.grant.sub == 0 && s.grant.apps == 0;
    if (s.key == 0) {
      // Empty; a probe for the key 0 (no valid INSZ) ends on one.
      if (pending != 0) return bad("a person's grants are cut short");
      if (!no_grant) return bad("an empty slot holds grants");
      last_empty = i;
      continue;
    }
    if ((s.key & kContinuation) != 0) {
      if (s.key != kContinuation || pending == 0) {
        return bad("a continuation slot belongs to no person");
      }
      --pending;
    } else {
      if (pending != 0) return bad("a person's grants are cut short");
      const uint64_t insz = s.key & kInszMask;
      if (insz == 0) return bad("a person has no INSZ");
      const size_t home = check_layout::Home(insz, homes_);
      if (home > i || home < last_home ||
          (last_empty != SIZE_MAX && last_empty >= home)) {
        return bad("a person is not where a lookup looks for it");
      }
      last_home = home;
      ++persons;
      const uint64_t count = s.key >> kCountShift;
      if (count == 0) {
        if (!no_grant) return bad("a person without grants holds one");
        continue;
      }
      pending = count - 1;
    }
    if (s.grant.sub >= sub_count_) return bad("a grant names no subafdeling");
    grants += static_cast<uint64_t>(std::popcount(s.grant.apps));
  }
  if (persons != h.persons || grants != h.grants) {
    return bad("its counts do not match its tables");
  }
  for (size_t i = 0; i < sub_count_; ++i) {
    if (subs_[i].facility != kAnyFacility && subs_[i].facility >= facilities_) {
      return bad("a subafdeling names no facility");
    }
  }
  if (hco_offsets_[0] != 0 || hco_offsets_[facilities_] != hco_bytes_) {
    return bad("the HCO table is inconsistent");
  }
  for (size_t f = 0; f < facilities_; ++f) {
    if (hco_offsets_[f] > hco_offsets_[f + 1]) {
      return bad("the HCO table is inconsistent");
    }
  }
  for (size_t k = 0; k < facilities_; ++k) {
    if (by_hco_[k] >= facilities_ ||
        (k > 0 && !(hco(by_hco_[k - 1]) < hco(by_hco_[k])))) {
      return bad("the HCO order is inconsistent");
    }
  }
  persons_ = persons;
  grants_ = grants;
  return Status::Ok();
}

std::optional<uint32_t> MappedCheckIndex::FindFacility(
    std::string_view hco_text) const {
  const uint32_t* end = by_hco_ + facilities_;
  const uint32_t* it = std::lower_bound(
      by_hco_, end, hco_text,
      [&](uint32_t f, std::string_view want) { return hco(f) < want; });
  if (it == end || hco(*it) != hco_text) return std::nullopt;
  return *it;
}

}  // namespace toegang
