// Accepted and shown text: see toegang/text.h.
//
// Without fmt, so that the parser fuzz target (tests/fuzz) can compile this
// file with import_rows.cc alone.
#include "toegang/text.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace toegang {
namespace {

// The code point of the UTF-8 sequence at text[i] and its length, or a
// length of 0 when the bytes there are not UTF-8 (a stray continuation
// byte, a cut sequence, an overlong form, a surrogate, beyond U+10FFFF).
struct Decoded {
  char32_t code_point = 0;
  size_t length = 0;
};

Decoded DecodeAt(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(text[k]);
  };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return {lead, 1};
  size_t length = 0;
  char32_t min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    min = 0x10000;
  } else {
    return {};
  }
  if (i + length > text.size()) return {};
  char32_t cp = lead & (0xFFu >> (length + 1));
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {cp, length};
}

bool IsBidiControl(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// The Unicode name of a bidirectional control or separator, in lowercase.
std::string_view NameOf(char32_t cp) {
  switch (cp) {
    case 0x061C:
      return "arabic letter mark";
    case 0x200E:
      return "left-to-right mark";
    case 0x200F:
      return "right-to-left mark";
    case 0x202A:
      return "left-to-right embedding";
    case 0x202B:
      return "right-to-left embedding";
    case 0x202C:
      return "pop directional formatting";
    case 0x202D:
      return "left-to-right override";
    case 0x202E:
      return "right-to-left override";
    case 0x2066:
      return "left-to-right isolate";
    case 0x2067:
      return "right-to-left isolate";
    case 0x2068:
      return "first strong isolate";
    case 0x2069:
      return "pop directional isolate";
    case 0x2028:
      return "line separator";
    case 0x2029:
      return "paragraph separator";
    default:
      return "";
  }
}

// count hex digits of value, uppercase or not.
std::string Hex(uint32_t value, int count, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out(static_cast<size_t>(count), '0');
  for (int k = count - 1; k >= 0; --k) {
    out[static_cast<size_t>(k)] = digits[value & 0xF];
    value >>= 4;
  }
  return out;
}

// "U+202E", "U+1F600".
std::string CodePointName(char32_t cp) {
  const auto v = static_cast<uint32_t>(cp);
  return "U+" + Hex(v, v > 0xFFFF ? 6 : 4, true);
}

void AppendByteEscape(unsigned char byte, std::string* out) {
  *out += "\\x" + Hex(byte, 2, false);
}

void AppendCodePointEscape(char32_t cp, std::string* out) {
  // Only refused code points are escaped, and all of them are in the BMP.
  *out += "\\u" + Hex(static_cast<uint32_t>(cp), 4, true);
}

}  // namespace

std::string TextFault::Describe() const {
  if (!code_point) return "byte 0x" + Hex(byte, 2, true) + " (not UTF-8)";
  const char32_t cp = *code_point;
  const std::string name = CodePointName(cp);
  if (IsBidiControl(cp)) {
    return name + " (" + std::string(NameOf(cp)) + ", a bidirectional control)";
  }
  if (cp == 0x2028 || cp == 0x2029) {
    return name + " (" + std::string(NameOf(cp)) + ")";
  }
  return name + " (a control character)";
}

bool IsRefusedCodePoint(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || IsBidiControl(cp) ||
         cp == 0x2028 || cp == 0x2029;
}

std::optional<TextFault> FindTextFault(std::string_view text) {
  size_t character = 1;
  for (size_t i = 0; i < text.size(); ++character) {
    const Decoded d = DecodeAt(text, i);
    if (d.length == 0 || IsRefusedCodePoint(d.code_point)) {
      TextFault fault;
      fault.offset = i;
      fault.character = character;
      fault.byte = static_cast<unsigned char>(text[i]);
      if (d.length > 0) fault.code_point = d.code_point;
      return fault;
    }
    i += d.length;
  }
  return std::nullopt;
}

std::string DisplayText(std::string_view text, DisplayOptions options) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const Decoded d = DecodeAt(text, i);
    if (d.length == 0) {
      AppendByteEscape(static_cast<unsigned char>(text[i]), &out);
      ++i;
      continue;
    }
    const char32_t cp = d.code_point;
    if (options.keep_layout && (cp == '\n' || cp == '\t')) {
      out += static_cast<char>(cp);
    } else if (options.quoted && (cp == '"' || cp == '\\')) {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (IsRefusedCodePoint(cp)) {
      if (cp < 0x80) {
        AppendByteEscape(static_cast<unsigned char>(cp), &out);
      } else {
        AppendCodePointEscape(cp, &out);
      }
    } else {
      out.append(text.substr(i, d.length));
    }
    i += d.length;
  }
  return out;
}

std::string JsonDisplaySafe(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (size_t i = 0; i < json.size();) {
    const auto lead = static_cast<unsigned char>(json[i]);
    if (lead < 0x80) {
      out += json[i++];
      continue;
    }
    // Outside strings JSON is ASCII, so a multi-byte sequence lies inside
    // a string, where an escape means the same code point.
    const Decoded d = DecodeAt(json, i);
    if (d.length > 0 && IsRefusedCodePoint(d.code_point)) {
      AppendCodePointEscape(d.code_point, &out);
      i += d.length;
    } else {
      const size_t n = d.length > 0 ? d.length : 1;
      out.append(json.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace toegang
