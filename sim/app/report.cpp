#include "readmit/app/report.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "readmit/io/output_folder.hpp"

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

namespace {

/// Runs report.py on `directory`, writing into `into`. Throws ReportError.
void run_script(const ReportTools& tools, const std::filesystem::path& directory, const std::filesystem::path& into,
                bool quiet) {
  std::vector<std::string> args = {tools.python.string(), tools.script.string(), directory.string(), "--into",
                                   into.string()};
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
}

/// A figure file the script may write: FIGURE.png or FIGURE.svg, FIGURE of
/// letters, digits, '_', '-' and '.'.
bool figure_file_name(const std::string& name) {
  if (!name.ends_with(".png") && !name.ends_with(".svg")) return false;
  return name.size() > 4 && name.size() <= 200 && name.front() != '.' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                  c == '.';
         });
}

}  // namespace

std::filesystem::path write_report(const std::filesystem::path& directory, const ReportOptions& options) {
  const ReportTools tools = find_report_tools();
  if (!Directory::open(directory, false).has("metadata.json"))
    throw ReportError("report: " + directory.string() +
                          ": no metadata.json (not a readmit output folder, or an incomplete one: metadata.json is "
                          "written last)",
                      true);
  OutputFolder folder(directory, {.access = FolderAccess::exclusive,
                                  .force = options.force,
                                  .create = false,
                                  .description = "readmit report " + directory.string()});
  const Directory& root = folder.directory();
  if (root.has("figures")) root.child("figures", false);  // a link there is refused before any work
  const OutputFolder::TopLevel top(folder);
  const Directory stage = root.make_private_child(".readmit-stage.");
  const std::string& stage_name = stage.relative();
  struct StageRemover {
    const Directory& root;
    const std::string& name;
    ~StageRemover() {
      try {
        root.remove_tree(name);
      } catch (const IoError&) {  // a leftover is removed when the folder is next held
      }
    }
  } remover{root, stage_name};
  run_script(tools, directory, directory / stage_name, options.quiet);

  StagedFiles staged;
  for (const auto& name : stage.names()) {
    if (name == "report.html" || name == "figures") continue;
    throw ReportError("report: the script wrote an unexpected file: " + name, false);
  }
  if (stage.has("figures")) {
    const Directory stage_figures = stage.child("figures", false);
    const Directory figures = root.child("figures", true);
    for (const auto& name : stage_figures.names()) {
      if (!figure_file_name(name)) throw ReportError("report: the script wrote an unexpected figure: " + name, false);
      staged.add(stage_figures, name, figures, name);
    }
  }
  if (!stage.has("report.html")) throw ReportError("report: the script wrote no report.html", false);
  staged.add(stage, "report.html", root, "report.html");
  folder.publish(staged, ManifestScope::report);
  return directory / "report.html";
}

}  // namespace readmit
