// Households at removal and in detention; returnees' follow-up.
#include <catch2/catch.hpp>

#include "readmit/model/households.hpp"
#include "readmit/model/returnees.hpp"
#include "world_fixture.hpp"

using namespace readmit;
using readmit::test::TestWorld;

TEST_CASE("a household that stays behind counts its children and its earner", "[model][households]") {
  TestWorld t(
      {"partners.alpha.household.follow_prob_citizen_spouse=0", "partners.alpha.household.follow_prob_no_spouse=1"});
  const auto parent = t.add(StartState::detained, [](auto& n) {
    n.spouse = SpouseStatus::citizen;
    n.child_ages = {3, 9, 19};  // two minors
    n.main_earner = true;
  });
  const auto followed = t.add(StartState::detained, [](auto& n) { n.child_ages = {5}; });
  const auto alone = t.add(StartState::detained);
  households::on_removal(t.world, parent);
  households::on_removal(t.world, followed);
  households::on_removal(t.world, alone);
  CHECK(t.flow(Metric::children_affected) == 2);
  CHECK(t.flow(Metric::main_earners_lost) == 1);
  CHECK(t.flow(Metric::households_followed) == 1);
}

TEST_CASE("detention separates minor children: child-days", "[model][households]") {
  TestWorld t;
  t.add(StartState::detained, [](auto& n) { n.child_ages = {2, 4}; });
  t.add(StartState::supervised, [](auto& n) { n.child_ages = {2}; });
  households::count_day(t.world);
  households::count_day(t.world);
  CHECK(t.flow(Metric::child_days_separated) == 4);
}

TEST_CASE("returnees: programme places in removal order, hazards, end of follow-up", "[model][returnees]") {
  TestWorld t({"partners.alpha.returnees.severe_outcome_hazard_per_month=0",
               "partners.alpha.returnees.homelessness_hazard_per_month=1",
               "partners.alpha.returnees.reintegration_capacity_per_month=1",
               "partners.alpha.returnees.reintegration_multiplier=0", "partners.alpha.returnees.followup_months=2"});
  const auto first = t.add(StartState::detained);
  const auto second = t.add(StartState::detained);
  for (auto p : {first, second}) {
    t.world.people.removal_day[p] = 0;
    returnees::enrol(t.world, p);
  }
  returnees::follow(t.world, 0, 0);
  CHECK(t.flow(Metric::reintegration_admissions) == 1);
  // The programme's multiplier 0 spares the first; the second becomes homeless.
  CHECK(t.world.people.homeless[first] == 0);
  CHECK(t.world.people.homeless[second] == 1);
  CHECK(t.flow(Metric::homelessness) == 1);
  CHECK(t.world.metric(0, 0, Metric::returnees_followed) == 2);
  t.world.month = 2;
  returnees::follow(t.world, 0, 2);  // past followup_months
  CHECK(t.world.partners[0].returnees.empty());
}

TEST_CASE("a severe outcome ends follow-up", "[model][returnees]") {
  TestWorld t({"partners.alpha.returnees.severe_outcome_hazard_per_month=1"});
  const auto p = t.add(StartState::detained);
  t.world.people.removal_day[p] = 0;
  returnees::enrol(t.world, p);
  returnees::follow(t.world, 0, 0);
  CHECK(t.flow(Metric::severe_outcomes) == 1);
  CHECK(t.world.partners[0].returnees.empty());
}
