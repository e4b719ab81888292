// The design of an experiment or sweep file: which syntax the file uses (a
// sweep's `grid` or `latin_hypercube`, an experiment's `design`, its keys
// read against the method's key table), its size, and its points: a grid, a
// Latin hypercube, a Sobol/Saltelli or Morris design (stats/design.hpp), or
// a points file (points_file.cpp); and the numbers the analysis sees.
#include <algorithm>
#include <cmath>
#include <set>

#include "reading/reader.hpp"
#include "readmit/util/text.hpp"

namespace readmit::experiment_file {

namespace {

/// The most distance terms a Morris candidate selection may take (about 40 s
/// of CPU): candidates^2 (parameters + 1)^2 parameters.
constexpr double max_morris_selection_work = 1e10;

}  // namespace

std::string grouped(std::size_t value) {
  std::string digits = std::to_string(value), text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

std::optional<std::size_t> times(std::size_t value, std::size_t factor) {
  if (factor != 0 && value > max_design_points / factor + 1) return std::nullopt;
  return value * factor;
}

void read_design(Reader& r, const Site& site, SchemaWalker& walker) {
  if (site.node.is_null()) return;  // check_syntax says whether one was needed
  if (!site.node.is_map()) {
    r.sink.error(site.node.where(), site.path, "expected {method: ..., ...}, found " + site.node.describe());
    return;
  }
  // The method chooses the table of the other keys.
  if (const auto index = read_choice(r, design_method_row(), site, walker))
    r.walk(design_keys(DesignMethod(*index)), &site.node, site.node.where(), site.path);
}

namespace {

/// Reports `key` of `root` when given but empty: an empty map or list there
/// would be legal and do nothing.
void check_not_empty(Reader& r, const ConfigNode& root, std::string_view key, const std::string& expected) {
  const ConfigNode* node = root.find(key);
  const bool empty = node != nullptr && ((node->is_map() && node->entries().empty()) ||
                                         (node->is_sequence() && node->items().empty()) || node->is_null());
  if (empty)
    r.sink.error(node->where(), std::string(key),
                 "expected " + expected + ", found an empty " + (node->is_sequence() ? "list" : "map"));
}

/// A sweep file: `grid` or `latin_hypercube`, and none of an experiment's design keys.
void check_sweep_syntax(Reader& r, const ConfigNode& root) {
  Experiment& e = r.experiment;
  e.sweep_syntax = true;
  const ConfigNode::Entry* grid = root.entry("grid");
  const ConfigNode::Entry* hypercube = root.entry("latin_hypercube");
  if (grid != nullptr && hypercube != nullptr)
    r.sink.error(hypercube->key_where, "latin_hypercube", "expected `grid` or `latin_hypercube`, found both");
  for (const char* key : {"policies", "uncertainties", "design"})
    if (const ConfigNode::Entry* entry = root.entry(key))
      r.sink.error(entry->key_where, key,
                   std::string("expected no `") + key + "` in a sweep file (with `" +
                       (grid ? "grid" : "latin_hypercube") + "`); an experiment names its design under `design`");
  e.method = grid != nullptr ? DesignMethod::grid : DesignMethod::latin_hypercube;
  r.design_where = (grid != nullptr ? grid : hypercube)->key_where;
  check_not_empty(r, root, "grid", "at least one parameter");
}

}  // namespace

void check_syntax(Reader& r, const ConfigNode& root) {
  if (root.find("grid") != nullptr || root.find("latin_hypercube") != nullptr) return check_sweep_syntax(r, root);
  const bool experiment =
      root.find("policies") != nullptr || root.find("uncertainties") != nullptr || root.find("design") != nullptr;
  if (!experiment) {
    r.sink.error(root.where(), "grid",
                 "expected `grid` or `latin_hypercube` (a sweep), or `policies`, `uncertainties` and `design` (an "
                 "experiment), found none");
    return;
  }
  check_not_empty(r, root, "policies", "a map of NAME: {overlays: [files], set: {PATH: VALUE}}");
  check_not_empty(r, root, "uncertainties", "a map of PATH: {dist: ..., ...}");
  check_not_empty(r, root, "outcomes", "a list of run totals (METRIC or PARTNER:METRIC)");
  if (const ConfigNode::Entry* design = root.entry("design")) {
    r.design_where = design->key_where;
  } else {
    if (root.find("uncertainties") != nullptr)
      r.sink.error(root.where(), "design",
                   "expected the design of the uncertainties (grid, latin_hypercube, sobol, morris or points), found "
                   "nothing (required)");
    r.experiment.method = DesignMethod::grid;  // no uncertainty: one point
  }
}

void check_design(Reader& r, const ConfigNode& root) {
  Experiment& e = r.experiment;
  const ConfigNode* design = root.find("design");
  if (e.sweep_syntax || design == nullptr || !design->is_map()) return;
  if (e.uncertainties.empty() && root.find("uncertainties") == nullptr && e.method != DesignMethod::points)
    r.sink.error(design->where(), "design",
                 "expected `uncertainties` for the " + std::string(e.method_name()) + " design, found none");
  if (e.method != DesignMethod::morris) return;
  if (r.levels_node != nullptr && e.levels % 2 != 0)
    r.sink.error(r.levels_node->where(), "design.levels",
                 "expected an even number of levels, found " + r.levels_node->describe());
  if (r.candidates_node == nullptr || e.candidates == 0) return;
  const std::size_t factors = std::max<std::size_t>(1, e.uncertainties.size());
  if (e.candidates < e.samples) {
    r.sink.error(r.candidates_node->where(), "design.candidates",
                 "expected 0 or at least `trajectories` (" + std::to_string(e.samples) + "), found " +
                     r.candidates_node->describe());
  } else if (morris_selection_work(e.candidates, factors) > max_morris_selection_work) {
    // Keeping the most spread-out trajectories compares every pair of candidates.
    const auto most = std::size_t(std::sqrt(max_morris_selection_work / morris_selection_work(1, factors)));
    r.sink.error(r.candidates_node->where(), "design.candidates",
                 "expected at most " + grouped(most) + " candidates for " + std::to_string(factors) +
                     " uncertain parameter" + (factors == 1 ? "" : "s") +
                     " (choosing the most spread-out trajectories compares every pair of candidates), found " +
                     grouped(e.candidates));
  }
}

/// The number (for the analysis) of each point's text: a number, or the
/// index of the label.
void fill_point_values(Experiment& e) {
  e.point_values = DesignMatrix(e.point_texts.size(), e.uncertainties.size());
  for (std::size_t d = 0; d < e.uncertainties.size(); ++d) {
    auto& u = e.uncertainties[d];
    bool numeric = u.labels.empty();
    if (numeric)
      for (const auto& point : e.point_texts)
        if (!finite_number(point[d])) numeric = false;
    if (!numeric && u.labels.empty()) {
      // A points file's column of texts: labels in order of appearance.
      std::set<std::string> seen;
      for (const auto& point : e.point_texts)
        if (seen.insert(point[d]).second) u.labels.push_back(point[d]);
    }
    const LabelLookup lookup(u);
    for (std::size_t p = 0; p < e.point_texts.size(); ++p) {
      const std::string& text = e.point_texts[p][d];
      if (u.labels.empty()) {
        e.point_values(p, d) = *finite_number(text);
        continue;
      }
      const std::size_t index = lookup.of_text(text).value_or(0);
      const bool numbered = u.distribution.kind == FactorDistribution::Kind::discrete &&
                            index < u.distribution.values.size() && u.distribution.values.size() == u.labels.size();
      e.point_values(p, d) = numbered ? u.distribution.values[index] : double(index);
    }
  }
}

namespace {

/// The text given to --set for value `value` of uncertainty `u`.
std::string value_text(const Uncertainty& u, const LabelLookup& lookup, double value) {
  if (!u.labels.empty()) return u.labels[std::min(u.labels.size() - 1, lookup.of_value(value).value_or(0))];
  if (u.integer) return format_number(std::int64_t(std::llround(value)));
  return format_number(value);
}

/// Points of the design from unit coordinates.
void add_unit_points(Experiment& e, const DesignMatrix& unit) {
  std::vector<LabelLookup> lookups;
  for (const auto& u : e.uncertainties) lookups.emplace_back(u);
  for (std::size_t p = 0; p < unit.rows; ++p) {
    std::vector<std::string> texts;
    for (std::size_t d = 0; d < unit.cols; ++d)
      texts.push_back(value_text(e.uncertainties[d], lookups[d], e.uncertainties[d].distribution.value_at(unit(p, d))));
    e.point_texts.push_back(std::move(texts));
  }
}

}  // namespace

/// How many points the design has, computed without expanding it; nullopt
/// when it is more than max_design_points.
std::optional<std::size_t> design_size(Reader& r) {
  const Experiment& e = r.experiment;
  const std::size_t k = e.uncertainties.size();
  switch (e.method) {
    case DesignMethod::grid: {
      std::size_t count = 1;
      for (std::size_t d = 0; d < k; ++d) {
        const auto& u = e.uncertainties[d];
        std::size_t options = u.labels.size();
        if (options == 0) {
          if (e.levels == 0) {
            r.sink.error(r.uncertainty_where[d], "uncertainties." + u.path,
                         "expected a list of values for a grid (or design.levels for continuous distributions), "
                         "found " +
                             u.description);
            return 0;
          }
          options = e.levels;
        }
        const auto next = times(count, options);
        if (!next || *next > max_design_points) return std::nullopt;
        count = *next;
      }
      return count;
    }
    case DesignMethod::latin_hypercube:
      return e.samples > max_design_points ? std::nullopt : std::optional(e.samples);
    case DesignMethod::sobol: {
      const auto count = times(e.samples, k + 2);
      return count && *count <= max_design_points ? count : std::nullopt;
    }
    case DesignMethod::morris: {
      const auto count = times(e.samples, k + 1);
      return count && *count <= max_design_points ? count : std::nullopt;
    }
    case DesignMethod::points:
      return e.point_texts.size();
  }
  return 0;
}

std::string size_formula(const Experiment& e) {
  const std::size_t k = e.uncertainties.size();
  switch (e.method) {
    case DesignMethod::grid: {
      std::string text;
      for (const auto& u : e.uncertainties)
        text += (text.empty() ? "" : " x ") + std::to_string(u.labels.empty() ? e.levels : u.labels.size());
      return text;
    }
    case DesignMethod::sobol:
      return std::to_string(e.samples) + " base samples x (" + std::to_string(k) + " parameters + 2)";
    case DesignMethod::morris:
      return std::to_string(e.samples) + " trajectories x (" + std::to_string(k) + " parameters + 1)";
    default:
      return std::to_string(e.samples) + " samples";
  }
}

void expand_design(Experiment& e) {
  const std::size_t k = e.uncertainties.size();
  if (k == 0) {
    if (e.method != DesignMethod::points) e.point_texts.assign(1, {});
    return;
  }
  switch (e.method) {
    case DesignMethod::grid: {
      std::vector<std::size_t> options(k), index(k, 0);
      for (std::size_t d = 0; d < k; ++d)
        options[d] = e.uncertainties[d].labels.empty() ? e.levels : e.uncertainties[d].labels.size();
      while (true) {
        std::vector<std::string> texts;
        for (std::size_t d = 0; d < k; ++d) {
          const auto& u = e.uncertainties[d];
          texts.push_back(u.labels.empty()
                              ? value_text(u, LabelLookup(u),
                                           u.distribution.value_at((double(index[d]) + 0.5) / double(options[d])))
                              : u.labels[index[d]]);
        }
        e.point_texts.push_back(std::move(texts));
        std::size_t d = k;  // the last parameter varies fastest
        while (d > 0 && ++index[d - 1] == options[d - 1]) index[--d] = 0;
        if (d == 0) return;
      }
    }
    case DesignMethod::latin_hypercube:
      add_unit_points(e, latin_hypercube(e.samples, k, e.design_seed));
      return;
    case DesignMethod::sobol:
      // Skipping the first base_samples points leaves out the origin (the
      // lowest value of every parameter) and keeps the balance of
      // power-of-two sizes.
      add_unit_points(e, saltelli_design(e.samples, k, e.samples));
      return;
    case DesignMethod::morris:
      e.morris = morris_trajectories(e.samples, k, e.levels, e.design_seed, e.candidates);
      add_unit_points(e, e.morris->points);
      return;
    case DesignMethod::points:
      return;
  }
}

}  // namespace readmit::experiment_file

namespace readmit {

std::string_view Experiment::method_name() const {
  return split(experiment_file::design_method_row().choices, '|')[std::size_t(method)];
}

}  // namespace readmit
