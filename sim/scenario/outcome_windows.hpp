#pragma once
// Internal to the scenario module: checks of `outcome_windows` that involve
// more than one key, and the resolution of each window to its months.
#include "readmit/scenario/config_node.hpp"
#include "readmit/scenario/scenario.hpp"

namespace readmit {

/// For every window of `scenario` (already read from `merged`): exactly one
/// form (from and through, calendar_year, fiscal_year), whole months, and an
/// overlap with the run; sets OutcomeWindow::begin and end. Errors go to
/// `sink`, located at the window in `merged`.
void resolve_outcome_windows(const ConfigNode& merged, Scenario& scenario, DiagnosticSink& sink);

}  // namespace readmit
