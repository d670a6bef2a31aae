// Streaming CSV reader: see csv_reader.h.
//
// The reader is a small state machine over single bytes taken straight from
// the stream buffer. A record is held in *fields only; the reader itself
// keeps no buffer, so memory stays bounded by kMaxRecordBytes.
//
// Choices beyond RFC 4180:
//   - a '"' inside an unquoted field is kept as a literal character
//     (ab"c -> ab"c), as most exporters produce it and readers accept it;
//   - anything but ',' or a line end after a closing quote ("ab"c, "ab" ,)
//     is an error: the field's extent is ambiguous;
//   - a lone CR (not followed by LF) outside quotes is data, not a line end;
//   - inside quotes, line breaks are kept exactly as written (LF or CRLF).
#include "base/csv_reader.h"

#include <exception>
#include <string>
#include <utility>

namespace toegang {
namespace {

constexpr int kEof = std::char_traits<char>::eof();

// The UTF-8 byte-order mark.
constexpr unsigned char kBom[3] = {0xEF, 0xBB, 0xBF};

enum class State {
  kFieldStart,  // nothing of the current field read yet
  kUnquoted,    // inside a field that did not start with '"'
  kQuoted,      // inside a quoted field
  kAfterQuote,  // just read a '"' inside a quoted field: end or escape
};

// c printable as is, or as \xHH.
std::string Shown(int c) {
  if (c >= 0x20 && c < 0x7F) return std::string(1, static_cast<char>(c));
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("\\x") + kHex[(c >> 4) & 0xF] + kHex[c & 0xF];
}

}  // namespace

int CsvReader::Get() {
  std::streambuf* buf = in_.rdbuf();
  if (buf == nullptr) return kEof;
  const int c = buf->sbumpc();
  if (c == kEof) {
    in_.setstate(std::ios::eofbit);
    return kEof;
  }
  ++bytes_;
  if (c == '\n') ++current_line_;
  return c;
}

CsvReader::Outcome CsvReader::Next(std::vector<std::string>* fields,
                                   std::string* error) {
  if (failed_) {
    fields->clear();
    return Outcome::kEnd;
  }
  try {
    return ReadRecord(fields, error);
  } catch (const std::exception& e) {
    // std::filebuf throws from underflow on a read error (EISDIR, EIO),
    // whatever the stream's exception mask.
    failed_ = true;
    fields->clear();
    *error = std::string("cannot read the file: ") + e.what();
    record_line_ = current_line_;
    return Outcome::kError;
  }
}

CsvReader::Outcome CsvReader::ReadRecord(std::vector<std::string>* fields,
                                         std::string* error) {
  fields->clear();
  error->clear();
  std::string field;
  State state = State::kFieldStart;
  size_t record_bytes = 0;

  // Skip the byte-order mark. A partial match is ordinary data; it cannot
  // start with '"', so it simply begins an unquoted first field.
  if (!started_) {
    started_ = true;
    std::streambuf* buf = in_.rdbuf();
    for (unsigned char b : kBom) {
      if (buf == nullptr || buf->sgetc() != b) break;
      field.push_back(static_cast<char>(Get()));
    }
    if (field.size() == sizeof(kBom)) {
      field.clear();
    } else if (!field.empty()) {
      state = State::kUnquoted;
      record_bytes = field.size();
    }
  }
  // line() changes only when a record is returned or refused, so after
  // kEnd it still names the last one.
  size_t start_line = current_line_;
  semicolons_ = commas_ = false;

  // Ends the record at a line break or at the end of the input.
  auto finish = [&]() {
    fields->push_back(std::move(field));
    record_line_ = start_line;
    return Outcome::kRecord;
  };
  // Refuses the record: drops what was read and skips to the next line,
  // unless the byte just read already ended a line.
  auto refuse = [&](std::string message, bool at_line_start) {
    fields->clear();
    *error = std::move(message);
    record_line_ = start_line;
    if (!at_line_start) {
      int c;
      do {
        c = Get();
      } while (c != kEof && c != '\n');
    }
    return Outcome::kError;
  };
  // True when c is a CR that starts a CRLF pair; consumes the LF then.
  auto take_crlf = [&](int c) {
    std::streambuf* buf = in_.rdbuf();
    if (c != '\r' || buf == nullptr || buf->sgetc() != '\n') return false;
    Get();
    return true;
  };

  // A ',' ends the field (empty when it is the first character).
  auto end_field = [&] {
    commas_ = true;
    fields->push_back(std::move(field));
    field.clear();
    state = State::kFieldStart;
  };
  // A character of an unquoted field.
  auto plain = [&](int c) {
    semicolons_ = semicolons_ || c == ';';
    field.push_back(static_cast<char>(c));
  };

  for (;;) {
    const int c = Get();
    if (c == kEof) {
      if (state == State::kQuoted) {
        return refuse("unterminated quoted field (missing closing '\"')", true);
      }
      if (state == State::kFieldStart && fields->empty()) return Outcome::kEnd;
      return finish();
    }

    if (state != State::kQuoted && (c == '\n' || take_crlf(c))) {
      if (state == State::kFieldStart && fields->empty()) {
        // A completely empty line: skip it.
        start_line = current_line_;
        continue;
      }
      return finish();
    }

    if (++record_bytes > kMaxRecordBytes) {
      return refuse(
          "record longer than " + std::to_string(kMaxRecordBytes) + " bytes",
          c == '\n');
    }

    switch (state) {
      case State::kFieldStart:
        if (c == '"') {
          state = State::kQuoted;
        } else if (c == ',') {
          end_field();
        } else {
          plain(c);
          state = State::kUnquoted;
        }
        break;
      case State::kUnquoted:
        if (c == ',') {
          end_field();
        } else {
          plain(c);
        }
        break;
      case State::kQuoted:
        if (c == '"') {
          state = State::kAfterQuote;
        } else {
          field.push_back(static_cast<char>(c));
        }
        break;
      case State::kAfterQuote:
        if (c == '"') {
          field.push_back('"');
          state = State::kQuoted;
        } else if (c == ',') {
          end_field();
        } else {
          semicolons_ = semicolons_ || c == ';';
          return refuse("unexpected '" + Shown(c) +
                            "' after the closing quote of field " +
                            std::to_string(fields->size() + 1) +
                            " (a '\"' inside a quoted field must be doubled)",
                        false);
        }
        break;
    }
  }
}

}  // namespace toegang
