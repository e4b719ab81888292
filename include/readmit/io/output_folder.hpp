#pragma once
// The output folder of a run, held for the run's duration.
//
// A folder is readmit's when it holds the marker file `.readmit` (written
// when readmit first uses it), when it is empty or new, or when it holds only
// names readmit writes. Any other folder is refused unless `force` (readmit
// then adopts it, and still touches only its own file names). The marker is
// also a lock (flock): a second readmit process writing into the same folder
// is refused while the first runs; the lock ends with the process, however
// it ends. Once the folder is held, readmit's files of an earlier command and
// the hidden temporaries of an interrupted run are removed, so the folder
// never mixes files of two runs: what is there after a run is that run's
// output (metadata.json, written last, says it is complete).
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "readmit/io/atomic_file.hpp"

namespace readmit {

/// A folder readmit must not write into: another process holds it, or
/// readmit did not create it (and `force` was not given). The command line
/// maps it to exit code 2.
class OutputFolderRefused : public IoError {
 public:
  using IoError::IoError;
};

class OutputFolder {
 public:
  /// The marker and lock file in every output folder.
  static constexpr std::string_view marker_name = ".readmit";

  /// Creates `path` (and its parents) if missing, checks that readmit may
  /// write there, locks it and removes the files named in `own_files` and
  /// stale temporaries. `description` goes into the marker (the command).
  /// Throws OutputFolderRefused or IoError (the message names the path).
  OutputFolder(std::filesystem::path path, std::span<const std::string_view> own_files, bool force,
               const std::string& description);
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int lock_fd_ = -1;
};

/// Whether `name` is a temporary readmit leaves only when killed while
/// writing: `.NAME.PID.N.tmp` (atomic files) or `.readmit-spill.XXXXXX` (monthly values, event rows).
bool is_stale_temporary_name(std::string_view name);

}  // namespace readmit
