#include "readmit/stats/quantiles.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace readmit {
namespace {

void check_probability(double prob) {
  if (!(prob >= 0.0 && prob <= 1.0)) {
    throw std::invalid_argument("quantile probability must be in [0, 1], got " + std::to_string(prob));
  }
}

// Interpolating from the nearer end keeps the result inside [lower, upper] and
// rounds the same way as numpy, so results match it bit for bit.
double interpolate(double lower, double upper, double fraction) {
  const double difference = upper - lower;
  return fraction < 0.5 ? lower + difference * fraction : upper - difference * (1.0 - fraction);
}

}  // namespace

double quantile_sorted(std::span<const double> sorted, double prob) {
  if (sorted.empty()) {
    throw std::invalid_argument("quantile of an empty sample");
  }
  check_probability(prob);
  const double position = static_cast<double>(sorted.size() - 1) * prob;
  const double lower_position = std::floor(position);
  const auto lower_index = static_cast<std::size_t>(lower_position);
  const double fraction = position - lower_position;
  if (fraction == 0.0) {
    return sorted[lower_index];
  }
  return interpolate(sorted[lower_index], sorted[lower_index + 1], fraction);
}

std::vector<double> quantiles(std::vector<double> values, std::span<const double> probs) {
  if (values.empty()) {
    throw std::invalid_argument("quantiles of an empty sample");
  }
  if (std::any_of(values.begin(), values.end(), [](double value) { return std::isnan(value); })) {
    throw std::invalid_argument("quantiles of a sample containing NaN");
  }
  std::for_each(probs.begin(), probs.end(), check_probability);
  std::sort(values.begin(), values.end());
  std::vector<double> result;
  result.reserve(probs.size());
  for (const double prob : probs) {
    result.push_back(quantile_sorted(values, prob));
  }
  return result;
}

double quantile_selected(std::span<double> values, double prob) {
  if (values.empty()) throw std::invalid_argument("quantiles of an empty sample");
  if (std::any_of(values.begin(), values.end(), [](double value) { return std::isnan(value); }))
    throw std::invalid_argument("quantiles of a sample containing NaN");
  check_probability(prob);
  const double position = static_cast<double>(values.size() - 1) * prob;
  const double lower_position = std::floor(position);
  const auto lower_index = static_cast<std::size_t>(lower_position);
  const double fraction = position - lower_position;
  const auto lower = values.begin() + std::ptrdiff_t(lower_index);
  std::nth_element(values.begin(), lower, values.end());
  if (fraction == 0.0) return *lower;
  // The next order statistic: the smallest of those after it.
  return interpolate(*lower, *std::min_element(lower + 1, values.end()), fraction);
}

}  // namespace readmit
