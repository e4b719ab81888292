#include "readmit/stats/prim.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <boost/math/distributions/binomial.hpp>

#include "design_checks.hpp"
#include "readmit/util/text.hpp"

namespace readmit {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void invalid(const std::string& message) { throw std::invalid_argument(message); }

void check_options(const PrimOptions& options, std::size_t columns) {
  auto check = [](bool ok, const char* name, const char* range, double value) {
    if (!ok) invalid(std::string("prim: expected ") + name + " in " + range + ", found " + format_number(value));
  };
  check(options.peel_alpha > 0.0 && options.peel_alpha < 0.5, "peel_alpha", "(0, 0.5)", options.peel_alpha);
  check(options.paste_alpha > 0.0 && options.paste_alpha < 0.5, "paste_alpha", "(0, 0.5)", options.paste_alpha);
  check(options.min_mass >= 0.0 && options.min_mass < 1.0, "min_mass", "[0, 1)", options.min_mass);
  check(options.threshold_density > 0.0 && options.threshold_density <= 1.0, "threshold_density", "(0, 1]",
        options.threshold_density);
  if (options.max_boxes == 0) invalid("prim: expected max_boxes >= 1, found 0");
  if (!options.whole_value_factors.empty() && options.whole_value_factors.size() != columns) {
    invalid("prim: expected whole_value_factors empty or one flag per factor, found " +
            format_number(options.whole_value_factors.size()) + " flags for " + format_number(columns) + " factors");
  }
}

// The EMA Workbench's quantile (after sdtoolkit): at position (n - 1) q of the
// sorted data, moving away from ties towards the middle, the midpoint of the
// two values found; so a limit falls between distinct values.
double prim_quantile(std::vector<double>& data, double quantile) {
  std::sort(data.begin(), data.end());
  const double position = static_cast<double>(data.size() - 1) * quantile;
  auto lower = static_cast<std::size_t>(std::floor(position));
  auto higher = static_cast<std::size_t>(std::ceil(position));
  if (quantile > 0.5) {
    while (data[lower] == data[higher] && lower > 0) --lower;
  } else {
    while (data[lower] == data[higher] && higher < data.size() - 1) ++higher;
  }
  return (data[lower] + data[higher]) / 2.0;
}

struct Limits {
  std::vector<double> lower;
  std::vector<double> upper;
};

class Search {
 public:
  Search(const DesignMatrix& x, std::span<const unsigned char> of_interest, const PrimOptions& options,
         const Limits& initial, std::size_t total_of_interest)
      : x_(x), y_(of_interest), options_(options), initial_(initial), total_of_interest_(total_of_interest) {}

  PrimBox run(std::span<const std::size_t> remaining) {
    remaining_.assign(remaining.begin(), remaining.end());
    box_ = initial_;
    points_ = remaining_;
    PrimBox result;
    result.trajectory.push_back(step());
    while (peel()) result.trajectory.push_back(step());
    while (paste()) result.trajectory.push_back(step());
    return result;
  }

  const std::vector<std::size_t>& remaining() const { return remaining_; }

  bool inside(std::size_t row, const Limits& limits) const {
    for (std::size_t c = 0; c < x_.cols; ++c) {
      if (x_(row, c) < limits.lower[c] || x_(row, c) > limits.upper[c]) return false;
    }
    return true;
  }

  std::size_t interesting(std::span<const std::size_t> rows) const {
    std::size_t count = 0;
    for (const std::size_t row : rows) count += y_[row] != 0 ? 1 : 0;
    return count;
  }

  std::size_t restricted_count(const Limits& limits) const {
    std::size_t count = 0;
    for (std::size_t c = 0; c < x_.cols; ++c) {
      count += limits.lower[c] != initial_.lower[c] || limits.upper[c] != initial_.upper[c] ? 1 : 0;
    }
    return count;
  }

 private:
  struct Candidate {
    Limits limits;
    std::vector<std::size_t> points;
  };

