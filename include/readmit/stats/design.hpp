#pragma once
// Experimental designs in the unit hypercube [0, 1]^k, and the distributions
// that map a unit coordinate to a factor's value. Methods, references and
// tolerances: docs/sensitivity.md.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace readmit {

/// Points (rows) by factors (columns), stored row-major in `values`
/// (values.size() == rows * cols).
struct DesignMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> values;

  DesignMatrix() = default;
  /// A rows x cols matrix of zeros.
  DesignMatrix(std::size_t row_count, std::size_t col_count);

  /// Element (r, c); not bounds-checked.
  double operator()(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
  double& operator()(std::size_t r, std::size_t c) { return values[r * cols + c]; }

  /// Row r as a view of `cols` values; not bounds-checked.
  std::span<const double> row(std::size_t r) const { return {values.data() + r * cols, cols}; }
  /// Column c, copied.
  std::vector<double> column(std::size_t c) const;
};

/// The distribution of one uncertain factor, sampled by inverse CDF from a
/// unit coordinate. Build it with the named constructors, which validate;
/// value_at() validates again, so a hand-filled struct cannot give a silently
/// wrong sample.
///
/// Integer factors (`integer == true`, for uniform, log-uniform, normal and
/// triangular) take the integer values of [lower, upper]; each integer k gets
/// the probability the continuous distribution puts on [k - 1/2, k + 1/2)
/// with the support widened to [lower - 1/2, upper + 1/2]. For a uniform
/// integer factor this splits the unit interval into upper - lower + 1 equal
/// strata, so every integer has the same weight (rounding a uniform draw
/// over [lower, upper] would give the two end values half weight).
struct FactorDistribution {
  enum class Kind { uniform, log_uniform, normal, triangular, discrete };

  Kind kind = Kind::uniform;
  /// Lower and upper end of the support. Normal: truncation bounds, infinite
  /// when not truncated.
  double lower = 0.0;
  double upper = 1.0;
  /// Triangular: the mode. Normal: the mean (of the untruncated normal).
  double center = 0.0;
  /// Normal: the standard deviation (of the untruncated normal).
  double spread = 0.0;
  /// Discrete: the values, each with weight weights[i] (equal weights when
  /// `weights` is empty), in the order given (the unit interval is split in
  /// that order).
  std::vector<double> values;
  std::vector<double> weights;
  bool integer = false;

  /// Uniform on [lower, upper]; integer: each integer of [lower, upper] with
  /// equal probability (lower and upper must then be integers).
  static FactorDistribution uniform(double lower, double upper, bool integer = false);
  /// log(value) uniform on [log lower, log upper]; 0 < lower < upper.
  static FactorDistribution log_uniform(double lower, double upper, bool integer = false);
  /// Normal(mean, sd), truncated to [lower, upper] (either may be infinite).
  static FactorDistribution normal(double mean, double sd, double lower = -std::numeric_limits<double>::infinity(),
                                   double upper = std::numeric_limits<double>::infinity(), bool integer = false);
  /// Triangular on [lower, upper] with its mode in [lower, upper].
  static FactorDistribution triangular(double lower, double mode, double upper, bool integer = false);
  /// One of `values` (finite, at least one), value i with probability
  /// weights[i] / sum(weights); equal probabilities when `weights` is empty.
  static FactorDistribution discrete(std::vector<double> values, std::vector<double> weights = {});

  /// Throws std::invalid_argument with a message naming the distribution and
  /// the offending parameter when the parameters are not valid (e.g.
  /// "uniform: expected lower < upper, found lower 3 and upper 1").
  void validate() const;

  /// The value at unit coordinate `unit` in [0, 1] (the inverse CDF). unit == 1
  /// gives the top of the support (the last value of a discrete or integer
  /// factor). An unbounded normal tail is cut at probability 2^-53 from each
  /// end, so 0 and 1 give finite values (mean -/+ 8.2 sd).
  /// Throws std::invalid_argument if `unit` is outside [0, 1] or NaN, and as
  /// validate() does.
  double value_at(double unit) const;

  /// Smallest and largest value the factor can take.
  double min_value() const;
  double max_value() const;
};

/// Maps each column c of `unit_points` through factors[c].value_at().
/// Throws std::invalid_argument if factors.size() != unit_points.cols, and as
/// FactorDistribution::value_at does.
DesignMatrix to_factor_values(const DesignMatrix& unit_points, std::span<const FactorDistribution> factors);

