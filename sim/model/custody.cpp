#include "readmit/model/custody.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include "readmit/model/flights.hpp"
#include "readmit/model/pipeline.hpp"
#include "readmit/model/review.hpp"

namespace readmit::custody {

namespace {

void schedule_review(World& world, std::uint32_t p, std::int32_t after_days) {
  const auto& people = world.people;
  world.schedule(world.day + after_days, {p, people.partner[p], EventKind::custody_review, people.detention_start[p]});
}

void schedule_first_request(World& world, std::uint32_t p) {
  const auto& people = world.people;
  world.schedule(world.day + std::int32_t(world.now.removing_state.request_lag_days),
                 {p, people.partner[p], EventKind::request_due, people.requests_made[p]});
}

}  // namespace

bool has_bed(const World& world, std::size_t k) {
  if (world.partners[k].beds_assured) return true;
  return beds_in_use(world) < world.now.removing_state.detention_beds;
}

std::int64_t beds_in_use(const World& world) {
  std::int64_t in_use = 0;
  for (const auto& partner : world.partners) in_use += partner.detained;
  return in_use;
}

void begin_detention(World& world, std::uint32_t p) {
  const std::size_t k = world.people.partner[p];
  if (!flights::can_fly(world, k)) {
    // Detention is for removal: without flights the removing state does not detain.
    pipeline::set_state(world, p, PersonState::supervised);
    world.flow(k, Metric::released_no_flight) += 1;
    schedule_first_request(world, p);
    return;
  }
  if (!has_bed(world, k)) {
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

void for_each_partner_sharing_beds(World& world, std::span<const std::int64_t> most_beds,
                                   const std::function<void(std::size_t)>& run) {
  const std::int64_t beds = world.now.removing_state.detention_beds;
  const std::size_t partners = world.partners.size();
  for (std::size_t k = 0; k < partners;) {
    std::int64_t worst = beds_in_use(world);
    std::size_t end = k;
    while (end < partners && worst + most_beds[end] <= beds) worst += most_beds[end++];
    if (end == k) {  // the beds may run out: this partner alone, counting them
      run(k++);
      continue;
    }
    if (end == k + 1) {  // a wave of one: no tasks to spawn
      run(k++);
      continue;
    }
    for (std::size_t j = k; j < end; ++j) world.partners[j].beds_assured = true;
    // One task per partner: their sizes differ by orders of magnitude.
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(k, end, 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t j = range.begin(); j != range.end(); ++j) run(j);
        },
        tbb::simple_partitioner());
    for (std::size_t j = k; j < end; ++j) world.partners[j].beds_assured = false;
    k = end;
  }
}

bool redetain(World& world, std::uint32_t p) {
  const std::size_t k = world.people.partner[p];
  if (!flights::can_fly(world, k) || !has_bed(world, k)) return false;
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

void count_day(World& world, std::size_t k) {
  const double detained = double(world.partners[k].detained);
  world.metric(world.month, k, Metric::bed_days) += detained;
  world.metric(world.month, k, Metric::detention_cost_usd) +=
      detained * world.now.removing_state.detention_cost_per_day_usd;
}

}  // namespace readmit::custody
