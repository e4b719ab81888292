// Experiment and sweep files: reading, validation with located errors, the
// design, and the check of every point under every policy before anything
// runs.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

#include "experiment_reader.hpp"
#include "readmit/app/ensemble_run.hpp"
#include "readmit/app/experiment.hpp"
#include "readmit/engine/run_totals.hpp"
#include "readmit/io/csv.hpp"
#include "readmit/io/run_output.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/util/text.hpp"

namespace readmit {

namespace fs = std::filesystem;

namespace experiment_file {

std::optional<double> parse_real(std::string_view text) {
  double value = 0;
  const char* begin = text.data() + (!text.empty() && text[0] == '+' ? 1 : 0);
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

/// A parameter path usable in `--set PATH=VALUE`.
bool valid_path(std::string_view path) {
  if (path.empty() || path.front() == '.' || path.back() == '.' || path.find("..") != std::string_view::npos)
    return false;
  return std::none_of(path.begin(), path.end(), [](char c) { return c == '=' || c == ' ' || c == '\t'; });
}

/// "1,234,567" (for the number of points in messages).
std::string grouped(std::size_t value) {
  std::string digits = std::to_string(value), text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

/// value * factor, or nullopt past max_design_points (no overflow).
std::optional<std::size_t> times(std::size_t value, std::size_t factor) {
  if (factor != 0 && value > max_design_points / factor + 1) return std::nullopt;
  return value * factor;
}

}  // namespace experiment_file

using namespace experiment_file;

namespace {

constexpr std::string_view top_keys[] = {
    "scenario",      "replications", "seed",     "set",  "outcome_windows", "keep",
    "outcomes",      "prim",         "analysis", "grid", "latin_hypercube", "policies",
    "uncertainties", "design"};
constexpr std::string_view hypercube_keys[] = {"samples", "ranges"};
constexpr std::string_view range_keys[] = {"min", "max"};
constexpr std::string_view policy_keys[] = {"overlays", "set"};
constexpr std::string_view keep_names[] = {"replications", "timeseries", "events"};
constexpr std::string_view prim_keys[] = {
    "outcome",     "policy",   "difference",        "below",    "above", "peel_alpha",
    "paste_alpha", "min_mass", "threshold_density", "max_boxes"};
constexpr std::string_view analysis_keys[] = {"bootstrap_samples"};
constexpr std::string_view method_names[] = {"grid", "latin_hypercube", "sobol", "morris", "points"};
constexpr std::string_view distribution_names[] = {"uniform", "log_uniform", "normal", "triangular", "discrete"};
constexpr std::size_t max_name_length = 64;
/// Distinct errors about points reported before the rest are counted only.
constexpr std::size_t max_point_errors = 50;

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void check_keys(const ConfigNode& map, const std::string& prefix, std::span<const std::string_view> known,
                DiagnosticSink& sink) {
  for (const auto& entry : map.entries())
    if (std::find(known.begin(), known.end(), entry.key) == known.end())
      sink.error(entry.key_where, prefix + entry.key, unknown_name_message("unknown key", entry.key, known));
}

/// Names of policies: they label rows and name scenarios.
bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= max_name_length && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

/// The parameter table's row for a concrete path (partners.cambodia.x
/// matches partners.*.x, steps.0 matches steps.[]), if any.
const ParamSpec* find_parameter(std::string_view path) {
  const auto parts = split(path, '.');
  for (const auto& spec : parameter_table()) {
    const auto pattern = split(spec.path, '.');
    if (pattern.size() != parts.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < parts.size() && match; ++i)
      match = pattern[i] == parts[i] || pattern[i] == "*" ||
              (pattern[i] == "[]" && parse_integer<std::size_t>(parts[i]).has_value());
    if (match) return &spec;
  }
  return nullptr;
}

/// A scalar as YAML text that parses back to the same scalar: plain when
/// that is safe, double-quoted otherwise.
std::string yaml_scalar(const std::string& text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == '+' || c == '/';
  });
  if (plain) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    quoted += c;
  }
  return quoted + "\"";
}

/// A value as flow-style YAML text, for a --set override.
std::string flow_yaml(const ConfigNode& node) {
  switch (node.kind()) {
    case ConfigNode::Kind::null:
      return "";
    case ConfigNode::Kind::scalar:
      return yaml_scalar(node.text());
    case ConfigNode::Kind::sequence: {
      std::string text = "[";
      for (std::size_t i = 0; i < node.items().size(); ++i)
        text += (i ? ", " : "") + (node.items()[i].is_null() ? std::string("~") : flow_yaml(node.items()[i]));
      return text + "]";
    }
    case ConfigNode::Kind::map: {
      std::string text = "{";
      for (std::size_t i = 0; i < node.entries().size(); ++i) {
        const auto& entry = node.entries()[i];
        text += (i ? ", " : "") + yaml_scalar(entry.key) + ": " +
                (entry.value.is_null() ? std::string("~") : flow_yaml(entry.value));
      }
      return text + "}";
    }
  }
  return "";
}

/// Where a key of a map is written (the map itself when it has no such key).
SourceLocation key_where(const ConfigNode& map, std::string_view key) {
  for (const auto& entry : map.entries())
    if (entry.key == key) return entry.key_where;
  return map.where();
}

std::string override_origin(const std::string& text) { return "command line (--set " + text + ")"; }

/// Reads a map of overrides (`set`, a policy's `set`), flattening nested
/// maps into dotted paths; lists are kept whole (flow YAML).
void read_overrides(const ConfigNode& node, const std::string& key_prefix, const std::string& prefix,
                    std::vector<std::pair<std::string, std::string>>& out, std::vector<OverrideSource>& sources,
                    DiagnosticSink& sink) {
  for (const auto& entry : node.entries()) {
    const std::string path = prefix.empty() ? entry.key : prefix + "." + entry.key;
    if (!valid_path(entry.key)) {
      sink.error(entry.key_where, key_prefix + path, "expected a dotted parameter path, found \"" + entry.key + "\"");
    } else if (entry.value.is_map() && !entry.value.entries().empty()) {
      read_overrides(entry.value, key_prefix, path, out, sources, sink);
    } else {
      out.emplace_back(path, flow_yaml(entry.value));
      sources.push_back({path, entry.key_where, entry.value.where(), ""});
    }
  }
}

/// Moves the loader's diagnostics about `--set` texts of this file to the
/// position that produced them; others (inside the scenario files) stay.
void relocate_into(const ScenarioError& error, const std::map<std::string, OverrideSource>& by_origin,
                   std::vector<Diagnostic>& out, std::set<std::string>& seen) {
  for (Diagnostic d : error.diagnostics()) {
    if (d.where.origin) {
      if (const auto it = by_origin.find(*d.where.origin); it != by_origin.end()) {
        const auto& source = it->second;
        // A message about the value sits at the value; one about the path (an
        // unknown key, a missing sibling) at the key.
        d.where =
            d.key_path == source.path && !d.message.starts_with("unknown") ? source.value_where : source.key_where;
        d.message += source.suffix;
      }
    }
    if (seen.insert(d.to_string()).second) out.push_back(std::move(d));
  }
}

/// A discrete uncertainty from a list of YAML scalars: numbers when all are.
std::optional<Uncertainty> discrete_uncertainty(Reader& r, const std::string& path, const ConfigNode& list,
                                                const std::string& key_path, const ConfigNode* weights) {
  if (!list.is_sequence()) {
    r.sink.error(list.where(), key_path, "expected a list of values, found " + list.describe());
    return std::nullopt;
  }
  if (list.items().empty()) {
    r.sink.error(list.where(), key_path, "expected at least one value, found an empty list");
    return std::nullopt;
  }
  Uncertainty u;
  u.path = path;
  std::vector<double> numbers;
  std::vector<SourceLocation> where;
  bool ok = true;
  for (std::size_t i = 0; i < list.items().size(); ++i) {
    const auto& item = list.items()[i];
    if (!item.is_scalar()) {
      r.sink.error(item.where(), key_path + "[" + std::to_string(i) + "]",
                   "expected a scalar value, found " + item.describe());
      ok = false;
      continue;
    }
    u.labels.push_back(item.text());
    where.push_back(item.where());
    if (const auto number = parse_real(item.text())) numbers.push_back(*number);
  }
  if (!ok) return std::nullopt;
  std::vector<double> weight_values;
  if (weights != nullptr) {
    if (!weights->is_sequence() || weights->items().size() != u.labels.size()) {
      r.sink.error(weights->where(), path + ".weights",
                   "expected a list of " + std::to_string(u.labels.size()) + " weights, found " + weights->describe());
      return std::nullopt;
    }
    for (std::size_t i = 0; i < weights->items().size(); ++i) {
      const auto w = r.real_option(weights->items()[i], path + ".weights[" + std::to_string(i) + "]");
      if (!w) return std::nullopt;
      if (!(*w >= 0)) {
        r.sink.error(weights->items()[i].where(), path + ".weights[" + std::to_string(i) + "]",
                     "expected a weight >= 0, found \"" + weights->items()[i].text() + "\"");
        return std::nullopt;
      }
      weight_values.push_back(*w);
    }
  }
  std::vector<double> values;
  if (numbers.size() == u.labels.size()) {
    values = numbers;
    const ParamSpec* spec = find_parameter(path);
    u.integer = spec != nullptr && spec->type == ParamType::integer &&
                std::all_of(numbers.begin(), numbers.end(), [](double v) { return std::floor(v) == v; });
  } else {
    for (std::size_t i = 0; i < u.labels.size(); ++i) values.push_back(double(i));
  }
  try {
    u.distribution = FactorDistribution::discrete(values, weight_values);
  } catch (const std::invalid_argument& e) {
    r.sink.error(list.where(), key_path, std::string("expected a valid discrete distribution: ") + e.what());
    return std::nullopt;
  }
  u.description = "values [" + [&] {
    std::string text;
    for (const auto& label : u.labels) text += (text.empty() ? "" : ", ") + label;
    return text;
  }() + "]";
  r.label_where.back() = std::move(where);
  return u;
}

/// An uncertainty from {dist: KIND, ...} or a list of values.
std::optional<Uncertainty> read_uncertainty(Reader& r, const std::string& path, const ConfigNode& node) {
  const std::string key_path = "uncertainties." + path;
  if (node.is_sequence()) return discrete_uncertainty(r, path, node, key_path, nullptr);
  if (!node.is_map()) {
    r.sink.error(node.where(), key_path,
                 "expected {dist: uniform|log_uniform|normal|triangular|discrete, ...} or a list of values, found " +
                     node.describe());
    return std::nullopt;
  }
  const ConfigNode* kind = node.find("dist");
  if (kind == nullptr || !kind->is_scalar()) {
    r.sink.error(kind ? kind->where() : node.where(), key_path + ".dist",
                 "expected the distribution (uniform, log_uniform, normal, triangular, discrete), found " +
                     (kind ? kind->describe() : std::string("nothing")));
    return std::nullopt;
  }
  const std::string dist = kind->text();
  if (std::find(std::begin(distribution_names), std::end(distribution_names), dist) == std::end(distribution_names)) {
    r.sink.error(kind->where(), key_path + ".dist",
                 unknown_name_message("unknown distribution", dist, distribution_names));
    return std::nullopt;
  }
  std::vector<std::string_view> allowed{"dist"};
  if (dist == "uniform" || dist == "log_uniform") allowed.insert(allowed.end(), {"min", "max"});
  if (dist == "normal") allowed.insert(allowed.end(), {"mean", "sd", "min", "max"});
  if (dist == "triangular") allowed.insert(allowed.end(), {"min", "mode", "max"});
  if (dist == "discrete") allowed.insert(allowed.end(), {"values", "weights"});
  bool ok = true;
  for (const auto& entry : node.entries())
    if (std::find(allowed.begin(), allowed.end(), entry.key) == allowed.end()) {
      r.sink.error(entry.key_where, key_path + "." + entry.key,
                   unknown_name_message("unknown parameter", entry.key, allowed, " of a " + dist + " distribution"));
      ok = false;
    }
  if (!ok) return std::nullopt;
  if (dist == "discrete") {
    const ConfigNode* values = node.find("values");
    if (values == nullptr) {
      r.sink.error(node.where(), key_path + ".values", "expected a list of values (required), found nothing");
      return std::nullopt;
    }
    return discrete_uncertainty(r, path, *values, key_path + ".values", node.find("weights"));
  }
  std::map<std::string, double, std::less<>> numbers;
  for (const auto& entry : node.entries()) {
    if (entry.key == "dist") continue;
    const auto value = r.real_option(entry.value, key_path + "." + entry.key);
    if (!value) return std::nullopt;
    numbers[entry.key] = *value;
  }
  for (const auto required : allowed) {
    const bool optional = required == "dist" || (dist == "normal" && (required == "min" || required == "max"));
    if (!optional && !numbers.contains(required)) {
      r.sink.error(node.where(), key_path + "." + std::string(required),
                   "expected a number (required by a " + dist + " distribution), found nothing");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  Uncertainty u;
  u.path = path;
  const ParamSpec* spec = find_parameter(path);
  u.integer = spec != nullptr && spec->type == ParamType::integer;
  const auto get = [&](std::string_view key, double fallback) {
    const auto it = numbers.find(key);
    return it == numbers.end() ? fallback : it->second;
  };
  const double inf = std::numeric_limits<double>::infinity();
  try {
    if (dist == "uniform")
      u.distribution = FactorDistribution::uniform(get("min", 0), get("max", 0), u.integer);
    else if (dist == "log_uniform")
      u.distribution = FactorDistribution::log_uniform(get("min", 0), get("max", 0), u.integer);
    else if (dist == "normal")
      u.distribution =
          FactorDistribution::normal(get("mean", 0), get("sd", 0), get("min", -inf), get("max", inf), u.integer);
    else
      u.distribution = FactorDistribution::triangular(get("min", 0), get("mode", 0), get("max", 0), u.integer);
  } catch (const std::invalid_argument& e) {
    r.sink.error(node.where(), key_path,
                 std::string("expected a valid distribution") + (u.integer ? " for a whole-number parameter" : "") +
                     ": " + e.what());
    return std::nullopt;
  }
  u.description = dist;
  for (const auto& entry : node.entries())  // in file order
    if (entry.key != "dist") u.description += " " + entry.key + " " + format_number(numbers.at(entry.key));
  if (u.integer) u.description += ", whole numbers";
  return u;
}

/// The sweep syntax: grid (every combination) or latin_hypercube.
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
    r.design_where = key_where(root, "grid");
    if (!grid->is_map()) {
      r.sink.error(grid->where(), "grid", "expected a map of PATH: [values], found " + grid->describe());
    } else if (grid->entries().empty()) {
      r.sink.error(grid->where(), "grid", "expected at least one parameter, found an empty map");
    }
    if (!grid->is_map()) return;
    for (const auto& entry : grid->entries()) {
      if (!valid_path(entry.key)) {
        r.sink.error(entry.key_where, "grid." + entry.key,
                     "expected a dotted parameter path, found \"" + entry.key + "\"");
        continue;
      }
      r.uncertainty_where.push_back(entry.key_where);
      r.label_where.emplace_back();
      if (auto u = discrete_uncertainty(r, entry.key, entry.value, "grid." + entry.key, nullptr)) {
        e.uncertainties.push_back(std::move(*u));
      } else {
        r.uncertainty_where.pop_back();
        r.label_where.pop_back();
      }
    }
    return;
  }
  e.method = DesignMethod::latin_hypercube;
  r.design_where = key_where(root, "latin_hypercube");
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
  for (const auto& entry : ranges->entries()) {
    const std::string key_path = "latin_hypercube.ranges." + entry.key;
    if (!valid_path(entry.key)) {
      r.sink.error(entry.key_where, key_path, "expected a dotted parameter path, found \"" + entry.key + "\"");
      continue;
    }
    if (!entry.value.is_map()) {
      r.sink.error(entry.value.where(), key_path, "expected {min: A, max: B}, found " + entry.value.describe());
      continue;
    }
    check_keys(entry.value, key_path + ".", range_keys, r.sink);
    std::optional<double> bounds[2];
    bool ok = true;
    for (std::size_t b = 0; b < 2; ++b) {
      const ConfigNode* bound = entry.value.find(range_keys[b]);
      if (bound == nullptr) {
        r.sink.error(entry.value.where(), key_path + "." + std::string(range_keys[b]),
                     "expected a number, found nothing");
        ok = false;
      } else if (!(bounds[b] = r.real_option(*bound, key_path + "." + std::string(range_keys[b])))) {
        ok = false;
      }
    }
    if (!ok) continue;
    if (*bounds[1] < *bounds[0]) {
      r.sink.error(
          entry.value.find("max")->where(), key_path + ".max",
          "expected a number >= min (" + format_number(*bounds[0]) + "), found " + entry.value.find("max")->describe());
      continue;
    }
    Uncertainty u;
    u.path = entry.key;
    const ParamSpec* spec = find_parameter(entry.key);
    u.integer = spec != nullptr && spec->type == ParamType::integer;
    if (u.integer && (std::floor(*bounds[0]) != *bounds[0] || std::floor(*bounds[1]) != *bounds[1])) {
      r.sink.error(entry.value.where(), key_path,
                   "expected whole-number bounds for a whole-number parameter, found [" + format_number(*bounds[0]) +
                       ", " + format_number(*bounds[1]) + "]");
      continue;
    }
    // A range of one value is a constant: the unit interval maps onto it.
    u.distribution = *bounds[1] > *bounds[0] ? FactorDistribution::uniform(*bounds[0], *bounds[1], u.integer)
                                             : FactorDistribution::discrete({*bounds[0]});
    u.description = "uniform min " + format_number(*bounds[0]) + " max " + format_number(*bounds[1]) +
                    (u.integer ? ", whole numbers" : "");
    r.uncertainty_where.push_back(entry.key_where);
    r.label_where.emplace_back();
    e.uncertainties.push_back(std::move(u));
  }
}

/// The experiment syntax: policies, uncertainties, design.
void read_experiment_design(Reader& r, const ConfigNode& root) {
  Experiment& e = r.experiment;
  if (const ConfigNode* policies = root.find("policies")) {
    if (!policies->is_map() || policies->entries().empty()) {
      r.sink.error(policies->where(), "policies",
                   "expected a map of NAME: {overlays: [files], set: {PATH: VALUE}}, found " + policies->describe());
    } else {
      for (const auto& entry : policies->entries()) {
        const std::string key_path = "policies." + entry.key;
        if (!valid_name(entry.key)) {
          r.sink.error(entry.key_where, key_path,
                       "expected a name of at most 64 letters, digits, '_' or '-', found \"" + entry.key + "\"");
          continue;
        }
        Policy policy;
        policy.name = entry.key;
        std::vector<OverrideSource> sources;
        if (entry.value.is_map()) {
          check_keys(entry.value, key_path + ".", policy_keys, r.sink);
          if (const ConfigNode* overlays = entry.value.find("overlays")) {
            if (!overlays->is_sequence()) {
              r.sink.error(overlays->where(), key_path + ".overlays",
                           "expected a list of files, found " + overlays->describe());
            } else {
              for (const auto& item : overlays->items()) {
                if (!item.is_scalar() || item.text().empty()) {
                  r.sink.error(item.where(), key_path + ".overlays", "expected a file name, found " + item.describe());
                  continue;
                }
                policy.overlays.push_back((r.directory / item.text()).lexically_normal());
                r.overlay_files.emplace_back(policy.overlays.back().string(), item.where());
              }
            }
          }
          if (const ConfigNode* set = entry.value.find("set")) {
            if (set->is_map())
              read_overrides(*set, key_path + ".set.", "", policy.overrides, sources, r.sink);
            else if (!set->is_null())
              r.sink.error(set->where(), key_path + ".set", "expected a map of PATH: VALUE, found " + set->describe());
          }
        } else if (!entry.value.is_null()) {
          r.sink.error(entry.value.where(), key_path,
                       "expected {overlays: [files], set: {PATH: VALUE}} or {}, found " + entry.value.describe());
          continue;
        }
        for (const auto& source : sources)
          if (source.path == "name")
            r.sink.error(source.key_where, key_path + ".set.name", "expected no `name`: a policy's name is its key");
        e.policies.push_back(std::move(policy));
        e.named_policies = true;
        r.policy_sources.push_back(std::move(sources));
        r.policy_where.push_back(entry.key_where);
      }
    }
  }
  if (const ConfigNode* uncertainties = root.find("uncertainties")) {
    if (!uncertainties->is_map() || uncertainties->entries().empty()) {
      r.sink.error(uncertainties->where(), "uncertainties",
                   "expected a map of PATH: {dist: ..., ...}, found " + uncertainties->describe());
    } else {
      for (const auto& entry : uncertainties->entries()) {
        if (!valid_path(entry.key)) {
          r.sink.error(entry.key_where, "uncertainties." + entry.key,
                       "expected a dotted parameter path, found \"" + entry.key + "\"");
          continue;
        }
        r.uncertainty_where.push_back(entry.key_where);
        r.label_where.emplace_back();
        if (auto u = read_uncertainty(r, entry.key, entry.value)) {
          e.uncertainties.push_back(std::move(*u));
        } else {
          r.uncertainty_where.pop_back();
          r.label_where.pop_back();
        }
      }
    }
  }
  const ConfigNode* design = root.find("design");
  if (design == nullptr) {
    if (root.find("uncertainties") != nullptr)
      r.sink.error(root.where(), "design",
                   "expected the design of the uncertainties (grid, latin_hypercube, sobol, morris or points), found "
                   "nothing (required)");
    e.method = DesignMethod::grid;  // no uncertainty: one point
    return;
  }
  r.design_where = key_where(root, "design");
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
  for (const auto& entry : design->entries())
    if (std::find(allowed.begin(), allowed.end(), entry.key) == allowed.end())
      r.sink.error(entry.key_where, "design." + entry.key,
                   unknown_name_message("unknown key", entry.key, allowed, " for the " + method->text() + " design"));
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
        if (*v != 0 && *v < e.samples)
          r.sink.error(
              n->where(), "design.candidates",
              "expected 0 or at least `trajectories` (" + std::to_string(e.samples) + "), found \"" + n->text() + "\"");
        e.candidates = *v;
      }
  } else if (e.method == DesignMethod::grid) {
    if (const ConfigNode* n = design->find("levels"))
      if (auto v = r.integer_option(*n, "design.levels", 1, max_design_points)) e.levels = *v;
  } else if (e.method == DesignMethod::points) {
    if (const ConfigNode* n = required("file")) {
      if (!n->is_scalar() || n->text().empty())
        r.sink.error(n->where(), "design.file", "expected a CSV file, found " + n->describe());
      else
        e.points_file = (r.directory / n->text()).lexically_normal();
    }
  }
  if (const ConfigNode* n = design->find("seed")) {
    if (auto v = r.integer_option(*n, "design.seed", 0, std::size_t(9007199254740991))) r.design_seed = *v;
  }
}

}  // namespace