  bool whole_values(std::size_t c) const {
    return !options_.whole_value_factors.empty() && options_.whole_value_factors[c] != 0;
  }

  PrimStep step() const {
    const std::size_t hits = interesting(points_);
    PrimStep current;
    current.points = points_.size();
    current.points_of_interest = hits;
    current.coverage = static_cast<double>(hits) / static_cast<double>(std::max<std::size_t>(total_of_interest_, 1));
    current.density = points_.empty() ? nan : static_cast<double>(hits) / static_cast<double>(points_.size());
    current.mass = static_cast<double>(points_.size()) / static_cast<double>(x_.rows);
    current.lower = box_.lower;
    current.upper = box_.upper;
    for (std::size_t c = 0; c < x_.cols; ++c) {
      if (box_.lower[c] != initial_.lower[c] || box_.upper[c] != initial_.upper[c]) current.restricted.push_back(c);
    }
    return current;
  }

  // The score of moving from the box's points to `candidate` points.
  double objective(std::span<const std::size_t> candidate) const {
    const auto old_count = static_cast<double>(points_.size());
    const auto new_count = static_cast<double>(candidate.size());
    const double old_mean = static_cast<double>(interesting(points_)) / old_count;
    const double new_mean = candidate.empty() ? 0.0 : static_cast<double>(interesting(candidate)) / new_count;
    switch (options_.objective) {
      case PrimObjective::original:
        return candidate.empty() ? -1.0 : new_mean;
      case PrimObjective::lenient1:
        return old_mean == new_mean ? 0.0 : (new_mean - old_mean) / std::fabs(old_count - new_count);
      case PrimObjective::lenient2:
        return old_mean == new_mean ? 0.0 : new_count * (new_mean - old_mean) / std::fabs(old_count - new_count);
    }
    return 0.0;
  }

  // The best candidate by objective, then by fewer restricted factors, the
  // first in order among equals (the EMA Workbench's stable sort).
  const Candidate* best(const std::vector<Candidate>& candidates, double& score) const {
    const Candidate* chosen = nullptr;
    std::size_t chosen_restricted = 0;
    for (const Candidate& candidate : candidates) {
      const double value = objective(candidate.points);
      const std::size_t restricted = restricted_count(candidate.limits);
      if (chosen == nullptr || value > score || (value == score && restricted < chosen_restricted)) {
        chosen = &candidate;
        score = value;
        chosen_restricted = restricted;
      }
    }
    return chosen;
  }

  std::vector<std::size_t> points_within(std::span<const std::size_t> rows, const Limits& limits) const {
    std::vector<std::size_t> result;
    for (const std::size_t row : rows) {
      if (inside(row, limits)) result.push_back(row);
    }
    return result;
  }

  bool peel() {
    std::vector<Candidate> candidates;
    std::vector<double> values;
    for (std::size_t c = 0; c < x_.cols; ++c) {
      for (const bool upper : {true, false}) {
        values.clear();
        for (const std::size_t row : points_) values.push_back(x_(row, c));
        const double cut = prim_quantile(values, upper ? 1.0 - options_.peel_alpha : options_.peel_alpha);
        Candidate candidate{box_, {}};
        if (!whole_values(c)) {
          (upper ? candidate.limits.upper[c] : candidate.limits.lower[c]) = cut;
          candidate.points = points_within(points_, candidate.limits);
        } else {
          // Whole values: drop the values beyond the cut, or the end value if
          // the cut drops none; the limit is the last value kept.
          const bool drops = upper ? values.back() > cut : values.front() < cut;
          const double end = upper ? values.back() : values.front();
          for (const std::size_t row : points_) {
            const double value = x_(row, c);
            const bool kept = drops ? (upper ? value <= cut : value >= cut) : value != end;
            if (kept) candidate.points.push_back(row);
          }
          if (candidate.points.empty()) continue;
          double limit = upper ? -INFINITY : INFINITY;
          for (const std::size_t row : candidate.points) {
            limit = upper ? std::max(limit, x_(row, c)) : std::min(limit, x_(row, c));
          }
          (upper ? candidate.limits.upper[c] : candidate.limits.lower[c]) = limit;
        }
        candidates.push_back(std::move(candidate));
      }
    }
    double score = 0.0;
    const Candidate* chosen = best(candidates, score);
    if (chosen == nullptr) return false;
    const auto mass = [&](std::size_t count) { return static_cast<double>(count) / static_cast<double>(x_.rows); };
    if (mass(chosen->points.size()) >= options_.min_mass && chosen->points.size() < points_.size() && score > 0.0) {
      box_ = chosen->limits;
      points_ = chosen->points;
      return true;
    }
    return false;
  }

