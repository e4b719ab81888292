#include "readmit/stats/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <Eigen/Dense>
#include <boost/math/distributions/students_t.hpp>

#include "design_checks.hpp"
#include "random_index.hpp"
#include "readmit/stats/quantiles.hpp"
#include "readmit/util/mix.hpp"
#include "readmit/util/text.hpp"

namespace readmit {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void invalid(const std::string& message) { throw std::invalid_argument(message); }

void check_level(const char* function, double level) {
  if (!(level > 0.0 && level < 1.0)) {
    invalid(std::string(function) + ": expected a confidence level in (0, 1), found " + format_number(level));
  }
}

// The random stream of bootstrap resample `sample`: keyed by (seed, sample),
// so resamples do not depend on the order in which they are computed.
std::uint64_t resample_state(std::uint64_t seed, std::size_t sample) {
  std::uint64_t state = seed;
  const std::uint64_t seed_key = splitmix64(state);
  state = seed_key ^ (static_cast<std::uint64_t>(sample) * 0xd1b54a32d192ed03ULL);
  splitmix64(state);
  return state;
}

// Percentile interval of the finite bootstrap replicates; NaN with none.
void set_percentile_interval(Estimate& estimate, std::vector<double>& replicates, double level) {
  std::erase_if(replicates, [](double value) { return !std::isfinite(value); });
  if (replicates.empty()) {
    estimate.ci_low = estimate.ci_high = nan;
    return;
  }
  std::sort(replicates.begin(), replicates.end());
  estimate.ci_low = quantile_sorted(replicates, (1.0 - level) / 2.0);
  estimate.ci_high = quantile_sorted(replicates, (1.0 + level) / 2.0);
}

// ---- PRCC -------------------------------------------------------------------

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
using Vector = Eigen::VectorXd;

// The factor columns and the output over the points used, each with its
// rows sorted once, so that the ranks of any resample (given as how many
// times each point was drawn) take one pass per column instead of a sort.
class RankTable {
 public:
  RankTable(const DesignMatrix& x, std::span<const double> y, std::span<const std::size_t> rows)
      : points_(rows.size()), columns_(x.cols + 1, std::vector<double>(rows.size())), order_(x.cols + 1) {
    for (std::size_t c = 0; c <= x.cols; ++c) {
      for (std::size_t i = 0; i < points_; ++i) columns_[c][i] = c < x.cols ? x(rows[i], c) : y[rows[i]];
      order_[c].resize(points_);
      std::iota(order_[c].begin(), order_[c].end(), std::size_t{0});
      std::sort(order_[c].begin(), order_[c].end(),
                [&](std::size_t a, std::size_t b) { return columns_[c][a] < columns_[c][b]; });
    }
  }

  std::size_t points() const { return points_; }

  // Centered average ranks of the drawn points (draws[i] indexes the points
  // used; `counts` says how often each was drawn), one column per factor then
  // the output.
  Matrix centered_ranks(std::span<const std::size_t> draws, std::span<const std::size_t> counts,
                        std::vector<double>& rank_of_point) const {
    const auto n = static_cast<Eigen::Index>(draws.size());
    Matrix ranks(n, static_cast<Eigen::Index>(columns_.size()));
    const double mean_rank = (static_cast<double>(draws.size()) + 1.0) / 2.0;
    rank_of_point.resize(points_);
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const std::vector<double>& values = columns_[c];
      const std::vector<std::size_t>& order = order_[c];
      std::size_t ranked = 0;
      for (std::size_t start = 0; start < points_;) {
        std::size_t end = start;
        std::size_t drawn = 0;
        while (end < points_ && values[order[end]] == values[order[start]]) drawn += counts[order[end++]];
        const double rank = static_cast<double>(ranked) + (static_cast<double>(drawn) + 1.0) / 2.0;
        for (std::size_t i = start; i < end; ++i) rank_of_point[order[i]] = rank - mean_rank;
        ranked += drawn;
        start = end;
      }
      for (Eigen::Index i = 0; i < n; ++i) {
        ranks(i, static_cast<Eigen::Index>(c)) = rank_of_point[draws[static_cast<std::size_t>(i)]];
      }
    }
    return ranks;
  }

