#include "readmit/stats/paired.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace readmit {

Summary paired_difference(std::span<const double> alternative, std::span<const double> baseline) {
  if (alternative.size() != baseline.size()) {
    throw std::invalid_argument("paired_difference needs samples of equal size, got " +
                                std::to_string(alternative.size()) + " and " + std::to_string(baseline.size()));
  }
  std::vector<double> differences(alternative.size());
  for (std::size_t i = 0; i < differences.size(); ++i) {
    differences[i] = alternative[i] - baseline[i];
  }
  return summarize(std::move(differences));
}

Summary paired_difference_finite(std::span<const double> alternative, std::span<const double> baseline) {
  if (alternative.size() != baseline.size()) {
    throw std::invalid_argument("paired_difference_finite needs samples of equal size, got " +
                                std::to_string(alternative.size()) + " and " + std::to_string(baseline.size()));
  }
  std::vector<double> differences;
  differences.reserve(alternative.size());
  for (std::size_t i = 0; i < alternative.size(); ++i) {
    if (std::isfinite(alternative[i]) && std::isfinite(baseline[i])) {
      differences.push_back(alternative[i] - baseline[i]);
    }
  }
  return summarize_finite(differences);
}

Interval unpaired_difference_interval(const RunningMoments& alternative, const RunningMoments& baseline, double level) {
  if (alternative.count() < 2 || baseline.count() < 2) {
    // Validate level even when no interval can be formed, so misuse is caught early.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return t_interval(nan, nan, nan, level);
  }
  const double alternative_count = static_cast<double>(alternative.count());
  const double baseline_count = static_cast<double>(baseline.count());
  const double alternative_term = alternative.variance() / alternative_count;
  const double baseline_term = baseline.variance() / baseline_count;
  const double standard_error = std::sqrt(alternative_term + baseline_term);
  const double degrees_of_freedom = (alternative_term + baseline_term) * (alternative_term + baseline_term) /
                                    (alternative_term * alternative_term / (alternative_count - 1.0) +
                                     baseline_term * baseline_term / (baseline_count - 1.0));
  return t_interval(alternative.mean() - baseline.mean(), standard_error, degrees_of_freedom, level);
}

}  // namespace readmit
