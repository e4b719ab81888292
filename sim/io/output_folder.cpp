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

#include <nlohmann/json.hpp>

#include "readmit/scenario/diagnostics.hpp"
#include "readmit/util/bounded_file.hpp"

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
  return excerpt(text, 300);  // a marker is text anybody could write: no terminal control reaches the terminal
}

std::string now_utc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return buffer;
}

/// The names readmit wrote before folders had a manifest: what a folder of
/// an earlier version is taken to hold of readmit's.
constexpr std::string_view legacy_names[] = {"scenario.resolved.yaml",
                                             "replications.csv",
                                             "timeseries.csv",
                                             "summary.csv",
                                             "comparison.csv",
                                             "events.csv",
                                             "monthly.csv",
                                             "metrics.csv",
                                             "metadata.json",
                                             "replications.csv.gz",
                                             "timeseries.csv.gz",
                                             "summary.csv.gz",
                                             "comparison.csv.gz",
                                             "events.csv.gz",
                                             "monthly.csv.gz",
                                             "comparison_timeseries.csv",
                                             "points.csv",
                                             "sweep.csv",
                                             "differences.csv",
                                             "sensitivity.csv",
                                             "prim_boxes.csv",
                                             "sweep.sqlite",
                                             "experiment.sqlite",
                                             "sweep_point.json",
                                             "report.html"};

constexpr std::string_view manifest_header = "readmit manifest 1";

/// A manifest name: plain names joined by '/', a folder ending in '/'.
bool valid_manifest_name(std::string_view name) {
  if (name.empty() || name.front() == '/') return false;
  if (name.back() == '/') name.remove_suffix(1);
  while (!name.empty()) {
    const auto slash = name.find('/');
    if (!is_plain_name(name.substr(0, slash))) return false;
    if (slash == std::string_view::npos) return true;
    name.remove_prefix(slash + 1);
  }
  return false;
}

/// Takes (waits for) or releases the top-level write lock: an open file
/// description lock on the marker's first byte, independent of its flock.
void top_level_lock(int fd, short type) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = 0;
  lock.l_len = 1;
  while (::fcntl(fd, type == F_UNLCK ? F_OFD_SETLK : F_OFD_SETLKW, &lock) != 0) {
    if (errno == EINTR) continue;
    if (type != F_UNLCK) throw IoError("cannot lock the output folder's top level: " + describe_errno(errno));
    return;
  }
}

}  // namespace

bool is_stale_temporary_name(std::string_view name) {
  if (name.starts_with(".readmit-spill.") || name.starts_with(".readmit-stage.")) return true;
  if (!name.starts_with(".")) return false;
  // ".NAME.tmp-PID-N", as databases were named before.
  if (const auto at = name.rfind(".tmp-"); at != std::string_view::npos && at > 1) {
    const std::string_view rest = name.substr(at + 5);
    const auto dash = rest.find('-');
    if (dash != std::string_view::npos && all_digits(rest.substr(0, dash)) && all_digits(rest.substr(dash + 1)))
      return true;
  }
  // ".NAME.PID.N.tmp", as AtomicFileWriter names its temporary files.
  if (!name.ends_with(".tmp")) return false;
  std::string_view rest = name.substr(0, name.size() - 4);
  const auto counter_dot = rest.rfind('.');
  if (counter_dot == std::string_view::npos || !all_digits(rest.substr(counter_dot + 1))) return false;
  rest = rest.substr(0, counter_dot);
  const auto pid_dot = rest.rfind('.');
  return pid_dot != std::string_view::npos && pid_dot > 1 && all_digits(rest.substr(pid_dot + 1));
}

