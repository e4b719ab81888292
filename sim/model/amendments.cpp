#include "readmit/model/amendments.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <algorithm>
#include <vector>

#include "readmit/model/negotiation.hpp"
#include "readmit/model/pipeline.hpp"
#include "readmit/scenario/parameters.hpp"

namespace readmit::amendments {

namespace {

bool exempts(AmendmentKind a) {
  return a == AmendmentKind::family_unity || a == AmendmentKind::childhood_arrival ||
         a == AmendmentKind::long_residence;
}

}  // namespace

void enter_into_force(World& world) {
  const Date today = world.today();
  for (std::size_t a = 0; a < amendment_kind_count; ++a) {
    const auto& rule = world.now.amendment_rules.common[a];
    if (!rule.in_force_from || *rule.in_force_from != today) continue;
    for (std::size_t k = 0; k < world.partners.size(); ++k)
      if (world.names.rule_applies[a][k]) set(world, k, AmendmentKind(a), true, "date");
  }
  auto& pending = world.pending_amendments;
  for (auto it = pending.begin(); it != pending.end();) {
    if (it->effect_day > world.day) {
      ++it;
      continue;
    }
    set(world, it->partner, it->amendment, true, "negotiation");
    it = pending.erase(it);
  }
}

void set(World& world, std::size_t k, AmendmentKind a, bool on, const char* by) {
  bool& state = world.partners[k].amendments.in_force[std::size_t(a)];
  if (state == on) return;
  state = on;
  world.log(k, on ? "amendment_in_force" : "amendment_ended",
            std::string(amendment_names()[std::size_t(a)]) + " by " + by);
  if (on) negotiation::amendment_in_force(world, k, a);
  if (!on || !exempts(a)) return;
  // Who is covered now is read for every person, in parallel; exempting
  // changes only those found, and one's exemption changes no one else's
  // coverage, so they are exempted afterwards, in person order.
  using Found = std::vector<std::uint32_t>;
  const auto& people = world.people;
  const Found covered_now = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, people.size(), person_scan_grain), Found(),
      [&](const tbb::blocked_range<std::size_t>& range, Found found) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          const auto p = std::uint32_t(i);
          if (people.partner[p] == k && people.entered(p) && !is_terminal(people.state[p]) && covered(world, p))
            found.push_back(p);
        }
        return found;
      },
      [](Found left, const Found& right) {  // in order: left's persons come first
        left.insert(left.end(), right.begin(), right.end());
        return left;
      });
  for (const std::uint32_t p : covered_now) exempt_if_covered(world, p);
}

bool terms_cover(const World& world, std::uint32_t p, AmendmentKind a) {
  const auto& people = world.people;
  const auto& rules = world.now.amendment_rules;
  switch (a) {
    case AmendmentKind::family_unity:
      return (rules.family_unity_citizen_spouse && people.spouse[p] == SpouseStatus::citizen) ||
             people.youngest_child_age(p, world.day) < rules.family_unity_child_under_age_years;
    case AmendmentKind::childhood_arrival:
      return people.age_at_arrival_years[p] < rules.childhood_arrival_under_age_years;
    case AmendmentKind::long_residence:
      return double(people.years_resident_at_entry[p]) + double(world.day - people.entry_day[p]) / days_per_year >=
             rules.long_residence_min_years;
    case AmendmentKind::humanitarian_review:
      return vulnerable(world, p);
    case AmendmentKind::advance_notice:
    case AmendmentKind::reintegration_support:
    case AmendmentKind::annual_cap:
      return true;  // every removal
  }
  return false;
}

bool covered(const World& world, std::uint32_t p) {
  const std::size_t k = world.people.partner[p];
  for (const AmendmentKind a :
       {AmendmentKind::family_unity, AmendmentKind::childhood_arrival, AmendmentKind::long_residence})
    if (in_force(world, k, a) && terms_cover(world, p, a)) return true;
  return false;
}

void count_covered_removal(World& world, std::uint32_t p) {
  const std::size_t k = world.people.partner[p];
  for (const auto& covered_metric : covered_removal_metrics)
    if (terms_cover(world, p, covered_metric.amendment)) world.flow(k, covered_metric.metric) += 1;
}

bool exempt_if_covered(World& world, std::uint32_t p) {
  if (is_terminal(world.people.state[p]) || !covered(world, p)) return false;
  world.flow(world.people.partner[p], Metric::exemptions) += 1;
  pipeline::end_case(world, p, PersonState::exempted);
  return true;
}

bool vulnerable(const World& world, std::uint32_t p) {
  const auto& people = world.people;
  const std::size_t k = people.partner[p];
  return people.age_at_arrival_years[p] < world.params(k).returnees.child_arrival_age_years ||
         people.mental_health[p] == MentalHealthRisk::high ||
         people.youngest_child_age(p, world.day) < world.params(k).household.young_child_age_years;
}

bool cap_reached(World& world, std::size_t k) {
  auto& status = world.partners[k].amendments;
  const int year = world.today().year();
  if (status.cap_year != year) status.cap_year = year, status.accepted_this_year = 0;
  return status.accepted_this_year >= world.now.amendment_rules.annual_cap_removals_per_year;
}

void count_cap_acceptance(World& world, std::size_t k) { ++world.partners[k].amendments.accepted_this_year; }

}  // namespace readmit::amendments
