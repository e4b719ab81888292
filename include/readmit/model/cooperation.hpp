#pragma once
// Partner cooperation (MODEL.md section 7): each month cooperation moves,
// with inertia (adjustment speed) and noise, toward a target of baseline +
// sanction pressure - backlash from returnees' severe outcomes in the
// backlash window + a bonus while an amendment it asked for is in force.
// Cooperation scales the partner's officers, decision times, acceptance and
// charter acceptance (documents.cpp, flights.cpp).
// Reads: cooperation parameters, the month's severe outcomes, the steps in
// force, amendments. Changes: Diplomacy::cooperation and severe_by_month.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::cooperation {

/// Month end: partner k's cooperation for the next month.
void update(World& world, std::size_t k, int month);

}  // namespace readmit::cooperation