/// Latin hypercube of `points` rows in [0, 1)^factors: in each column, each of
/// the `points` equal strata [i/points, (i+1)/points) holds exactly one value,
/// uniform within its stratum; strata are paired across columns by
/// independent random permutations. The same (points, factors, seed) gives
/// the same matrix on every platform (splitmix64).
/// Throws std::invalid_argument if points or factors is 0.
DesignMatrix latin_hypercube(std::size_t points, std::size_t factors, std::uint64_t seed);

/// Largest dimension sobol_sequence() supports (Joe & Kuo's
/// new-joe-kuo-6.21201 direction numbers, first sobol_max_dimensions rows).
std::size_t sobol_max_dimensions();

/// Points skip .. skip + points - 1 of the (unscrambled, Gray-code ordered)
/// Sobol sequence in [0, 1)^factors with Joe & Kuo's direction numbers; the
/// same points as scipy.stats.qmc.Sobol(d, scramble=False) after
/// fast_forward(skip). Point 0 is the origin. Balance properties hold for
/// power-of-two `points` with skip 0 (or a multiple of points).
/// Throws std::invalid_argument if points or factors is 0, factors >
/// sobol_max_dimensions(), or skip + points > 2^32.
DesignMatrix sobol_sequence(std::size_t points, std::size_t factors, std::size_t skip = 0);

/// Saltelli's design for first-order and total Sobol indices, without
/// second-order terms, in SALib's row order. From the Sobol sequence in
/// 2 * factors dimensions (points skip .. skip + base_points - 1), A_j is the
/// first `factors` coordinates of point j and B_j the last `factors`; AB_j^i
/// is A_j with column i taken from B_j. Rows, for each j in turn:
///   A_j, AB_j^1, ..., AB_j^factors, B_j
/// so base_points * (factors + 2) rows. Analyse with sobol_indices().
/// Throws std::invalid_argument as sobol_sequence() does for 2 * factors
/// dimensions.
DesignMatrix saltelli_design(std::size_t base_points, std::size_t factors, std::size_t skip = 0);

/// One step of a Morris trajectory: factor `factor` changed by `delta` (unit
/// coordinates, +/- the grid jump) between a row and the next.
struct MorrisStep {
  std::size_t factor;
  double delta;
};

/// Morris trajectories: trajectory t occupies rows t * (factors + 1) ..
/// t * (factors + 1) + factors of `points`; steps[t * factors + s] says how
/// row t * (factors + 1) + s + 1 differs from the row before it. Every
/// factor moves exactly once per trajectory.
struct MorrisDesign {
  DesignMatrix points;
  std::vector<MorrisStep> steps;
  std::size_t trajectories = 0;
  std::size_t factors = 0;
  std::size_t levels = 0;
  /// The grid jump, levels / (2 (levels - 1)).
  double jump = 0.0;
};

/// Morris (1991) trajectories on the grid {0, 1/(levels-1), ..., 1}: a random
/// base point, factors moved one at a time in random order by +/- jump,
/// jump = levels / (2 (levels - 1)), all points on the grid.
/// If candidate_trajectories > trajectories, that many are drawn and the
/// `trajectories` most spread out are kept (Campolongo, Cariboni & Saltelli
/// 2007's spread; the candidate adding least is dropped one at a time, as Ge &
/// Menendez 2014 do, instead of searching all subsets). The selection takes
/// memory linear in the candidates and time about morris_selection_work
/// (in parallel on the current oneTBB arena; the same design on any number
/// of threads). Deterministic for a seed (splitmix64).
/// Throws std::invalid_argument if trajectories or factors is 0, levels is
/// odd or < 2 or > 1000, or 0 < candidate_trajectories < trajectories.
MorrisDesign morris_trajectories(std::size_t trajectories, std::size_t factors, std::size_t levels, std::uint64_t seed,
                                 std::size_t candidate_trajectories = 0);

/// The terms of the distances the selection of `candidates` Morris
/// trajectories of `factors` factors computes: candidates^2 (factors + 1)^2
/// factors, about 4 ns each on one core.
double morris_selection_work(std::size_t candidates, std::size_t factors);

}  // namespace readmit
