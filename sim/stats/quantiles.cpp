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

void WholeNumberQuantiles::insert(std::uint32_t value) {
  if (value >= counts_.size()) {
    // Rebuild at the next power of two that holds the value.
    std::size_t capacity = std::max<std::size_t>(64, counts_.size());
    while (capacity <= value) capacity *= 2;
    counts_.resize(capacity, 0);
    tree_.assign(capacity + 1, 0);
    for (std::size_t i = 1; i <= capacity; ++i) {
      tree_[i] += counts_[i - 1];
      const std::size_t parent = i + (i & (~i + 1));
      if (parent <= capacity) tree_[parent] += tree_[i];
    }
  }
  add(value, 1);
  ++size_;
}

void WholeNumberQuantiles::erase(std::uint32_t value) {
  if (value >= counts_.size() || counts_[value] == 0)
    throw std::invalid_argument("WholeNumberQuantiles::erase: " + std::to_string(value) + " is not held");
  add(value, -1);
  --size_;
}

void WholeNumberQuantiles::add(std::uint32_t value, std::int32_t delta) {
  counts_[value] += delta;
  for (std::size_t i = std::size_t(value) + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += delta;
}

std::uint32_t WholeNumberQuantiles::kth(std::size_t k) const {
  // Descend the tree: the largest position whose prefix sum is at most k.
  std::size_t position = 0;
  auto remaining = std::int64_t(k);  // sums of int32 counts compared in 64 bits
  for (std::size_t step = counts_.size(); step > 0; step /= 2) {
    if (position + step < tree_.size() && tree_[position + step] <= remaining) {
      position += step;
      remaining -= tree_[position];
    }
  }
  return std::uint32_t(position);
}

double WholeNumberQuantiles::quantile(double prob) const {
  if (size_ == 0) throw std::invalid_argument("quantiles of an empty sample");
  check_probability(prob);
  const double position = static_cast<double>(size_ - 1) * prob;
  const double lower_position = std::floor(position);
  const auto lower_index = static_cast<std::size_t>(lower_position);
  const double fraction = position - lower_position;
  const double lower = double(kth(lower_index));
  if (fraction == 0.0) return lower;
  return interpolate(lower, double(kth(lower_index + 1)), fraction);
}

}  // namespace readmit
