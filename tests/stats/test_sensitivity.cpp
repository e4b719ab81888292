#include "readmit/stats/sensitivity.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include <tbb/global_control.h>
#include <catch2/catch.hpp>

#include "readmit/stats/design.hpp"

using readmit::DesignMatrix;

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// Ishigami & Homma (1990) with a = 7, b = 0.1, on x in [-pi, pi]^3 from
// unit coordinates.
std::vector<double> ishigami(const DesignMatrix& unit) {
  constexpr double pi = std::numbers::pi;
  std::vector<double> y(unit.rows);
  for (std::size_t r = 0; r < unit.rows; ++r) {
    const double x1 = -pi + 2.0 * pi * unit(r, 0);
    const double x2 = -pi + 2.0 * pi * unit(r, 1);
    const double x3 = -pi + 2.0 * pi * unit(r, 2);
    y[r] = std::sin(x1) + 7.0 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
  }
  return y;
}

// Four factors, each a permutation of the 101 cell midpoints, with weights
// 10, 5, 1 and 0 (a dummy), plus a small deterministic disturbance.
struct LinearModel {
  DesignMatrix x{101, 4};
  std::vector<double> y = std::vector<double>(101);
  LinearModel() {
    const std::array<std::size_t, 4> multiplier{17, 29, 43, 59};
    const std::array<std::size_t, 4> offset{3, 50, 71, 11};
    for (std::size_t i = 0; i < 101; ++i) {
      for (std::size_t j = 0; j < 4; ++j)
        x(i, j) = (static_cast<double>((i * multiplier[j] + offset[j]) % 101) + 0.5) / 101.0;
      y[i] = 10.0 * x(i, 0) + 5.0 * x(i, 1) + x(i, 2) + 0.3 * std::sin(7.0 * static_cast<double>(i));
    }
  }
};

// Reference: residuals of the ranks after least squares (numpy.linalg.lstsq,
// with an intercept) on the other factors' ranks (scipy.stats.rankdata),
// correlated; p-values from scipy.stats.t.sf with n - 2 - (k - 1) = 96 df.
// numpy 1.24.2, scipy 1.10.1.
constexpr std::array<double, 4> linear_prcc{0.9901905392395612, 0.9577030170681562, 0.5776767342212499,
                                            0.05746643190373713};
constexpr std::array<double, 4> linear_p{7.240632790717476e-84, 9.879638433606679e-54, 4.735527464987893e-10,
                                         0.5740790414020369};

}  // namespace

TEST_CASE("PRCC gives tied values the mean of their ranks", "[stats][sensitivity]") {
  // An integer factor with 5 values, a continuous one, a 3-valued dummy, and
  // an output with 13 distinct values in 60. Reference as for the linear
  // model (scipy.stats.rankdata averages ties), 56 df.
  const std::size_t n = 60;
  DesignMatrix x(n, 3);
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x(i, 0) = static_cast<double>(i % 5);
    x(i, 1) = (static_cast<double>((i * 23 + 7) % n) + 0.5) / static_cast<double>(n);
    x(i, 2) = static_cast<double>((i * 7) % 3);
    y[i] = std::floor(2.0 * x(i, 0) + 3.0 * x(i, 1) + std::cos(3.0 * static_cast<double>(i)));
  }
  const readmit::PrccAnalysis analysis = readmit::prcc(x, y, 0, 1);
  const std::array<double, 3> expected{0.9664057171768579, 0.7783807438694782, -0.13099408081942257};
  const std::array<double, 3> expected_p{9.965470759576728e-35, 6.422024338727177e-13, 0.32701901702456304};
  for (std::size_t j = 0; j < 3; ++j) {
    CHECK(analysis.factors[j].prcc.value == Approx(expected[j]).epsilon(1e-12));
    CHECK(analysis.factors[j].p_value == Approx(expected_p[j]).epsilon(1e-9));
  }
}

