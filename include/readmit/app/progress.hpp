#pragma once
// Progress of `readmit run`, `compare`, `sweep` and `experiment`, shared by
// all four: on a terminal a bar on stderr with done/total, rate and time
// left; with `--progress jsonl[=FILE]` one JSON line per finished point (or
// batch of replications) on stderr or in FILE, whatever the terminal; quiet
// otherwise.
//
// A JSON line: {"command":"sweep","unit":"points","done":3,"total":40,
//   "elapsed_seconds":6.2,"rate":0.48,"eta_seconds":76.9}
// rate counts units finished by this invocation per second (points done by
// an earlier run of a resumed sweep do not count); eta_seconds is null until
// the first unit is finished. The last line has done == total.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace readmit {

struct ProgressSettings {
  enum class Style { none, bar, jsonl };
  Style style = Style::none;
  std::filesystem::path jsonl_file;  // jsonl: empty for stderr
  bool append = false;               // jsonl_file: add to it (a second phase of one command) instead of truncating
};

/// Parses the value of --progress: "auto" (a bar when stderr is a terminal,
/// else nothing), "bar", "none", "jsonl" or "jsonl=FILE". Throws UsageError
/// (app/ensemble_run.hpp) with the accepted forms otherwise.
ProgressSettings parse_progress(std::string_view text, bool stderr_is_terminal);

class ProgressReporter {
 public:
  /// `command` and `unit` ("replications", "points") label every report;
  /// `batch` is how many units one JSON line stands for (1 for points; the
  /// last unit always gets a line). Opens the JSON lines file (truncated):
  /// throws IoError if it cannot.
  ProgressReporter(const ProgressSettings& settings, std::string command, std::string unit, std::size_t batch = 1);
  /// A bar still shown is cleared.
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  bool active() const { return settings_.style != ProgressSettings::Style::none; }

  /// Units finished before this invocation (a resumed sweep's points): they
  /// count in done and total, not in the rate.
  void start(std::size_t already_done, std::size_t total);
  /// `done` of `total` units are finished (total may grow: --until-ci).
  /// `label` is shown on the bar (a scenario's name); empty: the command.
  void update(std::size_t done, std::size_t total, std::string_view label = {});
  /// Clears the bar (call before printing results to the terminal).
  void finish();

 private:
  void draw_bar(std::size_t done, std::size_t total, std::string_view label, double elapsed, double rate);
  void write_line(std::size_t done, std::size_t total, double elapsed, double rate);

  ProgressSettings settings_;
  std::string command_;
  std::string unit_;
  std::size_t batch_;
  std::ofstream file_;
  std::ostream* out_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
  std::size_t already_done_ = 0;
  std::size_t last_line_done_ = 0;
  bool bar_shown_ = false;
};

}  // namespace readmit
