#include "checks.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "readmit/scenario/parameters.hpp"
#include "readmit/util/text.hpp"

namespace readmit::detail {

namespace {

/// The node at a dotted path of maps ("partners.alpha.agreement"); names
/// never hold dots, so the path splits unambiguously. A value declared with
/// its range (`{value: V, range: ...}`) is its value.
const ConfigNode* node_at(const ConfigNode& root, std::string_view dotted) {
  const ConfigNode* node = &root;
  for (const auto part : split(dotted, '.')) {
    if (node == nullptr || !node->is_map()) return nullptr;
    node = node->find(part);
  }
  if (node != nullptr && node->is_map())
    if (const ConfigNode* value = node->find("value"); value != nullptr && node->find("range") != nullptr) return value;
  return node;
}

/// Whether the value was written by a file or on the command line, not
/// filled in from the parameter table.
bool given(const ConfigNode* node) {
  return node != nullptr && node->where().kind != SourceLocation::Kind::table_default;
}

/// Whether `node`, the value of the parameter at table path `pattern`, says
/// something else than the parameter's default: a value equal to the default
/// changes nothing whether it takes effect or not, so it earns no warning.
bool differs_from_default(const ConfigNode& node, std::string_view pattern) {
  for (const auto& spec : parameter_table()) {
    if (spec.path != pattern) continue;
    if (spec.required) return true;
    DiagnosticSink ignored;
    const auto fallback = parse_yaml(std::string(spec.default_yaml), "default", ignored);
    if (!fallback) return true;
    if (spec.default_yaml == "~") return !node.is_null();
    return to_flow_yaml(node) != to_flow_yaml(*fallback);
  }
  return true;
}

/// A value that was written and says something: worth a warning when it has no effect.
bool set_apart_from_default(const ConfigNode* node, std::string_view pattern) {
  return given(node) && differs_from_default(*node, pattern);
}

bool is_true(const ConfigNode& node) {
  static const std::vector<std::string_view> yes = {"true", "True", "TRUE", "yes", "Yes", "on", "On"};
  return node.is_scalar() && std::find(yes.begin(), yes.end(), node.text()) != yes.end();
}

/// A scalar's number as written; nothing for text that is not one (`.inf` included).
std::optional<double> number_in(const ConfigNode& node) {
  if (!node.is_scalar()) return std::nullopt;
  double value = 0;
  const auto& text = node.text();
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} ? std::optional<double>(value) : std::nullopt;
}

bool is_positive(const ConfigNode& node) { return number_in(node).value_or(0) > 0; }

/// A finite number: `.inf` (a scale at which nothing weighs) is not.
bool is_finite(const ConfigNode& node) {
  const auto value = number_in(node);
  return value && std::isfinite(*value);
}

bool is_nonempty_list(const ConfigNode& node) { return node.is_sequence() && !node.items().empty(); }

std::string concrete(std::string_view pattern, std::string_view partner) {
  std::string path(pattern);
  if (const auto star = path.find('*'); star != std::string::npos) path.replace(star, 1, partner);
  return path;
}

/// A `set` of the timeline: entry index, date, the parameter's concrete
/// path and the value node.
struct TimelineSet {
  std::size_t entry;
  std::string date;
  std::string path;
  const ConfigNode* value;
};

std::vector<TimelineSet> timeline_sets(const ConfigNode& resolved) {
  std::vector<TimelineSet> sets;
  const ConfigNode* timeline = resolved.find("timeline");
  if (timeline == nullptr || !timeline->is_sequence()) return sets;
  for (std::size_t i = 0; i < timeline->items().size(); ++i) {
    const ConfigNode& entry = timeline->items()[i];
    const ConfigNode* set = entry.find("set");
    const ConfigNode* date = entry.find("date");
    if (set == nullptr || !set->is_map()) continue;
    for (const auto& e : set->entries())
      sets.push_back({i, date != nullptr && date->is_scalar() ? date->text() : std::string(), e.key, &e.value});
  }
  return sets;
}

/// A parameter that does something only while another one allows it.
struct Dependency {
  std::string_view dependent;  // table path; `*` is a partner
  std::string_view enabling;   // table path; `*` is the same partner, or any partner when `dependent` has none
  std::string_view condition;  // when the dependent has no effect, for the message
  bool (*enabled)(const ConfigNode&);
  std::string_view also_enabling = {};  // another path that enables it the same way, if any
};

constexpr Dependency dependencies[] = {
    {"partners.*.agreement.interview_interval_days", "partners.*.agreement.interview_required", "is false", is_true},
    {"partners.*.agreement.interview_round_size", "partners.*.agreement.interview_required", "is false", is_true},
    {"partners.*.flights.charter_offset_days", "partners.*.flights.charter_interval_days", "is 0 (no charter cycle)",
     is_positive},
    {"partners.*.flights.charter_seats", "partners.*.flights.charter_interval_days",
     "and charter_after_round_days are 0 (no charters)", is_positive, "partners.*.flights.charter_after_round_days"},
    {"partners.*.flights.charter_acceptance_base_prob", "partners.*.flights.charter_interval_days",
     "and charter_after_round_days are 0 (no charters)", is_positive, "partners.*.flights.charter_after_round_days"},
    {"partners.*.issue_linkage.name", "partners.*.issue_linkage.suspend_prob_per_step", "is 0", is_positive},
    {"partners.*.issue_linkage.resume_when_lifted", "partners.*.issue_linkage.suspend_prob_per_step", "is 0",
     is_positive},
    {"partners.*.amendment_request.domestic_cost_threshold", "partners.*.amendment_request.amendments", "is empty",
     is_nonempty_list},
    {"removing_state.raid_size", "partners.*.agreement.interview_required",
     "is false for every partner (raids prepare interview rounds)", is_true},
    {"removing_state.raid_lead_days", "removing_state.raid_size", "is 0", is_positive},
    {"sanctions.deescalate_after", "sanctions.allow_deescalation", "is false", is_true},
    {"partners.*.standing.trade_usd_millions_per_year", "sanctions.trade_scale_usd_millions",
     "is .inf (trade weighs nothing)", is_finite},
    {"partners.*.standing.visas_issued_per_year", "sanctions.visas_scale", "is .inf (visas weigh nothing)", is_finite},
    {"partners.*.standing.security_ties", "sanctions.security_weight", "is 0 (security ties weigh nothing)",
     is_positive},
    {"sanctions.security_weight", "partners.*.standing.security_ties",
     "is false for every partner (no security ties to weigh)", is_true},
    {"negotiation.agree_prob_per_year", "partners.*.amendment_request.amendments",
     "is empty for every partner (nothing to negotiate)", is_nonempty_list},
    {"negotiation.entry_into_force_lag_days", "partners.*.amendment_request.amendments",
     "is empty for every partner (nothing to negotiate)", is_nonempty_list},
};

bool is_per_partner(const Dependency& rule) { return rule.dependent.find('*') != std::string_view::npos; }

/// The partners a rule is checked for: each partner's name, or one empty
/// name for a rule of the whole scenario.
std::vector<std::string> rule_instances(const Dependency& rule, const Scenario& scenario) {
  std::vector<std::string> instances;
  if (is_per_partner(rule))
    for (const auto& p : scenario.partners) instances.push_back(p.name);
  else
    instances.emplace_back();
  return instances;
}

/// The concrete paths of the parameters that enable the rule's dependent:
/// this partner's, or every partner's for a rule of the whole scenario.
std::vector<std::string> enabling_paths(const Dependency& rule, const std::string& partner, const Scenario& scenario) {
  std::vector<std::string> paths;
  for (const auto enabling : {rule.enabling, rule.also_enabling}) {
    if (enabling.empty()) continue;
    if (enabling.find('*') == std::string_view::npos)
      paths.emplace_back(enabling);
    else if (is_per_partner(rule))
      paths.push_back(concrete(enabling, partner));
    else
      for (const auto& p : scenario.partners) paths.push_back(concrete(enabling, p.name));
  }
  return paths;
}

/// Whether one of `paths` enables the rule's dependent, by its value or by
/// a timeline entry that sets it.
bool is_enabled(const Dependency& rule, const std::vector<std::string>& paths, const ConfigNode& resolved,
                const std::vector<TimelineSet>& sets) {
  for (const auto& path : paths) {
    if (const ConfigNode* node = node_at(resolved, path); node != nullptr && rule.enabled(*node)) return true;
    for (const auto& set : sets)
      if (set.path == path && rule.enabled(*set.value)) return true;
  }
  return false;
}

/// Warns at the dependent of `rule` for `partner`, where it is set apart from
/// its default and at every timeline entry that sets it so.
void warn_without_effect(const Dependency& rule, const std::string& partner, const ConfigNode& resolved,
                         const std::vector<TimelineSet>& sets, DiagnosticSink& sink) {
  const std::string dependent = concrete(rule.dependent, partner);
  const std::string enabling = is_per_partner(rule) ? concrete(rule.enabling, partner) : std::string(rule.enabling);
  const std::string message = "has no effect: " + enabling + " " + std::string(rule.condition) +
                              (sets.empty() ? "" : " and no timeline entry changes that");
  if (const ConfigNode* node = node_at(resolved, dependent); set_apart_from_default(node, rule.dependent))
    sink.warning(node->where(), dependent, message);
  for (const auto& set : sets)
    if (set.path == dependent && differs_from_default(*set.value, rule.dependent))
      sink.warning(set.value->where(), "timeline[" + std::to_string(set.entry) + "].set." + dependent, message);
}

void check_dependencies(const ConfigNode& resolved, const Scenario& scenario, DiagnosticSink& sink) {
  const auto sets = timeline_sets(resolved);
  for (const auto& rule : dependencies)
    for (const auto& partner : rule_instances(rule, scenario))
      if (!is_enabled(rule, enabling_paths(rule, partner, scenario), resolved, sets))
        warn_without_effect(rule, partner, resolved, sets, sink);
}

/// Whether amendment `a` can be in force at some point of the run.
bool ever_in_force(const Scenario& scenario, AmendmentKind a) {
  const auto& common = scenario.amendment_rules.common[std::size_t(a)];
  if (common.in_force_from && *common.in_force_from < scenario.end_date()) return true;
  for (const auto& event : scenario.timeline)
    if (event.amendment && event.amendment->amendment == a && event.amendment->in_force &&
        event.date < scenario.end_date())
      return true;
  const std::string_view name = amendment_names()[std::size_t(a)];
  for (const auto& partner : scenario.partners) {
    const auto& wanted = partner.amendment_request.amendments;
    if (std::find(wanted.begin(), wanted.end(), name) != wanted.end()) return true;
  }
  return false;
}

/// Warns at every setting of an amendment that is never in force.
void warn_never_in_force(const std::string& name, const std::string& prefix, const ConfigNode& section,
                         DiagnosticSink& sink) {
  for (const auto& entry : section.entries())
    if (entry.key != "in_force_from" && set_apart_from_default(&entry.value, prefix + entry.key))
      sink.warning(entry.value.where(), prefix + entry.key,
                   "has no effect: " + name +
                       " is never in force (no in_force_from within the horizon, no timeline entry switches it "
                       "on, no partner requests it)");
}

/// The settings of each amendment that can have no effect: all of them when
/// it is never in force, its partners when it comes into force otherwise
/// than by its in_force_from.
void check_amendment_rules(const ConfigNode& resolved, const Scenario& scenario, DiagnosticSink& sink) {
  const ConfigNode* rules = resolved.find("amendment_rules");
  for (std::size_t a = 0; a < amendment_kind_count && rules != nullptr; ++a) {
    const std::string name(amendment_names()[a]);
    const ConfigNode* section = rules->find(name);
    if (section == nullptr || !section->is_map()) continue;
    const std::string prefix = "amendment_rules." + name + ".";
    if (!ever_in_force(scenario, AmendmentKind(a))) {
      warn_never_in_force(name, prefix, *section, sink);
      continue;
    }
    const ConfigNode* partners = section->find("partners");
    if (!scenario.amendment_rules.common[a].in_force_from && given(partners) && is_nonempty_list(*partners))
      sink.warning(partners->where(), prefix + "partners",
                   "has no effect without " + prefix +
                       "in_force_from (timeline switches and negotiated amendments name their own partners)");
  }
}

/// Whether timeline entry `j` switches amendment `name` on before entry `i`,
/// dated `date` (on the same day: earlier in the list).
bool switches_on_before(const ConfigNode& timeline, std::size_t j, std::size_t i, const std::string& name,
                        const std::string& date) {
  const ConfigNode* other = timeline.items()[j].find("amendment");
  const ConfigNode* other_date = timeline.items()[j].find("date");
  if (j == i || other == nullptr || !other->is_map() || other_date == nullptr) return false;
  const ConfigNode* other_name = other->find("name");
  const ConfigNode* other_in_force = other->find("in_force");
  return other_name != nullptr && other_name->text() == name && other_in_force != nullptr && is_true(*other_in_force) &&
         (other_date->text() < date || (other_date->text() == date && j < i));
}

bool requested_by_a_partner(const Scenario& scenario, const std::string& name) {
  return std::any_of(scenario.partners.begin(), scenario.partners.end(), [&](const PartnerParams& partner) {
    const auto& wanted = partner.amendment_request.amendments;
    return std::find(wanted.begin(), wanted.end(), name) != wanted.end();
  });
}

/// Warns when timeline entry `i` switches off an amendment that is not in
/// force before it.
void check_switch_off(const ConfigNode& timeline, std::size_t i, const Scenario& scenario, DiagnosticSink& sink) {
  const ConfigNode& entry = timeline.items()[i];
  const ConfigNode* amendment = entry.find("amendment");
  if (amendment == nullptr || !amendment->is_map()) return;
  const ConfigNode* in_force = amendment->find("in_force");
  const ConfigNode* name_node = amendment->find("name");
  const ConfigNode* date_node = entry.find("date");
  if (in_force == nullptr || is_true(*in_force) || name_node == nullptr || date_node == nullptr) return;
  const auto kind = amendment_from_name(name_node->text());
  const auto date = Date::parse(date_node->text());
  if (!kind || !date) return;
  const auto& common = scenario.amendment_rules.common[std::size_t(*kind)];
  bool on_before = common.in_force_from && *common.in_force_from <= *date;
  for (std::size_t j = 0; j < timeline.items().size() && !on_before; ++j)
    on_before = switches_on_before(timeline, j, i, name_node->text(), date_node->text());
  if (on_before || requested_by_a_partner(scenario, name_node->text())) return;
  sink.warning(in_force->where(), "timeline[" + std::to_string(i) + "].amendment.in_force",
               "has no effect: " + name_node->text() + " is not in force before " + date_node->text());
}

void check_amendments(const ConfigNode& resolved, const Scenario& scenario, DiagnosticSink& sink) {
  check_amendment_rules(resolved, scenario, sink);
  // Switching off what is not on.
  const ConfigNode* timeline = resolved.find("timeline");
  if (timeline == nullptr || !timeline->is_sequence()) return;
  for (std::size_t i = 0; i < timeline->items().size(); ++i) check_switch_off(*timeline, i, scenario, sink);
}

std::vector<std::string> ladder_categories(const SanctionLadder& ladder, std::size_t steps, bool refusing_only) {
  std::vector<std::string> categories;
  for (std::size_t s = 0; s < steps && s < ladder.steps.size(); ++s) {
    if (refusing_only && ladder.steps[s].refusal_prob <= 0) continue;
    categories.insert(categories.end(), ladder.steps[s].visa_categories.begin(), ladder.steps[s].visa_categories.end());
  }
  std::sort(categories.begin(), categories.end());
  categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
  return categories;
}

/// Warns when partners demand visas and the active ladder refuses none;
/// located where the ladder's steps are written, or else where it is chosen.
void check_ladder_refuses(const ConfigNode& resolved, const Scenario& scenario, const SanctionLadder& ladder,
                          DiagnosticSink& sink) {
  const bool any_demand = std::any_of(scenario.partners.begin(), scenario.partners.end(),
                                      [](const PartnerParams& p) { return !p.visa_demand.empty(); });
  if (!any_demand || !ladder_categories(ladder, ladder.steps.size(), true).empty()) return;
  const ConfigNode* ladders = node_at(resolved, "sanctions.ladders");
  const auto* defined = ladders != nullptr ? ladders->entry(ladder.name) : nullptr;
  const ConfigNode* chosen = node_at(resolved, "sanctions.ladder");
  sink.warning(defined != nullptr ? defined->key_where : chosen->where(),
               defined != nullptr ? "sanctions.ladders." + ladder.name : std::string("sanctions.ladder"),
               "ladder " + ladder.name + " refuses no visa: no step has a refusal_prob above 0");
}

/// The step of a timeline sanction, when it is a whole number above 0.
std::optional<std::int64_t> positive_step(const ConfigNode& step_node) {
  std::int64_t step = 0;
  const auto& text = step_node.text();
  if (std::from_chars(text.data(), text.data() + text.size(), step).ec != std::errc{} || step <= 0) return std::nullopt;
  return step;
}

/// Warns when timeline entry `i` imposes a sanction step that refuses none
/// of the visas its partner demands.
void check_sanction_entry(const ConfigNode& timeline, std::size_t i, const Scenario& scenario,
                          const SanctionLadder& ladder, DiagnosticSink& sink) {
  const ConfigNode* sanction = timeline.items()[i].find("sanction");
  if (sanction == nullptr || !sanction->is_map()) return;
  const ConfigNode* partner_node = sanction->find("partner");
  const ConfigNode* step_node = sanction->find("step");
  if (partner_node == nullptr || step_node == nullptr) return;
  const auto step = positive_step(*step_node);
  if (!step) return;
  const auto& partner = scenario.partners[scenario.partner_index(partner_node->text())];
  if (partner.visa_demand.empty()) return;  // sanctions on it act by pressure only, as the scenario says
  const auto restricted = ladder_categories(ladder, std::size_t(*step), true);
  const bool refuses = std::any_of(partner.visa_demand.begin(), partner.visa_demand.end(), [&](const VisaDemand& d) {
    return d.applications_per_month > 0 && std::binary_search(restricted.begin(), restricted.end(), d.category);
  });
  if (refuses) return;
  std::string list;
  for (const auto& c : restricted) list += (list.empty() ? "" : ", ") + c;
  sink.warning(step_node->where(), "timeline[" + std::to_string(i) + "].sanction.step",
               "refuses no visa of " + partner.name + ": its visa_demand has none of the categories steps 1-" +
                   std::to_string(*step) + " of ladder " + ladder.name + " restrict (" +
                   (list.empty() ? std::string("none") : list) + ")");
}

void check_sanctions(const ConfigNode& resolved, const Scenario& scenario, DiagnosticSink& sink) {
  const auto& ladder = scenario.sanctions.active_ladder();
  check_ladder_refuses(resolved, scenario, ladder, sink);
  const ConfigNode* timeline = resolved.find("timeline");
  if (timeline == nullptr || !timeline->is_sequence()) return;
  for (std::size_t i = 0; i < timeline->items().size(); ++i) check_sanction_entry(*timeline, i, scenario, ladder, sink);
}

}  // namespace

