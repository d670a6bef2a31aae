#include "engine/health_record.h"

#include <utility>

#include "base/time_util.h"

namespace toegang {

void HealthRecord::SetStart(bool from_snapshot, std::string note,
                            int64_t snapshot_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  startup_.from_snapshot = from_snapshot;
  startup_.snapshot_note = std::move(note);
  startup_.snapshot_ms = snapshot_ms;
}

void HealthRecord::Look(const Status& outcome, bool applied) {
  std::lock_guard<std::mutex> lock(mu_);
  follow_.last_catch_up_ms = NowMillis();
  if (outcome.ok()) follow_.current_ms = follow_.last_catch_up_ms;
  last_look_failed_ = !outcome.ok();
  if (!outcome.ok()) {
    Failed(outcome.message());
  } else if (applied) {
    ++follow_.catch_ups;
  }
}

HealthRecord::HealthRecord() { follow_.current_ms = NowMillis(); }

void HealthRecord::LoadAttempt(const Status& outcome) {
  std::lock_guard<std::mutex> lock(mu_);
  if (outcome.ok()) follow_.current_ms = NowMillis();
  last_look_failed_ = !outcome.ok();
  if (!outcome.ok()) Failed(outcome.message());
}

void HealthRecord::WatchFailed(const std::string& message) {
  std::lock_guard<std::mutex> lock(mu_);
  last_look_failed_ = true;
  Failed(message);
}

void HealthRecord::Skipped() {
  std::lock_guard<std::mutex> lock(mu_);
  ++follow_.skipped;
}

void HealthRecord::Reloaded() {
  std::lock_guard<std::mutex> lock(mu_);
  ++follow_.reloads;
}

void HealthRecord::Replayed(size_t revisions) {
  std::lock_guard<std::mutex> lock(mu_);
  follow_.replayed += revisions;
}

void HealthRecord::Failed(const std::string& message) {
  ++follow_.failures;
  follow_.last_error = message;
}

FollowState HealthRecord::Follow(uint64_t revision, size_t compactions,
                                 const Status& files) const {
  std::lock_guard<std::mutex> lock(mu_);
  FollowState f = follow_;
  f.revision = revision;
  f.compactions = compactions;
  if (!files.ok()) {
    f.store_ok = false;
    f.store_error = files.message();
  } else if (last_look_failed_) {
    f.store_ok = false;
    f.store_error = follow_.last_error;
  }
  return f;
}

StartupInfo HealthRecord::Startup(bool model_loaded, int64_t load_ms) const {
  std::lock_guard<std::mutex> lock(mu_);
  StartupInfo s = startup_;
  s.model_loaded = model_loaded;
  s.load_ms = load_ms;
  return s;
}

}  // namespace toegang
