#include "readmit/app/report.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

extern char** environ;

namespace readmit {

namespace {

// Set by the build (CMakeLists.txt): the interpreter and both places of the script.
constexpr const char* configured_python = READMIT_REPORT_PYTHON;
constexpr const char* source_script = READMIT_REPORT_SCRIPT_SOURCE;
constexpr const char* installed_script = READMIT_REPORT_SCRIPT_INSTALLED;

// report.py's exit code for a folder that is not a complete output folder.
constexpr int script_invalid_folder = 2;

bool is_file(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

}  // namespace

ReportTools find_report_tools() {
  ReportTools tools;
  tools.python = configured_python;
  if (!is_file(tools.python))
    throw ReportError("report: no Python interpreter at " + tools.python.string() +
                          " (install python3, python3-matplotlib and python3-pandas: scripts/setup.sh)",
                      false);
  std::vector<std::filesystem::path> candidates;
  if (const char* env = std::getenv("READMIT_REPORT_SCRIPT"); env != nullptr && *env != '\0')
    candidates.emplace_back(env);
  else
    candidates = {source_script, installed_script};
  for (const auto& candidate : candidates)
    if (is_file(candidate)) {
      tools.script = candidate;
      return tools;
    }
  std::string looked;
  for (const auto& candidate : candidates) looked += (looked.empty() ? "" : ", ") + candidate.string();
  throw ReportError("report: report.py not found (looked at " + looked + ")", false);
}

std::filesystem::path write_report(const std::filesystem::path& directory, bool quiet) {
  const ReportTools tools = find_report_tools();
  std::vector<std::string> args = {tools.python.string(), tools.script.string(), directory.string()};
  if (quiet) args.emplace_back("--quiet");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  if (const int error = posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ); error != 0)
    throw ReportError("report: cannot start " + tools.python.string() + ": " + std::strerror(error), false);
  int status = 0;
  while (waitpid(pid, &status, 0) == -1)
    if (errno != EINTR)
      throw ReportError(std::string("report: waiting for the script: ") + std::strerror(errno), false);
  if (WIFSIGNALED(status))
    throw ReportError("report: " + tools.script.string() + " killed by signal " + std::to_string(WTERMSIG(status)),
                      false);
  const int code = WEXITSTATUS(status);
  if (code != 0)
    throw ReportError("report: " + tools.script.string() + " " + directory.string() + " failed (exit code " +
                          std::to_string(code) + ")",
                      code == script_invalid_folder);
  return directory / "report.html";
}

}  // namespace readmit
