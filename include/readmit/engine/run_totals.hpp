#pragma once
// Run totals: one number per replication, partner and outcome, summed (or
// otherwise reduced) over the months of a run. They are what replications.csv,
// summary.csv, comparison.csv and the terminal summary report.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "readmit/engine/replication.hpp"
#include "readmit/scenario/loader.hpp"

namespace readmit {

/// An outcome window as the run totals use it: the scenario's months it
/// covers and the totals it adds.
struct WindowTotals {
  std::string name;             // e.g. fy2018, or a key of outcome_windows
  Date begin;                   // first day of its first month
  Date end;                     // first day after its last month
  bool complete = true;         // false: the run covers only part of it
  std::size_t first_month = 0;  // months of the run in the window: [first_month, end_month)
  std::size_t end_month = 0;
  std::vector<std::string> metrics;  // windowed totals, e.g. removals
  std::vector<std::string> totals;   // their names: METRIC_NAME, or METRIC_NAME_partial
};

/// The run totals of a scenario: the rows of run_total_table
/// (model/metrics.hpp), each reduced as its row says, then the window
/// totals. Names and order depend only on the scenario (its outcome windows
/// and the fiscal years covered), so every replication has the same
/// layout: values[slot * metrics.size() + metric], where slot is a partner
/// index, or partners() for the overall slot ("all").
///
/// The window totals: first one window per US fiscal year the run touches
/// (fyYYYY, removals), then the scenario's outcome_windows in file order (a
/// window named like a fiscal-year one replaces it in place). A window the
/// run covers only in part has `_partial` at the end of its totals' names.
class RunTotalsLayout {
 public:
  explicit RunTotalsLayout(const Scenario& scenario);

  const std::vector<std::string>& metrics() const { return metrics_; }
  /// Partner names, then "all".
  const std::vector<std::string>& slots() const { return slots_; }
  std::size_t partners() const { return slots_.size() - 1; }
  std::size_t overall_slot() const { return slots_.size() - 1; }
  std::size_t values_per_replication() const { return metrics_.size() * slots_.size(); }
  const std::vector<WindowTotals>& windows() const { return windows_; }

  /// Index of a metric name, or metrics().size() if unknown.
  std::size_t metric_index(std::string_view name) const;
  /// Index of a slot name (a partner or "all"), or slots().size() if unknown.
  std::size_t slot_index(std::string_view name) const;

  /// The run totals of one replication in the layout above. A median is
  /// NaN where nobody was removed.
  std::vector<double> compute(const ReplicationResult& result) const;

 private:
  std::vector<std::string> metrics_;
  std::vector<std::string> slots_;
  std::vector<WindowTotals> windows_;
};

/// The run totals of the terminal's table, in its order.
std::vector<const RunTotalInfo*> headline_totals();

/// US fiscal year of a month starting on `first_of_month` (October starts the
/// next fiscal year).
int us_fiscal_year(const Date& first_of_month);

/// The run totals an outcome window can sum, in table order.
std::vector<std::string_view> windowed_totals();

/// The check of a resolved scenario that needs the run totals: every
/// outcome_windows.*.metrics names a total a window can sum. Errors are
/// located at the name. LoadOptions::check of every run.
void check_outcome_window_totals(const ConfigNode& resolved, DiagnosticSink& sink);

/// load_scenario and resolve_with_overrides with that check: how every run,
/// experiment and command loads a scenario.
LoadedScenario load_run_scenario(const std::filesystem::path& path, LoadOptions options = {});
LoadedScenario resolve_run_scenario(const MergedScenario& merged, LoadOptions options);

}  // namespace readmit
