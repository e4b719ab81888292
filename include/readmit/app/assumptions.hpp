#pragma once
// What an answer rests on: the parameters a scenario declares with a
// plausible range ({value, range, origin, reason}). `readmit compare
// --assumptions` moves each to the ends of its range, one at a time, and
// measures how every headline paired difference moves (with common random
// numbers: replication k of every variant shares its streams), then flags
// each difference as robust, sign-uncertain or fixed. `--uncertainty
// assumptions` draws every range once per replication instead, so that an
// ensemble's intervals carry what is not known as well as chance.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "readmit/io/atomic_file.hpp"
#include "readmit/scenario/scenario.hpp"
#include "readmit/stats/interval.hpp"

namespace readmit {

/// `scenario` with the declared range `range` set to `value` (rounded for a
/// whole-number parameter).
Scenario with_declared_value(const Scenario& scenario, const DeclaredRange& range, double value);

/// The values drawn for `replication`, one per declared range in order:
/// uniform over the range (whole numbers for a whole-number parameter), from
/// a stream keyed by (seed, replication, the parameter's path), so that
/// replication k of two scenarios that declare the same range draws alike.
std::vector<double> assumption_draws(const Scenario& scenario, std::uint64_t replication);

/// `scenario` with every declared range set to its draw for `replication`.
Scenario with_assumptions_drawn(const Scenario& scenario, std::uint64_t replication);

/// What `--uncertainty assumptions` runs as replication k: `scenario` with
/// its declared ranges drawn for k / 2. Replications 2j and 2j+1 share one
/// draw and differ in chance alone, so that the variance of a total splits
/// into what the ranges contribute and what chance does (variance_split).
/// Throws std::invalid_argument when the scenario declares no range.
std::function<Scenario(std::uint64_t replication)> assumption_scenarios(const Scenario& scenario);

/// The variance of one total across an ensemble run under `--uncertainty
/// assumptions`, split by its pairs of replications (assumption_scenarios):
/// chance is half the mean squared difference within pairs; the ranges the
/// rest (at least 0).
struct VarianceSplit {
  std::string partner;
  std::string metric;
  std::size_t replications = 0;
  double variance = 0;
  double chance_variance = 0;
  double assumption_share = 0;  // of the variance, 1 - chance / variance, in [0, 1]; NaN without pairs
};

/// The split of each of `values` (one run total, replication by replication).
VarianceSplit variance_split(std::string partner, std::string metric, const std::vector<double>& values);

enum class Robustness { robust, sign_uncertain, fixed };
std::string_view robustness_name(Robustness r);

/// One declared range moved to its ends, for one alternative, metric and
/// partner (or "all"): the paired differences alternative - baseline there.
struct AssumptionRow {
  std::string alternative;
  std::string metric;
  std::string partner;
  std::string parameter;  // the declared path
  ValueOrigin origin = ValueOrigin::assumed;
  double low = 0;
  double high = 0;
  Summary at_low{};
  Summary at_high{};
};

/// How one paired difference stands across every declared range:
///  - fixed: the same in every replication at the scenarios' own values
///    (zero, or a difference that a dated input decides: an input or a rule
///    pins it, chance does not enter); `moved_by` names the ranges at whose
///    ends it is no longer that same value in every replication, if any;
///  - robust: at the scenarios' values and at every range's ends its 95%
///    interval lies on the same side of zero;
///  - sign-uncertain: otherwise; `flipped_by` names the ranges at whose end
///    its interval reaches zero or crosses to the other side (none named: it
///    already includes zero at the scenarios' own values).
struct RobustnessFlag {
  std::string alternative;
  std::string metric;
  std::string partner;
  Summary nominal{};
  Robustness flag = Robustness::robust;
  std::vector<std::string> flipped_by;
  std::vector<std::string> moved_by;
  /// Fixed: what pins it, as far as the runs tell ("zero in both in every
  /// replication", "equal in every replication").
  std::string pinned_by;
};

struct AssumptionAnalysis {
  std::string baseline;
  std::int64_t replications = 0;
  std::vector<std::string> metrics;       // the headline totals analysed
  std::vector<DeclaredRange> ranges;      // the baseline's, in order
  std::vector<AssumptionRow> rows;        // per alternative, parameter, metric, partner
  std::vector<RobustnessFlag> flags;      // per alternative, metric, partner
  std::vector<std::string> alternatives;  // their names, in order
  /// Per alternative, the ranges it sets apart from the baseline (its own
  /// value differs): these are not moved for it, the difference being what
  /// it changes.
  std::vector<std::vector<std::string>> kept_apart;
};

/// Progress: (variant runs finished, variant runs in all).
using AssumptionProgress = std::function<void(std::size_t, std::size_t)>;

/// Runs the baseline (scenarios[0]) and every alternative at their own values
/// and at each end of each range the baseline declares, `replications` each
/// with the baseline's seed, on `threads` threads, and compares the headline
/// totals of every partner and of all. The scenarios must be comparable (the
/// same partners in the same order); a range moves in every scenario that has
/// the baseline's value there (an alternative that sets the parameter itself
/// keeps its own value: kept_apart).
AssumptionAnalysis analyse_assumptions(const std::vector<const Scenario*>& scenarios, std::int64_t replications,
                                       unsigned threads, const AssumptionProgress& progress = {});

/// The headline totals analysed, in order (engine/run_totals.hpp).
std::vector<std::string> assumption_metrics();

/// The terminal's account: beside every headline difference (all partners),
/// its flag and what flips, moves or pins it.
std::string robustness_text(const AssumptionAnalysis& analysis);

/// assumptions.csv (a row per alternative, metric, partner and range: the
/// difference at each end with its interval) and robustness.csv (a row per
/// alternative, metric and partner: the difference at the scenarios' values,
/// its flag and the ranges that flip, move or pin it), staged in `directory`.
void write_assumption_files(const Directory& directory, const AssumptionAnalysis& analysis, StagedFiles* staging);

/// The terminal's account of variance splits, one scenario's (all partners).
std::string variance_text(const std::string& scenario, const std::vector<VarianceSplit>& splits);

/// variance.csv: scenario, partner, metric, replications, variance, chance
/// variance and the ranges' share, a row per scenario, partner and headline total.
void write_variance_file(const Directory& directory,
                         const std::vector<std::pair<std::string, std::vector<VarianceSplit>>>& splits,
                         StagedFiles* staging);

}  // namespace readmit
