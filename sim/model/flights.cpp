#include "readmit/model/flights.hpp"

#include <algorithm>
#include <cmath>

#include "readmit/model/amendments.hpp"
#include "readmit/model/cooperation.hpp"
#include "readmit/model/documents.hpp"
#include "readmit/model/households.hpp"
#include "readmit/model/pipeline.hpp"
#include "readmit/model/returnees.hpp"
#include "readmit/model/review.hpp"

namespace readmit::flights {

namespace {

/// Whether the scheduled person of `entry` may board today.
bool eligible(const World& world, std::uint32_t p, const ScheduledEntry& entry) {
  const auto& people = world.people;
  std::int64_t notice = world.now.removing_state.itinerary_notice_days;
  if (amendments::in_force(world, people.partner[p], AmendmentKind::advance_notice))
    notice = std::max(notice, world.now.amendment_rules.advance_notice_days);
  return people.state[p] == PersonState::scheduled && people.token[p] == entry.token &&
         people.ready_day[p] <= world.day - notice && people.document_expiry[p] >= world.day;
}

std::int64_t eligible_count(const World& world, std::size_t k) {
  std::int64_t n = 0;
  for (const auto& entry : world.partners[k].scheduled) n += eligible(world, entry.person, entry) ? 1 : 0;
  return n;
}

void remove(World& world, std::uint32_t p) {
  auto& people = world.people;
  const std::size_t k = people.partner[p];
  world.flow(k, Metric::removals) += 1;
  if (auto& diplomacy = world.partners[k].diplomacy; diplomacy.awaiting_resumption) {
    diplomacy.awaiting_resumption = false;
    world.log(k, "removals_resumed", "first removal since the halt ended");
  }
  if (cooperation::breaks_ties(world, p)) world.flow(k, Metric::removals_breaking_ties) += 1;
  amendments::count_covered_removal(world, p);
  households::on_removal(world, p);
  documents::set_request(world, p, RequestStatus::none);
  pipeline::set_state(world, p, PersonState::removed);
  world.result.removals[k].push_back({people.first_request_day[p], float(world.day - people.first_request_day[p])});
  returnees::enrol(world, p);
}

}  // namespace

bool can_fly(const World& world, std::size_t k) {
  const auto& f = world.params(k).flights;
  return f.commercial_seats_per_week > 0 ||
         (f.charter_seats > 0 && (f.charter_interval_days > 0 || f.charter_after_round_days > 0));
}

void start(World& world) {
  for (std::size_t k = 0; k < world.partners.size(); ++k) {
    const auto interval = world.params(k).flights.charter_interval_days;
    auto rng = world.partner_stream(k, StreamPurpose::partner_interviews, 1);
    const double u = rng.uniform01();  // drawn whatever the interval, so other draws keep their place
    world.partners[k].charter_phase_days = interval > 0 ? std::int32_t(std::floor(u * double(interval))) : 0;
  }
}

void make_ready(World& world, std::uint32_t p) {
  world.people.ready_day[p] = world.day;
  world.partners[world.people.partner[p]].scheduled.push_back({p, world.people.token[p]});
}

void fly(World& world, std::size_t k) {
  const auto& f = world.params(k).flights;
  const std::int32_t day = world.day;
  if (f.commercial_seats_per_week > 0 && (day + 1) % 7 == 0) board(world, k, f.commercial_seats_per_week);
  auto& booked = world.partners[k].charters_booked;
  bool after_round = false;
  while (!booked.empty() && booked.front() <= day) {
    after_round = after_round || booked.front() == day;
    booked.pop_front();
  }
  // The cycle's phase is drawn per replication: no result may hinge on where
  // a fixed cycle happens to fall from start_date.
  const std::int64_t first =
      f.charter_offset_days + world.partners[k].charter_phase_days % std::max<std::int64_t>(f.charter_interval_days, 1);
  const bool on_cycle = f.charter_interval_days > 0 && day >= first && (day - first) % f.charter_interval_days == 0;
  if (on_cycle || (after_round && f.charter_seats > 0)) {
    auto& partner = world.partners[k];
    auto rng = world.partner_stream(k, StreamPurpose::partner_charters, std::uint64_t(partner.charter_number++));
    // Refusing a charter, or some of its seats, is a deliberate act: a
    // partner at charter_full_cooperation or above accepts at the base rate
    // and every seat; below it, fewer of both (bargaining by degrees).
    const double willing = std::min(1.0, partner.diplomacy.cooperation / std::max(f.charter_full_cooperation, 1e-9));
    const bool accepted = rng.bernoulli(f.charter_acceptance_base_prob * willing);
    // Only a charter with passengers ready was asked of the partner.
    const bool asked = eligible_count(world, k) > 0;
    if (asked) review::note_charter(world, k, /*refused=*/!accepted);
    if (!accepted) {
      if (asked) world.flow(k, Metric::charters_refused) += 1;
      return;
    }
    const auto seats = std::int64_t(std::ceil(double(f.charter_seats) * willing));
    if (const std::int64_t flown = board(world, k, seats); flown > 0) {
      world.flow(k, Metric::charters_flown) += 1;
      world.flow(k, Metric::charter_removals) += double(flown);
    }
  }
}

std::int64_t board(World& world, std::size_t k, std::int64_t seats) {
  auto& people = world.people;
  const auto& removing = world.now.removing_state;
  std::deque<ScheduledEntry> keep;
  std::int64_t flown = 0;
  for (const ScheduledEntry& entry : world.partners[k].scheduled) {
    const std::uint32_t p = entry.person;
    if (people.state[p] != PersonState::scheduled || people.token[p] != entry.token) continue;  // stale
    if (seats <= 0 || !eligible(world, p, entry)) {
      keep.push_back(entry);
      continue;
    }
    --seats;
    auto rng = world.person_stream(p, StreamPurpose::person_flight, people.flights_missed[p]);
    if (rng.bernoulli(removing.flight_dropoff_prob)) {
      ++people.flights_missed[p];
      world.flow(k, Metric::flight_dropoffs) += 1;
      if (rng.bernoulli(removing.dropoff_relief_prob)) {
        world.flow(k, Metric::relief) += 1;
        pipeline::end_case(world, p, PersonState::relief);
      } else {
        // A stay voids the document; the request starts again later.
        world.flow(k, Metric::stay_releases) += 1;
        documents::set_request(world, p, RequestStatus::rerequest_due);
        pipeline::set_state(world, p, PersonState::supervised);
        world.schedule(world.day + std::int32_t(world.params(k).agreement.rerequest_lag_days),
                       {p, std::uint16_t(k), EventKind::request_due, people.requests_made[p]});
      }
      continue;
    }
    remove(world, p);
    ++flown;
  }
  world.partners[k].scheduled = std::move(keep);
  return flown;
}

}  // namespace readmit::flights
