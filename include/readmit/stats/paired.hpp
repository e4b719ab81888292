#pragma once

#include <span>

#include "readmit/stats/interval.hpp"
#include "readmit/stats/moments.hpp"

namespace readmit {

/// Summary of the per-replication differences alternative[i] - baseline[i]
/// (common random numbers: replication i of both arms used the same seeds).
/// Throws std::invalid_argument if the sizes differ, and as summarize() does
/// (empty input, NaN).
Summary paired_difference(std::span<const double> alternative, std::span<const double> baseline);

/// Like paired_difference, over the replications where both values are
/// finite (n counts them); never throws except for unequal sizes.
Summary paired_difference_finite(std::span<const double> alternative, std::span<const double> baseline);

/// Welch's t confidence interval for mean(alternative) - mean(baseline) from
/// independent samples, with Welch–Satterthwaite degrees of freedom.
/// Returns {NaN, NaN} if either sample has fewer than 2 values.
/// Throws std::invalid_argument unless 0 < level < 1.
Interval unpaired_difference_interval(const RunningMoments& alternative, const RunningMoments& baseline,
                                      double level = 0.95);

}  // namespace readmit
