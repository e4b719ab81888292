#pragma once
// The month-end snapshot (MODEL.md section 11): each partner's stocks, the
// share of its pending docket each amendment's terms cover, and the state of
// its relationship with the removing state, written into the month's
// metrics. Flows are counted where they happen (in each sub-model).
// Reads: stocks, desks, persons, Diplomacy, amendments. Changes: the month's metrics.
#include <array>
#include <cstdint>
#include <vector>

#include "readmit/model/amendments.hpp"
#include "readmit/model/world.hpp"

namespace readmit::accounting {

/// What one pass over persons counts, per partner.
struct Census {
  std::int64_t supervised_with_request = 0;  // on supervision with a request pending or a document issued
  std::int64_t pending = 0;                  // persons not in a terminal state
  std::array<std::int64_t, amendments::covered_removal_metrics.size()> covered{};  // of those, covered by each
};

/// Per partner, the census of today (one pass over persons, in parallel).
std::vector<Census> census(const World& world);

/// Stocks by state and of the document desk, and the docket's coverage by
/// each amendment, at the end of `month`.
void record_stocks(World& world, std::size_t k, int month, const Census& census);

/// Cooperation, sanctions, the halt, the latest review, linkage and
/// amendments at the end of `month`.
void record_diplomacy(World& world, std::size_t k, int month);

}  // namespace readmit::accounting
