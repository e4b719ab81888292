#pragma once
// `readmit report DIR` and the --report flag of run, compare and sweep.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

namespace readmit::cli {

/// Adds the `report` subcommand; its folder argument goes to `directory`,
/// its --force to `force`.
CLI::App* add_report_command(CLI::App& app, std::string& directory, bool& force);

/// Adds --report to run, compare, sweep or experiment.
void add_report_flag(CLI::App& command, bool& report);

/// `readmit report DIR`: 0 written, 1 the report failed, 2 DIR is not a
/// complete output folder. Prints the error.
int run_report_command(const std::string& directory, bool force);

/// After run, compare, sweep or experiment with --report: writes the report of
/// `out_dir` and prints where it is. Throws ReportError.
void report_on(const std::filesystem::path& out_dir);

}  // namespace readmit::cli
