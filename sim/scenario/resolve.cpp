// Validation of a merged scenario tree against the parameter table (the
// schema walker, schema_walker.hpp) and construction of the typed Scenario:
// the target that stores each value through its row's setter, and the
// checks that need more than one key. Every error is collected, none stops
// the walk, so that one run of `readmit validate` lists them all.
#include <algorithm>
#include <charconv>
#include <memory>

#include "checks.hpp"
#include "outcome_windows.hpp"
#include "readmit/scenario/loader.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/scenario/schema_walker.hpp"
#include "readmit/util/text.hpp"
#include "value_parsing.hpp"

namespace readmit {

namespace {

using T = ParamType;
using scenario_detail::shown;

const KeySchema& scenario_schema() {
  static const KeySchema schema(parameter_table());
  return schema;
}

/// What the scenario's references may name, read before the walk.
struct Context {
  std::vector<std::string> partner_names;
  std::vector<std::string> ladder_names;
  std::optional<Date> start;
  std::optional<Date> end;
};

/// Stores the walker's values into the Scenario through the table's setters.
class ScenarioTarget : public KeyTarget {
 public:
  ScenarioTarget(Scenario& scenario, const Context& context) : scenario_(scenario), context_(context) {}

  std::optional<std::size_t> enter(const ParamSpec& spec, const PathKeys& keys, std::string_view key,
                                   const SourceLocation&) override {
    return spec.make != nullptr ? spec.make(scenario_, keys, key) : std::nullopt;
  }
  void store(const ParamSpec& spec, const PathKeys& keys, const ParamValue& value, const ConfigNode&,
             const std::string&) override {
    if (spec.set != nullptr) spec.set(scenario_, keys, value);
  }
  void declared(const DeclaredRange& range) override { scenario_.declared_ranges.push_back(range); }
  std::pair<std::vector<std::string_view>, std::string> references(ParamType type) const override {
    if (type == T::partner_ref)
      return {{context_.partner_names.begin(), context_.partner_names.end()}, "undefined partner"};
    if (type == T::ladder_ref)
      return {{context_.ladder_names.begin(), context_.ladder_names.end()}, "undefined sanction ladder or preset"};
    return KeyTarget::references(type);
  }
  /// timeline[].set: {dotted.path: value}. Paths may pass through partners.NAME.
  void custom(const ParamSpec&, const ConfigNode& node, const std::string& path, const PathKeys& keys,
              SchemaWalker& walker) override {
    if (!node.is_map()) {
      walker.error(node.where(), path, "expected a map of parameter paths to values, found " + node.describe());
      return;
    }
    for (const auto& entry : node.entries()) {
      const std::string entry_path = path + "." + shown(entry.key);
      PathKeys target_keys;
      const ParamSpec* spec = timeline_parameter(entry, entry_path, target_keys, walker);
      if (spec == nullptr) continue;
      if (auto value = walker.parse_leaf(*spec, entry.value, entry_path))
        scenario_.timeline[keys.at(0)].assignments.push_back({spec, target_keys, entry.key, *value});
    }
  }

 private:
  /// The row a timeline change names (partners.NAME.x: partners.*.x, the
  /// partner's index appended to `keys`), or null after reporting why not.
  const ParamSpec* timeline_parameter(const ConfigNode::Entry& entry, const std::string& entry_path, PathKeys& keys,
                                      SchemaWalker& walker) const {
    const KeySchema::Node* schema = &scenario_schema().root();
    for (const auto part : split(entry.key, '.')) {
      if (schema->spec != nullptr && schema->spec->type == T::map_of && schema->spec->path == "partners") {
        const auto& names = context_.partner_names;
        const auto it = std::find(names.begin(), names.end(), part);
        if (it == names.end()) {
          walker.error(entry.key_where, entry_path,
                       unknown_name_message("undefined partner", shown(part),
                                            std::vector<std::string_view>(names.begin(), names.end())));
          return nullptr;
        }
        keys.push_back(std::size_t(it - names.begin()));
        schema = schema->element.get();
        continue;
      }
      const KeySchema::Node* next = schema->child(part);
      if (next == nullptr) {
        walker.error(entry.key_where, entry_path,
                     unknown_name_message("unknown parameter", shown(part), schema->keys()));
        return nullptr;
      }
      schema = next;
    }
    if (schema->spec == nullptr || !schema->spec->timeline_settable || schema->spec->set == nullptr) {
      walker.error(entry.key_where, entry_path,
                   "this parameter cannot be changed by the timeline (see `readmit schema`: parameters marked "
                   "'timeline')");
      return nullptr;
    }
    return schema->spec;
  }

  Scenario& scenario_;
  const Context& context_;
};

Context read_context(const ConfigNode& tree) {
  Context context;
  // Partners with an invalid name, or beyond the limit, get no Scenario entry.
  const double max_partners = scenario_schema().root().child("partners")->spec->max;
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

LoadedScenario resolve_scenario(const ConfigNode& merged, ScenarioCheck check) {
  DiagnosticSink sink;
  LoadedScenario loaded;
  loaded.scenario.sanctions.ladders = sanction_presets();
  const Context context = read_context(merged);
  ScenarioTarget target(loaded.scenario, context);
  SchemaWalker walker(scenario_schema(), target, sink,
                      {.start = context.start, .end = context.end, .declared_ranges = true});
  loaded.resolved = walker.walk(merged);
  if (check != nullptr) check(loaded.resolved, sink);
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
  const Context context;
  ScenarioTarget target(scratch, context);
  SchemaWalker walker(scenario_schema(), target, sink);
  const ConfigNode node = ConfigNode::make_scalar(std::string(text), where);
  std::optional<ParamValue> value = walker.parse_leaf(*scenario_schema().root().child("seed")->spec, node, "seed");
  sink.throw_if_any();
  return std::uint64_t(std::get<std::int64_t>(*value));
}

}  // namespace readmit
