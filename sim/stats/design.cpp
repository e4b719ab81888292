#include "readmit/stats/design.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <boost/math/distributions/normal.hpp>

#include "random_index.hpp"
#include "readmit/util/mix.hpp"
#include "readmit/util/text.hpp"
#include "sobol_directions.hpp"

namespace readmit {
namespace {

using detail::random_index;

[[noreturn]] void invalid(const std::string& message) { throw std::invalid_argument(message); }

bool is_integral(double value) {
  return std::isfinite(value) && std::floor(value) == value && std::fabs(value) < 0x1p53;
}

const char* kind_name(FactorDistribution::Kind kind) {
  switch (kind) {
    case FactorDistribution::Kind::uniform:
      return "uniform";
    case FactorDistribution::Kind::log_uniform:
      return "log_uniform";
    case FactorDistribution::Kind::normal:
      return "normal";
    case FactorDistribution::Kind::triangular:
      return "triangular";
    case FactorDistribution::Kind::discrete:
      return "discrete";
  }
  return "unknown";
}

// "uniform: expected lower < upper, found lower 3 and upper 1"
void check_bounds(const FactorDistribution& factor) {
  const std::string name = kind_name(factor.kind);
  if (!std::isfinite(factor.lower) || !std::isfinite(factor.upper)) {
    invalid(name + ": expected finite lower and upper, found lower " + format_number(factor.lower) + " and upper " +
            format_number(factor.upper));
  }
  if (!(factor.lower < factor.upper)) {
    invalid(name + ": expected lower < upper, found lower " + format_number(factor.lower) + " and upper " +
            format_number(factor.upper));
  }
}

void check_integer_bounds(const FactorDistribution& factor) {
  if (!factor.integer) return;
  const std::string name = kind_name(factor.kind);
  for (const auto& [label, bound] : {std::pair{"lower", factor.lower}, std::pair{"upper", factor.upper}}) {
    if (!std::isinf(bound) && !is_integral(bound)) {
      invalid(name + ": an integer factor needs integer bounds, found " + label + " " + format_number(bound));
    }
  }
}

constexpr double unbounded_tail_prob = 0x1p-53;

// A normal's [lower, upper] window in standard units, taken on the side of
// the mean where its probabilities are small, so that a window far in the
// upper tail does not round to probability 1.
struct NormalWindow {
  double low_z;
  double high_z;
  double low_prob;
  double high_prob;
  bool reflected;

