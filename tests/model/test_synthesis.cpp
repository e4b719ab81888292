// Population synthesis: the docket and the inflow, drawn from each person's
// own streams.
#include <catch2/catch.hpp>

#include <cmath>

#include "readmit/model/synthesis.hpp"
#include "world_fixture.hpp"

using namespace readmit;
using readmit::test::TestWorld;

namespace {

bool same(const synthesis::NewPerson& a, const synthesis::NewPerson& b) {
  return a.age_at_arrival_years == b.age_at_arrival_years && a.years_resident == b.years_resident &&
         a.entry_status == b.entry_status && a.spouse == b.spouse && a.child_ages == b.child_ages &&
         a.start == b.start && a.sentence_days == b.sentence_days;
}

}  // namespace

TEST_CASE("a person's draws depend only on the seed, the replication, the partner and the person",
          "[model][synthesis]") {
  TestWorld one({"removing_state.relief_hazard_per_month=0.01"});
  TestWorld two({"removing_state.relief_hazard_per_month=0.01"});
  CHECK(same(synthesis::draw(one.world, 0, 5, true, one.world.today()),
             synthesis::draw(two.world, 0, 5, true, two.world.today())));
  CHECK_FALSE(same(synthesis::draw(one.world, 0, 5, true, one.world.today()),
                   synthesis::draw(one.world, 0, 6, true, one.world.today())));
  World other_replication(one.scenario, 1);
  CHECK_FALSE(same(synthesis::draw(one.world, 0, 5, true, one.world.today()),
                   synthesis::draw(other_replication, 0, 5, true, other_replication.today())));
  // Common random numbers: adding a partner does not change the first partner's persons.
  TestWorld wider({"removing_state.relief_hazard_per_month=0.01"},
                  readmit::test::quiet_base_yaml + readmit::test::quiet_partner_yaml("beta"));
  CHECK(same(synthesis::draw(one.world, 0, 5, true, one.world.today()),
             synthesis::draw(wider.world, 0, 5, true, wider.world.today())));
}

TEST_CASE("the docket reproduces its configured shares and distributions", "[model][synthesis]") {
  constexpr int docket = 20000;
  TestWorld t({"partners.alpha.population.docket_at_start=20000",
               "partners.alpha.population.initial_state_shares={prison: 0.2, detained: 0.1, supervised: 0.7}",
               "partners.alpha.population.entry_status_shares={refugee: 0.6, permanent_resident: 0.3, other: 0.1}",
               "partners.alpha.population.age_at_arrival_years={dist: uniform, min: 0, max: 20}",
               "partners.alpha.population.pending_request_prob=0.5",
               "partners.alpha.population.pending_request_max_age_days=1000",
               "partners.alpha.cooperation.initial=0.7"});
  synthesis::synthesize_docket(t.world);
  const auto& people = t.world.people;
  REQUIRE(people.size() == docket);
  auto near = [](double count, double share) {
    return std::abs(count - share * docket) < 4 * std::sqrt(docket * share * (1 - share));
  };
  const auto& stock = t.world.partners[0].stock;
  CHECK(near(double(stock[std::size_t(PersonState::prison)]), 0.2));
  CHECK(near(double(stock[std::size_t(PersonState::supervised)]), 0.7));
  int refugees = 0, pending = 0;
  double age_sum = 0;
  for (std::uint32_t p = 0; p < people.size(); ++p) {
    refugees += people.entry_status[p] == EntryStatus::refugee ? 1 : 0;
    age_sum += people.age_at_arrival_years[p];
    if (people.request[p] != RequestStatus::none) {
      ++pending;
      REQUIRE(people.state[p] == PersonState::supervised);
      REQUIRE(people.request_day[p] <= 0);
      REQUIRE(people.request_day[p] >= -1000);
    }
  }
  CHECK(near(refugees, 0.6));
  CHECK(age_sum / docket == Approx(10).epsilon(0.02));
  CHECK(near(pending, 0.7 * 0.5));
  // Old requests are the initial state, not a flow of the first month.
  CHECK(t.flow(Metric::requests) == 0);
  CHECK(t.world.partners[0].diplomacy.cooperation == 0.7);
}

TEST_CASE("a month's arrivals are drawn on days of that month, in order", "[model][synthesis]") {
  TestWorld t({"partners.alpha.population.inflow_per_month=400"});
  synthesis::schedule_arrivals(t.world, 1);  // February 2020: days 31 to 59
  std::size_t arrivals = 0;
  std::uint32_t first = no_person;
  for (std::int32_t day = 0; day < 90; ++day)
    for (const auto& e : t.world.partners[0].calendar.bucket(day)) {
      REQUIRE(e.kind == EventKind::arrival);
      REQUIRE(day >= 31);
      REQUIRE(day < 60);
      if (first == no_person) first = e.person;
      ++arrivals;
    }
  CHECK(std::abs(double(arrivals) - 400) < 4 * 20);
  // Their persons exist from the month's first day, but enter on their own day.
  CHECK(t.world.people.size() == arrivals);
  CHECK_FALSE(t.world.people.entered(first));
  CHECK(t.world.partners[0].stock[std::size_t(PersonState::detained)] == 0);
  t.world.day = 40;
  synthesis::on_arrival(t.world, 0, first);
  CHECK(t.world.people.entered(first));
  CHECK(t.world.people.entry_day[first] == 40);
  CHECK(t.world.people.state[first] == PersonState::detained);  // the quiet scenario's inflow starts detained
  CHECK(t.flow(Metric::arrivals) == 1);
}
