#pragma once
// Returnees (MODEL.md section 9): after removal, monthly hazards over
// followup_months of a severe adverse outcome (suicide or death),
// homelessness and attempted re-migration. Hazards rise for people who
// arrived as children, have no ties to the partner or a high mental-health
// risk, and fall in a reintegration programme (admission in removal order
// while the month's places last; reintegration_support adds places).
// Reads: returnee parameters, the person's attributes. Changes: the
// partner's returnee list, programme membership, the month's returnee flows.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::returnees {

/// p was removed today: follow-up starts.
void enrol(World& world, std::uint32_t p);

/// Month end: programme admissions, then each returnee's hazards.
void follow(World& world, std::size_t k, int month);

}  // namespace readmit::returnees
