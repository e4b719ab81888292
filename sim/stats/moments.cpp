#include "readmit/stats/moments.hpp"

namespace readmit {

void RunningMoments::add(double value) noexcept {
  ++count_;
  const double delta = value - mean_;
  mean_ += delta / static_cast<double>(count_);
  sum_squared_deviations_ += delta * (value - mean_);
}

void RunningMoments::merge(const RunningMoments& other) noexcept {
  if (other.count_ == 0) {
    return;
  }
  if (count_ == 0) {
    *this = other;
    return;
  }
  const double own_count = static_cast<double>(count_);
  const double other_count = static_cast<double>(other.count_);
  const double total_count = own_count + other_count;
  const double delta = other.mean_ - mean_;
  mean_ += delta * (other_count / total_count);
  sum_squared_deviations_ += other.sum_squared_deviations_ + delta * delta * (own_count * other_count / total_count);
  count_ += other.count_;
}

}  // namespace readmit
