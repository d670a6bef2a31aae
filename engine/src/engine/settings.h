// Settings: the engine's OpenOptions resolved once, at opening, into what
// each part of the engine goes by. This is the one place where the
// options combine: the mode (OpenMode) decides whether the model is built
// lazily and whether the engine follows other processes; index_snapshot,
// read_only and the database's kind (a file, or memory) decide the rest.
//
// Thread safety: immutable after Resolve; read from any thread.
#ifndef TOEGANG_ENGINE_SETTINGS_H_
#define TOEGANG_ENGINE_SETTINGS_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "graph/frozen_store.h"
#include "toegang/engine.h"
#include "toegang/status.h"

namespace toegang {

struct Settings {
  // The database's path, absolute for a file (see Anchored in settings.cc).
  std::string path;
  // OpenMode::kOneShot: the graph is loaded only when a call needs it and
  // the second model instance only when the first write does; nothing is
  // compacted and no background thread runs.
  bool lazy = false;
  // lazy, unless the environment variable TOEGANG_ONE_SHOT_LOAD is
  // "whole": until a call loads the whole graph, calls read parts of the
  // federation (engine/part_model.h), the index snapshot is looked at only
  // for a check, and none is written unless a call loaded the whole graph
  // (docs/architecture.md, "One-shot commands").
  bool parts = false;
  // Above zero only in OpenMode::kFollower: how often the background
  // thread catches up with other processes' commits.
  std::chrono::milliseconds follow_interval{0};
  // Index snapshots are read at opening and written (OpenOptions::
  // index_snapshot, when there is a snapshot_path: memory has no
  // directory for one).
  bool snapshots = false;
  // The index snapshot's file: `<path>-index` beside a database file; for
  // a database on a server (PostgreSQL), OpenOptions::index_snapshot_file
  // or else the file on this host that the environment variable
  // TOEGANG_INDEX_SNAPSHOT names (made absolute at opening), else none.
  std::string snapshot_path;
  // Above zero when the running engine rewrites a stale snapshot after
  // this long without a change (snapshots, not lazy).
  std::chrono::milliseconds snapshot_after_idle{0};
  // OpenOptions::compact_after_changes (0: the default rule); not lazy.
  size_t compact_after_changes = 0;
  // OpenOptions::index_names; not lazy.
  bool index_names = false;
  // Where compacted bases go (OpenOptions::map_bases).
  FrozenStore base_store = FrozenStore::Heap();
  std::function<void()> load_gate_for_tests;

  bool follows() const { return follow_interval.count() > 0; }
  bool keeps_snapshot() const { return snapshot_after_idle.count() > 0; }

  // Failure: usage (kInvalidInput) when follow_interval does not go with
  // the mode (kFollower needs one above zero, the others none).
  static Result<Settings> Resolve(const std::string& path,
                                  const OpenOptions& options);
};

// Whether path names a database file (not memory, not a URI, not a
// server's database).
bool IsFilePath(const std::string& path);

}  // namespace toegang

#endif  // TOEGANG_ENGINE_SETTINGS_H_
