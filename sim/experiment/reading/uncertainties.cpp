// The parameters an experiment is unsure of: distributions ({dist: KIND,
// ...}, their keys read against each kind's key table), discrete lists of
// values (a sweep's grid, too) and a sweep's latin_hypercube ranges, each
// checked against the parameter table (whole numbers) and located where it
// is written.
#include <algorithm>
#include <cmath>
#include <limits>

#include "reading/reader.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/util/text.hpp"

namespace readmit::experiment_file {

namespace {

/// Whether a part of a concrete path matches a part of a table path
/// (partners.cambodia matches partners.*, steps.0 matches steps.[]).
bool part_matches(std::string_view pattern, std::string_view part) {
  if (pattern == "*") return true;
  if (pattern == "[]") return parse_yaml_integer(std::string(part)).value_or(-1) >= 0;
  return pattern == part;
}

/// Whether the parameter table says the parameter at `path` is a whole number.
bool is_integer_parameter(std::string_view path) {
  const auto parts = split(path, '.');
  for (const auto& spec : parameter_table()) {
    const auto pattern = split(spec.path, '.');
    if (pattern.size() == parts.size() &&
        std::equal(pattern.begin(), pattern.end(), parts.begin(), [](auto p, auto q) { return part_matches(p, q); }))
      return spec.type == ParamType::integer;
  }
  return false;
}

/// Whether `path` may be uncertain; reports why not at its key.
bool may_be_uncertain(Reader& r, const std::string& path, const std::string& key_path) {
  if (path != "name") return true;
  r.sink.error(r.entry_where, key_path, std::string(uncertain_name_message));
  return false;
}

/// Keeps an uncertainty read at the entry just entered, with its positions.
void add(Reader& r, std::optional<Uncertainty> u, std::vector<SourceLocation> label_where = {}) {
  if (!u) return;
  r.experiment.uncertainties.push_back(std::move(*u));
  r.uncertainty_where.push_back(r.entry_where);
  r.label_where.push_back(std::move(label_where));
}

std::string joined(const std::vector<std::string>& texts) {
  std::string text;
  for (const auto& t : texts) text += (text.empty() ? "" : ", ") + t;
  return text;
}

/// A discrete uncertainty from a list of YAML scalars (numbers when all
/// are), with `weights` already read; `label_where` gets each value's position.
std::optional<Uncertainty> discrete_uncertainty(Reader& r, const std::string& path, const ConfigNode& list,
                                                const std::string& key_path, const std::vector<double>& weights,
                                                std::vector<SourceLocation>& label_where) {
  if (!list.is_sequence() || list.items().empty()) {
    r.sink.error(list.where(), key_path,
                 list.is_sequence() ? std::string("expected at least one value, found an empty list")
                                    : "expected a list of values, found " + list.describe());
    return std::nullopt;
  }
  Uncertainty u;
  u.path = path;
  std::vector<double> numbers;
  for (std::size_t i = 0; i < list.items().size(); ++i) {
    const auto& item = list.items()[i];
    if (!item.is_scalar()) {
      r.sink.error(item.where(), key_path + "[" + std::to_string(i) + "]",
                   "expected a scalar value, found " + item.describe());
      return std::nullopt;
    }
    u.labels.push_back(item.text());
    label_where.push_back(item.where());
    if (const auto number = finite_number(item.text())) numbers.push_back(*number);
  }
  // Texts (e.g. ladder names) stand for their index; numbers for themselves.
  std::vector<double> values = numbers;
  if (numbers.size() == u.labels.size()) {
    u.integer = is_integer_parameter(path) &&
                std::all_of(numbers.begin(), numbers.end(), [](double v) { return std::floor(v) == v; });
  } else {
    values.clear();
    for (std::size_t i = 0; i < u.labels.size(); ++i) values.push_back(double(i));
  }
  try {
    u.distribution = FactorDistribution::discrete(values, weights);
  } catch (const std::invalid_argument& e) {
    r.sink.error(list.where(), key_path, std::string("expected a valid discrete distribution: ") + e.what());
    return std::nullopt;
  }
  u.description = "values [" + joined(u.labels) + "]";
  return u;
}

/// A continuous distribution from the numbers read against its kind's table.
std::optional<Uncertainty> continuous_uncertainty(Reader& r, const std::string& path, const ConfigNode& node,
                                                  const std::string& key_path) {
  const DistributionEntry& d = r.distribution;
  const auto get = [&](std::string_view key, double fallback) {
    const auto it = d.numbers.find(key);
    return it == d.numbers.end() ? fallback : it->second;
  };
  Uncertainty u;
  u.path = path;
  u.integer = is_integer_parameter(path);
  const double inf = std::numeric_limits<double>::infinity();
  try {
    if (d.kind == "uniform")
      u.distribution = FactorDistribution::uniform(get("min", 0), get("max", 0), u.integer);
    else if (d.kind == "log_uniform")
      u.distribution = FactorDistribution::log_uniform(get("min", 0), get("max", 0), u.integer);
    else if (d.kind == "normal")
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
  u.description = d.kind;
  for (const auto& entry : node.entries())  // in file order
    if (d.numbers.contains(entry.key)) u.description += " " + entry.key + " " + format_number(d.numbers.at(entry.key));
  if (u.integer) u.description += ", whole numbers";
  return u;
}

/// {dist: KIND, ...}: its kind first, then its keys against the kind's table.
void read_distribution(Reader& r, const Site& site, SchemaWalker& walker) {
  // The walk below enters entries of its own: the uncertainty's key is kept.
  const std::string path = r.entry_key;
  const SourceLocation where = r.entry_where;
  const auto index = read_choice(r, distribution_kind_row(), site, walker);
  if (!index) return;
  r.distribution = DistributionEntry{.kind = std::string(split(distribution_kind_row().choices, '|')[*index])};
  const bool read = r.walk(distribution_keys(r.distribution.kind), &site.node, site.node.where(), site.path);
  r.entry_where = where;
  if (!read) return;
  if (r.distribution.kind != "discrete") return add(r, continuous_uncertainty(r, path, site.node, site.path));
  const ConfigNode* weights = site.node.find("weights");
  const ConfigNode& values = *r.distribution.values;
  if (weights != nullptr && r.distribution.weights.size() != values.items().size()) {
    r.sink.error(weights->where(), site.path + ".weights",
                 "expected a list of " + std::to_string(values.items().size()) + " weights, found " +
                     std::to_string(r.distribution.weights.size()));
    return;
  }
  std::vector<SourceLocation> label_where;
  auto u = discrete_uncertainty(r, path, values, site.path + ".values", r.distribution.weights, label_where);
  add(r, std::move(u), std::move(label_where));
}

}  // namespace

void read_distribution_values(Reader& r, const Site& site, SchemaWalker&) {
  if (!site.node.is_sequence() || site.node.items().empty())
    r.sink.error(site.node.where(), site.path,
                 site.node.is_sequence() ? std::string("expected at least one value, found an empty list")
                                         : "expected a list of values, found " + site.node.describe());
  else
    r.distribution.values = &site.node;
}

void read_uncertainty(Reader& r, const Site& site, SchemaWalker& walker) {
  if (!may_be_uncertain(r, r.entry_key, site.path)) return;
  if (site.node.is_map()) return read_distribution(r, site, walker);
  if (!site.node.is_sequence()) {
    r.sink.error(site.node.where(), site.path,
                 "expected {dist: " + std::string(distribution_kind_row().choices) +
                     ", ...} or a list of values, found " + site.node.describe());
    return;
  }
  read_grid_values(r, site, walker);
}

void read_grid_values(Reader& r, const Site& site, SchemaWalker&) {
  if (!may_be_uncertain(r, r.entry_key, site.path)) return;
  std::vector<SourceLocation> label_where;
  auto u = discrete_uncertainty(r, r.entry_key, site.node, site.path, {}, label_where);
  add(r, std::move(u), std::move(label_where));
}

void read_ranges(Reader& r) {
  for (const RangeEntry& range : r.ranges) {
    const std::string key_path = "latin_hypercube.ranges." + range.path;
    r.entry_where = range.where;
    if (!range.min.value || !range.max.value || !may_be_uncertain(r, range.path, key_path)) continue;
    const double low = *range.min.value, high = *range.max.value;
    if (high < low) {
      r.sink.error(range.max.where, key_path + ".max",
                   "expected a number >= min (" + format_number(low) + "), found \"" + format_number(high) + "\"");
      continue;
    }
    Uncertainty u;
    u.path = range.path;
    u.integer = is_integer_parameter(range.path);
    if (u.integer && (std::floor(low) != low || std::floor(high) != high)) {
      r.sink.error(std::floor(low) != low ? range.min.where : range.max.where, key_path,
                   "expected whole-number bounds for a whole-number parameter, found [" + format_number(low) + ", " +
                       format_number(high) + "]");
      continue;
    }
    // A range of one value is a constant: the unit interval maps onto it.
    u.distribution =
        high > low ? FactorDistribution::uniform(low, high, u.integer) : FactorDistribution::discrete({low});
    u.description =
        "uniform min " + format_number(low) + " max " + format_number(high) + (u.integer ? ", whole numbers" : "");
    add(r, std::move(u));
  }
}

}  // namespace readmit::experiment_file
