#include "readmit/io/atomic_file.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include <catch2/catch.hpp>

namespace fs = std::filesystem;
using readmit::AtomicFileWriter;
using readmit::IoError;
using readmit::write_file_atomically;

namespace {

class ScratchDirectory {
 public:
  ScratchDirectory() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("readmit-atomic-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_whole_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.is_open());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> entries_of(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The message of the IoError thrown by `action`, or nothing if it did not throw.
template <typename Action>
std::optional<std::string> io_error_message(Action action) {
  try {
    action();
  } catch (const IoError& error) {
    return std::string(error.what());
  }
  return std::nullopt;
}

// Lowers the per-process file size limit so that writes fail with EFBIG,
// restoring the limit and the SIGXFSZ disposition on destruction.
// No Catch assertion may run while it is active: if the test log is a regular
// file, the reporter's own writes would fail too.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t limit_bytes) {
    if (::getrlimit(RLIMIT_FSIZE, &previous_limit_) != 0) {
      throw std::runtime_error("getrlimit(RLIMIT_FSIZE) failed");
    }
    rlimit lowered = previous_limit_;
    lowered.rlim_cur = limit_bytes;
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    if (::setrlimit(RLIMIT_FSIZE, &lowered) != 0) {
      std::signal(SIGXFSZ, previous_handler_);
      throw std::runtime_error("setrlimit(RLIMIT_FSIZE) failed");
    }
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &previous_limit_);
    std::signal(SIGXFSZ, previous_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit previous_limit_{};
  void (*previous_handler_)(int) = nullptr;
};

}  // namespace

TEST_CASE("write_file_atomically creates and then replaces a file", "[io][atomic]") {
  const ScratchDirectory scratch;
  const fs::path target = scratch.path() / "results.csv";

  write_file_atomically(target, "old contents\n");
  CHECK(read_whole_file(target) == "old contents\n");

  write_file_atomically(target, "new");
  CHECK(read_whole_file(target) == "new");
  CHECK(entries_of(scratch.path()) == std::vector<std::string>{"results.csv"});
}

TEST_CASE("write_file_atomically writes bytes unchanged", "[io][atomic]") {
  const ScratchDirectory scratch;
  const fs::path target = scratch.path() / "binary.dat";
  const std::string contents("a\0b\r\nc\n\xff", 9);

  write_file_atomically(target, contents);

  CHECK(read_whole_file(target) == contents);
}

TEST_CASE("AtomicFileWriter shows nothing under the final name before commit", "[io][atomic]") {
  const ScratchDirectory scratch;
  const fs::path target = scratch.path() / "out.csv";
  write_file_atomically(target, "previous");

  AtomicFileWriter writer(target);
  writer.stream() << "streamed " << 42 << '\n';
  writer.stream().flush();

  CHECK(read_whole_file(target) == "previous");
  const std::vector<std::string> during = entries_of(scratch.path());
  REQUIRE(during.size() == 2);
  const std::string& temporary_name = during[0];  // '.' sorts before 'o'
  CHECK(temporary_name.front() == '.');
  CHECK(temporary_name.find("out.csv") != std::string::npos);

  writer.commit();

  CHECK(read_whole_file(target) == "streamed 42\n");
  CHECK(entries_of(scratch.path()) == std::vector<std::string>{"out.csv"});
}

TEST_CASE("AtomicFileWriter destroyed without commit leaves no trace", "[io][atomic]") {
  const ScratchDirectory scratch;
  const fs::path target = scratch.path() / "never.csv";

  {
    AtomicFileWriter writer(target);
    writer.stream() << "partial output";
    REQUIRE(entries_of(scratch.path()).size() == 1);
  }

  CHECK_FALSE(fs::exists(target));
  CHECK(entries_of(scratch.path()).empty());
}

TEST_CASE("AtomicFileWriter destroyed without commit keeps the previous file", "[io][atomic]") {
  const ScratchDirectory scratch;
  const fs::path target = scratch.path() / "kept.csv";
  write_file_atomically(target, "previous");

  {
    AtomicFileWriter writer(target);
    writer.stream() << "abandoned";
  }

  CHECK(read_whole_file(target) == "previous");
  CHECK(entries_of(scratch.path()) == std::vector<std::string>{"kept.csv"});
}

TEST_CASE("writing into a missing directory throws IoError naming the path", "[io][atomic]") {
  const ScratchDirectory scratch;
  const fs::path target = scratch.path() / "no_such_dir" / "out.csv";

  const auto message = io_error_message([&] { write_file_atomically(target, "x"); });
  REQUIRE(message.has_value());
  CHECK_THAT(*message, Catch::Matchers::Contains(target.string()) &&
                           Catch::Matchers::Contains("'" + target.parent_path().string() + "' does not exist"));
  CHECK_THROWS_AS(AtomicFileWriter(target), IoError);
  CHECK(entries_of(scratch.path()).empty());
}

TEST_CASE("a path without a file name throws IoError", "[io][atomic]") {
  const ScratchDirectory scratch;
  CHECK_THROWS_AS(write_file_atomically(scratch.path() / "", "x"), IoError);
}

TEST_CASE("a failed rename throws IoError and removes the temporary file", "[io][atomic]") {
  const ScratchDirectory scratch;
  const fs::path target = scratch.path() / "occupied";
  fs::create_directory(target);  // rename() cannot replace a directory with a file

  const auto message = io_error_message([&] { write_file_atomically(target, "contents"); });
  REQUIRE(message.has_value());
  CHECK_THAT(*message, Catch::Matchers::Contains(target.string()) && Catch::Matchers::Contains("renaming"));
  CHECK(entries_of(scratch.path()) == std::vector<std::string>{"occupied"});
}

TEST_CASE("a failed write throws IoError and keeps the previous file", "[io][atomic]") {
  const ScratchDirectory scratch;
  const fs::path target = scratch.path() / "big.csv";
  write_file_atomically(target, "previous");
  const std::string large(100000, 'x');

  std::optional<std::string> error_message;
  {
    const FileSizeLimit limit(1024);
    error_message = io_error_message([&] { write_file_atomically(target, large); });
  }

  REQUIRE(error_message.has_value());
  CHECK_THAT(*error_message, Catch::Matchers::Contains(target.string()) &&
                                 Catch::Matchers::Contains("writing temporary file") &&
                                 Catch::Matchers::Contains(std::generic_category().message(EFBIG)));
  CHECK(read_whole_file(target) == "previous");
  CHECK(entries_of(scratch.path()) == std::vector<std::string>{"big.csv"});
}

TEST_CASE("AtomicFileWriter::commit may be called only once", "[io][atomic]") {
  const ScratchDirectory scratch;
  AtomicFileWriter writer(scratch.path() / "once.csv");
  writer.commit();
  CHECK_THROWS_AS(writer.commit(), std::logic_error);
}

// Issue #21, defect 1: a link planted at a temporary's name (the process id
// is in the folder's marker) is never followed: the temporary is created
// with O_EXCL | O_NOFOLLOW under a name nobody can guess.
TEST_CASE("a symbolic link at a temporary's name is never followed", "[io][atomic]") {
  const ScratchDirectory scratch;
  const ScratchDirectory outside;
  const fs::path victim = outside.path() / "victim.txt";
  write_file_atomically(victim, "precious");
  // The names this process's temporaries had: .NAME.PID.N.tmp, N counting from 0.
  for (int n = 0; n < 2000; ++n)
    fs::create_symlink(victim,
                       scratch.path() / (".out.csv." + std::to_string(::getpid()) + "." + std::to_string(n) + ".tmp"));
  for (int i = 0; i < 20; ++i) write_file_atomically(scratch.path() / "out.csv", "new " + std::to_string(i));
  CHECK(read_whole_file(victim) == "precious");
  CHECK(fs::is_regular_file(fs::symlink_status(scratch.path() / "out.csv")));
  CHECK(read_whole_file(scratch.path() / "out.csv") == "new 19");
}

TEST_CASE("a symbolic link at the final name is replaced, not followed", "[io][atomic]") {
  const ScratchDirectory scratch;
  const ScratchDirectory outside;
  const fs::path victim = outside.path() / "victim.txt";
  write_file_atomically(victim, "precious");
  fs::create_symlink(victim, scratch.path() / "out.csv");
  write_file_atomically(scratch.path() / "out.csv", "mine");
  CHECK(read_whole_file(victim) == "precious");
  CHECK(fs::is_regular_file(fs::symlink_status(scratch.path() / "out.csv")));
}
