#pragma once
// Problems in scenario input. Each diagnostic names the place (file, line,
// column), the key path, what was expected and what was found, in the form
//   FILE:LINE:COL: error: key.path: expected ..., found ...
// Warnings have the same form with `warning:`: a setting that is legal but
// takes no effect (`--strict` makes them errors).
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace readmit {

/// Where a value came from: a file position (1-based line and column), a
/// command-line override (line 0), or the parameter table's default.
struct SourceLocation {
  enum class Kind { file, command_line, table_default };
  std::shared_ptr<const std::string> origin;  // file path as given, or "command line (--set KEY=VALUE)"
  int line = 0;
  int column = 0;
  Kind kind = Kind::file;

  std::string to_string() const;  // "file:12:5", or just the origin when line is 0
};

enum class Severity { error, warning };

struct Diagnostic {
  SourceLocation where;
  std::string key_path;  // "partners.cambodia.agreement.acceptance_base_prob"; may be empty
  std::string message;   // "expected a probability in [0, 1], found 1.5"
  Severity severity = Severity::error;

  std::string to_string() const;
};

/// Thrown when scenario input is invalid; carries every diagnostic found, in
/// the order of the input. The command-line tool maps it to exit code 2.
class ScenarioError : public std::runtime_error {
 public:
  /// `left_out`: errors found beyond those listed (the last diagnostic then says how many).
  explicit ScenarioError(std::vector<Diagnostic> diagnostics, std::size_t left_out = 0);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  /// Every error found, listed or not.
  std::size_t error_count() const { return error_count_; }

 private:
  std::vector<Diagnostic> diagnostics_;
  std::size_t error_count_ = 0;
};

/// Collects diagnostics during a pass so that all errors are reported
/// together. At most `max_errors` errors are kept: hostile input with a
/// million mistakes gets a bounded answer, the last line saying how many more
/// there were.
class DiagnosticSink {
 public:
  static constexpr std::size_t max_errors = 200;

  void error(const SourceLocation& where, std::string key_path, std::string message);
  void warning(const SourceLocation& where, std::string key_path, std::string message);
  bool empty() const { return diagnostics_.empty(); }  // no error (warnings aside)
  /// Orders errors by line and column within each origin; origins keep the
  /// order in which they first reported. Warnings likewise.
  void sort_by_position();
  /// Throws ScenarioError if any error was reported.
  void throw_if_any();
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  const std::vector<Diagnostic>& warnings() const { return warnings_; }

 private:
  std::vector<Diagnostic> diagnostics_;
  std::vector<Diagnostic> warnings_;
  std::size_t errors_left_out_ = 0;
};

/// `text` as it may appear in a message: control characters and bytes that
/// are not UTF-8 as \xNN, and no more than `max_bytes` of it (then "...").
/// Messages never echo a huge value or a file's contents whole.
std::string excerpt(std::string_view text, std::size_t max_bytes = 60);

/// `"text"` for a message: the excerpt in quotes, followed by the size when
/// it was cut (`"aaaa..." (1048576 bytes)`).
std::string quoted_excerpt(std::string_view text, std::size_t max_bytes = 60);

/// The position of the first byte of `text` that is not valid UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view text);

}  // namespace readmit
