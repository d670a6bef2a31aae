// Status and Result<T>: how every public toegang call reports failure.
//
// No exception crosses the public API. A call returns a Status (or a
// Result<T>, which is a Status plus a value on success); an exception
// inside toegang (out of memory, a capacity limit of the model) is caught
// where the call enters and returned as a Status with code `internal`.
// A failed Status carries:
//   - a stable, machine-readable code (see toegang/error_codes.h and
//     docs/cli.md), e.g. "not_authorized", "invalid_insz";
//   - a human message that names the remedy (manual step, who can act);
//   - a Kind that classifies the failure and decides the CLI exit code.
//
// Example:
//   toegang::Result<toegang::Insz> r = toegang::Insz::Parse(text);
//   if (!r.ok()) { std::cerr << r.status().message(); return; }
//   use(r.value());
//
// Thread safety: Status and Result are values; distinct objects may be used
// from distinct threads freely, one object is not synchronized.
#ifndef TOEGANG_STATUS_H_
#define TOEGANG_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace toegang {

class [[nodiscard]] Status {
 public:
  // What kind of failure this is. The CLI maps kinds to exit codes
  // (SPEC 7): kInvalidInput -> 2, kRefused -> 3, kStorage -> 4.
  enum class Kind {
    kOk,
    kInvalidInput,  // the request itself is malformed (bad INSZ, unknown code)
    kRefused,       // well-formed, but a rule of SPEC 4.4 forbids it
    kStorage,       // the database or the file system failed
  };

  // A success.
  Status() = default;
  static Status Ok() { return Status(); }

  static Status InvalidInput(std::string_view code, std::string message) {
    return Status(Kind::kInvalidInput, code, std::move(message));
  }
  static Status Refused(std::string_view code, std::string message) {
    return Status(Kind::kRefused, code, std::move(message));
  }
  static Status Storage(std::string_view code, std::string message) {
    return Status(Kind::kStorage, code, std::move(message));
  }

  bool ok() const { return kind_ == Kind::kOk; }
  Kind kind() const { return kind_; }
  // Stable error code; empty on success.
  const std::string& code() const { return code_; }
  // Human message naming the remedy; empty on success.
  const std::string& message() const { return message_; }

  // "code: message", or "ok".
  std::string ToString() const {
    return ok() ? std::string("ok") : code_ + ": " + message_;
  }

 private:
  Status(Kind kind, std::string_view code, std::string message)
      : kind_(kind), code_(code), message_(std::move(message)) {}

  Kind kind_ = Kind::kOk;
  std::string code_;
  std::string message_;
};

// A value of type T, or the Status that explains why there is none.
// REQUIRES: value() only when ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "a Result built from a Status must be a failure");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T& value() & {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  const T* operator->() const { return &value(); }
  const T& operator*() const { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace toegang

#endif  // TOEGANG_STATUS_H_
