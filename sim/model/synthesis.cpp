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

RandomStream placement_stream(const World& world, std::size_t k, std::uint32_t id) {
  return RandomStream(world.base.seed, world.replication, person_entity(k, id), StreamPurpose::person_attributes, 1);
}

/// Fills persons first .. first + count - 1 of partner k's docket (local ids
/// from 0), drawing them in parallel chunks and placing them in id order.
void synthesize_partner_docket(World& world, std::size_t k, std::uint32_t first, std::int64_t count) {
  constexpr std::int64_t chunk = 1 << 16;  // bounds the memory of drawn, not yet placed, persons
  const auto& pop = world.params(k).population;
  std::vector<NewPerson> drawn;
  for (std::int64_t begin = 0; begin < count; begin += chunk) {
    drawn.resize(std::size_t(std::min(chunk, count - begin)));
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, drawn.size(), 1024), [&](const auto& range) {
      for (std::size_t i = range.begin(); i != range.end(); ++i)
        drawn[i] = draw(world, k, std::uint32_t(begin) + std::uint32_t(i), /*in_docket=*/true, world.today());
    });
    for (std::size_t i = 0; i < drawn.size(); ++i) {
      const NewPerson& n = drawn[i];
      const std::uint32_t p = first + std::uint32_t(begin) + std::uint32_t(i);
      fill(world, p, n);
      place(world, p, n.start, n.sentence_days);
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

/// Docket persons of partner k who start in detention (their placement
/// draws only): the most beds the partner's docket can take.
std::int64_t detained_starts(const World& world, std::size_t k) {
  const auto& pop = world.params(k).population;
  std::int64_t detained = 0;
  for (std::int64_t id = 0; id < pop.docket_at_start; ++id) {
    auto placement = placement_stream(world, k, std::uint32_t(id));
    detained += StartState(draw_category(pop.initial_state_shares.data(), 3, placement)) == StartState::detained;
  }
  return detained;
}

}  // namespace

NewPerson draw(const World& world, std::size_t k, std::uint32_t id, bool in_docket, Date entry) {
  const auto& pop = world.params(k).population;
  NewPerson n;
  RandomStream rng(world.base.seed, world.replication, person_entity(k, id), StreamPurpose::person_attributes);
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
    RandomStream cohort_rng(world.base.seed, world.replication, person_entity(k, id), StreamPurpose::person_cohort);
    draw_from_cohort(pop.cohorts, fractional_year(entry), cohort_rng, n);
  }
  const int children = std::clamp(int(std::floor(readmit::draw(pop.children_count, rng))), 0, 255);
  for (int c = 0; c < children; ++c) n.child_ages.push_back(float(readmit::draw(pop.child_age_years, rng)));
  auto placement = placement_stream(world, k, id);
  n.start =
      StartState(draw_category((in_docket ? pop.initial_state_shares : pop.inflow_state_shares).data(), 3, placement));
  if (n.start == StartState::prison) n.sentence_days = readmit::draw(pop.sentence_remaining_days, placement);
  if (in_docket && n.start == StartState::supervised && placement.bernoulli(pop.pending_request_prob)) {
    n.pending_request = true;
    n.backlog_u = placement.uniform01();
  }
  return n;
}

void fill(World& world, std::uint32_t p, const NewPerson& n) {
  auto& people = world.people;
  auto& child_ages = people.child_age_at_entry[people.partner[p]];
  people.age_at_arrival_years[p] = n.age_at_arrival_years;
  people.years_resident_at_entry[p] = n.years_resident;
  people.entry_status[p] = n.entry_status;
  people.offense[p] = n.offense;
  people.spouse[p] = n.spouse;
  people.mental_health[p] = n.mental_health;
  people.ties[p] = n.ties;
  people.main_earner[p] = n.main_earner;
  people.children_begin[p] = std::uint32_t(child_ages.size());
  people.children_count[p] = std::uint8_t(n.child_ages.size());
  child_ages.insert(child_ages.end(), n.child_ages.begin(), n.child_ages.end());
}

void place(World& world, std::uint32_t p, StartState start, double sentence_days) {
  const auto k = world.people.partner[p];
  world.people.entry_day[p] = world.day;
  // Relief is a constant monthly hazard: its time is drawn once, at entry.
  const double hazard = world.now.removing_state.relief_hazard_per_month;
  if (hazard > 0.0) {
    RandomStream relief(world.base.seed, world.replication, person_entity(k, world.people.local_id[p]),
                        StreamPurpose::person_relief);
    const double rate_per_day = -std::log1p(-std::min(hazard, 0.999999)) / days_per_month;
    const double wait_days = -std::log1p(-relief.uniform01()) / rate_per_day;
    if (wait_days < double(world.days))
      world.schedule(world.day + std::int32_t(wait_days), {p, k, EventKind::relief, 0});
  }
  switch (start) {
    case StartState::prison:
      pipeline::set_state(world, p, PersonState::prison);
      world.schedule(world.day + std::max<std::int32_t>(1, std::int32_t(std::lround(sentence_days))),
                     {p, k, EventKind::sentence_end, 0});
      break;
    case StartState::detained:
      custody::begin_detention(world, p);
      break;
    case StartState::supervised:
      pipeline::set_state(world, p, PersonState::supervised);
      break;
  }
}

