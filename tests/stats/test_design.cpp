#include "readmit/stats/design.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

using readmit::DesignMatrix;
using readmit::FactorDistribution;

namespace {

// Sum over points r and dimensions d of x(r, d) * 2^32 * (r + 1) * (d + 1),
// modulo 2^64: a fingerprint of every bit of every coordinate.
std::uint64_t fingerprint(const DesignMatrix& design) {
  std::uint64_t total = 0;
  for (std::size_t r = 0; r < design.rows; ++r) {
    for (std::size_t c = 0; c < design.cols; ++c) {
      const auto bits = static_cast<std::uint64_t>(design(r, c) * 0x1p32);
      total += bits * (r + 1) * (c + 1);
    }
  }
  return total;
}

// Campolongo's spread of a Morris design: sqrt of the sum over trajectory
// pairs of the squared sum of point-to-point distances.
double morris_spread(const readmit::MorrisDesign& design) {
  const std::size_t size = design.factors + 1;
  double total = 0.0;
  for (std::size_t a = 0; a < design.trajectories; ++a) {
    for (std::size_t b = a + 1; b < design.trajectories; ++b) {
      double distance = 0.0;
      for (std::size_t i = 0; i < size; ++i) {
        for (std::size_t j = 0; j < size; ++j) {
          double squares = 0.0;
          for (std::size_t c = 0; c < design.factors; ++c) {
            const double difference = design.points(a * size + i, c) - design.points(b * size + j, c);
            squares += difference * difference;
          }
          distance += std::sqrt(squares);
        }
      }
      total += distance * distance;
    }
  }
  return std::sqrt(total);
}

}  // namespace

TEST_CASE("DesignMatrix is row-major", "[stats][design]") {
  DesignMatrix matrix(2, 3);
  REQUIRE(matrix.values.size() == 6);
  matrix(1, 2) = 7.0;
  matrix(0, 1) = 3.0;
  CHECK(matrix.values[5] == 7.0);
  CHECK(matrix.values[1] == 3.0);
  CHECK(matrix.row(1)[2] == 7.0);
  CHECK(matrix.column(1) == std::vector<double>{3.0, 0.0});
}

TEST_CASE("latin_hypercube puts exactly one point in each stratum of each factor", "[stats][design]") {
  const std::size_t points = 37;
  const DesignMatrix design = readmit::latin_hypercube(points, 5, 2024);
  REQUIRE(design.rows == points);
  REQUIRE(design.cols == 5);
  for (std::size_t c = 0; c < design.cols; ++c) {
    std::set<std::size_t> strata;
    for (std::size_t r = 0; r < points; ++r) {
      const double unit = design(r, c);
      REQUIRE(unit >= 0.0);
      REQUIRE(unit < 1.0);
      strata.insert(static_cast<std::size_t>(std::floor(unit * static_cast<double>(points))));
    }
    CHECK(strata.size() == points);
  }
  CHECK(readmit::latin_hypercube(points, 5, 2024).values == design.values);
  CHECK(readmit::latin_hypercube(points, 5, 2025).values != design.values);
  // Columns are paired independently: not all in the same stratum order.
  CHECK(design.column(0) != design.column(1));
}

TEST_CASE("an integer factor gives each value the same weight in a Latin hypercube", "[stats][design]") {
  // The case: escalate_after in 1..4 over 40 points, which rounding
  // sampled 6/14/14/6 times; equal strata give 10/10/10/10.
  const DesignMatrix unit = readmit::latin_hypercube(40, 1, 7);
  const std::array factors{FactorDistribution::uniform(1, 4, true)};
  const DesignMatrix values = readmit::to_factor_values(unit, factors);
  std::map<double, int> counts;
  for (const double value : values.values) ++counts[value];
  CHECK(counts == std::map<double, int>{{1.0, 10}, {2.0, 10}, {3.0, 10}, {4.0, 10}});
}