void check_cross_references(const ConfigNode& resolved, const Scenario& scenario, DiagnosticSink& sink) {
  const auto& ladder = scenario.sanctions.active_ladder();
  const auto named = ladder_categories(ladder, ladder.steps.size(), false);
  const std::vector<std::string_view> candidates(named.begin(), named.end());
  for (const auto& partner : scenario.partners) {
    const std::string path = "partners." + partner.name + ".visa_demand";
    const ConfigNode* demand = node_at(resolved, path);
    for (const auto& d : partner.visa_demand) {
      if (std::binary_search(named.begin(), named.end(), d.category)) continue;
      const auto* entry = demand != nullptr ? demand->entry(d.category) : nullptr;
      sink.error(entry != nullptr ? entry->key_where : resolved.where(), path + "." + d.category,
                 unknown_name_message("unknown visa category", d.category, candidates,
                                      " (no step of ladder " + ladder.name + " restricts it)"));
    }
  }

  const ConfigNode* timeline = resolved.find("timeline");
  if (timeline == nullptr || !timeline->is_sequence()) return;
  std::map<std::string, SourceLocation> first;
  for (std::size_t i = 0; i < timeline->items().size(); ++i) {
    const ConfigNode* id = timeline->items()[i].find("id");
    if (id == nullptr || !id->is_scalar() || id->text().empty()) continue;
    const auto [it, inserted] = first.emplace(id->text(), id->where());
    if (!inserted)
      sink.error(id->where(), "timeline[" + std::to_string(i) + "].id",
                 "expected an id used once in the timeline, found \"" + id->text() + "\" again (first at " +
                     it->second.to_string() + "); to replace an inherited entry, drop it with timeline_drop");
  }
}

void check_effects(const ConfigNode& resolved, const Scenario& scenario, DiagnosticSink& sink) {
  check_dependencies(resolved, scenario, sink);
  check_amendments(resolved, scenario, sink);
  check_sanctions(resolved, scenario, sink);
}

}  // namespace readmit::detail
