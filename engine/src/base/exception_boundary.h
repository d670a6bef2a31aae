// CatchAll: where an exception becomes a Status.
//
// No exception crosses toegang's public API (toegang/status.h), and none
// may end a background thread (an exception leaving a std::thread ends the
// process). The engine reports its own failures as Status; what can still
// throw is underneath it: std::bad_alloc when memory runs out,
// std::length_error when the federation passes a limit of the model's
// numbering (graph/delegation_graph.cc, graph/provenance_table.cc,
// check/check_index.cc), a library's exception that escaped a catch. At
// each public entry point (engine/guarded_engine.h, Engine::Open) and in
// each unit of a background thread's work, CatchAll runs the work and turns
// such an exception into a Status with code `internal` (kind kStorage, as
// the other failures that are no fault of the request) and a remedy.
//
// Thread safety: stateless; call from any thread.
#ifndef TOEGANG_EXCEPTION_BOUNDARY_H_
#define TOEGANG_EXCEPTION_BOUNDARY_H_

#include <string_view>
#include <utility>

#include "toegang/status.h"

namespace toegang {

// The Status of the exception being handled; call only inside a catch
// block. `during` names the work ("check", "loading the federation").
// Never throws: when even the message cannot be built (no memory left),
// the message is only "out of memory".
Status StatusOfCurrentException(std::string_view during) noexcept;

// Runs body() and returns its result, which is a Status or a Result<T>; an
// exception body throws is returned as StatusOfCurrentException(during).
template <typename Body>
auto CatchAll(std::string_view during, Body&& body) -> decltype(body()) {
  using Returned = decltype(body());
  try {
    return std::forward<Body>(body)();
  } catch (...) {
    return Returned(StatusOfCurrentException(during));
  }
}

}  // namespace toegang

#endif  // TOEGANG_EXCEPTION_BOUNDARY_H_
