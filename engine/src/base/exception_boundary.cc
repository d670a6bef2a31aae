#include "base/exception_boundary.h"

#include <fmt/format.h>

#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include "toegang/error_codes.h"

namespace toegang {

Status StatusOfCurrentException(std::string_view during) noexcept {
  try {
    try {
      throw;
    } catch (const std::bad_alloc&) {
      return Status::Storage(
          code::kInternal,
          fmt::format("{}: out of memory; give the process more memory (or "
                      "run fewer beside it) and try again",
                      during));
    } catch (const std::length_error& e) {
      return Status::Storage(
          code::kInternal,
          fmt::format("{}: the federation is past a capacity limit of this "
                      "build ({}); report it to the toegang maintainers with "
                      "the output of `toegang stats`",
                      during, e.what()));
    } catch (const std::exception& e) {
      return Status::Storage(
          code::kInternal,
          fmt::format("{}: internal failure ({}); report it to the toegang "
                      "maintainers with this message",
                      during, e.what()));
    } catch (...) {
      return Status::Storage(
          code::kInternal,
          fmt::format("{}: internal failure of an unknown kind; report it to "
                      "the toegang maintainers with this message",
                      during));
    }
  } catch (...) {
    // Building the message failed (no memory): a short one fits in the
    // string itself, without an allocation.
    return Status::Storage(code::kInternal, std::string("out of memory"));
  }
}

}  // namespace toegang
