// Populations from data (docs/model.md §7.1): entry cohorts make age at
// arrival and residence agree, and each amendment covers the share of the
// docket its terms select, reported month by month.
#include <catch2/catch.hpp>
#include <cmath>

#include "engine/engine_fixtures.hpp"

using namespace readmit;
using readmit::test::make_scenario;

namespace {

double first(const ReplicationResult& r, Metric m) { return r.monthly.at(0, 0, m); }

/// 4,000 persons on supervision drawn from `cohorts`, nobody removed.
ReplicationResult docket(const std::string& cohorts, std::vector<std::string> more = {}) {
  std::vector<std::string> o = {"partners.alpha.population.docket_at_start=4000",
                                "partners.alpha.population.initial_state_shares={supervised: 1}",
                                "partners.alpha.population.children_count=0", "horizon_months=2",
                                "partners.alpha.population.cohorts=" + cohorts};
  o.insert(o.end(), more.begin(), more.end());
  return run_replication(make_scenario(o), 0);
}

}  // namespace

TEST_CASE("a cohort's birth and arrival years set age at arrival and residence", "[model][population]") {
  // Arrived 1990 (30 years before the start), born 1985: aged 5 on arrival.
  const auto r = docket("{c: {arrival_year: 1990, birth_year: 1985}}");
  REQUIRE(first(r, Metric::docket_covered_childhood_arrival) == 1.0);  // under 12
  REQUIRE(first(r, Metric::docket_covered_long_residence) == 1.0);     // 20 years or more
  const auto recent = docket("{c: {arrival_year: 2010, birth_year: 1985}}");
  REQUIRE(first(recent, Metric::docket_covered_childhood_arrival) == 0.0);
  REQUIRE(first(recent, Metric::docket_covered_long_residence) == 0.0);
}

TEST_CASE("births after the arrival are drawn again: the docket holds no one born in the removing state",
          "[model][population]") {
  // Born uniformly 1960-2000, arrived 1990: among those born by 1990, the
  // share born after 1978 (under 12 on arrival) is 12/30.
  const auto r = docket("{c: {arrival_year: 1990, birth_year: {dist: uniform, min: 1960, max: 2000}}}");
  REQUIRE(first(r, Metric::docket_covered_childhood_arrival) == Approx(0.4).margin(0.03));
}

TEST_CASE("cohort weights set the docket's mix", "[model][population]") {
  const auto r = docket(
      "{children: {weight: 3, arrival_year: 1982, birth_year: 1978}, adults: {weight: 1, entry_status: "
      "permanent_resident, arrival_year: 2005, birth_year: 1970}}");
  REQUIRE(first(r, Metric::docket_covered_childhood_arrival) == Approx(0.75).margin(0.03));
  REQUIRE(first(r, Metric::docket_covered_long_residence) == Approx(0.75).margin(0.03));
}

TEST_CASE("family_unity covers persons with a citizen spouse or a minor child", "[model][population]") {
  const auto r = docket("{c: {arrival_year: 1990, birth_year: 1985}}",
                        {"partners.alpha.population.spouse_shares={citizen: 0.3, resident: 0.2, none: 0.5}"});
  REQUIRE(first(r, Metric::docket_covered_family_unity) == Approx(0.3).margin(0.03));
}

TEST_CASE("old requests are back-dated no further than the person's residence", "[model][population]") {
  // Everyone arrived a year before the start; requests pending at the start
  // may be up to ten years old by default, but not older than the stay.
  const auto s = make_scenario({"partners.alpha.population.docket_at_start=500",
                                "partners.alpha.population.initial_state_shares={supervised: 1}",
                                "partners.alpha.population.pending_request_prob=1",
                                "partners.alpha.population.cohorts={c: {arrival_year: 2019, birth_year: 1990}}",
                                "removing_state.redetention_prob=1", "horizon_months=2"});
  const auto r = run_replication(s, 0);
  REQUIRE(r.removals[0].size() > 400);
  for (const auto& removal : r.removals[0]) REQUIRE(removal.days_request_to_removal <= 365.25f + 60.0f);
}
