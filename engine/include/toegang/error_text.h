// The stable error codes (toegang/error_codes.h) in Dutch: per code one
// or two sentences that say what went wrong and what to do, in the words
// of the manual. A Status's own message (English, as the audit log keeps
// it) adds the particulars: the names, numbers and lines concerned.
// `--lang nl` prints this text with the message as its details
// (docs/cli.md, "Error codes").
//
// Thread safety: a pure function over constant data.
#ifndef TOEGANG_ERROR_TEXT_H_
#define TOEGANG_ERROR_TEXT_H_

#include <string_view>

namespace toegang {

// The Dutch text of code, or "" for a code that has none (a code of a
// newer build, or a reason of explain, which speaks Dutch itself).
std::string_view DutchErrorText(std::string_view code);

}  // namespace toegang

#endif  // TOEGANG_ERROR_TEXT_H_
