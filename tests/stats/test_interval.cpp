#include "readmit/stats/interval.hpp"
#include "readmit/stats/paired.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>

#include <catch2/catch.hpp>

using readmit::Interval;
using readmit::RunningMoments;

namespace {

RunningMoments moments_of(const std::vector<double>& values) {
  RunningMoments moments;
  for (const double value : values) {
    moments.add(value);
  }
  return moments;
}

double width(const Interval& interval) { return interval.high - interval.low; }

// Reference sample for the t interval checks; mean 3.4, sd 1.1401754250991378.
const std::vector<double> ten_values{2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 4.1, 3.9, 2.5};

}  // namespace

TEST_CASE("mean_confidence_interval uses t with n - 1 degrees of freedom", "[stats][interval]") {
  const RunningMoments moments = moments_of(ten_values);
  const double standard_error = moments.stddev() / std::sqrt(10.0);

  const Interval ci = readmit::mean_confidence_interval(moments);

  // References computed with mpmath at 40 digits (t quantile by root-finding on the
  // regularized incomplete beta CDF). scipy 1.10's t.ppf is off in the 11th digit here.
  // t_{0.975, 9} = 2.2621571627982055
  CHECK((ci.high - moments.mean()) / standard_error == Approx(2.2621571627982055).epsilon(1e-13));
  CHECK(ci.low == Approx(2.584367635637293).epsilon(1e-13));
  CHECK(ci.high == Approx(4.2156323643627068).epsilon(1e-13));
}

TEST_CASE("mean_confidence_interval honours the level", "[stats][interval]") {
  const Interval ci90 = readmit::mean_confidence_interval(moments_of(ten_values), 0.90);
  // Reference: mpmath, mean -/+ t_{0.95, 9} * s / sqrt(10) with t_{0.95, 9} = 1.8331129326562372
  CHECK(ci90.low == Approx(2.739061732759177).epsilon(1e-13));
  CHECK(ci90.high == Approx(4.0609382672408229).epsilon(1e-13));
}

