// The C API of toegang/toegang.h over toegang::Engine. Each entry point
// clears the thread's last error, runs inside a catch-all (no exception may
// cross into C) and maps Status kinds to the TOEGANG_* codes.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "toegang/answer_json.h"
#include "toegang/engine.h"
#include "toegang/error_codes.h"
#include "toegang/status.h"
#include "toegang/toegang.h"

struct toegang_engine {
  std::unique_ptr<toegang::Engine> engine;
};

namespace {

struct LastError {
  std::string code;
  std::string message;
};

LastError& ThreadError() {
  thread_local LastError error;
  return error;
}

void ClearError() {
  LastError& e = ThreadError();
  e.code.clear();
  e.message.clear();
}

int SetError(int result, const char* code, const std::string& message) {
  LastError& e = ThreadError();
  try {
    e.code = code;
    e.message = message;
  } catch (...) {
    e.code.clear();
    e.message.clear();
  }
  return result;
}

int FromStatus(const toegang::Status& status) {
  int result = TOEGANG_INTERNAL;
  switch (status.kind()) {
    case toegang::Status::Kind::kOk:
      return TOEGANG_OK;
    case toegang::Status::Kind::kInvalidInput:
      result = TOEGANG_INVALID_INPUT;
      break;
    case toegang::Status::Kind::kRefused:
      result = TOEGANG_REFUSED;
      break;
    case toegang::Status::Kind::kStorage:
      // An engine's internal failure (base/exception_boundary.h) is
      // TOEGANG_INTERNAL, as an exception caught here would be.
      result = status.code() == toegang::code::kInternal ? TOEGANG_INTERNAL
                                                         : TOEGANG_STORAGE;
      break;
  }
  return SetError(result, status.code().c_str(), status.message());
}

int NullArgument(const char* name) {
  return SetError(TOEGANG_NULL_ARGUMENT, "null_argument",
                  std::string(name) + " must not be NULL");
}

// Runs body, turning any exception into TOEGANG_INTERNAL.
template <typename Body>
int Guarded(Body body) {
  ClearError();
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return SetError(TOEGANG_INTERNAL, "internal", "out of memory");
  } catch (const std::exception& e) {
    return SetError(TOEGANG_INTERNAL, "internal", e.what());
  } catch (...) {
    return SetError(TOEGANG_INTERNAL, "internal", "unknown failure");
  }
}

std::string_view Optional(const char* s) {
  return s == nullptr ? std::string_view() : std::string_view(s);
}

}  // namespace

extern "C" {

int toegang_open(const char* path, int follow_ms, toegang_engine** engine) {
  return Guarded([&] {
    if (engine == nullptr) return NullArgument("engine");
    *engine = nullptr;
    if (path == nullptr) return NullArgument("path");
    if (follow_ms < 0) {
      return SetError(TOEGANG_INVALID_INPUT, "usage",
                      "follow_ms must be 0 or more");
    }
    toegang::OpenOptions options;
    if (follow_ms > 0) {
      options.mode = toegang::OpenMode::kFollower;
      options.follow_interval = std::chrono::milliseconds(follow_ms);
    }
    auto opened = toegang::Engine::Open(path, options);
    if (!opened.ok()) return FromStatus(opened.status());
    auto handle = std::make_unique<toegang_engine>();
    handle->engine = std::move(opened).value();
    *engine = handle.release();
    return static_cast<int>(TOEGANG_OK);
  });
}

void toegang_close(toegang_engine* engine) {
  ClearError();
  delete engine;  // ~Engine stops the follower; it does not throw
}

int toegang_check(toegang_engine* engine, const char* insz, const char* app,
                  const char* hco, int* allowed, uint64_t* revision,
                  char* facilities, size_t facilities_size,
                  size_t* facilities_length) {
  return Guarded([&] {
    if (engine == nullptr) return NullArgument("engine");
    if (insz == nullptr) return NullArgument("insz");
    if (app == nullptr) return NullArgument("app");
    if (allowed == nullptr) return NullArgument("allowed");
    if (facilities != nullptr && facilities_size > 0) facilities[0] = '\0';
    auto d = engine->engine->Check(insz, app, Optional(hco));
    if (!d.ok()) return FromStatus(d.status());
    *allowed = d->allowed ? 1 : 0;
    if (revision != nullptr) *revision = d->revision;
    const std::string list = toegang::FacilitiesList(*d);
    const size_t length = list.size();
    if (facilities_length != nullptr) *facilities_length = length;
    if (facilities == nullptr) return static_cast<int>(TOEGANG_OK);
    if (length + 1 > facilities_size) {
      return SetError(TOEGANG_BUFFER_TOO_SMALL, "buffer_too_small",
                      "the facilities need " + std::to_string(length + 1) +
                          " bytes, the buffer has " +
                          std::to_string(facilities_size));
    }
    std::memcpy(facilities, list.c_str(), length + 1);
    return static_cast<int>(TOEGANG_OK);
  });
}

int toegang_explain(toegang_engine* engine, const char* insz, const char* app,
                    const char* hco, const char* lang, char** json) {
  return Guarded([&] {
    if (json == nullptr) return NullArgument("json");
    *json = nullptr;
    if (engine == nullptr) return NullArgument("engine");
    if (insz == nullptr) return NullArgument("insz");
    if (app == nullptr) return NullArgument("app");
    const std::string_view l = lang == nullptr ? "en" : lang;
    if (l != "en" && l != "nl") {
      return SetError(TOEGANG_INVALID_INPUT, "usage", "lang is nl or en");
    }
    auto e = engine->engine->Explain(
        insz, app, Optional(hco),
        l == "nl" ? toegang::Lang::kNl : toegang::Lang::kEn);
    if (!e.ok()) return FromStatus(e.status());
    const std::string text = toegang::ExplanationToJson(*e);
    char* copy = static_cast<char*>(std::malloc(text.size() + 1));
    if (copy == nullptr) {
      return SetError(TOEGANG_INTERNAL, "internal", "out of memory");
    }
    std::memcpy(copy, text.c_str(), text.size() + 1);
    *json = copy;
    return static_cast<int>(TOEGANG_OK);
  });
}

int toegang_catch_up(toegang_engine* engine, uint64_t revision, int bound_ms) {
  return Guarded([&] {
    if (engine == nullptr) return NullArgument("engine");
    if (bound_ms < 0) {
      return SetError(TOEGANG_INVALID_INPUT, "usage",
                      "bound_ms must be 0 or more");
    }
    return FromStatus(
        engine->engine->CatchUp(revision, std::chrono::milliseconds(bound_ms)));
  });
}

uint64_t toegang_revision(const toegang_engine* engine) {
  ClearError();
  return engine == nullptr ? 0 : engine->engine->revision();
}

void toegang_free(void* p) { std::free(p); }

const char* toegang_last_error(void) { return ThreadError().message.c_str(); }

const char* toegang_last_error_code(void) { return ThreadError().code.c_str(); }

}  // extern "C"
