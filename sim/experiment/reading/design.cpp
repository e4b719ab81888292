// The design of an experiment or sweep file: its keys (a sweep's `grid` or
// `latin_hypercube`, an experiment's `design`), its size, and its points: a
// grid, a Latin hypercube, a Sobol/Saltelli or Morris design
// (stats/design.hpp), or a points file (experiment_points_file.cpp); and the
// numbers the analysis sees.
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
constexpr std::string_view hypercube_keys[] = {"samples", "ranges"};
constexpr std::string_view method_names[] = {"grid", "latin_hypercube", "sobol", "morris", "points"};

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

void read_sweep_design(Reader& r, const ConfigNode& root) {
  Experiment& e = r.experiment;
  e.sweep_syntax = true;
  const ConfigNode* grid = root.find("grid");
  const ConfigNode* hypercube = root.find("latin_hypercube");
  if (grid != nullptr && hypercube != nullptr) {
    r.sink.error(hypercube->where(), "latin_hypercube", "expected `grid` or `latin_hypercube`, found both");
    return;
  }
  for (const char* key : {"policies", "uncertainties", "design"})
    if (const ConfigNode* node = root.find(key))
      r.sink.error(node->where(), key,
                   std::string("expected no `") + key + "` in a sweep file (with `" +
                       (grid ? "grid" : "latin_hypercube") + "`); an experiment names its design under `design`");
  if (grid != nullptr) {
    e.method = DesignMethod::grid;
    r.design_where = root.entry("grid")->key_where;
    if (!grid->is_map()) {
      r.sink.error(grid->where(), "grid", "expected a map of PATH: [values], found " + grid->describe());
    } else if (grid->entries().empty()) {
      r.sink.error(grid->where(), "grid", "expected at least one parameter, found an empty map");
    }
    if (!grid->is_map()) return;
    read_uncertainty_entries(r, *grid, "grid.", UncertaintySyntax::values);
    return;
  }
  e.method = DesignMethod::latin_hypercube;
  r.design_where = root.entry("latin_hypercube")->key_where;
  if (!hypercube->is_map()) {
    r.sink.error(hypercube->where(), "latin_hypercube",
                 "expected {samples: N, ranges: {PATH: {min: A, max: B}}}, found " + hypercube->describe());
    return;
  }
  check_keys(*hypercube, "latin_hypercube.", hypercube_keys, r.sink);
  if (const ConfigNode* samples = hypercube->find("samples")) {
    if (auto n = r.integer_option(*samples, "latin_hypercube.samples", 1, 1000000)) e.samples = *n;
  } else {
    r.sink.error(hypercube->where(), "latin_hypercube.samples",
                 "expected the number of samples, found nothing (required)");
  }
  const ConfigNode* ranges = hypercube->find("ranges");
  if (ranges == nullptr || !ranges->is_map() || ranges->entries().empty()) {
    r.sink.error(ranges ? ranges->where() : hypercube->where(), "latin_hypercube.ranges",
                 "expected a map of PATH: {min: A, max: B}, found " + (ranges ? ranges->describe() : "nothing"));
    return;
  }
  read_uncertainty_entries(r, *ranges, "latin_hypercube.ranges.", UncertaintySyntax::range);
}

