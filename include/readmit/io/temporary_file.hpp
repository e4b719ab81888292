#pragma once
// A file with no name, in a given folder, for what an ensemble spills to
// disk while it runs (monthly values, event rows) so that memory stays
// bounded however many replications run. It is created and unlinked at
// once: nothing is left behind however the process ends, and its space is
// freed when the object is destroyed.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace readmit {

class TemporaryFile {
 public:
  /// `contents` names what the file holds in error messages ("monthly
  /// values"). Throws IoError naming `directory` if it cannot be created.
  TemporaryFile(const std::filesystem::path& directory, std::string contents);
  ~TemporaryFile();
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  /// Writes `bytes` bytes at `offset` (the file grows as needed). Throws
  /// IoError on a failed write (a full disk included).
  void write_at(const void* data, std::size_t bytes, std::size_t offset);
  /// Writes at the end.
  void append(std::string_view bytes) { write_at(bytes.data(), bytes.size(), size_); }
  /// Reads exactly `bytes` bytes at `offset`. Throws IoError on a failed or
  /// short read.
  void read_at(void* data, std::size_t bytes, std::size_t offset) const;
  /// Bytes written so far (the end of the furthest write).
  std::size_t size() const { return size_; }

 private:
  std::filesystem::path directory_;
  std::string contents_;
  int fd_ = -1;
  std::size_t size_ = 0;
};

}  // namespace readmit
