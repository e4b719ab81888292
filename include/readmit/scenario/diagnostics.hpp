#pragma once
// Errors in scenario input. Each diagnostic names the place (file, line, column),
// the key path, what was expected and what was found, in the form
//   FILE:LINE:COL: error: key.path: expected ..., found ...
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace readmit {

/// Where a value came from: a file position (1-based line and column), or a
/// named origin such as a command-line override (line 0).
struct SourceLocation {
  std::shared_ptr<const std::string> origin;  // file path as given, or "command line (--set #N)"
  int line = 0;
  int column = 0;

  std::string to_string() const;  // "file:12:5", or just the origin when line is 0
};

struct Diagnostic {
  SourceLocation where;
  std::string key_path;  // "partners.cambodia.agreement.acceptance_base_prob"; may be empty
  std::string message;   // "expected a probability in [0, 1], found 1.5"

  std::string to_string() const;
};

/// Thrown when scenario input is invalid; carries every diagnostic found, in
/// the order of the input. The command-line tool maps it to exit code 2.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// Collects diagnostics during a pass so that all errors are reported together.
class DiagnosticSink {
 public:
  void error(const SourceLocation& where, std::string key_path, std::string message);
  bool empty() const { return diagnostics_.empty(); }
  /// Orders diagnostics by line and column within each origin; origins keep
  /// the order in which they first reported.
  void sort_by_position();
  /// Throws ScenarioError if anything was reported.
  void throw_if_any();
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace readmit
