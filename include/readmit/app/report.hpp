#pragma once
// report.html for an output folder of `readmit run`, `compare`, `sweep` or
// `experiment`: the report script (scripts/report.py, matplotlib and pandas)
// run by Debian's Python interpreter. Shared by `readmit report`, the --report flag
// and the Python module.
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace readmit {

/// The report could not be made: no interpreter or script, or the script
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
  std::filesystem::path python;  // the interpreter
  std::filesystem::path script;  // report.py
};

/// The interpreter is the one configured at build time (/usr/bin/python3).
/// The script is $READMIT_REPORT_SCRIPT when set, else the source tree's
/// scripts/report.py when it exists (a build tree), else the installed copy
/// (PREFIX/share/readmit/scripts/report.py). Throws ReportError naming every
/// place looked at when neither the interpreter nor the script exists.
ReportTools find_report_tools();

struct ReportOptions {
  bool quiet = false;  // no progress line on stdout
  bool force = false;  // report on a folder readmit did not create (OutputFolder)
};

/// Writes DIRECTORY/report.html and DIRECTORY/figures/ (PNG and SVG of every
/// figure) and returns the page's path. The folder is held as a command
/// holds it (io/output_folder.hpp): the script reads it (through its bounded
/// reader) and writes the page and figures into a private folder inside it,
/// whose files are then published in place of the earlier report's (only
/// the figures an earlier report wrote are ever replaced or removed). The
/// script's progress line goes to stdout unless `quiet`; its errors go to
/// stderr. Throws ReportError, OutputFolderRefused (a folder in use, not
/// readmit's, a symbolic link as figures/) or IoError.
std::filesystem::path write_report(const std::filesystem::path& directory, const ReportOptions& options = {});

}  // namespace readmit