 private:
  std::size_t points_;
  std::vector<std::vector<double>> columns_;
  std::vector<std::vector<std::size_t>> order_;
};

double correlation(const Vector& a, const Vector& b) {
  const double norms = a.norm() * b.norm();
  return norms > 0.0 ? std::clamp(a.dot(b) / norms, -1.0, 1.0) : nan;
}

// Partial correlations of each factor column of `ranks` (all but the last)
// with the last, given the other factor columns. Columns are centered, so
// regressions without an intercept equal those with one.
std::vector<double> partial_correlations(const Matrix& ranks) {
  const Eigen::Index factors = ranks.cols() - 1;
  std::vector<double> result(static_cast<std::size_t>(factors), nan);
  if (ranks.col(factors).squaredNorm() == 0.0) return result;  // constant output

  // Factors constant over these rows carry no information: leave them out
  // (their PRCC is undefined, and they do not change the others').
  std::vector<Eigen::Index> varying;
  for (Eigen::Index c = 0; c < factors; ++c) {
    if (ranks.col(c).squaredNorm() > 0.0) varying.push_back(c);
  }
  const auto used = static_cast<Eigen::Index>(varying.size());
  Matrix kept(ranks.rows(), used + 1);
  for (Eigen::Index i = 0; i < used; ++i) kept.col(i) = ranks.col(varying[static_cast<std::size_t>(i)]);
  kept.col(used) = ranks.col(factors);

  // Full rank: r_iy = -P_iy / sqrt(P_ii P_yy) with P = (K'K)^-1, from one
  // pivoted QR of K (K'K = Pi R'R Pi'), without forming K'K.
  const Eigen::ColPivHouseholderQR<Matrix> qr(kept);
  if (qr.rank() == used + 1) {
    const Matrix r_factor = qr.matrixR().topLeftCorner(used + 1, used + 1).triangularView<Eigen::Upper>();
    const Matrix r_inverse = r_factor.triangularView<Eigen::Upper>().solve(Matrix::Identity(used + 1, used + 1));
    const Matrix pivoted_precision = r_inverse * r_inverse.transpose();
    Matrix precision(used + 1, used + 1);
    const auto& order = qr.colsPermutation().indices();
    for (Eigen::Index a = 0; a <= used; ++a) {
      for (Eigen::Index b = 0; b <= used; ++b) precision(order(a), order(b)) = pivoted_precision(a, b);
    }
    for (Eigen::Index i = 0; i < used; ++i) {
      const double value = -precision(i, used) / std::sqrt(precision(i, i) * precision(used, used));
      result[static_cast<std::size_t>(varying[static_cast<std::size_t>(i)])] = std::clamp(value, -1.0, 1.0);
    }
    return result;
  }

  // Collinear factors: regress each factor and the output on the others and
  // correlate the residuals. A factor that the others determine has no
  // residual and an undefined PRCC.
  for (Eigen::Index i = 0; i < used; ++i) {
    Matrix others(kept.rows(), used - 1);
    for (Eigen::Index c = 0, o = 0; c < used; ++c) {
      if (c != i) others.col(o++) = kept.col(c);
    }
    Vector factor_residual = kept.col(i);
    Vector output_residual = kept.col(used);
    if (used > 1) {
      const Eigen::ColPivHouseholderQR<Matrix> others_qr(others);
      factor_residual -= others * others_qr.solve(factor_residual);
      output_residual -= others * others_qr.solve(output_residual);
    }
    constexpr double negligible = 1e-10;
    if (factor_residual.norm() <= negligible * kept.col(i).norm() ||
        output_residual.norm() <= negligible * kept.col(used).norm()) {
      continue;
    }
    result[static_cast<std::size_t>(varying[static_cast<std::size_t>(i)])] =
        correlation(factor_residual, output_residual);
  }
  return result;
}

