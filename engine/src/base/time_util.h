// UTC timestamps as the database and the audit log keep them.
#ifndef TOEGANG_TIME_UTIL_H_
#define TOEGANG_TIME_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace toegang {

// Seconds since the Unix epoch, now.
int64_t NowSeconds();
// Milliseconds since the Unix epoch, now.
int64_t NowMillis();
// "2026-11-28T17:41:53Z".
std::string FormatUtc(int64_t seconds);
// The inverse of FormatUtc; 0 when text is not in that form.
int64_t ParseUtc(std::string_view text);

}  // namespace toegang

#endif  // TOEGANG_TIME_UTIL_H_
