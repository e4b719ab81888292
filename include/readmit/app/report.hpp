#pragma once
// report.html for an output folder of `readmit run`, `compare`, `sweep` or
// `experiment`: the Python package's readmit.report (matplotlib and pandas)
// run by Debian's Python interpreter (`python3 -m readmit.report`), or called
// in-process by the package itself. Shared by `readmit report`, the --report
// flag and the Python module.
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace readmit {

/// The report could not be made: no interpreter or package, or the renderer
/// failed (its own message went to stderr). `invalid_folder` is set when the
/// folder is not a complete readmit output folder (the command exits 2).
class ReportError : public std::runtime_error {
 public:
  ReportError(const std::string& message, bool invalid_folder)
      : std::runtime_error(message), invalid_folder_(invalid_folder) {}
  bool invalid_folder() const { return invalid_folder_; }

 private:
  bool invalid_folder_;
};

/// Where the report is made from.
struct ReportTools {
  std::filesystem::path python;        // the interpreter
  std::filesystem::path package_root;  // the folder holding the package readmit/ (its PYTHONPATH)
};

/// The interpreter is the one configured at build time (/usr/bin/python3).
/// The package is the one under $READMIT_PYTHONPATH when set, else the
/// source tree's (sim/python/readmit) when it exists (a build tree), else
/// the installed one. Throws ReportError naming every place looked at when
/// neither the interpreter nor the package exists.
ReportTools find_report_tools();

/// Renders the report of the output folder `directory` into the new folder
/// `into`. Throws ReportError (invalid_folder when `directory` is not a
/// complete output folder).
using ReportRenderer = std::function<void(const std::filesystem::path& directory, const std::filesystem::path& into)>;

struct ReportOptions {
  bool quiet = false;  // no progress line on stdout
  bool force = false;  // report on a folder readmit did not create (OutputFolder)
  /// Empty: `python3 -m readmit.report` in a process of its own (the
  /// command line); the Python package passes readmit.report.render itself.
  ReportRenderer render{};
};

/// Writes DIRECTORY/report.html and DIRECTORY/figures/ (PNG and SVG of every
/// figure) and returns the page's path. The folder is held as a command
/// holds it (io/output_folder.hpp): the renderer reads it (through the
/// package's bounded reader) and writes the page and figures into a private
/// folder inside it, whose files are then published in place of the earlier
/// report's (only the figures an earlier report wrote are ever replaced or
/// removed). The command's progress line goes to stdout unless `quiet`; its
/// errors go to stderr. Throws ReportError, OutputFolderRefused (a folder in use, not
/// readmit's, a symbolic link as figures/) or IoError.
std::filesystem::path write_report(const std::filesystem::path& directory, const ReportOptions& options = {});

}  // namespace readmit
