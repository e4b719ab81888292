#pragma once
// Flights (docs/model.md §7.10): weekly commercial seats and charters every
// charter_interval_days or charter_after_round_days after each interview
// round the partner held (the removing state books the charter once the
// round is done); the fixed cycle's phase is drawn once per replication.
// The partner accepts a charter with a probability, and accepts a share of
// its seats, that rise with its cooperation up to charter_full_cooperation
// (bargaining: fewer seats accepted). A scheduled person boards once the itinerary
// notice has passed and while the document is valid; at the gate a person
// may drop off (a stay, or relief). Removal hands the person to the
// household and returnee sub-models.
// Reads: flight parameters, cooperation, advance_notice. Changes: the
// partner's scheduled list, person states, removals and flight flows.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::flights {

/// Whether the removing state has flights to partner k at all (commercial
/// seats, or charters on a cycle or after rounds): without them it does
/// not detain for removal (custody.cpp, interviews.cpp, documents.cpp).
bool can_fly(const World& world, std::size_t k);

/// Day 0: the phase of each partner's charter cycle.
void start(World& world);

/// p has just become scheduled: queue p for a seat, in order of readiness.
void make_ready(World& world, std::uint32_t p);

/// Today's commercial flight and charter for partner k, if any.
void fly(World& world, std::size_t k);

/// Boards up to `seats` eligible scheduled persons of partner k; returns how
/// many were removed.
std::int64_t board(World& world, std::size_t k, std::int64_t seats);

}  // namespace readmit::flights