OutputFolder::OutputFolder(std::filesystem::path path, const Options& options)
    : path_(std::move(path)), directory_(Directory::open(path_, options.create)) {
  // Whose folder is it? Listed before this command creates the marker. The
  // marker is looked for after the listing: readmit creates it before
  // anything else, so files that another readmit (a shard starting at the
  // same moment) wrote meanwhile come with its marker.
  std::vector<std::string> foreign;
  for (const auto& name : directory_.names())
    if (name != marker_name && !is_stale_temporary_name(name)) foreign.push_back(name);
  const bool marked = directory_.has(marker_name);
  was_marked_ = marked;
  if (!marked && !foreign.empty() && !options.force) {
    std::string names;
    for (std::size_t i = 0; i < foreign.size() && i < 3; ++i) names += (i ? ", " : "") + excerpt(foreign[i]);
    if (foreign.size() > 3) names += ", ...";
    throw OutputFolderRefused("output folder " + quoted(path_) + " was not created by readmit (it holds " + names +
                              "); choose another --out, or add --force to write readmit's files into it");
  }

  lock_fd_ =
      ::openat(directory_.fd(), std::string(marker_name).c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (lock_fd_ < 0) {
    const int error = errno;
    if (error == ELOOP)
      throw OutputFolderRefused("output folder " + quoted(path_) + ": its marker " + std::string(marker_name) +
                                " is a symbolic link; readmit follows no link in its output folders");
    throw IoError("cannot write in output folder " + quoted(path_) + ": cannot create " + quoted(path_ / marker_name) +
                  ": " + describe_errno(error));
  }
  const int mode = options.access == FolderAccess::exclusive ? LOCK_EX : LOCK_SH;
  if (::flock(lock_fd_, mode | LOCK_NB) != 0) {
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
                           ": " + options.description.substr(0, 300) + "\n";
  if (::pwrite(lock_fd_, text.data(), text.size(), 0) != ssize_t(text.size()) ||
      ::ftruncate(lock_fd_, off_t(text.size())) != 0) {
    const int error = errno;
    ::close(lock_fd_);
    throw IoError("cannot write " + quoted(path_ / marker_name) + ": " + describe_errno(error));
  }
}

OutputFolder::~OutputFolder() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // closing releases the locks
}

OutputFolder::TopLevel::TopLevel(const OutputFolder& folder) : fd_(folder.lock_fd_) {
  top_level_lock(fd_, F_WRLCK);
  try {
    // Only a holder of the top level writes temporaries there: any now are
    // an interrupted command's.
    for (const auto& name : folder.directory_.names())
      if (is_stale_temporary_name(name)) folder.directory_.remove_tree(name);
  } catch (...) {
    top_level_lock(fd_, F_UNLCK);
    throw;
  }
}

OutputFolder::TopLevel::~TopLevel() { top_level_lock(fd_, F_UNLCK); }

std::map<std::string, std::string> OutputFolder::manifest() const {
  std::map<std::string, std::string> entries;
  if (!directory_.has(manifest_name)) {
    // A folder of an earlier version: readmit's names in it. A folder
    // adopted with --force holds none of readmit's.
    if (!was_marked_) return entries;
    for (const auto name : legacy_names)
      if (directory_.has(name)) entries.emplace(std::string(name), "output");
    if (directory_.has("points")) entries.emplace("points/", "output");
    return entries;
  }
  std::string problem;
  const auto text = read_bounded(manifest_name,
                                 {.max_bytes = std::uint64_t(64) << 20,
                                  .what = "a manifest",
                                  .follow_links = false,
                                  .directory_fd = directory_.fd(),
                                  .shown = (path_ / manifest_name).string()},
                                 problem);
  if (!text) throw IoError("cannot read the manifest of output folder " + quoted(path_) + ": " + problem);
  std::size_t at = 0;
  bool first = true;
  while (at < text->size()) {
    const auto end = std::min(text->find('\n', at), text->size());
    const std::string_view line(text->data() + at, end - at);
    at = end + 1;
    if (first) {
      first = false;
      if (line != manifest_header) break;  // not a manifest of this form: trust none of it
      continue;
    }
    const auto space = line.find(' ');
    if (space == std::string_view::npos) continue;
    const std::string_view kind = line.substr(0, space), name = line.substr(space + 1);
    if ((kind == "output" || kind == "report") && valid_manifest_name(name))
      entries[std::string(name)] = std::string(kind);
  }
  return entries;
}

void OutputFolder::write_manifest(const std::map<std::string, std::string>& entries) const {
  std::string text = std::string(manifest_header) + "\n";
  for (const auto& [name, kind] : entries) text += kind + " " + name + "\n";
  write_file_atomically(directory_, std::string(manifest_name), text);
}

void OutputFolder::remove_entry(const std::string& name) const {
  // Down the folders of the name, never through a link; a part that is
  // missing means there is nothing to remove.
  std::vector<Directory> chain{directory_};
  std::string_view rest = name;
  const bool folder = rest.ends_with('/');
  if (folder) rest.remove_suffix(1);
  try {
    for (auto slash = rest.find('/'); slash != std::string_view::npos; slash = rest.find('/')) {
      const std::string part(rest.substr(0, slash));
      if (!chain.back().has(part)) return;
      chain.push_back(chain.back().child(part, false));
      rest.remove_prefix(slash + 1);
    }
  } catch (const OutputFolderRefused&) {
    return;  // a link or a file where a folder was: not readmit's any more
  }
  if (folder)
    chain.back().remove_tree(rest);
  else
    chain.back().remove_file(rest);
  // Folders the removal emptied (figures/) go too; others stay.
  for (std::size_t i = chain.size() - 1; i > 0; --i) {
    const std::string parent_relative = chain[i].relative();
    const std::string own = parent_relative.substr(parent_relative.rfind('/') + 1);
    if (::unlinkat(chain[i - 1].fd(), own.c_str(), AT_REMOVEDIR) != 0) break;
  }
}

void OutputFolder::publish(StagedFiles& staged, ManifestScope scope, const std::vector<std::string>& owned) {
  const std::string kind = scope == ManifestScope::outputs ? "output" : "report";
  auto entries = manifest();
  std::map<std::string, std::string> now;
  for (const auto& name : staged.names()) now[name] = kind;
  for (const auto& name : owned) now[name] = kind;
  // Known before anything moves: an interrupted publish leaves no file of
  // readmit's unlisted.
  auto known = entries;
  for (const auto& [name, what] : now) known[name] = what;
  write_manifest(known);

  StagedFiles::Entry* metadata = nullptr;
  for (auto& entry : staged.entries())
    if (entry.to.relative().empty() && entry.name == "metadata.json") metadata = &entry;
  if (metadata != nullptr) directory_.remove_file("metadata.json");  // the old completion mark goes first
  for (auto& entry : staged.entries())
    if (&entry != metadata) StagedFiles::place(entry);
  std::map<std::string, std::string> kept;
  for (const auto& [name, what] : entries) {
    const bool replaced = scope == ManifestScope::outputs || what == "report";
    if (now.contains(name)) continue;
    if (replaced)
      remove_entry(name);
    else
      kept[name] = what;
  }
  for (const auto& [name, what] : now) kept[name] = what;
  write_manifest(kept);
  if (metadata != nullptr) StagedFiles::place(*metadata);
  directory_.sync();
}

FolderLock::FolderLock(const Directory& folder)
    : fd_(::openat(folder.fd(), std::string(OutputFolder::marker_name).c_str(),
                   O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644)) {
  if (fd_ < 0)
    throw IoError("cannot lock " + quoted(folder.path()) + ": cannot create its marker: " + describe_errno(errno));
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const int error = errno;
    ::close(fd_);
    throw IoError("cannot lock " + quoted(folder.path()) + ": " + describe_errno(error));
  }
}

