#pragma once

#include <span>
#include <vector>

namespace readmit {

/// Sample quantile of already sorted data, Hyndman & Fan type 7 (the default
/// of R's quantile() and numpy.quantile): linear interpolation between order
/// statistics at position (n - 1) * prob.
///
/// Preconditions, not checked because that would cost O(n) per call:
/// `sorted` is in ascending order and contains no NaN.
/// Throws std::invalid_argument if `sorted` is empty or `prob` is not in
/// [0, 1] (NaN included).
double quantile_sorted(std::span<const double> sorted, double prob);

/// Type-7 quantiles of `values` (in any order) at each of `probs`, returned in
/// the order of `probs`.
/// Throws std::invalid_argument if `values` is empty, contains NaN, or any
/// prob is not in [0, 1].
std::vector<double> quantiles(std::vector<double> values, std::span<const double> probs);

/// The type-7 quantile of `values` at `prob`, by selection rather than a full
/// sort (linear time); the same bits as quantiles(). Reorders `values`.
/// Throws as quantiles() does.
double quantile_selected(std::span<double> values, double prob);

}  // namespace readmit