TEST_CASE("PRCC of a linear monotone model matches the residual method", "[stats][sensitivity]") {
  const LinearModel model;
  const readmit::PrccAnalysis analysis = readmit::prcc(model.x, model.y, 500, 42);
  REQUIRE(analysis.points_used == 101);
  REQUIRE(analysis.factors.size() == 4);
  for (std::size_t j = 0; j < 4; ++j) {
    INFO("factor " << j);
    // Two algebraically equal computations (inverse correlation matrix here,
    // four regressions there) agree to rounding.
    CHECK(analysis.factors[j].prcc.value == Approx(linear_prcc[j]).epsilon(1e-12));
    CHECK(analysis.factors[j].p_value == Approx(linear_p[j]).epsilon(1e-9));
    CHECK(analysis.factors[j].prcc.ci_low <= analysis.factors[j].prcc.value);
    CHECK(analysis.factors[j].prcc.ci_high >= analysis.factors[j].prcc.value);
  }
  // The known answer: strong factors near 1 in the order of their weights,
  // significant; the dummy near 0 (|r| < 2/sqrt(n)), not significant, and its
  // interval covers 0.
  CHECK(analysis.factors[0].prcc.value > 0.98);
  CHECK(analysis.factors[1].prcc.value > 0.95);
  CHECK(analysis.factors[0].prcc.value > analysis.factors[1].prcc.value);
  CHECK(analysis.factors[1].prcc.value > analysis.factors[2].prcc.value);
  CHECK(analysis.factors[2].p_value < 1e-6);
  CHECK(std::fabs(analysis.factors[3].prcc.value) < 2.0 / std::sqrt(101.0));
  CHECK(analysis.factors[3].p_value > 0.05);
  CHECK(analysis.factors[3].prcc.ci_low < 0.0);
  CHECK(analysis.factors[3].prcc.ci_high > 0.0);
  CHECK(analysis.factors[0].prcc.ci_low > 0.97);

  // The bootstrap is a function of the seed.
  const readmit::PrccAnalysis again = readmit::prcc(model.x, model.y, 500, 42);
  const readmit::PrccAnalysis other_seed = readmit::prcc(model.x, model.y, 500, 43);
  CHECK(again.factors[2].prcc.ci_low == analysis.factors[2].prcc.ci_low);
  CHECK(other_seed.factors[2].prcc.ci_low != analysis.factors[2].prcc.ci_low);
  const readmit::PrccAnalysis no_bootstrap = readmit::prcc(model.x, model.y, 0, 42);
  CHECK(no_bootstrap.factors[0].prcc.value == analysis.factors[0].prcc.value);
  CHECK(std::isnan(no_bootstrap.factors[0].prcc.ci_low));
}

TEST_CASE("PRCC intervals do not depend on the thread count", "[stats][sensitivity]") {
  const LinearModel model;
  auto intervals = [&](std::size_t threads) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    std::vector<double> ends;
    for (const readmit::PrccResult& result : readmit::prcc(model.x, model.y, 200, 9).factors) {
      ends.push_back(result.prcc.ci_low);
      ends.push_back(result.prcc.ci_high);
    }
    return ends;
  };
  const std::vector<double> one_thread = intervals(1);
  CHECK(intervals(2) == one_thread);
  CHECK(intervals(4) == one_thread);
}

TEST_CASE("PRCC with collinear or constant factors", "[stats][sensitivity]") {
  const LinearModel model;
  // Factor 0 twice, then 1, 2, 3, then a constant: the duplicate spans nothing
  // new, so the others keep their PRCC; the duplicated pair and the constant
  // are undefined.
  DesignMatrix x(101, 6);
  for (std::size_t i = 0; i < 101; ++i) {
    x(i, 0) = x(i, 1) = model.x(i, 0);
    for (std::size_t j = 1; j < 4; ++j) x(i, j + 1) = model.x(i, j);
    x(i, 5) = 2.5;
  }
  const readmit::PrccAnalysis analysis = readmit::prcc(x, model.y, 50, 1);
  CHECK(std::isnan(analysis.factors[0].prcc.value));
  CHECK(std::isnan(analysis.factors[1].prcc.value));
  CHECK(std::isnan(analysis.factors[5].prcc.value));
  CHECK(std::isnan(analysis.factors[5].p_value));
  CHECK(std::isnan(analysis.factors[5].prcc.ci_low));
  for (std::size_t j = 1; j < 4; ++j) CHECK(analysis.factors[j + 1].prcc.value == Approx(linear_prcc[j]).epsilon(1e-9));

  // A constant output has no rank correlation with anything.
  const std::vector<double> flat(101, 4.0);
  for (const readmit::PrccResult& result : readmit::prcc(model.x, flat, 10, 1).factors) {
    CHECK(std::isnan(result.prcc.value));
  }
}