  NormalWindow(double mean, double sd, double lower, double upper)
      : low_z((lower - mean) / sd), high_z((upper - mean) / sd), low_prob(0.0), high_prob(1.0), reflected(low_z > 0.0) {
    if (reflected) {
      std::swap(low_z, high_z);
      low_z = -low_z;
      high_z = -high_z;
    }
    const boost::math::normal standard;
    if (!std::isinf(low_z)) low_prob = boost::math::cdf(standard, low_z);
    if (!std::isinf(high_z)) high_prob = boost::math::cdf(standard, high_z);
  }
};

double truncated_normal_quantile(double mean, double sd, double lower, double upper, double unit) {
  const boost::math::normal standard;
  const NormalWindow window(mean, sd, lower, upper);
  if (window.reflected) unit = 1.0 - unit;
  double prob = window.low_prob + unit * (window.high_prob - window.low_prob);
  double z = 0.0;
  if (prob <= 0.0) {
    z = std::isinf(window.low_z) ? boost::math::quantile(standard, unbounded_tail_prob) : window.low_z;
  } else if (prob >= 1.0) {
    z = std::isinf(window.high_z) ? boost::math::quantile(standard, 1.0 - unbounded_tail_prob) : window.high_z;
  } else {
    if (std::isinf(window.low_z)) prob = std::max(prob, unbounded_tail_prob);
    if (std::isinf(window.high_z)) prob = std::min(prob, 1.0 - unbounded_tail_prob);
    z = std::clamp(boost::math::quantile(standard, prob), window.low_z, window.high_z);
  }
  return mean + sd * (window.reflected ? -z : z);
}

double window_probability(double mean, double sd, double lower, double upper) {
  const NormalWindow window(mean, sd, lower, upper);
  return window.high_prob - window.low_prob;
}

// The value at `unit` of a validated distribution.
double quantile_of(const FactorDistribution& factor, double unit) {
  using Kind = FactorDistribution::Kind;
  if (factor.kind == Kind::discrete) {
    const std::size_t count = factor.values.size();
    if (factor.weights.empty()) {
      return factor.values[std::min(static_cast<std::size_t>(unit * static_cast<double>(count)), count - 1)];
    }
    const double total = std::accumulate(factor.weights.begin(), factor.weights.end(), 0.0);
    const double target = unit * total;
    double cumulative = 0.0;
    std::size_t last_weighted = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (factor.weights[i] <= 0.0) continue;
      cumulative += factor.weights[i];
      last_weighted = i;
      if (target < cumulative) return factor.values[i];
    }
    return factor.values[last_weighted];
  }
  if (factor.integer && factor.kind == Kind::uniform) {
    const double count = factor.upper - factor.lower + 1.0;
    return factor.lower + std::min(std::floor(unit * count), count - 1.0);
  }
  // Integer factors: the continuous distribution on the support widened by
  // half a unit each side, each integer taking the mass of [k - 1/2, k + 1/2).
  const double widen = factor.integer ? 0.5 : 0.0;
  const double lower = factor.lower - widen;
  const double upper = factor.upper + widen;
  double value = 0.0;
  switch (factor.kind) {
    case Kind::uniform:
      value = lower + unit * (upper - lower);
      break;
    case Kind::log_uniform:
      value = std::exp(std::log(lower) + unit * (std::log(upper) - std::log(lower)));
      break;
    case Kind::normal:
      value = truncated_normal_quantile(factor.center, factor.spread, lower, upper, unit);
      break;
    case Kind::triangular: {
      const double width = upper - lower;
      const double mode_prob = (factor.center - lower) / width;
      value = unit < mode_prob ? lower + std::sqrt(unit * width * (factor.center - lower))
                               : upper - std::sqrt((1.0 - unit) * width * (upper - factor.center));
      break;
    }
    case Kind::discrete:
      break;  // handled above
  }
  value = std::clamp(value, lower, upper);
  if (factor.integer) value = std::clamp(std::floor(value + 0.5), factor.lower, factor.upper);
  return value;
}

void check_unit(double unit) {
  if (!(unit >= 0.0 && unit <= 1.0)) {
    invalid("value_at: expected a unit coordinate in [0, 1], found " + format_number(unit));
  }
}

}  // namespace

DesignMatrix::DesignMatrix(std::size_t row_count, std::size_t col_count)
    : rows(row_count), cols(col_count), values(row_count * col_count, 0.0) {}

std::vector<double> DesignMatrix::column(std::size_t c) const {
  std::vector<double> result(rows);
  for (std::size_t r = 0; r < rows; ++r) result[r] = (*this)(r, c);
  return result;
}

namespace {

FactorDistribution validated(FactorDistribution::Kind kind, double lower, double upper, double center, double spread,
                             bool integer) {
  FactorDistribution factor;
  factor.kind = kind;
  factor.lower = lower;
  factor.upper = upper;
  factor.center = center;
  factor.spread = spread;
  factor.integer = integer;
  factor.validate();
  return factor;
}

}  // namespace

FactorDistribution FactorDistribution::uniform(double lower, double upper, bool integer) {
  return validated(Kind::uniform, lower, upper, 0.0, 0.0, integer);
}

FactorDistribution FactorDistribution::log_uniform(double lower, double upper, bool integer) {
  return validated(Kind::log_uniform, lower, upper, 0.0, 0.0, integer);
}

FactorDistribution FactorDistribution::normal(double mean, double sd, double lower, double upper, bool integer) {
  return validated(Kind::normal, lower, upper, mean, sd, integer);
}

FactorDistribution FactorDistribution::triangular(double lower, double mode, double upper, bool integer) {
  return validated(Kind::triangular, lower, upper, mode, 0.0, integer);
}

