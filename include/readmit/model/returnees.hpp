#pragma once
// Returnees (docs/model.md §7.13): after removal, monthly hazards over
// followup_months of a severe adverse outcome (suicide or death; it ends the
// follow-up), homelessness (counted once) and attempted re-migration
// (counted every month it happens). Hazards rise for people who arrived as
// children, have no ties to the partner or a high mental-health risk, and
// fall in a reintegration programme (admission in removal order while the
// removal month's places last; reintegration_support adds places).
//
// A returnee's monthly hazards are piecewise constant (in the programme,
// then out of it), so at the end of the removal month the months of every
// event are drawn at once as geometric waiting times, which is the same
// law as a Bernoulli draw each month, and entered in the partner's ledger;
// each month's end reads its counts from the ledger.
// Reads: returnee parameters, the person's attributes. Changes: the
// partner's returnee ledger, the month's returnee flows.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::returnees {

/// p was removed today: follow-up starts at the end of this month.
void enrol(World& world, std::uint32_t p);

/// Month end: this month's removals join the programme (while places last)
/// and get their events drawn; then the month's counts are recorded.
void follow(World& world, std::size_t k, int month);

}  // namespace readmit::returnees