TEST_CASE("PRCC drops points whose output is not finite", "[stats][sensitivity]") {
  const LinearModel model;
  std::vector<double> y = model.y;
  y[10] = not_a_number;
  y[50] = std::numeric_limits<double>::infinity();
  DesignMatrix kept(99, 4);
  std::vector<double> kept_y;
  for (std::size_t i = 0, r = 0; i < 101; ++i) {
    if (i == 10 || i == 50) continue;
    for (std::size_t j = 0; j < 4; ++j) kept(r, j) = model.x(i, j);
    kept_y.push_back(model.y[i]);
    ++r;
  }
  const readmit::PrccAnalysis with_gaps = readmit::prcc(model.x, y, 0, 1);
  const readmit::PrccAnalysis reference = readmit::prcc(kept, kept_y, 0, 1);
  CHECK(with_gaps.points_used == 99);
  for (std::size_t j = 0; j < 4; ++j) CHECK(with_gaps.factors[j].prcc.value == reference.factors[j].prcc.value);

  // Fewer than k + 2 usable points: undefined, not an error.
  std::vector<double> sparse(101, not_a_number);
  for (std::size_t i = 0; i < 5; ++i) sparse[i] = model.y[i];
  const readmit::PrccAnalysis too_few = readmit::prcc(model.x, sparse, 10, 1);
  CHECK(too_few.points_used == 5);
  CHECK(std::isnan(too_few.factors[0].prcc.value));
}

TEST_CASE("PRCC rejects malformed input", "[stats][sensitivity]") {
  using Catch::Matchers::Message;
  const LinearModel model;
  const std::vector<double> short_y(100, 1.0);
  CHECK_THROWS_MATCHES(readmit::prcc(model.x, short_y, 0, 1), std::invalid_argument,
                       Message("prcc: expected one output per point, found 100 outputs for 101 points"));
  DesignMatrix x = model.x;
  x(7, 2) = not_a_number;
  CHECK_THROWS_MATCHES(readmit::prcc(x, model.y, 0, 1), std::invalid_argument,
                       Message("prcc: expected finite factor values, found NA at point 7, factor 2"));
  DesignMatrix ragged = model.x;
  ragged.values.pop_back();
  CHECK_THROWS_MATCHES(readmit::prcc(ragged, model.y, 0, 1), std::invalid_argument,
                       Message("prcc: a 101x4 design matrix holds 403 values"));
  CHECK_THROWS_MATCHES(readmit::prcc(model.x, model.y, 0, 1, 1.0), std::invalid_argument,
                       Message("prcc: expected a confidence level in (0, 1), found 1"));
}

TEST_CASE("Sobol indices of the Ishigami function", "[stats][sensitivity]") {
  // Analytic values (Ishigami & Homma 1990; Sobol & Levitan 1999) for a = 7,
  // b = 0.1: V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2.
  constexpr double pi = std::numbers::pi;
  const double variance = 49.0 / 8.0 + 0.1 * std::pow(pi, 4) / 5.0 + 0.01 * std::pow(pi, 8) / 18.0 + 0.5;
  const double v1 = 0.5 * std::pow(1.0 + 0.1 * std::pow(pi, 4) / 5.0, 2);
  const double v2 = 49.0 / 8.0;
  const double v13 = 0.01 * std::pow(pi, 8) * (1.0 / 18.0 - 1.0 / 50.0);
  const std::array<double, 3> first{v1 / variance, v2 / variance, 0.0};
  const std::array<double, 3> total{(v1 + v13) / variance, v2 / variance, v13 / variance};

  // 2^14 base points (81,920 evaluations): the error of each index is about
  // 0.002 here, and its bootstrap standard error about 0.007; 0.01 leaves
  // room for both while still telling S1 = 0.314 from ST = 0.558.
  const std::size_t base_points = 1 << 14;
  const std::vector<double> y = ishigami(readmit::saltelli_design(base_points, 3));
  const readmit::SobolAnalysis analysis = readmit::sobol_indices(y, 3, 200, 7);
  REQUIRE(analysis.base_points_used == base_points);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("factor " << i);
    const readmit::SobolIndices& indices = analysis.factors[i];
    CHECK(indices.first_order.value == Approx(first[i]).margin(0.01));
    CHECK(indices.total.value == Approx(total[i]).margin(0.01));
    CHECK(indices.first_order.ci_low <= first[i]);
    CHECK(indices.first_order.ci_high >= first[i]);
    CHECK(indices.total.ci_low <= total[i]);
    CHECK(indices.total.ci_high >= total[i]);
  }
}

