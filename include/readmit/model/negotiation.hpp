#pragma once
// Amendment requests and negotiation (MODEL.md section 7): the partner asks
// for its amendments once its returnees' severe outcomes over a window reach
// a threshold; at each review the removing state agrees with a probability,
// and agreed amendments enter into force after a lag (amendments.cpp).
// Reads: amendment_request and negotiation parameters, severe outcomes.
// Changes: the partner's open request, pending amendments, the event log.
#include <cstdint>
#include <vector>

#include "readmit/model/world.hpp"

namespace readmit::negotiation {

/// Amendments partner k asks for that are neither in force nor agreed.
std::vector<AmendmentKind> wanted(const World& world, std::size_t k);

/// Month end: the partner opens a request if its threshold is reached.
void maybe_request(World& world, std::size_t k, int month);

/// At review `review_number`, the removing state may agree to an open request.
void negotiate(World& world, std::size_t k, std::int64_t review_number);

}  // namespace readmit::negotiation
