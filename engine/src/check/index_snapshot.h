// Index snapshot: the check index (check_index.h) and the facilities' HCO
// numbers written to a file next to the database, so that an engine opening
// a large federation answers checks from the mapped file within
// milliseconds while it loads the graph in the background
// (docs/architecture.md, "Start-up").
//
// A snapshot is a cache and never the truth: it carries the stamp of the
// database state it was taken from (the revision, a digest of the
// database's history up to it and of the catalogue, keyed with the
// database's secret id, and a fingerprint of that id), and the engine uses
// it only when the database is at exactly that state. A file that is
// missing, stale, truncated, corrupt, from another build, of another
// database or history, owned by someone else, or not a regular file at all
// (a FIFO, a directory, a device, a symbolic link) is refused with the
// reason, without blocking, and the engine loads the graph as before.
//
// File layout (native byte order, which the header records): a 128-byte
// header, then 64-byte aligned sections: the persons in the packed layout
// of check_layout (16-byte slots), the subafdeling entries, the
// facilities' HCO offsets and characters, and the facility indexes in HCO
// order. The header holds a 64-bit hash of the body and of the header's
// other fields.
//
// Thread safety: MappedCheckIndex is immutable once opened; its const
// methods may run concurrently. WriteIndexSnapshot may run concurrently
// with readers of the index it writes, not with changes to it.
#ifndef TOEGANG_INDEX_SNAPSHOT_H_
#define TOEGANG_INDEX_SNAPSHOT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check/check_index.h"
#include "check/check_reader.h"
#include "toegang/status.h"

namespace toegang {

class Catalogue;

// Why a snapshot file was refused (internal: the engine then loads the
// graph; the code shows in Engine::startup(), never as a command's error).
inline constexpr std::string_view kSnapshotInvalid = "snapshot_invalid";

// The database state a snapshot reflects (the engine computes it; see
// EngineImpl::StampFor).
struct SnapshotStamp {
  uint64_t revision = 0;
  uint64_t digest = 0;    // of the history and the catalogue, keyed
  uint64_t database = 0;  // a keyed fingerprint of the database's id
  friend bool operator==(const SnapshotStamp&, const SnapshotStamp&) = default;
};

// Where the snapshot of the database at db_path lives.
std::string IndexSnapshotPath(const std::string& db_path);

// Folds the catalogue's codes (applications, capacities, subdivisions, in id
// order) into a digest: the index stores application ids, which mean
// something only with the same catalogue.
uint64_t CatalogueDigest(const Catalogue& catalogue);

// Incremental 64-bit hash for stamps (not cryptographic: it tells states
// apart, it does not authenticate them).
class StampHasher {
 public:
  void Add(std::string_view bytes);
  void Add(uint64_t value);
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 0x9e3779b97f4a7c15ULL;
};

// Writes the snapshot to `path`: a new file (mode 0600) in the same
// directory, moved over `path` when complete, so that a reader sees the old
// file or the new one (and whatever was at `path`, a FIFO or a symbolic
// link included, is replaced, never opened or followed; a directory there
// stays, and the write fails). Temporary files left by writers that were killed
// (their process is gone) are removed first. `hcos[f]` is the HCO of facility
// index f. Failure codes: io_error.
Status WriteIndexSnapshot(const std::string& path, const SnapshotStamp& stamp,
                          const CheckIndex& index,
                          const std::vector<std::string_view>& hcos);

// Recomputes the hash in the header of a snapshot held in memory (the
// whole file), so that tests and the fuzzer can change bytes and still get
// past the hash to the structural checks. Does nothing to fewer bytes than
// a header.
void SealIndexSnapshot(std::string* file_bytes);

// The stamp in the header of the snapshot at path, without validating the
// rest; nullopt when there is no readable snapshot header (or path is not
// a regular file).
std::optional<SnapshotStamp> ReadSnapshotStamp(const std::string& path);

// A CheckReader (check_reader.h).
class MappedCheckIndex : public check_layout::Reader<MappedCheckIndex> {
 public:
  using check_layout::Reader<MappedCheckIndex>::GrantingHcos;

  // Maps and validates the snapshot at path: every slot, grant and entry
  // points inside the file, every person sits where a lookup finds it and
  // an empty slot ends the table, the hash matches. Never blocks: anything
  // but a regular file is refused before it is opened. Failure codes:
  // io_error (missing, unreadable, not a regular file, not owned by this
  // user or writable by others), snapshot_invalid (anything else), with
  // the reason in the message.
  static Result<std::unique_ptr<MappedCheckIndex>> Open(
      const std::string& path);
  ~MappedCheckIndex();
  MappedCheckIndex(const MappedCheckIndex&) = delete;
  MappedCheckIndex& operator=(const MappedCheckIndex&) = delete;

  const SnapshotStamp& stamp() const { return stamp_; }
  // The revision of the database state the snapshot was taken from.
  uint64_t revision() const { return stamp_.revision; }
  size_t persons() const { return persons_; }
  size_t grants() const { return grants_; }

  // The facility index of a canonical HCO number, or nullopt.
  std::optional<uint32_t> FindFacility(std::string_view hco) const;
  // The HCO number of facility index f. REQUIRES: f < facility_count().
  std::string_view hco(uint32_t f) const {
    return {hco_chars_ + hco_offsets_[f],
            hco_offsets_[f + 1] - hco_offsets_[f]};
  }
  size_t facility_count() const { return facilities_; }
  // The HCO numbers (sorted, unique) of the facilities through which the
  // person may use app, only `facility` unless it is kAnyFacility.
  std::vector<std::string> GrantingHcos(uint64_t insz, unsigned app,
                                        uint32_t facility) const {
    return GrantingHcos(insz, app, facility,
                        [this](uint32_t f) { return hco(f); });
  }

  // The lookups of check_layout::Reader.
  check_layout::GrantSpan Find(uint64_t insz) const {
    const check_layout::PackedSlot* s =
        check_layout::ProbePacked(slots_, homes_, insz);
    if (s == nullptr) return {};
    return check_layout::PackedGrants(*s);
  }
  const check_layout::SubEntry& sub(uint32_t i) const { return subs_[i]; }
  // As CheckIndex::Prefetch.
  void Prefetch(uint64_t insz) const {
    check_layout::PrefetchPacked(slots_, homes_, insz);
  }

 private:
  MappedCheckIndex() = default;
  Status Validate();

  void* base_ = nullptr;
  size_t size_ = 0;
  SnapshotStamp stamp_;
  size_t persons_ = 0, grants_ = 0;
  const check_layout::PackedSlot* slots_ = nullptr;
  size_t slot_count_ = 0, homes_ = 0;
  const check_layout::SubEntry* subs_ = nullptr;
  size_t sub_count_ = 0;
  const uint32_t* hco_offsets_ = nullptr;  // facilities_ + 1 entries
  const char* hco_chars_ = nullptr;
  size_t hco_bytes_ = 0;
  const uint32_t* by_hco_ = nullptr;  // facility indexes in HCO order
  size_t facilities_ = 0;
};
static_assert(CheckReader<MappedCheckIndex>);

}  // namespace toegang

#endif  // TOEGANG_INDEX_SNAPSHOT_H_