double prcc_p_value(double value, double degrees_of_freedom) {
  if (std::isnan(value)) return nan;
  if (std::fabs(value) >= 1.0) return 0.0;
  const double t = std::fabs(value) * std::sqrt(degrees_of_freedom / (1.0 - value * value));
  const boost::math::students_t_distribution<double> distribution(degrees_of_freedom);
  return 2.0 * boost::math::cdf(boost::math::complement(distribution, t));
}

// ---- Sobol ------------------------------------------------------------------

struct SobolBlocks {
  std::size_t factors;
  std::vector<const double*> blocks;  // start of each base point's k + 2 outputs
  double center;
};

// S1 and ST of every factor over base points `picks` (indices into blocks).
void sobol_estimates(const SobolBlocks& data, std::span<const std::size_t> picks, std::vector<double>& first,
                     std::vector<double>& total) {
  const std::size_t k = data.factors;
  const auto count = static_cast<double>(picks.size());
  double sum = 0.0;
  for (const std::size_t j : picks) sum += (data.blocks[j][0] - data.center) + (data.blocks[j][k + 1] - data.center);
  const double mean = sum / (2.0 * count);
  double squares = 0.0;
  for (const std::size_t j : picks) {
    const double a = data.blocks[j][0] - data.center - mean;
    const double b = data.blocks[j][k + 1] - data.center - mean;
    squares += a * a + b * b;
  }
  const double variance = squares / (2.0 * count);
  first.assign(k, nan);
  total.assign(k, nan);
  if (!(variance > 0.0) || picks.size() < 2) return;
  for (std::size_t i = 0; i < k; ++i) {
    double first_sum = 0.0;
    double total_sum = 0.0;
    for (const std::size_t j : picks) {
      const double a = data.blocks[j][0] - data.center;
      const double ab = data.blocks[j][1 + i] - data.center;
      const double b = data.blocks[j][k + 1] - data.center;
      first_sum += b * (ab - a);
      total_sum += (a - ab) * (a - ab);
    }
    first[i] = first_sum / count / variance;
    total[i] = 0.5 * total_sum / count / variance;
  }
}

}  // namespace

PrccAnalysis prcc(const DesignMatrix& x, std::span<const double> y, std::size_t bootstrap_samples, std::uint64_t seed,
                  double confidence_level) {
  check_level("prcc", confidence_level);
  if (x.cols == 0) invalid("prcc: expected at least one factor, found none");
  detail::check_design_points("prcc", x, y.size(), "output");
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < x.rows; ++r) {
    if (std::isfinite(y[r])) rows.push_back(r);
  }

  PrccAnalysis analysis;
  analysis.points_used = rows.size();
  analysis.factors.assign(x.cols, PrccResult{{nan, nan, nan}, nan});
  if (rows.size() < x.cols + 2) return analysis;

  const RankTable table(x, y, rows);
  std::vector<std::size_t> draws(rows.size());
  std::iota(draws.begin(), draws.end(), std::size_t{0});
  std::vector<double> rank_scratch;
  const std::vector<double> values =
      partial_correlations(table.centered_ranks(draws, std::vector<std::size_t>(rows.size(), 1), rank_scratch));
  std::size_t varying = 0;
  for (std::size_t c = 0; c < x.cols; ++c) {
    const double first = x(rows.front(), c);
    varying += std::any_of(rows.begin(), rows.end(), [&](std::size_t r) { return x(r, c) != first; }) ? 1 : 0;
  }
  const double degrees_of_freedom = static_cast<double>(rows.size()) - 2.0 - (static_cast<double>(varying) - 1.0);
  for (std::size_t c = 0; c < x.cols; ++c) {
    analysis.factors[c].prcc.value = values[c];
    analysis.factors[c].p_value = degrees_of_freedom >= 1.0 ? prcc_p_value(values[c], degrees_of_freedom) : nan;
  }

  if (bootstrap_samples == 0) return analysis;
  std::vector<std::vector<double>> replicates(x.cols, std::vector<double>(bootstrap_samples, nan));
  // Each resample has its own random stream and result slot, so the
  // intervals do not depend on the number of threads.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, bootstrap_samples), [&](const auto& range) {
    std::vector<std::size_t> resample(table.points());
    std::vector<std::size_t> counts(table.points());
    std::vector<double> scratch;
    for (std::size_t sample = range.begin(); sample != range.end(); ++sample) {
      std::uint64_t state = resample_state(seed, sample);
      std::fill(counts.begin(), counts.end(), std::size_t{0});
      for (std::size_t& point : resample) {
        point = detail::random_index(state, table.points());
        ++counts[point];
      }
      const std::vector<double> replicate = partial_correlations(table.centered_ranks(resample, counts, scratch));
      for (std::size_t c = 0; c < x.cols; ++c) replicates[c][sample] = replicate[c];
    }
  });
  for (std::size_t c = 0; c < x.cols; ++c) {
    if (std::isnan(values[c])) continue;
    set_percentile_interval(analysis.factors[c].prcc, replicates[c], confidence_level);
  }
  return analysis;
}

