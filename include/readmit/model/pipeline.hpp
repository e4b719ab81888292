#pragma once
// The case pipeline's state machine (docs/model.md §2.1, §3): every transition
// of a person between states goes through here, so that stocks, the tallies
// behind Little's law and the detention counts stay exact.
// Reads and changes: Population::state, token, state_since, detained_minors;
// PartnerState::stock and detained_minors; World::detained_total; the tallies.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::pipeline {

/// First placement of a new person in `initial`: an entry, no exit.
void place(World& world, std::uint32_t p, PersonState initial);

/// Moves person p to `next` today.
void set_state(World& world, std::uint32_t p, PersonState next);

/// Ends p's case in a terminal state, withdrawing any request.
void end_case(World& world, std::uint32_t p, PersonState terminal);

/// Calendar handler, EventKind::relief: the case ends in relief (pardon,
/// reopened case) at the time drawn when the person entered.
void on_relief(World& world, std::uint32_t p);

/// Counts today's person-days of partner k in every state and in the officers' queue.
void count_day(World& world, std::size_t k);

}  // namespace readmit::pipeline
