#pragma once
// Checks of a resolved scenario that look across parameters (private to the
// scenario module): cross-references that are errors, and settings that are
// legal but take no effect, which are warnings.
#include "readmit/scenario/config_node.hpp"
#include "readmit/scenario/scenario.hpp"

namespace readmit::detail {

/// Errors: a visa category in a partner's demand that no step of the ladder
/// in use restricts (a typo, or a ladder for other visas); timeline ids used
/// twice.
void check_cross_references(const ConfigNode& resolved, const Scenario& scenario, DiagnosticSink& sink);

/// Warnings: amendment terms for an amendment never in force, parameters
/// whose switch is off for the whole run, sanctions that refuse no visa,
/// switching off an amendment that is not on.
void check_effects(const ConfigNode& resolved, const Scenario& scenario, DiagnosticSink& sink);

}  // namespace readmit::detail
