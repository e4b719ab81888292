#pragma once
// Helpers of the readmit command: the unknown-option check with its
// suggestion, printing scenario diagnostics, and turning every exception into
// a message and an exit code.
#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "readmit/scenario/diagnostics.hpp"

namespace readmit::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_runtime_failure = 1;
inline constexpr int exit_invalid_input = 2;

/// The first argument of the parsed command line that no option or
/// positional took (collected with allow_extras), as a message naming it
/// with the closest option of the command it was given to:
/// `run: unknown option '--threds'; did you mean '--threads'?`.
std::optional<std::string> unknown_argument_message(const CLI::App& app);

/// Prints diagnostics one a line (errors and warnings alike).
void print_diagnostics(std::ostream& out, const std::vector<Diagnostic>& diagnostics);

/// Runs `command` and maps what it throws to a message on stderr and an exit
/// code: invalid input (ScenarioError, UsageError, an output folder refused)
/// 2; failures to write, out of memory, anything else 1. No library
/// exception reaches the user raw.
int run_guarded(const std::function<int()>& command);

}  // namespace readmit::cli