FolderLock::~FolderLock() { ::close(fd_); }

void copy_output_folder(const std::filesystem::path& from, const std::filesystem::path& to, bool force,
                        const std::string& description) {
  const Directory source = Directory::open(from, false);
  const auto options = [&](const std::string& name, std::uint64_t max_bytes) {
    return BoundedFile::Options{.max_bytes = max_bytes,
                                .what = "a file readmit wrote",
                                .follow_links = false,
                                .directory_fd = source.fd(),
                                .shown = (from / name).string()};
  };
  std::string problem;
  const auto metadata = read_bounded("metadata.json", options("metadata.json", std::uint64_t(64) << 20), problem);
  if (!metadata) throw IoError("cannot copy " + quoted(from) + ": " + problem);
  std::vector<std::string> files;
  try {
    const auto parsed = nlohmann::json::parse(*metadata);
    for (const auto& name : parsed.at("files")) files.push_back(name.get<std::string>());
  } catch (const nlohmann::json::exception&) {
    throw IoError("cannot copy " + quoted(from) + ": its metadata.json lists no files");
  }
  OutputFolder folder(to,
                      {.access = FolderAccess::exclusive, .force = force, .create = true, .description = description});
  const OutputFolder::TopLevel top(folder);
  StagedFiles staged;
  for (const auto& name : files) {
    if (!is_plain_name(name) || name.starts_with('.'))
      throw IoError("cannot copy " + quoted(from) + ": its metadata.json lists " + quoted(std::filesystem::path(name)));
    BoundedFile file(name, options(name, std::uint64_t(1) << 50));
    if (!file.is_open()) throw IoError("cannot copy " + quoted(from) + ": " + file.problem());
    AtomicFileWriter copy(folder.directory(), name, &staged);
    std::vector<char> buffer(std::size_t(1) << 20);
    while (true) {
      const auto got = file.read(buffer.data(), buffer.size());
      if (!got) throw IoError("cannot copy " + quoted(from) + ": " + file.problem());
      if (*got == 0) break;
      copy.stream().write(buffer.data(), std::streamsize(*got));
    }
    copy.commit();
  }
  folder.publish(staged, ManifestScope::outputs);
}

}  // namespace readmit
