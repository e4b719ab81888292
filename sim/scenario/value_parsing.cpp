// Value parsing shared by the resolver (resolve.cpp): numbers, dates' shape,
// key paths, and the validation of a distribution parameter.
#include "value_parsing.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <vector>

#include "readmit/scenario/schema_walker.hpp"
#include "readmit/util/text.hpp"

namespace readmit::scenario_detail {

std::string shown(std::string_view text) { return excerpt(text); }

bool looks_like_date(std::string_view text) {
  if (text.size() != 10) return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (i == 4 || i == 7 ? text[i] != '-' : (text[i] < '0' || text[i] > '9')) return false;
  return true;
}

std::string join_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

namespace {

using K = Distribution::Kind;

/// A condition on a distribution's parameters, reported at `param`'s value.
struct ParameterRule {
  std::string_view param;
  std::string_view expected;
  bool (*holds)(const Distribution&);
};

/// A kind of distribution: its name, its parameters in the order of
/// Distribution::p1, p2, p3, and the conditions they must meet.
struct DistributionKind {
  std::string_view name;
  K kind;
  std::vector<std::string_view> params;
  std::vector<ParameterRule> rules;
};

const std::vector<DistributionKind>& distribution_kinds() {
  static const std::vector<DistributionKind> kinds = {
      {"constant", K::constant, {"value"}, {}},
      {"uniform",
       K::uniform,
       {"min", "max"},
       {{"max", "max >= min", [](const Distribution& d) { return d.p1 <= d.p2; }}}},
      {"normal", K::normal, {"mean", "sd"}, {{"sd", "sd > 0", [](const Distribution& d) { return d.p2 > 0; }}}},
      {"lognormal",
       K::lognormal,
       {"median", "sigma"},
       {{"median", "median > 0", [](const Distribution& d) { return d.p1 > 0; }},
        {"sigma", "sigma >= 0", [](const Distribution& d) { return d.p2 >= 0; }}}},
      {"gamma",
       K::gamma,
       {"shape", "scale"},
       {{"shape", "shape > 0", [](const Distribution& d) { return d.p1 > 0; }},
        {"scale", "scale > 0", [](const Distribution& d) { return d.p2 > 0; }}}},
      {"exponential", K::exponential, {"mean"}, {{"mean", "mean > 0", [](const Distribution& d) { return d.p1 > 0; }}}},
      {"poisson", K::poisson, {"mean"}, {{"mean", "mean >= 0", [](const Distribution& d) { return d.p1 >= 0; }}}},
      {"triangular",
       K::triangular,
       {"min", "mode", "max"},
       {{"mode", "min <= mode <= max", [](const Distribution& d) { return d.p1 <= d.p2 && d.p2 <= d.p3; }}}},
  };
  return kinds;
}

using ParameterValues = std::map<std::string, double, std::less<>>;

/// A distribution written as one number: a constant within the parameter's range.
std::optional<ParamValue> constant_number(const ParamSpec& spec, const ConfigNode& node, const std::string& path,
                                          DiagnosticSink& sink) {
  const auto value = parse_yaml_number(node.text());
  if (!value || !std::isfinite(*value) || *value < spec.min || *value > spec.max) {
    sink.error(node.where(), path, "expected " + describe_expectation(spec) + ", found " + node.describe());
    return std::nullopt;
  }
  Distribution d;
  d.lower = spec.min;
  d.upper = spec.max;
  d.p1 = *value;
  return ParamValue{d};
}

/// The kind that `dist` names, or null after reporting why not.
const DistributionKind* kind_named(const ConfigNode& node, const std::string& path, DiagnosticSink& sink) {
  const ConfigNode* kind_node = node.find("dist");
  if (kind_node == nullptr || !kind_node->is_scalar()) {
    sink.error(kind_node ? kind_node->where() : node.where(), join_path(path, "dist"),
               "expected the distribution's kind (constant, uniform, normal, lognormal, gamma, exponential, poisson, "
               "triangular), found " +
                   (kind_node ? kind_node->describe() : std::string("nothing")));
    return nullptr;
  }
  const auto& kinds = distribution_kinds();
  const auto info =
      std::find_if(kinds.begin(), kinds.end(), [&](const DistributionKind& k) { return k.name == kind_node->text(); });
  if (info != kinds.end()) return &*info;
  std::vector<std::string_view> names;
  for (const auto& k : kinds) names.push_back(k.name);
  sink.error(kind_node->where(), join_path(path, "dist"),
             unknown_name_message("unknown distribution", shown(kind_node->text()), names));
  return nullptr;
}

/// The number of one key of a distribution of `kind` (`allowed`: its
/// parameters and bounds), or nullopt after reporting why not.
std::optional<double> parameter_number(const DistributionKind& kind, const std::vector<std::string_view>& allowed,
                                       const ConfigNode::Entry& entry, const std::string& path, DiagnosticSink& sink) {
  if (std::find(allowed.begin(), allowed.end(), entry.key) == allowed.end()) {
    sink.error(entry.key_where, join_path(path, shown(entry.key)),
               unknown_name_message("unknown parameter", shown(entry.key), allowed,
                                    " of a " + std::string(kind.name) + " distribution"));
    return std::nullopt;
  }
  const auto value = entry.value.is_scalar() ? parse_yaml_number(entry.value.text()) : std::nullopt;
  if (!value || !std::isfinite(*value) || std::fabs(*value) > max_distribution_parameter) {
    sink.error(entry.value.where(), join_path(path, entry.key),
               "expected a number in [-1e9, 1e9], found " + entry.value.describe());
    return std::nullopt;
  }
  return value;
}

/// The numbers given for a distribution of `kind`, its parameters and
/// bounds; nullopt after reporting every key that is unknown or not a
/// number and every parameter missing.
std::optional<ParameterValues> parameter_values(const DistributionKind& kind, const ConfigNode& node,
                                                const std::string& path, DiagnosticSink& sink) {
  std::vector<std::string_view> allowed = kind.params;
  for (const std::string_view bound : {"min", "max"})
    if (std::find(allowed.begin(), allowed.end(), bound) == allowed.end()) allowed.push_back(bound);
  ParameterValues values;
  bool ok = true;
  for (const auto& entry : node.entries()) {
    if (entry.key == "dist") continue;
    if (const auto value = parameter_number(kind, allowed, entry, path, sink))
      values[entry.key] = *value;
    else
      ok = false;
  }
  for (const auto param : kind.params) {
    if (node.find(param) == nullptr) {  // given but invalid: reported above
      sink.error(node.where(), join_path(path, param),
                 "expected a number (required by a " + std::string(kind.name) + " distribution), found nothing");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return values;
}

/// Conditions on the numbers of a distribution, each reported at the value
/// it is about (every parameter checked was given); ok() until one fails.
class ValueChecks {
 public:
  ValueChecks(const ConfigNode& node, const std::string& path, const ParameterValues& values, DiagnosticSink& sink)
      : node_(node), path_(path), values_(values), sink_(sink) {}

  void require(bool condition, std::string_view param, const std::string& expected) {
    if (condition) return;
    const auto it = values_.find(param);
    sink_.error(where_of(param), join_path(path_, param),
                "expected " + expected + ", found " +
                    (it != values_.end() ? format_number(it->second) : std::string("nothing")));
    ok_ = false;
  }

  bool ok() const { return ok_; }

  const SourceLocation& where_of(std::string_view param) const {
    for (const auto& entry : node_.entries())
      if (entry.key == param) return entry.value.where();
    return node_.where();
  }

 private:
  const ConfigNode& node_;
  const std::string& path_;
  const ParameterValues& values_;
  DiagnosticSink& sink_;
  bool ok_ = true;
};

/// The bounds `min` and `max`, where given, replace the attribute's range
/// and must lie within it.
void take_bounds(const ParamSpec& spec, const ParameterValues& values, Distribution& d, ValueChecks& checks) {
  const std::string range = describe_expectation(ParamSpec{.type = ParamType::real, .min = spec.min, .max = spec.max});
  if (auto it = values.find("min"); it != values.end()) {
    d.lower = it->second;
    checks.require(d.lower >= spec.min && d.lower <= spec.max, "min",
                   "a lower bound within the attribute's range (" + range + ")");
  }
  if (auto it = values.find("max"); it != values.end()) {
    d.upper = it->second;
    checks.require(d.upper >= spec.min && d.upper <= spec.max, "max",
                   "an upper bound within the attribute's range (" + range + ")");
  }
}

/// The distribution of `kind` with the numbers given, or nullopt after
/// reporting each condition they break.
std::optional<ParamValue> checked_distribution(const ParamSpec& spec, const DistributionKind& kind,
                                               const ConfigNode& node, const ParameterValues& values,
                                               const std::string& path, DiagnosticSink& sink) {
  Distribution d;
  d.kind = kind.kind;
  d.lower = spec.min;
  d.upper = spec.max;
  double* const slots[] = {&d.p1, &d.p2, &d.p3};
  for (std::size_t i = 0; i < kind.params.size(); ++i) *slots[i] = values.find(kind.params[i])->second;
  ValueChecks checks(node, path, values, sink);
  for (const auto& rule : kind.rules) checks.require(rule.holds(d), rule.param, std::string(rule.expected));
  take_bounds(spec, values, d, checks);
  if (checks.ok())
    checks.require(d.lower <= d.upper, "max", "max >= min");  // uniform and triangular checked it already
  if (!checks.ok()) return std::nullopt;
  if (d.kind == K::constant && (d.p1 < d.lower || d.p1 > d.upper)) {
    sink.error(checks.where_of("value"), join_path(path, "value"),
               "expected a value within [min, max], found " + format_number(d.p1));
    return std::nullopt;
  }
  return ParamValue{d};
}

}  // namespace

std::optional<ParamValue> parse_distribution(const ParamSpec& spec, const ConfigNode& node, const std::string& path,
                                             DiagnosticSink& sink) {
  if (node.is_scalar()) return constant_number(spec, node, path, sink);
  if (!node.is_map()) {
    sink.error(node.where(), path, "expected " + describe_expectation(spec) + ", found " + node.describe());
    return std::nullopt;
  }
  const DistributionKind* kind = kind_named(node, path, sink);
  if (kind == nullptr) return std::nullopt;
  const auto values = parameter_values(*kind, node, path, sink);
  if (!values) return std::nullopt;
  return checked_distribution(spec, *kind, node, *values, path, sink);
}

bool can_declare_range(const ParamSpec& spec) {
  return spec.type == ParamType::integer || spec.type == ParamType::real || spec.type == ParamType::probability ||
         spec.type == ParamType::distribution;
}

bool is_declared_range(const ParamSpec& spec, const ConfigNode& node) {
  // A distribution may be declared with a range when its value is one number (a constant).
  return can_declare_range(spec) && node.is_map() && node.find("value") != nullptr &&
         (spec.type != ParamType::distribution || node.find("value")->is_scalar());
}

}  // namespace readmit::scenario_detail
