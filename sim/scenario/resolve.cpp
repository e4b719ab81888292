// Validation of a merged scenario tree against the parameter table, and
// construction of the typed Scenario. Every error is collected, none stops
// the walk, so that one run of `readmit validate` lists them all.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>

#include "checks.hpp"
#include "outcome_windows.hpp"
#include "readmit/scenario/loader.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/util/text.hpp"
#include "value_parsing.hpp"

namespace readmit {

namespace {

using T = ParamType;

struct SchemaNode {
  const ParamSpec* spec = nullptr;  // null for the root
  std::vector<std::pair<std::string, std::unique_ptr<SchemaNode>>> children;
  std::unique_ptr<SchemaNode> element;  // map_of / list_of

  const SchemaNode* child(std::string_view key) const {
    for (const auto& [name, node] : children)
      if (name == key) return node.get();
    return nullptr;
  }
};

bool is_element_part(std::string_view part) { return part == "*" || part == "[]"; }

const SchemaNode& schema_root() {
  static const std::unique_ptr<SchemaNode> root = [] {
    auto tree = std::make_unique<SchemaNode>();
    for (const auto& spec : parameter_table()) {
      const auto parts = split(spec.path, '.');
      SchemaNode* node = tree.get();
      for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        if (is_element_part(parts[i])) {
          node = node->element.get();
        } else {
          node = const_cast<SchemaNode*>(node->child(parts[i]));
        }
        if (node == nullptr) throw std::logic_error("parameter table: parent missing for " + std::string(spec.path));
      }
      auto leaf = std::make_unique<SchemaNode>();
      leaf->spec = &spec;
      if (is_element_part(parts.back()))
        node->element = std::move(leaf);
      else
        node->children.emplace_back(std::string(parts.back()), std::move(leaf));
    }
    return tree;
  }();
  return *root;
}

using scenario_detail::join_path;
using scenario_detail::looks_like_date;
using scenario_detail::parse_number;
using scenario_detail::shown;

struct Context {
  std::vector<std::string> partner_names;
  std::vector<std::string> ladder_names;
  std::optional<Date> start;
  std::optional<Date> end;
};

class Resolver {
 public:
  Resolver(DiagnosticSink& sink, Scenario& scenario, Context context)
      : sink_(sink), scenario_(scenario), context_(std::move(context)) {}

  void section(const SchemaNode& schema, const ConfigNode* node, const SourceLocation& parent_where,
               const std::string& path, PathKeys keys, ConfigNode& out) {
    if (node != nullptr && !node->is_map() && !node->is_null()) {
      error(node->where(), path, "expected a map, found " + node->describe());
      return;
    }
    const SourceLocation& where = node != nullptr ? node->where() : parent_where;
    if (schema.spec != nullptr && schema.spec->make != nullptr) {
      if (auto index = schema.spec->make(scenario_, keys, "")) keys.push_back(*index);
    }
    std::vector<std::string_view> known;
    for (const auto& [name, child] : schema.children) known.push_back(name);
    if (node != nullptr && node->is_map()) {
      for (const auto& entry : node->entries()) {
        if (schema.child(entry.key) == nullptr)
          error(entry.key_where, join(path, shown(entry.key)),
                unknown_name_message("unknown key", shown(entry.key), known));
      }
    }
    out = ConfigNode::make_map(where);
    for (const auto& [name, child] : schema.children) {
      const ConfigNode* value = node != nullptr && node->is_map() ? node->find(name) : nullptr;
      const std::string child_path = join(path, name);
      if (child->spec->optional_section && (value == nullptr || value->is_null())) continue;
      ConfigNode resolved;
      const SourceLocation key_where = key_location(node, name, where);
      visit(*child, value, key_where, child_path, keys, resolved);
      out.set(name, key_where, std::move(resolved));
    }
  }

