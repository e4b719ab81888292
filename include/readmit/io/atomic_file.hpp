#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "readmit/io/directory.hpp"

namespace readmit {

class StagedFiles;

/// Writes `contents` to `path` so that `path` either keeps its previous state
/// or holds exactly `contents`, never a partial file.
///
/// The data goes to a temporary file in the same directory (a hidden name
/// derived from the final name, the process id and a random number, created
/// with O_CREAT | O_EXCL | O_NOFOLLOW: a file or link already there under
/// that name is never opened), is flushed and fsync'ed, then renamed onto
/// `path`, replacing any existing file (a symbolic link there is replaced,
/// not followed).
/// The parent directory must already exist; it is not created.
/// POSIX only. The directory itself is not fsync'ed, so after a power loss the
/// rename may be lost (the old file is then intact); a crash never leaves a
/// partial file under `path`. A hidden temporary can only remain if the process
/// dies before cleanup.
///
/// Throws IoError if any step fails; the temporary file is removed first.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);
/// The same for `name` in `directory`; with `staging`, the complete file is
/// left under its temporary name for OutputFolder::publish (StagedFiles).
void write_file_atomically(const Directory& directory, const std::string& name, std::string_view contents,
                           StagedFiles* staging = nullptr);

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
  explicit AtomicFileWriter(const std::filesystem::path& path);
  /// Creates the temporary file for `name` (a plain name) in `directory`.
  /// With `staging`, commit() leaves the complete file under its temporary
  /// name and hands it to `staging`, which puts it in place later.
  AtomicFileWriter(const Directory& directory, std::string name, StagedFiles* staging = nullptr);
  ~AtomicFileWriter();

  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  AtomicFileWriter(AtomicFileWriter&&) = delete;
  AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;

  /// Stream writing to the temporary file (binary: no newline translation).
  /// A failed write puts the stream in a bad state and makes commit() throw.
  std::ostream& stream() noexcept { return stream_; }

  /// Flushes, checks the stream state, fsyncs and closes the temporary file
  /// and renames it onto the final path (or hands it to the staging).
  /// Throws IoError on failure (the temporary file is then removed), and
  /// std::logic_error if called more than once.
  void commit();

 private:
  class FileBuffer;

  [[noreturn]] void fail(const std::string& what, const std::string& reason);

  Directory directory_;
  std::string name_;
  std::string temporary_name_;
  StagedFiles* staging_ = nullptr;
  std::unique_ptr<FileBuffer> buffer_;
  std::ostream stream_;
  bool commit_attempted_ = false;
};

/// The files of one command, each written in full under a temporary name,
/// to be put in place together (OutputFolder::publish), so that a folder
/// keeps its old results whole until every new file is complete. Destroyed
/// before they are put in place, it removes the temporaries.
class StagedFiles {
 public:
  struct Entry {
    Directory from;         // where the temporary is
    std::string temporary;  // its name there
    Directory to;           // where it goes
    std::string name;       // its name there
    bool placed = false;
  };

  StagedFiles() = default;
  ~StagedFiles();
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;

  /// Records a complete file `temporary` in `from`, to become `name` in `to`.
  void add(Directory from, std::string temporary, Directory to, std::string name);
  /// Puts one file in place (a rename). Throws IoError.
  static void place(Entry& entry);
  std::vector<Entry>& entries() { return entries_; }
  /// Each file's path from the output folder ("summary.csv", "figures/a.png").
  std::vector<std::string> names() const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace readmit
