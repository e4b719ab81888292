#pragma once

#include <cmath>
#include <cstddef>
#include <limits>

namespace readmit {

/// Streaming mean and variance (Welford's algorithm), numerically stable for
/// data with a large mean relative to its spread.
///
/// Partial results, e.g. one per chunk of replications, are combined with
/// merge(). Merging in a fixed order gives reproducible results regardless of
/// how the chunks were scheduled.
///
/// NaN inputs are not rejected: they propagate into mean() and variance().
class RunningMoments {
 public:
  void add(double value) noexcept;

  /// Combines `other` into this as if its values had been added here
  /// (Chan, Golub & LeVeque pairwise update).
  void merge(const RunningMoments& other) noexcept;

  std::size_t count() const noexcept { return count_; }

  /// Arithmetic mean; NaN if count() == 0.
  double mean() const noexcept { return count_ == 0 ? std::numeric_limits<double>::quiet_NaN() : mean_; }

  /// Sample variance (divisor n - 1); NaN if count() < 2.
  double variance() const noexcept {
    return count_ < 2 ? std::numeric_limits<double>::quiet_NaN()
                      : sum_squared_deviations_ / static_cast<double>(count_ - 1);
  }

  /// Sample standard deviation, sqrt(variance()); NaN if count() < 2.
  double stddev() const noexcept { return std::sqrt(variance()); }

 private:
  std::size_t count_ = 0;
  double mean_ = 0.0;
  double sum_squared_deviations_ = 0.0;
};

}  // namespace readmit
