// summarize_finite and paired_difference_finite: the statistics of run totals
// and monthly values, where some replications have no value (NaN).
#include "readmit/stats/interval.hpp"
#include "readmit/stats/paired.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_01.hpp>

#include <catch2/catch.hpp>

using readmit::Summary;

namespace {
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double Inf = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("summarize_finite ignores NaN and infinities and counts the values used", "[stats][summary]") {
  const std::vector<double> with_gaps{2.1, NaN, 3.4, 1.9, Inf, 5.6, 4.4, -Inf, 3.3, 2.8, 4.1, 3.9, 2.5, NaN};
  const std::vector<double> finite{2.1, 3.4, 1.9, 5.6, 4.4, 3.3, 2.8, 4.1, 3.9, 2.5};
  const Summary a = readmit::summarize_finite(with_gaps);
  const Summary b = readmit::summarize(finite);
  CHECK(a.n == 10);
  CHECK(a.mean == b.mean);
  CHECK(a.sd == b.sd);
  CHECK(a.p05 == b.p05);
  CHECK(a.p25 == b.p25);
  CHECK(a.p50 == b.p50);
  CHECK(a.p75 == b.p75);
  CHECK(a.p95 == b.p95);
  CHECK(a.ci95.low == b.ci95.low);
  CHECK(a.ci95.high == b.ci95.high);
}

TEST_CASE("summarize_finite of no finite value, and of one", "[stats][summary]") {
  const Summary none = readmit::summarize_finite(std::vector<double>{NaN, NaN, Inf});
  CHECK(none.n == 0);
  CHECK(std::isnan(none.mean));
  CHECK(std::isnan(none.sd));
  CHECK(std::isnan(none.p50));
  CHECK(std::isnan(none.ci95.low));
  CHECK(readmit::summarize_finite(std::vector<double>{}).n == 0);
  const Summary one = readmit::summarize_finite(std::vector<double>{NaN, 7.0});
  CHECK(one.n == 1);
  CHECK(one.mean == 7.0);
  CHECK(one.p05 == 7.0);
  CHECK(one.p95 == 7.0);
  CHECK(std::isnan(one.sd));
  CHECK(std::isnan(one.ci95.low));
}

TEST_CASE("paired_difference_finite uses the replications where both values are finite", "[stats][summary][paired]") {
  const std::vector<double> baseline{1, 2, NaN, 4, 5};
  const std::vector<double> alternative{2, NaN, 3, 6, 8};
  const Summary d = readmit::paired_difference_finite(alternative, baseline);
  CHECK(d.n == 3);  // replications 0, 3 and 4
  CHECK(d.mean == Approx((1.0 + 2.0 + 3.0) / 3.0));
  CHECK(d.p50 == 2.0);
  CHECK_THROWS_AS(readmit::paired_difference_finite(alternative, std::vector<double>{1}), std::invalid_argument);
}

// A skewed "run total" with a known mean, missing in some replications (as
// the median days to removal is when nobody was removed): the 95% interval
// of the finite values still covers the mean about 95% of the time.
TEST_CASE("summarize_finite's 95% interval covers a known mean at about its nominal rate", "[stats][summary]") {
  constexpr double true_mean = 40.0;  // exponential: skewed, sd = mean
  constexpr int experiments = 4000;
  constexpr int replications = 60;
  boost::random::mt19937 generator(20251129u);
  boost::random::exponential_distribution<double> exponential(1.0 / true_mean);
  boost::random::uniform_01<double> uniform;
  int covered = 0;
  std::vector<double> values(replications);
  std::vector<double> scratch;
  for (int e = 0; e < experiments; ++e) {
    for (auto& v : values) v = uniform(generator) < 0.1 ? NaN : exponential(generator);
    const Summary s = readmit::summarize_finite(values, scratch);
    if (s.ci95.low <= true_mean && true_mean <= s.ci95.high) ++covered;
  }
  const double coverage = double(covered) / experiments;
  // Binomial sd at 0.95 and 4000 experiments is 0.0034; skewness costs a little.
  CHECK(coverage >= 0.925);
  CHECK(coverage <= 0.965);
}
