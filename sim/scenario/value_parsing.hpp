#pragma once
// Parsing of parameter values, shared by the resolver's files; private to the
// scenario module (sim/scenario/), not part of its public headers.
#include <optional>
#include <string>
#include <string_view>

#include "readmit/scenario/config_node.hpp"
#include "readmit/scenario/diagnostics.hpp"
#include "readmit/scenario/parameters.hpp"

namespace readmit::scenario_detail {

/// The largest magnitude of a distribution's parameters: far beyond any
/// attribute's range, small enough that no draw overflows.
constexpr double max_distribution_parameter = 1e9;

/// A user's name or key in a message: never whole when it is long.
std::string shown(std::string_view text);

/// "DDDD-DD-DD": the form of a date, whether or not the day exists.
bool looks_like_date(std::string_view text);

/// "path.key", or "key" at the top.
std::string join_path(const std::string& path, std::string_view key);

/// A distribution parameter (`spec`): a number, or {dist: KIND, ...}, checked
/// against the parameter's range; every problem goes to `sink`.
std::optional<ParamValue> parse_distribution(const ParamSpec& spec, const ConfigNode& node, const std::string& path,
                                             DiagnosticSink& sink);

/// Whether a parameter of this kind may be declared with its range (a whole
/// number, a number, a probability, or a distribution given as one number).
bool can_declare_range(const ParamSpec& spec);

/// Whether `node` declares a value with its range: a map with a `value` key,
/// for a parameter that may be so declared.
bool is_declared_range(const ParamSpec& spec, const ConfigNode& node);

}  // namespace readmit::scenario_detail
