// The admin web pages' static files, compiled into the binary: nothing is
// fetched from elsewhere at run time.
//
// Thread safety: constants.
#ifndef TOEGANG_SERVE_WEB_ASSETS_H_
#define TOEGANG_SERVE_WEB_ASSETS_H_

#include <string_view>

namespace toegang::serve::web {

struct Asset {
  std::string_view content_type;
  std::string_view body;
};

// The asset at path ("/assets/style.css"), or nullptr.
const Asset* FindAsset(std::string_view path);

}  // namespace toegang::serve::web

#endif  // TOEGANG_SERVE_WEB_ASSETS_H_
