#include "web/html.h"

#include <cctype>

#include "toegang/identifiers.h"
#include "toegang/text.h"
#include "web/i18n.h"

namespace toegang::serve::web {

std::string Html(std::string_view text) {
  const std::string shown = DisplayText(text);
  std::string out;
  out.reserve(shown.size() + 16);
  for (const char c : shown) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string IdText(std::string_view text) {
  std::string out;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    out += u < 0x80 && std::isalnum(u) ? c : '-';
  }
  return out;
}

std::string RenderPage(const Frame& f, std::string_view body_html) {
  const Lang other = f.lang == Lang::kNl ? Lang::kEn : Lang::kNl;
  const char* other_code = other == Lang::kNl ? "nl" : "en";
  std::string out;
  out.reserve(body_html.size() + 2048);
  out += "<!doctype html>\n<html lang=\"";
  out += f.lang == Lang::kNl ? "nl" : "en";
  out +=
      "\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">"
      "<link rel=\"stylesheet\" href=\"/assets/style.css\"><title>";
  out += Html(f.title);
  out += " - toegang</title></head><body>";
  out += "<a class=\"skip\" href=\"#main\">";
  out += Tr("skip", f.lang);
  out += "</a><header><a class=\"home\" href=\"/\">toegang</a>";
  out += "<nav aria-label=\"";
  out += Tr("language", f.lang);
  out += "\"><a id=\"lang-switch\" hreflang=\"";
  out += other_code;
  out += "\" lang=\"";
  out += other_code;
  out += "\" href=\"";
  out += Html(f.path);
  out += "?lang=";
  out += other_code;
  out += "\">";
  out += Tr("other_language", f.lang);
  out += "</a></nav>";
  out +=
      "<form class=\"search\" method=\"post\" action=\"/search\" "
      "role=\"search\"><input type=\"hidden\" name=\"csrf\" value=\"";
  out += Html(f.csrf);
  out += "\"><label for=\"q\">";
  out += Tr("search_label", f.lang);
  out +=
      "</label><input id=\"q\" name=\"q\" type=\"search\" "
      "autocomplete=\"off\" required value=\"";
  out += Html(f.query);
  out += "\"><button type=\"submit\">";
  out += Tr("search", f.lang);
  out += "</button></form>";
  if (!f.actor.empty()) {
    Result<Insz> actor = Insz::Parse(f.actor);
    out += "<p id=\"actor\">";
    out += Tr("acting_as", f.lang);
    out += " ";
    out += Html(actor.ok() ? actor->Display() : f.actor);
    out += "</p>";
  }
  out += "</header><main id=\"main\">";
  out += body_html;
  out += "</main><footer>";
  out += Tr(f.actor.empty() ? "footer" : "footer_acting", f.lang);
  out += "</footer></body></html>\n";
  return out;
}

}  // namespace toegang::serve::web
