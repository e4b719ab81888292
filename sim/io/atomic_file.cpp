#include "readmit/io/atomic_file.hpp"

#include <array>
#include <atomic>
#include <cerrno>
#include <streambuf>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace readmit {
namespace {

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

// Thread-safe, unlike std::strerror.
std::string describe_errno(int error_number) { return std::generic_category().message(error_number); }

std::filesystem::path temporary_path_for(const std::filesystem::path& final_path) {
  if (final_path.filename().empty()) {
    throw IoError("cannot write " + quoted(final_path) + ": path has no file name");
  }
  static std::atomic<unsigned long> counter{0};
  const std::string name = "." + final_path.filename().string() + "." + std::to_string(::getpid()) + "." +
                           std::to_string(counter.fetch_add(1)) + ".tmp";
  return final_path.parent_path() / name;
}

}  // namespace

/// Output buffer over a POSIX file descriptor. Unlike std::filebuf it keeps
/// the errno of the first failed write, so errors can be reported precisely,
/// and it gives access to the descriptor for fsync.
class AtomicFileWriter::FileBuffer final : public std::streambuf {
 public:
  FileBuffer(const std::filesystem::path& final_path, const std::filesystem::path& temporary_path)
      : fd_(::open(temporary_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) {
    if (fd_ >= 0) {
      setp(buffer_.data(), buffer_.data() + buffer_.size());
      return;
    }
    const int open_errno = errno;
    if (open_errno == ENOENT) {
      const std::filesystem::path directory = final_path.parent_path().empty() ? "." : final_path.parent_path();
      throw IoError("cannot write " + quoted(final_path) + ": directory " + quoted(directory) + " does not exist");
    }
    throw IoError("cannot write " + quoted(final_path) + ": cannot create temporary file " + quoted(temporary_path) +
                  ": " + describe_errno(open_errno));
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

  int fd_;
  int write_error_ = 0;
  std::array<char, std::size_t{64} * 1024> buffer_{};
};

AtomicFileWriter::AtomicFileWriter(std::filesystem::path path)
    : final_path_(std::move(path)),
      temporary_path_(temporary_path_for(final_path_)),
      buffer_(std::make_unique<FileBuffer>(final_path_, temporary_path_)),
      stream_(buffer_.get()) {}

AtomicFileWriter::~AtomicFileWriter() {
  if (!commit_attempted_) {
    buffer_->close_file();
    std::error_code ignored;
    std::filesystem::remove(temporary_path_, ignored);
  }
}

void AtomicFileWriter::fail(const std::string& what, const std::string& reason) {
  buffer_->close_file();
  std::error_code ignored;
  std::filesystem::remove(temporary_path_, ignored);
  throw IoError("cannot write " + quoted(final_path_) + ": " + what + " " + quoted(temporary_path_) +
                " failed: " + reason);
}

void AtomicFileWriter::commit() {
  if (commit_attempted_) {
    throw std::logic_error("AtomicFileWriter::commit() called twice for " + quoted(final_path_));
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
  std::error_code rename_error;
  std::filesystem::rename(temporary_path_, final_path_, rename_error);
  if (rename_error) {
    fail("renaming temporary file", rename_error.message());
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
  AtomicFileWriter writer(path);
  writer.stream().write(contents.data(), static_cast<std::streamsize>(contents.size()));
  writer.commit();
}

}  // namespace readmit
