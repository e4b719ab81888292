#include "readmit/io/temporary_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "readmit/io/atomic_file.hpp"

namespace readmit {

namespace {

std::string describe_errno(int error_number) { return std::generic_category().message(error_number); }

}  // namespace

TemporaryFile::TemporaryFile(const std::filesystem::path& directory, std::string contents)
    : directory_(directory), contents_(std::move(contents)) {
  std::string name = (directory / ".readmit-spill.XXXXXX").string();
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) {
    throw IoError("cannot write in '" + directory.string() +
                  "': cannot create a temporary file: " + describe_errno(errno));
  }
  ::unlink(name.c_str());
}

TemporaryFile::~TemporaryFile() {
  if (fd_ >= 0) ::close(fd_);
}

void TemporaryFile::write_at(const void* data, std::size_t bytes, std::size_t offset) {
  const auto* from = static_cast<const char*>(data);
  std::size_t written = 0;
  while (written < bytes) {
    const ssize_t n = ::pwrite(fd_, from + written, bytes - written, off_t(offset + written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw IoError("cannot write the temporary " + contents_ + " in '" + directory_.string() +
                    "': " + describe_errno(n < 0 ? errno : ENOSPC));
    }
    written += std::size_t(n);
  }
  size_ = std::max(size_, offset + bytes);
}

void TemporaryFile::read_at(void* data, std::size_t bytes, std::size_t offset) const {
  auto* to = static_cast<char*>(data);
  std::size_t done = 0;
  while (done < bytes) {
    const ssize_t n = ::pread(fd_, to + done, bytes - done, off_t(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw IoError("cannot read the temporary " + contents_ + " in '" + directory_.string() +
                    "': " + (n < 0 ? describe_errno(errno) : std::string("file shorter than expected")));
    }
    done += std::size_t(n);
  }
}

}  // namespace readmit
