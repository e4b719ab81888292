#pragma once
// The output folder of `readmit run` and `readmit compare`. Every file is
// written atomically (temporary name, then rename), so a crash or an error
// never leaves a partial file under a final name; metadata.json is written
// last, so its presence means the folder is complete.
//
//   scenario.resolved.yaml  the scenario as run, every default filled in
//                           (compare: one YAML document per scenario, in order)
//   replications.csv        scenario,replication,partner,metric,value (run totals)
//   timeseries.csv          scenario,partner,month,metric,n,mean,sd,p05,p25,p50,p75,p95,ci95_low,ci95_high
//   summary.csv             scenario,partner,metric,n,mean,sd,p05,p25,p50,p75,p95,ci95_low,ci95_high
//   comparison.csv          compare only: paired differences from the baseline
//   comparison_timeseries.csv  compare only: monthly paired differences
//   events.csv              scenario,replication,date,partner,event,detail: reviews,
//                           sanction decisions and effects, linkage, amendments, negotiation
//   monthly.csv             only when asked: scenario,replication,month,partner,metric,value
//   metrics.csv             the data dictionary: metric,table,kind,unit,meaning of every metric above
//   (with --compress every .csv, metrics.csv too, is .csv.gz; --outputs keeps some files, metrics and partners)
//   metadata.json           version, git revision, compiler, seed, replications,
//                           threads, wall time and where it went, scenario hashes,
//                           command line
//
// Only metadata.json holds what varies between identical runs (threads, wall
// time and timings, command line); every other file depends only on the scenarios, the
// seed and the replication count.
#include <chrono>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "readmit/io/atomic_file.hpp"
#include "readmit/io/ensemble_results.hpp"

namespace readmit {

/// How --until-ci ended, for metadata.json and the terminal.
struct StoppingReport {
  std::string partner;  // a partner name or "all"
  std::string metric;
  bool paired = false;  // compare: the target applies to the paired differences
  double target_half_width = 0;
  double achieved_half_width = 0;  // the widest, over alternatives when paired
  std::size_t max_replications = 0;
  bool target_reached = false;
};

/// What the output folder holds beyond scenario.resolved.yaml and
/// metadata.json, which are always written.
struct OutputSelection {
  /// Files by stem (replications, timeseries, summary, comparison,
  /// comparison_timeseries, events, monthly); empty: all but monthly
  /// (comparison and comparison_timeseries only under compare).
  std::vector<std::string> files{};
  /// Monthly metrics written to timeseries.csv and monthly.csv; empty: all.
  std::vector<std::string> metrics{};
  /// Partners whose rows go to timeseries.csv and monthly.csv (the sum over
  /// partners, `all`, may be named too); empty: all.
  std::vector<std::string> partners{};
  bool gzip = false;  // CSV files as .csv.gz
};

/// Throws std::invalid_argument naming an unknown file, metric or partner
/// of `selection` (with the closest known name).
void check_output_selection(const OutputSelection& selection, const Scenario& scenario);

struct RunInfo {
  std::string command;  // "run" or "compare"
  std::string command_line;
  unsigned threads = 1;  // recorded in metadata.json; also computes the per-month statistics
  /// When the run started: metadata.json's wall_seconds is the time from
  /// here to just before metadata.json is written.
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  bool write_monthly = false;
  OutputSelection outputs;
  std::optional<StoppingReport> stopping;
  /// compare --assumptions: how many declared ranges were moved and the
  /// replications of each variant run (metadata.json's "assumptions"), which
  /// assumptions.csv and robustness.csv rest on.
  struct Assumptions {
    std::size_t ranges = 0;
    std::int64_t replications = 0;
  };
  std::optional<Assumptions> assumptions;
  /// --uncertainty assumptions: every pair of replications drew the declared
  /// ranges (metadata.json's "uncertainty").
  bool uncertainty_assumptions = false;
  /// Files written beside these (assumptions.csv, robustness.csv,
  /// variance.csv), which metadata.json lists with the others.
  std::vector<std::string> extra_files;
};

/// Writes the output files into `directory`, in the order above (with
/// `staging`, each is left complete under a temporary name for
/// OutputFolder::publish). scenarios[0] is the baseline; comparison.csv is
/// written when there are alternatives, monthly.csv when info.write_monthly
/// or selected; info.outputs chooses files, metrics and partners, and gzip.
/// Throws IoError on failure.
void write_outputs(const Directory& directory, std::span<const ScenarioResults* const> scenarios, const RunInfo& info,
                   StagedFiles* staging = nullptr);

/// The terminal summary: the headline totals (all partners), labelled with
/// their metric names and units as in the files and `readmit metrics`, with
/// their 95% confidence intervals of the mean and 5-95% ranges; with
/// alternatives, each next to the baseline with the paired difference and
/// its interval.
std::string summary_table(std::span<const ScenarioResults* const> scenarios);

/// "mean [low, high]" as the terminal shows it (millions as "1.23M", fewer
/// decimals for bigger numbers), or "mean [NA]" without an interval.
std::string with_interval(double mean, Interval interval);

/// Whether a monthly column has an overall ("all") value, the sum over
/// partners: stocks, flows and visa columns do, levels (cooperation,
/// shares, ...) do not.
bool monthly_column_has_overall(std::size_t column);

/// 64-bit FNV-1a of a text, as 16 hex digits (the scenario hash).
std::string text_hash(std::string_view text);

/// "YYYY-MM" of month `month` (0-based) of a scenario.
std::string month_label(const Scenario& scenario, std::size_t month);

}  // namespace readmit