TEST_CASE("uniform integer factors split the unit interval into equal strata", "[stats][design]") {
  const FactorDistribution factor = FactorDistribution::uniform(1, 4, true);
  CHECK(factor.value_at(0.0) == 1.0);
  CHECK(factor.value_at(std::nextafter(0.25, 0.0)) == 1.0);
  CHECK(factor.value_at(0.25) == 2.0);
  CHECK(factor.value_at(0.5) == 3.0);
  CHECK(factor.value_at(0.75) == 4.0);
  CHECK(factor.value_at(1.0) == 4.0);
  CHECK(factor.min_value() == 1.0);
  CHECK(factor.max_value() == 4.0);
}

TEST_CASE("continuous distributions invert their CDF", "[stats][design]") {
  // References: scipy 1.10.1 (triang.ppf, loguniform.ppf, norm.ppf, truncnorm.ppf).
  const FactorDistribution uniform = FactorDistribution::uniform(2.0, 6.0);
  CHECK(uniform.value_at(0.0) == 2.0);
  CHECK(uniform.value_at(0.25) == 3.0);
  CHECK(uniform.value_at(1.0) == 6.0);

  const FactorDistribution log_uniform = FactorDistribution::log_uniform(1.0, 100.0);
  CHECK(log_uniform.value_at(0.5) == Approx(10.0).epsilon(1e-14));
  CHECK(log_uniform.value_at(0.3) == Approx(3.9810717055349727).epsilon(1e-14));
  CHECK(log_uniform.value_at(1.0) == Approx(100.0).epsilon(1e-14));

  const FactorDistribution triangular = FactorDistribution::triangular(1.0, 2.0, 5.0);
  CHECK(triangular.value_at(0.25) == Approx(2.0).epsilon(1e-14));  // F(mode) = 1/4
  CHECK(triangular.value_at(0.3) == Approx(2.1017246507621126).epsilon(1e-14));
  CHECK(triangular.value_at(0.8) == Approx(3.450806661517033).epsilon(1e-14));
  CHECK(triangular.value_at(0.0) == 1.0);
  CHECK(triangular.value_at(1.0) == 5.0);

  const FactorDistribution normal = FactorDistribution::normal(3.0, 2.0);
  CHECK(normal.value_at(0.5) == Approx(3.0).margin(1e-14));
  CHECK(normal.value_at(0.975) == Approx(6.919927969080108).epsilon(1e-13));
  // Unbounded tails are cut at probability 2^-53, so the ends stay finite.
  CHECK(normal.value_at(0.0) == Approx(3.0 + 2.0 * -8.209536151601387).epsilon(1e-12));
  CHECK(normal.value_at(1.0) == Approx(3.0 + 2.0 * 8.209536151601387).epsilon(1e-12));

  const FactorDistribution truncated = FactorDistribution::normal(5.0, 2.0, 2.0, 9.0);
  CHECK(truncated.value_at(0.3) == Approx(4.174746235489574).epsilon(1e-13));
  CHECK(truncated.value_at(0.0) == 2.0);
  CHECK(truncated.value_at(1.0) == 9.0);
  // A window far in the upper tail, where Phi(lower) rounds to 1.
  const FactorDistribution far_tail = FactorDistribution::normal(0.0, 1.0, 10.0, 11.0);
  CHECK(far_tail.value_at(0.5) == Approx(10.068409369547618).epsilon(1e-12));
}

TEST_CASE("integer factors take the mass of [k - 1/2, k + 1/2) of the widened distribution", "[stats][design]") {
  // Triangular on [0.5, 3.5] with mode 2: masses of [0.5, 1.5), [1.5, 2.5),
  // [2.5, 3.5] are 2/9, 5/9 and 2/9.
  const FactorDistribution factor = FactorDistribution::triangular(1.0, 2.0, 3.0, true);
  std::map<double, int> counts;
  const int draws = 9000;
  for (int i = 0; i < draws; ++i) ++counts[factor.value_at((i + 0.5) / draws)];
  CHECK(counts == std::map<double, int>{{1.0, 2000}, {2.0, 5000}, {3.0, 2000}});

  const FactorDistribution normal = FactorDistribution::normal(0.0, 1.0, -2.0, 2.0, true);
  CHECK(normal.value_at(0.5) == 0.0);
  CHECK(normal.value_at(0.0) == -2.0);
  CHECK(normal.value_at(1.0) == 2.0);
  const FactorDistribution log_uniform = FactorDistribution::log_uniform(1.0, 1000.0, true);
  CHECK(log_uniform.value_at(0.0) == 1.0);
  CHECK(log_uniform.value_at(1.0) == 1000.0);
  CHECK(std::floor(log_uniform.value_at(0.6)) == log_uniform.value_at(0.6));
}

