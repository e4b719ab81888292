// Counts drawn for any mean stay in range (issue #12: a Poisson draw of mean
// 1e300 overflowed int64). The scenario's bounds keep means far lower; the
// draws do not rely on it.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "readmit/model/rng.hpp"

using namespace readmit;

TEST_CASE("Poisson and binomial counts stay in range for huge means", "[model][rng]") {
  RandomStream stream(1, 2, 3, StreamPurpose::partner_visas);
  for (const double mean : {1e10, 1e15, 1e300, 1.7e308}) {
    INFO(mean);
    const std::int64_t count = draw_poisson(mean, stream);
    CHECK(count >= 0);
    CHECK(double(count) <= 9007199254740992.0);
  }
  // Near its mean (within ten standard deviations) where a count can be exact.
  const double mean = 1e12;
  CHECK(std::fabs(double(draw_poisson(mean, stream)) - mean) < 10 * std::sqrt(mean));
  const std::int64_t trials = 4'000'000'000'000;
  const std::int64_t refused = draw_binomial(trials, 0.25, stream);
  CHECK(std::fabs(double(refused) - 1e12) < 10 * std::sqrt(1e12 * 0.75));
  CHECK(draw_binomial(trials, 1e-15, stream) <= trials);
  CHECK_THROWS_AS(draw_poisson(INFINITY, stream), std::domain_error);
  CHECK(draw_poisson(NAN, stream) == 0);
  CHECK(draw_poisson(0, stream) == 0);
}
