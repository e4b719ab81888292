#include "readmit/util/bounded_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace readmit {

static_assert(AT_FDCWD == -100, "BoundedFile::Options::directory_fd defaults to AT_FDCWD");

namespace {

std::string describe_errno(int error_number) { return std::generic_category().message(error_number); }

/// What a file that is not a regular file is, for messages.
std::string file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a named pipe (FIFO)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a regular file";
}

}  // namespace

std::string binary_size(std::uint64_t bytes) {
  static constexpr const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  std::string text = std::to_string(bytes) + " bytes";
  std::uint64_t value = bytes;
  for (const char* unit : units) {
    if (value < 1024 || value % 1024 != 0) break;
    value /= 1024;
    text = std::to_string(value) + " " + unit;
  }
  return text;
}

BoundedFile::BoundedFile(const std::filesystem::path& path, const Options& options)
    : shown_(options.shown.empty() ? path.string() : options.shown),
      what_(options.what),
      max_bytes_(options.max_bytes) {
  const int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (options.follow_links ? 0 : O_NOFOLLOW);
  fd_ = ::openat(options.directory_fd, path.c_str(), flags);
  if (fd_ < 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR)
      problem_ = "file not found: " + shown_;
    else if (error == ELOOP && !options.follow_links)
      problem_ = "expected " + what_ + ", found a symbolic link (readmit does not follow links here): " + shown_;
    else if (error == ELOOP)
      problem_ = "too many levels of symbolic links (a loop?): " + shown_;
    else
      problem_ = "cannot open " + shown_ + ": " + describe_errno(error);
    return;
  }
  struct stat info {};
  if (::fstat(fd_, &info) != 0) {
    fail("cannot read " + shown_ + ": " + describe_errno(errno));
    return;
  }
  if (!S_ISREG(info.st_mode)) {
    fail("expected " + what_ + ", found " + file_kind(info.st_mode) + ": " + shown_);
    return;
  }
  size_ = std::uint64_t(info.st_size);
  if (size_ > max_bytes_) {
    fail("expected " + what_ + " of at most " + std::to_string(max_bytes_) + " bytes (" + binary_size(max_bytes_) +
         "), found " + std::to_string(size_) + " bytes: " + shown_);
    return;
  }
  device_ = std::uint64_t(info.st_dev);
  inode_ = std::uint64_t(info.st_ino);
  // Regular files never block; reads need no O_NONBLOCK from here on.
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
}

BoundedFile::~BoundedFile() {
  if (fd_ >= 0) ::close(fd_);
}

void BoundedFile::fail(std::string message) {
  problem_ = std::move(message);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::optional<std::size_t> BoundedFile::read(char* buffer, std::size_t capacity) {
  if (fd_ < 0) return std::nullopt;
  while (true) {
    const ssize_t got = ::read(fd_, buffer, capacity);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      fail("cannot read " + shown_ + ": " + describe_errno(errno));
      return std::nullopt;
    }
    read_ += std::uint64_t(got);
    if (read_ > max_bytes_) {
      fail("expected " + what_ + " of at most " + std::to_string(max_bytes_) + " bytes (" + binary_size(max_bytes_) +
           "); it grew past that while being read: " + shown_);
      return std::nullopt;
    }
    return std::size_t(got);
  }
}

std::optional<std::string> BoundedFile::read_all() {
  std::string text;
  if (size_ < (std::uint64_t(1) << 30)) text.reserve(std::size_t(size_));
  char buffer[64 * 1024];
  while (true) {
    const auto got = read(buffer, sizeof buffer);
    if (!got) return std::nullopt;
    if (*got == 0) return text;
    text.append(buffer, *got);
  }
}

std::optional<std::string> read_bounded(const std::filesystem::path& path, const BoundedFile::Options& options,
                                        std::string& problem) {
  BoundedFile file(path, options);
  auto text = file.read_all();
  if (!text) problem = file.problem();
  return text;
}

BoundedLineReader::BoundedLineReader(const std::filesystem::path& path, const BoundedFile::Options& options,
                                     std::size_t max_line_bytes)
    : file_(path, options), max_line_bytes_(max_line_bytes) {}

bool BoundedLineReader::next(std::string& line) {
  if (!problem_.empty() || !file_.is_open()) return false;
  ++line_number_;
  line.clear();
  while (true) {
    if (at_ < buffer_.size()) {
      const auto end = buffer_.find('\n', at_);
      const std::size_t stop = end == std::string::npos ? buffer_.size() : end;
      line.append(buffer_, at_, stop - at_);
      at_ = end == std::string::npos ? buffer_.size() : end + 1;
      if (line.size() > max_line_bytes_) {
        problem_ = "line " + std::to_string(line_number_) + " is longer than " + binary_size(max_line_bytes_);
        return false;
      }
      if (end != std::string::npos) return true;
    }
    if (ended_) return !line.empty();
    buffer_.resize(std::size_t{256} * 1024);
    const auto got = file_.read(buffer_.data(), buffer_.size());
    if (!got) return false;
    buffer_.resize(*got);
    at_ = 0;
    ended_ = *got == 0;
  }
}

}  // namespace readmit
