#pragma once
// The month-end snapshot (MODEL.md section 11): each partner's stocks and
// the state of its relationship with the removing state, written into the
// month's metrics. Flows are counted where they happen (in each sub-model).
// Reads: stocks, desks, Diplomacy, amendments. Changes: the month's metrics.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::accounting {

/// Stocks by state and of the document desk at the end of `month`.
void record_stocks(World& world, std::size_t k, int month);

/// Cooperation, sanctions, the latest review, linkage and amendments at the
/// end of `month`.
void record_diplomacy(World& world, std::size_t k, int month);

}  // namespace readmit::accounting
