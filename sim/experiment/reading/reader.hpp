#pragma once
// Internal to the app module: the state of an experiment or sweep file being
// read, and the pieces that read it:
//   experiment_file.cpp          load_experiment: common keys, cross-checks,
//                                every point checked under every policy
//   experiment_yaml.cpp          numbers, paths, keys, overrides as --set texts
//   experiment_policies.cpp      `policies`
//   experiment_uncertainties.cpp `uncertainties`, a grid's values, ranges
//   experiment_design.cpp        the design: its keys, size and points
//   experiment_points_file.cpp   the points CSV of the `points` design
//   experiment_outcomes.cpp      `outcomes`, `analysis` and `prim`
#include <charconv>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "readmit/experiment/experiment.hpp"
#include "readmit/engine/run_totals.hpp"

namespace readmit::experiment_file {

template <class Integer>
std::optional<Integer> parse_integer(std::string_view text) {
  Integer value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// Why `name` cannot be uncertain (or a column of a points file).
inline constexpr std::string_view uncertain_name_message =
    "expected a parameter of the model, found `name`: it labels every row of a point (each policy's scenario is "
    "named after the policy), so it cannot vary";

/// A finite number (a leading '+' allowed); nullopt otherwise.
std::optional<double> parse_real(std::string_view text);

/// A parameter path usable in `--set PATH=VALUE`.
bool valid_path(std::string_view path);

/// "1,234,567" (for the number of points in messages).
std::string grouped(std::size_t value);

/// value * factor, or nullopt past max_design_points (no overflow).
std::optional<std::size_t> times(std::size_t value, std::size_t factor);

/// Reports each key of `map` that is not `known`, at its key, under
/// `prefix` (e.g. "design."): `WHAT "KEY"QUALIFIER; did you mean ...`.
/// Returns whether every key is known.
bool check_keys(const ConfigNode& map, const std::string& prefix, std::span<const std::string_view> known,
                DiagnosticSink& sink, std::string_view what = "unknown key", const std::string& qualifier = {});

/// A scalar as YAML text that parses back to the same scalar: plain when
/// that is safe, double-quoted otherwise.
std::string yaml_scalar(const std::string& text);

/// A value as flow-style YAML text, for a --set override.
std::string flow_yaml(const ConfigNode& node);

/// Where an override came from in the experiment file, to relocate the
/// scenario loader's messages about it.
struct OverrideSource {
  std::string path;
  SourceLocation key_where;
  SourceLocation value_where;
  std::string suffix;  // appended to the message
};

/// Reads a map of overrides (`set`, a policy's `set`), flattening nested
/// maps into dotted paths; lists are kept whole (flow YAML).
void read_overrides(const ConfigNode& node, const std::string& key_prefix, const std::string& prefix,
                    std::vector<std::pair<std::string, std::string>>& out, std::vector<OverrideSource>& sources,
                    DiagnosticSink& sink);

/// The parts of a file being read: the sink, the source positions of its
/// overrides, and what the design needs before the scenario loads.
struct Reader {
  Experiment& experiment;
  DiagnosticSink& sink;
  std::filesystem::path directory;
  std::vector<OverrideSource> fixed_sources{};
  std::vector<std::vector<OverrideSource>> policy_sources{};
  std::vector<SourceLocation> policy_where{};
  std::vector<SourceLocation> uncertainty_where{};         // the key of each uncertainty
  std::vector<std::vector<SourceLocation>> label_where{};  // discrete lists: each value
  std::vector<SourceLocation> outcome_where{};
  std::vector<const ConfigNode*> prim_nodes{};
  SourceLocation design_where{};
  SourceLocation points_file_where{};                       // design.file's value
  std::optional<std::uint64_t> design_seed{};               // design.seed, when given
  SourceLocation scenario_where{};                          // the `scenario` value
  std::vector<std::vector<FileReference>> overlay_files{};  // per policy: its overlays, where they are named
  std::optional<std::size_t> integer_option(const ConfigNode& node, const std::string& path, std::size_t min,
                                            std::size_t max) {
    const auto value = node.is_scalar() ? parse_integer<std::size_t>(node.text()) : std::nullopt;
    if (!value || *value < min || *value > max) {
      sink.error(node.where(), path,
                 "expected a whole number in [" + std::to_string(min) + ", " + std::to_string(max) + "], found " +
                     node.describe());
      return std::nullopt;
    }
    return value;
  }
  std::optional<double> real_option(const ConfigNode& node, const std::string& path) {
    const auto value = node.is_scalar() ? parse_real(node.text()) : std::nullopt;
    if (!value) sink.error(node.where(), path, "expected a number, found " + node.describe());
    return value;
  }
};

/// The index of a discrete uncertainty's label (by text) or value (by
/// number): the first of equal ones. Built once per uncertainty, so that
/// looking points up stays linear in the points.
class LabelLookup {
 public:
  explicit LabelLookup(const Uncertainty& u) {
    for (std::size_t i = 0; i < u.labels.size(); ++i) by_text_.emplace(u.labels[i], i);
    if (u.distribution.values.size() == u.labels.size())
      for (std::size_t i = 0; i < u.distribution.values.size(); ++i) by_value_.emplace(u.distribution.values[i], i);
  }
  std::optional<std::size_t> of_text(const std::string& text) const {
    const auto it = by_text_.find(text);
    return it == by_text_.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<std::size_t> of_value(double value) const {
    const auto it = by_value_.find(value);
    return it == by_value_.end() ? std::nullopt : std::optional(it->second);
  }

 private:
  std::unordered_map<std::string, std::size_t> by_text_;
  std::map<double, std::size_t> by_value_;
};

/// The experiment syntax's `policies`: each policy's overlays and overrides.
void read_policies(Reader& r, const ConfigNode& policies);

/// How the entries of a map of uncertainties are written.
enum class UncertaintySyntax {
  distribution,  // an experiment's: {dist: KIND, ...} or a list of values
  values,        // a sweep's grid: a list of values
  range,         // a sweep's latin_hypercube.ranges: {min: A, max: B}
};

/// Reads each PATH: SPEC entry of `map` into an uncertainty, with its
/// positions; messages name `key_prefix` + PATH.
void read_uncertainty_entries(Reader& r, const ConfigNode& map, const std::string& key_prefix,
                              UncertaintySyntax syntax);

/// The experiment syntax's `uncertainties`.
void read_uncertainties(Reader& r, const ConfigNode& uncertainties);

/// The sweep syntax: `grid` (every combination) or `latin_hypercube`.
void read_sweep_design(Reader& r, const ConfigNode& root);

/// The experiment syntax's `design`, once its uncertainties are read.
void read_experiment_design(Reader& r, const ConfigNode& root);

/// `outcomes` and `analysis`, and the `prim` questions kept for read_prim.
void read_outcomes(Reader& r, const ConfigNode& root);

/// PRIM questions, once outcomes and policies are known.
void read_prim(Reader& r);

/// Whether the run totals of `layout` have `outcome`; otherwise the reason.
std::string missing_outcome(const RunTotalsLayout& layout, const Outcome& outcome);

/// Reads the points CSV of the `points` design. Its header names the
/// parameters (a first column `point` is allowed); with `uncertainties`,
/// exactly theirs, and each value must lie in its distribution's range.
void read_points_file(Reader& r);

/// The number (for the analysis) of each point's text: a number, or the
/// index of the label.
void fill_point_values(Experiment& e);

/// How many points the design has, computed without expanding it; nullopt
/// when it is more than max_design_points.
std::optional<std::size_t> design_size(Reader& r);

/// The formula of the design's size, for the message refusing it.
std::string size_formula(const Experiment& e);

/// The design's points (Experiment::point_texts), in order.
void expand_design(Experiment& e);

}  // namespace readmit::experiment_file