  bool paste() {
    std::vector<Candidate> candidates;
    std::vector<double> values;
    for (std::size_t c = 0; c < x_.cols; ++c) {
      if (box_.lower[c] == initial_.lower[c] && box_.upper[c] == initial_.upper[c]) continue;
      for (const bool upper : {false, true}) {
        // The points of the other limits that lie between this limit and the
        // data's end.
        Limits region = box_;
        region.lower[c] = upper ? box_.upper[c] : initial_.lower[c];
        region.upper[c] = upper ? initial_.upper[c] : box_.lower[c];
        values.clear();
        for (const std::size_t row : remaining_) {
          if (inside(row, region)) values.push_back(x_(row, c));
        }
        Candidate candidate{box_, {}};
        double& limit = upper ? candidate.limits.upper[c] : candidate.limits.lower[c];
        if (values.empty()) {
          limit = upper ? initial_.upper[c] : initial_.lower[c];
        } else {
          limit = prim_quantile(values, upper ? options_.paste_alpha : 1.0 - options_.paste_alpha);
          if (whole_values(c)) {
            // Widen to the next value present beyond the current limit.
            const double current = upper ? box_.upper[c] : box_.lower[c];
            double next = upper ? INFINITY : -INFINITY;
            for (const double value : values) {
              if (upper && value > current) next = std::min(next, value);
              if (!upper && value < current) next = std::max(next, value);
            }
            if (std::isinf(next)) continue;
            limit = next;
          }
        }
        candidate.points = points_within(remaining_, candidate.limits);
        candidates.push_back(std::move(candidate));
      }
    }
    double score = 0.0;
    const Candidate* chosen = best(candidates, score);
    if (chosen == nullptr) return false;
    const double mass = static_cast<double>(chosen->points.size()) / static_cast<double>(x_.rows);
    const double old_density = static_cast<double>(interesting(points_)) / static_cast<double>(points_.size());
    const double new_density =
        static_cast<double>(interesting(chosen->points)) / static_cast<double>(chosen->points.size());
    if (mass >= options_.min_mass && chosen->points.size() > points_.size() && score > 0.0 &&
        new_density > old_density) {
      box_ = chosen->limits;
      points_ = chosen->points;
      return true;
    }
    return false;
  }

