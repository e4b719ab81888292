#pragma once
// Negotiation (MODEL.md section 7): the partner's requests for amendments and
// its halts.
//  - Requests: the partner asks for its amendments when the domestic cost of
//    receiving deportees (its backlash) reaches its threshold, or when it
//    halts. Each month the removing state agrees to an open request with the
//    monthly share of agree_prob_per_year; agreed amendments enter into force
//    after a lag (amendments.cpp).
//  - Halts: a halt of document issuing is a move with a reason (the
//    amendments it asks for). It starts by a dated move (timeline) and ends
//    when the reason is met (agreement), when the cost of the sanction steps
//    in force reaches its value (halt.value), or by a dated move. On ending
//    it, the partner offers an interview round at once.
// Reads: amendment_request, halt and negotiation parameters, the backlash,
// the sanction cost. Changes: Diplomacy::halted, the partner's open request,
// pending amendments, the interview calendar, the event log.
#include <cstdint>
#include <vector>

#include "readmit/model/world.hpp"

namespace readmit::negotiation {

/// Amendments partner k asks for that are neither in force nor agreed.
std::vector<AmendmentKind> wanted(const World& world, std::size_t k);

/// A dated move of partner k: start (`active`) or end its halt.
void move(World& world, std::size_t k, bool active);

/// Partner k ends its halt if the sanctions in force now cost it its value.
void reconsider_halt(World& world, std::size_t k);

/// Amendment a came into force for partner k: if it is one the partner
/// asked for and nothing else is still wanted, the request is met (closed)
/// and a halt for it ends.
void amendment_in_force(World& world, std::size_t k, AmendmentKind a);

/// Month end: the partner may end its halt or open a request; the removing
/// state may agree to an open request.
void month_end(World& world, std::size_t k, int month);

}  // namespace readmit::negotiation
