#pragma once
// What an ensemble keeps of its replications while it runs, and the
// statistics computed from it.
//
// Memory bound (per scenario): the run totals of every replication,
// replications x (partners + 1) x totals doubles (about 35 totals: 0.6 KB per
// replication for one partner), because their quantiles and the paired
// differences need every value. Monthly values go to a MonthlyStore on disk
// (months x partners x columns x 8 bytes per replication, about 100 KB for
// the Cambodia scenario) and are read back a block of months at a time when
// the statistics are written, in blocks of at most `statistics_block_bytes`
// (32 MB). Event rows go to a temporary file too (about 28 KB per Cambodia
// replication, most of them its weekly reviews), past a 1 MB buffer.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "readmit/engine/replication.hpp"
#include "readmit/engine/run_totals.hpp"
#include "readmit/io/csv.hpp"
#include "readmit/io/monthly_store.hpp"
#include "readmit/io/temporary_file.hpp"
#include "readmit/scenario/loader.hpp"
#include "readmit/stats/interval.hpp"

namespace readmit {

/// Memory used to read back monthly values for the per-month statistics
/// (at least one month of every replication is read at once).
inline constexpr std::size_t statistics_block_bytes = std::size_t(32) << 20;

/// One scenario's replications, added in replication order.
class ScenarioResults {
 public:
  /// `work_directory` holds the unnamed temporary file of monthly values.
  /// Throws IoError if it cannot be created there.
  ScenarioResults(LoadedScenario loaded, const std::filesystem::path& work_directory);

  /// Adds the next replication (index replications()).
  void add(const ReplicationResult& result);

  const LoadedScenario& loaded() const { return loaded_; }
  const Scenario& scenario() const { return loaded_.scenario; }
  const std::string& name() const { return loaded_.scenario.name; }
  const RunTotalsLayout& layout() const { return layout_; }
  const std::vector<std::string>& columns() const { return columns_; }
  const MonthlyStore& monthly() const { return *monthly_; }
  std::size_t replications() const { return replications_; }

  /// One run total of every replication, in replication order.
  std::vector<double> total_values(std::size_t slot, std::size_t metric) const;
  /// Every run total of one replication, in the layout's order.
  std::span<const double> replication_totals(std::size_t replication) const;

  /// Summary (finite values only) of one run total.
  Summary total_summary(std::size_t slot, std::size_t metric) const;

  /// Writes the event logs of every replication as CSV rows
  /// (scenario,replication,date,partner,event,detail), in replication order.
  void write_event_rows(CsvWriter& csv) const;

  /// The replications' timings, summed (thread seconds).
  const ReplicationTimings& timings() const { return timings_; }
  /// Persons simulated, summed over replications.
  std::size_t persons() const { return persons_; }

 private:
  LoadedScenario loaded_;
  RunTotalsLayout layout_;
  std::vector<std::string> columns_;
  std::unique_ptr<MonthlyStore> monthly_;
  std::vector<double> totals_;  // [replication][slot][metric]
  std::size_t replications_ = 0;
  TemporaryFile event_file_;  // event rows past the buffer, in order
  std::string event_rows_;    // the rows not yet in event_file_
  ReplicationTimings timings_;
  std::size_t persons_ = 0;
};

/// Paired comparison of one run total between a baseline and an alternative
/// run with common random numbers.
struct TotalComparison {
  std::string partner;
  std::string metric;
  Summary baseline;
  Summary alternative;
  Summary difference;  ///< of alternative - baseline, replication by replication
  Interval unpaired;   ///< Welch's interval, as if the runs were independent
};

/// Every run total the two scenarios share (by name, partner and metric),
/// in the baseline's order. Throws std::invalid_argument if the replication
/// counts differ.
std::vector<TotalComparison> compare_totals(const ScenarioResults& baseline, const ScenarioResults& alternative);

/// Only `partner`:`metric`; throws std::invalid_argument if either is not
/// in both scenarios.
TotalComparison compare_total(const ScenarioResults& baseline, const ScenarioResults& alternative,
                              std::string_view partner, std::string_view metric);

}  // namespace readmit
