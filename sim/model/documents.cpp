#include "readmit/model/documents.hpp"

#include <algorithm>
#include <cmath>

#include "readmit/model/amendments.hpp"
#include "readmit/model/custody.hpp"
#include "readmit/model/flights.hpp"
#include "readmit/model/pipeline.hpp"
#include "readmit/model/review.hpp"
#include "readmit/stats/quantiles.hpp"

namespace readmit::documents {

namespace {

bool request_pending(RequestStatus s) {
  return s == RequestStatus::awaiting_interview || s == RequestStatus::queued || s == RequestStatus::in_decision;
}

// Each request has two decision streams: its decision time and its outcome.
std::uint64_t decision_time_sequence(std::int64_t request_number) { return 2 * std::uint64_t(request_number); }
std::uint64_t decision_outcome_sequence(std::int64_t request_number) { return 2 * std::uint64_t(request_number) + 1; }

void schedule_request(World& world, std::uint32_t p, std::int32_t day) {
  const auto& people = world.people;
  world.schedule(day, {p, people.partner[p], EventKind::request_due, people.requests_made[p]});
}

}  // namespace

void set_request(World& world, std::uint32_t p, RequestStatus next) {
  auto& people = world.people;
  const std::size_t k = people.partner[p];
  auto& desk = world.partners[k].desk;
  const RequestStatus previous = people.request[p];
  if (next == RequestStatus::none && request_pending(previous)) review::resolve_record(world, p, /*withdrawn=*/true);
  if (previous == RequestStatus::queued) {
    --desk.queued;
    auto& t = world.result.tallies[k][document_queue_tally];
    t.exits += 1;
    t.completed_stay_days += double(world.day - people.queued_since[p]);
  }
  if (next == RequestStatus::queued) {
    ++desk.queued;
    world.result.tallies[k][document_queue_tally].entries += 1;
    people.queued_since[p] = world.day;
    desk.queue.push_back({p, people.requests_made[p]});
  }
  if (previous == RequestStatus::awaiting_interview) --desk.awaiting_interview_count;
  if (next == RequestStatus::awaiting_interview) {
    ++desk.awaiting_interview_count;
    desk.awaiting_interview.push_back({p, people.requests_made[p]});
  }
  if (people.state[p] == PersonState::supervised && people.entered(p))
    world.partners[k].supervised_with_request +=
        std::int64_t(next != RequestStatus::none) - std::int64_t(previous != RequestStatus::none);
  people.request[p] = next;
}

void send_request(World& world, std::uint32_t p, bool counted) {
  if (amendments::exempt_if_covered(world, p)) return;
  auto& people = world.people;
  const std::size_t k = people.partner[p];
  ++people.requests_made[p];
  people.request_day[p] = world.day;
  if (people.first_request_day[p] == no_day) people.first_request_day[p] = world.day;
  if (counted) {
    review::open_record(world, p);
    world.flow(k, Metric::requests) += 1;
  }
  set_request(world, p,
              world.params(k).agreement.interview_required ? RequestStatus::awaiting_interview : RequestStatus::queued);
  if (people.state[p] == PersonState::detained) pipeline::set_state(world, p, PersonState::awaiting_document);
}

std::int64_t document_servers(const World& world, std::size_t k) {
  return std::llround(double(world.params(k).agreement.document_officers) * world.partners[k].diplomacy.cooperation);
}

void start_decisions(World& world, std::size_t k) {
  auto& partner = world.partners[k];
  auto& desk = partner.desk;
  auto& people = world.people;
  const std::int64_t servers = document_servers(world, k);
  const auto& agreement = world.params(k).agreement;
  while (desk.in_decision < servers && !desk.queue.empty()) {
    const QueueEntry entry = desk.queue.front();
    desk.queue.pop_front();
    const std::uint32_t p = entry.person;
    if (people.request[p] != RequestStatus::queued || people.requests_made[p] != entry.request_number) continue;
    set_request(world, p, RequestStatus::in_decision);
    ++desk.in_decision;
    auto rng = world.person_stream(p, StreamPurpose::person_decision, decision_time_sequence(entry.request_number));
    const double slowdown =
        1.0 + agreement.decision_slowdown_at_zero_cooperation * (1.0 - partner.diplomacy.cooperation);
    double days = draw(agreement.decision_time_days, rng) * slowdown;
    if (amendments::in_force(world, k, AmendmentKind::humanitarian_review))
      days += double(world.now.amendment_rules.humanitarian_review_extra_days);
    world.schedule(world.day + std::max<std::int32_t>(1, std::int32_t(std::lround(days))),
                   {p, std::uint16_t(k), EventKind::decision, entry.request_number});
  }
}

void on_request_due(World& world, std::uint32_t p, std::int32_t request_number) {
  const auto& people = world.people;
  if (is_terminal(people.state[p]) || people.requests_made[p] != request_number) return;
  if (people.request[p] == RequestStatus::none || people.request[p] == RequestStatus::rerequest_due)
    send_request(world, p);
}

void on_decision(World& world, std::uint32_t p, std::int32_t request_number) {
  auto& people = world.people;
  const std::size_t k = people.partner[p];
  auto& desk = world.partners[k].desk;
  --desk.in_decision;  // the officer is free again, whatever became of the request
  if (is_terminal(people.state[p])) return;
  if (people.request[p] != RequestStatus::in_decision || people.requests_made[p] != request_number) return;
  const auto& agreement = world.params(k).agreement;
  const auto& rules = world.now.amendment_rules;
  world.flow(k, Metric::decisions) += 1;
  desk.decision_days.push_back(double(world.day - people.request_day[p]));
  if (people.age_at_arrival_years[p] < agreement.refuse_arrived_under_age_years) {
    review::note_decision(world, k, p, /*denied=*/true);
    review::resolve_record(world, p, /*withdrawn=*/false);
    world.flow(k, Metric::category_refusals) += 1;
    pipeline::end_case(world, p, PersonState::unremovable);
    return;
  }
  if (amendments::covered(world, p)) {
    // Exempted before the partner's decision took effect: not the partner's denial.
    review::resolve_record(world, p, /*withdrawn=*/true);
    amendments::exempt_if_covered(world, p);
    return;
  }
  if (amendments::in_force(world, k, AmendmentKind::humanitarian_review) && amendments::vulnerable(world, p)) {
    auto humanitarian = world.person_stream(p, StreamPurpose::person_amendment, std::uint64_t(request_number));
    if (humanitarian.bernoulli(rules.humanitarian_review_vulnerable_denial_prob)) {
      // Within the agreed terms: the review does not count it as the partner's denial.
      review::resolve_record(world, p, /*withdrawn=*/true);
      world.flow(k, Metric::humanitarian_denials) += 1;
      world.flow(k, Metric::exemptions) += 1;
      pipeline::end_case(world, p, PersonState::exempted);
      return;
    }
  }
  auto rng = world.person_stream(p, StreamPurpose::person_decision, decision_outcome_sequence(request_number));
  const bool accepted = rng.bernoulli(agreement.acceptance_base_prob * world.partners[k].diplomacy.cooperation);
  review::note_decision(world, k, p, /*denied=*/!accepted);
  review::resolve_record(world, p, /*withdrawn=*/false);
  if (!accepted) {
    world.flow(k, Metric::denials) += 1;
    set_request(world, p, RequestStatus::rerequest_due);
    schedule_request(world, p, world.day + std::int32_t(agreement.rerequest_lag_days));
    return;
  }
  if (amendments::in_force(world, k, AmendmentKind::annual_cap)) {
    if (amendments::cap_reached(world, k)) {
      // The partner accepts no more this calendar year: ask again on 1 January.
      world.flow(k, Metric::cap_deferrals) += 1;
      set_request(world, p, RequestStatus::rerequest_due);
      const Date next_year = Date::from_ymd(world.today().year() + 1, 1, 1);
      schedule_request(world, p,
                       std::max(world.day + std::int32_t(agreement.rerequest_lag_days), world.day_of(next_year)));
      return;
    }
    amendments::count_cap_acceptance(world, k);
  }
  world.flow(k, Metric::acceptances) += 1;
  set_request(world, p, RequestStatus::issued);
  people.document_expiry[p] = world.day + std::int32_t(agreement.document_validity_days) - 1;
  world.schedule(people.document_expiry[p] + 1,
                 {p, std::uint16_t(k), EventKind::document_expiry, people.document_expiry[p]});
  if (people.state[p] == PersonState::awaiting_document) {
    pipeline::set_state(world, p, PersonState::scheduled);
    flights::make_ready(world, p);
  } else if (people.state[p] == PersonState::supervised) {
    if (rng.bernoulli(world.now.removing_state.redetention_prob) && custody::redetain(world, p))
      world.flow(k, Metric::redetentions) += 1;
  }
}

void on_document_expiry(World& world, std::uint32_t p, std::int32_t expiry_day) {
  auto& people = world.people;
  if (is_terminal(people.state[p])) return;
  if (people.request[p] != RequestStatus::issued || people.document_expiry[p] != expiry_day) return;
  world.flow(people.partner[p], Metric::documents_expired) += 1;
  set_request(world, p, RequestStatus::rerequest_due);
  if (people.state[p] == PersonState::scheduled) pipeline::set_state(world, p, PersonState::awaiting_document);
  schedule_request(world, p, world.day + 1);
}

void close_month(World& world, std::size_t k, int month) {
  auto& desk = world.partners[k].desk;
  if (desk.decision_days.empty()) {
    world.metric(month, k, Metric::decision_days_p50) = std::nan("");
    world.metric(month, k, Metric::decision_days_p90) = std::nan("");
  } else {
    const double probs[] = {0.5, 0.9};
    const auto q = quantiles(desk.decision_days, probs);
    world.metric(month, k, Metric::decision_days_p50) = q[0];
    world.metric(month, k, Metric::decision_days_p90) = q[1];
  }
  desk.decision_days.clear();
}

}  // namespace readmit::documents
