#include "readmit/model/pipeline.hpp"

#include <algorithm>

#include "readmit/model/documents.hpp"

namespace readmit::pipeline {

namespace {

StateTally& tally(World& world, std::uint32_t p, PersonState s) {
  return world.result.tallies[world.people.partner[p]][std::size_t(s)];
}

std::uint8_t minors_now(const World& world, std::uint32_t p) {
  return std::uint8_t(std::min(255, world.people.minor_children(p, world.day)));
}

}  // namespace

void place(World& world, std::uint32_t p, PersonState initial) {
  auto& people = world.people;
  const std::size_t k = people.partner[p];
  people.state_since[p] = world.day;
  people.state[p] = initial;
  ++world.partners[k].stock[std::size_t(initial)];
  tally(world, p, initial).entries += 1;
  if (is_detained(initial)) {
    ++world.partners[k].detained;
    people.detained_minors[p] = minors_now(world, p);
    world.partners[k].detained_minors += people.detained_minors[p];
  }
  ++people.token[p];
}

void set_state(World& world, std::uint32_t p, PersonState next) {
  auto& people = world.people;
  if (people.state_since[p] == no_day) {  // first placement of a new person
    place(world, p, next);
    return;
  }
  const std::size_t k = people.partner[p];
  auto& partner = world.partners[k];
  const PersonState previous = people.state[p];
  if (is_detained(previous) && !is_detained(next)) {
    partner.detained_minors -= people.detained_minors[p];
    people.detained_minors[p] = 0;
    --partner.detained;
  } else if (!is_detained(previous) && is_detained(next)) {
    people.detained_minors[p] = minors_now(world, p);
    partner.detained_minors += people.detained_minors[p];
    ++partner.detained;
  }
  const bool has_request = people.request[p] != RequestStatus::none;
  partner.supervised_with_request += std::int64_t(next == PersonState::supervised && has_request) -
                                     std::int64_t(previous == PersonState::supervised && has_request);
  StateTally& out = tally(world, p, previous);
  out.exits += 1;
  out.completed_stay_days += double(world.day - people.state_since[p]);
  tally(world, p, next).entries += 1;
  people.state_since[p] = world.day;
  ++partner.stock[std::size_t(next)];
  --partner.stock[std::size_t(previous)];
  people.state[p] = next;
  ++people.token[p];
}

void end_case(World& world, std::uint32_t p, PersonState terminal) {
  documents::set_request(world, p, RequestStatus::none);
  set_state(world, p, terminal);
}

void on_relief(World& world, std::uint32_t p) {
  if (is_terminal(world.people.state[p])) return;
  world.flow(world.people.partner[p], Metric::relief) += 1;
  end_case(world, p, PersonState::relief);
}

void count_day(World& world, std::size_t k) {
  const auto& partner = world.partners[k];
  auto& tallies = world.result.tallies[k];
  for (std::size_t st = 0; st < person_state_count; ++st) tallies[st].person_days += double(partner.stock[st]);
  tallies[document_queue_tally].person_days += double(partner.desk.queued);
}

}  // namespace readmit::pipeline