FactorDistribution FactorDistribution::discrete(std::vector<double> values, std::vector<double> weights) {
  FactorDistribution factor;
  factor.kind = Kind::discrete;
  factor.values = std::move(values);
  factor.weights = std::move(weights);
  factor.validate();
  return factor;
}

void FactorDistribution::validate() const {
  const std::string name = kind_name(kind);
  if (kind != Kind::discrete && (!values.empty() || !weights.empty())) {
    invalid(name + ": values and weights apply to a discrete factor only");
  }
  switch (kind) {
    case Kind::uniform:
      check_bounds(*this);
      check_integer_bounds(*this);
      break;
    case Kind::log_uniform:
      check_bounds(*this);
      if (!(lower > 0.0)) invalid("log_uniform: expected lower > 0, found lower " + format_number(lower));
      check_integer_bounds(*this);
      break;
    case Kind::normal:
      if (!std::isfinite(center)) invalid("normal: expected a finite mean, found " + format_number(center));
      if (!(std::isfinite(spread) && spread > 0.0)) {
        invalid("normal: expected a finite sd > 0, found " + format_number(spread));
      }
      if (std::isnan(lower) || std::isnan(upper) || !(lower < upper) || lower == INFINITY || upper == -INFINITY) {
        invalid("normal: expected truncation bounds lower < upper, found lower " + format_number(lower) +
                " and upper " + format_number(upper));
      }
      check_integer_bounds(*this);
      if (!(window_probability(center, spread, lower - (integer ? 0.5 : 0.0), upper + (integer ? 0.5 : 0.0)) > 0.0)) {
        invalid("normal: the truncation bounds [" + format_number(lower) + ", " + format_number(upper) +
                "] hold no probability for mean " + format_number(center) + " and sd " + format_number(spread));
      }
      break;
    case Kind::triangular:
      check_bounds(*this);
      if (!(center >= lower && center <= upper)) {
        invalid("triangular: expected lower <= mode <= upper, found mode " + format_number(center) + " outside [" +
                format_number(lower) + ", " + format_number(upper) + "]");
      }
      check_integer_bounds(*this);
      break;
    case Kind::discrete: {
      if (integer) invalid("discrete: `integer` does not apply (the values are listed)");
      if (values.empty()) invalid("discrete: expected at least one value, found none");
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (!std::isfinite(values[i])) {
          invalid("discrete: expected finite values, found " + format_number(values[i]) + " at index " +
                  format_number(i));
        }
      }
      if (weights.empty()) break;
      if (weights.size() != values.size()) {
        invalid("discrete: expected one weight per value, found " + format_number(weights.size()) + " weights for " +
                format_number(values.size()) + " values");
      }
      double total = 0.0;
      for (std::size_t i = 0; i < weights.size(); ++i) {
        if (!(std::isfinite(weights[i]) && weights[i] >= 0.0)) {
          invalid("discrete: expected finite weights >= 0, found " + format_number(weights[i]) + " at index " +
                  format_number(i));
        }
        total += weights[i];
      }
      if (!(total > 0.0 && std::isfinite(total))) invalid("discrete: expected a finite positive total weight");
      break;
    }
  }
}

double FactorDistribution::value_at(double unit) const {
  validate();
  check_unit(unit);
  return quantile_of(*this, unit);
}

double FactorDistribution::min_value() const {
  validate();
  if (kind != Kind::discrete) return lower;
  double result = INFINITY;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (weights.empty() || weights[i] > 0.0) result = std::min(result, values[i]);
  }
  return result;
}

double FactorDistribution::max_value() const {
  validate();
  if (kind != Kind::discrete) return upper;
  double result = -INFINITY;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (weights.empty() || weights[i] > 0.0) result = std::max(result, values[i]);
  }
  return result;
}