SobolAnalysis sobol_indices(std::span<const double> y, std::size_t factors, std::size_t bootstrap_samples,
                            std::uint64_t seed, double confidence_level) {
  check_level("sobol_indices", confidence_level);
  if (factors == 0) invalid("sobol_indices: expected at least one factor, found none");
  const std::size_t block = factors + 2;
  if (y.size() % block != 0) {
    invalid("sobol_indices: expected outputs in blocks of factors + 2 = " + format_number(block) + ", found " +
            format_number(y.size()) + " outputs");
  }
  SobolBlocks data{factors, {}, 0.0};
  double sum = 0.0;
  for (std::size_t start = 0; start < y.size(); start += block) {
    const auto first = y.begin() + static_cast<std::ptrdiff_t>(start);
    if (std::all_of(first, first + static_cast<std::ptrdiff_t>(block), [](double v) { return std::isfinite(v); })) {
      data.blocks.push_back(y.data() + start);
      sum = std::accumulate(first, first + static_cast<std::ptrdiff_t>(block), sum);
    }
  }
  SobolAnalysis analysis;
  analysis.base_points_used = data.blocks.size();
  analysis.factors.assign(factors, SobolIndices{{nan, nan, nan}, {nan, nan, nan}});
  if (data.blocks.size() < 2) return analysis;
  // Centering on the mean of all outputs, as SALib does, keeps S1's estimator
  // from a bias that grows with the output's mean.
  data.center = sum / static_cast<double>(data.blocks.size() * block);

  std::vector<std::size_t> picks(data.blocks.size());
  std::iota(picks.begin(), picks.end(), std::size_t{0});
  std::vector<double> first;
  std::vector<double> total;
  sobol_estimates(data, picks, first, total);
  for (std::size_t i = 0; i < factors; ++i) {
    analysis.factors[i].first_order.value = first[i];
    analysis.factors[i].total.value = total[i];
  }
  if (bootstrap_samples == 0) return analysis;

  std::vector<std::vector<double>> first_replicates(factors, std::vector<double>(bootstrap_samples));
  std::vector<std::vector<double>> total_replicates(factors, std::vector<double>(bootstrap_samples));
  for (std::size_t sample = 0; sample < bootstrap_samples; ++sample) {
    std::uint64_t state = resample_state(seed, sample);
    for (std::size_t& pick : picks) pick = detail::random_index(state, data.blocks.size());
    sobol_estimates(data, picks, first, total);
    for (std::size_t i = 0; i < factors; ++i) {
      first_replicates[i][sample] = first[i];
      total_replicates[i][sample] = total[i];
    }
  }
  for (std::size_t i = 0; i < factors; ++i) {
    if (std::isnan(analysis.factors[i].first_order.value)) continue;
    set_percentile_interval(analysis.factors[i].first_order, first_replicates[i], confidence_level);
    set_percentile_interval(analysis.factors[i].total, total_replicates[i], confidence_level);
  }
  return analysis;
}

