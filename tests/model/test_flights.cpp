// Flights: seats, charters and the partner's acceptance, itinerary notice,
// drop-offs.
#include <catch2/catch.hpp>

#include "readmit/model/documents.hpp"
#include "readmit/model/flights.hpp"
#include "world_fixture.hpp"

using namespace readmit;
using readmit::test::TestWorld;

namespace {

/// n persons detained with a valid document, scheduled on day 0.
std::vector<std::uint32_t> scheduled_persons(TestWorld& t, int n) {
  std::vector<std::uint32_t> persons;
  for (int i = 0; i < n; ++i) {
    const auto p = t.add(StartState::detained);
    documents::on_request_due(t.world, p, 0);
    persons.push_back(p);
  }
  documents::start_decisions(t.world, 0);
  for (auto p : persons) documents::on_decision(t.world, p, 1);
  return persons;
}

}  // namespace

TEST_CASE("a charter fills its seats in order of readiness; the rest wait", "[model][flights]") {
  TestWorld t({"partners.alpha.flights.charter_seats=3", "partners.alpha.flights.charter_interval_days=7",
               "partners.alpha.flights.charter_offset_days=0"});
  const auto persons = scheduled_persons(t, 5);
  t.world.day = 7;
  flights::fly(t.world, 0);
  CHECK(t.flow(Metric::removals) == 3);
  CHECK(t.flow(Metric::charters_flown) == 1);
  for (int i = 0; i < 3; ++i) CHECK(t.world.people.state[persons[std::size_t(i)]] == PersonState::removed);
  for (int i = 3; i < 5; ++i) CHECK(t.world.people.state[persons[std::size_t(i)]] == PersonState::scheduled);
  CHECK(t.world.partners[0].scheduled.size() == 2);
  CHECK(t.world.result.removals[0].size() == 3);
  CHECK(t.world.partners[0].new_returnees.size() == 3);
}

TEST_CASE("no charter on other days; a refused charter is counted when someone could have flown", "[model][flights]") {
  TestWorld t(
      {"partners.alpha.flights.charter_interval_days=7", "partners.alpha.flights.charter_acceptance_base_prob=0"});
  t.world.day = 3;
  flights::fly(t.world, 0);
  CHECK(t.world.partners[0].charter_number == 0);
  t.world.day = 7;
  flights::fly(t.world, 0);  // refused, but nobody was ready: not counted
  CHECK(t.flow(Metric::charters_refused) == 0);
  scheduled_persons(t, 2);
  t.world.day = 14;
  flights::fly(t.world, 0);
  CHECK(t.flow(Metric::charters_refused) == 1);
  CHECK(t.flow(Metric::removals) == 0);
}

TEST_CASE("the itinerary notice and document validity decide who may board", "[model][flights]") {
  // Commercial seats only (no charter cycle): the removing state flies to the partner, so it detains.
  TestWorld t({"removing_state.itinerary_notice_days=10", "partners.alpha.flights.charter_interval_days=0",
               "partners.alpha.flights.commercial_seats_per_week=1"});
  const auto persons = scheduled_persons(t, 2);
  t.world.day = 5;
  CHECK(flights::board(t.world, 0, 10) == 0);
  t.world.day = 10;
  t.world.people.document_expiry[persons[1]] = 9;  // lapsed (its expiry event not yet handled)
  CHECK(flights::board(t.world, 0, 10) == 1);
  CHECK(t.world.people.state[persons[0]] == PersonState::removed);
}

TEST_CASE("commercial seats fly weekly", "[model][flights]") {
  TestWorld t({"partners.alpha.flights.charter_interval_days=0", "partners.alpha.flights.commercial_seats_per_week=1"});
  scheduled_persons(t, 3);
  for (t.world.day = 0; t.world.day < 14; ++t.world.day) flights::fly(t.world, 0);
  CHECK(t.flow(Metric::removals) == 2);  // days 6 and 13
}

TEST_CASE("drop-offs at the gate end in a stay or relief", "[model][flights]") {
  SECTION("a stay: back on supervision, the document void, a new request later") {
    TestWorld t({"removing_state.flight_dropoff_prob=1", "removing_state.dropoff_relief_prob=0",
                 "partners.alpha.agreement.rerequest_lag_days=20"});
    const auto p = scheduled_persons(t, 1)[0];
    CHECK(flights::board(t.world, 0, 1) == 0);
    CHECK(t.world.people.state[p] == PersonState::supervised);
    CHECK(t.world.people.request[p] == RequestStatus::rerequest_due);
    CHECK(t.flow(Metric::stay_releases) == 1);
    CHECK(t.due(20, EventKind::request_due, p) == 1);
  }
  SECTION("relief ends the case") {
    TestWorld t({"removing_state.flight_dropoff_prob=1", "removing_state.dropoff_relief_prob=1"});
    const auto p = scheduled_persons(t, 1)[0];
    flights::board(t.world, 0, 1);
    CHECK(t.world.people.state[p] == PersonState::relief);
    CHECK(t.flow(Metric::relief) == 1);
  }
}
