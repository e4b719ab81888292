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

std::optional<ParamValue> parse_distribution(const ParamSpec& spec, const ConfigNode& node, const std::string& path,
                                             DiagnosticSink& sink) {
  auto error = [&](const SourceLocation& where, const std::string& at, std::string message) {
    sink.error(where, at, std::move(message));
  };
  using K = Distribution::Kind;
  Distribution d;
  d.lower = spec.min;
  d.upper = spec.max;
  if (node.is_scalar()) {
    const auto value = parse_yaml_number(node.text());
    if (!value || !std::isfinite(*value) || *value < spec.min || *value > spec.max) {
      error(node.where(), path, "expected " + describe_expectation(spec) + ", found " + node.describe());
      return std::nullopt;
    }
    d.p1 = *value;
    return ParamValue{d};
  }
  if (!node.is_map()) {
    error(node.where(), path, "expected " + describe_expectation(spec) + ", found " + node.describe());
    return std::nullopt;
  }
  struct KindInfo {
    std::string_view name;
    K kind;
    std::vector<std::string_view> params;
  };
  static const std::vector<KindInfo> kinds = {
      {"constant", K::constant, {"value"}},    {"uniform", K::uniform, {"min", "max"}},
      {"normal", K::normal, {"mean", "sd"}},   {"lognormal", K::lognormal, {"median", "sigma"}},
      {"gamma", K::gamma, {"shape", "scale"}}, {"exponential", K::exponential, {"mean"}},
      {"poisson", K::poisson, {"mean"}},       {"triangular", K::triangular, {"min", "mode", "max"}}};
  const ConfigNode* kind_node = node.find("dist");
  if (kind_node == nullptr || !kind_node->is_scalar()) {
    error(kind_node ? kind_node->where() : node.where(), join_path(path, "dist"),
          "expected the distribution's kind (constant, uniform, normal, lognormal, gamma, exponential, poisson, "
          "triangular), found " +
              (kind_node ? kind_node->describe() : std::string("nothing")));
    return std::nullopt;
  }
  const auto info =
      std::find_if(kinds.begin(), kinds.end(), [&](const KindInfo& k) { return k.name == kind_node->text(); });
  if (info == kinds.end()) {
    std::vector<std::string_view> names;
    for (const auto& k : kinds) names.push_back(k.name);
    error(kind_node->where(), join_path(path, "dist"),
          unknown_name_message("unknown distribution", shown(kind_node->text()), names));
    return std::nullopt;
  }
  d.kind = info->kind;
  std::vector<std::string_view> allowed = info->params;
  for (const std::string_view bound : {"min", "max"})
    if (std::find(allowed.begin(), allowed.end(), bound) == allowed.end()) allowed.push_back(bound);
  std::map<std::string, double, std::less<>> values;
  bool ok = true;
  for (const auto& entry : node.entries()) {
    if (entry.key == "dist") continue;
    const std::string entry_path = join_path(path, entry.key);
    if (std::find(allowed.begin(), allowed.end(), entry.key) == allowed.end()) {
      error(entry.key_where, join_path(path, shown(entry.key)),
            unknown_name_message("unknown parameter", shown(entry.key), allowed,
                                 " of a " + std::string(info->name) + " distribution"));
      ok = false;
      continue;
    }
    const auto value = entry.value.is_scalar() ? parse_yaml_number(entry.value.text()) : std::nullopt;
    if (!value || !std::isfinite(*value) || std::fabs(*value) > max_distribution_parameter) {
      error(entry.value.where(), entry_path, "expected a number in [-1e9, 1e9], found " + entry.value.describe());
      ok = false;
      continue;
    }
    values[entry.key] = *value;
  }
  for (const auto param : info->params) {
    if (node.find(param) == nullptr) {  // given but invalid: reported above
      error(node.where(), join_path(path, param),
            "expected a number (required by a " + std::string(info->name) + " distribution), found nothing");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  // Messages point at the parameter's value (every parameter checked below was given).
  auto where_of = [&](std::string_view param) -> const SourceLocation& {
    for (const auto& entry : node.entries())
      if (entry.key == param) return entry.value.where();
    return node.where();
  };
  auto check = [&](bool condition, std::string_view param, const std::string& expected) {
    if (!condition) {
      const auto it = values.find(param);
      error(where_of(param), join_path(path, param),
            "expected " + expected + ", found " +
                (it != values.end() ? format_number(it->second) : std::string("nothing")));
      ok = false;
    }
  };
  auto get = [&](std::string_view param) { return values.find(param)->second; };
  switch (d.kind) {
    case K::constant:
      d.p1 = get("value");
      break;
    case K::uniform:
      d.p1 = get("min");
      d.p2 = get("max");
      check(d.p1 <= d.p2, "max", "max >= min");
      break;
    case K::normal:
      d.p1 = get("mean");
      d.p2 = get("sd");
      check(d.p2 > 0, "sd", "sd > 0");
      break;
    case K::lognormal:
      d.p1 = get("median");
      d.p2 = get("sigma");
      check(d.p1 > 0, "median", "median > 0");
      check(d.p2 >= 0, "sigma", "sigma >= 0");
      break;
    case K::gamma:
      d.p1 = get("shape");
      d.p2 = get("scale");
      check(d.p1 > 0, "shape", "shape > 0");
      check(d.p2 > 0, "scale", "scale > 0");
      break;
    case K::exponential:
      d.p1 = get("mean");
      check(d.p1 > 0, "mean", "mean > 0");
      break;
    case K::poisson:
      d.p1 = get("mean");
      check(d.p1 >= 0, "mean", "mean >= 0");
      break;
    case K::triangular:
      d.p1 = get("min");
      d.p2 = get("mode");
      d.p3 = get("max");
      check(d.p1 <= d.p2 && d.p2 <= d.p3, "mode", "min <= mode <= max");
      break;
  }
  const std::string range = describe_expectation(ParamSpec{.type = ParamType::real, .min = spec.min, .max = spec.max});
  if (auto it = values.find("min"); it != values.end()) {
    d.lower = it->second;
    check(d.lower >= spec.min && d.lower <= spec.max, "min",
          "a lower bound within the attribute's range (" + range + ")");
  }
  if (auto it = values.find("max"); it != values.end()) {
    d.upper = it->second;
    check(d.upper >= spec.min && d.upper <= spec.max, "max",
          "an upper bound within the attribute's range (" + range + ")");
  }
  if (ok) check(d.lower <= d.upper, "max", "max >= min");  // uniform and triangular checked it already
  if (!ok) return std::nullopt;
  if (d.kind == K::constant && (d.p1 < d.lower || d.p1 > d.upper)) {
    error(where_of("value"), join_path(path, "value"),
          "expected a value within [min, max], found " + format_number(d.p1));
    return std::nullopt;
  }
  return ParamValue{d};
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
