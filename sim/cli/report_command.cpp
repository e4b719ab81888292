#include "report_command.hpp"

#include <iostream>

#include "readmit/app/report.hpp"

namespace readmit::cli {

CLI::App* add_report_command(CLI::App& app, std::string& directory, bool& force) {
  auto* report = app.add_subcommand(
      "report",
      "Write DIR/report.html (self-contained) and DIR/figures/ for a run, compare, sweep or experiment folder");
  report->add_option("directory", directory, "Output folder of readmit run, compare, sweep or experiment")
      ->required()
      ->check(CLI::ExistingDirectory);
  report->add_flag("--force", force,
                   "Report on a folder readmit did not create (only report.html and readmit's figures are written)");
  report->footer(
      "The page embeds every figure (it opens offline); each figure is also saved as PNG and SVG in\n"
      "DIR/figures/ (files of yours there are kept). Made by `python3 -m readmit.report` (/usr/bin/python3,\n"
      "matplotlib, pandas); the folder is locked meanwhile, as a run locks it.\n"
      "Example: readmit report results/cambodia_2017");
  return report;
}

void add_report_flag(CLI::App& command, bool& report) {
  command.add_flag("--report", report,
                   "Also write OUT/report.html and OUT/figures/ (as `readmit report OUT` does) after the run");
}

int run_report_command(const std::string& directory, bool force) {
  try {
    std::cout << std::flush;
    write_report(directory, {.quiet = false, .force = force});
    return 0;
  } catch (const ReportError& e) {
    std::cerr << "readmit: error: " << e.what() << "\n";
    return e.invalid_folder() ? 2 : 1;
  }
}

void report_on(const std::filesystem::path& out_dir) {
  std::cout << std::flush;  // the script's line follows the table
  write_report(out_dir);
}

}  // namespace readmit::cli
