#pragma once
// A folder held open by descriptor, so that every name readmit writes,
// renames or removes is resolved in that folder and nowhere else. Inside an
// output folder nothing is followed: a child folder that is a symbolic link
// is refused (a link planted there cannot send files out of the folder),
// files are created with O_CREAT | O_EXCL | O_NOFOLLOW, and removals never
// descend through a link. The folder's own path (the user's --out) is
// followed as given.
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace readmit {

/// Thrown when a file cannot be written. The message names the final path and
/// the failing step with its operating-system error.
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A folder readmit must not write into: another process holds it, readmit
/// did not create it (and `force` was not given), or it holds a symbolic
/// link where readmit writes. The command line maps it to exit code 2.
class OutputFolderRefused : public IoError {
 public:
  using IoError::IoError;
};

/// Whether `name` is one plain file or folder name: not empty, not "." or
/// "..", without '/' or NUL.
bool is_plain_name(std::string_view name);

class Directory {
 public:
  /// The folder at `path` (created with its parents when `create`). Throws
  /// IoError when it cannot be created or opened, OutputFolderRefused when
  /// it is not a folder.
  static Directory open(const std::filesystem::path& path, bool create);

  /// The child folder `name` (a plain name), created when missing and
  /// `create`. Throws OutputFolderRefused when it is a symbolic link or not
  /// a folder, IoError when it cannot be made or opened.
  Directory child(std::string_view name, bool create) const;
  /// Whether the child `name` exists (a link counts; it is never followed).
  bool has(std::string_view name) const;
  /// A new private child folder named PREFIX plus random characters (0700).
  Directory make_private_child(std::string_view prefix) const;

  /// Removes the file or symbolic link `name`; nothing when it is missing.
  /// Throws IoError.
  void remove_file(std::string_view name) const;
  /// Removes `name` and, when it is a folder, everything in it, never
  /// following a symbolic link; nothing when it is missing. Throws IoError.
  void remove_tree(std::string_view name) const;
  /// Renames `from` (in this folder) onto `to` in `target`, replacing what
  /// is there (a link is replaced, not followed). Throws IoError.
  void rename_to(std::string_view from, const Directory& target, std::string_view to) const;
  /// The entries of the folder (without "." and ".."), sorted.
  std::vector<std::string> names() const;
  /// Flushes the folder's entries (a rename) to disk; errors are ignored.
  void sync() const;

  int fd() const { return handle_->fd; }
  /// The folder's path, for messages.
  const std::filesystem::path& path() const { return handle_->path; }
  /// Its path from the output folder it belongs to ("" for that folder,
  /// "points/0001" below it): the names a manifest records.
  const std::string& relative() const { return handle_->relative; }
  /// `relative() / name` as a manifest writes it.
  std::string relative_name(std::string_view name) const;

 private:
  struct Handle {
    int fd = -1;
    std::filesystem::path path;
    std::string relative;
    ~Handle();
  };
  explicit Directory(std::shared_ptr<const Handle> handle) : handle_(std::move(handle)) {}
  std::shared_ptr<const Handle> handle_;
};

}  // namespace readmit
