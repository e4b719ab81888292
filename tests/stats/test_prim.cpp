#include "readmit/stats/prim.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "readmit/stats/design.hpp"

using readmit::DesignMatrix;
using readmit::PrimOptions;

namespace {

// 1000 Latin hypercube points in [0, 1]^3; when `integer_third`, the third
// factor becomes an integer in 1..10. Of interest inside `box`, with 5% of
// labels flipped (deterministically) so that peels are not all ties.
struct Synthetic {
  DesignMatrix x;
  std::vector<unsigned char> y;
};

template <typename Inside>
Synthetic synthetic(bool integer_third, bool noisy, Inside inside) {
  Synthetic data{readmit::latin_hypercube(1000, 3, 17), std::vector<unsigned char>(1000)};
  for (std::size_t r = 0; r < data.x.rows; ++r) {
    if (integer_third) data.x(r, 2) = std::floor(data.x(r, 2) * 10) + 1;
    const bool flip = noisy && (r * 2654435761U) % 100 < 5;
    data.y[r] = static_cast<unsigned char>(inside(data.x.row(r)) != flip);
  }
  return data;
}

bool in_reference_box(std::span<const double> x) { return x[0] >= 0.2 && x[0] <= 0.6 && x[1] >= 0.5; }

}  // namespace

TEST_CASE("PRIM recovers a box within the peel resolution", "[stats][prim]") {
  const Synthetic data = synthetic(false, false, in_reference_box);
  PrimOptions options;
  options.threshold_density = 0.95;
  const readmit::PrimResult result = readmit::prim(data.x, data.y, options);
  REQUIRE(!result.boxes.empty());
  const readmit::PrimStep& box = result.boxes[0].box();
  // The box holds 20% of the points. A peel removes 5% of a box's points from
  // one side, so a limit lands within about 0.05 x (box width) of the true
  // edge, and a density threshold of 0.95 lets the box be at most ~5% larger
  // than the true one: 0.03 covers both.
  CHECK(box.restricted == std::vector<std::size_t>{0, 1});
  CHECK(box.lower[0] == Approx(0.2).margin(0.03));
  CHECK(box.upper[0] == Approx(0.6).margin(0.03));
  CHECK(box.lower[1] == Approx(0.5).margin(0.03));
  const std::vector<double> second = data.x.column(1);
  CHECK(box.upper[1] == *std::max_element(second.begin(), second.end()));  // unrestricted
  CHECK(box.density >= 0.95);
  CHECK(box.coverage >= 0.9);
  CHECK(box.mass == Approx(0.2).margin(0.03));
  CHECK(std::isnan(result.boxes[0].lower_quasi_p[2]));
  CHECK(result.boxes[0].lower_quasi_p[0] < 1e-6);
  // The trajectory starts from all points and ends at the densest box.
  const readmit::PrimStep& first = result.boxes[0].trajectory.front();
  CHECK(first.points == 1000);
  CHECK(first.coverage == 1.0);
  CHECK(first.restricted.empty());
  CHECK(result.boxes[0].trajectory.back().density == 1.0);
}