TEST_CASE("discrete factors split the unit interval by weight", "[stats][design]") {
  const FactorDistribution equal = FactorDistribution::discrete({0.5, 0.7, 0.9});
  CHECK(equal.value_at(0.0) == 0.5);
  CHECK(equal.value_at(0.34) == 0.7);
  CHECK(equal.value_at(0.99) == 0.9);
  CHECK(equal.value_at(1.0) == 0.9);

  const FactorDistribution weighted = FactorDistribution::discrete({10.0, 20.0, 30.0, 40.0}, {1.0, 0.0, 3.0, 0.0});
  CHECK(weighted.value_at(0.0) == 10.0);
  CHECK(weighted.value_at(0.2499) == 10.0);
  CHECK(weighted.value_at(0.25) == 30.0);
  CHECK(weighted.value_at(1.0) == 30.0);
  CHECK(weighted.min_value() == 10.0);
  CHECK(weighted.max_value() == 30.0);
}

TEST_CASE("distribution parameters are validated with clear messages", "[stats][design]") {
  using Catch::Matchers::Message;
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_MATCHES(FactorDistribution::uniform(3, 1), std::invalid_argument,
                       Message("uniform: expected lower < upper, found lower 3 and upper 1"));
  CHECK_THROWS_MATCHES(FactorDistribution::uniform(0, inf), std::invalid_argument,
                       Message("uniform: expected finite lower and upper, found lower 0 and upper Inf"));
  CHECK_THROWS_MATCHES(FactorDistribution::uniform(1, 4.5, true), std::invalid_argument,
                       Message("uniform: an integer factor needs integer bounds, found upper 4.5"));
  CHECK_THROWS_MATCHES(FactorDistribution::log_uniform(0, 10), std::invalid_argument,
                       Message("log_uniform: expected lower > 0, found lower 0"));
  CHECK_THROWS_MATCHES(FactorDistribution::normal(0, 0), std::invalid_argument,
                       Message("normal: expected a finite sd > 0, found 0"));
  CHECK_THROWS_MATCHES(FactorDistribution::normal(0, 1, 2, 1), std::invalid_argument,
                       Message("normal: expected truncation bounds lower < upper, found lower 2 and upper 1"));
  CHECK_THROWS_MATCHES(FactorDistribution::normal(0, 1, 100, 101), std::invalid_argument,
                       Message("normal: the truncation bounds [100, 101] hold no probability for mean 0 and sd 1"));
  CHECK_THROWS_MATCHES(FactorDistribution::triangular(0, 3, 2), std::invalid_argument,
                       Message("triangular: expected lower <= mode <= upper, found mode 3 outside [0, 2]"));
  CHECK_THROWS_MATCHES(FactorDistribution::discrete({}), std::invalid_argument,
                       Message("discrete: expected at least one value, found none"));
  CHECK_THROWS_MATCHES(FactorDistribution::discrete({1.0, 2.0}, {1.0}), std::invalid_argument,
                       Message("discrete: expected one weight per value, found 1 weights for 2 values"));
  CHECK_THROWS_MATCHES(FactorDistribution::discrete({1.0, 2.0}, {1.0, -1.0}), std::invalid_argument,
                       Message("discrete: expected finite weights >= 0, found -1 at index 1"));
  CHECK_THROWS_MATCHES(FactorDistribution::discrete({1.0, 2.0}, {0.0, 0.0}), std::invalid_argument,
                       Message("discrete: expected a finite positive total weight"));
  CHECK_THROWS_MATCHES(FactorDistribution::uniform(0, 1).value_at(1.5), std::invalid_argument,
                       Message("value_at: expected a unit coordinate in [0, 1], found 1.5"));

  // A hand-filled struct is validated when used.
  FactorDistribution hand_filled;
  hand_filled.kind = FactorDistribution::Kind::discrete;
  hand_filled.values = {1.0};
  hand_filled.integer = true;
  CHECK_THROWS_MATCHES(hand_filled.value_at(0.5), std::invalid_argument,
                       Message("discrete: `integer` does not apply (the values are listed)"));
  DesignMatrix outside(2, 1);
  outside(1, 0) = -0.25;
  const std::array factors{FactorDistribution::uniform(0, 1)};
  CHECK_THROWS_MATCHES(readmit::to_factor_values(outside, factors), std::invalid_argument,
                       Message("to_factor_values: expected unit coordinates in [0, 1], found -0.25 at point 1, factor "
                               "0"));
  CHECK_THROWS_MATCHES(readmit::to_factor_values(DesignMatrix(2, 2), factors), std::invalid_argument,
                       Message("to_factor_values: expected one distribution per column, found 1 distributions for "
                               "2 columns"));
}

