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

// Set by the build (CMakeLists.txt): the interpreter and both places of the package.
constexpr const char* configured_python = READMIT_REPORT_PYTHON;
constexpr const char* source_package_root = READMIT_PACKAGE_ROOT_SOURCE;
constexpr const char* installed_package_root = READMIT_PACKAGE_ROOT_INSTALLED;

// `python3 -m readmit.report`'s exit code for a folder that is not a complete output folder.
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
  if (const char* env = std::getenv("READMIT_PYTHONPATH"); env != nullptr && *env != '\0')
    candidates.emplace_back(env);
  else
    candidates = {source_package_root, installed_package_root};
  for (const auto& candidate : candidates)
    if (is_file(candidate / "readmit" / "report" / "__main__.py")) {
      tools.package_root = candidate;
      return tools;
    }
  std::string looked;
  for (const auto& candidate : candidates) looked += (looked.empty() ? "" : ", ") + candidate.string();
  throw ReportError("report: the package readmit.report not found (looked in " + looked + ")", false);
}

namespace {

/// The environment of the report's process: ours, with the package first on
/// PYTHONPATH and no bytecode written beside the package.
std::vector<std::string> report_environment(const ReportTools& tools) {
  std::vector<std::string> variables;
  std::string path = "PYTHONPATH=" + tools.package_root.string();
  for (char** variable = environ; *variable != nullptr; ++variable) {
    const std::string_view text(*variable);
    if (text.starts_with("PYTHONPATH="))
      path += ":" + std::string(text.substr(11));
    else if (!text.starts_with("PYTHONDONTWRITEBYTECODE="))
      variables.emplace_back(text);
  }
  variables.push_back(std::move(path));
  variables.emplace_back("PYTHONDONTWRITEBYTECODE=1");
  return variables;
}

/// Runs `python3 -P -m readmit.report` on `directory`, writing into `into`
/// (-P: no folder of the working directory can stand in for the package).
/// Throws ReportError.
void run_script(const ReportTools& tools, const std::filesystem::path& directory, const std::filesystem::path& into,
                bool quiet) {
  std::vector<std::string> args = {tools.python.string(), "-P",     "-m",          "readmit.report",
                                   directory.string(),    "--into", into.string(), "--published-into",
                                   directory.string()};
  if (quiet) args.emplace_back("--quiet");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment = report_environment(tools);
  std::vector<char*> envp;
  for (auto& variable : environment) envp.push_back(variable.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  if (const int error = posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data()); error != 0)
    throw ReportError("report: cannot start " + tools.python.string() + ": " + std::strerror(error), false);
  int status = 0;
  while (waitpid(pid, &status, 0) == -1)
    if (errno != EINTR)
      throw ReportError(std::string("report: waiting for readmit.report: ") + std::strerror(errno), false);
  if (WIFSIGNALED(status))
    throw ReportError("report: readmit.report killed by signal " + std::to_string(WTERMSIG(status)), false);
  const int code = WEXITSTATUS(status);
  if (code != 0)
    throw ReportError(
        "report: readmit.report " + directory.string() + " failed (exit code " + std::to_string(code) + ")",
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
  ReportRenderer render = options.render;
  if (!render) {
    const ReportTools tools = find_report_tools();
    render = [tools, quiet = options.quiet](const std::filesystem::path& folder, const std::filesystem::path& into) {
      run_script(tools, folder, into, quiet);
    };
  }
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
  render(directory, directory / stage_name);

  StagedFiles staged;
  for (const auto& name : stage.names()) {
    if (name == "report.html" || name == "figures") continue;
    throw ReportError("report: the renderer wrote an unexpected file: " + name, false);
  }
  if (stage.has("figures")) {
    const Directory stage_figures = stage.child("figures", false);
    const Directory figures = root.child("figures", true);
    for (const auto& name : stage_figures.names()) {
      if (!figure_file_name(name)) throw ReportError("report: the renderer wrote an unexpected figure: " + name, false);
      staged.add(stage_figures, name, figures, name);
    }
  }
  if (!stage.has("report.html")) throw ReportError("report: the renderer wrote no report.html", false);
  staged.add(stage, "report.html", root, "report.html");
  folder.publish(staged, ManifestScope::report);
  return directory / "report.html";
}

}  // namespace readmit
