// Splitting a request target into its path and its query parameters
// (application/x-www-form-urlencoded: percent escapes, '+' for a space).
//
// Thread safety: pure functions over values.
#ifndef TOEGANG_SERVE_QUERY_STRING_H_
#define TOEGANG_SERVE_QUERY_STRING_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace toegang::serve {

struct Target {
  std::string_view path;   // undecoded, e.g. "/v1/check"
  std::string_view query;  // after '?', undecoded; empty when none
};

// "/v1/check?insz=1" -> {"/v1/check", "insz=1"}.
Target SplitTarget(std::string_view target);

// The decoded parameters of a query, in order. nullopt when an escape is
// malformed ("%4", "%zz") or decodes to a NUL byte.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(
    std::string_view query);

// Decodes one component; nullopt as for ParseQuery.
std::optional<std::string> UrlDecode(std::string_view text);

}  // namespace toegang::serve

#endif  // TOEGANG_SERVE_QUERY_STRING_H_
