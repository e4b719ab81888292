#include "readmit/model/interviews.hpp"

#include <algorithm>

#include "readmit/model/custody.hpp"
#include "readmit/model/documents.hpp"

namespace readmit::interviews {

namespace {

bool still_waiting(const World& world, const QueueEntry& entry) {
  return world.people.request[entry.person] == RequestStatus::awaiting_interview &&
         world.people.requests_made[entry.person] == entry.request_number;
}

/// The removing state sends a fresh document packet for a re-detained
/// person: the partner's clock, and the review's, restart today.
void resubmit_request(World& world, std::uint32_t p) {
  documents::resolve_record(world, p, /*withdrawn=*/true);
  world.people.request_day[p] = world.day;
  documents::open_record(world, p);
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

/// Interviews detained persons in order of request, up to the round's size;
/// the others keep waiting.
void hold_round(World& world, std::size_t k) {
  auto& desk = world.partners[k].desk;
  std::int64_t left = world.params(k).agreement.interview_round_size;
  std::deque<QueueEntry> waiting;
  world.flow(k, Metric::interview_rounds) += 1;
  for (const QueueEntry& entry : desk.awaiting_interview) {
    if (!still_waiting(world, entry)) continue;
    if (left > 0 && world.people.state[entry.person] == PersonState::awaiting_document) {
      --left;
      world.flow(k, Metric::interviews) += 1;
      documents::set_request(world, entry.person, RequestStatus::queued);
    } else {
      waiting.push_back(entry);
    }
  }
  desk.awaiting_interview = std::move(waiting);
}

}  // namespace

namespace {

/// Day `day` is partner k's raid day: raid_lead_days before a round.
bool raid_day(const World& world, std::size_t k) {
  const auto& agreement = world.params(k).agreement;
  const std::int32_t interval = std::int32_t(agreement.interview_interval_days);
  const std::int32_t lead = std::int32_t(std::min<std::int64_t>(world.now.removing_state.raid_lead_days, interval - 1));
  return (world.day + lead) % interval == interval - 1;
}

}  // namespace

std::int64_t raid_bound(const World& world, std::size_t k) {
  return world.params(k).agreement.interview_required && raid_day(world, k) ? world.now.removing_state.raid_size : 0;
}

void run_cycle(World& world, std::size_t k) {
  const auto& agreement = world.params(k).agreement;
  auto& desk = world.partners[k].desk;
  if (!agreement.interview_required) {
    // Requests left waiting when the timeline drops interviews go to the officers.
    for (const QueueEntry& entry : desk.awaiting_interview)
      if (still_waiting(world, entry)) documents::set_request(world, entry.person, RequestStatus::queued);
    desk.awaiting_interview.clear();
    return;
  }
  const std::int32_t interval = std::int32_t(agreement.interview_interval_days);
  const std::int32_t lead = std::int32_t(std::min<std::int64_t>(world.now.removing_state.raid_lead_days, interval - 1));
  const std::int32_t phase = (world.day + lead) % interval;
  if (phase == interval - 1) {  // raid day: the partner has agreed to the round, or not
    auto rng = world.partner_stream(k, StreamPurpose::partner_interviews, std::uint64_t(desk.round_number));
    desk.round_planned =
        documents::document_servers(world, k) > 0 && rng.bernoulli(world.partners[k].diplomacy.cooperation);
    if (desk.round_planned) raid(world, k);
  }
  if ((world.day + 1) % interval == 0) {  // round day
    if (desk.round_planned) hold_round(world, k);
    desk.round_planned = false;
    ++desk.round_number;
  }
}

}  // namespace readmit::interviews
