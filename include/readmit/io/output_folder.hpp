#pragma once
// The output folder of a command, held for the command's duration: one
// discipline for run, compare, sweep, experiment, report and the Python
// module.
//
// Whose folder. A folder is readmit's when it holds the marker `.readmit`
// (written when readmit first uses it), or when it is new or empty. Any
// other folder is refused unless `force` (readmit then adopts it, and still
// touches only the files it writes).
//
// Who writes. The marker is a lock (flock), held until the command ends,
// however it ends: exclusive for every command but the shards of a sweep or
// experiment, which share it (each point folder has a lock of its own) and
// take turns writing the top level (hold_top_level). A command refused by
// the lock gets OutputFolderRefused.
//
// What readmit wrote. `.readmit-manifest` lists every file (and owned
// folder, such as points/) readmit put there, with the kind of command that
// wrote it (outputs or report): only those are ever replaced or removed, so a
// user's own files in the folder, or in figures/, are never touched.
//
// When. A command writes its files in full under hidden temporary names
// (StagedFiles) and publishes them at the end: the old completion mark
// (metadata.json) goes first, then every new file is renamed into place, then
// the files of the manifest this command replaces but did not write are
// removed, and the new metadata.json comes last. An interrupted command
// leaves the old results whole; its temporaries are removed when the top
// level is next held.
//
// Nothing is followed: the folder is used by descriptor (io/directory.hpp),
// and a symbolic link where readmit writes is refused.
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "readmit/io/atomic_file.hpp"

namespace readmit {

/// Who may hold a folder at the same time.
enum class FolderAccess {
  exclusive,  // run, compare, report, an unsharded sweep or experiment, Python
  shared,     // the shards of one sweep or experiment, at once
};

/// Which files of the manifest a publishing command replaces.
enum class ManifestScope {
  outputs,  // every earlier file (a report of older outputs goes with them)
  report,   // the earlier report's files only
};

class OutputFolder {
 public:
  /// The marker and lock file in every output folder.
  static constexpr std::string_view marker_name = ".readmit";
  /// The list of what readmit wrote there.
  static constexpr std::string_view manifest_name = ".readmit-manifest";

  struct Options {
    FolderAccess access = FolderAccess::exclusive;
    bool force = false;         // adopt a folder readmit did not create
    bool create = true;         // create the folder (and its parents) if missing
    std::string description{};  // what holds it (the command line), written into the marker
  };

  /// Opens (or creates) `path`, checks that readmit may write there and
  /// locks it. Throws OutputFolderRefused or IoError (naming the path).
  OutputFolder(std::filesystem::path path, const Options& options);
  ~OutputFolder();
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const Directory& directory() const { return directory_; }

  /// The top level held for writing, while it lives: shared holders wait
  /// their turn; the hidden temporaries of interrupted commands there are
  /// removed when it is taken.
  class TopLevel {
   public:
    explicit TopLevel(const OutputFolder& folder);
    ~TopLevel();
    TopLevel(const TopLevel&) = delete;
    TopLevel& operator=(const TopLevel&) = delete;

   private:
    int fd_;
  };

  /// Puts `staged` in place as this command's files, as described above;
  /// `owned` are folders the command owns whole (e.g. "points/"), kept in
  /// the manifest. Call while holding the TopLevel. Throws IoError.
  void publish(StagedFiles& staged, ManifestScope scope, const std::vector<std::string>& owned = {});

  /// The manifest: each file (or owned folder, ending in '/') readmit put
  /// in the folder, with the kind of command ("output" or "report"). A
  /// folder of an earlier version, without a manifest, lists the readmit
  /// output names it holds.
  std::map<std::string, std::string> manifest() const;

 private:
  void write_manifest(const std::map<std::string, std::string>& entries) const;
  void remove_entry(const std::string& name) const;

  std::filesystem::path path_;
  Directory directory_;
  bool was_marked_ = false;  // readmit's before this command (a folder of an earlier version may lack a manifest)
  int lock_fd_ = -1;
};

/// An exclusive lock on a folder's marker (a point of a sweep being
/// written), waited for and held while it lives. Throws IoError.
class FolderLock {
 public:
  explicit FolderLock(const Directory& folder);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_;
};

/// Copies the files of the complete output folder `from` (those its
/// metadata.json lists, each read through the bounded reader, no link
/// followed) into `to`, held and published as a command writes its folder
/// (the Python module's Results.save). Throws OutputFolderRefused or IoError.
void copy_output_folder(const std::filesystem::path& from, const std::filesystem::path& to, bool force,
                        const std::string& description);

/// Whether `name` is a temporary readmit leaves only when killed while
/// writing: `.NAME.PID.N.tmp` (atomic files), `.NAME.tmp-PID-N` (databases
/// of earlier versions), `.readmit-spill.XXXXXX` (monthly values, event rows)
/// or `.readmit-stage.XXXXXX` (a report being made).
bool is_stale_temporary_name(std::string_view name);

}  // namespace readmit
