#pragma once
// The partner as an actor (docs/model.md §7.14). Its cooperation c drives the
// officers it puts on requests, their speed, its acceptance and its charter
// acceptance (documents.cpp, flights.cpp), and the interview rounds it
// agrees to (interviews.cpp). c is its choice: each month it moves, with
// inertia (adjustment speed) and noise, toward the target its interests
// support at the time:
//   target = clamp(D + R - (B - B0) + A - V, 0, 1), with
//   D  its disposition (cooperation.baseline), given the domestic cost B0
//      it bore at the start;
//   R  its response to the sanctions it feels, of cost C (the sum of the
//      costs of the steps in force, or the highest cost borne, fading with
//      sanction_memory_half_life_months, if larger): sensitivity x (1 -
//      exp(-C / sanction_cost_scale)), diminishing returns; the sensitivity
//      is drawn once per replication and may be negative (the partner digs in);
//   B  the domestic cost of receiving deportees, as rates so that volume
//      alone does nothing: severe outcomes per returnee-year in follow-up
//      and the share of removals that broke family or childhood ties, both
//      over recent months with weights fading by backlash_half_life_months,
//      from a prior (backlash_prior_share of the docket, in returnees) at what the
//      docket's composition and the hazards lead it to expect: B0;
//   A  amendment_bonus while an amendment it asked for is in force;
//   V  the value of its open request, which it presses by withholding
//      cooperation (bargaining by degrees; V >= the rest: a halt):
//      demand_value x (recent rate of removals breaking ties / that rate
//      when it asked)^value_elasticity (negotiation.cpp opens and closes
//      requests).
// So lifting a sanction returns c toward what D, B, A and V support, not to 0.
// Reads: cooperation and bargaining parameters, the month's removals and
// outcomes, the steps in force, amendments, the open request. Changes:
// Diplomacy (cooperation, target, demand pressed, attention, backlash,
// sensitivity).
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::cooperation {

/// Removal rates below this (one removal breaking ties in 20 months) are
/// treated as this, so that the value of a request made or pressed when
/// hardly anyone is removed stays finite.
inline constexpr double rate_floor_per_month = 0.05;

/// Day 0: every partner's initial cooperation and its sanction sensitivity.
void start(World& world);

/// Cost to partner k of the sanction steps in force (ladder cost units).
double sanction_cost(const World& world, std::size_t k);

/// The sanction cost partner k answers: that of the steps in force, or the
/// highest it has borne if its memory of it is larger.
double felt_sanction_cost(const World& world, std::size_t k);

/// Target cooperation partner k adds (negative: withdraws) in answer to the
/// sanctions it feels.
double sanction_response(const World& world, std::size_t k);

/// Removals breaking ties per month, recently (fading average): what the
/// value of an open request follows.
double family_rate(const World& world, std::size_t k);

/// The cooperation partner k withholds to press its open request (0 without one).
double demand_value(const World& world, std::size_t k);

/// What partner k's interests support before it presses any request (may
/// lie outside [0, 1]).
double unpressed_target(const World& world, std::size_t k);

/// The cooperation partner k's interests support now (recomputed from the
/// present state; Diplomacy::target holds the last value set).
double target(const World& world, std::size_t k);

/// Sets Diplomacy::target and demand_pressed from the present state (after
/// a request opens or closes, or a sanction changes, so the partner's
/// stated intention follows).
void restate_target(World& world, std::size_t k);

/// Whether removing p breaks family or childhood ties: a spouse or a minor
/// child in the removing state, or arrival as a child.
bool breaks_ties(const World& world, std::uint32_t p);

/// Month end: partner k's attention to its returnees, its backlash, its
/// target and its cooperation for the next month.
void update(World& world, std::size_t k, int month);

}  // namespace readmit::cooperation
