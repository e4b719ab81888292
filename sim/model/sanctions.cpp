#include "readmit/model/sanctions.hpp"

#include <algorithm>

#include "readmit/model/cooperation.hpp"
#include "readmit/model/linkage.hpp"
#include "readmit/model/negotiation.hpp"
#include "readmit/model/review.hpp"

namespace readmit::sanctions {

const SanctionLadder& ladder(const World& world) { return world.now.sanctions.active_ladder(); }

std::string step_label(const World& world, std::int64_t step) {
  if (step == 0) return "step 0 (none)";
  return "step " + std::to_string(step) + " (" + ladder(world).steps[std::size_t(step - 1)].name + ")";
}

void decide(World& world, std::size_t k, std::int64_t step, const char* by) {
  auto& diplomacy = world.partners[k].diplomacy;
  step = std::clamp<std::int64_t>(step, 0, std::int64_t(ladder(world).steps.size()));
  if (step == diplomacy.decided_step) return;
  diplomacy.uncooperative_streak = diplomacy.compliant_streak = 0;
  diplomacy.decided_step = step;
  world.flow(k, Metric::sanction_decisions) += 1;
  world.log(k, "sanction_decided", step_label(world, step) + " by " + by);
  diplomacy.judged_from_day = world.day + std::int32_t(world.now.sanctions.effect_lag_days);
  world.pending_sanctions.push_back({diplomacy.judged_from_day, k, step});
}

void apply_due(World& world) {
  auto& pending = world.pending_sanctions;
  for (auto it = pending.begin(); it != pending.end();) {
    if (it->effect_day > world.day) {
      ++it;
      continue;
    }
    const std::size_t k = it->partner;
    auto& diplomacy = world.partners[k].diplomacy;
    const std::int64_t previous = diplomacy.sanction_step;
    diplomacy.sanction_step = it->step;
    it = pending.erase(it);
    if (diplomacy.sanction_step == previous) continue;
    world.log(k, "sanction_in_force", step_label(world, diplomacy.sanction_step));
    linkage::respond_to_step(world, k, previous);
    // The partner answers at once: a halt may no longer be worth its cost.
    negotiation::reconsider_halt(world, k);
    cooperation::restate_target(world, k);
  }
}

void respond_to_review(World& world, std::size_t k, ComplianceClass review_class) {
  auto& diplomacy = world.partners[k].diplomacy;
  const auto& rules = world.now.sanctions;
  // A sanction is judged on data from after it took effect.
  if (rules.reviews_wait_for_effect && review::window_start_day(world) < diplomacy.judged_from_day) return;
  if (review_class == ComplianceClass::uncooperative) {
    ++diplomacy.uncooperative_streak;
    diplomacy.compliant_streak = 0;
    if (diplomacy.uncooperative_streak >= rules.escalate_after &&
        diplomacy.decided_step < std::int64_t(ladder(world).steps.size()))
      decide(world, k, diplomacy.decided_step + 1, "review");
  } else if (review_class == ComplianceClass::compliant) {
    ++diplomacy.compliant_streak;
    diplomacy.uncooperative_streak = 0;
    // An open dispute (a request the removing state has not agreed to) keeps the step.
    const bool disputed = world.partners[k].amendments.request_open && !rules.lift_while_request_open;
    if (rules.allow_deescalation && !disputed && diplomacy.compliant_streak >= rules.deescalate_after &&
        diplomacy.decided_step > 0)
      decide(world, k, diplomacy.decided_step - 1, "review");
  } else {
    diplomacy.uncooperative_streak = diplomacy.compliant_streak = 0;
  }
}

}  // namespace readmit::sanctions
