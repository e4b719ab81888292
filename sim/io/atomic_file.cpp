#include "readmit/io/atomic_file.hpp"

#include <array>
#include <cerrno>
#include <random>
#include <streambuf>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace readmit {
namespace {

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

// Thread-safe, unlike std::strerror.
std::string describe_errno(int error_number) { return std::generic_category().message(error_number); }

/// ".NAME.PID.R.tmp" with R random: a name nobody can plant a link at in
/// advance (and O_EXCL refuses one that is there).
std::string temporary_name_for(const std::string& name) {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  return "." + name + "." + std::to_string(::getpid()) + "." + std::to_string(generator() >> 1) + ".tmp";
}

}  // namespace

/// Output buffer over a POSIX file descriptor. Unlike std::filebuf it keeps
/// the errno of the first failed write, so errors can be reported precisely,
/// and it gives access to the descriptor for fsync.
class AtomicFileWriter::FileBuffer final : public std::streambuf {
 public:
  /// Creates a new temporary for `name` in `directory` (its name in
  /// `temporary_name`); never opens a file or link already there.
  FileBuffer(const Directory& directory, const std::string& name, std::string& temporary_name) {
    for (int attempt = 0; attempt < 100; ++attempt) {
      temporary_name = temporary_name_for(name);
      fd_ =
          ::openat(directory.fd(), temporary_name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
      if (fd_ >= 0) {
        setp(buffer_.data(), buffer_.data() + buffer_.size());
        return;
      }
      if (errno != EEXIST) break;
    }
    throw IoError("cannot write " + quoted(directory.path() / name) + ": cannot create temporary file " +
                  quoted(directory.path() / temporary_name) + ": " + describe_errno(errno));
  }

  ~FileBuffer() override { close_file(); }

  FileBuffer(const FileBuffer&) = delete;
  FileBuffer& operator=(const FileBuffer&) = delete;

  /// errno of the first failed write, or 0.
  int write_error() const noexcept { return write_error_; }

  /// fsyncs and closes the file; returns 0 or the errno of the failing call.
  int sync_and_close() noexcept {
    if (::fsync(fd_) != 0) {
      const int fsync_errno = errno;
      close_file();
      return fsync_errno;
    }
    return close_file();
  }

  /// Closes the file if open; returns 0 or the errno of close().
  int close_file() noexcept {
    if (fd_ < 0) {
      return 0;
    }
    const int result = ::close(fd_);
    fd_ = -1;
    return result == 0 ? 0 : errno;
  }

 protected:
  int_type overflow(int_type character) override {
    if (!write_buffered()) {
      return traits_type::eof();
    }
    if (!traits_type::eq_int_type(character, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(character);
      pbump(1);
    }
    return traits_type::not_eof(character);
  }

  int sync() override { return write_buffered() ? 0 : -1; }

 private:
  bool write_buffered() noexcept {
    if (write_error_ != 0) {
      return false;
    }
    const char* next = pbase();
    while (next < pptr()) {
      const ssize_t written = ::write(fd_, next, static_cast<std::size_t>(pptr() - next));
      if (written < 0) {
        if (errno == EINTR) {
          continue;
        }
        write_error_ = errno;
        return false;
      }
      next += written;
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return true;
  }

  int fd_ = -1;
  int write_error_ = 0;
  std::array<char, std::size_t{64} * 1024> buffer_{};
};

namespace {

/// The folder of `path`, opened for AtomicFileWriter.
Directory parent_of(const std::filesystem::path& path) {
  if (path.filename().empty()) throw IoError("cannot write " + quoted(path) + ": path has no file name");
  const std::filesystem::path parent = path.parent_path().empty() ? "." : path.parent_path();
  std::error_code ec;
  if (!std::filesystem::exists(parent, ec))
    throw IoError("cannot write " + quoted(path) + ": directory " + quoted(parent) + " does not exist");
  return Directory::open(parent, false);
}

std::string plain_name(const Directory& directory, std::string name) {
  if (!is_plain_name(name))
    throw IoError("cannot write " + quoted(directory.path() / name) + ": not a plain file name");
  return name;
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(const std::filesystem::path& path)
    : AtomicFileWriter(parent_of(path), path.filename().string()) {}

AtomicFileWriter::AtomicFileWriter(const Directory& directory, std::string name, StagedFiles* staging)
    : directory_(directory),
      name_(plain_name(directory, std::move(name))),
      staging_(staging),
      buffer_(std::make_unique<FileBuffer>(directory_, name_, temporary_name_)),
      stream_(buffer_.get()) {}

AtomicFileWriter::~AtomicFileWriter() {
  if (!commit_attempted_) {
    buffer_->close_file();
    ::unlinkat(directory_.fd(), temporary_name_.c_str(), 0);
  }
}

void AtomicFileWriter::fail(const std::string& what, const std::string& reason) {
  buffer_->close_file();
  ::unlinkat(directory_.fd(), temporary_name_.c_str(), 0);
  throw IoError("cannot write " + quoted(directory_.path() / name_) + ": " + what + " " +
                quoted(directory_.path() / temporary_name_) + " failed: " + reason);
}

void AtomicFileWriter::commit() {
  if (commit_attempted_) {
    throw std::logic_error("AtomicFileWriter::commit() called twice for " + quoted(directory_.path() / name_));
  }
  commit_attempted_ = true;

  stream_.flush();
  if (const int write_errno = buffer_->write_error(); write_errno != 0) {
    fail("writing temporary file", describe_errno(write_errno));
  }
  if (!stream_) {
    fail("writing temporary file", "output stream is in a failed state");
  }
  if (const int sync_errno = buffer_->sync_and_close(); sync_errno != 0) {
    fail("fsync or close of temporary file", describe_errno(sync_errno));
  }
  if (staging_ != nullptr) {
    staging_->add(directory_, temporary_name_, directory_, name_);
    return;
  }
  if (::renameat(directory_.fd(), temporary_name_.c_str(), directory_.fd(), name_.c_str()) != 0) {
    fail("renaming temporary file", describe_errno(errno));
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
  AtomicFileWriter writer(path);
  writer.stream().write(contents.data(), static_cast<std::streamsize>(contents.size()));
  writer.commit();
}

void write_file_atomically(const Directory& directory, const std::string& name, std::string_view contents,
                           StagedFiles* staging) {
  AtomicFileWriter writer(directory, name, staging);
  writer.stream().write(contents.data(), static_cast<std::streamsize>(contents.size()));
  writer.commit();
}

StagedFiles::~StagedFiles() {
  for (const auto& entry : entries_)
    if (!entry.placed) ::unlinkat(entry.from.fd(), entry.temporary.c_str(), 0);
}

void StagedFiles::add(Directory from, std::string temporary, Directory to, std::string name) {
  entries_.push_back({std::move(from), std::move(temporary), std::move(to), std::move(name)});
}

void StagedFiles::place(Entry& entry) {
  entry.from.rename_to(entry.temporary, entry.to, entry.name);
  entry.placed = true;
}

std::vector<std::string> StagedFiles::names() const {
  std::vector<std::string> names;
  for (const auto& entry : entries_) names.push_back(entry.to.relative_name(entry.name));
  return names;
}

}  // namespace readmit
