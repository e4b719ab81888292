#include "readmit/model/interviews.hpp"

#include <algorithm>
#include <cmath>

#include "readmit/model/custody.hpp"
#include "readmit/model/documents.hpp"
#include "readmit/model/flights.hpp"
#include "readmit/model/review.hpp"

namespace readmit::interviews {

namespace {

bool still_waiting(const World& world, const QueueEntry& entry) {
  return world.people.request[entry.person] == RequestStatus::awaiting_interview &&
         world.people.requests_made[entry.person] == entry.request_number;
}

/// The removing state sends a fresh document packet for a re-detained
/// person: the partner's clock, and the review's, restart today.
void resubmit_request(World& world, std::uint32_t p) {
  review::resolve_record(world, p, /*withdrawn=*/true);
  world.people.request_day[p] = world.day;
  review::open_record(world, p);
}

void raid(World& world, std::size_t k) {
  std::int64_t left = world.now.removing_state.raid_size;
  for (const QueueEntry& entry : world.partners[k].desk.awaiting_interview) {
    if (left <= 0) break;
    const std::uint32_t p = entry.person;
    if (!still_waiting(world, entry) || world.people.state[p] != PersonState::supervised) continue;
    if (!custody::redetain(world, p)) break;
    world.flow(k, Metric::raid_detentions) += 1;
    resubmit_request(world, p);
    --left;
  }
}

/// The round: detained persons waiting for an interview are presented in
/// order of request. The removing state may ask for up to the agreed round
/// size; the partner interviews as many of those as it planned. Those asked
/// for are before the partner from today (the review's clock starts); the
/// others keep waiting for a later round.
void hold_round(World& world, std::size_t k) {
  auto& desk = world.partners[k].desk;
  const std::int64_t round_size = world.params(k).agreement.interview_round_size;
  std::int64_t requested = 0, interviewed = 0;
  std::deque<QueueEntry> waiting;
  for (const QueueEntry& entry : desk.awaiting_interview) {
    if (!still_waiting(world, entry)) continue;
    if (requested < round_size && world.people.state[entry.person] == PersonState::awaiting_document) {
      ++requested;
      review::mark_received(world, entry.person);
      if (interviewed < desk.planned_round_size) {
        ++interviewed;
        world.flow(k, Metric::interviews) += 1;
        documents::set_request(world, entry.person, RequestStatus::queued);
        continue;
      }
    }
    waiting.push_back(entry);
  }
  desk.awaiting_interview = std::move(waiting);
  review::note_round(world, k, requested, interviewed);
  if (desk.planned_round_size > 0) {
    world.flow(k, Metric::interview_rounds) += 1;
    const auto after = world.params(k).flights.charter_after_round_days;
    if (after > 0) world.partners[k].charters_booked.push_back(world.day + std::int32_t(after));
  } else if (requested > 0)
    world.flow(k, Metric::interview_rounds_refused) += 1;
}

}  // namespace

namespace {

/// Day of partner k's coming interview round: a calendar left behind (while
/// interviews were not required) moves on by whole intervals.
std::int32_t coming_round(const World& world, std::size_t k) {
  const auto& desk = world.partners[k].desk;
  const std::int32_t interval = std::int32_t(world.params(k).agreement.interview_interval_days);
  if (desk.next_round_day >= world.day) return desk.next_round_day;
  return desk.next_round_day + (world.day - desk.next_round_day + interval - 1) / interval * interval;
}

/// Days before a round that the removing state raids.
std::int32_t raid_lead(const World& world, std::size_t k) {
  const auto interval = world.params(k).agreement.interview_interval_days;
  return std::int32_t(std::min<std::int64_t>(world.now.removing_state.raid_lead_days, interval - 1));
}

}  // namespace

void start(World& world) {
  for (std::size_t k = 0; k < world.partners.size(); ++k) {
    // The first round falls on a day drawn once per replication within the
    // first interval: no result may hinge on where a cycle counted from
    // start_date happens to fall.
    auto rng = world.partner_stream(k, StreamPurpose::partner_interviews, 0);
    const double u = rng.uniform01();
    world.partners[k].desk.next_round_day =
        std::int32_t(std::floor(u * double(world.params(k).agreement.interview_interval_days)));
  }
}

namespace {

/// Whether partner k states its delegation for the coming round today: on
/// the raid day, or at once if that day passed unplanned (a first round
/// drawn within raid_lead_days of the start, or a round offered at short
/// notice).
bool plans_today(const World& world, std::size_t k) {
  const std::int32_t round = coming_round(world, k);
  return world.partners[k].desk.round_planned_day < 0 && world.day >= round - raid_lead(world, k) && world.day <= round;
}

}  // namespace

std::int64_t raid_bound(const World& world, std::size_t k) {
  return world.params(k).agreement.interview_required && plans_today(world, k) && flights::can_fly(world, k)
             ? world.now.removing_state.raid_size
             : 0;
}

void run_cycle(World& world, std::size_t k) {
  const auto& agreement = world.params(k).agreement;
  auto& desk = world.partners[k].desk;
  if (!agreement.interview_required) {
    // Requests left waiting when the timeline drops interviews go to the officers.
    for (const QueueEntry& entry : desk.awaiting_interview) {
      if (!still_waiting(world, entry)) continue;
      review::mark_received(world, entry.person);
      documents::set_request(world, entry.person, RequestStatus::queued);
    }
    desk.awaiting_interview.clear();
    return;
  }
  const std::int32_t interval = std::int32_t(agreement.interview_interval_days);
  if (const std::int32_t round = coming_round(world, k); round != desk.next_round_day) {
    desk.next_round_day = round;  // a round missed while interviews were off: its plan is void
    desk.planned_round_size = 0;
    desk.round_planned_day = -1;
  }
  if (plans_today(world, k)) {
    // The partner states the delegation it will send, from its present stance
    // (its target cooperation); the removing state detains ahead of an agreed round.
    const double intention = world.partners[k].diplomacy.target;
    desk.planned_round_size = std::llround(double(agreement.interview_round_size) * std::clamp(intention, 0.0, 1.0));
    desk.round_planned_day = world.day;
    if (desk.planned_round_size > 0) raid(world, k);
  }
  if (world.day == desk.next_round_day) {
    hold_round(world, k);
    desk.planned_round_size = 0;
    desk.round_planned_day = -1;
    ++desk.round_number;
    desk.next_round_day += interval;
  }
}

void offer_round(World& world, std::size_t k) {
  auto& desk = world.partners[k].desk;
  if (!world.params(k).agreement.interview_required) return;
  const std::int32_t lead = std::int32_t(std::min<std::int64_t>(world.now.removing_state.raid_lead_days,
                                                                world.params(k).agreement.interview_interval_days - 1));
  // The removing state plans its raid (raid_lead_days), then detains ahead
  // of the round (raid_lead_days again). A round whose delegation was
  // already stated was planned under the old stance: the offer replaces it.
  const std::int32_t soonest = world.day + 2 * std::max(lead, 1);
  if (desk.next_round_day > soonest || desk.round_planned_day >= 0) {
    desk.next_round_day = soonest;
    desk.planned_round_size = 0;
    desk.round_planned_day = -1;
  }
}

}  // namespace readmit::interviews