DesignMatrix to_factor_values(const DesignMatrix& unit_points, std::span<const FactorDistribution> factors) {
  if (factors.size() != unit_points.cols) {
    invalid("to_factor_values: expected one distribution per column, found " + format_number(factors.size()) +
            " distributions for " + format_number(unit_points.cols) + " columns");
  }
  if (unit_points.values.size() != unit_points.rows * unit_points.cols) {
    invalid("to_factor_values: a " + format_number(unit_points.rows) + "x" + format_number(unit_points.cols) +
            " design matrix holds " + format_number(unit_points.values.size()) + " values");
  }
  for (const FactorDistribution& factor : factors) factor.validate();
  DesignMatrix result(unit_points.rows, unit_points.cols);
  for (std::size_t r = 0; r < unit_points.rows; ++r) {
    for (std::size_t c = 0; c < unit_points.cols; ++c) {
      const double unit = unit_points(r, c);
      if (!(unit >= 0.0 && unit <= 1.0)) {
        invalid("to_factor_values: expected unit coordinates in [0, 1], found " + format_number(unit) + " at point " +
                format_number(r) + ", factor " + format_number(c));
      }
      result(r, c) = quantile_of(factors[c], unit);
    }
  }
  return result;
}

DesignMatrix latin_hypercube(std::size_t points, std::size_t factors, std::uint64_t seed) {
  if (points == 0 || factors == 0) {
    invalid("latin_hypercube: expected at least one point and one factor, found " + format_number(points) +
            " points and " + format_number(factors) + " factors");
  }
  DesignMatrix design(points, factors);
  std::uint64_t state = seed;
  std::vector<std::size_t> strata(points);
  const auto count = static_cast<double>(points);
  for (std::size_t c = 0; c < factors; ++c) {
    std::iota(strata.begin(), strata.end(), std::size_t{0});
    for (std::size_t i = points; i > 1; --i) std::swap(strata[i - 1], strata[random_index(state, i)]);
    for (std::size_t r = 0; r < points; ++r) {
      const auto stratum = static_cast<double>(strata[r]);
      double unit = (stratum + splitmix64_unit(state)) / count;
      // Rounding may carry (stratum + u) / n onto the next stratum's edge.
      while (std::floor(unit * count) > stratum) unit = std::nextafter(unit, 0.0);
      while (std::floor(unit * count) < stratum) unit = std::nextafter(unit, 1.0);
      design(r, c) = unit;
    }
  }
  return design;
}

std::size_t sobol_max_dimensions() { return detail::sobol_table_dimensions; }

DesignMatrix sobol_sequence(std::size_t points, std::size_t factors, std::size_t skip) {
  constexpr std::size_t bits = 32;
  if (points == 0 || factors == 0) {
    invalid("sobol_sequence: expected at least one point and one factor, found " + format_number(points) +
            " points and " + format_number(factors) + " dimensions");
  }
  if (factors > sobol_max_dimensions()) {
    invalid("sobol_sequence: at most " + format_number(sobol_max_dimensions()) + " dimensions are supported, found " +
            format_number(factors));
  }
  constexpr std::uint64_t sequence_length = std::uint64_t{1} << bits;
  if (skip > sequence_length || points > sequence_length - skip) {
    invalid("sobol_sequence: at most 2^32 points are supported, found skip " + format_number(skip) + " and " +
            format_number(points) + " points");
  }
  // directions[d][b] = v_(b+1) << (32 - (b+1)) for dimension d (Bratley & Fox 1988).
  std::vector<std::array<std::uint32_t, bits>> directions(factors);
  for (std::size_t b = 0; b < bits; ++b) directions[0][b] = std::uint32_t{1} << (bits - 1 - b);
  for (std::size_t d = 1; d < factors; ++d) {
    const detail::SobolPolynomial& polynomial = detail::sobol_polynomials[d - 1];
    const std::size_t degree = polynomial.degree;
    auto& v = directions[d];
    for (std::size_t b = 0; b < std::min(degree, bits); ++b) v[b] = polynomial.initial[b] << (bits - 1 - b);
    for (std::size_t b = degree; b < bits; ++b) {
      v[b] = v[b - degree] ^ (v[b - degree] >> degree);
      for (std::size_t k = 1; k < degree; ++k) {
        if ((polynomial.coefficients >> (degree - 1 - k)) & 1U) v[b] ^= v[b - k];
      }
    }
  }
  // Gray-code order: point i is the XOR of the directions of the set bits of
  // i ^ (i >> 1), and consecutive points differ by one direction.
  std::vector<std::uint32_t> state(factors, 0);
  const std::uint64_t gray = static_cast<std::uint64_t>(skip) ^ (static_cast<std::uint64_t>(skip) >> 1);
  for (std::size_t b = 0; b < bits; ++b) {
    if ((gray >> b) & 1U) {
      for (std::size_t d = 0; d < factors; ++d) state[d] ^= directions[d][b];
    }
  }
  DesignMatrix design(points, factors);
  for (std::size_t r = 0; r < points; ++r) {
    for (std::size_t d = 0; d < factors; ++d) design(r, d) = static_cast<double>(state[d]) * 0x1p-32;
    const auto index = static_cast<std::uint64_t>(skip + r);
    const auto changed = static_cast<std::size_t>(std::countr_one(index));
    if (changed < bits) {
      for (std::size_t d = 0; d < factors; ++d) state[d] ^= directions[d][changed];
    }
  }
  return design;
}