TEST_CASE("PRIM's trajectory equals the EMA Workbench's", "[stats][prim]") {
  // Reference: ema_workbench.analysis.prim.Prim(x, y).find_box() (EMA
  // Workbench commit 819a4b6, defaults: lenient1, peel and paste alpha 0.05,
  // mass_min 0.05) on these very points, read with pandas' round-trip float
  // parser: 43 steps, the last three pastes. Limits and statistics agree to
  // the last bit; quasi p-values to rounding (Boost vs scipy).
  const Synthetic data = synthetic(false, true, in_reference_box);
  PrimOptions options;
  options.threshold_density = 0.93;
  options.max_boxes = 1;
  const readmit::PrimResult result = readmit::prim(data.x, data.y, options);
  REQUIRE(result.boxes.size() == 1);
  const readmit::PrimBox& box = result.boxes[0];
  REQUIRE(box.trajectory.size() == 43);
  struct Expected {
    std::size_t step, points, hits;
    double coverage, density, mass;
    std::array<double, 6> limits;
  };
  const std::array<Expected, 3> expected{{
      {20,
       353,
       187,
       0.8657407407407407,
       0.5297450424929179,
       0.353,
       {0.2014480879443009, 0.622857767550153, 0.14010676832215518, 0.999634579973679, 0.0005305945259972081,
        0.9992067613707546}},
      {35,
       159,
       148,
       0.6851851851851852,
       0.9308176100628931,
       0.159,
       {0.22566002073798755, 0.5750898957038209, 0.5590728935213076, 0.999634579973679, 0.0005305945259972081,
        0.9992067613707546}},
      {42,
       148,
       139,
       0.6435185185185185,
       0.9391891891891891,
       0.148,
       {0.22566002073798755, 0.5750898957038209, 0.5767856409717769, 0.999634579973679, 0.02992425138268484,
        0.9992067613707546}},
  }};
  for (const Expected& e : expected) {
    INFO("step " << e.step);
    const readmit::PrimStep& step = box.trajectory[e.step];
    CHECK(step.points == e.points);
    CHECK(step.points_of_interest == e.hits);
    CHECK(step.coverage == Approx(e.coverage).epsilon(1e-15));
    CHECK(step.density == Approx(e.density).epsilon(1e-15));
    CHECK(step.mass == Approx(e.mass).epsilon(1e-15));
    for (std::size_t c = 0; c < 3; ++c) {
      CHECK(step.lower[c] == e.limits[2 * c]);
      CHECK(step.upper[c] == e.limits[2 * c + 1]);
    }
  }
  // Threshold 0.93: step 35 is the first to reach it, with the highest
  // coverage of those that do. Quasi p-values as the EMA Workbench's
  // (scipy.stats.binomtest, alternative="greater"); its -1 is our NaN.
  CHECK(box.selected == 35);
  CHECK(box.lower_quasi_p[0] == Approx(1.3529854818293148e-19).epsilon(1e-9));
  CHECK(box.upper_quasi_p[0] == Approx(3.1576050415430755e-36).epsilon(1e-9));
  CHECK(box.lower_quasi_p[1] == Approx(5.879236542274555e-33).epsilon(1e-9));
  CHECK(std::isnan(box.upper_quasi_p[1]));
  CHECK(std::isnan(box.lower_quasi_p[2]));
}

TEST_CASE("PRIM peels whole values of an integer factor", "[stats][prim]") {
  // Of interest where x0 < 0.5 and the integer x2 is 3..6. Reference: the EMA
  // Workbench with x2 as an integer column (29 steps).
  const Synthetic data =
      synthetic(true, true, [](std::span<const double> x) { return x[0] < 0.5 && x[2] >= 3 && x[2] <= 6; });
  PrimOptions options;
  options.whole_value_factors = {0, 0, 1};
  options.threshold_density = 0.6;
  const readmit::PrimResult result = readmit::prim(data.x, data.y, options);
  REQUIRE(!result.boxes.empty());
  const readmit::PrimBox& box = result.boxes[0];
  REQUIRE(box.trajectory.size() == 29);
  for (const readmit::PrimStep& step : box.trajectory) {
    CHECK(std::floor(step.lower[2]) == step.lower[2]);
    CHECK(std::floor(step.upper[2]) == step.upper[2]);
  }
  const readmit::PrimStep& step10 = box.trajectory[10];
  CHECK(step10.points == 324);
  CHECK(step10.lower[2] == 3.0);
  CHECK(step10.upper[2] == 6.0);
  CHECK(step10.upper[0] == 0.8158878576883613);
  const readmit::PrimStep& last = box.trajectory.back();
  CHECK(last.points == 89);
  CHECK(last.points_of_interest == 86);
  CHECK(last.lower[2] == 5.0);
  CHECK(last.upper[2] == 6.0);
  // With threshold 0.6 the selected box keeps all of 3..6.
  CHECK(box.box().lower[2] == 3.0);
  CHECK(box.box().upper[2] == 6.0);
}

