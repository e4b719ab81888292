#include "readmit/model/returnees.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <algorithm>

#include "readmit/model/amendments.hpp"

namespace readmit::returnees {

namespace {

// Cohorts above this many returnees draw their hazards in parallel; each
// draw comes from the returnee's own stream, so the split changes nothing.
constexpr std::size_t parallel_grain = 8192;

int removal_month(const World& world, std::uint32_t p) {
  return months_between(world.base.start_date, world.base.start_date.plus_days(world.people.removal_day[p]));
}

}  // namespace

void enrol(World& world, std::uint32_t p) { world.partners[world.people.partner[p]].returnees.push_back(p); }

void follow(World& world, std::size_t k, int month) {
  auto& partner = world.partners[k];
  auto& people = world.people;
  const auto& r = world.params(k).returnees;
  const auto& rules = world.now.amendment_rules;
  std::int64_t places = r.reintegration_capacity_per_month;
  std::int64_t extra_places = amendments::in_force(world, k, AmendmentKind::reintegration_support)
                                  ? rules.reintegration_support_capacity_per_month
                                  : 0;
  std::vector<std::uint32_t> cohort;
  cohort.reserve(partner.returnees.size());
  for (const std::uint32_t p : partner.returnees) {
    const int months_since = month - removal_month(world, p);
    if (months_since >= r.followup_months) continue;
    cohort.push_back(p);
    if (months_since != 0) continue;
    if (places > 0) {
      --places;
      people.programme_until_month[p] = month + int(r.reintegration_months);
      people.programme_multiplier[p] = float(r.reintegration_multiplier);
      world.flow(k, Metric::reintegration_admissions) += 1;
    } else if (extra_places > 0) {
      --extra_places;
      people.programme_until_month[p] = month + int(r.reintegration_months);
      people.programme_multiplier[p] = float(rules.reintegration_support_hazard_multiplier);
      world.flow(k, Metric::reintegration_admissions) += 1;
    }
  }
  enum Outcome : std::uint8_t { severe = 1, homeless = 2, remigration = 4 };
  std::vector<std::uint8_t> outcomes(cohort.size(), 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cohort.size(), parallel_grain), [&](const auto& range) {
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      const std::uint32_t p = cohort[i];
      const int months_since = month - removal_month(world, p);
      double multiplier = 1.0;
      if (people.age_at_arrival_years[p] < r.child_arrival_age_years) multiplier *= r.child_arrival_multiplier;
      if (people.ties[p] == TiesToPartner::none) multiplier *= r.no_ties_multiplier;
      if (people.mental_health[p] == MentalHealthRisk::medium) multiplier *= r.medium_mental_health_multiplier;
      if (people.mental_health[p] == MentalHealthRisk::high) multiplier *= r.high_mental_health_multiplier;
      if (month < people.programme_until_month[p]) multiplier *= double(people.programme_multiplier[p]);
      // One stream per hazard and month, so that one draw never shifts another.
      auto draw_event = [&](int hazard, double prob) {
        auto rng = world.person_stream(p, StreamPurpose::person_returnee,
                                       std::uint64_t(months_since) * 3 + std::uint64_t(hazard));
        return rng.bernoulli(std::min(1.0, prob * multiplier));
      };
      if (draw_event(0, r.severe_outcome_hazard_per_month)) {
        outcomes[i] = severe;  // follow-up ends
        continue;
      }
      if (draw_event(1, r.homelessness_hazard_per_month) && !people.homeless[p]) outcomes[i] |= homeless;
      if (draw_event(2, r.remigration_hazard_per_month)) outcomes[i] |= remigration;
    }
  });
  std::vector<std::uint32_t> still;
  still.reserve(cohort.size());
  for (std::size_t i = 0; i < cohort.size(); ++i) {
    const std::uint32_t p = cohort[i];
    if (outcomes[i] & severe) {
      world.flow(k, Metric::severe_outcomes) += 1;
      continue;
    }
    if (outcomes[i] & homeless) {
      people.homeless[p] = 1;
      world.flow(k, Metric::homelessness) += 1;
    }
    if (outcomes[i] & remigration) world.flow(k, Metric::remigration_attempts) += 1;
    still.push_back(p);
  }
  partner.returnees = std::move(still);
  world.metric(month, k, Metric::returnees_followed) = double(partner.returnees.size());
}

}  // namespace readmit::returnees
