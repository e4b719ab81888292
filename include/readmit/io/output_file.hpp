#pragma once
// One result file, written atomically (atomic_file.hpp) and optionally as
// gzip, which pandas and R read as they are. Bytes arrive in large blocks
// (CsvWriter collects rows into them), so writing never dominates a run.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string_view>

#include "readmit/io/atomic_file.hpp"

namespace readmit {

class OutputFile {
 public:
  /// A file at `path`, or at `path` + ".gz" compressed when `gzip`.
  /// Throws IoError if it cannot be created.
  OutputFile(const std::filesystem::path& path, bool gzip);
  /// The same for `name` in `directory`; with `staging`, commit() hands the
  /// complete file to it (AtomicFileWriter).
  OutputFile(const Directory& directory, const std::string& name, bool gzip, StagedFiles* staging = nullptr);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  /// Appends bytes (compressed on the way when gzip). Throws IoError.
  void write(std::string_view bytes);
  /// Finishes the file and gives it its final name. Throws IoError.
  void commit();
  /// Where the file goes (with ".gz" when compressed).
  const std::filesystem::path& path() const { return path_; }

  /// The name `name` gets on disk: itself, or with ".gz" when compressed.
  static std::filesystem::path on_disk(const std::filesystem::path& name, bool gzip);

 private:
  class Deflater;
  std::filesystem::path path_;
  AtomicFileWriter file_;
  std::unique_ptr<Deflater> deflater_;
};

}  // namespace readmit
