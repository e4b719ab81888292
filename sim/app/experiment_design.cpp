// The design of an experiment or sweep file: the points of a grid, a Latin
// hypercube, a Sobol/Saltelli or Morris design (stats/design.hpp), or a
// points file; and the numbers the analysis sees.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "experiment_reader.hpp"
#include "readmit/io/csv.hpp"
#include "readmit/util/text.hpp"

namespace readmit::experiment_file {

/// Reads the points CSV of the `points` design. Its header names the
/// parameters (a first column `point` is allowed); with `uncertainties`,
/// exactly theirs, and each value must lie in its distribution's range.
void read_points_file(Reader& r) {
  Experiment& e = r.experiment;
  const std::string origin_text = e.points_file.string();
  const auto origin = std::make_shared<const std::string>(origin_text);
  std::ifstream in(e.points_file, std::ios::binary);
  if (!in) {
    r.sink.error(r.design_where, "design.file", "expected a readable CSV file, found none at " + origin_text);
    return;
  }
  std::string line;
  std::size_t line_number = 0;
  std::vector<std::string> header;
  const bool declared = !e.uncertainties.empty();
  std::vector<std::size_t> column_of;  // per uncertainty: its CSV column
  std::vector<LabelLookup> lookups;
  for (const auto& u : e.uncertainties) lookups.emplace_back(u);
  bool point_column = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto fields = parse_csv_record(line);
    const SourceLocation at_line{origin, int(line_number), 1};
    if (!fields) {
      r.sink.error(at_line, "", "expected a CSV record, found a quote that is not closed or text after it");
      return;
    }
    if (header.empty()) {
      header = *fields;
      point_column = !header.empty() && header[0] == "point";
      for (std::size_t c = point_column ? 1 : 0; c < header.size(); ++c) {
        if (!valid_path(header[c])) {
          r.sink.error(at_line, "", "expected a parameter path as column name, found \"" + header[c] + "\"");
          return;
        }
        if (!declared) {
          Uncertainty u;
          u.path = header[c];
          u.description = "values from " + e.points_file.filename().string();
          e.uncertainties.push_back(std::move(u));
          r.uncertainty_where.push_back(at_line);
          r.label_where.emplace_back();
        }
      }
      for (const auto& u : e.uncertainties) {
        const auto it = std::find(header.begin(), header.end(), u.path);
        if (it == header.end()) {
          r.sink.error(at_line, "", "expected a column for the uncertainty " + u.path + ", found none");
          return;
        }
        column_of.push_back(std::size_t(it - header.begin()));
      }
      if (header.size() != column_of.size() + (point_column ? 1 : 0)) {
        r.sink.error(at_line, "",
                     "expected only the uncertainties' columns (and `point`), found " + std::to_string(header.size()) +
                         " columns");
        return;
      }
      continue;
    }
    if (fields->size() != header.size()) {
      r.sink.error(at_line, "",
                   "expected " + std::to_string(header.size()) + " fields, found " + std::to_string(fields->size()));
      continue;
    }
    if (e.point_texts.size() >= max_design_points) {
      r.sink.error(at_line, "", "expected at most " + grouped(max_design_points) + " design points, found more");
      return;
    }
    if (point_column && (*fields)[0] != std::to_string(e.point_texts.size() + 1)) {
      r.sink.error(at_line, "point",
                   "expected point " + std::to_string(e.point_texts.size() + 1) + ", found \"" + (*fields)[0] + "\"");
      continue;
    }
    std::vector<std::string> texts;
    for (std::size_t d = 0; d < e.uncertainties.size(); ++d) {
      const std::string& text = (*fields)[column_of[d]];
      texts.push_back(text);
      if (!declared) continue;
      const auto& u = e.uncertainties[d];
      const auto value = parse_real(text);
      const bool is_label = lookups[d].of_text(text).has_value();
      if (!u.labels.empty() ? !is_label
                            : (!value || *value < u.distribution.min_value() || *value > u.distribution.max_value() ||
                               (u.integer && std::floor(*value) != *value)))
        r.sink.error(at_line, u.path,
                     "expected a value of the uncertainty (" + u.description + "), found \"" + text + "\"");
    }
    e.point_texts.push_back(std::move(texts));
  }
  if (header.empty()) r.sink.error(SourceLocation{origin, 1, 1}, "", "expected a header row, found an empty file");
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
