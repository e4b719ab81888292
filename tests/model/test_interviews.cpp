// Interviews and raids: rounds every interview_interval_days, raids
// raid_lead_days before, round sizes.
#include <catch2/catch.hpp>

#include "readmit/model/documents.hpp"
#include "readmit/model/interviews.hpp"
#include "world_fixture.hpp"

using namespace readmit;
using readmit::test::TestWorld;

namespace {

const std::vector<std::string> interviewing = {
    "partners.alpha.agreement.interview_required=true", "partners.alpha.agreement.interview_interval_days=30",
    "partners.alpha.agreement.interview_round_size=2", "removing_state.raid_lead_days=5", "removing_state.raid_size=1"};

}  // namespace

TEST_CASE("an interview round takes detained persons in request order up to its size", "[model][interviews]") {
  TestWorld t(interviewing);
  t.world.partners[0].desk.next_round_day = 29;  // the cycle's phase, drawn per replication in a run
  std::vector<std::uint32_t> detained;
  for (int i = 0; i < 3; ++i) detained.push_back(t.add(StartState::detained));
  const auto outside = t.add(StartState::supervised);
  for (auto p : detained) documents::on_request_due(t.world, p, 0);
  documents::send_request(t.world, outside);
  for (auto p : detained) REQUIRE(t.world.people.request[p] == RequestStatus::awaiting_interview);
  // The raid, 5 days before the round on day 29, re-detains one person on supervision.
  t.world.day = 24;
  interviews::run_cycle(t.world, 0);
  CHECK(t.flow(Metric::raid_detentions) == 1);
  CHECK(t.world.people.state[outside] == PersonState::awaiting_document);
  CHECK(t.world.people.request_day[outside] == 24);  // a fresh packet
  t.world.day = 29;
  interviews::run_cycle(t.world, 0);
  CHECK(t.flow(Metric::interview_rounds) == 1);
  CHECK(t.flow(Metric::interviews) == 2);
  CHECK(t.world.people.request[detained[0]] == RequestStatus::queued);
  CHECK(t.world.people.request[detained[1]] == RequestStatus::queued);
  CHECK(t.world.people.request[detained[2]] == RequestStatus::awaiting_interview);
  CHECK(t.world.partners[0].desk.awaiting_interview_count == 2);
}

TEST_CASE("a partner that intends nothing sends no delegation: no raid, a refused round", "[model][interviews]") {
  TestWorld t(interviewing);
  t.world.partners[0].desk.next_round_day = 29;  // the cycle's phase, drawn per replication in a run
  const auto p = t.add(StartState::detained);
  const auto outside = t.add(StartState::supervised);
  documents::on_request_due(t.world, p, 0);
  documents::send_request(t.world, outside);
  t.world.partners[0].diplomacy.target = 0;  // its present stance: no interviews
  for (t.world.day = 0; t.world.day < 60; ++t.world.day) {
    CHECK(interviews::raid_bound(t.world, 0) == (t.world.day == 24 || t.world.day == 54 ? 1 : 0));
    interviews::run_cycle(t.world, 0);
  }
  CHECK(t.flow(Metric::raid_detentions) == 0);
  CHECK(t.flow(Metric::interview_rounds) == 0);
  CHECK(t.flow(Metric::interview_rounds_refused) == 2);
  CHECK(t.world.people.request[p] == RequestStatus::awaiting_interview);
  CHECK(t.world.partners[0].desk.round_number == 2);
}

TEST_CASE("when interviews are dropped, waiting requests go to the officers", "[model][interviews]") {
  TestWorld t(interviewing);
  t.world.partners[0].desk.next_round_day = 29;  // the cycle's phase, drawn per replication in a run
  const auto p = t.add(StartState::detained);
  documents::on_request_due(t.world, p, 0);
  t.world.now.partners[0].agreement.interview_required = false;
  interviews::run_cycle(t.world, 0);
  CHECK(t.world.people.request[p] == RequestStatus::queued);
  CHECK(t.world.partners[0].desk.awaiting_interview.empty());
}

TEST_CASE("a round whose raid day has passed unplanned is planned at once; a calendar left behind moves on",
          "[model][interviews]") {
  // The first round drawn on day 3, within the 5 days of raid lead of the start.
  TestWorld t(interviewing);
  t.world.partners[0].desk.next_round_day = 3;
  const auto outside = t.add(StartState::supervised);
  documents::send_request(t.world, outside);
  t.world.day = 1;
  CHECK(interviews::raid_bound(t.world, 0) == 1);
  interviews::run_cycle(t.world, 0);
  CHECK(t.flow(Metric::raid_detentions) == 1);  // planned and raided on day 1, not skipped
  CHECK(t.world.partners[0].desk.planned_round_size == 2);
  t.world.day = 3;
  interviews::run_cycle(t.world, 0);
  CHECK(t.flow(Metric::interview_rounds) == 1);
  CHECK(t.flow(Metric::interviews) == 1);
  CHECK(t.flow(Metric::interview_rounds_refused) == 0);
  // Interviews switched off for two cycles, then on: the next round falls on the cycle, planned afresh.
  t.world.day = 95;
  CHECK(interviews::raid_bound(t.world, 0) == 0);
  interviews::run_cycle(t.world, 0);
  CHECK(t.world.partners[0].desk.next_round_day == 123);  // 33 + 30 x 3
}
