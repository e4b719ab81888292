#pragma once
// The sanction ladder (MODEL.md section 8): decisions move a partner one
// step up after escalate_after consecutive uncooperative reviews (US: DHS's
// notice to State; EU: the Commission's proposal), or down after
// deescalate_after compliant ones when the ladder allows it and no dispute
// is open (a partner's amendment request the state has not agreed to); an
// "at risk" review breaks both streaks. The timeline can decide steps too. A decision
// takes effect after effect_lag_days (US: State's restriction; EU: the
// Council's decision). The steps in force refuse visas (visas.cpp) and cost
// the partner (cooperation.cpp), which answers at once (negotiation.cpp).
// Reads: sanctions parameters, review classes. Changes: the partner's
// Diplomacy (steps, streaks), pending sanctions, the event log.
#include <cstdint>
#include <string>

#include "readmit/model/compliance.hpp"
#include "readmit/model/world.hpp"

namespace readmit::sanctions {

const SanctionLadder& ladder(const World& world);

/// "step 2 (all_officials_b)", or "step 0 (none)".
std::string step_label(const World& world, std::int64_t step);

/// A decision to move partner k to `step` (`by`: review or timeline); it
/// takes effect after the lag.
void decide(World& world, std::size_t k, std::int64_t step, const char* by);

/// Decisions whose effect day has come take effect (issue linkage answers).
void apply_due(World& world);

/// After today's review of partner k: escalate, step down or keep the step,
/// by the streak rules.
void respond_to_review(World& world, std::size_t k, ComplianceClass review_class);

}  // namespace readmit::sanctions