namespace {

/// Outcomes named as METRIC or PARTNER:METRIC.
Outcome parse_outcome(const std::string& text) {
  Outcome outcome;
  if (const auto colon = text.find(':'); colon != std::string::npos) {
    outcome.partner = text.substr(0, colon);
    outcome.metric = text.substr(colon + 1);
  } else {
    outcome.metric = text;
  }
  return outcome;
}

/// Whether the run totals of `layout` have `outcome`; otherwise the reason.
std::string missing_outcome(const RunTotalsLayout& layout, const Outcome& outcome) {
  if (layout.slot_index(outcome.partner) == layout.slots().size()) {
    std::vector<std::string_view> known(layout.slots().begin(), layout.slots().end());
    return unknown_name_message("unknown partner", outcome.partner, known);
  }
  if (layout.metric_index(outcome.metric) == layout.metrics().size()) {
    std::vector<std::string_view> known(layout.metrics().begin(), layout.metrics().end());
    return unknown_name_message("unknown run total", outcome.metric, known);
  }
  return {};
}

void read_common(Reader& r, const ConfigNode& root) {
  Experiment& e = r.experiment;
  const ConfigNode* scenario = root.find("scenario");
  if (scenario == nullptr) {
    r.sink.error(root.where(), "scenario", "expected the scenario file, found nothing (required)");
  } else if (!scenario->is_scalar() || scenario->text().empty()) {
    r.sink.error(scenario->where(), "scenario", "expected a file name, found " + scenario->describe());
  } else {
    e.scenario = r.directory / scenario->text();
  }
  if (const ConfigNode* n = root.find("replications"))
    if (auto v = r.integer_option(*n, "replications", 1, 1000000)) e.replications = std::int64_t(*v);
  if (const ConfigNode* n = root.find("seed"))
    if (auto v = r.integer_option(*n, "seed", 0, std::size_t(9007199254740991))) e.seed = *v;
  if (const ConfigNode* set = root.find("set")) {
    if (set->is_map())
      read_overrides(*set, "set.", "", e.fixed, r.fixed_sources, r.sink);
    else if (!set->is_null())
      r.sink.error(set->where(), "set", "expected a map of PATH: VALUE, found " + set->describe());
  }
  if (const ConfigNode* windows = root.find("outcome_windows")) {
    if (!windows->is_map()) {
      r.sink.error(windows->where(), "outcome_windows", "expected a map of NAME: {...}, found " + windows->describe());
    } else {
      for (const auto& entry : windows->entries()) {
        const std::string path = "outcome_windows." + entry.key;
        e.fixed.emplace_back(path, flow_yaml(entry.value));
        r.fixed_sources.push_back({path, entry.key_where, entry.value.where(), ""});
      }
    }
  }
  if (const ConfigNode* keep = root.find("keep")) {
    if (!keep->is_sequence()) {
      r.sink.error(keep->where(), "keep",
                   "expected a list of replications, timeseries, events, found " + keep->describe());
    } else {
      for (std::size_t i = 0; i < keep->items().size(); ++i) {
        const auto& item = keep->items()[i];
        const std::string text = item.is_scalar() ? item.text() : std::string();
        if (text == "replications")
          e.keep.replications = true;
        else if (text == "timeseries")
          e.keep.timeseries = true;
        else if (text == "events")
          e.keep.events = true;
        else
          r.sink.error(item.where(), "keep[" + std::to_string(i) + "]",
                       unknown_name_message("unknown file", text, keep_names));
      }
    }
  }
  if (const ConfigNode* outcomes = root.find("outcomes")) {
    if (!outcomes->is_sequence() || outcomes->items().empty()) {
      r.sink.error(outcomes->where(), "outcomes",
                   "expected a list of run totals (METRIC or PARTNER:METRIC), found " + outcomes->describe());
    } else {
      for (std::size_t i = 0; i < outcomes->items().size(); ++i) {
        const auto& item = outcomes->items()[i];
        if (!item.is_scalar() || item.text().empty()) {
          r.sink.error(item.where(), "outcomes[" + std::to_string(i) + "]",
                       "expected a run total (METRIC or PARTNER:METRIC), found " + item.describe());
          continue;
        }
        e.outcomes.push_back(parse_outcome(item.text()));
        r.outcome_where.push_back(item.where());
      }
    }
  }
  if (const ConfigNode* analysis = root.find("analysis")) {
    if (!analysis->is_map()) {
      r.sink.error(analysis->where(), "analysis", "expected {bootstrap_samples: N}, found " + analysis->describe());
    } else {
      check_keys(*analysis, "analysis.", analysis_keys, r.sink);
      if (const ConfigNode* n = analysis->find("bootstrap_samples"))
        if (auto v = r.integer_option(*n, "analysis.bootstrap_samples", 0, 100000)) e.bootstrap_samples = *v;
    }
  }
  if (const ConfigNode* prim = root.find("prim")) {
    if (!prim->is_sequence()) {
      r.sink.error(prim->where(), "prim", "expected a list of {outcome: NAME, below: X}, found " + prim->describe());
    } else {
      for (const auto& item : prim->items()) r.prim_nodes.push_back(&item);
    }
  }
}

/// PRIM questions, once outcomes and policies are known.
void read_prim(Reader& r) {
  Experiment& e = r.experiment;
  for (std::size_t i = 0; i < r.prim_nodes.size(); ++i) {
    const ConfigNode& node = *r.prim_nodes[i];
    const std::string path = "prim[" + std::to_string(i) + "]";
    if (!node.is_map()) {
      r.sink.error(node.where(), path,
                   "expected {outcome: NAME, below: X} or {outcome: NAME, above: X}, found " + node.describe());
      continue;
    }
    check_keys(node, path + ".", prim_keys, r.sink);
    PrimQuery query;
    const ConfigNode* outcome = node.find("outcome");
    std::vector<std::string> names;
    for (const auto& o : e.outcomes) names.push_back(o.name());
    if (outcome == nullptr || !outcome->is_scalar()) {
      r.sink.error(outcome ? outcome->where() : node.where(), path + ".outcome",
                   "expected one of the outcomes, found " + (outcome ? outcome->describe() : std::string("nothing")));
      continue;
    }
    const auto found = std::find(names.begin(), names.end(), outcome->text());
    if (found == names.end()) {
      std::vector<std::string_view> known(names.begin(), names.end());
      r.sink.error(outcome->where(), path + ".outcome",
                   unknown_name_message("not one of the outcomes:", outcome->text(), known));
      continue;
    }
    query.outcome = e.outcomes[std::size_t(found - names.begin())];
    if (const ConfigNode* policy = node.find("policy")) {
      std::vector<std::string_view> known;
      for (const auto& p : e.policies) known.push_back(p.name);
      const auto it = std::find(known.begin(), known.end(), policy->is_scalar() ? policy->text() : std::string());
      if (it == known.end()) {
        r.sink.error(policy->where(), path + ".policy",
                     unknown_name_message("unknown policy", policy->is_scalar() ? policy->text() : "", known));
        continue;
      }
      query.policy = std::size_t(it - known.begin());
    }
    if (const ConfigNode* difference = node.find("difference")) {
      const std::string text = difference->is_scalar() ? difference->text() : std::string();
      if (text != "true" && text != "false") {
        r.sink.error(difference->where(), path + ".difference",
                     "expected true or false, found " + difference->describe());
        continue;
      }
      query.difference = text == "true";
      if (query.difference && query.policy == 0) {
        r.sink.error(difference->where(), path + ".difference",
                     "expected a `policy` other than the reference (" + e.policies[0].name +
                         ") for a paired difference, found " + (node.find("policy") ? "the reference" : "none"));
        continue;
      }
    }
    const ConfigNode* below = node.find("below");
    const ConfigNode* above = node.find("above");
    if ((below == nullptr) == (above == nullptr)) {
      r.sink.error(node.where(), path,
                   std::string("expected `below: X` or `above: X`, found ") + (below ? "both" : "neither"));
      continue;
    }
    query.below = below != nullptr;
    const auto threshold = r.real_option(below ? *below : *above, path + (below ? ".below" : ".above"));
    if (!threshold) continue;
    query.threshold = *threshold;
    const auto fraction = [&](std::string_view key, double& target, double low, double high) {
      if (const ConfigNode* n = node.find(key)) {
        const auto v = r.real_option(*n, path + "." + std::string(key));
        if (v && (*v < low || *v > high))
          r.sink.error(
              n->where(), path + "." + std::string(key),
              "expected a number in [" + format_number(low) + ", " + format_number(high) + "], found " + n->describe());
        else if (v)
          target = *v;
      }
    };
    fraction("peel_alpha", query.options.peel_alpha, 0.001, 0.499);
    fraction("paste_alpha", query.options.paste_alpha, 0.001, 0.499);
    fraction("min_mass", query.options.min_mass, 0, 0.999);
    fraction("threshold_density", query.options.threshold_density, 0.001, 1);
    if (const ConfigNode* n = node.find("max_boxes"))
      if (auto v = r.integer_option(*n, path + ".max_boxes", 1, 100)) query.options.max_boxes = *v;
    e.prim.push_back(query);
  }
}

}  // namespace