void read_experiment_design(Reader& r, const ConfigNode& root) {
  Experiment& e = r.experiment;
  const ConfigNode* design = root.find("design");
  if (design == nullptr) {
    if (root.find("uncertainties") != nullptr)
      r.sink.error(root.where(), "design",
                   "expected the design of the uncertainties (grid, latin_hypercube, sobol, morris or points), found "
                   "nothing (required)");
    e.method = DesignMethod::grid;  // no uncertainty: one point
    return;
  }
  r.design_where = root.entry("design")->key_where;
  if (!design->is_map()) {
    r.sink.error(design->where(), "design", "expected {method: ..., ...}, found " + design->describe());
    return;
  }
  const ConfigNode* method = design->find("method");
  if (method == nullptr || !method->is_scalar()) {
    r.sink.error(method ? method->where() : design->where(), "design.method",
                 "expected grid, latin_hypercube, sobol, morris or points, found " +
                     (method ? method->describe() : std::string("nothing")));
    return;
  }
  const auto it = std::find(std::begin(method_names), std::end(method_names), method->text());
  if (it == std::end(method_names)) {
    r.sink.error(method->where(), "design.method",
                 unknown_name_message("unknown design", method->text(), method_names));
    return;
  }
  e.method = DesignMethod(it - std::begin(method_names));
  std::vector<std::string_view> allowed{"method"};
  switch (e.method) {
    case DesignMethod::grid:
      allowed.emplace_back("levels");
      break;
    case DesignMethod::latin_hypercube:
      allowed.insert(allowed.end(), {"samples", "seed"});
      break;
    case DesignMethod::sobol:
      allowed.emplace_back("base_samples");
      break;
    case DesignMethod::morris:
      allowed.insert(allowed.end(), {"trajectories", "levels", "candidates", "seed"});
      break;
    case DesignMethod::points:
      allowed.emplace_back("file");
      break;
  }
  check_keys(*design, "design.", allowed, r.sink, "unknown key", " for the " + method->text() + " design");
  const auto required = [&](std::string_view key) -> const ConfigNode* {
    const ConfigNode* node = design->find(key);
    if (node == nullptr)
      r.sink.error(design->where(), "design." + std::string(key),
                   "expected a value (required by the " + method->text() + " design), found nothing");
    return node;
  };
  if (e.uncertainties.empty() && root.find("uncertainties") == nullptr && e.method != DesignMethod::points)
    r.sink.error(design->where(), "design",
                 "expected `uncertainties` for the " + method->text() + " design, found none");
  if (e.method == DesignMethod::latin_hypercube) {
    if (const ConfigNode* n = required("samples"))
      if (auto v = r.integer_option(*n, "design.samples", 1, max_design_points)) e.samples = *v;
  } else if (e.method == DesignMethod::sobol) {
    if (const ConfigNode* n = required("base_samples"))
      if (auto v = r.integer_option(*n, "design.base_samples", 2, max_design_points)) e.samples = *v;
  } else if (e.method == DesignMethod::morris) {
    if (const ConfigNode* n = required("trajectories"))
      if (auto v = r.integer_option(*n, "design.trajectories", 2, max_design_points)) e.samples = *v;
    e.levels = 4;
    if (const ConfigNode* n = design->find("levels")) {
      if (auto v = r.integer_option(*n, "design.levels", 2, 1000)) {
        if (*v % 2 != 0)
          r.sink.error(n->where(), "design.levels", "expected an even number of levels, found \"" + n->text() + "\"");
        e.levels = *v;
      }
    }
    if (const ConfigNode* n = design->find("candidates"))
      if (auto v = r.integer_option(*n, "design.candidates", 0, 100000)) {
        const std::size_t factors = std::max<std::size_t>(1, e.uncertainties.size());
        if (*v != 0 && *v < e.samples) {
          r.sink.error(
              n->where(), "design.candidates",
              "expected 0 or at least `trajectories` (" + std::to_string(e.samples) + "), found \"" + n->text() + "\"");
        } else if (morris_selection_work(*v, factors) > max_morris_selection_work) {
          // Keeping the most spread-out trajectories compares every pair of candidates.
          const auto most = std::size_t(std::sqrt(max_morris_selection_work / morris_selection_work(1, factors)));
          r.sink.error(n->where(), "design.candidates",
                       "expected at most " + grouped(most) + " candidates for " + std::to_string(factors) +
                           " uncertain parameter" + (factors == 1 ? "" : "s") +
                           " (choosing the most spread-out trajectories compares every pair of candidates), found " +
                           grouped(*v));
        }
        e.candidates = *v;
      }
  } else if (e.method == DesignMethod::grid) {
    if (const ConfigNode* n = design->find("levels"))
      if (auto v = r.integer_option(*n, "design.levels", 1, max_design_points)) e.levels = *v;
  } else if (e.method == DesignMethod::points) {
    if (const ConfigNode* n = required("file")) {
      if (!n->is_scalar() || n->text().empty()) {
        r.sink.error(n->where(), "design.file", "expected a CSV file, found " + n->describe());
      } else {
        e.points_file = (r.directory / n->text()).lexically_normal();
        r.points_file_where = n->where();
      }
    }
  }
  if (const ConfigNode* n = design->find("seed")) {
    if (auto v = r.integer_option(*n, "design.seed", 0, std::size_t(9007199254740991))) r.design_seed = *v;
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
        if (!parse_real(point[d])) numeric = false;
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
        e.point_values(p, d) = *parse_real(text);
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

std::string_view Experiment::method_name() const { return experiment_file::method_names[std::size_t(method)]; }

}  // namespace readmit
