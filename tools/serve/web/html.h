// HTML text for the admin web pages: escaping every value that goes into a
// page, and the frame every page shares (head, language switch, search
// box, footer).
//
// Every name, number and message from the engine reaches a page through
// Html() (or Attr(), which is the same), so a person named
// "<script>alert(1)</script>" is shown as text, never run.
//
// Thread safety: pure functions over values.
#ifndef TOEGANG_SERVE_WEB_HTML_H_
#define TOEGANG_SERVE_WEB_HTML_H_

#include <string>
#include <string_view>

#include "toegang/queries.h"

namespace toegang::serve::web {

// text as HTML element content or a quoted attribute value: first shown as
// toegang/text.h shows any name (control and bidirectional characters as
// visible escapes, invalid UTF-8 replaced), then & < > " ' as character
// references.
std::string Html(std::string_view text);

// text as a part of an id attribute (and of a link's #fragment): ASCII
// letters and digits as they are, every other byte '-'
// ("ehealth-gezondheidszorg", "ama-wvg"); safe unescaped.
std::string IdText(std::string_view text);

// What the frame of a page needs besides its body.
struct Frame {
  Lang lang = Lang::kNl;
  std::string title;  // plain text (escaped here)
  // The path of this page without query, for the language switch
  // ("/enterprise/0403019261"); the switch links to path?lang=xx.
  std::string path = "/";
  std::string csrf;   // the token the search form carries
  std::string query;  // what the search box shows (plain text)
  // The INSZ (11 digits) of the actor the proxy asserted, shown in the
  // header; empty: the pages are read-only, and the footer says so.
  std::string actor;
};

// The whole document: <!doctype html>, head (charset, viewport, the
// compiled-in style sheet), a header with the language switch and the
// search form (POST /search), body_html as it is, footer.
std::string RenderPage(const Frame& frame, std::string_view body_html);

}  // namespace toegang::serve::web

#endif  // TOEGANG_SERVE_WEB_HTML_H_