  void visit(const SchemaNode& schema, const ConfigNode* node, const SourceLocation& parent_where,
             const std::string& path, const PathKeys& keys, ConfigNode& out) {
    const ParamSpec& spec = *schema.spec;
    switch (spec.type) {
      case T::section:
        section(schema, node, parent_where, path, keys, out);
        return;
      case T::map_of:
      case T::list_of:
        collection(schema, node, parent_where, path, keys, out);
        return;
      default:
        leaf(spec, node, parent_where, path, keys, out);
        return;
    }
  }

 private:
  static std::string join(const std::string& path, std::string_view key) { return join_path(path, key); }

  static SourceLocation key_location(const ConfigNode* node, std::string_view key, const SourceLocation& fallback) {
    if (node != nullptr && node->is_map())
      if (const auto* entry = node->entry(key)) return entry->key_where;
    return fallback;
  }

  void error(const SourceLocation& where, const std::string& path, std::string message) {
    sink_.error(where, path, std::move(message));
  }

  /// The parsed default of a parameter. Defaults are parsed once per
  /// process (loading is repeated for every sweep point and fuzz input).
  static const ConfigNode& default_node(const ParamSpec& spec) {
    static const std::map<const ParamSpec*, ConfigNode> defaults = [] {
      std::map<const ParamSpec*, ConfigNode> parsed;
      for (const ParamSpec& s : parameter_table()) {
        DiagnosticSink table_sink;
        auto node = parse_yaml(std::string(s.default_yaml), "default", table_sink, SourceLocation::Kind::table_default);
        if (!node) throw std::logic_error("parameter table: bad default for " + std::string(s.path));
        // parse_yaml reads "~" as an empty map at the top level; keep it null.
        if (s.default_yaml == "~") node = ConfigNode::make_null(node->where());
        parsed.emplace(&s, std::move(*node));
      }
      return parsed;
    }();
    const auto it = defaults.find(&spec);
    if (it == defaults.end()) throw std::logic_error("parameter table: no default for " + std::string(spec.path));
    return it->second;
  }

  void collection(const SchemaNode& schema, const ConfigNode* node, const SourceLocation& parent_where,
                  const std::string& path, const PathKeys& keys, ConfigNode& out) {
    const ParamSpec& spec = *schema.spec;
    const bool is_list = spec.type == T::list_of;
    if (node == nullptr || node->is_null()) {
      if (spec.required) {
        error(parent_where, path,
              std::string("expected ") + (is_list ? "a non-empty list" : "a non-empty map") +
                  ", found nothing (required)");
        out = ConfigNode::make_null(parent_where);
        return;
      }
      node = &default_node(spec);
    }
    if (is_list ? !node->is_sequence() : !node->is_map()) {
      error(node->where(), path,
            std::string("expected ") + (is_list ? "a list" : "a map") + ", found " + node->describe());
      out = ConfigNode::make_null(node->where());
      return;
    }
    const std::size_t count = is_list ? node->items().size() : node->entries().size();
    if (spec.required && count == 0) {
      error(node->where(), path, std::string("expected at least one ") + (is_list ? "item" : "entry") + ", found none");
    }
    out = is_list ? ConfigNode::make_sequence(node->where()) : ConfigNode::make_map(node->where());
    if (double(count) > spec.max) {
      error(node->where(), path,
            "expected at most " + format_number(std::int64_t(spec.max)) + (is_list ? " items" : " entries") +
                ", found " + std::to_string(count));
      return;
    }
    for (std::size_t i = 0; i < count; ++i) {
      const ConfigNode& item = is_list ? node->items()[i] : node->entries()[i].value;
      const std::string key = is_list ? std::to_string(i) : node->entries()[i].key;
      const std::string item_path = is_list ? path + "[" + key + "]" : join(path, key);
      if (!is_list && !is_safe_name(key)) {
        error(node->entries()[i].key_where, join(path, shown(key)),
              "expected " + safe_name_expectation() + ", found " + quoted_excerpt(key));
        continue;
      }
      PathKeys item_keys = keys;
      if (auto index = spec.make(scenario_, keys, key)) item_keys.push_back(*index);
      ConfigNode resolved;
      visit(*schema.element, &item, item.where(), item_path, item_keys, resolved);
      if (is_list)
        out.items().push_back(std::move(resolved));
      else
        out.set(key, node->entries()[i].key_where, std::move(resolved));
    }
  }

