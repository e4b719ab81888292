#pragma once
// Negotiation (docs/model.md §7.20): the partner's requests for amendments,
// and its bargaining while one is open.
//  - Requests: the partner asks for its amendments when the domestic cost of
//    receiving deportees (its backlash) reaches its threshold, or by a dated
//    move (timeline request). Each month the removing state agrees to an open
//    request with the monthly share of agree_prob_per_year; agreed amendments
//    enter into force after a lag (amendments.cpp). A request ends when agreed,
//    when everything asked for is in force, or by a dated withdrawal.
//  - Bargaining: while a request is open the partner withholds the demand's
//    value from its cooperation (cooperation.cpp). When that leaves nothing,
//    it halts: no new documents. The halt ends when the pull of its
//    disposition and of the sanctions in force outweighs the demand (or the
//    request ends); the partner then offers an interview round at once.
// Reads: amendment_request, bargaining and negotiation parameters, the
// backlash, the sanction response. Changes: the partner's open request,
// Diplomacy (halted, the rate at the request), pending amendments, the
// interview calendar, the event log.
#include <cstdint>
#include <vector>

#include "readmit/model/world.hpp"

namespace readmit::negotiation {

/// Amendments partner k asks for that are neither in force nor agreed.
std::vector<AmendmentKind> wanted(const World& world, std::size_t k);

/// A dated move of partner k: open (`open`) or withdraw its request.
void move(World& world, std::size_t k, bool open);

/// Restates partner k's target and follows its stance: a halt starts when
/// bargaining withholds all of its cooperation and ends when it no longer
/// does (logged; the end offers an interview round).
void follow_stance(World& world, std::size_t k);

/// Amendment a came into force for partner k: if it is one the partner
/// asked for and nothing else is still wanted, the request is met (closed).
void amendment_in_force(World& world, std::size_t k, AmendmentKind a);

/// Month end: the partner may open a request; the removing state may agree
/// to an open request.
void month_end(World& world, std::size_t k, int month);

}  // namespace readmit::negotiation
