#pragma once
// The sanction ladder (docs/model.md §7.16): an ordered list of steps, each
// refusing visa categories and costing the partner (cooperation.cpp) and the
// removing state (decisions.cpp). A decision moves a partner to a step and
// takes effect after effect_lag_days (US: State's restriction after DHS's
// notice; EU: the Council's decision after the Commission's proposal). A
// weighed decision (a proposal) takes effect only once the removing state's
// evidence justifies it given the partner's standing (decisions.cpp); until
// then it waits. When the step in force changes, the partner answers at once
// (linkage.cpp, negotiation.cpp).
// Reads: the ladder, effect_lag_days. Changes: the partner's Diplomacy
// (steps), pending sanctions, the event log.
#include <cstdint>
#include <string>

#include "readmit/model/world.hpp"

namespace readmit::sanctions {

const SanctionLadder& ladder(const World& world);

/// "step 2 (all_officials)", or "step 0 (none)".
std::string step_label(const World& world, std::int64_t step);

/// A decision to move partner k to `step` (`by`: review or timeline); it
/// takes effect after the lag. A `weighed` decision is a proposal that takes
/// effect only once justified (decisions::justified).
void decide(World& world, std::size_t k, std::int64_t step, const char* by, bool weighed = false);

/// A proposal not yet in force is withdrawn: the step decided returns to the
/// step in force.
void withdraw_proposal(World& world, std::size_t k);

/// Decisions whose effect day has come take effect (proposals once
/// justified); the partner answers.
void apply_due(World& world);

}  // namespace readmit::sanctions
