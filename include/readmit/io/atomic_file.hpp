#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace readmit {

/// Thrown when a file cannot be written. The message names the final path and
/// the failing step with its operating-system error.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Writes `contents` to `path` so that `path` either keeps its previous state
/// or holds exactly `contents`, never a partial file.
///
/// The data goes to a temporary file in the same directory (a hidden name
/// derived from the final name, the process id and a counter), is flushed and
/// fsync'ed, then renamed onto `path`, replacing any existing file.
/// The parent directory must already exist; it is not created.
/// POSIX only. The directory itself is not fsync'ed, so after a power loss the
/// rename may be lost (the old file is then intact); a crash never leaves a
/// partial file under `path`. A hidden temporary can only remain if the process
/// dies before cleanup.
///
/// Throws IoError if any step fails; the temporary file is removed first.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

/// Streaming form of write_file_atomically for outputs too large to build in
/// memory. Nothing appears under the final name until commit() succeeds; if
/// the writer is destroyed without a successful commit() the temporary file is
/// removed.
///
///     AtomicFileWriter writer(path);
///     writer.stream() << ...;
///     writer.commit();
class AtomicFileWriter {
 public:
  /// Creates the temporary file next to `path`.
  /// Throws IoError if it cannot be created (e.g. the directory is missing
  /// or `path` has no file name).
  explicit AtomicFileWriter(std::filesystem::path path);
  ~AtomicFileWriter();

  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  AtomicFileWriter(AtomicFileWriter&&) = delete;
  AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;

  /// Stream writing to the temporary file (binary: no newline translation).
  /// A failed write puts the stream in a bad state and makes commit() throw.
  std::ostream& stream() noexcept { return stream_; }

  /// Flushes, checks the stream state, fsyncs and closes the temporary file
  /// and renames it onto the final path.
  /// Throws IoError on failure (the temporary file is then removed), and
  /// std::logic_error if called more than once.
  void commit();

 private:
  class FileBuffer;

  [[noreturn]] void fail(const std::string& what, const std::string& reason);

  std::filesystem::path final_path_;
  std::filesystem::path temporary_path_;
  std::unique_ptr<FileBuffer> buffer_;
  std::ostream stream_;
  bool commit_attempted_ = false;
};

}  // namespace readmit
