#pragma once
// The month-end snapshot (docs/model.md Outputs): each partner's stocks, the
// share of its pending docket each amendment's terms cover, and the state of
// its relationship with the removing state, written into the month's
// metrics. Flows are counted where they happen (in each sub-model).
// Reads: stocks, desks, persons, Diplomacy, amendments. Changes: the month's metrics.
#include <array>
#include <cstdint>

#include "readmit/model/amendments.hpp"
#include "readmit/model/world.hpp"

namespace readmit::accounting {

/// Persons of each partner whom each amendment's terms cover (in force or
/// not), among those pending, in the order of amendments::covered_removal_metrics.
using Coverage = std::array<std::int64_t, std::size(amendments::covered_removal_metrics)>;

/// Per partner, the coverage of today's pending docket: one pass over
/// persons, in parallel. Costly on a large docket, so it runs on census
/// months only.
std::vector<Coverage> coverage_census(const World& world);

/// Whether the month ending is a census month: the first, then every 12th.
bool census_month(int month);

/// Stocks by state and of the document desk at the end of `month`.
void record_stocks(World& world, std::size_t k, int month);

/// The shares of partner k's pending docket each amendment covers: from
/// `census` on a census month, else those of the month before.
void record_coverage(World& world, std::size_t k, int month, const Coverage* census);

/// Cooperation, sanctions, the halt, the latest review, linkage and
/// amendments at the end of `month`.
void record_diplomacy(World& world, std::size_t k, int month);

}  // namespace readmit::accounting
