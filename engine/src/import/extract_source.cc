#include "import/extract_source.h"

#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <streambuf>

#include "toegang/error_codes.h"

namespace toegang {
namespace {

namespace fs = std::filesystem;

class FolderSource : public ExtractSource {
 public:
  explicit FolderSource(std::string path) : path_(std::move(path)) {}

  std::vector<std::string> Names() const override {
    std::vector<std::string> out;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(path_, ec)) {
      if (e.is_regular_file(ec)) out.push_back(e.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  Result<std::unique_ptr<std::istream>> Read(const std::string& name,
                                             uint64_t* size) override {
    const std::string p = (fs::path(path_) / name).string();
    auto in = std::make_unique<std::ifstream>(p, std::ios::binary);
    if (!*in) {
      return Status::Storage(code::kIoError,
                             fmt::format("cannot read {}", Display(name)));
    }
    std::error_code ec;
    const uintmax_t n = fs::file_size(p, ec);
    *size = ec ? 0 : static_cast<uint64_t>(n);
    return std::unique_ptr<std::istream>(std::move(in));
  }

  std::string Display(const std::string& name) const override {
    return (fs::path(path_) / name).string();
  }

 private:
  std::string path_;
};

// A std::streambuf over one zip entry, read in blocks with zip_fread.
class ZipEntryBuf : public std::streambuf {
 public:
  explicit ZipEntryBuf(zip_file_t* file) : file_(file) {}
  ~ZipEntryBuf() override { zip_fclose(file_); }
  ZipEntryBuf(const ZipEntryBuf&) = delete;
  ZipEntryBuf& operator=(const ZipEntryBuf&) = delete;

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    const zip_int64_t n = zip_fread(file_, buf_.data(), buf_.size());
    if (n <= 0) return traits_type::eof();  // end, or a damaged entry
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  zip_file_t* file_;
  std::array<char, 1 << 16> buf_{};
};

// An istream that owns its buffer.
class ZipEntryStream : public std::istream {
 public:
  explicit ZipEntryStream(zip_file_t* file)
      : std::istream(nullptr), buf_(file) {
    rdbuf(&buf_);
  }

 private:
  ZipEntryBuf buf_;
};

class ZipSource : public ExtractSource {
 public:
  ZipSource(zip_t* zip, std::string path) : zip_(zip), path_(std::move(path)) {
    const zip_int64_t n = zip_get_num_entries(zip_, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
      const char* raw = zip_get_name(zip_, static_cast<zip_uint64_t>(i), 0);
      if (raw == nullptr) continue;
      std::string full = raw;
      if (full.empty() || full.back() == '/') continue;  // a folder entry
      const size_t slash = full.rfind('/');
      entries_.push_back(
          {slash == std::string::npos ? full : full.substr(slash + 1),
           static_cast<zip_uint64_t>(i)});
    }
  }
  ~ZipSource() override { zip_discard(zip_); }  // opened read-only

  std::vector<std::string> Names() const override {
    std::vector<std::string> out;
    for (const auto& [name, index] : entries_) out.push_back(name);
    std::sort(out.begin(), out.end());
    return out;
  }

  Result<std::unique_ptr<std::istream>> Read(const std::string& name,
                                             uint64_t* size) override {
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const auto& e) { return e.first == name; });
    if (it == entries_.end()) {
      return Status::InvalidInput(code::kInvalidExtract,
                                  fmt::format("{} is missing", Display(name)));
    }
    zip_stat_t st;
    zip_stat_init(&st);
    *size = zip_stat_index(zip_, it->second, 0, &st) == 0 &&
                    (st.valid & ZIP_STAT_SIZE)
                ? static_cast<uint64_t>(st.size)
                : 0;
    zip_file_t* f = zip_fopen_index(zip_, it->second, 0);
    if (f == nullptr) {
      return Status::InvalidInput(
          code::kInvalidExtract,
          fmt::format("{} cannot be read: {}; the zip is damaged: download "
                      "it again",
                      Display(name), zip_strerror(zip_)));
    }
    return std::unique_ptr<std::istream>(std::make_unique<ZipEntryStream>(f));
  }

  std::string Display(const std::string& name) const override {
    return path_ + "!" + name;
  }

 private:
  zip_t* zip_;
  std::string path_;
  std::vector<std::pair<std::string, zip_uint64_t>> entries_;
};

}  // namespace

bool ExtractSource::Has(const std::string& name) const {
  const std::vector<std::string> names = Names();
  return std::binary_search(names.begin(), names.end(), name);
}

Result<std::unique_ptr<ExtractSource>> ExtractSource::Open(
    const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return std::unique_ptr<ExtractSource>(std::make_unique<FolderSource>(path));
  }
  if (!fs::is_regular_file(path, ec)) {
    return Status::InvalidInput(
        code::kInvalidExtract,
        fmt::format("{}: neither a KBO Open Data zip nor the folder of an "
                    "unpacked one",
                    path));
  }
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (zip == nullptr) {
    zip_error_t e;
    zip_error_init_with_code(&e, error);
    std::string why = zip_error_strerror(&e);
    zip_error_fini(&e);
    if (error == ZIP_ER_OPEN || error == ZIP_ER_READ) {
      return Status::Storage(code::kIoError,
                             fmt::format("cannot read {}: {}", path, why));
    }
    return Status::InvalidInput(
        code::kInvalidExtract,
        fmt::format("{}: not a readable zip ({}); a KBO Open Data extract "
                    "is the zip as downloaded: download it again",
                    path, why));
  }
  return std::unique_ptr<ExtractSource>(std::make_unique<ZipSource>(zip, path));
}

}  // namespace toegang