TEST_CASE("mean_confidence_interval edge cases", "[stats][interval]") {
  const Interval none = readmit::mean_confidence_interval(RunningMoments{});
  CHECK(std::isnan(none.low));
  CHECK(std::isnan(none.high));

  const Interval single = readmit::mean_confidence_interval(moments_of({3.0}));
  CHECK(std::isnan(single.low));
  CHECK(std::isnan(single.high));

  const Interval constant = readmit::mean_confidence_interval(moments_of({2.5, 2.5, 2.5}));
  CHECK(constant.low == 2.5);
  CHECK(constant.high == 2.5);

  const RunningMoments moments = moments_of(ten_values);
  CHECK_THROWS_AS(readmit::mean_confidence_interval(moments, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(readmit::mean_confidence_interval(moments, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(readmit::mean_confidence_interval(moments, std::numeric_limits<double>::quiet_NaN()),
                  std::invalid_argument);
  CHECK_THROWS_AS(readmit::mean_confidence_interval(RunningMoments{}, 1.5), std::invalid_argument);
}

TEST_CASE("95% t intervals cover the true mean about 95% of the time", "[stats][interval]") {
  constexpr double true_mean = 10.0;
  constexpr int sample_count = 2000;
  constexpr int sample_size = 20;
  boost::random::mt19937 generator(20240601u);
  boost::random::normal_distribution<double> normal(true_mean, 3.0);

  int covered = 0;
  for (int sample = 0; sample < sample_count; ++sample) {
    RunningMoments moments;
    for (int i = 0; i < sample_size; ++i) {
      moments.add(normal(generator));
    }
    const Interval ci = readmit::mean_confidence_interval(moments);
    if (ci.low <= true_mean && true_mean <= ci.high) {
      ++covered;
    }
  }

  const double coverage = static_cast<double>(covered) / sample_count;
  CHECK(coverage >= 0.935);
  CHECK(coverage <= 0.965);
}

TEST_CASE("summarize reports moments and type 7 quantiles and the 95% interval", "[stats][interval]") {
  const readmit::Summary summary = readmit::summarize(ten_values);

  // Sorted: 1.9 2.1 2.5 2.8 3.3 3.4 3.9 4.1 4.4 5.6; position h = 9p.
  CHECK(summary.n == 10);
  CHECK(summary.mean == Approx(3.4).epsilon(1e-14));
  CHECK(summary.sd == Approx(1.1401754250991378).epsilon(1e-14));
  CHECK(summary.p05 == Approx(1.99).epsilon(1e-14));   // h = 0.45
  CHECK(summary.p25 == Approx(2.575).epsilon(1e-14));  // h = 2.25
  CHECK(summary.p50 == Approx(3.35).epsilon(1e-14));   // h = 4.5
  CHECK(summary.p75 == Approx(4.05).epsilon(1e-14));   // h = 6.75
  CHECK(summary.p95 == Approx(5.06).epsilon(1e-14));   // h = 8.55
  CHECK(summary.ci95.low == Approx(2.584367635637293).epsilon(1e-13));
  CHECK(summary.ci95.high == Approx(4.2156323643627068).epsilon(1e-13));
}

TEST_CASE("summarize of one value and of invalid input", "[stats][interval]") {
  const readmit::Summary single = readmit::summarize({4.0});
  CHECK(single.n == 1);
  CHECK(single.mean == 4.0);
  CHECK(single.p05 == 4.0);
  CHECK(single.p95 == 4.0);
  CHECK(std::isnan(single.sd));
  CHECK(std::isnan(single.ci95.low));

  CHECK_THROWS_AS(readmit::summarize({}), std::invalid_argument);
  CHECK_THROWS_AS(readmit::summarize({1.0, std::numeric_limits<double>::quiet_NaN()}), std::invalid_argument);
}

TEST_CASE("unpaired_difference_interval matches Welch's t interval", "[stats][interval][paired]") {
  const RunningMoments alternative = moments_of({12.1, 14.3, 11.8, 15.2, 13.9, 12.7});
  const RunningMoments baseline = moments_of({10.2, 9.8, 11.5, 10.9, 10.1, 9.5, 11.0, 10.4});

  const Interval ci = readmit::unpaired_difference_interval(alternative, baseline);

  // Reference: mpmath at 40 digits. Welch-Satterthwaite df = 6.8549746282820333,
  // t_{0.975, df} = 2.3748034228641174, difference 2.9083333333333333,
  // interval = difference -/+ t * sqrt(s_a^2 / 6 + s_b^2 / 8)
  CHECK(ci.low == Approx(1.4912512090198012).epsilon(1e-13));
  CHECK(ci.high == Approx(4.3254154576468654).epsilon(1e-13));
}

TEST_CASE("unpaired_difference_interval edge cases", "[stats][interval][paired]") {
  const RunningMoments two = moments_of({1.0, 2.0});
  const Interval too_small = readmit::unpaired_difference_interval(two, moments_of({1.0}));
  CHECK(std::isnan(too_small.low));
  CHECK(std::isnan(too_small.high));

  const Interval constant = readmit::unpaired_difference_interval(moments_of({3.0, 3.0}), moments_of({1.0, 1.0, 1.0}));
  CHECK(constant.low == 2.0);
  CHECK(constant.high == 2.0);

  CHECK_THROWS_AS(readmit::unpaired_difference_interval(two, two, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(readmit::unpaired_difference_interval(two, RunningMoments{}, -0.5), std::invalid_argument);
}

TEST_CASE("paired_difference summarizes per-replication differences", "[stats][interval][paired]") {
  const std::vector<double> alternative{5.0, 7.0, 4.0, 10.0};
  const std::vector<double> baseline{4.0, 5.0, 4.0, 7.0};

  const readmit::Summary difference = readmit::paired_difference(alternative, baseline);

  // differences 1, 2, 0, 3: mean 1.5, sample variance 5/3
  CHECK(difference.n == 4);
  CHECK(difference.mean == Approx(1.5).epsilon(1e-15));
  CHECK(difference.sd == Approx(std::sqrt(5.0 / 3.0)).epsilon(1e-14));
  CHECK(difference.p50 == Approx(1.5).epsilon(1e-15));

  CHECK_THROWS_AS(readmit::paired_difference(alternative, std::vector<double>{1.0}), std::invalid_argument);
  CHECK_THROWS_AS(readmit::paired_difference(std::vector<double>{}, std::vector<double>{}), std::invalid_argument);
}

TEST_CASE("paired interval is much narrower than unpaired under common random numbers", "[stats][interval][paired]") {
  constexpr double true_effect = 0.5;
  boost::random::mt19937 generator(777u);
  boost::random::normal_distribution<double> between_replications(100.0, 30.0);
  boost::random::normal_distribution<double> small_noise(0.0, 0.2);

  std::vector<double> baseline;
  std::vector<double> alternative;
  for (int replication = 0; replication < 30; ++replication) {
    baseline.push_back(between_replications(generator));
    alternative.push_back(baseline.back() + true_effect + small_noise(generator));
  }

  const readmit::Summary paired = readmit::paired_difference(alternative, baseline);
  const Interval unpaired = readmit::unpaired_difference_interval(moments_of(alternative), moments_of(baseline));

  CHECK(paired.ci95.low <= true_effect);
  CHECK(true_effect <= paired.ci95.high);
  CHECK(unpaired.low <= true_effect);
  CHECK(true_effect <= unpaired.high);
  CHECK(width(paired.ci95) < width(unpaired) / 20.0);
}