  void leaf(const ParamSpec& spec, const ConfigNode* node, const SourceLocation& parent_where, const std::string& path,
            const PathKeys& keys, ConfigNode& out) {
    if (node == nullptr) {
      if (spec.required) {
        error(parent_where, path, "expected " + describe_expectation(spec) + ", found nothing (required)");
        out = ConfigNode::make_null(parent_where);
        return;
      }
      node = &default_node(spec);
    }
    out = *node;
    if (spec.type == T::overrides) {
      timeline_overrides(*node, path, keys);
      return;
    }
    if (node->is_null() && !spec.required && spec.default_yaml == "~") return;  // optional value left unset
    if (scenario_detail::is_declared_range(spec, *node)) {
      declared_range(spec, *node, path, keys);
      return;
    }
    if (auto value = parse_leaf(spec, *node, path)) {
      if (spec.set != nullptr) spec.set(scenario_, keys, *value);
    }
  }

  /// `{value: V, range: [LOW, HIGH], origin: assumed|fitted|sourced, reason: TEXT}`: the value, with the
  /// plausible range the answers' robustness is measured over.
  void declared_range(const ParamSpec& spec, const ConfigNode& node, const std::string& path, const PathKeys& keys) {
    static constexpr std::string_view keys_known[] = {"value", "range", "origin", "reason"};
    for (const auto& entry : node.entries())
      if (std::find(std::begin(keys_known), std::end(keys_known), entry.key) == std::end(keys_known))
        error(entry.key_where, join(path, shown(entry.key)),
              unknown_name_message("unknown key", shown(entry.key),
                                   std::vector<std::string_view>(std::begin(keys_known), std::end(keys_known))));
    const ConfigNode& value_node = *node.find("value");
    auto value = parse_leaf(spec, value_node, path);
    DeclaredRange declared;
    declared.path = path;
    declared.spec = &spec;
    declared.keys = keys;
    declared.integer = spec.type == T::integer;
    bool ok = value.has_value();
    if (value) {
      if (declared.integer)
        declared.value = double(std::get<std::int64_t>(*value));
      else if (spec.type == T::distribution)
        declared.value = std::get<Distribution>(*value).p1;  // a constant: one number
      else
        declared.value = std::get<double>(*value);
    }

    const ConfigNode* range = node.find("range");
    const std::string range_path = join(path, "range");
    const double lo = spec.type == T::probability ? 0.0 : spec.min, hi = spec.type == T::probability ? 1.0 : spec.max;
    const std::string range_expectation = std::string("[LOW, HIGH]: two ") +
                                          (declared.integer ? "whole numbers" : "numbers") + " in [" +
                                          format_number(lo) + ", " + format_number(hi) +
                                          "], LOW <= HIGH (or none: this scenario's own value, not uncertain)";
    std::optional<double> bounds[2];
    // `range: none`: a later file's own value for a parameter an earlier one
    // declared uncertain (a counterfactual's choice): no range, no warning.
    const bool own_value = range != nullptr && range->is_scalar() && range->text() == "none";
    if (own_value) {
    } else if (range == nullptr) {
      error(node.where(), range_path, "expected " + range_expectation + ", found nothing (required)");
      ok = false;
    } else if (!range->is_sequence() || range->items().size() != 2) {
      error(range->where(), range_path, "expected " + range_expectation + ", found " + range->describe());
      ok = false;
    } else {
      for (int i = 0; i < 2; ++i) {
        const ConfigNode& item = range->items()[std::size_t(i)];
        const auto number = item.is_scalar() ? parse_number(item.text()) : std::nullopt;
        if (!number || !std::isfinite(*number) || *number < lo || *number > hi ||
            (declared.integer && *number != std::floor(*number))) {
          error(item.where(), range_path + "[" + std::to_string(i) + "]",
                "expected " + range_expectation + ", found " + item.describe());
          ok = false;
        } else {
          bounds[i] = number;
        }
      }
      if (bounds[0] && bounds[1] && *bounds[0] > *bounds[1]) {
        error(range->where(), range_path, "expected " + range_expectation + ", found LOW above HIGH");
        ok = false;
      }
    }
    if (const ConfigNode* origin = node.find("origin")) {
      static const std::vector<std::string_view> origins = {"sourced", "assumed", "fitted"};
      const auto it = origin->is_scalar() ? std::find(origins.begin(), origins.end(), origin->text()) : origins.end();
      if (it == origins.end()) {
        error(origin->where(), join(path, "origin"),
              origin->is_scalar() ? unknown_name_message("unknown origin", shown(origin->text()), origins)
                                  : "expected one of sourced, assumed, fitted, found " + origin->describe());
        ok = false;
      } else {
        declared.origin = ValueOrigin(it - origins.begin());
      }
    }
    const ConfigNode* reason = node.find("reason");
    if (reason == nullptr || !reason->is_scalar() || reason->text().empty() || reason->text().size() > 500) {
      error(reason != nullptr ? reason->where() : node.where(), join(path, "reason"),
            "expected why the range is plausible, a text of 1-500 bytes, found " +
                (reason != nullptr ? reason->describe() : std::string("nothing (required)")));
      ok = false;
    } else {
      declared.reason = reason->text();
    }
    if (!ok) return;
    if (own_value) {
      if (spec.set != nullptr) spec.set(scenario_, keys, *value);
      return;
    }
    declared.low = *bounds[0];
    declared.high = *bounds[1];
    if (declared.value < declared.low || declared.value > declared.high)
      sink_.warning(value_node.where(), path,
                    "lies outside its declared range [" + format_number(declared.low) + ", " +
                        format_number(declared.high) + "] (" + range->where().to_string() + ")");
    if (spec.set != nullptr) spec.set(scenario_, keys, *value);
    scenario_.declared_ranges.push_back(std::move(declared));
  }

