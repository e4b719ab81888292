#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "readmit/stats/moments.hpp"

namespace readmit {

/// Closed interval [low, high]; both NaN when it cannot be computed.
struct Interval {
  double low;
  double high;
};

/// Two-sided Student's t interval center +/- t_{(1+level)/2, df} * standard_error.
/// Returns {center, center} if standard_error == 0, and {NaN, NaN} if center
/// or standard_error is NaN; degrees_of_freedom is not used in those cases.
/// Throws std::invalid_argument unless 0 < level < 1 and, when it is used,
/// degrees_of_freedom > 0.
Interval t_interval(double center, double standard_error, double degrees_of_freedom, double level);

/// Two-sided Student's t confidence interval for the mean:
/// mean +/- t_{(1+level)/2, n-1} * sd / sqrt(n).
/// Returns {NaN, NaN} if moments.count() < 2.
/// Throws std::invalid_argument unless 0 < level < 1.
Interval mean_confidence_interval(const RunningMoments& moments, double level = 0.95);

/// Descriptive summary of a sample of replication outputs. Quantiles are
/// type 7 (see quantiles.hpp); sd is the sample standard deviation.
struct Summary {
  std::size_t n;
  double mean;
  double sd;
  double p05;
  double p25;
  double p50;
  double p75;
  double p95;
  Interval ci95;  ///< 95% t interval for the mean
};

/// Summarizes `values`. With a single value, sd and ci95 are NaN and every
/// quantile equals that value.
/// Throws std::invalid_argument if `values` is empty or contains NaN.
Summary summarize(std::vector<double> values);

/// Summarizes the finite values of `values`, ignoring NaN and infinities
/// (e.g. a median of days to removal in a replication with no removal);
/// n counts the values used. With no finite value, n is 0 and every other
/// field is NaN. `scratch` is reused to avoid an allocation per call.
/// Never throws for any input.
Summary summarize_finite(std::span<const double> values, std::vector<double>& scratch);
Summary summarize_finite(std::span<const double> values);

/// Half-width of an interval, (high - low) / 2 (NaN if either end is NaN).
inline double half_width(const Interval& interval) { return (interval.high - interval.low) / 2.0; }

}  // namespace readmit
