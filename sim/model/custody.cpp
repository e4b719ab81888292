#include "readmit/model/custody.hpp"

#include "readmit/model/flights.hpp"
#include "readmit/model/pipeline.hpp"
#include "readmit/model/review.hpp"

namespace readmit::custody {

namespace {

void schedule_review(World& world, std::uint32_t p, std::int32_t after_days) {
  const auto& people = world.people;
  world.calendar.schedule(world.day + after_days,
                          {p, people.partner[p], EventKind::custody_review, people.detention_start[p]});
}

void schedule_first_request(World& world, std::uint32_t p) {
  const auto& people = world.people;
  world.calendar.schedule(world.day + std::int32_t(world.now.removing_state.request_lag_days),
                          {p, people.partner[p], EventKind::request_due, people.requests_made[p]});
}

}  // namespace

bool has_bed(const World& world) { return world.detained_total < world.now.removing_state.detention_beds; }

void begin_detention(World& world, std::uint32_t p) {
  const std::size_t k = world.people.partner[p];
  if (!has_bed(world)) {
    pipeline::set_state(world, p, PersonState::supervised);
    world.flow(k, Metric::released_no_bed) += 1;
    schedule_first_request(world, p);
    return;
  }
  pipeline::set_state(world, p, PersonState::detained);
  world.flow(k, Metric::detentions) += 1;
  world.people.detention_start[p] = world.day;
  schedule_first_request(world, p);
  schedule_review(world, p, std::int32_t(world.now.removing_state.custody_review_days));
}

bool redetain(World& world, std::uint32_t p) {
  if (!has_bed(world)) return false;
  const bool has_document = world.people.request[p] == RequestStatus::issued;
  pipeline::set_state(world, p, has_document ? PersonState::scheduled : PersonState::awaiting_document);
  world.people.detention_start[p] = world.day;
  if (has_document) flights::make_ready(world, p);
  schedule_review(world, p, std::int32_t(world.now.removing_state.custody_review_days));
  return true;
}

void on_sentence_end(World& world, std::uint32_t p) {
  if (is_terminal(world.people.state[p])) return;
  world.flow(world.people.partner[p], Metric::prison_releases) += 1;
  begin_detention(world, p);
}

void on_custody_review(World& world, std::uint32_t p, std::int32_t detention_start) {
  auto& people = world.people;
  if (!is_detained(people.state[p]) || people.detention_start[p] != detention_start) return;  // stale
  const auto& removing = world.now.removing_state;
  if (people.state[p] == PersonState::scheduled) {
    // Removal is foreseeable while a valid document exists: look again later.
    schedule_review(world, p, std::int32_t(removing.custody_rereview_days));
    return;
  }
  const std::size_t k = people.partner[p];
  auto rng = world.person_stream(p, StreamPurpose::person_custody, std::uint64_t(world.day));
  if (rng.bernoulli(removing.release_prob)) {
    world.flow(k, Metric::custody_releases) += 1;
    if (review::left_undecided(world, p)) world.flow(k, Metric::custody_releases_undecided) += 1;
    review::note_custody_release(world, p);
    pipeline::set_state(world, p, PersonState::supervised);
  } else {
    world.flow(k, Metric::custody_holds) += 1;
    schedule_review(world, p, std::int32_t(removing.custody_review_days));
  }
}

void count_day(World& world) {
  const double cost_per_day = world.now.removing_state.detention_cost_per_day_usd;
  for (std::size_t k = 0; k < world.partners.size(); ++k) {
    const auto& stock = world.partners[k].stock;
    const double detained =
        double(stock[std::size_t(PersonState::detained)] + stock[std::size_t(PersonState::awaiting_document)] +
               stock[std::size_t(PersonState::scheduled)]);
    world.metric(world.month, k, Metric::bed_days) += detained;
    world.metric(world.month, k, Metric::detention_cost_usd) += detained * cost_per_day;
  }
}

}  // namespace readmit::custody
