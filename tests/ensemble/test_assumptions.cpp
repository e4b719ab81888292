// What an answer rests on: declared ranges moved to their ends with common
// random numbers (compare --assumptions), and drawn per replication
// (--uncertainty assumptions).
#include <catch2/catch.hpp>

#include <algorithm>

#include "engine/engine_fixtures.hpp"
#include "readmit/app/assumptions.hpp"

using namespace readmit;
using readmit::test::make_scenario;

namespace {

/// The quiet partner with 40 detainees a month; acceptance declared in [0, 1].
std::vector<std::string> ranged(std::vector<std::string> more) {
  std::vector<std::string> o = {
      "partners.alpha.population.inflow_per_month=40",
      "partners.alpha.agreement.acceptance_base_prob={value: 1, range: [0, 1], reason: what the partner accepts}",
      "partners.alpha.returnees.homelessness_hazard_per_month={value: 0.01, range: [0.005, 0.02], reason: unknown}",
      "removing_state.raid_size={value: 5, range: [2, 8], origin: fitted, reason: a whole number}",
      "horizon_months=12"};
  o.insert(o.end(), more.begin(), more.end());
  return o;
}

std::size_t index_of(const Scenario& s, std::string_view suffix) {
  for (std::size_t i = 0; i < s.declared_ranges.size(); ++i)
    if (s.declared_ranges[i].path.ends_with(suffix)) return i;
  FAIL("no declared range " << suffix);
  return 0;
}

const RobustnessFlag& flag_of(const AssumptionAnalysis& a, std::string_view metric) {
  return *std::find_if(a.flags.begin(), a.flags.end(),
                       [&](const RobustnessFlag& f) { return f.metric == metric && f.partner == "all"; });
}

}  // namespace

TEST_CASE("declared ranges are set and drawn by path, the same in every scenario that declares them",
          "[ensemble][assumptions]") {
  const Scenario s = make_scenario(ranged({}));
  REQUIRE(s.declared_ranges.size() == 3);
  const std::size_t a = index_of(s, "acceptance_base_prob"), r = index_of(s, "raid_size");
  const auto& acceptance = s.declared_ranges[a];
  CHECK(acceptance.path == "partners.alpha.agreement.acceptance_base_prob");
  CHECK(with_declared_value(s, acceptance, 0.25).partners[0].agreement.acceptance_base_prob == 0.25);
  const auto& raids = s.declared_ranges[r];
  CHECK(raids.integer);
  CHECK(raids.origin == ValueOrigin::fitted);
  CHECK(with_declared_value(s, raids, 6.6).removing_state.raid_size == 7);
  std::vector<double> raid_draws;
  for (std::uint64_t k = 0; k < 200; ++k) {
    const auto draws = assumption_draws(s, k);
    REQUIRE(draws.size() == 3);
    CHECK(draws[a] >= 0.0);
    CHECK(draws[a] <= 1.0);
    CHECK(draws[r] == std::floor(draws[r]));
    raid_draws.push_back(draws[r]);
    CHECK(assumption_draws(s, k) == draws);  // keyed, not sequential
  }
  CHECK(*std::min_element(raid_draws.begin(), raid_draws.end()) == 2);
  CHECK(*std::max_element(raid_draws.begin(), raid_draws.end()) == 8);
  CHECK(assumption_draws(s, 0) != assumption_draws(s, 1));
  // Another scenario declaring one of the ranges draws it alike.
  const Scenario other = make_scenario(
      {"removing_state.raid_size={value: 3, range: [2, 8], reason: the same range elsewhere}", "horizon_months=12"});
  CHECK(assumption_draws(other, 5)[0] == assumption_draws(s, 5)[r]);
  const Scenario drawn = with_assumptions_drawn(s, 5);
  CHECK(drawn.partners[0].agreement.acceptance_base_prob == assumption_draws(s, 5)[a]);
}

TEST_CASE("each paired difference is robust, sign-uncertain or fixed across the declared ranges",
          "[ensemble][assumptions]") {
  const Scenario base = make_scenario(ranged({}));
  // The alternative grounds every flight: fewer removals, unless the partner accepts nobody anyway.
  Scenario grounded = make_scenario(ranged({"partners.alpha.flights.charter_seats=0"}));
  grounded.name = "grounded";
  const auto analysis = analyse_assumptions({&base, &grounded}, 12, 2);
  const auto& removals = flag_of(analysis, "removals");
  CHECK(removals.nominal.mean < 0);
  CHECK(removals.flag == Robustness::sign_uncertain);
  CHECK(removals.flipped_by == std::vector<std::string>{"partners.alpha.agreement.acceptance_base_prob"});
  // No sanction in either: fixed, and no range moves it.
  const auto& sanctioned = flag_of(analysis, "months_under_sanction");
  CHECK(sanctioned.flag == Robustness::fixed);
  CHECK(sanctioned.moved_by.empty());
  // One row per alternative, range, metric and slot.
  CHECK(analysis.rows.size() == 3 * analysis.metrics.size() * 2);
  // The baseline against itself with more detention: robust fewer... every row pairs the same replications.
  const auto row = std::find_if(analysis.rows.begin(), analysis.rows.end(), [](const AssumptionRow& r) {
    return r.metric == "removals" && r.partner == "all" && r.parameter.ends_with("acceptance_base_prob");
  });
  REQUIRE(row != analysis.rows.end());
  CHECK(row->at_low.mean == 0);  // acceptance 0: nobody removed either way
  CHECK(row->at_high.mean < 0);
}
