#pragma once
// Scenario discovery with PRIM, the Patient Rule Induction Method (Friedman
// & Fisher 1999) as the EMA Workbench implements it for binary outcomes
// (Kwakkel 2017): peel, paste, then cover (remove the box's points, search
// again). Methods and the cross-check with the EMA Workbench:
// docs/sensitivity.md.

#include <cstddef>
#include <span>
#include <vector>

#include "readmit/stats/design.hpp"

namespace readmit {

/// How a candidate peel or paste is scored (EMA Workbench names).
enum class PrimObjective {
  /// (density gain) / (points removed or added): the EMA Workbench default.
  lenient1,
  /// points in the new box * (density gain) / (points removed or added)
  /// (Friedman & Fisher eq. 14.6).
  lenient2,
  /// density of the new box (Friedman & Fisher's original).
  original,
};

struct PrimOptions {
  /// Fraction of a box's points a peel removes from one side.
  double peel_alpha = 0.05;
  /// Fraction of the candidate points a paste adds on one side.
  double paste_alpha = 0.05;
  /// Peeling stops before a box would hold less than this fraction of all
  /// points.
  double min_mass = 0.05;
  /// A box is kept only if it reaches this density (fraction of its points
  /// that are of interest); covering stops at the first search that does not.
  double threshold_density = 0.8;
  /// Covering stops after this many boxes.
  std::size_t max_boxes = 5;
  PrimObjective objective = PrimObjective::lenient1;
  /// Per column of x: nonzero for a factor with few distinct values (integer
  /// or discrete list), whose limits are peeled and pasted by whole values and
  /// reported as values taken. Empty: every factor is continuous.
  std::vector<unsigned char> whole_value_factors;
};

/// One box on a peeling and pasting trajectory. A point is in the box when
/// lower[c] <= x(r, c) <= upper[c] for every column c. Coverage, density and
/// mass are fractions of all cases of interest, of the box's points, and of
/// all points (not only those left by earlier boxes).
struct PrimStep {
  double coverage;
  double density;
  double mass;
  std::size_t points;                   ///< points in the box
  std::size_t points_of_interest;       ///< of which of interest
  std::vector<double> lower;            ///< per column; the data minimum when unrestricted
  std::vector<double> upper;            ///< per column; the data maximum when unrestricted
  std::vector<std::size_t> restricted;  ///< columns whose limits differ from the data range
};

struct PrimBox {
  /// Step 0 is the box spanning the data range of all points, holding the
  /// points not in an earlier box; then one step per accepted peel, then one
  /// per accepted paste. Each peel removes, on one side of one factor, the
  /// points beyond the peel_alpha quantile of the box's points (for whole-value
  /// factors, the values beyond it, or the end value if none is); the peel
  /// with the best objective (then fewer restricted factors, then the first
  /// factor, upper before lower) is taken while it improves the objective and
  /// leaves at least min_mass. Pasting then widens restricted limits towards
  /// the paste_alpha quantile of the points beyond them while the density
  /// rises.
  std::vector<PrimStep> trajectory;
  /// The step reported as the box: of the steps reaching threshold_density,
  /// the one with the highest coverage (ties: fewer restricted columns, then
  /// the earlier step).
  std::size_t selected = 0;
  /// Quasi p-values (Bryant & Lempert 2010) of the selected box's limits: the
  /// one-sided binomial probability of its density if that limit were
  /// removed; NaN for an unrestricted limit.
  std::vector<double> lower_quasi_p;
  std::vector<double> upper_quasi_p;

  const PrimStep& box() const { return trajectory[selected]; }
};

struct PrimResult {
  std::size_t points = 0;
  std::size_t points_of_interest = 0;
  /// Boxes in the order found; each search ran on the points not in an
  /// earlier box.
  std::vector<PrimBox> boxes;
  /// Coverage and density of all boxes together (points in any box).
  double total_coverage = 0.0;
  double total_density = 0.0;
};

/// Runs PRIM on the points (rows of x, factor values) with
/// of_interest[r] != 0 marking the cases of interest.
/// Throws std::invalid_argument if of_interest.size() != x.rows, x has no
/// row or column, an x value is not finite, whole_value_factors is neither
/// empty nor of size x.cols, or an option is out of range (0 < peel_alpha <
/// 0.5, 0 < paste_alpha < 0.5, 0 <= min_mass < 1, 0 < threshold_density <= 1,
/// max_boxes >= 1). With no case of interest, returns no box.
PrimResult prim(const DesignMatrix& x, std::span<const unsigned char> of_interest, const PrimOptions& options = {});

}  // namespace readmit