 public:
  /// The typed value of one parameter's node, or nullopt after reporting why not.
  std::optional<ParamValue> parse_leaf(const ParamSpec& spec, const ConfigNode& node, const std::string& path) {
    auto fail = [&](const std::string& expected) -> std::optional<ParamValue> {
      error(node.where(), path, "expected " + expected + ", found " + node.describe());
      return std::nullopt;
    };
    const std::string expected = describe_expectation(spec);
    switch (spec.type) {
      case T::integer: {
        if (!node.is_scalar()) return fail(expected);
        std::int64_t value = 0;
        const auto& text = node.text();
        const char* begin = text.data() + (!text.empty() && text[0] == '+' ? 1 : 0);
        const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
        if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return fail(expected);
        if (double(value) < spec.min || double(value) > spec.max) return fail(expected);
        return ParamValue{value};
      }
      case T::real:
      case T::probability: {
        if (!node.is_scalar()) return fail(expected);
        const auto value = parse_number(node.text());
        if (!value) return fail(expected);
        if (std::isnan(*value)) return fail(expected + " (NaN is not a number here)");
        const double lo = spec.type == T::probability ? 0.0 : spec.min;
        const double hi = spec.type == T::probability ? 1.0 : spec.max;
        if (std::isinf(*value) && !(spec.infinity_ok && *value > 0)) return fail(expected);
        if (*value < lo || *value > hi) return fail(expected);
        return ParamValue{*value};
      }
      case T::boolean: {
        static const std::vector<std::string> yes = {"true", "True", "TRUE", "yes", "Yes", "on", "On"};
        static const std::vector<std::string> no = {"false", "False", "FALSE", "no", "No", "off", "Off"};
        if (node.is_scalar()) {
          if (std::find(yes.begin(), yes.end(), node.text()) != yes.end()) return ParamValue{true};
          if (std::find(no.begin(), no.end(), node.text()) != no.end()) return ParamValue{false};
        }
        return fail(expected);
      }
      case T::date: {
        if (!node.is_scalar()) return fail(expected);
        const auto date = Date::parse(node.text());
        if (!date && looks_like_date(node.text())) return fail(expected + " that exists in the calendar");
        if (!date) return fail(expected);
        if (spec.first_of_month && date->day() != 1) return fail("the first day of a month (YYYY-MM-01)");
        if (spec.within_horizon && context_.start && context_.end && *date < *context_.start)
          return fail("a date within the horizon [" + context_.start->to_string() + ", " + context_.end->to_string() +
                      ")");
        // A date after the horizon is legal (a shortened run of a longer
        // scenario) but never reached.
        if (spec.within_horizon && context_.end && *date >= *context_.end)
          sink_.warning(node.where(), path,
                        "has no effect: " + date->to_string() + " is after the horizon (the run ends before " +
                            context_.end->to_string() + ")");
        return ParamValue{*date};
      }
      case T::text:
        if (!node.is_scalar()) return fail(expected);
        if (spec.safe_name && !(node.text().empty() && spec.default_yaml == "\"\"") && !is_safe_name(node.text()))
          return fail(expected);
        if (double(node.text().size()) > spec.max) return fail(expected);
        return ParamValue{node.text()};
      case T::choice: {
        const auto choices = split(spec.choices, '|');
        if (!node.is_scalar()) return fail(expected);
        for (std::size_t i = 0; i < choices.size(); ++i)
          if (choices[i] == node.text()) return ParamValue{std::int64_t(i)};
        error(node.where(), path, unknown_name_message("unknown choice", shown(node.text()), choices));
        return std::nullopt;
      }
      case T::partner_ref:
      case T::ladder_ref:
      case T::amendment_ref: {
        if (!node.is_scalar()) return fail(expected);
        if (!check_reference(spec.type, node, path)) return std::nullopt;
        return ParamValue{node.text()};
      }
      case T::name_list:
      case T::partner_list:
      case T::amendment_list: {
        if (!node.is_sequence()) return fail(expected);
        if (double(node.items().size()) > spec.max)
          return fail("a list of at most " + format_number(std::int64_t(spec.max)) + " names");
        std::vector<std::string> names;
        bool ok = true;
        const ParamType item_type = spec.type == T::partner_list     ? T::partner_ref
                                    : spec.type == T::amendment_list ? T::amendment_ref
                                                                     : T::text;
        for (std::size_t i = 0; i < node.items().size(); ++i) {
          const auto& item = node.items()[i];
          const std::string item_path = path + "[" + std::to_string(i) + "]";
          if (!item.is_scalar() || item.text().empty()) {
            error(item.where(), item_path, "expected a name, found " + item.describe());
            ok = false;
          } else if (item_type == T::text && !is_safe_name(item.text())) {
            error(item.where(), item_path, "expected " + safe_name_expectation() + ", found " + item.describe());
            ok = false;
          } else if (item_type != T::text && !check_reference(item_type, item, item_path)) {
            ok = false;
          } else if (const auto choices = split(spec.choices, '|');
                     !spec.choices.empty() && std::find(choices.begin(), choices.end(), item.text()) == choices.end()) {
            error(item.where(), item_path, unknown_name_message("unknown name", item.text(), choices));
            ok = false;
          } else {
            names.push_back(item.text());
          }
        }
        if (!ok) return std::nullopt;
        return ParamValue{std::move(names)};
      }
      case T::shares:
        return parse_shares(spec, node, path);
      case T::distribution:
        return scenario_detail::parse_distribution(spec, node, path, sink_);
      default:
        return std::nullopt;
    }
  }

