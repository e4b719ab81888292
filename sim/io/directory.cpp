#include "readmit/io/directory.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <random>
#include <system_error>

namespace readmit {

namespace {

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

std::string describe_errno(int error_number) { return std::generic_category().message(error_number); }

/// Folders nested deeper than this are not readmit's: removal stops there.
constexpr int max_tree_depth = 32;

/// The entries of the folder open as `fd` (without "." and ".."), sorted.
std::vector<std::string> entries_of(int fd, const std::filesystem::path& shown) {
  const int listing_fd = ::dup(fd);
  DIR* listing = listing_fd < 0 ? nullptr : ::fdopendir(listing_fd);
  if (listing == nullptr) {
    if (listing_fd >= 0) ::close(listing_fd);
    throw IoError("cannot list " + quoted(shown) + ": " + describe_errno(errno));
  }
  ::rewinddir(listing);  // a duplicate shares the position of earlier listings
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(listing)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(listing);
  std::sort(names.begin(), names.end());
  return names;
}

void remove_entry(int parent_fd, const std::string& name, const std::filesystem::path& shown, int depth);

void remove_children(int fd, const std::filesystem::path& shown, int depth) {
  for (const auto& name : entries_of(fd, shown)) remove_entry(fd, name, shown / name, depth + 1);
}

void remove_entry(int parent_fd, const std::string& name, const std::filesystem::path& shown, int depth) {
  struct stat info {};
  if (::fstatat(parent_fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return;
    throw IoError("cannot remove " + quoted(shown) + ": " + describe_errno(errno));
  }
  if (S_ISDIR(info.st_mode)) {
    if (depth > max_tree_depth) throw IoError("cannot remove " + quoted(shown) + ": nested too deep");
    const int fd = ::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) throw IoError("cannot remove " + quoted(shown) + ": " + describe_errno(errno));
    try {
      remove_children(fd, shown, depth);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
    if (::unlinkat(parent_fd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
      throw IoError("cannot remove " + quoted(shown) + ": " + describe_errno(errno));
    return;
  }
  if (::unlinkat(parent_fd, name.c_str(), 0) != 0 && errno != ENOENT)
    throw IoError("cannot remove " + quoted(shown) + ": " + describe_errno(errno));
}

std::string random_suffix() {
  static constexpr char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device entropy;
  std::string text;
  for (int i = 0; i < 12; ++i) text += letters[entropy() % (sizeof letters - 1)];
  return text;
}

}  // namespace

bool is_plain_name(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

Directory::Handle::~Handle() {
  if (fd >= 0) ::close(fd);
}

Directory Directory::open(const std::filesystem::path& path, bool create) {
  const std::filesystem::path where = path.empty() ? "." : path;
  if (create) {
    std::error_code ec;
    std::filesystem::create_directories(where, ec);
    if (ec) throw IoError("cannot create output folder " + quoted(where) + ": " + ec.message());
  }
  auto handle = std::make_shared<Handle>();
  handle->path = where;
  handle->fd = ::open(where.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (handle->fd < 0) {
    const int error = errno;
    if (error == ENOTDIR) throw IoError("output folder " + quoted(where) + " is not a folder");
    if (error == ENOENT) throw IoError("folder " + quoted(where) + " does not exist");
    throw IoError("cannot open folder " + quoted(where) + ": " + describe_errno(error));
  }
  return Directory(std::move(handle));
}

std::string Directory::relative_name(std::string_view name) const {
  return relative().empty() ? std::string(name) : relative() + "/" + std::string(name);
}

Directory Directory::child(std::string_view name, bool create) const {
  if (!is_plain_name(name)) throw IoError("cannot use " + quoted(path() / name) + ": not a plain folder name");
  const std::string text(name);
  const auto shown = path() / text;
  if (create && ::mkdirat(fd(), text.c_str(), 0777) != 0 && errno != EEXIST)
    throw IoError("cannot create folder " + quoted(shown) + ": " + describe_errno(errno));
  auto handle = std::make_shared<Handle>();
  handle->path = shown;
  handle->relative = relative_name(name);
  handle->fd = ::openat(fd(), text.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (handle->fd < 0) {
    const int error = errno;
    struct stat info {};
    const bool seen = ::fstatat(fd(), text.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0;
    if (seen && S_ISLNK(info.st_mode))
      throw OutputFolderRefused(quoted(shown) +
                                " is a symbolic link; readmit writes only inside its output folder and follows no "
                                "link there (remove the link, or choose another --out)");
    if (seen && !S_ISDIR(info.st_mode))
      throw OutputFolderRefused(quoted(shown) + " is not a folder; readmit needs that name for a folder of its own");
    if (error == ENOENT) throw IoError("folder " + quoted(shown) + " does not exist");
    throw IoError("cannot open folder " + quoted(shown) + ": " + describe_errno(error));
  }
  return Directory(std::move(handle));
}

bool Directory::has(std::string_view name) const {
  struct stat info {};
  return ::fstatat(fd(), std::string(name).c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0;
}

Directory Directory::make_private_child(std::string_view prefix) const {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::string name = std::string(prefix) + random_suffix();
    if (::mkdirat(fd(), name.c_str(), 0700) == 0) return child(name, false);
    if (errno != EEXIST) throw IoError("cannot create a folder in " + quoted(path()) + ": " + describe_errno(errno));
  }
  throw IoError("cannot create a folder in " + quoted(path()) + ": every name tried exists");
}

void Directory::remove_file(std::string_view name) const {
  const std::string text(name);
  if (::unlinkat(fd(), text.c_str(), 0) != 0 && errno != ENOENT)
    throw IoError("cannot remove " + quoted(path() / text) + ": " + describe_errno(errno));
}

void Directory::remove_tree(std::string_view name) const {
  if (!is_plain_name(name)) throw IoError("cannot remove " + quoted(path() / name) + ": not a plain name");
  remove_entry(fd(), std::string(name), path() / name, 0);
}

void Directory::rename_to(std::string_view from, const Directory& target, std::string_view to) const {
  const std::string source(from), destination(to);
  if (::renameat(fd(), source.c_str(), target.fd(), destination.c_str()) != 0)
    throw IoError("cannot rename " + quoted(path() / source) + " to " + quoted(target.path() / destination) + ": " +
                  describe_errno(errno));
}

std::vector<std::string> Directory::names() const { return entries_of(fd(), path()); }

void Directory::sync() const { ::fsync(fd()); }

}  // namespace readmit
