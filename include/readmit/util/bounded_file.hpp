#pragma once
// The one reader of files readmit did not just write itself (scenarios,
// experiment and points files, an output folder's files read back): a file
// is opened once, without blocking (a FIFO would wait for a writer) and
// optionally without following a final symbolic link, must be a regular
// file of at most a given size, and is read in bounded chunks, never past
// that size (a file that grows while it is read is refused). Every check is
// on the one descriptor, so the file cannot change between check and read.
//
// Failures are returned as a message (this module throws nothing of its
// own): "file not found: X", "expected WHAT, found a named pipe (FIFO): X",
// "expected WHAT of at most N bytes (16 MiB), found M bytes: X", ...
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace readmit {

/// "16 MiB", "1 GiB", "512 KiB" or "1000 bytes": a limit for messages.
std::string binary_size(std::uint64_t bytes);

class BoundedFile {
 public:
  struct Options {
    std::uint64_t max_bytes = 0;  // the largest size accepted
    std::string_view what{};      // "a YAML file", "a CSV file": what the message expects
    bool follow_links = true;     // false: a symbolic link is refused, never followed
    int directory_fd = -100;      // AT_FDCWD, or the folder `path` is relative to
    std::string shown{};          // how messages name the file (default: the path)
  };

  /// Opens and checks the file; is_open() says whether it can be read,
  /// problem() why not.
  BoundedFile(const std::filesystem::path& path, const Options& options);
  ~BoundedFile();
  BoundedFile(const BoundedFile&) = delete;
  BoundedFile& operator=(const BoundedFile&) = delete;

  bool is_open() const { return fd_ >= 0; }
  /// Why the file cannot be read (or stopped being readable); empty otherwise.
  const std::string& problem() const { return problem_; }
  std::uint64_t size() const { return size_; }
  std::uint64_t device() const { return device_; }
  std::uint64_t inode() const { return inode_; }

  /// Reads up to `capacity` bytes: the count, 0 at the end, nullopt on an
  /// error or when the file grows past the limit (problem() says which).
  std::optional<std::size_t> read(char* buffer, std::size_t capacity);
  /// The rest of the file; nullopt with problem() set.
  std::optional<std::string> read_all();

 private:
  void fail(std::string message);

  int fd_ = -1;
  std::string problem_;
  std::string shown_;
  std::string what_;
  std::uint64_t max_bytes_ = 0;
  std::uint64_t size_ = 0;
  std::uint64_t read_ = 0;
  std::uint64_t device_ = 0;
  std::uint64_t inode_ = 0;
};

/// A whole file through BoundedFile; nullopt with `problem` set.
std::optional<std::string> read_bounded(const std::filesystem::path& path, const BoundedFile::Options& options,
                                        std::string& problem);

/// Reads a text file through BoundedFile line by line ('\n'; a final '\r'
/// is kept), each line at most `max_line_bytes`.
class BoundedLineReader {
 public:
  BoundedLineReader(const std::filesystem::path& path, const BoundedFile::Options& options, std::size_t max_line_bytes);
  bool is_open() const { return file_.is_open(); }
  const std::string& problem() const { return problem_.empty() ? file_.problem() : problem_; }
  /// The next line (without '\n'); false at the end or on a problem.
  bool next(std::string& line);

 private:
  BoundedFile file_;
  std::string buffer_;
  std::size_t at_ = 0;
  bool ended_ = false;
  std::size_t max_line_bytes_;
  std::uint64_t line_number_ = 0;
  std::string problem_;
};

}  // namespace readmit
