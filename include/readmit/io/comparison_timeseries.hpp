#pragma once
// comparison_timeseries.csv of `readmit compare`: the paired difference of
// every monthly value between an alternative and the baseline, month by
// month, with its 95% confidence interval (common random numbers:
// replication k of both used the same streams).
#include "readmit/io/csv.hpp"
#include "readmit/io/ensemble_results.hpp"

namespace readmit {

/// The header row of comparison_timeseries.csv.
inline constexpr std::string_view comparison_timeseries_header =
    "baseline,alternative,partner,month,metric,n,baseline_mean,alternative_mean,difference_mean,difference_sd,"
    "difference_ci95_low,difference_ci95_high\n";

/// Writes the rows (no header) of `alternative` against `baseline`: per
/// partner, then `all` (sums over partners, for stocks, flows and visa
/// columns, not levels, as in timeseries.csv), per month and per monthly
/// column the two share by name. Differences are alternative - baseline,
/// replication by replication, over the replications where both are finite
/// (n counts them). Monthly values are read back in blocks of at most
/// statistics_block_bytes; months are formatted in parallel on `threads`
/// and written in order, so the bytes never depend on the thread count.
/// Throws std::invalid_argument if the replication counts or partners
/// differ, IoError if the monthly values cannot be read.
void write_comparison_timeseries(CsvWriter& out, const ScenarioResults& baseline, const ScenarioResults& alternative,
                                 unsigned threads);

}  // namespace readmit