 private:
  bool check_reference(ParamType type, const ConfigNode& node, const std::string& path) {
    std::vector<std::string_view> known;
    std::string what;
    if (type == T::partner_ref) {
      known.assign(context_.partner_names.begin(), context_.partner_names.end());
      what = "undefined partner";
    } else if (type == T::ladder_ref) {
      known.assign(context_.ladder_names.begin(), context_.ladder_names.end());
      what = "undefined sanction ladder or preset";
    } else {
      known.assign(amendment_names().begin(), amendment_names().end());
      what = "undefined amendment";
    }
    if (std::find(known.begin(), known.end(), node.text()) != known.end()) return true;
    error(node.where(), path, unknown_name_message(what, shown(node.text()), known));
    return false;
  }

  std::optional<ParamValue> parse_shares(const ParamSpec& spec, const ConfigNode& node, const std::string& path) {
    const auto categories = split(spec.choices, '|');
    if (!node.is_map()) {
      error(node.where(), path, "expected " + describe_expectation(spec) + ", found " + node.describe());
      return std::nullopt;
    }
    std::vector<double> shares(categories.size(), 0.0);
    bool ok = true;
    for (const auto& entry : node.entries()) {
      const auto it = std::find(categories.begin(), categories.end(), entry.key);
      const std::string entry_path = join(path, entry.key);
      if (it == categories.end()) {
        error(entry.key_where, join(path, shown(entry.key)),
              unknown_name_message("unknown category", shown(entry.key), categories));
        ok = false;
        continue;
      }
      const auto value = entry.value.is_scalar() ? parse_number(entry.value.text()) : std::nullopt;
      if (!value || !(*value >= 0.0 && *value <= 1.0)) {
        error(entry.value.where(), entry_path, "expected a share in [0, 1], found " + entry.value.describe());
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

  // timeline[].set: {dotted.path: value}. Paths may pass through partners.NAME.
  void timeline_overrides(const ConfigNode& node, const std::string& path, const PathKeys& keys) {
    if (!node.is_map()) {
      error(node.where(), path, "expected a map of parameter paths to values, found " + node.describe());
      return;
    }
    for (const auto& entry : node.entries()) {
      const std::string entry_path = path + "." + shown(entry.key);
      const SchemaNode* schema = &schema_root();
      PathKeys target_keys;
      std::string pattern;
      bool ok = true;
      for (const auto part : split(entry.key, '.')) {
        if (schema->spec != nullptr && schema->spec->type == T::map_of && schema->spec->path == "partners") {
          const auto it = std::find(context_.partner_names.begin(), context_.partner_names.end(), part);
          if (it == context_.partner_names.end()) {
            std::vector<std::string_view> known(context_.partner_names.begin(), context_.partner_names.end());
            error(entry.key_where, entry_path, unknown_name_message("undefined partner", shown(part), known));
            ok = false;
            break;
          }
          target_keys.push_back(std::size_t(it - context_.partner_names.begin()));
          schema = schema->element.get();
          continue;
        }
        const SchemaNode* next = schema->child(part);
        if (next == nullptr) {
          std::vector<std::string_view> known;
          for (const auto& [name, child] : schema->children) known.push_back(name);
          error(entry.key_where, entry_path, unknown_name_message("unknown parameter", shown(part), known));
          ok = false;
          break;
        }
        schema = next;
      }
      if (!ok) continue;
      const ParamSpec* spec = schema->spec;
      if (spec == nullptr || !spec->timeline_settable || spec->set == nullptr) {
        error(entry.key_where, entry_path,
              "this parameter cannot be changed by the timeline (see `readmit schema`: parameters marked 'timeline')");
        continue;
      }
      if (auto value = parse_leaf(*spec, entry.value, entry_path)) {
        scenario_.timeline[keys.at(0)].assignments.push_back({spec, target_keys, entry.key, *value});
      }
    }
  }

  DiagnosticSink& sink_;
  Scenario& scenario_;
  Context context_;
};

Context read_context(const ConfigNode& tree) {
  Context context;
  // Partners with an invalid name, or beyond the limit, get no Scenario entry.
  const double max_partners = schema_root().child("partners")->spec->max;
  if (const auto* partners = tree.find("partners");
      partners && partners->is_map() && double(partners->entries().size()) <= max_partners)
    for (const auto& entry : partners->entries())
      if (is_safe_name(entry.key)) context.partner_names.push_back(entry.key);
  for (const auto& preset : sanction_presets()) context.ladder_names.push_back(preset.name);
  if (const auto* sanctions = tree.find("sanctions"); sanctions && sanctions->is_map())
    if (const auto* ladders = sanctions->find("ladders"); ladders && ladders->is_map())
      for (const auto& entry : ladders->entries())
        if (std::find(context.ladder_names.begin(), context.ladder_names.end(), entry.key) ==
            context.ladder_names.end())
          context.ladder_names.push_back(entry.key);
  if (const auto* start = tree.find("start_date"); start && start->is_scalar()) {
    context.start = Date::parse(start->text());
    std::int64_t months = 60;
    if (const auto* horizon = tree.find("horizon_months"); horizon && horizon->is_scalar()) {
      const auto& text = horizon->text();
      if (std::from_chars(text.data(), text.data() + text.size(), months).ec != std::errc{} || months < 1 ||
          months > 1200)
        context.start.reset();
    }
    if (context.start) context.end = context.start->plus_months(int(months));
  }
  return context;
}

/// A timeline sanction step must exist on the ladder in use; the engine
/// would otherwise clamp it silently.
void check_sanction_steps(const ConfigNode& merged, const Scenario& scenario, DiagnosticSink& sink) {
  const auto* timeline = merged.find("timeline");
  if (timeline == nullptr || !timeline->is_sequence()) return;
  const auto& ladder = scenario.sanctions.active_ladder();
  const auto steps = std::int64_t(ladder.steps.size());
  for (std::size_t i = 0; i < timeline->items().size() && i < scenario.timeline.size(); ++i) {
    const auto& sanction = scenario.timeline[i].sanction;
    if (!sanction || sanction->step <= steps) continue;
    const auto* node = timeline->items()[i].find("sanction");
    const auto* step = node && node->is_map() ? node->find("step") : nullptr;
    sink.error(step ? step->where() : timeline->items()[i].where(), "timeline[" + std::to_string(i) + "].sanction.step",
               "expected a step of ladder " + ladder.name + " in [0, " + std::to_string(steps) + "], found \"" +
                   std::to_string(sanction->step) + "\"");
  }
}

}  // namespace

LoadedScenario resolve_scenario(const ConfigNode& merged) {
  DiagnosticSink sink;
  LoadedScenario loaded;
  loaded.scenario.sanctions.ladders = sanction_presets();
  Resolver resolver(sink, loaded.scenario, read_context(merged));
  resolver.section(schema_root(), &merged, merged.where(), "", {}, loaded.resolved);
  if (sink.empty()) check_sanction_steps(merged, loaded.scenario, sink);
  if (sink.empty()) detail::check_cross_references(loaded.resolved, loaded.scenario, sink);
  if (sink.empty()) detail::check_effects(loaded.resolved, loaded.scenario, sink);
  if (sink.empty()) resolve_outcome_windows(merged, loaded.scenario, sink);
  sink.sort_by_position();
  sink.throw_if_any();
  loaded.warnings = sink.warnings();
  std::stable_sort(loaded.scenario.timeline.begin(), loaded.scenario.timeline.end(),
                   [](const TimelineEvent& a, const TimelineEvent& b) { return a.date < b.date; });
  return loaded;
}

std::uint64_t parse_seed(std::string_view text, const std::string& origin) {
  DiagnosticSink sink;
  const SourceLocation where{std::make_shared<const std::string>(origin), 0, 0, SourceLocation::Kind::command_line};
  Scenario scratch;
  Resolver resolver(sink, scratch, {});
  const ConfigNode node = ConfigNode::make_scalar(std::string(text), where);
  std::optional<ParamValue> value = resolver.parse_leaf(*schema_root().child("seed")->spec, node, "seed");
  sink.throw_if_any();
  return std::uint64_t(std::get<std::int64_t>(*value));
}

}  // namespace readmit