DesignMatrix saltelli_design(std::size_t base_points, std::size_t factors, std::size_t skip) {
  if (factors == 0) invalid("saltelli_design: expected at least one factor, found 0");
  if (2 * factors > sobol_max_dimensions()) {
    invalid("saltelli_design: at most " + format_number(sobol_max_dimensions() / 2) +
            " factors are supported (the design needs two Sobol dimensions per factor), found " +
            format_number(factors));
  }
  const DesignMatrix base = sobol_sequence(base_points, 2 * factors, skip);
  DesignMatrix design(base_points * (factors + 2), factors);
  std::size_t row = 0;
  for (std::size_t j = 0; j < base_points; ++j) {
    for (std::size_t c = 0; c < factors; ++c) design(row, c) = base(j, c);
    ++row;
    for (std::size_t i = 0; i < factors; ++i, ++row) {
      for (std::size_t c = 0; c < factors; ++c) design(row, c) = base(j, c == i ? factors + c : c);
    }
    for (std::size_t c = 0; c < factors; ++c) design(row, c) = base(j, factors + c);
    ++row;
  }
  return design;
}

namespace {

// One trajectory as grid level indices: (factors + 1) rows of `factors`
// levels (levels are at most 1000: 16 bits keep many candidates small).
struct LevelTrajectory {
  std::vector<std::uint16_t> levels;  // row-major
  std::vector<MorrisStep> steps;
};

LevelTrajectory draw_trajectory(std::size_t factors, std::size_t level_count, double jump, std::uint64_t& state) {
  const std::size_t half = level_count / 2;  // the jump in grid steps
  std::vector<std::size_t> start(factors);
  std::vector<bool> upward(factors);
  for (std::size_t c = 0; c < factors; ++c) {
    const std::size_t base = random_index(state, half);
    upward[c] = random_index(state, 2) == 0;
    start[c] = upward[c] ? base : base + half;
  }
  std::vector<std::size_t> order(factors);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = factors; i > 1; --i) std::swap(order[i - 1], order[random_index(state, i)]);

  LevelTrajectory trajectory;
  trajectory.levels.reserve((factors + 1) * factors);
  const auto append_row = [&] {
    for (const std::size_t level : start) trajectory.levels.push_back(static_cast<std::uint16_t>(level));
  };
  append_row();
  for (const std::size_t factor : order) {
    if (upward[factor]) {
      start[factor] += half;
    } else {
      start[factor] -= half;
    }
    append_row();
    trajectory.steps.push_back({factor, upward[factor] ? jump : -jump});
  }
  return trajectory;
}

// Campolongo et al. (2007)'s distance between two trajectories: the sum over
// pairs of their points of the Euclidean distance (in grid steps; the scale
// does not change which trajectories are kept).
double trajectory_distance(const LevelTrajectory& a, const LevelTrajectory& b, std::size_t factors) {
  double total = 0.0;
  for (std::size_t i = 0; i <= factors; ++i) {
    for (std::size_t j = 0; j <= factors; ++j) {
      double squares = 0.0;
      for (std::size_t c = 0; c < factors; ++c) {
        const double difference =
            static_cast<double>(a.levels[i * factors + c]) - static_cast<double>(b.levels[j * factors + c]);
        squares += difference * difference;
      }
      total += std::sqrt(squares);
    }
  }
  return total;
}

}  // namespace