TEST_CASE("Sobol indices equal SALib's on the same outputs", "[stats][sensitivity]") {
  // SALib 1.5.2 (commit 1c37548): sobol.sample(problem, 1024,
  // calc_second_order=False, scramble=False) gives this very design, and
  // sobol.analyze(problem, Y, calc_second_order=False) these indices.
  const std::vector<double> y = ishigami(readmit::saltelli_design(1024, 3));
  const readmit::SobolAnalysis analysis = readmit::sobol_indices(y, 3, 0, 1);
  const std::array<double, 3> salib_first{0.332955075179426, 0.441313938544067, 0.0185784129587194};
  const std::array<double, 3> salib_total{0.558179045711466, 0.443284584030348, 0.242149373354965};
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(analysis.factors[i].first_order.value == Approx(salib_first[i]).margin(1e-13));
    CHECK(analysis.factors[i].total.value == Approx(salib_total[i]).margin(1e-13));
    CHECK(std::isnan(analysis.factors[i].total.ci_low));
  }
}

TEST_CASE("Sobol indices drop base points with a non-finite output", "[stats][sensitivity]") {
  std::vector<double> y = ishigami(readmit::saltelli_design(64, 3));
  std::vector<double> without(y.begin(), y.begin() + 5 * 5);  // base points 0-4
  without.insert(without.end(), y.begin() + 6 * 5, y.end());  // 6-63
  y[5 * 5 + 2] = not_a_number;                                // base point 5, row AB^2
  const readmit::SobolAnalysis with_gap = readmit::sobol_indices(y, 3, 20, 3);
  const readmit::SobolAnalysis reference = readmit::sobol_indices(without, 3, 20, 3);
  CHECK(with_gap.base_points_used == 63);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(with_gap.factors[i].first_order.value == reference.factors[i].first_order.value);
    CHECK(with_gap.factors[i].total.ci_high == reference.factors[i].total.ci_high);
  }
  // A constant output has no variance to apportion.
  const std::vector<double> flat(64 * 5, 1.0);
  CHECK(std::isnan(readmit::sobol_indices(flat, 3, 0, 1).factors[0].first_order.value));
  using Catch::Matchers::Message;
  CHECK_THROWS_MATCHES(readmit::sobol_indices(std::vector<double>(11, 1.0), 3, 0, 1), std::invalid_argument,
                       Message("sobol_indices: expected outputs in blocks of factors + 2 = 5, found 11 outputs"));
}

TEST_CASE("Morris effects of a linear function are its coefficients", "[stats][sensitivity]") {
  const readmit::MorrisDesign design = readmit::morris_trajectories(10, 4, 6, 3);
  const std::array<double, 4> coefficients{3.0, -2.0, 0.5, 0.0};
  std::vector<double> y(design.points.rows);
  for (std::size_t r = 0; r < y.size(); ++r) {
    for (std::size_t c = 0; c < 4; ++c) y[r] += coefficients[c] * design.points(r, c);
  }
  const std::vector<readmit::MorrisEffect> effects = readmit::morris_effects(design, y, 100, 1);
  for (std::size_t c = 0; c < 4; ++c) {
    CHECK(effects[c].effects_used == 10);
    CHECK(effects[c].mu == Approx(coefficients[c]).margin(1e-12));
    CHECK(effects[c].mu_star.value == Approx(std::fabs(coefficients[c])).margin(1e-12));
    CHECK(effects[c].sigma == Approx(0.0).margin(1e-12));
  }
}