std::vector<MorrisEffect> morris_effects(const MorrisDesign& design, std::span<const double> y,
                                         std::size_t bootstrap_samples, std::uint64_t seed, double confidence_level) {
  check_level("morris_effects", confidence_level);
  const std::size_t k = design.factors;
  const std::size_t rows = design.trajectories * (k + 1);
  if (k == 0 || design.trajectories == 0 || design.points.rows != rows || design.points.cols != k ||
      design.points.values.size() != rows * k || design.steps.size() != design.trajectories * k) {
    invalid("morris_effects: inconsistent design: " + format_number(design.trajectories) + " trajectories of " +
            format_number(k) + " factors need " + format_number(rows) + " points and " +
            format_number(design.trajectories * k) + " steps, found " + format_number(design.points.rows) + "x" +
            format_number(design.points.cols) + " points and " + format_number(design.steps.size()) + " steps");
  }
  if (y.size() != rows) {
    invalid("morris_effects: expected one output per point, found " + format_number(y.size()) + " outputs for " +
            format_number(rows) + " points");
  }
  std::vector<std::vector<double>> effects(k);
  for (std::size_t t = 0; t < design.trajectories; ++t) {
    for (std::size_t s = 0; s < k; ++s) {
      const MorrisStep& step = design.steps[t * k + s];
      if (step.factor >= k || !std::isfinite(step.delta) || step.delta == 0.0) {
        invalid("morris_effects: inconsistent design: step " + format_number(s) + " of trajectory " + format_number(t) +
                " moves factor " + format_number(step.factor) + " by " + format_number(step.delta));
      }
      const std::size_t before = t * (k + 1) + s;
      if (std::isfinite(y[before]) && std::isfinite(y[before + 1])) {
        effects[step.factor].push_back((y[before + 1] - y[before]) / step.delta);
      }
    }
  }

  std::vector<MorrisEffect> result(k, MorrisEffect{nan, {nan, nan, nan}, nan, 0});
  for (std::size_t i = 0; i < k; ++i) {
    const std::vector<double>& ee = effects[i];
    MorrisEffect& effect = result[i];
    effect.effects_used = ee.size();
    if (ee.empty()) continue;
    const auto count = static_cast<double>(ee.size());
    effect.mu = std::accumulate(ee.begin(), ee.end(), 0.0) / count;
    effect.mu_star.value =
        std::accumulate(ee.begin(), ee.end(), 0.0, [](double sum, double v) { return sum + std::fabs(v); }) / count;
    if (ee.size() > 1) {
      double squares = 0.0;
      for (const double v : ee) squares += (v - effect.mu) * (v - effect.mu);
      effect.sigma = std::sqrt(squares / (count - 1.0));
    }
    if (bootstrap_samples == 0) continue;
    std::vector<double> replicates(bootstrap_samples);
    for (std::size_t sample = 0; sample < bootstrap_samples; ++sample) {
      std::uint64_t state = resample_state(seed ^ (0x9e3779b97f4a7c15ULL * (i + 1)), sample);
      double sum = 0.0;
      for (std::size_t draw = 0; draw < ee.size(); ++draw) sum += std::fabs(ee[detail::random_index(state, ee.size())]);
      replicates[sample] = sum / count;
    }
    set_percentile_interval(effect.mu_star, replicates, confidence_level);
  }
  return result;
}

}  // namespace readmit
