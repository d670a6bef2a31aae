// The inputs of a decision request, whichever part of the request carries
// them: one parser for insz, app, hco, lang, at_least and wait_ms of
// GET/POST /v1/check, GET /v1/explain, /v1/auth and /v1/ext_authz.
//
// An endpoint names the inputs it takes, then hands over the request's
// parts in the order its errors are reported: Once() for each header that
// may occur once, then the query string or the JSON body, then the headers
// that carry an input (TakeHeader), then Finish(). Each input is taken at
// most once: a name given twice in one part, or one input in a header and
// in the query or body, is a duplicate_input error; an unknown name is a
// usage error. Finish() checks and converts what was taken: hco digits
// only (invalid_hco; anything else is refused without echoing it, so an
// answer never carries an HCO other than the one decided on), lang nl or
// en (en when absent), at_least and wait_ms whole numbers of at most
// 2^63 - 1 (usage). An empty value counts as absent there.
//
// The messages are those of docs/embedding.md; the gateways' (Wording::
// kGateway) name a header without "the ... header" and say less about an
// HCO.
//
// Thread safety: a RequestParser is a value used by one thread.
#ifndef TOEGANG_SERVE_DECISION_REQUEST_H_
#define TOEGANG_SERVE_DECISION_REQUEST_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace toegang::serve {

enum class Input { kInsz, kApp, kHco, kLang, kAtLeast, kWaitMs };

// Why a request's inputs are refused: an error code of toegang/
// error_codes.h (usage, duplicate_input, invalid_hco) and its message.
struct RequestError {
  std::string code;
  std::string message;
};

// The inputs as Finish() gives them.
struct DecisionRequest {
  std::string insz, app, hco;       // as given (hco: digits only)
  std::string lang;                 // "nl" | "en" when the endpoint takes lang
  uint64_t at_least = 0;            // 0: none asked
  std::optional<uint64_t> wait_ms;  // nullopt: none asked
};

enum class Wording { kApi, kGateway };

class RequestParser {
 public:
  RequestParser(std::initializer_list<Input> accepted, Wording wording);

  // An error when `header` occurs more than once (count: how often).
  static std::optional<RequestError> Once(std::string_view header,
                                          size_t count);

  // The parameters of a query string (undecoded): a malformed escape, an
  // unknown name or a name given twice is an error.
  std::optional<RequestError> TakeQuery(std::string_view query);
  // A JSON object: string values, and for at_least and wait_ms also
  // non-negative integers; null is absent. Keys as for TakeQuery.
  std::optional<RequestError> TakeBody(std::string_view body);
  // `input` from `header`, present when count > 0 (value: its value); an
  // error when the query or body gave it too.
  std::optional<RequestError> TakeHeader(Input input, std::string_view header,
                                         size_t count, std::string_view value);

  // The value taken for input so far; "" when none.
  const std::string& value(Input input) const;
  // Sets input's value unless one was taken (a default).
  void Default(Input input, std::string value);

  // Checks and converts what was taken (see above).
  std::optional<RequestError> Finish(DecisionRequest* out) const;

 private:
  struct Slot {
    bool accepted = false;
    std::string value;
    std::string source;  // how the part that gave it names it; "" if none
    bool from_header = false;
  };
  Slot& slot(Input input) { return slots_[static_cast<size_t>(input)]; }
  const Slot& slot(Input input) const {
    return slots_[static_cast<size_t>(input)];
  }
  // Claims the parameter or field `name` of a part ("parameter", "field")
  // for *input: an error when no input of this endpoint has that name or
  // the input was given already.
  std::optional<RequestError> Claim(std::string_view part,
                                    std::string_view name, Input* input);

  std::array<Slot, 6> slots_;
  const Wording wording_;
};

}  // namespace toegang::serve

#endif  // TOEGANG_SERVE_DECISION_REQUEST_H_
