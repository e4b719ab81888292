// Documents: requests, the partner's officers (servers = officers x
// cooperation), decisions and their outcomes, validity.
#include <catch2/catch.hpp>

#include "readmit/model/documents.hpp"
#include "world_fixture.hpp"

using namespace readmit;
using readmit::test::TestWorld;

TEST_CASE("a request joins the officers' queue; a decision issues a document and schedules the person",
          "[model][documents]") {
  TestWorld t({"partners.alpha.agreement.decision_time_days=5"});
  const auto p = t.add(StartState::detained);
  documents::on_request_due(t.world, p, 0);
  CHECK(t.world.people.request[p] == RequestStatus::queued);
  CHECK(t.world.people.state[p] == PersonState::awaiting_document);
  CHECK(t.flow(Metric::requests) == 1);
  documents::start_decisions(t.world, 0);
  CHECK(t.world.people.request[p] == RequestStatus::in_decision);
  REQUIRE(t.due(5, EventKind::decision, p) == 1);
  t.world.day = 5;
  documents::on_decision(t.world, p, 1);
  CHECK(t.world.people.request[p] == RequestStatus::issued);
  CHECK(t.world.people.state[p] == PersonState::scheduled);
  CHECK(t.world.partners[0].scheduled.size() == 1);
  CHECK(t.flow(Metric::acceptances) == 1);
  CHECK(t.world.partners[0].desk.decision_days == std::vector<double>{5});
  // The document lapses after its validity unless used.
  CHECK(t.due(5 + 3650, EventKind::document_expiry, p) == 0);  // beyond the 24-month horizon: dropped
}

TEST_CASE("officers at work are officers x cooperation, rounded", "[model][documents]") {
  TestWorld t({"partners.alpha.agreement.document_officers=4", "partners.alpha.agreement.decision_time_days=30"});
  std::vector<std::uint32_t> persons;
  for (int i = 0; i < 10; ++i) persons.push_back(t.add(StartState::detained));
  for (auto p : persons) documents::on_request_due(t.world, p, 0);
  t.world.partners[0].diplomacy.cooperation = 0.5;
  CHECK(documents::document_servers(t.world, 0) == 2);
  documents::start_decisions(t.world, 0);
  CHECK(t.world.partners[0].desk.in_decision == 2);
  CHECK(t.world.partners[0].desk.queued == 8);
  // FIFO: the first two requests are being decided.
  CHECK(t.world.people.request[persons[0]] == RequestStatus::in_decision);
  CHECK(t.world.people.request[persons[1]] == RequestStatus::in_decision);
  CHECK(t.world.people.request[persons[2]] == RequestStatus::queued);
}

TEST_CASE("decision outcomes: category refusal, denial and re-request, expiry", "[model][documents]") {
  SECTION("a person of a refused category becomes unremovable") {
    TestWorld t({"partners.alpha.agreement.refuse_arrived_under_age_years=12"});
    const auto child = t.add(StartState::detained, [](auto& n) { n.age_at_arrival_years = 4; });
    const auto adult = t.add(StartState::detained);
    for (auto p : {child, adult}) documents::on_request_due(t.world, p, 0);
    documents::start_decisions(t.world, 0);
    t.world.day = 1;
    documents::on_decision(t.world, child, 1);
    documents::on_decision(t.world, adult, 1);
    CHECK(t.world.people.state[child] == PersonState::unremovable);
    CHECK(t.world.people.state[adult] == PersonState::scheduled);
    CHECK(t.flow(Metric::category_refusals) == 1);
  }
  SECTION("acceptance 0: denied, and asked again after rerequest_lag_days") {
    TestWorld t({"partners.alpha.agreement.acceptance_base_prob=0", "partners.alpha.agreement.rerequest_lag_days=60"});
    const auto p = t.add(StartState::detained);
    documents::on_request_due(t.world, p, 0);
    documents::start_decisions(t.world, 0);
    t.world.day = 1;
    documents::on_decision(t.world, p, 1);
    CHECK(t.world.people.request[p] == RequestStatus::rerequest_due);
    CHECK(t.flow(Metric::denials) == 1);
    CHECK(t.due(61, EventKind::request_due, p) == 1);
    t.world.day = 61;
    documents::on_request_due(t.world, p, 1);
    CHECK(t.world.people.requests_made[p] == 2);
    CHECK(t.world.people.request[p] == RequestStatus::queued);
  }
  SECTION("an unused document expires and the request starts again the next day") {
    TestWorld t({"partners.alpha.agreement.document_validity_days=30"});
    const auto p = t.add(StartState::detained);
    documents::on_request_due(t.world, p, 0);
    documents::start_decisions(t.world, 0);
    t.world.day = 1;
    documents::on_decision(t.world, p, 1);
    REQUIRE(t.world.people.document_expiry[p] == 30);
    REQUIRE(t.due(31, EventKind::document_expiry, p) == 1);
    t.world.day = 31;
    documents::on_document_expiry(t.world, p, 30);
    CHECK(t.world.people.request[p] == RequestStatus::rerequest_due);
    CHECK(t.world.people.state[p] == PersonState::awaiting_document);
    CHECK(t.flow(Metric::documents_expired) == 1);
    CHECK(t.due(32, EventKind::request_due, p) == 1);
  }
  SECTION("a stale decision (an earlier request) only frees the officer") {
    TestWorld t;
    const auto p = t.add(StartState::detained);
    documents::on_request_due(t.world, p, 0);
    documents::start_decisions(t.world, 0);
    REQUIRE(t.world.partners[0].desk.in_decision == 1);
    documents::on_decision(t.world, p, /*request_number=*/7);
    CHECK(t.world.partners[0].desk.in_decision == 0);
    CHECK(t.world.people.request[p] == RequestStatus::in_decision);
    CHECK(t.flow(Metric::decisions) == 0);
  }
}

TEST_CASE("the review's records: a request is open until decided or withdrawn", "[model][documents]") {
  TestWorld t;
  const auto p = t.add(StartState::detained);
  const auto q = t.add(StartState::detained);
  documents::on_request_due(t.world, p, 0);
  documents::on_request_due(t.world, q, 0);
  const auto& records = t.world.partners[0].conduct.requests;
  REQUIRE(records.size() == 2);
  CHECK(records[0].resolved_day == INT32_MAX);
  t.world.day = 3;
  documents::set_request(t.world, q, RequestStatus::none);  // withdrawn (relief, exemption)
  CHECK(records[1].resolved_day == 3);
  CHECK(records[1].withdrawn);
  documents::start_decisions(t.world, 0);
  t.world.day = 4;
  documents::on_decision(t.world, p, 1);
  CHECK(records[0].resolved_day == 4);
  CHECK_FALSE(records[0].withdrawn);
}
