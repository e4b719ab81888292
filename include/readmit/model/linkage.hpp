#pragma once
// Issue linkage (docs/model.md §7.18): the partner may answer each new
// sanction step by suspending another cooperation (Cambodia suspended the
// search for US servicemen's remains in 2017), and resume it when every
// step is lifted. Counted and logged; it has no further effect.
// Reads: issue_linkage parameters. Changes: Diplomacy::linkage_suspended,
// the month's flows, the event log.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::linkage {

/// Partner k's sanction step has just changed from `previous_step`.
void respond_to_step(World& world, std::size_t k, std::int64_t previous_step);

}  // namespace readmit::linkage
