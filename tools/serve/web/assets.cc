#include "web/assets.h"

#include <iterator>

namespace toegang::serve::web {
namespace {

// One style sheet: readable on a phone (one column below 40em), visible
// keyboard focus, allowed/denied not by colour alone (a word says it).
constexpr std::string_view kStyle = R"css(
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,sans-serif;color:#1b1b1b;background:#fafafa}
header{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:center;padding:.6em 1em;background:#23395d;color:#fff}
header a{color:#fff}
.home{font-weight:bold;font-size:1.2em;text-decoration:none}
nav{margin-left:auto}
.search{display:flex;flex-wrap:wrap;gap:.4em;align-items:center;width:100%}
.search label{flex-basis:100%}
.search input[type=search]{flex:1 1 14em;min-width:0;padding:.45em;font-size:1em}
button{padding:.45em .9em;font-size:1em;cursor:pointer}
main{max-width:64em;margin:0 auto;padding:1em}
footer{max-width:64em;margin:0 auto;padding:1em;color:#555;font-size:.9em}
h1{font-size:1.5em;margin:.3em 0}
h2{font-size:1.2em;margin-top:1.4em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.35em .5em;border-bottom:1px solid #ddd}
.allowed{color:#0b6b2b;font-weight:bold}
.denied{color:#a3140f;font-weight:bold}
.broken{color:#a3140f}
.note{background:#fff6d6;padding:.5em .8em;border-left:4px solid #d9a400}
.error{background:#fde8e7;padding:.5em .8em;border-left:4px solid #a3140f}
.picture{overflow:auto;border:1px solid #ddd;background:#fff;padding:.5em}
.picture svg{max-width:100%;height:auto}
.skip{position:absolute;left:-999em}
.skip:focus{left:1em;top:1em;background:#fff;color:#000;padding:.4em}
a:focus,button:focus,input:focus{outline:3px solid #d9a400;outline-offset:2px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}
dt{font-weight:bold}
dd{margin:0}
ul.plain{list-style:none;padding-left:0}
.inline{display:inline}
.linkbutton{background:none;border:none;color:#0645ad;text-decoration:underline;padding:0;font:inherit}
@media (max-width:40em){dl{grid-template-columns:1fr}th,td{display:block;border:none}tr{display:block;border-bottom:1px solid #ddd;padding:.3em 0}thead{display:none}}
)css";

constexpr Asset kAssets[] = {
    {"text/css; charset=utf-8", kStyle},
};
constexpr std::string_view kPaths[] = {"/assets/style.css"};

}  // namespace

const Asset* FindAsset(std::string_view path) {
  for (size_t i = 0; i < std::size(kPaths); ++i) {
    if (kPaths[i] == path) return &kAssets[i];
  }
  return nullptr;
}

}  // namespace toegang::serve::web