std::uint32_t add(World& world, std::size_t k, const NewPerson& n) {
  const std::uint32_t p = world.people.add(std::uint16_t(k), world.partners[k].next_local_id++);
  fill(world, p, n);
  place(world, p, n.start, n.sentence_days);
  return p;
}

void synthesize_docket(World& world) {
  const std::size_t partners = world.partners.size();
  std::int64_t docket = 0;
  double inflow_per_month = 0;
  for (std::size_t k = 0; k < partners; ++k) {
    docket += world.params(k).population.docket_at_start;
    inflow_per_month += world.params(k).population.inflow_per_month;
  }
  // Room for the docket and the expected inflow with a margin, so that
  // columns do not double (and memory with them) as arrivals come.
  const double expected_inflow = inflow_per_month * double(world.base.horizon_months);
  world.people.reserve(std::size_t(docket) + std::size_t(expected_inflow + 4 * std::sqrt(expected_inflow) + 64));
  std::vector<std::uint32_t> first(partners);
  for (std::size_t k = 0; k < partners; ++k) {
    auto& partner = world.partners[k];
    const auto count = world.params(k).population.docket_at_start;
    first[k] = world.people.add_block(std::uint16_t(k), 0, std::size_t(count));
    partner.next_local_id = std::uint32_t(count);
  }
  // The most beds each partner's docket can take: its whole docket when the
  // beds hold every docket, else its persons who start detained.
  std::vector<std::int64_t> beds(partners);
  const bool beds_hold_every_docket = docket <= world.now.removing_state.detention_beds;
  tbb::parallel_for(std::size_t(0), partners, [&](std::size_t k) {
    beds[k] = beds_hold_every_docket ? world.params(k).population.docket_at_start : detained_starts(world, k);
  });
  custody::for_each_partner_sharing_beds(world, beds, [&](std::size_t k) {
    synthesize_partner_docket(world, k, first[k], world.params(k).population.docket_at_start);
  });
}

void schedule_arrivals(World& world, int month) {
  const Date first_of_month = world.base.start_date.plus_months(month);
  const std::int32_t first_day = world.day_of(first_of_month);
  const std::int32_t length = first_of_month.plus_months(1).days_since_epoch - first_of_month.days_since_epoch;
  const std::size_t partners = world.partners.size();
  // Each partner draws its arrival days from its own stream; then each gets
  // a block of persons in partner order (the indices of adding them one by
  // one) and fills it in parallel: a partner touches only its own persons,
  // children, pending arrivals and calendar.
  std::vector<std::vector<std::int32_t>> days(partners);
  tbb::parallel_for(std::size_t(0), partners, [&](std::size_t k) {
    auto rng = world.partner_stream(k, StreamPurpose::partner_arrivals, std::uint64_t(month));
    const std::int64_t count = draw_poisson(world.params(k).population.inflow_per_month, rng);
    days[k].reserve(std::size_t(count));
    for (std::int64_t i = 0; i < count; ++i) days[k].push_back(first_day + std::int32_t(rng.uniform01() * length));
    std::sort(days[k].begin(), days[k].end());
  });
  std::vector<std::uint32_t> first(partners);
  for (std::size_t k = 0; k < partners; ++k)
    first[k] = world.people.add_block(std::uint16_t(k), world.partners[k].next_local_id, days[k].size());
  tbb::parallel_for(std::size_t(0), partners, [&](std::size_t k) {
    auto& partner = world.partners[k];
    for (std::size_t i = 0; i < days[k].size(); ++i) {
      const std::int32_t d = days[k][i];
      const std::uint32_t p = first[k] + std::uint32_t(i);
      const NewPerson n =
          draw(world, k, partner.next_local_id++, /*in_docket=*/false, world.base.start_date.plus_days(d));
      fill(world, p, n);
      partner.arrivals.push_back({p, n.start, n.sentence_days});
      world.schedule(d, {p, std::uint16_t(k), EventKind::arrival, 0});
    }
  });
}

void on_arrival(World& world, std::size_t k, std::uint32_t p) {
  auto& arrivals = world.partners[k].arrivals;
  const PendingArrival arrival = arrivals.front();  // arrivals come in the order they were drawn
  arrivals.pop_front();
  world.flow(k, Metric::arrivals) += 1;
  place(world, p, arrival.start, arrival.sentence_days);
  amendments::exempt_if_covered(world, p);
}

}  // namespace readmit::synthesis