TEST_CASE("Morris screening of Sobol's g-function ranks the important factors first", "[stats][sensitivity]") {
  // g(x) = prod (|4 x_i - 2| + a_i) / (1 + a_i): the smaller a_i, the more
  // important x_i (Saltelli et al. 2008, sec. 3.6). a = 0, 1, 4.5, 9, 99, and
  // a sixth factor the function ignores.
  const std::array<double, 5> a{0.0, 1.0, 4.5, 9.0, 99.0};
  const readmit::MorrisDesign design = readmit::morris_trajectories(40, 6, 4, 2024, 200);
  std::vector<double> y(design.points.rows, 1.0);
  for (std::size_t r = 0; r < y.size(); ++r) {
    for (std::size_t c = 0; c < a.size(); ++c)
      y[r] *= (std::fabs(4.0 * design.points(r, c) - 2.0) + a[c]) / (1.0 + a[c]);
  }
  const std::vector<readmit::MorrisEffect> effects = readmit::morris_effects(design, y, 200, 5);
  for (std::size_t c = 0; c + 1 < a.size(); ++c) {
    INFO("factor " << c);
    CHECK(effects[c].mu_star.value > effects[c + 1].mu_star.value);
  }
  CHECK(effects[4].mu_star.value < 0.05 * effects[0].mu_star.value);
  CHECK(effects[5].mu_star.value == 0.0);  // the dummy
  CHECK(effects[5].sigma == 0.0);
  CHECK(effects[0].mu_star.ci_low <= effects[0].mu_star.value);
  CHECK(effects[0].mu_star.ci_high >= effects[0].mu_star.value);
  CHECK(effects[0].mu_star.ci_low > effects[2].mu_star.ci_high);
}

TEST_CASE("Morris effects equal SALib's on the same points and outputs", "[stats][sensitivity]") {
  // SALib 1.5.2 morris.analyze(problem, X, Y, num_levels=4) on this design
  // (50 trajectories, 3 factors, seed 11) with Ishigami outputs.
  const readmit::MorrisDesign design = readmit::morris_trajectories(50, 3, 4, 11);
  const std::vector<double> y = ishigami(design.points);
  const std::vector<readmit::MorrisEffect> effects = readmit::morris_effects(design, y, 0, 1);
  const std::array<double, 3> mu{7.95400595572643, -0.630000000000002, 0.749855532399974};
  const std::array<double, 3> mu_star{7.95400595572643, 7.875, 5.74889241506647};
  const std::array<double, 3> sigma{6.30718547280907, 7.92945458401774, 8.52876463791835};
  for (std::size_t c = 0; c < 3; ++c) {
    CHECK(effects[c].mu == Approx(mu[c]).epsilon(1e-12));
    CHECK(effects[c].mu_star.value == Approx(mu_star[c]).epsilon(1e-12));
    CHECK(effects[c].sigma == Approx(sigma[c]).epsilon(1e-12));
  }
}

TEST_CASE("Morris effects skip steps with a non-finite output", "[stats][sensitivity]") {
  const readmit::MorrisDesign design = readmit::morris_trajectories(5, 3, 4, 8);
  std::vector<double> y(design.points.rows);
  for (std::size_t r = 0; r < y.size(); ++r) y[r] = design.points(r, 0) + 2.0 * design.points(r, 1);
  y[1] = not_a_number;  // trajectory 0: the steps into and out of row 1
  const std::vector<readmit::MorrisEffect> effects = readmit::morris_effects(design, y, 0, 1);
  CHECK(effects[design.steps[0].factor].effects_used == 4);
  CHECK(effects[design.steps[1].factor].effects_used == 4);
  CHECK(effects[design.steps[2].factor].effects_used == 5);
  CHECK(effects[0].mu == Approx(1.0).margin(1e-12));

  using Catch::Matchers::Message;
  CHECK_THROWS_MATCHES(readmit::morris_effects(design, std::vector<double>(3, 0.0), 0, 1), std::invalid_argument,
                       Message("morris_effects: expected one output per point, found 3 outputs for 20 points"));
  readmit::MorrisDesign broken = design;
  broken.steps.pop_back();
  CHECK_THROWS_MATCHES(readmit::morris_effects(broken, y, 0, 1), std::invalid_argument,
                       Message("morris_effects: inconsistent design: 5 trajectories of 3 factors need 20 points and "
                               "15 steps, found 20x3 points and 14 steps"));
}
