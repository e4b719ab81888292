// Households at removal and in detention; returnees' follow-up.
#include <catch2/catch.hpp>

#include <cmath>

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
  households::count_day(t.world, 0);
  households::count_day(t.world, 0);
  CHECK(t.flow(Metric::child_days_separated) == 4);
}

TEST_CASE("returnees: programme places in removal order, then hazards, until follow-up ends", "[model][returnees]") {
  TestWorld t({"partners.alpha.returnees.severe_outcome_hazard_per_month=0",
               "partners.alpha.returnees.homelessness_hazard_per_month=1",
               "partners.alpha.returnees.reintegration_capacity_per_month=1",
               "partners.alpha.returnees.reintegration_months=3", "partners.alpha.returnees.reintegration_multiplier=0",
               "partners.alpha.returnees.followup_months=6"});
  const auto first = t.add(StartState::detained);
  const auto second = t.add(StartState::detained);
  returnees::enrol(t.world, first);
  returnees::enrol(t.world, second);
  returnees::follow(t.world, 0, 0);
  CHECK(t.flow(Metric::reintegration_admissions) == 1);
  // The programme's multiplier 0 spares the first for its 3 months; the
  // second becomes homeless at once, and is counted once.
  CHECK(t.flow(Metric::homelessness) == 1);
  CHECK(t.world.metric(0, 0, Metric::returnees_followed) == 2);
  for (int month = 1; month < 8; ++month) {
    t.world.month = month;
    returnees::follow(t.world, 0, month);
    CHECK(t.world.metric(month, 0, Metric::homelessness) == (month == 3 ? 1 : 0));
    CHECK(t.world.metric(month, 0, Metric::returnees_followed) == (month < 6 ? 2 : 0));
  }
}

TEST_CASE("a severe outcome ends follow-up in its month", "[model][returnees]") {
  TestWorld t({"partners.alpha.returnees.severe_outcome_hazard_per_month=1",
               "partners.alpha.returnees.remigration_hazard_per_month=1"});
  const auto p = t.add(StartState::detained);
  returnees::enrol(t.world, p);
  returnees::follow(t.world, 0, 0);
  CHECK(t.flow(Metric::severe_outcomes) == 1);
  CHECK(t.flow(Metric::remigration_attempts) == 0);  // nothing else counts in the month of a severe outcome
  CHECK(t.world.metric(0, 0, Metric::returnees_followed) == 0);
}

TEST_CASE("waiting times give each month's events the law of a monthly Bernoulli draw", "[model][returnees]") {
  // 20,000 returnees, 24 months: severe 2% a month, re-migration 10% a month,
  // halved in a 6-month programme that everyone joins.
  constexpr int n = 20000;
  TestWorld t({"partners.alpha.returnees.severe_outcome_hazard_per_month=0.02",
               "partners.alpha.returnees.homelessness_hazard_per_month=0",
               "partners.alpha.returnees.remigration_hazard_per_month=0.1",
               "partners.alpha.returnees.reintegration_capacity_per_month=20000",
               "partners.alpha.returnees.reintegration_months=6",
               "partners.alpha.returnees.reintegration_multiplier=0.5", "partners.alpha.returnees.followup_months=24",
               "partners.alpha.returnees.child_arrival_age_years=0", "partners.alpha.returnees.no_ties_multiplier=1",
               "partners.alpha.returnees.medium_mental_health_multiplier=1",
               "partners.alpha.returnees.high_mental_health_multiplier=1"});
  for (int i = 0; i < n; ++i) returnees::enrol(t.world, t.add(StartState::detained));
  double severe = 0, attempts = 0, followed_months = 0;
  for (int month = 0; month < 24; ++month) {
    t.world.month = month;
    returnees::follow(t.world, 0, month);
    severe += t.world.metric(month, 0, Metric::severe_outcomes);
    attempts += t.world.metric(month, 0, Metric::remigration_attempts);
    followed_months += t.world.metric(month, 0, Metric::returnees_followed);
  }
  // Exact expectations by month: survival s_m, severe in month m, attempts
  // in months followed (an attempt is not counted in the month of a severe outcome).
  double survival = 1, expected_severe = 0, expected_attempts = 0, expected_followed = 0;
  for (int month = 0; month < 24; ++month) {
    const double factor = month < 6 ? 0.5 : 1.0;
    const double q = 0.02 * factor;
    expected_severe += survival * q;
    expected_attempts += survival * (1 - q) * 0.1 * factor;
    survival *= 1 - q;
    expected_followed += survival;
  }
  CHECK(std::abs(severe - n * expected_severe) < 4 * std::sqrt(n * expected_severe));
  CHECK(std::abs(attempts - n * expected_attempts) < 4 * std::sqrt(n * expected_attempts * 1.2));
  CHECK(followed_months / n == Approx(expected_followed).epsilon(0.01));
}
