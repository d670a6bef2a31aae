// The admin web pages' words in Dutch and English: each text written once
// with its two languages side by side.
//
// Thread safety: pure functions over constants.
#ifndef TOEGANG_SERVE_WEB_I18N_H_
#define TOEGANG_SERVE_WEB_I18N_H_

#include <string_view>

#include "toegang/queries.h"

namespace toegang::serve::web {

// The text of `key` in lang; the key itself when the table has none (a
// test checks that every key the pages use is in the table).
std::string_view Tr(std::string_view key, Lang lang);

// Whether the table holds key (for that test).
bool HasText(std::string_view key);

}  // namespace toegang::serve::web

#endif  // TOEGANG_SERVE_WEB_I18N_H_