  const DesignMatrix& x_;
  std::span<const unsigned char> y_;
  const PrimOptions& options_;
  const Limits& initial_;
  std::size_t total_of_interest_;
  std::vector<std::size_t> remaining_;
  Limits box_;
  std::vector<std::size_t> points_;
};

// Of the steps reaching the threshold, the one with the highest coverage
// (then fewer restricted factors, then the earlier); none if none reaches it.
bool select_step(PrimBox& box, double threshold) {
  bool found = false;
  for (std::size_t i = 0; i < box.trajectory.size(); ++i) {
    const PrimStep& candidate = box.trajectory[i];
    if (!(candidate.density >= threshold)) continue;
    const PrimStep& current = box.trajectory[box.selected];
    if (!found || candidate.coverage > current.coverage ||
        (candidate.coverage == current.coverage && candidate.restricted.size() < current.restricted.size())) {
      box.selected = i;
      found = true;
    }
  }
  return found;
}

// One-sided binomial probability of the box's hits if its density were that
// of the box with `limits` (Bryant & Lempert 2010).
double quasi_p(const Search& search, const PrimStep& box, const Limits& limits) {
  std::size_t points = 0;
  std::size_t hits = 0;
  for (const std::size_t row : search.remaining()) {
    if (search.inside(row, limits)) {
      ++points;
      hits += search.interesting(std::span<const std::size_t>(&row, 1));
    }
  }
  const double prob = static_cast<double>(hits) / static_cast<double>(points);
  if (box.points_of_interest == 0) return 1.0;
  if (prob >= 1.0) return 1.0;
  if (prob <= 0.0) return 0.0;
  const boost::math::binomial_distribution<double> binomial(static_cast<double>(box.points), prob);
  return boost::math::cdf(boost::math::complement(binomial, static_cast<double>(box.points_of_interest - 1)));
}

}  // namespace

PrimResult prim(const DesignMatrix& x, std::span<const unsigned char> of_interest, const PrimOptions& options) {
  check_options(options, x.cols);
  if (x.rows == 0 || x.cols == 0) {
    invalid("prim: expected at least one point and one factor, found " + format_number(x.rows) + " points and " +
            format_number(x.cols) + " factors");
  }
  detail::check_design_points("prim", x, of_interest.size(), "flag");
  Limits initial{std::vector<double>(x.cols, INFINITY), std::vector<double>(x.cols, -INFINITY)};
  for (std::size_t r = 0; r < x.rows; ++r) {
    for (std::size_t c = 0; c < x.cols; ++c) {
      initial.lower[c] = std::min(initial.lower[c], x(r, c));
      initial.upper[c] = std::max(initial.upper[c], x(r, c));
    }
  }

  PrimResult result;
  result.points = x.rows;
  for (const unsigned char flag : of_interest) result.points_of_interest += flag != 0 ? 1 : 0;
  std::vector<std::size_t> remaining(x.rows);
  for (std::size_t r = 0; r < x.rows; ++r) remaining[r] = r;
  std::size_t covered_points = 0;
  std::size_t covered_hits = 0;

  Search search(x, of_interest, options, initial, result.points_of_interest);
  while (result.boxes.size() < options.max_boxes && !remaining.empty() && search.interesting(remaining) > 0) {
    PrimBox box = search.run(remaining);
    if (!select_step(box, options.threshold_density)) break;
    const PrimStep& chosen = box.box();
    box.lower_quasi_p.assign(x.cols, nan);
    box.upper_quasi_p.assign(x.cols, nan);
    for (const std::size_t c : chosen.restricted) {
      Limits limits{chosen.lower, chosen.upper};
      if (chosen.lower[c] != initial.lower[c]) {
        limits.lower[c] = initial.lower[c];
        box.lower_quasi_p[c] = quasi_p(search, chosen, limits);
        limits.lower[c] = chosen.lower[c];
      }
      if (chosen.upper[c] != initial.upper[c]) {
        limits.upper[c] = initial.upper[c];
        box.upper_quasi_p[c] = quasi_p(search, chosen, limits);
      }
    }
    const Limits chosen_limits{chosen.lower, chosen.upper};
    std::erase_if(remaining, [&](std::size_t row) { return search.inside(row, chosen_limits); });
    covered_points += chosen.points;
    covered_hits += chosen.points_of_interest;
    result.boxes.push_back(std::move(box));
  }
  result.total_coverage = result.points_of_interest == 0
                              ? nan
                              : static_cast<double>(covered_hits) / static_cast<double>(result.points_of_interest);
  result.total_density =
      covered_points == 0 ? nan : static_cast<double>(covered_hits) / static_cast<double>(covered_points);
  return result;
}

}  // namespace readmit
