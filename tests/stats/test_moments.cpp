#include "readmit/stats/moments.hpp"

#include <cmath>
#include <cstddef>
#include <vector>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>

#include <catch2/catch.hpp>

using readmit::RunningMoments;

namespace {

// Values with a mean far from zero relative to their spread, where the naive
// sum-of-squares formula loses most of its digits.
constexpr double sample_offset = 1.0e6;

std::vector<double> offset_normal_sample(std::size_t count) {
  boost::random::mt19937 generator(12345u);
  boost::random::normal_distribution<double> normal(sample_offset, 2.0);
  std::vector<double> values(count);
  for (double& value : values) {
    value = normal(generator);
  }
  return values;
}

// Summing the (exactly representable) shifted values keeps the reference
// mean accurate to about 1e-16 relative, unlike a plain sum of values near 1e6.
double two_pass_mean(const std::vector<double>& values) {
  double shifted_sum = 0.0;
  for (const double value : values) {
    shifted_sum += value - sample_offset;
  }
  return sample_offset + shifted_sum / static_cast<double>(values.size());
}

double two_pass_variance(const std::vector<double>& values) {
  const double mean = two_pass_mean(values);
  double sum_squares = 0.0;
  for (const double value : values) {
    sum_squares += (value - mean) * (value - mean);
  }
  return sum_squares / static_cast<double>(values.size() - 1);
}

RunningMoments moments_of(const std::vector<double>& values, std::size_t begin, std::size_t end) {
  RunningMoments moments;
  for (std::size_t i = begin; i < end; ++i) {
    moments.add(values[i]);
  }
  return moments;
}

}  // namespace

TEST_CASE("RunningMoments of an empty or single-value sample", "[stats][moments]") {
  RunningMoments moments;
  CHECK(moments.count() == 0);
  CHECK(std::isnan(moments.mean()));
  CHECK(std::isnan(moments.variance()));

  moments.add(4.5);
  CHECK(moments.count() == 1);
  CHECK(moments.mean() == 4.5);
  CHECK(std::isnan(moments.variance()));
  CHECK(std::isnan(moments.stddev()));
}

TEST_CASE("RunningMoments of a small hand-computed sample", "[stats][moments]") {
  RunningMoments moments;
  for (const double value : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) {
    moments.add(value);
  }
  // mean 5, squared deviations sum to 32, sample variance 32 / 7
  CHECK(moments.count() == 8);
  CHECK(moments.mean() == Approx(5.0).epsilon(1e-15));
  CHECK(moments.variance() == Approx(32.0 / 7.0).epsilon(1e-14));
  CHECK(moments.stddev() == Approx(std::sqrt(32.0 / 7.0)).epsilon(1e-14));
}

TEST_CASE("RunningMoments agrees with the two-pass formulas on 1e5 values", "[stats][moments]") {
  const std::vector<double> values = offset_normal_sample(100000);
  const RunningMoments moments = moments_of(values, 0, values.size());

  CHECK(moments.count() == values.size());
  // Welford rounds at each of the 1e5 mean updates, so it is within ~1e-14, not 1 ulp.
  CHECK(moments.mean() == Approx(two_pass_mean(values)).epsilon(1e-13));
  CHECK(moments.variance() == Approx(two_pass_variance(values)).epsilon(1e-10));
  CHECK(moments.variance() == Approx(4.0).epsilon(0.02));
}

TEST_CASE("RunningMoments::merge equals adding sequentially", "[stats][moments]") {
  const std::vector<double> values = offset_normal_sample(100000);
  const RunningMoments sequential = moments_of(values, 0, values.size());

  const std::vector<std::size_t> chunk_ends{1, 1, 18, 5000, 5001, 73210, 100000};
  RunningMoments merged;
  std::size_t begin = 0;
  for (const std::size_t end : chunk_ends) {
    merged.merge(moments_of(values, begin, end));
    begin = end;
  }

  CHECK(merged.count() == sequential.count());
  CHECK(merged.mean() == Approx(sequential.mean()).epsilon(1e-14));
  CHECK(merged.variance() == Approx(sequential.variance()).epsilon(1e-10));
}

TEST_CASE("RunningMoments::merge with an empty side", "[stats][moments]") {
  RunningMoments filled;
  for (const double value : {1.0, 2.0, 6.0}) {
    filled.add(value);
  }

  RunningMoments into_empty;
  into_empty.merge(filled);
  CHECK(into_empty.count() == 3);
  CHECK(into_empty.mean() == filled.mean());
  CHECK(into_empty.variance() == filled.variance());

  RunningMoments unchanged = filled;
  unchanged.merge(RunningMoments{});
  CHECK(unchanged.count() == 3);
  CHECK(unchanged.mean() == filled.mean());
  CHECK(unchanged.variance() == filled.variance());
}
