// The walker of every input file against its key table: sections and their
// keys, maps with free keys and lists, leaves checked by type and range,
// defaults filled in. Every error is collected, none stops the walk, so that
// one pass lists them all.
#include "readmit/scenario/schema_walker.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <stdexcept>

#include "readmit/util/text.hpp"
#include "value_parsing.hpp"

namespace readmit {

namespace {

using T = ParamType;
using scenario_detail::join_path;
using scenario_detail::looks_like_date;
using scenario_detail::shown;

bool is_element_part(std::string_view part) { return part == "*" || part == "[]"; }

SourceLocation key_location(const ConfigNode* node, std::string_view key, const SourceLocation& fallback) {
  if (node != nullptr && node->is_map())
    if (const auto* entry = node->entry(key)) return entry->key_where;
  return fallback;
}

bool is_collection(ParamType type) { return type == T::map_of || type == T::list_of; }

}  // namespace

// ---- the schema ----

const KeySchema::Node* KeySchema::Node::child(std::string_view key) const {
  for (const auto& [name, node] : children)
    if (name == key) return node.get();
  return nullptr;
}

std::vector<std::string_view> KeySchema::Node::keys() const {
  std::vector<std::string_view> names;
  for (const auto& [name, node] : children) names.push_back(name);
  return names;
}

KeySchema::KeySchema(std::span<const ParamSpec> rows) : root_(std::make_unique<Node>()) {
  for (const auto& spec : rows) {
    const auto parts = split(spec.path, '.');
    Node* node = root_.get();
    for (std::size_t i = 0; i + 1 < parts.size() && node != nullptr; ++i)
      node = is_element_part(parts[i]) ? node->element.get() : const_cast<Node*>(node->child(parts[i]));
    if (node == nullptr) throw std::logic_error("key table: no parent row for " + std::string(spec.path));
    auto leaf = std::make_unique<Node>();
    leaf->spec = &spec;
    if (is_element_part(parts.back()))
      node->element = std::move(leaf);
    else
      node->children.emplace_back(std::string(parts.back()), std::move(leaf));

    DiagnosticSink table_sink;
    auto parsed =
        parse_yaml(std::string(spec.default_yaml), "default", table_sink, SourceLocation::Kind::table_default);
    if (!parsed) throw std::logic_error("key table: bad default for " + std::string(spec.path));
    // parse_yaml reads "~" as an empty map at the top level; keep it null.
    if (spec.default_yaml == "~") parsed = ConfigNode::make_null(parsed->where());
    defaults_.emplace(&spec, std::move(*parsed));
  }
}

const ConfigNode& KeySchema::default_node(const ParamSpec& spec) const {
  const auto it = defaults_.find(&spec);
  if (it == defaults_.end()) throw std::logic_error("key table: no default for " + std::string(spec.path));
  return it->second;
}

// ---- the target's defaults ----

void KeyTarget::custom(const ParamSpec& spec, const ConfigNode&, const std::string&, const PathKeys&, SchemaWalker&) {
  throw std::logic_error("key table: no reader for " + std::string(spec.path));
}

std::pair<std::vector<std::string_view>, std::string> KeyTarget::references(ParamType type) const {
  if (type == T::amendment_ref)
    return {std::vector<std::string_view>(amendment_names().begin(), amendment_names().end()), "undefined amendment"};
  return {{}, "undefined name"};
}

void KeyTarget::declared(const DeclaredRange&) {}

// ---- the walk ----

void SchemaWalker::error(const SourceLocation& where, const std::string& path, std::string message) {
  sink_.error(where, path, std::move(message));
}

ConfigNode SchemaWalker::walk(const ConfigNode& tree) {
  ConfigNode out;
  section(schema_.root(), &tree, tree.where(), "", {}, out);
  return out;
}

void SchemaWalker::section(const KeySchema::Node& schema, const ConfigNode* node, const SourceLocation& parent_where,
                           const std::string& path, PathKeys keys, ConfigNode& out) {
  if (node != nullptr && !node->is_map() && !node->is_null()) {
    error(node->where(), path, "expected a map, found " + node->describe());
    return;
  }
  const SourceLocation& where = node != nullptr ? node->where() : parent_where;
  if (schema.spec != nullptr && schema.spec->make != nullptr)
    if (auto index = target_.enter(*schema.spec, keys, "", where)) keys.push_back(*index);
  if (node != nullptr && node->is_map())
    for (const auto& entry : node->entries())
      if (schema.child(entry.key) == nullptr)
        error(entry.key_where, join_path(path, shown(entry.key)),
              unknown_name_message("unknown key", shown(entry.key), schema.keys()));
  out = ConfigNode::make_map(where);
  for (const auto& [name, child] : schema.children) {
    const ConfigNode* value = node != nullptr && node->is_map() ? node->find(name) : nullptr;
    if (child->spec->optional_section && (value == nullptr || value->is_null())) continue;
    ConfigNode resolved;
    const SourceLocation key_where = key_location(node, name, where);
    visit(*child, value, key_where, join_path(path, name), keys, resolved);
    out.set(name, key_where, std::move(resolved));
  }
}

void SchemaWalker::visit(const KeySchema::Node& schema, const ConfigNode* node, const SourceLocation& parent_where,
                         const std::string& path, const PathKeys& keys, ConfigNode& out) {
  const ParamSpec& spec = *schema.spec;
  if (spec.type == T::section)
    section(schema, node, parent_where, path, keys, out);
  else if (is_collection(spec.type))
    collection(schema, node, parent_where, path, keys, out);
  else
    leaf(spec, node, parent_where, path, keys, out);
}

bool SchemaWalker::entry_key_valid(const ParamSpec& spec, const ConfigNode::Entry& entry, const std::string& path) {
  if (spec.path_keys ? is_parameter_path(entry.key) : is_safe_name(entry.key)) return true;
  error(entry.key_where, join_path(path, shown(entry.key)),
        "expected " + (spec.path_keys ? std::string("a dotted parameter path") : safe_name_expectation()) + ", found " +
            quoted_excerpt(entry.key));
  return false;
}

void SchemaWalker::collection(const KeySchema::Node& schema, const ConfigNode* node, const SourceLocation& parent_where,
                              const std::string& path, const PathKeys& keys, ConfigNode& out) {
  const ParamSpec& spec = *schema.spec;
  const ConfigNode* given = collection_or_default(spec, node, parent_where, path, out);
  if (given == nullptr) return;
  const bool is_list = spec.type == T::list_of;
  const std::size_t count = is_list ? given->items().size() : given->entries().size();
  if (spec.required && count == 0)
    error(given->where(), path, std::string("expected at least one ") + (is_list ? "item" : "entry") + ", found none");
  out = is_list ? ConfigNode::make_sequence(given->where()) : ConfigNode::make_map(given->where());
  if (double(count) > spec.max) {
    error(given->where(), path,
          "expected at most " + format_number(std::int64_t(spec.max)) + (is_list ? " items" : " entries") + ", found " +
              std::to_string(count));
    return;
  }
  for (std::size_t i = 0; i < count; ++i) collection_item(schema, *given, i, path, keys, out);
}

/// The list or map to read: `node`, or the row's default when nothing is
/// given; null after reporting a required one missing or a value of another
/// kind (`out` is then null).
const ConfigNode* SchemaWalker::collection_or_default(const ParamSpec& spec, const ConfigNode* node,
                                                      const SourceLocation& parent_where, const std::string& path,
                                                      ConfigNode& out) {
  const bool is_list = spec.type == T::list_of;
  const std::string items = is_list ? "a list" : "a map";
  if (node == nullptr || node->is_null()) {
    if (spec.required) {
      error(parent_where, path, "expected a non-empty " + items.substr(2) + ", found nothing (required)");
      out = ConfigNode::make_null(parent_where);
      return nullptr;
    }
    node = &schema_.default_node(spec);
  }
  if (is_list ? !node->is_sequence() : !node->is_map()) {
    error(node->where(), path, "expected " + items + ", found " + node->describe());
    out = ConfigNode::make_null(node->where());
    return nullptr;
  }
  return node;
}

/// Reads item `i` of the list or map `given` into `out`; a map's entry only
/// when its key is valid.
void SchemaWalker::collection_item(const KeySchema::Node& schema, const ConfigNode& given, std::size_t i,
                                   const std::string& path, const PathKeys& keys, ConfigNode& out) {
  const ParamSpec& spec = *schema.spec;
  const bool is_list = spec.type == T::list_of;
  if (!is_list && !entry_key_valid(spec, given.entries()[i], path)) return;
  const ConfigNode& item = is_list ? given.items()[i] : given.entries()[i].value;
  const std::string key = is_list ? std::to_string(i) : given.entries()[i].key;
  PathKeys item_keys = keys;
  const SourceLocation& where = is_list ? item.where() : given.entries()[i].key_where;
  if (auto index = target_.enter(spec, keys, key, where)) item_keys.push_back(*index);
  ConfigNode resolved;
  visit(*schema.element, &item, item.where(), is_list ? path + "[" + key + "]" : join_path(path, key), item_keys,
        resolved);
  if (is_list)
    out.items().push_back(std::move(resolved));
  else
    out.set(key, given.entries()[i].key_where, std::move(resolved));
}

void SchemaWalker::leaf(const ParamSpec& spec, const ConfigNode* node, const SourceLocation& parent_where,
                        const std::string& path, const PathKeys& keys, ConfigNode& out) {
  if (node == nullptr) {
    if (spec.required) {
      error(parent_where, path, "expected " + describe_expectation(spec) + ", found nothing (required)");
      out = ConfigNode::make_null(parent_where);
      return;
    }
    node = &schema_.default_node(spec);
  }
  out = *node;
  if (spec.type == T::overrides || spec.type == T::custom) {
    target_.custom(spec, *node, path, keys, *this);
    return;
  }
  if (node->is_null() && !spec.required && spec.default_yaml == "~") return;  // optional value left unset
  if (options_.declared_ranges && scenario_detail::is_declared_range(spec, *node)) {
    declared_range(spec, *node, path, keys);
    return;
  }
  if (auto value = parse_leaf(spec, *node, path)) target_.store(spec, keys, *value, *node, path);
}

// ---- values declared with their range ----

namespace {

/// A declared value as the number its range is about.
double declared_number(const ParamSpec& spec, const ParamValue& value) {
  if (spec.type == T::integer) return double(std::get<std::int64_t>(value));
  if (spec.type == T::distribution) return std::get<Distribution>(value).p1;  // a constant: one number
  return std::get<double>(value);
}

}  // namespace

/// `{value: V, range: [LOW, HIGH], origin: assumed|fitted|sourced, reason: TEXT}`: the value, with the
/// plausible range the answers' robustness is measured over.
void SchemaWalker::declared_range(const ParamSpec& spec, const ConfigNode& node, const std::string& path,
                                  const PathKeys& keys) {
  static constexpr std::string_view keys_known[] = {"value", "range", "origin", "reason"};
  for (const auto& entry : node.entries())
    if (std::find(std::begin(keys_known), std::end(keys_known), entry.key) == std::end(keys_known))
      error(entry.key_where, join_path(path, shown(entry.key)),
            unknown_name_message("unknown key", shown(entry.key), keys_known));
  const ConfigNode& value_node = *node.find("value");
  const auto value = parse_leaf(spec, value_node, path);
  DeclaredRange declared;
  declared.path = path;
  declared.spec = &spec;
  declared.keys = keys;
  declared.integer = spec.type == T::integer;
  if (value) declared.value = declared_number(spec, *value);
  // `range: none`: a later file's own value for a parameter an earlier one
  // declared uncertain (a counterfactual's choice): no range, no warning.
  const ConfigNode* range = node.find("range");
  const bool own_value = range != nullptr && range->is_scalar() && range->text() == "none";
  const auto bounds = own_value ? std::optional(std::pair(0.0, 0.0)) : range_bounds(spec, node, path);
  const bool origin_ok = read_origin(node, path, declared);  // every problem reported, whatever came before
  const bool reason_ok = read_reason(node, path, declared);
  if (!value || !bounds || !origin_ok || !reason_ok) return;
  if (own_value) {
    target_.store(spec, keys, *value, value_node, path);
    return;
  }
  declared.low = bounds->first;
  declared.high = bounds->second;
  if (declared.value < declared.low || declared.value > declared.high)
    sink_.warning(value_node.where(), path,
                  "lies outside its declared range [" + format_number(declared.low) + ", " +
                      format_number(declared.high) + "] (" + node.find("range")->where().to_string() + ")");
  target_.store(spec, keys, *value, value_node, path);
  target_.declared(declared);
}

/// The `origin` of a declared value, if given, into `declared`; false after reporting an unknown one.
bool SchemaWalker::read_origin(const ConfigNode& node, const std::string& path, DeclaredRange& declared) {
  const ConfigNode* origin = node.find("origin");
  if (origin == nullptr) return true;
  static const std::vector<std::string_view> origins = {"sourced", "assumed", "fitted"};
  const auto it = origin->is_scalar() ? std::find(origins.begin(), origins.end(), origin->text()) : origins.end();
  if (it == origins.end()) {
    error(origin->where(), join_path(path, "origin"),
          origin->is_scalar() ? unknown_name_message("unknown origin", shown(origin->text()), origins)
                              : "expected one of sourced, assumed, fitted, found " + origin->describe());
    return false;
  }
  declared.origin = ValueOrigin(it - origins.begin());
  return true;
}

/// The `reason` of a declared value into `declared`; false after reporting it missing or not a short text.
bool SchemaWalker::read_reason(const ConfigNode& node, const std::string& path, DeclaredRange& declared) {
  const ConfigNode* reason = node.find("reason");
  if (reason == nullptr || !reason->is_scalar() || reason->text().empty() || reason->text().size() > 500) {
    error(reason != nullptr ? reason->where() : node.where(), join_path(path, "reason"),
          "expected why the range is plausible, a text of 1-500 bytes, found " +
              (reason != nullptr ? reason->describe() : std::string("nothing (required)")));
    return false;
  }
  declared.reason = reason->text();
  return true;
}

/// The `range: [LOW, HIGH]` of a declared value, or nullopt after reporting why not.
std::optional<std::pair<double, double>> SchemaWalker::range_bounds(const ParamSpec& spec, const ConfigNode& node,
                                                                    const std::string& path) {
  const ConfigNode* range = node.find("range");
  const std::string range_path = join_path(path, "range");
  const bool integer = spec.type == T::integer;
  const double lo = spec.type == T::probability ? 0.0 : spec.min, hi = spec.type == T::probability ? 1.0 : spec.max;
  const std::string expectation = std::string("[LOW, HIGH]: two ") + (integer ? "whole numbers" : "numbers") + " in [" +
                                  format_number(lo) + ", " + format_number(hi) +
                                  "], LOW <= HIGH (or none: this scenario's own value, not uncertain)";
  if (range == nullptr) {
    error(node.where(), range_path, "expected " + expectation + ", found nothing (required)");
    return std::nullopt;
  }
  if (!range->is_sequence() || range->items().size() != 2) {
    error(range->where(), range_path, "expected " + expectation + ", found " + range->describe());
    return std::nullopt;
  }
  double bounds[2] = {0, 0};
  bool ok = true;
  for (std::size_t i = 0; i < 2; ++i) {
    const ConfigNode& item = range->items()[i];
    const auto number = item.is_scalar() ? parse_yaml_number(item.text()) : std::nullopt;
    const bool valid = number && std::isfinite(*number) && *number >= lo && *number <= hi &&
                       !(integer && *number != std::floor(*number));
    if (!valid)
      error(item.where(), range_path + "[" + std::to_string(i) + "]",
            "expected " + expectation + ", found " + item.describe());
    else
      bounds[i] = *number;
    ok = ok && valid;
  }
  if (ok && bounds[0] > bounds[1]) {
    error(range->where(), range_path, "expected " + expectation + ", found LOW above HIGH");
    return std::nullopt;
  }
  return ok ? std::optional(std::pair(bounds[0], bounds[1])) : std::nullopt;
}

// ---- leaves ----

std::optional<ParamValue> SchemaWalker::fail(const ConfigNode& node, const std::string& path,
                                             const std::string& expected) {
  error(node.where(), path, "expected " + expected + ", found " + node.describe());
  return std::nullopt;
}

std::optional<ParamValue> SchemaWalker::parse_leaf(const ParamSpec& spec, const ConfigNode& node,
                                                   const std::string& path) {
  switch (spec.type) {
    case T::integer:
      return parse_integer(spec, node, path);
    case T::real:
    case T::probability:
      return parse_real(spec, node, path);
    case T::boolean:
      return parse_boolean(spec, node, path);
    case T::date:
      return parse_date(spec, node, path);
    case T::text:
      return parse_text(spec, node, path);
    case T::choice:
      return parse_choice(spec, node, path);
    case T::partner_ref:
    case T::ladder_ref:
    case T::amendment_ref:
      if (!node.is_scalar()) return fail(node, path, describe_expectation(spec));
      if (!check_reference(spec.type, node, path)) return std::nullopt;
      return ParamValue{node.text()};
    case T::name_list:
    case T::partner_list:
    case T::amendment_list:
      return parse_names(spec, node, path);
    case T::shares:
      return parse_shares(spec, node, path);
    case T::distribution:
      return scenario_detail::parse_distribution(spec, node, path, sink_);
    default:
      return std::nullopt;
  }
}

std::optional<ParamValue> SchemaWalker::parse_integer(const ParamSpec& spec, const ConfigNode& node,
                                                      const std::string& path) {
  const auto value = node.is_scalar() ? parse_yaml_integer(node.text()) : std::nullopt;
  if (!value || double(*value) < spec.min || double(*value) > spec.max)
    return fail(node, path, describe_expectation(spec));
  return ParamValue{*value};
}

std::optional<ParamValue> SchemaWalker::parse_real(const ParamSpec& spec, const ConfigNode& node,
                                                   const std::string& path) {
  const std::string expected = describe_expectation(spec);
  const auto value = node.is_scalar() ? parse_yaml_number(node.text()) : std::nullopt;
  if (!value) return fail(node, path, expected);
  if (std::isnan(*value)) return fail(node, path, expected + " (NaN is not a number here)");
  const double lo = spec.type == T::probability ? 0.0 : spec.min;
  const double hi = spec.type == T::probability ? 1.0 : spec.max;
  if ((std::isinf(*value) && !(spec.infinity_ok && *value > 0)) || *value < lo || *value > hi)
    return fail(node, path, expected);
  return ParamValue{*value};
}

std::optional<ParamValue> SchemaWalker::parse_boolean(const ParamSpec& spec, const ConfigNode& node,
                                                      const std::string& path) {
  static const std::vector<std::string> yes = {"true", "True", "TRUE", "yes", "Yes", "on", "On"};
  static const std::vector<std::string> no = {"false", "False", "FALSE", "no", "No", "off", "Off"};
  if (node.is_scalar()) {
    if (std::find(yes.begin(), yes.end(), node.text()) != yes.end()) return ParamValue{true};
    if (std::find(no.begin(), no.end(), node.text()) != no.end()) return ParamValue{false};
  }
  return fail(node, path, describe_expectation(spec));
}

std::optional<ParamValue> SchemaWalker::parse_date(const ParamSpec& spec, const ConfigNode& node,
                                                   const std::string& path) {
  const std::string expected = describe_expectation(spec);
  if (!node.is_scalar()) return fail(node, path, expected);
  const auto date = Date::parse(node.text());
  if (!date)
    return fail(node, path, looks_like_date(node.text()) ? expected + " that exists in the calendar" : expected);
  if (spec.first_of_month && date->day() != 1) return fail(node, path, "the first day of a month (YYYY-MM-01)");
  if (!spec.within_horizon || !options_.end) return ParamValue{*date};
  if (options_.start && *date < *options_.start)
    return fail(node, path,
                "a date within the horizon [" + options_.start->to_string() + ", " + options_.end->to_string() + ")");
  // A date after the horizon is legal (a shortened run of a longer scenario) but never reached.
  if (*date >= *options_.end)
    sink_.warning(node.where(), path,
                  "has no effect: " + date->to_string() + " is after the horizon (the run ends before " +
                      options_.end->to_string() + ")");
  return ParamValue{*date};
}

std::optional<ParamValue> SchemaWalker::parse_text(const ParamSpec& spec, const ConfigNode& node,
                                                   const std::string& path) {
  const bool may_be_empty = node.is_scalar() && node.text().empty() && spec.default_yaml == "\"\"";
  if (!node.is_scalar() || (spec.safe_name && !may_be_empty && !is_safe_name(node.text())) ||
      double(node.text().size()) > spec.max)
    return fail(node, path, describe_expectation(spec));
  return ParamValue{node.text()};
}

std::optional<ParamValue> SchemaWalker::parse_choice(const ParamSpec& spec, const ConfigNode& node,
                                                     const std::string& path) {
  if (!node.is_scalar()) return fail(node, path, describe_expectation(spec));
  const auto choices = split(spec.choices, '|');
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (choices[i] == node.text()) return ParamValue{std::int64_t(i)};
  error(node.where(), path, unknown_name_message("unknown choice", shown(node.text()), choices));
  return std::nullopt;
}

bool SchemaWalker::name_item_valid(const ParamSpec& spec, ParamType item_type, const ConfigNode& item,
                                   const std::string& path) {
  if (!item.is_scalar() || item.text().empty()) {
    error(item.where(), path, "expected a name, found " + item.describe());
    return false;
  }
  if (item_type == T::text && !is_safe_name(item.text())) {
    error(item.where(), path, "expected " + safe_name_expectation() + ", found " + item.describe());
    return false;
  }
  if (item_type != T::text) return check_reference(item_type, item, path);
  const auto choices = split(spec.choices, '|');
  if (spec.choices.empty() || std::find(choices.begin(), choices.end(), item.text()) != choices.end()) return true;
  error(item.where(), path, unknown_name_message("unknown name", item.text(), choices));
  return false;
}

std::optional<ParamValue> SchemaWalker::parse_names(const ParamSpec& spec, const ConfigNode& node,
                                                    const std::string& path) {
  if (!node.is_sequence()) return fail(node, path, describe_expectation(spec));
  if (double(node.items().size()) > spec.max)
    return fail(node, path, "a list of at most " + format_number(std::int64_t(spec.max)) + " names");
  const ParamType item_type = spec.type == T::partner_list     ? T::partner_ref
                              : spec.type == T::amendment_list ? T::amendment_ref
                                                               : T::text;
  std::vector<std::string> names;
  bool ok = true;
  for (std::size_t i = 0; i < node.items().size(); ++i) {
    const auto& item = node.items()[i];
    if (name_item_valid(spec, item_type, item, path + "[" + std::to_string(i) + "]"))
      names.push_back(item.text());
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return ParamValue{std::move(names)};
}

bool SchemaWalker::check_reference(ParamType type, const ConfigNode& node, const std::string& path) {
  const auto [known, what] = target_.references(type);
  if (std::find(known.begin(), known.end(), node.text()) != known.end()) return true;
  error(node.where(), path, unknown_name_message(what, shown(node.text()), known));
  return false;
}

std::optional<ParamValue> SchemaWalker::parse_shares(const ParamSpec& spec, const ConfigNode& node,
                                                     const std::string& path) {
  if (!node.is_map()) return fail(node, path, describe_expectation(spec));
  const auto categories = split(spec.choices, '|');
  std::vector<double> shares(categories.size(), 0.0);
  bool ok = true;
  for (const auto& entry : node.entries()) {
    const auto it = std::find(categories.begin(), categories.end(), entry.key);
    if (it == categories.end()) {
      error(entry.key_where, join_path(path, shown(entry.key)),
            unknown_name_message("unknown category", shown(entry.key), categories));
      ok = false;
      continue;
    }
    const auto value = entry.value.is_scalar() ? parse_yaml_number(entry.value.text()) : std::nullopt;
    if (!value || !(*value >= 0.0 && *value <= 1.0)) {
      error(entry.value.where(), join_path(path, entry.key),
            "expected a share in [0, 1], found " + entry.value.describe());
      ok = false;
      continue;
    }
    shares[std::size_t(it - categories.begin())] = *value;
  }
  if (!ok) return std::nullopt;
  double sum = 0.0;
  for (double s : shares) sum += s;
  if (std::abs(sum - 1.0) > 1e-6) {
    error(node.where(), path, "expected shares summing to 1, found a sum of " + format_number(sum));
    return std::nullopt;
  }
  return ParamValue{std::move(shares)};
}

// ---- numbers and paths ----

bool is_parameter_path(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.' || text.find("..") != std::string_view::npos)
    return false;
  return std::none_of(text.begin(), text.end(), [](char c) { return c == '=' || c == ' ' || c == '\t'; });
}

std::optional<double> parse_yaml_number(const std::string& text) {
  static const std::map<std::string, double, std::less<>> special = {
      {".inf", INFINITY},   {".Inf", INFINITY}, {".INF", INFINITY}, {"+.inf", INFINITY}, {"-.inf", -INFINITY},
      {"-.Inf", -INFINITY}, {".nan", NAN},      {".NaN", NAN},      {".NAN", NAN}};
  if (auto it = special.find(text); it != special.end()) return it->second;
  if (text.empty()) return std::nullopt;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  // from_chars also reads "inf" and "nan"; YAML spells those .inf and .nan.
  if (!std::isfinite(value) && (text.find('.') == std::string::npos)) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_yaml_integer(const std::string& text) {
  std::int64_t value = 0;
  const char* begin = text.data() + (!text.empty() && text[0] == '+' ? 1 : 0);
  const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace readmit
