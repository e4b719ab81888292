#pragma once

#include <cstddef>
#include <cstdint>
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

/// A multiset of small non-negative whole numbers (days, counts) kept as
/// counts in a Fenwick tree, for a quantile of a window that values enter
/// and leave one at a time: insert and erase in O(log V), a quantile in
/// O(log V), where V is the largest value; the same bits as quantiles() of
/// the values as doubles. Memory grows with V (8 bytes a value).
class WholeNumberQuantiles {
 public:
  void insert(std::uint32_t value);
  /// Throws std::invalid_argument if `value` is not held.
  void erase(std::uint32_t value);
  std::size_t size() const { return size_; }
  /// Type-7 quantile; throws as quantiles() does on no values or a bad prob.
  double quantile(double prob) const;

 private:
  std::vector<std::int32_t> counts_;  // counts_[v]: how many times v is held
  std::vector<std::int32_t> tree_;    // Fenwick sums over counts_, 1-based; size a power of two + 1
  std::size_t size_ = 0;

  void add(std::uint32_t value, std::int32_t delta);
  /// The k-th smallest value held, from 0.
  std::uint32_t kth(std::size_t k) const;
};

}  // namespace readmit
