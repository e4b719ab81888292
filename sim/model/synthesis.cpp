#include "readmit/model/synthesis.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <algorithm>
#include <cmath>

#include "readmit/model/amendments.hpp"
#include "readmit/model/custody.hpp"
#include "readmit/model/documents.hpp"
#include "readmit/model/pipeline.hpp"
#include "readmit/model/review.hpp"

namespace readmit::synthesis {

namespace {

/// `date` as a calendar year with its fraction.
double fractional_year(Date date) {
  const Date first = Date::from_ymd(date.year(), 1, 1);
  const Date next = Date::from_ymd(date.year() + 1, 1, 1);
  return double(date.year()) + double(date.days_since_epoch - first.days_since_epoch) /
                                   double(next.days_since_epoch - first.days_since_epoch);
}

/// Age at arrival, years of residence and entry status from p's cohort:
/// from the birth and arrival years, so that they agree with each other and
/// with today. A birth after the arrival is drawn again: the removing state's
/// own citizens by birth are not in the docket.
void draw_from_cohort(const std::vector<Cohort>& cohorts, double today_year, RandomStream& rng, NewPerson& n) {
  std::vector<double> shares;
  double total = 0;
  for (const auto& c : cohorts) total += c.weight;
  for (const auto& c : cohorts) shares.push_back(total > 0 ? c.weight / total : 1.0 / double(cohorts.size()));
  const Cohort& cohort = cohorts[draw_category(shares.data(), shares.size(), rng)];
  const double arrival = std::min(readmit::draw(cohort.arrival_year, rng), today_year);
  double birth = arrival;
  for (int attempt = 0; attempt < 100; ++attempt) {
    const double b = readmit::draw(cohort.birth_year, rng);
    if (b <= arrival) {
      birth = b;
      break;
    }
  }
  n.entry_status = cohort.entry_status;
  n.age_at_arrival_years = float(arrival - birth);
  n.years_resident = float(today_year - arrival);
}

}  // namespace

NewPerson draw(const World& world, std::size_t k, std::uint32_t id, bool in_docket) {
  const auto& pop = world.params(k).population;
  const auto& base = world.base;
  NewPerson n;
  RandomStream rng(base.seed, world.replication, person_entity(k, id), StreamPurpose::person_attributes);
  n.age_at_arrival_years = float(readmit::draw(pop.age_at_arrival_years, rng));
  n.years_resident = float(readmit::draw(pop.years_resident, rng));
  n.entry_status = EntryStatus(draw_category(pop.entry_status_shares.data(), 3, rng));
  n.offense = Offense(draw_category(pop.offense_shares.data(), 4, rng));
  n.spouse = SpouseStatus(draw_category(pop.spouse_shares.data(), 3, rng));
  n.mental_health = MentalHealthRisk(draw_category(pop.mental_health_risk_shares.data(), 3, rng));
  n.ties = TiesToPartner(draw_category(pop.ties_shares.data(), 3, rng));
  n.main_earner = rng.bernoulli(pop.main_earner_prob);
  if (!pop.cohorts.empty()) {
    // Its own stream: the other attributes draw the same numbers with or without cohorts.
    RandomStream cohort_rng(base.seed, world.replication, person_entity(k, id), StreamPurpose::person_cohort);
    draw_from_cohort(pop.cohorts, fractional_year(world.today()), cohort_rng, n);
  }
  const int children = std::clamp(int(std::floor(readmit::draw(pop.children_count, rng))), 0, 255);
  for (int c = 0; c < children; ++c) n.child_ages.push_back(float(readmit::draw(pop.child_age_years, rng)));
  // Relief is a constant monthly hazard: draw its time once.
  const double hazard = world.now.removing_state.relief_hazard_per_month;
  if (hazard > 0.0) {
    RandomStream relief(base.seed, world.replication, person_entity(k, id), StreamPurpose::person_relief);
    const double rate_per_day = -std::log1p(-std::min(hazard, 0.999999)) / days_per_month;
    n.relief_wait_days = -std::log1p(-relief.uniform01()) / rate_per_day;
  }
  RandomStream placement(base.seed, world.replication, person_entity(k, id), StreamPurpose::person_attributes, 1);
  n.start =
      StartState(draw_category((in_docket ? pop.initial_state_shares : pop.inflow_state_shares).data(), 3, placement));
  if (n.start == StartState::prison) n.sentence_days = readmit::draw(pop.sentence_remaining_days, placement);
  if (in_docket && n.start == StartState::supervised && placement.bernoulli(pop.pending_request_prob)) {
    n.pending_request = true;
    n.backlog_u = placement.uniform01();
  }
  return n;
}

std::uint32_t add(World& world, std::size_t k, const NewPerson& n) {
  auto& people = world.people;
  const auto id = world.partners[k].next_local_id++;
  const std::uint32_t p = people.add(std::uint16_t(k), id);
  people.entry_day[p] = world.day;
  people.age_at_arrival_years[p] = n.age_at_arrival_years;
  people.years_resident_at_entry[p] = n.years_resident;
  people.entry_status[p] = n.entry_status;
  people.offense[p] = n.offense;
  people.spouse[p] = n.spouse;
  people.mental_health[p] = n.mental_health;
  people.ties[p] = n.ties;
  people.main_earner[p] = n.main_earner;
  people.children_count[p] = std::uint8_t(n.child_ages.size());
  people.child_age_at_entry.insert(people.child_age_at_entry.end(), n.child_ages.begin(), n.child_ages.end());
  if (n.relief_wait_days < double(world.days))
    world.calendar.schedule(world.day + std::int32_t(n.relief_wait_days), {p, std::uint16_t(k), EventKind::relief, 0});
  switch (n.start) {
    case StartState::prison:
      pipeline::set_state(world, p, PersonState::prison);
      world.calendar.schedule(world.day + std::max<std::int32_t>(1, std::int32_t(std::lround(n.sentence_days))),
                              {p, std::uint16_t(k), EventKind::sentence_end, 0});
      break;
    case StartState::detained:
      custody::begin_detention(world, p);
      break;
    case StartState::supervised:
      pipeline::set_state(world, p, PersonState::supervised);
      break;
  }
  return p;
}

void synthesize_docket(World& world) {
  constexpr std::int64_t chunk = 1 << 16;  // bounds the memory of drawn, not yet added, persons
  for (std::size_t k = 0; k < world.partners.size(); ++k) {
    const auto& pop = world.params(k).population;
    std::vector<NewPerson> drawn;
    for (std::int64_t first = 0; first < pop.docket_at_start; first += chunk) {
      drawn.resize(std::size_t(std::min(chunk, pop.docket_at_start - first)));
      const auto first_id = world.partners[k].next_local_id;
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, drawn.size(), 1024), [&](const auto& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i)
          drawn[i] = draw(world, k, first_id + std::uint32_t(i), /*in_docket=*/true);
      });
      for (const NewPerson& n : drawn) {
        const std::uint32_t p = add(world, k, n);
        if (n.pending_request) {
          // Old requests: the backlog reached back years (ICE, 2017), but
          // not before the person arrived. They are part of the initial
          // state, not of month 0's flow; the review keeps them on record.
          documents::send_request(world, p, /*counted=*/false);
          if (is_terminal(world.people.state[p])) continue;
          const double max_age_days =
              std::min(double(pop.pending_request_max_age_days), double(n.years_resident) * days_per_year);
          const auto sent = -std::int32_t(n.backlog_u * max_age_days);
          world.people.request_day[p] = world.people.first_request_day[p] = sent;
          review::open_record(world, p);
          auto& record = world.partners[k].conduct.requests[world.people.request_record[p]];
          record.sent_day = sent;
          if (record.received_day == 0) record.received_day = sent;
        }
      }
    }
    // Back-dated receipts came in random order: the review reads them by day.
    auto& conduct = world.partners[k].conduct;
    std::stable_sort(conduct.received.begin(), conduct.received.end(), [&](std::uint32_t a, std::uint32_t b) {
      return conduct.requests[a].received_day < conduct.requests[b].received_day;
    });
  }
}

void schedule_arrivals(World& world, int month) {
  const Date first = world.base.start_date.plus_months(month);
  const std::int32_t first_day = world.day_of(first);
  const std::int32_t length = first.plus_months(1).days_since_epoch - first.days_since_epoch;
  for (std::size_t k = 0; k < world.partners.size(); ++k) {
    auto rng = world.partner_stream(k, StreamPurpose::partner_arrivals, std::uint64_t(month));
    const std::int64_t count = draw_poisson(world.params(k).population.inflow_per_month, rng);
    std::vector<std::int32_t> days;
    for (std::int64_t i = 0; i < count; ++i) days.push_back(first_day + std::int32_t(rng.uniform01() * length));
    std::sort(days.begin(), days.end());
    for (auto d : days) world.calendar.schedule(d, {no_person, std::uint16_t(k), EventKind::arrival, 0});
  }
}

void on_arrival(World& world, std::size_t k) {
  world.flow(k, Metric::arrivals) += 1;
  const std::uint32_t p = add(world, k, draw(world, k, world.partners[k].next_local_id, /*in_docket=*/false));
  amendments::exempt_if_covered(world, p);
}

}  // namespace readmit::synthesis
