#include "readmit/stats/quantiles.hpp"

#include <array>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

using readmit::quantile_sorted;
using readmit::quantiles;

TEST_CASE("quantile_sorted matches hand-computed type 7 values", "[stats][quantiles]") {
  // position h = (n - 1) * p = 3p; value x[floor h] + frac(h) * (x[floor h + 1] - x[floor h])
  const std::array<double, 4> sorted{1.0, 2.0, 3.0, 4.0};
  CHECK(quantile_sorted(sorted, 0.0) == 1.0);
  CHECK(quantile_sorted(sorted, 0.25) == 1.75);
  CHECK(quantile_sorted(sorted, 0.5) == 2.5);
  CHECK(quantile_sorted(sorted, 0.75) == 3.25);
  CHECK(quantile_sorted(sorted, 0.1) == Approx(1.3).epsilon(1e-15));
  CHECK(quantile_sorted(sorted, 0.9) == Approx(3.7).epsilon(1e-15));
  CHECK(quantile_sorted(sorted, 1.0) == 4.0);
}

TEST_CASE("quantile_sorted of a single value", "[stats][quantiles]") {
  const std::array<double, 1> sorted{7.5};
  CHECK(quantile_sorted(sorted, 0.0) == 7.5);
  CHECK(quantile_sorted(sorted, 0.3) == 7.5);
  CHECK(quantile_sorted(sorted, 1.0) == 7.5);
}

TEST_CASE("quantiles of unsorted data match numpy", "[stats][quantiles]") {
  // Sorted: -1.2, 0, 2.2, 2.2, 3.7, 8.9, 10.5; h = 6p.
  // Reference: numpy 1.24.2, np.quantile(v, probs) (method="linear"), printed with repr.
  const std::vector<double> values{3.7, -1.2, 10.5, 0.0, 2.2, 2.2, 8.9};
  const std::array<double, 6> probs{0.05, 0.25, 0.5, 0.75, 0.95, 1.0 / 3.0};
  const std::vector<double> expected{-0.8399999999999999, 1.1, 2.2, 6.300000000000001, 10.02, 2.2};

  CHECK(quantiles(values, probs) == expected);
}

TEST_CASE("quantiles of 100 values match numpy bit for bit", "[stats][quantiles]") {
  // Reference: numpy 1.24.2,
  //   v = np.array([((i * 37) % 101) / 7.0 - 3.0 for i in range(100)])
  //   np.quantile(v, [0.01, 0.05, 0.123, 0.5, 0.77, 0.95, 0.999])
  std::vector<double> values;
  for (int i = 0; i < 100; ++i) {
    values.push_back(static_cast<double>((i * 37) % 101) / 7.0 - 3.0);
  }
  const std::array<double, 7> probs{0.01, 0.05, 0.123, 0.5, 0.77, 0.95, 0.999};
  const std::vector<double> expected{-2.8585714285714285, -2.2928571428571427, -1.2604285714285715, 4.071428571428571,
                                     8.032857142857143,   10.578571428571427,  11.271571428571429};

  CHECK(quantiles(values, probs) == expected);
}

TEST_CASE("quantiles round like numpy where the plain lerp formula differs", "[stats][quantiles]") {
  // Reference: numpy 1.24.2 np.quantile(v, p). For these inputs a + (b - a) * t
  // gives -0.25862000000000007, 12.70154 and 0.07919999999999938 instead.
  const std::array<double, 1> p453{0.453};
  const std::array<double, 1> p777{0.777};
  const std::array<double, 1> p82{0.82};
  CHECK(quantiles({-7.36, -4.82, -1.63, 0.28, 2.94, 3.65, 5.47}, p453) == std::vector<double>{-0.25861999999999996});
  CHECK(quantiles({-11.12, 2.17, 21.18}, p777) == std::vector<double>{12.701540000000001});
  CHECK(quantiles({-12.27, -9.45, -6.83, -5.06, -0.98, -0.72, 0.36, 0.95}, p82) ==
        std::vector<double>{0.07919999999999922});
}

TEST_CASE("quantiles returns results in the order of probs", "[stats][quantiles]") {
  const std::array<double, 3> probs{1.0, 0.0, 0.5};
  CHECK(quantiles({5.0, 1.0, 3.0}, probs) == std::vector<double>{5.0, 1.0, 3.0});
}

TEST_CASE("quantiles rejects invalid input", "[stats][quantiles]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::array<double, 1> median{0.5};
  const std::array<double, 1> too_low{-0.01};
  const std::array<double, 1> too_high{1.01};
  const std::array<double, 1> not_a_prob{nan};

  CHECK_THROWS_AS(quantiles({}, median), std::invalid_argument);
  CHECK_THROWS_AS(quantiles({1.0, nan, 3.0}, median), std::invalid_argument);
  CHECK_THROWS_AS(quantiles({1.0, 2.0}, too_low), std::invalid_argument);
  CHECK_THROWS_AS(quantiles({1.0, 2.0}, too_high), std::invalid_argument);
  CHECK_THROWS_AS(quantiles({1.0, 2.0}, not_a_prob), std::invalid_argument);
  CHECK_THROWS_AS(quantile_sorted(std::vector<double>{}, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(quantile_sorted(std::vector<double>{1.0}, 2.0), std::invalid_argument);
}

TEST_CASE("WholeNumberQuantiles gives the bits of quantiles() as values come and go", "[stats][quantiles]") {
  boost::random::mt19937 generator(20261130u);
  boost::random::uniform_int_distribution<std::uint32_t> small(0, 40), large(0, 5000);
  readmit::WholeNumberQuantiles window;
  std::deque<std::uint32_t> held;
  std::size_t compared = 0;
  for (int step = 0; step < 4000; ++step) {
    // Mostly small values, now and then a large one (the tree grows); the
    // oldest values leave, as a review window's decisions do.
    const std::uint32_t value = step % 97 == 0 ? large(generator) : small(generator);
    window.insert(value);
    held.push_back(value);
    while (held.size() > 300 || (step % 50 == 49 && held.size() > 1)) {
      window.erase(held.front());
      held.pop_front();
    }
    REQUIRE(window.size() == held.size());
    if (step % 7 != 0) continue;
    const std::vector<double> values(held.begin(), held.end());
    for (const double prob : {0.0, 0.25, 0.5, 0.9, 1.0}) {
      const double probs[] = {prob};
      CHECK(window.quantile(prob) == readmit::quantiles(values, probs)[0]);
      ++compared;
    }
  }
  CHECK(compared > 2000);
  CHECK_THROWS_AS(window.erase(100000), std::invalid_argument);
  readmit::WholeNumberQuantiles empty;
  CHECK_THROWS_AS(empty.quantile(0.5), std::invalid_argument);
  empty.insert(3);
  CHECK_THROWS_AS(empty.quantile(1.5), std::invalid_argument);
  empty.erase(3);
  CHECK_THROWS_AS(empty.erase(3), std::invalid_argument);
}
