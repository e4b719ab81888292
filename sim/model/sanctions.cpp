#include "readmit/model/sanctions.hpp"

#include <algorithm>

#include "readmit/model/decisions.hpp"
#include "readmit/model/linkage.hpp"
#include "readmit/model/negotiation.hpp"

namespace readmit::sanctions {

const SanctionLadder& ladder(const World& world) { return world.now.sanctions.active_ladder(); }

std::string step_label(const World& world, std::int64_t step) {
  if (step == 0) return "step 0 (none)";
  return "step " + std::to_string(step) + " (" + ladder(world).steps[std::size_t(step - 1)].name + ")";
}

void decide(World& world, std::size_t k, std::int64_t step, const char* by, bool weighed) {
  auto& diplomacy = world.partners[k].diplomacy;
  step = std::clamp<std::int64_t>(step, 0, std::int64_t(ladder(world).steps.size()));
  if (step == diplomacy.decided_step) return;
  // A later decision replaces a proposal still waiting.
  if (diplomacy.proposal_pending) withdraw_proposal(world, k);
  if (step == diplomacy.decided_step) return;
  diplomacy.decided_step = step;
  diplomacy.proposal_pending = weighed;
  if (weighed) {
    world.flow(k, Metric::sanction_proposals) += 1;
    world.log(k, "sanction_proposed", step_label(world, step) + " by " + by);
  } else {
    world.flow(k, Metric::sanction_decisions) += 1;
    world.log(k, "sanction_decided", step_label(world, step) + " by " + by);
    decisions::start_afresh(world, k);
  }
  const std::int32_t effect_day = world.day + std::int32_t(world.now.sanctions.effect_lag_days);
  // A decision is judged on the partner's answer to it, from its effect; a
  // proposal keeps being weighed (and may be withdrawn) until it is adopted.
  if (!weighed) diplomacy.judged_from_day = effect_day;
  world.pending_sanctions.push_back({effect_day, k, step, weighed});
}

void withdraw_proposal(World& world, std::size_t k) {
  auto& diplomacy = world.partners[k].diplomacy;
  if (!diplomacy.proposal_pending) return;
  auto& pending = world.pending_sanctions;
  pending.erase(std::remove_if(pending.begin(), pending.end(),
                               [&](const PendingSanction& s) { return s.partner == k && s.weighed; }),
                pending.end());
  diplomacy.proposal_pending = false;
  world.log(k, "proposal_withdrawn", step_label(world, diplomacy.decided_step));
  diplomacy.decided_step = diplomacy.sanction_step;
}

void apply_due(World& world) {
  auto& pending = world.pending_sanctions;
  for (std::size_t i = 0; i < pending.size();) {
    const PendingSanction due = pending[i];
    if (due.effect_day > world.day || (due.weighed && !decisions::justified(world, due.partner, due.step))) {
      ++i;
      continue;
    }
    pending.erase(pending.begin() + std::ptrdiff_t(i));
    const std::size_t k = due.partner;
    auto& diplomacy = world.partners[k].diplomacy;
    if (due.weighed) {
      diplomacy.proposal_pending = false;
      diplomacy.judged_from_day = world.day;
      world.flow(k, Metric::sanction_decisions) += 1;
      world.log(k, "sanction_decided", step_label(world, due.step) + " adopted");
      decisions::start_afresh(world, k);
    }
    const std::int64_t previous = diplomacy.sanction_step;
    diplomacy.sanction_step = due.step;
    if (diplomacy.sanction_step == previous) continue;
    world.log(k, "sanction_in_force", step_label(world, diplomacy.sanction_step));
    linkage::respond_to_step(world, k, previous);
    // The partner answers at once: its stance, and so a halt, may change.
    negotiation::follow_stance(world, k);
  }
}

}  // namespace readmit::sanctions
