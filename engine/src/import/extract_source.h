// ExtractSource: the files of a KBO Open Data extract, read from the zip as
// downloaded (through libzip, streamed: nothing is unpacked to disk) or
// from the folder it was unpacked into. Used by Engine::ImportKboOpenData.
//
// Thread safety: one thread at a time; a stream from Open() is valid while
// the source lives, and only one stream of a zip source is read at a time.
#ifndef TOEGANG_EXTRACT_SOURCE_H_
#define TOEGANG_EXTRACT_SOURCE_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "toegang/status.h"

namespace toegang {

class ExtractSource {
 public:
  virtual ~ExtractSource() = default;

  // A zip file (by its content, whatever its name) or a folder. Failure:
  // invalid_extract (not a zip, a corrupt zip, neither file nor folder),
  // io_error (cannot be read).
  static Result<std::unique_ptr<ExtractSource>> Open(const std::string& path);

  // The names of the files in the extract (top level of the folder; in a
  // zip, each entry by its last path component).
  virtual std::vector<std::string> Names() const = 0;
  bool Has(const std::string& name) const;
  // A stream of the file's bytes; *size gets its size (0 when unknown).
  // Failure: io_error, invalid_extract (a damaged entry).
  virtual Result<std::unique_ptr<std::istream>> Read(const std::string& name,
                                                     uint64_t* size) = 0;
  // How the file is named in messages: "PATH/name" (folder) or
  // "PATH!name" (zip).
  virtual std::string Display(const std::string& name) const = 0;
};

}  // namespace toegang

#endif  // TOEGANG_EXTRACT_SOURCE_H_
