// Streaming CSV reader (RFC 4180 as KBO Open Data and CoBRHA exports use it).
//
// Reads one record at a time from an std::istream in constant memory:
// fields separated by ',', optionally enclosed in '"', with '""' for a quote
// inside a quoted field and line breaks allowed inside quotes. Accepts LF and
// CRLF line ends and skips a UTF-8 byte-order mark at the very start.
//
// Thread safety: none; one reader per stream and thread.
#ifndef TOEGANG_CSV_READER_H_
#define TOEGANG_CSV_READER_H_

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace toegang {

class CsvReader {
 public:
  // A record longer than this is refused (a "huge line" guard).
  static constexpr size_t kMaxRecordBytes = 1 << 20;

  explicit CsvReader(std::istream& in) : in_(in) {}

  enum class Outcome {
    kRecord,  // *fields holds the next record
    kEnd,     // no more records
    kError,   // *error says what is wrong with the record at line(); the
              // reader has skipped to the start of the next line and may be
              // called again
  };

  // Reads the next record into *fields (cleared first). Completely empty
  // lines are skipped. When the stream itself fails (a directory opened
  // as a file, an I/O error), the call returns kError with the reason and
  // every later call kEnd; no exception leaves the reader.
  Outcome Next(std::vector<std::string>* fields, std::string* error);

  // 1-based line number on which the record last returned (or refused) starts.
  size_t line() const { return record_line_; }
  // Bytes consumed so far (for progress reporting).
  uint64_t bytes_read() const { return bytes_; }
  // The record last returned (or refused, up to where it was refused) had
  // a ';' outside quotes and no ',' between fields: the look of a file
  // separated by semicolons, a spreadsheet's default in Belgium.
  bool looks_semicolon_separated() const { return semicolons_ && !commas_; }

 private:
  Outcome ReadRecord(std::vector<std::string>* fields, std::string* error);
  int Get();  // next byte or EOF, counting lines and bytes

  std::istream& in_;
  size_t current_line_ = 1;
  size_t record_line_ = 0;
  uint64_t bytes_ = 0;
  bool started_ = false;
  bool failed_ = false;  // the stream threw: nothing more to read
  bool semicolons_ = false, commas_ = false;  // of the last record
};

}  // namespace toegang

#endif  // TOEGANG_CSV_READER_H_
