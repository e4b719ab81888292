#include "readmit/io/output_folder.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <system_error>
#include <vector>

namespace readmit {

namespace {

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

std::string describe_errno(int error_number) { return std::generic_category().message(error_number); }

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// What the marker of a folder held by another process says (its pid and
/// command), for the message; at most a line.
std::string marker_text(int fd) {
  char buffer[512];
  const ssize_t got = ::pread(fd, buffer, sizeof buffer - 1, 0);
  if (got <= 0) return {};
  std::string text(buffer, std::size_t(got));
  if (const auto end = text.find('\n'); end != std::string::npos) text.resize(end);
  return text;
}

std::string now_utc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

}  // namespace

bool is_stale_temporary_name(std::string_view name) {
  if (name.starts_with(".readmit-spill.")) return true;
  // ".NAME.PID.N.tmp", as AtomicFileWriter names its temporary files.
  if (!name.starts_with(".") || !name.ends_with(".tmp")) return false;
  std::string_view rest = name.substr(0, name.size() - 4);
  const auto counter_dot = rest.rfind('.');
  if (counter_dot == std::string_view::npos || !all_digits(rest.substr(counter_dot + 1))) return false;
  rest = rest.substr(0, counter_dot);
  const auto pid_dot = rest.rfind('.');
  return pid_dot != std::string_view::npos && pid_dot > 1 && all_digits(rest.substr(pid_dot + 1));
}

OutputFolder::OutputFolder(std::filesystem::path path, std::span<const std::string_view> own_files, bool force,
                           const std::string& description)
    : path_(std::move(path)) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(path_, ec);
  if (ec) throw IoError("cannot create output folder " + quoted(path_) + ": " + ec.message());
  if (!fs::is_directory(path_, ec)) throw IoError("output folder " + quoted(path_) + " is not a folder");

  // Whose folder is it? Listed before the marker is created.
  const fs::path marker = path_ / marker_name;
  const bool marked = fs::exists(marker, ec);
  std::vector<std::string> foreign;
  for (fs::directory_iterator it(path_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool own = name == marker_name || name == "sweep_point.json" || is_stale_temporary_name(name) ||
                     std::find(own_files.begin(), own_files.end(), name) != own_files.end();
    if (!own) foreign.push_back(name);
  }
  if (ec) throw IoError("cannot list output folder " + quoted(path_) + ": " + ec.message());
  if (!marked && !foreign.empty() && !force) {
    std::sort(foreign.begin(), foreign.end());
    std::string names;
    for (std::size_t i = 0; i < foreign.size() && i < 3; ++i) names += (i ? ", " : "") + foreign[i];
    if (foreign.size() > 3) names += ", ...";
    throw OutputFolderRefused("output folder " + quoted(path_) + " was not created by readmit (it holds " + names +
                              "); choose another --out, or add --force to write readmit's files into it");
  }

  lock_fd_ = ::open(marker.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (lock_fd_ < 0)
    throw IoError("cannot write in output folder " + quoted(path_) + ": cannot create " + quoted(marker) + ": " +
                  describe_errno(errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = marker_text(lock_fd_);
    ::close(lock_fd_);
    lock_fd_ = -1;
    if (error == EWOULDBLOCK)
      throw OutputFolderRefused("output folder " + quoted(path_) + " is in use by another readmit run" +
                                (holder.empty() ? std::string() : " (" + holder + ")") +
                                "; wait for it to finish or choose another --out");
    throw IoError("cannot lock output folder " + quoted(path_) + ": " + describe_errno(error));
  }
  const std::string text = "readmit output folder, held by pid " + std::to_string(::getpid()) + " since " + now_utc() +
                           ": " + description.substr(0, 300) + "\n";
  if (::ftruncate(lock_fd_, 0) != 0 || ::pwrite(lock_fd_, text.data(), text.size(), 0) != ssize_t(text.size()))
    throw IoError("cannot write " + quoted(marker) + ": " + describe_errno(errno));

  // Nothing of an earlier command or an interrupted run survives into this one.
  std::vector<fs::path> stale;
  for (fs::directory_iterator it(path_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (is_stale_temporary_name(name) || std::find(own_files.begin(), own_files.end(), name) != own_files.end())
      stale.push_back(it->path());
  }
  if (ec) throw IoError("cannot list output folder " + quoted(path_) + ": " + ec.message());
  for (const auto& file : stale) {
    fs::remove(file, ec);
    if (ec) throw IoError("cannot remove " + quoted(file) + " of an earlier run: " + ec.message());
  }
}

OutputFolder::~OutputFolder() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // closing releases the lock
}

}  // namespace readmit
