// The parameters an experiment is unsure of: distributions ({dist: KIND,
// ...}), discrete lists of values (a sweep's grid, too) and a sweep's
// latin_hypercube ranges, each checked against the parameter table (whole
// numbers) and located where it is written.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "reading/reader.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/util/text.hpp"

namespace readmit::experiment_file {

namespace {

constexpr std::string_view range_keys[] = {"min", "max"};
constexpr std::string_view distribution_names[] = {"uniform", "log_uniform", "normal", "triangular", "discrete"};

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
std::optional<Uncertainty> read_uncertainty(Reader& r, const std::string& path, const ConfigNode& node,
                                            const std::string& key_path) {
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
  static const std::map<std::string, std::vector<std::string_view>, std::less<>> keys_of = {
      {"uniform", {"dist", "min", "max"}},
      {"log_uniform", {"dist", "min", "max"}},
      {"normal", {"dist", "mean", "sd", "min", "max"}},
      {"triangular", {"dist", "min", "mode", "max"}},
      {"discrete", {"dist", "values", "weights"}}};
  const std::vector<std::string_view>& allowed = keys_of.at(dist);
  if (!check_keys(node, key_path + ".", allowed, r.sink, "unknown parameter", " of a " + dist + " distribution"))
    return std::nullopt;
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
  bool ok = true;
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

/// A sweep's latin_hypercube range {min: A, max: B}: uniform over it.
std::optional<Uncertainty> range_uncertainty(Reader& r, const std::string& path, const ConfigNode& node,
                                             const std::string& key_path) {
  if (!node.is_map()) {
    r.sink.error(node.where(), key_path, "expected {min: A, max: B}, found " + node.describe());
    return std::nullopt;
  }
  check_keys(node, key_path + ".", range_keys, r.sink);
  std::optional<double> bounds[2];
  bool ok = true;
  for (std::size_t b = 0; b < 2; ++b) {
    const ConfigNode* bound = node.find(range_keys[b]);
    if (bound == nullptr) {
      r.sink.error(node.where(), key_path + "." + std::string(range_keys[b]), "expected a number, found nothing");
      ok = false;
    } else if (!(bounds[b] = r.real_option(*bound, key_path + "." + std::string(range_keys[b])))) {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  if (*bounds[1] < *bounds[0]) {
    r.sink.error(node.find("max")->where(), key_path + ".max",
                 "expected a number >= min (" + format_number(*bounds[0]) + "), found " + node.find("max")->describe());
    return std::nullopt;
  }
  Uncertainty u;
  u.path = path;
  const ParamSpec* spec = find_parameter(path);
  u.integer = spec != nullptr && spec->type == ParamType::integer;
  if (u.integer && (std::floor(*bounds[0]) != *bounds[0] || std::floor(*bounds[1]) != *bounds[1])) {
    r.sink.error(node.where(), key_path,
                 "expected whole-number bounds for a whole-number parameter, found [" + format_number(*bounds[0]) +
                     ", " + format_number(*bounds[1]) + "]");
    return std::nullopt;
  }
  // A range of one value is a constant: the unit interval maps onto it.
  u.distribution = *bounds[1] > *bounds[0] ? FactorDistribution::uniform(*bounds[0], *bounds[1], u.integer)
                                           : FactorDistribution::discrete({*bounds[0]});
  u.description = "uniform min " + format_number(*bounds[0]) + " max " + format_number(*bounds[1]) +
                  (u.integer ? ", whole numbers" : "");
  return u;
}

}  // namespace

void read_uncertainty_entries(Reader& r, const ConfigNode& map, const std::string& key_prefix,
                              UncertaintySyntax syntax) {
  Experiment& e = r.experiment;
  for (const auto& entry : map.entries()) {
    const std::string key_path = key_prefix + entry.key;
    if (!valid_path(entry.key)) {
      r.sink.error(entry.key_where, key_path, "expected a dotted parameter path, found \"" + entry.key + "\"");
      continue;
    }
    if (entry.key == "name") {
      r.sink.error(entry.key_where, key_path, std::string(uncertain_name_message));
      continue;
    }
    r.uncertainty_where.push_back(entry.key_where);
    r.label_where.emplace_back();  // filled by discrete_uncertainty
    std::optional<Uncertainty> u;
    switch (syntax) {
      case UncertaintySyntax::distribution:
        u = read_uncertainty(r, entry.key, entry.value, key_path);
        break;
      case UncertaintySyntax::values:
        u = discrete_uncertainty(r, entry.key, entry.value, key_path, nullptr);
        break;
      case UncertaintySyntax::range:
        u = range_uncertainty(r, entry.key, entry.value, key_path);
        break;
    }
    if (u) {
      e.uncertainties.push_back(std::move(*u));
    } else {
      r.uncertainty_where.pop_back();
      r.label_where.pop_back();
    }
  }
}

void read_uncertainties(Reader& r, const ConfigNode& uncertainties) {
  if (!uncertainties.is_map() || uncertainties.entries().empty()) {
    r.sink.error(uncertainties.where(), "uncertainties",
                 "expected a map of PATH: {dist: ..., ...}, found " + uncertainties.describe());
    return;
  }
  read_uncertainty_entries(r, uncertainties, "uncertainties.", UncertaintySyntax::distribution);
}

}  // namespace readmit::experiment_file
