#include "readmit/model/decisions.hpp"

#include <cmath>
#include <limits>

#include "readmit/model/review.hpp"
#include "readmit/model/sanctions.hpp"

namespace readmit::decisions {

namespace {

constexpr double never = std::numeric_limits<double>::infinity();

/// Persons with final orders whose case is still open.
double persons_waiting(const World& world, std::size_t k) {
  const auto& stock = world.partners[k].stock;
  double waiting = 0;
  for (std::size_t st = 0; st < person_state_count; ++st)
    if (!is_terminal(PersonState(st))) waiting += double(stock[st]);
  return waiting;
}

double removing_state_cost(const World& world, std::int64_t step) {
  return sanctions::ladder(world).steps[std::size_t(step - 1)].removing_state_cost;
}

std::int64_t top_step(const World& world) { return std::int64_t(sanctions::ladder(world).steps.size()); }

const ClassificationRule& rules_of_review(const World& world) { return world.now.compliance.uncooperative; }

}  // namespace

void start(World& world) {
  const double sd = world.base.sanctions.discretion_sd;
  for (std::size_t k = 0; k < world.partners.size(); ++k) {
    auto rng = world.partner_stream(k, StreamPurpose::partner_standing, 0);
    world.partners[k].diplomacy.discretion = sd > 0 ? std::exp(draw_normal(0.0, sd, rng)) : 1.0;
  }
}

double standing(const World& world, std::size_t k) {
  const auto& s = world.params(k).standing;
  const auto& rules = world.now.sanctions;
  return s.trade_usd_millions_per_year / rules.trade_scale_usd_millions + s.visas_issued_per_year / rules.visas_scale +
         (s.security_ties ? rules.security_weight : 0.0);
}

bool can_bite(const World& world, std::size_t k) { return world.params(k).standing.visa_services; }

double threshold(const World& world, std::size_t k, std::int64_t step) {
  if (!can_bite(world, k)) return never;
  const auto& rules = world.now.sanctions;
  return rules.escalate_after / rules.resolve * world.partners[k].diplomacy.discretion * (1.0 + standing(world, k)) *
         removing_state_cost(world, step);
}

double proposal_bar(const World& world, std::size_t k, std::int64_t step) {
  if (!can_bite(world, k)) return never;
  const auto& rules = world.now.sanctions;
  return rules.escalate_after / rules.resolve * world.partners[k].diplomacy.discretion *
         removing_state_cost(world, step);
}

double relief_threshold(const World& world, std::size_t k, std::int64_t step) {
  const auto& rules = world.now.sanctions;
  return rules.deescalate_after * world.partners[k].diplomacy.discretion /
         ((1.0 + standing(world, k)) * removing_state_cost(world, step));
}

double evidence_today(const World& world, std::size_t k) {
  const auto& d = world.partners[k].diplomacy;
  if (d.evidence_day < 0 || d.evidence == 0.0) return d.evidence;
  return d.evidence * std::exp2(-double(world.day - d.evidence_day) / world.now.sanctions.evidence_half_life_days);
}

bool justified(const World& world, std::size_t k, std::int64_t step) {
  const std::int64_t in_force = world.partners[k].diplomacy.sanction_step;
  if (step < in_force) return true;  // relief needs no weighing against the standing
  return evidence_today(world, k) >= threshold(world, k, step);
}

void start_afresh(World& world, std::size_t k) {
  auto& d = world.partners[k].diplomacy;
  d.evidence = 0.0;
  d.compliance_credit = 0.0;
  d.evidence_day = world.day;
}

void respond_to_review(World& world, std::size_t k, ComplianceClass review_class) {
  auto& d = world.partners[k].diplomacy;
  const auto& rules = world.now.sanctions;
  // A sanction is judged on data from after it took effect.
  if (rules.reviews_wait_for_effect && review::window_start_day(world) < d.judged_from_day) return;
  const double waiting = rules.waiting_elasticity == 0.0
                             ? 1.0
                             : std::pow(std::max(persons_waiting(world, k), 1.0) / rules.waiting_reference_persons,
                                        rules.waiting_elasticity);
  d.evidence = evidence_today(world, k);
  d.evidence_day = world.day;
  switch (review_class) {
    case ComplianceClass::uncooperative:
      d.evidence += waiting * severity(rules_of_review(world), d.last_review);
      d.compliance_credit = 0.0;
      break;
    case ComplianceClass::at_risk:
      d.evidence += rules.at_risk_weight * waiting;
      break;
    case ComplianceClass::compliant:
      d.compliance_credit += 1.0;
      if (d.proposal_pending) {
        sanctions::withdraw_proposal(world, k);
        return;
      }
      break;
  }
  if (d.proposal_pending) return;  // the proposal waits for the evidence to justify it (sanctions::apply_due)
  const std::int64_t step = d.decided_step;
  if (step < top_step(world)) {
    const double bar =
        rules.notice_weighs_standing
            ? threshold(world, k, step + 1)
            : (can_bite(world, k) ? rules.escalate_after * d.discretion * removing_state_cost(world, step + 1) : never);
    if (d.evidence >= bar) {
      sanctions::decide(world, k, step + 1, "review", /*weighed=*/!rules.notice_weighs_standing);
      return;
    }
  }
  if (review_class == ComplianceClass::compliant && rules.allow_deescalation && step > 0 &&
      d.compliance_credit >= relief_threshold(world, k, step))
    sanctions::decide(world, k, step - 1, "review");
}

}  // namespace readmit::decisions
