#include "readmit/stats/interval.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include <boost/math/distributions/students_t.hpp>

#include "readmit/stats/quantiles.hpp"

namespace readmit {
namespace {

void check_level(double level) {
  if (!(level > 0.0 && level < 1.0)) {
    throw std::invalid_argument("confidence level must be in (0, 1), got " + std::to_string(level));
  }
}

Interval nan_interval() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return {nan, nan};
}

}  // namespace

Interval t_interval(double center, double standard_error, double degrees_of_freedom, double level) {
  check_level(level);
  if (standard_error == 0.0) {
    return {center, center};
  }
  if (std::isnan(center) || std::isnan(standard_error)) {
    return nan_interval();
  }
  if (!(degrees_of_freedom > 0.0)) {
    throw std::invalid_argument("t interval needs degrees of freedom > 0, got " + std::to_string(degrees_of_freedom));
  }
  // Summaries of an ensemble ask for the same (degrees, level) thousands of
  // times in a row: remember the last quantile (per thread, no locking).
  thread_local double cached_degrees = 0, cached_level = 0, cached_critical_value = 0;
  if (degrees_of_freedom != cached_degrees || level != cached_level) {
    const boost::math::students_t_distribution<double> distribution(degrees_of_freedom);
    // The upper-tail form stays accurate for levels close to 1.
    cached_critical_value = boost::math::quantile(boost::math::complement(distribution, (1.0 - level) / 2.0));
    cached_degrees = degrees_of_freedom, cached_level = level;
  }
  const double half_width = cached_critical_value * standard_error;
  return {center - half_width, center + half_width};
}

Interval mean_confidence_interval(const RunningMoments& moments, double level) {
  check_level(level);
  const std::size_t n = moments.count();
  if (n < 2) {
    return nan_interval();
  }
  const double standard_error = moments.stddev() / std::sqrt(static_cast<double>(n));
  return t_interval(moments.mean(), standard_error, static_cast<double>(n - 1), level);
}

Summary summarize(std::vector<double> values) {
  static constexpr std::array<double, 5> probs{0.05, 0.25, 0.50, 0.75, 0.95};
  RunningMoments moments;
  for (const double value : values) {
    moments.add(value);
  }
  const std::vector<double> q = quantiles(std::move(values), probs);
  return Summary{
      .n = moments.count(),
      .mean = moments.mean(),
      .sd = moments.stddev(),
      .p05 = q[0],
      .p25 = q[1],
      .p50 = q[2],
      .p75 = q[3],
      .p95 = q[4],
      .ci95 = mean_confidence_interval(moments, 0.95),
  };
}

Summary summarize_finite(std::span<const double> values, std::vector<double>& scratch) {
  static constexpr std::array<double, 5> probs{0.05, 0.25, 0.50, 0.75, 0.95};
  scratch.clear();
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const double value : values) {
    if (std::isfinite(value)) {
      scratch.push_back(value);
      low = std::min(low, value), high = std::max(high, value);
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = scratch.size();
  if (n == 0)
    return Summary{.n = 0,
                   .mean = nan,
                   .sd = nan,
                   .p05 = nan,
                   .p25 = nan,
                   .p50 = nan,
                   .p75 = nan,
                   .p95 = nan,
                   .ci95 = nan_interval()};
  const double count = static_cast<double>(n);
  auto interval = [&](double mean, double sd) {
    return n < 2 ? nan_interval() : t_interval(mean, sd / std::sqrt(count), count - 1, 0.95);
  };
  if (low == high) {  // every value the same (an unused metric, a level held all run): nothing to sort
    const double sd = n < 2 ? nan : 0.0;
    return Summary{.n = n,
                   .mean = low,
                   .sd = sd,
                   .p05 = low,
                   .p25 = low,
                   .p50 = low,
                   .p75 = low,
                   .p95 = low,
                   .ci95 = interval(low, sd)};
  }
  std::sort(scratch.begin(), scratch.end());
  // Two passes over the sorted values: the mean, then the squared deviations
  // from it (as accurate as Welford's update, without its division per value).
  double sum = 0;
  for (const double value : scratch) sum += value;
  const double mean = sum / count;
  double squares = 0;
  for (const double value : scratch) squares += (value - mean) * (value - mean);
  const double sd = n < 2 ? nan : std::sqrt(squares / (count - 1));
  return Summary{.n = n,
                 .mean = mean,
                 .sd = sd,
                 .p05 = quantile_sorted(scratch, probs[0]),
                 .p25 = quantile_sorted(scratch, probs[1]),
                 .p50 = quantile_sorted(scratch, probs[2]),
                 .p75 = quantile_sorted(scratch, probs[3]),
                 .p95 = quantile_sorted(scratch, probs[4]),
                 .ci95 = interval(mean, sd)};
}

Summary summarize_finite(std::span<const double> values) {
  std::vector<double> scratch;
  return summarize_finite(values, scratch);
}

}  // namespace readmit
