// Names from the registries (persons, enterprise denominations, facility
// names): which text toegang accepts, and how it shows text it did not
// check (older databases, input echoed in a message).
//
// Accepted text is valid UTF-8 (RFC 3629: shortest form, no surrogates,
// at most U+10FFFF) without these code points, which either control a
// terminal or can make a name display as another one:
//   - C0 controls U+0000-U+001F and DEL U+007F (tab, line breaks, escape),
//   - C1 controls U+0080-U+009F (U+009B is a terminal's CSI),
//   - bidirectional controls U+061C, U+200E, U+200F, U+202A-U+202E and
//     U+2066-U+2069 (U+202E reverses the text after it),
//   - the line and paragraph separators U+2028, U+2029.
//
// Shown text (DisplayText, JsonDisplaySafe) holds none of them: each is
// written as an ASCII escape, so that a name can never reorder or hide the
// text around it.
//
// Thread safety: pure functions, safe from any thread.
#ifndef TOEGANG_TEXT_H_
#define TOEGANG_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace toegang {

// Why a text is refused, and where.
struct TextFault {
  // Byte offset of the fault in the text.
  size_t offset = 0;
  // 1-based character position (code points before it, plus one), for
  // messages; bytes that are not UTF-8 count one each.
  size_t character = 0;
  // The refused code point; nullopt when the bytes at offset are not UTF-8.
  std::optional<char32_t> code_point;
  // The byte at offset (the first byte of the code point).
  unsigned char byte = 0;

  // "U+202E (right-to-left override, a bidirectional control)",
  // "U+000A (a control character)", "byte 0xE9 (not UTF-8)".
  std::string Describe() const;
};

// True for the code points refused above.
bool IsRefusedCodePoint(char32_t code_point);

// The first fault of text, or nullopt when text is accepted.
std::optional<TextFault> FindTextFault(std::string_view text);

// How DisplayText writes what it escapes.
struct DisplayOptions {
  // Keep line feed and tab as they are (for whole lines of output that the
  // program composed itself, where they are layout).
  bool keep_layout = false;
  // Escape '"' and '\' too (for a value shown between quotes).
  bool quoted = false;
};

// text as it may be shown on a terminal or in a log: valid UTF-8 that is
// not refused is kept byte for byte; a refused code point below U+0080 is
// written \xNN (two lowercase hex digits, as \x0a), one from U+0080 on as
// \uNNNN (four uppercase hex digits, as \u202E), and a byte that is not
// UTF-8 as \xNN. The result is valid UTF-8.
std::string DisplayText(std::string_view text, DisplayOptions options = {});

// A serialized JSON text (as nlohmann::json::dump writes it, valid UTF-8)
// with every refused code point from U+0080 on inside its strings written
// as a \uNNNN escape. The JSON value is unchanged; only its bytes differ,
// so that the output shown raw cannot reorder itself. (Refused code points
// below U+0080 are escaped by every JSON writer already.)
std::string JsonDisplaySafe(std::string_view json);

}  // namespace toegang

#endif  // TOEGANG_TEXT_H_
