#pragma once
// Visa demand (docs/model.md §7.17): monthly applications per category, and
// those refused under the sanction steps in force (a category named by
// several steps is refused by any of them). The refusals are the diplomatic
// cost of a sanction.
// Reads: visa_demand, the ladder's steps. Changes: the month's visa metrics.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::visas {

/// Month end: partner k's applications and refusals this month.
void demand(World& world, std::size_t k, int month);

}  // namespace readmit::visas
