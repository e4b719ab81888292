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
///  - fixed: zero in every replication at the scenarios' own values (an
///    input or a rule pins it); `moved_by` names the ranges whose ends make
///    it differ from zero, if any;
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
};

struct AssumptionAnalysis {
  std::vector<std::string> metrics;   // the headline totals analysed
  std::vector<AssumptionRow> rows;    // per alternative, parameter, metric, partner
  std::vector<RobustnessFlag> flags;  // per alternative, metric, partner
};

/// Progress: (variant runs finished, variant runs in all).
using AssumptionProgress = std::function<void(std::size_t, std::size_t)>;

/// Runs the baseline (scenarios[0]) and every alternative at their own values
/// and at each end of each range the baseline declares, `replications` each
/// with the baseline's seed, on `threads` threads, and compares the headline
/// totals of every partner and of all. The scenarios must be comparable (the
/// same partners in the same order); a range is applied to every scenario.
AssumptionAnalysis analyse_assumptions(const std::vector<const Scenario*>& scenarios, std::int64_t replications,
                                       unsigned threads, const AssumptionProgress& progress = {});

/// The headline totals analysed, in order (engine/run_totals.hpp).
std::vector<std::string> assumption_metrics();

}  // namespace readmit
