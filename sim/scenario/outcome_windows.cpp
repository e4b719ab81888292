#include "outcome_windows.hpp"

namespace readmit {

namespace {

const ConfigNode::Entry* window_entry(const ConfigNode& merged, const std::string& name) {
  const ConfigNode* windows = merged.find("outcome_windows");
  if (windows == nullptr || !windows->is_map()) return nullptr;
  for (const auto& entry : windows->entries())
    if (entry.key == name) return &entry;
  return nullptr;
}

/// Where `key` of a window is written, or else the window's name.
SourceLocation key_location(const ConfigNode::Entry& entry, std::string_view key) {
  const ConfigNode* value = entry.value.is_map() ? entry.value.find(key) : nullptr;
  return value != nullptr ? value->where() : entry.key_where;
}

/// Sets the months of a window given by `from` and `through`; false after
/// reporting why they do not make one.
bool resolve_date_range(const ConfigNode::Entry& entry, OutcomeWindow& window, const std::string& path,
                        DiagnosticSink& sink) {
  if (!window.from || !window.through) {
    sink.error(entry.key_where, path,
               window.from ? "expected `through` with `from`, found no `through`"
                           : "expected `from` with `through`, found no `from`");
    return false;
  }
  if (window.through->plus_days(1).day() != 1) {
    sink.error(
        key_location(entry, "through"), path + ".through",
        "expected the last day of a month (windows are whole months), found \"" + window.through->to_string() + "\"");
    return false;
  }
  if (*window.through < *window.from) {
    sink.error(key_location(entry, "through"), path + ".through",
               "expected a date on or after `from` (" + window.from->to_string() + "), found \"" +
                   window.through->to_string() + "\"");
    return false;
  }
  window.begin = *window.from;
  window.end = window.through->plus_days(1);
  return true;
}

/// Sets the months of a window from its one form (dates, a calendar year
/// or a US fiscal year, which begins on 1 October of the year before);
/// false after reporting why it has none.
bool resolve_months(const ConfigNode::Entry& entry, OutcomeWindow& window, const std::string& path,
                    DiagnosticSink& sink) {
  const bool range = window.from || window.through;
  const int forms = int(range) + int(window.calendar_year.has_value()) + int(window.fiscal_year.has_value());
  if (forms != 1) {
    sink.error(entry.key_where, path,
               std::string("expected `from` and `through`, or `calendar_year`, or `fiscal_year`, found ") +
                   (forms == 0 ? "none of them" : "more than one"));
    return false;
  }
  if (range) return resolve_date_range(entry, window, path, sink);
  if (window.calendar_year) {
    window.begin = Date::from_ymd(int(*window.calendar_year), 1, 1);
    window.end = Date::from_ymd(int(*window.calendar_year) + 1, 1, 1);
  } else {
    window.begin = Date::from_ymd(int(*window.fiscal_year) - 1, 10, 1);
    window.end = Date::from_ymd(int(*window.fiscal_year), 10, 1);
  }
  return true;
}

/// Reports a window outside the run: its totals would always be 0.
void check_overlaps_run(const ConfigNode::Entry& entry, const OutcomeWindow& window, const std::string& path,
                        const Scenario& scenario, DiagnosticSink& sink) {
  if (window.end <= scenario.start_date || window.begin >= scenario.end_date()) {
    const std::string last_day = window.end.plus_days(-1).to_string();
    sink.error(entry.key_where, path,
               "expected a window that overlaps the run (" + scenario.start_date.to_string() + " to " +
                   scenario.end_date().plus_days(-1).to_string() + "), found " + window.begin.to_string() + " to " +
                   last_day + ": its totals would always be 0");
  }
}

}  // namespace

void resolve_outcome_windows(const ConfigNode& merged, Scenario& scenario, DiagnosticSink& sink) {
  for (auto& window : scenario.outcome_windows) {
    const auto* entry = window_entry(merged, window.name);
    if (entry == nullptr) continue;  // cannot happen: every window comes from the tree
    const std::string path = "outcome_windows." + window.name;
    if (resolve_months(*entry, window, path, sink)) check_overlaps_run(*entry, window, path, scenario, sink);
  }
}

}  // namespace readmit