double morris_selection_work(std::size_t candidates, std::size_t factors) {
  const double m = double(candidates), k = double(factors);
  return m * m * (k + 1) * (k + 1) * k;
}

MorrisDesign morris_trajectories(std::size_t trajectories, std::size_t factors, std::size_t levels, std::uint64_t seed,
                                 std::size_t candidate_trajectories) {
  if (trajectories == 0 || factors == 0) {
    invalid("morris_trajectories: expected at least one trajectory and one factor, found " +
            format_number(trajectories) + " trajectories and " + format_number(factors) + " factors");
  }
  if (levels < 2 || levels % 2 != 0 || levels > 1000) {
    invalid("morris_trajectories: expected an even number of levels >= 2, found " + format_number(levels));
  }
  if (candidate_trajectories != 0 && candidate_trajectories < trajectories) {
    invalid("morris_trajectories: expected at least as many candidates as trajectories, found " +
            format_number(candidate_trajectories) + " candidates for " + format_number(trajectories) + " trajectories");
  }
  const double jump = static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1));
  const std::size_t drawn = std::max(trajectories, candidate_trajectories);
  std::uint64_t state = seed;
  std::vector<LevelTrajectory> candidates;
  candidates.reserve(drawn);
  for (std::size_t t = 0; t < drawn; ++t) candidates.push_back(draw_trajectory(factors, levels, jump, state));

  // Campolongo's spread is sqrt(sum over kept pairs of distance^2). Dropping,
  // one at a time, the candidate whose squared distances to the others sum
  // least keeps a well-spread set (Ge & Menendez 2014) at O(M^2) time
  // instead of a search over all subsets. The distances are computed when
  // needed, not kept: O(M) memory (an M x M matrix took 3.2 GB at M =
  // 20,000). Each sum runs over the others in index order, in parallel over
  // candidates: the same bits on any number of threads.
  std::vector<std::size_t> kept(drawn);
  std::iota(kept.begin(), kept.end(), std::size_t{0});
  if (drawn > trajectories) {
    const auto squared = [&](std::size_t a, std::size_t b) {
      const double distance = trajectory_distance(candidates[std::min(a, b)], candidates[std::max(a, b)], factors);
      return distance * distance;
    };
    std::vector<double> contribution(drawn, 0.0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, drawn), [&](const tbb::blocked_range<std::size_t>& range) {
      for (std::size_t a = range.begin(); a != range.end(); ++a)
        for (std::size_t b = 0; b < drawn; ++b)
          if (b != a) contribution[a] += squared(a, b);
    });
    while (kept.size() > trajectories) {
      const auto weakest = std::min_element(
          kept.begin(), kept.end(), [&](std::size_t a, std::size_t b) { return contribution[a] < contribution[b]; });
      const std::size_t removed = *weakest;
      kept.erase(weakest);
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, kept.size()),
                        [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t i = range.begin(); i != range.end(); ++i)
                            contribution[kept[i]] -= squared(kept[i], removed);
                        });
    }
  }

  MorrisDesign design;
  design.trajectories = trajectories;
  design.factors = factors;
  design.levels = levels;
  design.jump = jump;
  design.points = DesignMatrix(trajectories * (factors + 1), factors);
  design.steps.reserve(trajectories * factors);
  const auto last_level = static_cast<double>(levels - 1);
  std::size_t row = 0;
  for (const std::size_t index : kept) {
    const LevelTrajectory& trajectory = candidates[index];
    for (std::size_t i = 0; i <= factors; ++i, ++row) {
      for (std::size_t c = 0; c < factors; ++c) {
        design.points(row, c) = static_cast<double>(trajectory.levels[i * factors + c]) / last_level;
      }
    }
    design.steps.insert(design.steps.end(), trajectory.steps.begin(), trajectory.steps.end());
  }
  return design;
}

}  // namespace readmit
