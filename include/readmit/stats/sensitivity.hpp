#pragma once
// Global sensitivity analysis: partial rank correlation (PRCC), Sobol indices
// (Saltelli 2010 first order, Jansen 1999 total) and Morris elementary
// effects, each with bootstrap percentile intervals. Methods, estimators,
// references and tolerances: docs/sensitivity.md.
//
// Bootstrap resample b is drawn from a splitmix64 stream keyed by (seed, b),
// so the same inputs and seed give the same intervals on every platform and
// thread count (PRCC's resamples run in parallel on oneTBB).
// bootstrap_samples == 0 skips the bootstrap (intervals NaN).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "readmit/stats/design.hpp"

namespace readmit {

/// A point estimate with a bootstrap percentile interval at the requested
/// confidence level; the interval is NaN when not computed or undefined.
struct Estimate {
  double value;
  double ci_low;
  double ci_high;
};

/// PRCC of one factor with the output.
struct PrccResult {
  Estimate prcc;
  /// Two-sided p-value of H0: PRCC = 0, from t = r sqrt(df / (1 - r^2)),
  /// df = n - 2 - (k - 1) (n points used, k factors that vary over them),
  /// Student's t; NaN when df < 1.
  double p_value;
};

struct PrccAnalysis {
  /// Points with a finite output (the others are dropped).
  std::size_t points_used = 0;
  std::vector<PrccResult> factors;  ///< one per column of x, in order
};

/// Partial rank correlation coefficients of each column of `x` with `y`.
/// Ranks are average ranks (ties share the mean of their ranks); the PRCC of
/// factor i is the correlation of the residuals of rank(x_i) and rank(y)
/// after linear regression (with intercept) on the ranks of the other
/// factors, computed through the inverse correlation matrix of the ranks
/// (the same number, one decomposition per resample).
/// Rows whose y is not finite are dropped (PrccAnalysis::points_used says how
/// many remain). A factor that is constant over the rows used, an output that
/// is constant, or fewer than k + 2 rows used give NaN (value, interval and
/// p-value). Bootstrap: rows resampled with replacement, ranks recomputed.
/// Throws std::invalid_argument if y.size() != x.rows, x has no column, an
/// x value is not finite, or 0 < confidence_level < 1 fails.
PrccAnalysis prcc(const DesignMatrix& x, std::span<const double> y, std::size_t bootstrap_samples, std::uint64_t seed,
                  double confidence_level = 0.95);

/// First-order and total Sobol index of one factor.
struct SobolIndices {
  Estimate first_order;  ///< S1, Saltelli et al. (2010)
  Estimate total;        ///< ST, Jansen (1999)
};

struct SobolAnalysis {
  /// Base points whose k + 2 outputs are all finite (the others are dropped).
  std::size_t base_points_used = 0;
  std::vector<SobolIndices> factors;  ///< one per factor, in order
};

/// Sobol indices from outputs `y` in saltelli_design() row order
/// (base_points * (factors + 2) values). With f_A, f_B, f_ABi the outputs of
/// the A, B and AB^i rows, centered on the mean of all outputs, and V the
/// variance (divisor n) of f_A and f_B pooled:
///   S1_i = mean(f_B (f_ABi - f_A)) / V,   ST_i = mean((f_A - f_ABi)^2) / (2 V)
/// (the estimators of SALib's sobol.analyze). Base points with a non-finite
/// output anywhere in their block are dropped. V == 0 or fewer than 2 base
/// points used give NaN. Bootstrap: base points resampled with replacement.
/// Throws std::invalid_argument if factors is 0, y.size() is not a multiple of
/// factors + 2, or 0 < confidence_level < 1 fails.
SobolAnalysis sobol_indices(std::span<const double> y, std::size_t factors, std::size_t bootstrap_samples,
                            std::uint64_t seed, double confidence_level = 0.95);

/// Morris statistics of one factor's elementary effects
/// EE = (y(after step) - y(before)) / delta, delta in unit coordinates.
struct MorrisEffect {
  double mu;                     ///< mean of EE
  Estimate mu_star;              ///< mean of |EE|, bootstrap interval over trajectories
  double sigma;                  ///< standard deviation of EE (divisor r - 1)
  std::size_t effects_used = 0;  ///< elementary effects with both outputs finite
};

/// Morris (1991) statistics, mu* as in Campolongo et al. (2007), from outputs
/// `y` for the rows of design.points. An elementary effect whose two outputs
/// are not both finite is dropped; a factor with no effect left gets NaN, one
/// with a single effect NaN sigma.
/// Throws std::invalid_argument if y.size() != design.points.rows, the design
/// is inconsistent (steps, sizes), or 0 < confidence_level < 1 fails.
std::vector<MorrisEffect> morris_effects(const MorrisDesign& design, std::span<const double> y,
                                         std::size_t bootstrap_samples, std::uint64_t seed,
                                         double confidence_level = 0.95);

}  // namespace readmit