TEST_CASE("sobol_sequence gives the published points", "[stats][design]") {
  // Joe & Kuo (2008) new-joe-kuo-6.21201 in Gray-code order, as printed by
  // their sobol.cc and by scipy 1.10.1 qmc.Sobol(d, scramble=False).
  const DesignMatrix design = readmit::sobol_sequence(8, 6);
  const std::vector<std::vector<double>> expected{
      {0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
      {0.5, 0.5, 0.5, 0.5, 0.5, 0.5},
      {0.75, 0.25, 0.25, 0.25, 0.75, 0.75},
      {0.25, 0.75, 0.75, 0.75, 0.25, 0.25},
      {0.375, 0.375, 0.625, 0.875, 0.375, 0.125},
      {0.875, 0.875, 0.125, 0.375, 0.875, 0.625},
      {0.625, 0.125, 0.875, 0.625, 0.625, 0.875},
      {0.125, 0.625, 0.375, 0.125, 0.125, 0.375},
  };
  for (std::size_t r = 0; r < expected.size(); ++r) {
    CHECK(std::vector<double>(design.row(r).begin(), design.row(r).end()) == expected[r]);
  }
  // Every bit of all 256 dimensions, against scipy (the sum in fingerprint()
  // computed there with Python integers).
  CHECK(fingerprint(readmit::sobol_sequence(1024, 256)) == 180965732597628928ULL);
  CHECK(fingerprint(readmit::sobol_sequence(100, 256, 12345)) == 356348340643823616ULL);
  const DesignMatrix far = readmit::sobol_sequence(10, 256, (std::size_t{1} << 29) + 12345);
  CHECK(fingerprint(far) == 3893988396350056ULL);
  CHECK(far(0, 0) == 0.6409301785752177);
  // Skipping continues the same sequence.
  const DesignMatrix all = readmit::sobol_sequence(64, 3);
  const DesignMatrix tail = readmit::sobol_sequence(20, 3, 44);
  CHECK(std::vector<double>(all.values.begin() + 44 * 3, all.values.end()) == tail.values);
}

TEST_CASE("a power-of-two Sobol sample stratifies every dimension", "[stats][design]") {
  const std::size_t points = 256;
  const DesignMatrix design = readmit::sobol_sequence(points, readmit::sobol_max_dimensions());
  for (std::size_t c = 0; c < design.cols; ++c) {
    std::set<std::size_t> strata;
    for (std::size_t r = 0; r < points; ++r) strata.insert(static_cast<std::size_t>(design(r, c) * points));
    REQUIRE(strata.size() == points);
  }
}

TEST_CASE("sobol_sequence rejects sizes it cannot give", "[stats][design]") {
  using Catch::Matchers::Message;
  CHECK(readmit::sobol_max_dimensions() >= 80);  // Saltelli designs for 40 factors
  CHECK_THROWS_MATCHES(readmit::sobol_sequence(4, 257), std::invalid_argument,
                       Message("sobol_sequence: at most 256 dimensions are supported, found 257"));
  CHECK_THROWS_MATCHES(readmit::sobol_sequence(0, 2), std::invalid_argument,
                       Message("sobol_sequence: expected at least one point and one factor, found 0 points and 2 "
                               "dimensions"));
  CHECK_THROWS_MATCHES(readmit::sobol_sequence(2, 1, std::size_t{1} << 32), std::invalid_argument,
                       Message("sobol_sequence: at most 2^32 points are supported, found skip 4294967296 and 2 "
                               "points"));
  CHECK_THROWS_MATCHES(readmit::saltelli_design(8, 129), std::invalid_argument,
                       Message("saltelli_design: at most 128 factors are supported (the design needs two Sobol "
                               "dimensions per factor), found 129"));
}

TEST_CASE("saltelli_design lays rows out as SALib does without second order", "[stats][design]") {
  const std::size_t base_points = 8;
  const std::size_t factors = 3;
  const DesignMatrix design = readmit::saltelli_design(base_points, factors, 4);
  const DesignMatrix sobol = readmit::sobol_sequence(base_points, 2 * factors, 4);
  REQUIRE(design.rows == base_points * (factors + 2));
  REQUIRE(design.cols == factors);
  for (std::size_t j = 0; j < base_points; ++j) {
    const std::size_t block = j * (factors + 2);
    for (std::size_t c = 0; c < factors; ++c) {
      CHECK(design(block, c) == sobol(j, c));                          // A_j
      CHECK(design(block + factors + 1, c) == sobol(j, factors + c));  // B_j
      for (std::size_t i = 0; i < factors; ++i) {                      // AB_j^i: column i from B
        CHECK(design(block + 1 + i, c) == (c == i ? sobol(j, factors + c) : sobol(j, c)));
      }
    }
  }
}

TEST_CASE("Morris trajectories move one factor at a time by the grid jump", "[stats][design]") {
  const std::size_t trajectories = 12;
  const std::size_t factors = 5;
  const std::size_t levels = 4;
  const readmit::MorrisDesign design = readmit::morris_trajectories(trajectories, factors, levels, 99);
  REQUIRE(design.points.rows == trajectories * (factors + 1));
  REQUIRE(design.points.cols == factors);
  REQUIRE(design.steps.size() == trajectories * factors);
  CHECK(design.jump == 4.0 / 6.0);
  for (std::size_t r = 0; r < design.points.rows; ++r) {
    for (std::size_t c = 0; c < factors; ++c) {
      const double level = design.points(r, c) * static_cast<double>(levels - 1);
      CHECK(std::fabs(level - std::round(level)) < 1e-12);  // on the grid
      CHECK(design.points(r, c) >= 0.0);
      CHECK(design.points(r, c) <= 1.0);
    }
  }
  for (std::size_t t = 0; t < trajectories; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t s = 0; s < factors; ++s) {
      const readmit::MorrisStep step = design.steps[t * factors + s];
      const std::size_t row = t * (factors + 1) + s;
      moved.insert(step.factor);
      CHECK(std::fabs(step.delta) == design.jump);
      for (std::size_t c = 0; c < factors; ++c) {
        const double change = design.points(row + 1, c) - design.points(row, c);
        if (c == step.factor) {
          // The grid values are k / 3, so the difference carries rounding.
          CHECK(change == Approx(step.delta).epsilon(1e-15));
        } else {
          CHECK(change == 0.0);
        }
      }
    }
    CHECK(moved.size() == factors);
  }
  CHECK(readmit::morris_trajectories(trajectories, factors, levels, 99).points.values == design.points.values);
  CHECK(readmit::morris_trajectories(trajectories, factors, levels, 100).points.values != design.points.values);
}

TEST_CASE("Morris candidate selection keeps well-spread trajectories", "[stats][design]") {
  const readmit::MorrisDesign plain = readmit::morris_trajectories(6, 4, 4, 5);
  const readmit::MorrisDesign selected = readmit::morris_trajectories(6, 4, 4, 5, 40);
  REQUIRE(selected.points.rows == plain.points.rows);
  CHECK(morris_spread(selected) > 1.1 * morris_spread(plain));
  using Catch::Matchers::Message;
  CHECK_THROWS_MATCHES(readmit::morris_trajectories(6, 4, 5, 5), std::invalid_argument,
                       Message("morris_trajectories: expected an even number of levels >= 2, found 5"));
  CHECK_THROWS_MATCHES(readmit::morris_trajectories(6, 4, 4, 5, 3), std::invalid_argument,
                       Message("morris_trajectories: expected at least as many candidates as trajectories, found 3 "
                               "candidates for 6 trajectories"));
}