TEST_CASE("PRIM covers two separate regions with two boxes", "[stats][prim]") {
  // A large region (mass 0.25) and a small one (0.02) that PRIM can reach
  // once the first box's points are removed.
  const Synthetic data = synthetic(false, false, [](std::span<const double> x) {
    return (x[0] < 0.5 && x[1] < 0.5) || (x[0] > 0.8 && x[1] > 0.8 && x[2] > 0.5);
  });
  PrimOptions options;
  options.threshold_density = 0.9;
  options.min_mass = 0.01;
  const readmit::PrimResult result = readmit::prim(data.x, data.y, options);
  REQUIRE(result.boxes.size() == 2);
  CHECK(result.total_coverage > 0.95);
  CHECK(result.total_density > 0.9);
  // Limits within 0.05: a peel step of the smaller box's width, or the
  // slack the density threshold leaves.
  const readmit::PrimStep& large = result.boxes[0].box();
  CHECK(large.restricted == std::vector<std::size_t>{0, 1});
  CHECK(large.upper[0] == Approx(0.5).margin(0.05));
  CHECK(large.upper[1] == Approx(0.5).margin(0.05));
  const readmit::PrimStep& small = result.boxes[1].box();
  CHECK(small.lower[0] == Approx(0.8).margin(0.05));
  CHECK(small.lower[1] == Approx(0.8).margin(0.05));
  CHECK(small.lower[2] == Approx(0.5).margin(0.05));
  // The second search ran without the first box's points.
  CHECK(result.boxes[1].trajectory.front().points == 1000 - large.points);
  CHECK(result.total_density == static_cast<double>(large.points_of_interest + small.points_of_interest) /
                                    static_cast<double>(large.points + small.points));
}

TEST_CASE("PRIM with nothing of interest finds no box", "[stats][prim]") {
  const DesignMatrix x = readmit::latin_hypercube(50, 2, 1);
  const std::vector<unsigned char> none(50, 0);
  const readmit::PrimResult result = readmit::prim(x, none, {});
  CHECK(result.boxes.empty());
  CHECK(result.points_of_interest == 0);
}

TEST_CASE("PRIM rejects malformed input", "[stats][prim]") {
  using Catch::Matchers::Message;
  DesignMatrix x = readmit::latin_hypercube(10, 2, 1);
  const std::vector<unsigned char> y(10, 1);
  CHECK_THROWS_MATCHES(readmit::prim(x, std::vector<unsigned char>(9, 1), {}), std::invalid_argument,
                       Message("prim: expected one flag per point, found 9 flags for 10 points"));
  PrimOptions options;
  options.peel_alpha = 0.5;
  CHECK_THROWS_MATCHES(readmit::prim(x, y, options), std::invalid_argument,
                       Message("prim: expected peel_alpha in (0, 0.5), found 0.5"));
  options = {};
  options.threshold_density = 0.0;
  CHECK_THROWS_MATCHES(readmit::prim(x, y, options), std::invalid_argument,
                       Message("prim: expected threshold_density in (0, 1], found 0"));
  options = {};
  options.whole_value_factors = {1};
  CHECK_THROWS_MATCHES(readmit::prim(x, y, options), std::invalid_argument,
                       Message("prim: expected whole_value_factors empty or one flag per factor, found 1 flags for 2 "
                               "factors"));
  DesignMatrix ragged = x;
  ragged.values.push_back(0.5);
  CHECK_THROWS_MATCHES(readmit::prim(ragged, y, {}), std::invalid_argument,
                       Message("prim: a 10x2 design matrix holds 21 values"));
  x(3, 1) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_MATCHES(readmit::prim(x, y, {}), std::invalid_argument,
                       Message("prim: expected finite factor values, found Inf at point 3, factor 1"));
}
