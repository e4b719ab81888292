#include "readmit/model/households.hpp"

#include <algorithm>

#include "readmit/model/amendments.hpp"

namespace readmit::households {

void on_removal(World& world, std::uint32_t p) {
  const auto& people = world.people;
  const std::size_t k = people.partner[p];
  const auto& h = world.params(k).household;
  const int minors = people.minor_children(p, world.day);
  const SpouseStatus spouse = people.spouse[p];
  if (spouse == SpouseStatus::none && minors == 0) return;  // no household in the removing state
  double follow = spouse == SpouseStatus::citizen    ? h.follow_prob_citizen_spouse
                  : spouse == SpouseStatus::resident ? h.follow_prob_resident_spouse
                                                     : h.follow_prob_no_spouse;
  if (minors > 0 && people.youngest_child_age(p, world.day) < h.young_child_age_years)
    follow *= h.young_child_follow_multiplier;
  auto rng = world.person_stream(p, StreamPurpose::person_household);
  const bool followed = rng.bernoulli(std::min(1.0, follow));
  bool prepared = false;
  if (amendments::in_force(world, k, AmendmentKind::advance_notice)) {
    world.flow(k, Metric::households_notified) += 1;
    // Its own stream sequence, far from the humanitarian review's (request numbers).
    auto notice = world.person_stream(p, StreamPurpose::person_amendment, 1u << 16);
    prepared = notice.bernoulli(world.now.amendment_rules.advance_notice_crisis_reduction_prob);
  }
  if (followed) {
    world.flow(k, Metric::households_followed) += 1;
    return;
  }
  if (!prepared) world.flow(k, Metric::children_affected) += minors;
  if (people.main_earner[p]) world.flow(k, Metric::main_earners_lost) += 1;
}

void count_day(World& world, std::size_t k) {
  world.metric(world.month, k, Metric::child_days_separated) += double(world.partners[k].detained_minors);
}

}  // namespace readmit::households
