#include "engine/settings.h"

#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "check/index_snapshot.h"
#include "store/open_store.h"
#include "toegang/error_codes.h"

namespace toegang {
namespace {

// A database file's path made absolute at opening, so that the files the
// engine makes beside it later (the index snapshot, the mapped bases) go
// beside it even if the process has changed its working directory since.
// An in-memory database, a URI or a path that cannot be resolved stays as
// it is.
std::string Anchored(const std::string& path) {
  if (!IsFilePath(path)) return path;
  std::error_code ec;
  std::filesystem::path file = std::filesystem::absolute(path, ec);
  return ec ? path : file.string();
}

// Where a long-running engine's compacted bases go (OpenOptions::
// map_bases): an unnamed file beside the database, or the heap for an
// in-memory database or a URI.
FrozenStore BaseStoreFor(const std::string& path, const OpenOptions& options) {
  if (!options.map_bases || !IsFilePath(path)) return FrozenStore::Heap();
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  return FrozenStore::InDirectory(dir.empty() ? "." : dir.string());
}

// Where the index snapshot of the database at (anchored) path lives; ""
// for none (docs/deployment.md, "Start-up from an index snapshot").
std::string SnapshotPathFor(const std::string& path,
                            const OpenOptions& options) {
  if (IsFilePath(path)) return IndexSnapshotPath(path);
  if (!IsServerName(path)) return "";
  const char* file = options.index_snapshot_file.empty()
                         ? std::getenv("TOEGANG_INDEX_SNAPSHOT")
                         : options.index_snapshot_file.c_str();
  if (file == nullptr || *file == '\0') return "";
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(file, ec);
  return ec ? std::string(file) : absolute.string();
}

}  // namespace

bool IsFilePath(const std::string& path) {
  return !path.empty() && path != ":memory:" && !path.starts_with("file:") &&
         !IsServerName(path);
}

Result<Settings> Settings::Resolve(const std::string& path,
                                   const OpenOptions& options) {
  const bool follower = options.mode == OpenMode::kFollower;
  if (follower != (options.follow_interval.count() > 0)) {
    return Status::InvalidInput(
        code::kUsage, follower ? "OpenMode::kFollower needs a follow_interval "
                                 "above zero"
                               : "a follow_interval goes with "
                                 "OpenMode::kFollower only");
  }
  Settings s;
  s.path = Anchored(path);
  s.lazy = options.mode == OpenMode::kOneShot;
  // Calls read parts of the federation (see settings.h), unless the
  // environment variable TOEGANG_ONE_SHOT_LOAD is "whole": then the whole
  // graph at the first call that reads it, as before parts existed.
  const char* load = std::getenv("TOEGANG_ONE_SHOT_LOAD");
  s.parts = s.lazy && !(load != nullptr && std::string_view(load) == "whole");
  s.follow_interval = options.follow_interval;
  s.snapshot_path = SnapshotPathFor(s.path, options);
  s.snapshots = options.index_snapshot && !s.snapshot_path.empty();
  if (s.snapshots && !s.lazy)
    s.snapshot_after_idle = options.snapshot_after_idle;
  s.compact_after_changes = options.compact_after_changes;
  s.index_names = options.index_names && !s.lazy;
  s.base_store = BaseStoreFor(s.path, options);
  s.load_gate_for_tests = options.load_gate_for_tests;
  return s;
}

}  // namespace toegang
