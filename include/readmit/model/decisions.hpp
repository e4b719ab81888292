#pragma once
// The removing state as a decision-maker (docs/model.md §7.16). The review
// classifies a partner's conduct (review.cpp); what to do about it is the
// removing state's decision, weighing the partner's non-compliance against
// what sanctioning that partner costs it:
//  - evidence: at each review that counts, an uncooperative class adds its
//    severity (how far past its thresholds the conduct is: 1 to 2; at risk:
//    at_risk_weight) times (persons waiting / waiting_reference)^
//    waiting_elasticity; the evidence fades with evidence_half_life_days;
//  - standing W: the partner's weight for the removing state, trade /
//    trade_scale + visas issued / visas_scale + security_weight where the
//    removing state has security ties with it;
//  - a step is decided when the evidence reaches escalate_after / resolve x
//    discretion x (1 + W) x the step's removing_state_cost, and only if a visa
//    sanction can bite (the removing state issues visas in the partner's
//    country);
//    where the first stage does not weigh the standing (EU), the proposal
//    waits until the evidence reaches that bar, and a compliant review
//    withdraws it;
//  - a step is lifted after deescalate_after x discretion / ((1 + W) x the
//    step's removing_state_cost) compliant reviews' worth: a sanction that
//    costs the removing state more is lifted sooner.
// discretion is drawn once per partner and replication (discretion_sd).
// After a decision, the evidence and the credit start afresh.
// Reads: sanctions parameters, the review class, the partner's standing
// and pending docket. Changes: Diplomacy (evidence, credit,
// discretion), sanction decisions (sanctions.cpp).
#include <cstdint>

#include "readmit/model/compliance.hpp"
#include "readmit/model/world.hpp"

namespace readmit::decisions {

/// Day 0: the removing state's discretion toward each partner.
void start(World& world);

/// Partner k's standing: what sanctioning it costs the removing state,
/// beyond the step's own cost (0: nothing).
double standing(const World& world, std::size_t k);

/// Whether a visa sanction can bite partner k: the removing state issues
/// visas in its country (INA 243(d) acts through consular officers there).
bool can_bite(const World& world, std::size_t k);

/// Evidence on which the removing state takes step `step` against partner
/// k, given its standing (.inf: never, e.g. when the step cannot bite).
double threshold(const World& world, std::size_t k, std::int64_t step);

/// Evidence on which a proposal of `step` is made for partner k where the
/// first stage does not weigh its standing (EU: the Commission's).
double proposal_bar(const World& world, std::size_t k, std::int64_t step);

/// Compliant reviews' worth after which step `step` is lifted for partner k.
double relief_threshold(const World& world, std::size_t k, std::int64_t step);

/// Partner k's evidence as of today (faded since it was last brought up to date).
double evidence_today(const World& world, std::size_t k);

/// Whether a proposal of `step` for partner k is justified today.
bool justified(const World& world, std::size_t k, std::int64_t step);

/// After a decision takes effect: the next one needs fresh evidence.
void start_afresh(World& world, std::size_t k);

/// After today's review of partner k: evidence and credit move; the removing
/// state may decide a step up or down, or withdraw a proposal.
void respond_to_review(World& world, std::size_t k, ComplianceClass review_class);

}  // namespace readmit::decisions
