// Amendments: each exempts exactly the persons it covers, from the day it
// enters into force; the annual cap counts per calendar year.
#include <catch2/catch.hpp>

#include "readmit/model/amendments.hpp"
#include "readmit/model/documents.hpp"
#include "readmit/model/pipeline.hpp"
#include "world_fixture.hpp"

using namespace readmit;
using readmit::test::TestWorld;

TEST_CASE("family_unity exempts exactly persons with a citizen spouse or a child under the age",
          "[model][amendments]") {
  TestWorld t({"amendment_rules.family_unity.child_under_age_years=10"});
  const auto citizen_spouse = t.add(StartState::detained, [](auto& n) { n.spouse = SpouseStatus::citizen; });
  const auto resident_spouse = t.add(StartState::detained, [](auto& n) { n.spouse = SpouseStatus::resident; });
  const auto young_child = t.add(StartState::supervised, [](auto& n) { n.child_ages = {9.5f}; });
  const auto older_child = t.add(StartState::detained, [](auto& n) { n.child_ages = {10.5f}; });
  const auto removed = t.add(StartState::detained, [](auto& n) { n.spouse = SpouseStatus::citizen; });
  pipeline::set_state(t.world, removed, PersonState::removed);
  amendments::set(t.world, 0, AmendmentKind::family_unity, true, "test");
  CHECK(t.world.people.state[citizen_spouse] == PersonState::exempted);
  CHECK(t.world.people.state[young_child] == PersonState::exempted);
  CHECK(t.world.people.state[resident_spouse] == PersonState::detained);
  CHECK(t.world.people.state[older_child] == PersonState::detained);
  CHECK(t.world.people.state[removed] == PersonState::removed);  // terminal states are not touched
  CHECK(t.flow(Metric::exemptions) == 2);
  REQUIRE(t.world.result.events.size() == 1);
  CHECK(t.world.result.events[0].kind == "amendment_in_force");
  CHECK(t.world.result.events[0].detail == "family_unity by test");
}

TEST_CASE("childhood_arrival and long_residence cover by age at arrival and residence on the day",
          "[model][amendments]") {
  TestWorld t({"amendment_rules.childhood_arrival.under_age_years=12", "amendment_rules.long_residence.min_years=20"});
  const auto child = t.add(StartState::detained, [](auto& n) { n.age_at_arrival_years = 11.9f; });
  const auto teen = t.add(StartState::detained, [](auto& n) { n.age_at_arrival_years = 12.1f; });
  const auto resident = t.add(StartState::detained, [](auto& n) { n.years_resident = 19.5f; });
  amendments::set(t.world, 0, AmendmentKind::childhood_arrival, true, "test");
  CHECK(t.world.people.state[child] == PersonState::exempted);
  CHECK(t.world.people.state[teen] == PersonState::detained);
  amendments::set(t.world, 0, AmendmentKind::long_residence, true, "test");
  CHECK(t.world.people.state[resident] == PersonState::detained);
  t.world.day = 200;  // 19.5 years + 200 days >= 20 years
  CHECK(amendments::covered(t.world, resident));
  CHECK(amendments::exempt_if_covered(t.world, resident));
  CHECK(t.world.people.state[resident] == PersonState::exempted);
}

TEST_CASE("a request is not sent for a covered person; an amendment for another partner covers nobody here",
          "[model][amendments]") {
  TestWorld t({"amendment_rules.childhood_arrival.under_age_years=12"});
  const auto child = t.add(StartState::detained, [](auto& n) { n.age_at_arrival_years = 3; });
  t.world.partners[0].amendments.in_force[std::size_t(AmendmentKind::childhood_arrival)] = true;
  documents::on_request_due(t.world, child, 0);
  CHECK(t.world.people.state[child] == PersonState::exempted);
  CHECK(t.world.people.requests_made[child] == 0);
  CHECK(t.flow(Metric::requests) == 0);
}

TEST_CASE("amendments enter into force on their date for the partners listed", "[model][amendments]") {
  TestWorld t({"amendment_rules.advance_notice.in_force_from=2020-03-01"});
  t.world.day = t.world.day_of(Date::from_ymd(2020, 2, 29));
  amendments::enter_into_force(t.world);
  CHECK_FALSE(amendments::in_force(t.world, 0, AmendmentKind::advance_notice));
  t.world.day += 1;
  amendments::enter_into_force(t.world);
  CHECK(amendments::in_force(t.world, 0, AmendmentKind::advance_notice));
}

TEST_CASE("the annual cap counts acceptances per calendar year", "[model][amendments]") {
  TestWorld t({"amendment_rules.annual_cap.removals_per_year=2"});
  CHECK_FALSE(amendments::cap_reached(t.world, 0));
  amendments::count_cap_acceptance(t.world, 0);
  amendments::count_cap_acceptance(t.world, 0);
  CHECK(amendments::cap_reached(t.world, 0));
  t.world.day = t.world.day_of(Date::from_ymd(2021, 1, 1));
  CHECK_FALSE(amendments::cap_reached(t.world, 0));
}

TEST_CASE("vulnerable: arrived as a child, high mental-health risk, or a young child", "[model][amendments]") {
  TestWorld t(
      {"partners.alpha.returnees.child_arrival_age_years=13", "partners.alpha.household.young_child_age_years=5"});
  CHECK(amendments::vulnerable(t.world, t.add(StartState::detained, [](auto& n) { n.age_at_arrival_years = 8; })));
  CHECK(amendments::vulnerable(t.world,
                               t.add(StartState::detained, [](auto& n) { n.mental_health = MentalHealthRisk::high; })));
  CHECK(amendments::vulnerable(t.world, t.add(StartState::detained, [](auto& n) { n.child_ages = {2}; })));
  CHECK_FALSE(amendments::vulnerable(t.world, t.add(StartState::detained, [](auto& n) { n.child_ages = {7}; })));
}