std::vector<std::string> Experiment::overrides(std::size_t point, std::size_t policy) const {
  std::vector<std::string> texts;
  for (const auto& [path, value] : fixed) texts.push_back(path + "=" + value);
  if (named_policies) texts.push_back("name=" + policies[policy].name);
  for (const auto& [path, value] : policies[policy].overrides) texts.push_back(path + "=" + value);
  for (std::size_t d = 0; d < uncertainties.size(); ++d)
    texts.push_back(uncertainties[d].path + "=" + point_texts[point][d]);
  return texts;
}

std::string_view Experiment::method_name() const { return method_names[std::size_t(method)]; }

std::string PrimQuery::name() const {
  return outcome.name() + (below ? " below " : " above ") + format_number(threshold);
}

Experiment load_experiment(const fs::path& file, std::int64_t replications, const DesignAnnouncer& announce) {
  DiagnosticSink sink;
  Experiment e;
  e.file = file;
  e.name = file.stem().string();
  auto root = read_yaml_file(file, SourceLocation{}, sink);
  sink.throw_if_any();
  e.file_hash = text_hash(read_bytes(file));
  if (!root->is_map()) {
    sink.error(root->where(), "", "expected a map with `scenario` and a design, found " + root->describe());
    sink.throw_if_any();
  }
  check_keys(*root, "", top_keys, sink);
  Reader r{.experiment = e, .sink = sink, .directory = file.parent_path()};
  read_common(r, *root);
  if (root->find("grid") != nullptr || root->find("latin_hypercube") != nullptr) {
    read_sweep_design(r, *root);
  } else if (root->find("policies") != nullptr || root->find("uncertainties") != nullptr ||
             root->find("design") != nullptr) {
    read_experiment_design(r, *root);
  } else {
    sink.error(root->where(), "grid",
               "expected `grid` or `latin_hypercube` (a sweep), or `policies`, `uncertainties` and `design` (an "
               "experiment), found none");
  }
  if (replications > 0) e.replications = replications;
  for (const auto& [name, where] : r.overlay_files) {
    std::error_code ec;
    if (!fs::is_regular_file(name, ec))
      sink.error(where, "overlays", "expected an overlay file, found no regular file at " + name);
  }
  // Overrides that fight each other: a fixed or policy value of a parameter that is also uncertain.
  const auto uncertain = [&](const std::string& path) {
    return std::any_of(e.uncertainties.begin(), e.uncertainties.end(), [&](const auto& u) { return u.path == path; });
  };
  for (const auto& source : r.fixed_sources)
    if (uncertain(source.path))
      sink.error(source.key_where, "set." + source.path,
                 "expected a parameter that is not uncertain, found \"" + source.path + "\", also under " +
                     (e.sweep_syntax ? std::string(e.method_name()) : std::string("uncertainties")));
  for (std::size_t q = 0; q < e.policies.size(); ++q)
    for (const auto& source : r.policy_sources[q])
      if (uncertain(source.path))
        sink.error(source.key_where, "policies." + e.policies[q].name + ".set." + source.path,
                   "expected a lever that is not uncertain, found \"" + source.path + "\", also under uncertainties");
  {
    std::set<std::string> paths;
    for (std::size_t d = 0; d < e.uncertainties.size(); ++d)
      if (!paths.insert(e.uncertainties[d].path).second)
        sink.error(r.uncertainty_where[d], e.uncertainties[d].path, "expected each parameter once, found it again");
  }
  if (e.method == DesignMethod::points && sink.empty()) read_points_file(r);
  sink.sort_by_position();
  sink.throw_if_any();

  // The scenario under each policy, merged once; the fixed overrides relocate to this file.
  std::map<std::string, OverrideSource> by_origin;
  for (std::size_t i = 0; i < e.fixed.size(); ++i)
    by_origin[override_origin(e.fixed[i].first + "=" + e.fixed[i].second)] = r.fixed_sources[i];
  std::vector<Diagnostic> diagnostics;
  std::set<std::string> seen;
  std::vector<MergedScenario> merged;
  std::optional<LoadedScenario> base;
  const auto fail_with = [&]() {
    DiagnosticSink sorted;
    for (auto& d : diagnostics) sorted.error(d.where, std::move(d.key_path), std::move(d.message));
    sorted.sort_by_position();
    sorted.throw_if_any();
  };
  try {
    if (e.policies.empty()) {
      merged.push_back(merge_scenario_files(e.scenario));
    } else {
      for (const auto& policy : e.policies) merged.push_back(merge_scenario_files(e.scenario, policy.overlays));
    }
    std::vector<std::string> fixed;
    for (const auto& [path, value] : e.fixed) fixed.push_back(path + "=" + value);
    base = resolve_with_overrides(merged.front(), fixed);
  } catch (const ScenarioError& error) {
    relocate_into(error, by_origin, diagnostics, seen);
    fail_with();
  }
  e.base_resolved_yaml = base->resolved_yaml();
  if (e.policies.empty()) {
    e.policies.push_back(Policy{base->scenario.name, {}, {}});
    r.policy_sources.emplace_back();
    r.policy_where.push_back(SourceLocation{});
  }
  for (std::size_t q = 0; q < e.policies.size(); ++q) {
    if (!e.named_policies) continue;
    by_origin[override_origin("name=" + e.policies[q].name)] = {"name", r.policy_where[q], r.policy_where[q], ""};
  }
  for (std::size_t q = 0; q < e.policies.size(); ++q)
    for (std::size_t i = 0; i < e.policies[q].overrides.size(); ++i) {
      const auto& [path, value] = e.policies[q].overrides[i];
      by_origin[override_origin(path + "=" + value)] = r.policy_sources[q][i];
    }

  if (e.outcomes.empty() && !e.sweep_syntax)
    for (const auto& headline : headline_totals) e.outcomes.push_back(Outcome{"all", std::string(headline.metric)});
  {
    const RunTotalsLayout layout(base->scenario);
    for (std::size_t i = 0; i < r.outcome_where.size(); ++i)
      if (const auto reason = missing_outcome(layout, e.outcomes[i]); !reason.empty())
        sink.error(r.outcome_where[i], "outcomes[" + std::to_string(i) + "]", reason);
  }
  read_prim(r);
  e.design_seed = r.design_seed.value_or(e.seed.value_or(base->scenario.seed));
  const auto size = design_size(r);
  sink.sort_by_position();
  sink.throw_if_any();
  if (!size) {
    sink.error(
        r.design_where, e.sweep_syntax ? std::string(e.method_name()) : std::string("design"),
        "expected at most " + grouped(max_design_points) + " design points, found more (" + size_formula(e) + ")");
    sink.throw_if_any();
  }
  if (announce) announce(*size, e.policies.size(), e.replications.value_or(base->scenario.replications));
  expand_design(e);
  fill_point_values(e);

  // Every point must load under every policy before anything runs.
  std::vector<LabelLookup> lookups;
  for (const auto& u : e.uncertainties) lookups.emplace_back(u);
  std::size_t point_errors = 0;
  for (std::size_t p = 0; p < e.points() && point_errors < max_point_errors; ++p) {
    auto origins = by_origin;
    for (std::size_t d = 0; d < e.uncertainties.size(); ++d) {
      const auto& u = e.uncertainties[d];
      OverrideSource source{u.path, r.uncertainty_where[d], r.uncertainty_where[d], ""};
      const auto label = lookups[d].of_text(e.point_texts[p][d]);
      if (e.method != DesignMethod::points && label && *label < r.label_where[d].size())
        source.value_where = r.label_where[d][*label];
      else
        source.suffix = " (point " + std::to_string(p + 1) + ")";
      origins[override_origin(u.path + "=" + e.point_texts[p][d])] = source;
    }
    std::optional<std::uint64_t> point_seed;
    for (std::size_t q = 0; q < e.policies.size(); ++q) {
      try {
        const auto loaded = resolve_with_overrides(merged[q], e.overrides(p, q));
        e.scenario_hashes.push_back(text_hash(to_yaml(loaded.resolved)));
        // The reference policy's seed is every policy's: common random numbers.
        if (!point_seed) point_seed = e.seed.value_or(loaded.scenario.seed);
        if (q == 0) e.point_replications.push_back(e.replications.value_or(loaded.scenario.replications));
        const RunTotalsLayout layout(loaded.scenario);
        for (std::size_t i = 0; i < r.outcome_where.size(); ++i)
          if (const auto reason = missing_outcome(layout, e.outcomes[i]);
              !reason.empty() && seen.insert(e.outcomes[i].name()).second)
            diagnostics.push_back(
                {r.outcome_where[i], "outcomes[" + std::to_string(i) + "]",
                 reason + " (point " + std::to_string(p + 1) + ", policy " + e.policies[q].name + ")"});
      } catch (const ScenarioError& error) {
        const std::size_t before = diagnostics.size();
        relocate_into(error, origins, diagnostics, seen);
        point_errors += diagnostics.size() - before;
        e.scenario_hashes.emplace_back();
        if (q == 0) e.point_replications.push_back(0);
      }
    }
    e.seeds.push_back(point_seed.value_or(0));
  }
  e.merged = std::move(merged);
  if (!diagnostics.empty()) {
    if (point_errors >= max_point_errors)
      diagnostics.push_back({SourceLocation{std::make_shared<const std::string>(file.string()), 0, 0}, "",
                             "checking stopped after " + std::to_string(max_point_errors) + " errors"});
    fail_with();
  }
  return e;
}

Shard parse_shard(std::string_view text) {
  const auto fail = [&]() -> Shard {
    throw UsageError("--shard \"" + std::string(text) + "\": expected I/N with 1 <= I <= N, e.g. 2/4");
  };
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return fail();
  const auto index = parse_integer<std::size_t>(text.substr(0, slash));
  const auto count = parse_integer<std::size_t>(text.substr(slash + 1));
  if (!index || !count || *index < 1 || *index > *count) return fail();
  return Shard{*index, *count};
}

}  // namespace readmit
