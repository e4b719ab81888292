// What an answer rests on: declared ranges moved to their ends with common
// random numbers (compare --assumptions), and drawn per replication
// (--uncertainty assumptions).
#include <catch2/catch.hpp>

#include <algorithm>

#include "engine/engine_fixtures.hpp"
#include "readmit/app/assumptions.hpp"
#include "readmit/engine/ensemble.hpp"

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

TEST_CASE("a difference that a dated input decides is fixed, not a measurement", "[ensemble][assumptions]") {
  const Scenario base = make_scenario(ranged({"sanctions.allow_deescalation=false"}));
  // The alternative dates a sanction in month 3: the months under it are the same in every replication.
  Scenario dated = base;
  dated.name = "dated_sanction";
  TimelineEvent decision;
  decision.date = base.start_date.plus_days(60);
  decision.note = "a dated decision";
  decision.sanction = TimelineEvent::SanctionDecision{0, 1};
  dated.timeline.push_back(decision);
  const auto analysis = analyse_assumptions({&base, &dated}, 8, 2);
  const auto& months = flag_of(analysis, "months_under_sanction");
  REQUIRE(months.nominal.mean > 0);
  CHECK(months.flag == Robustness::fixed);
  CHECK_THAT(months.pinned_by, Catch::Contains("the same difference in every replication"));
  CHECK(months.moved_by.empty());
  // The fixture's partner does not answer sanctions: its removals are equal, which is fixed too.
  CHECK(flag_of(analysis, "removals").pinned_by == "equal in every replication");
}

TEST_CASE("a range an alternative sets itself is not moved for it", "[ensemble][assumptions]") {
  const Scenario base = make_scenario(ranged({}));
  // Its own acceptance, declared `range: none`: the difference is what it changes.
  Scenario own =
      make_scenario(ranged({"partners.alpha.agreement.acceptance_base_prob={value: 0.5, range: none, "
                            "reason: the alternative's choice}"}));
  own.name = "half_accepted";
  REQUIRE(own.declared_ranges.size() == 2);
  const auto analysis = analyse_assumptions({&base, &own}, 8, 2);
  REQUIRE(analysis.alternatives == std::vector<std::string>{"half_accepted"});
  CHECK(analysis.kept_apart.front() == std::vector<std::string>{"partners.alpha.agreement.acceptance_base_prob"});
  // At acceptance 0 the baseline removes nobody; the alternative keeps its 0.5 and removes some.
  const auto row = std::find_if(analysis.rows.begin(), analysis.rows.end(), [](const AssumptionRow& r) {
    return r.metric == "removals" && r.partner == "all" && r.parameter.ends_with("acceptance_base_prob");
  });
  REQUIRE(row != analysis.rows.end());
  CHECK(row->at_low.mean > 0);
  const std::string text = robustness_text(analysis);
  CHECK_THAT(text, Catch::Contains("not moved in half_accepted, which sets its own value: "
                                   "partners.alpha.agreement.acceptance_base_prob"));
  CHECK_THAT(text, Catch::Contains("months_under_sanction"));
  CHECK_THAT(text, Catch::Contains("fixed: zero in both in every replication; no range moves it"));
}

TEST_CASE("the variance of a total splits into what the ranges and what chance contribute", "[ensemble][assumptions]") {
  // Pairs share a draw: equal within pairs, all the variance is the ranges'.
  const auto ranges_only = variance_split("all", "removals", {1, 1, 5, 5, 9, 9});
  CHECK(ranges_only.chance_variance == 0);
  CHECK(ranges_only.assumption_share == 1);
  // The pairs' means equal: all of it is chance.
  const auto chance_only = variance_split("all", "removals", {1, 3, 3, 1, 1, 3});
  CHECK(chance_only.chance_variance == Approx(2));
  CHECK(chance_only.assumption_share == 0);
  // Var(1, 3, 11, 13) = (36 + 16 + 16 + 36) / 3; chance: (2 + 2) / 2 = 2.
  const auto both = variance_split("all", "removals", {1, 3, 11, 13});
  CHECK(both.variance == Approx(104.0 / 3));
  CHECK(both.chance_variance == Approx(2));
  CHECK(both.assumption_share == Approx(1 - 2 / both.variance));
  CHECK(std::isnan(variance_split("all", "removals", {4}).assumption_share));
}

TEST_CASE("assumption_scenarios draws one value per pair of replications, whatever the thread count",
          "[ensemble][assumptions]") {
  const Scenario s = make_scenario(ranged({}));
  const auto scenario_for = assumption_scenarios(s);
  CHECK(scenario_for(4).partners[0].agreement.acceptance_base_prob ==
        scenario_for(5).partners[0].agreement.acceptance_base_prob);
  CHECK(scenario_for(4).partners[0].agreement.acceptance_base_prob ==
        assumption_draws(s, 2)[index_of(s, "acceptance_base_prob")]);
  EnsembleOptions one, two;
  one.replications = two.replications = 6;
  one.threads = 1;
  two.threads = 2;
  one.scenario_for = two.scenario_for = scenario_for;
  const auto a = run_ensemble(s, one), b = run_ensemble(s, two);
  for (std::size_t r = 0; r < 6; ++r)
    for (std::size_t t = 0; t < a[r].monthly.months(); ++t) {
      CHECK(a[r].monthly.at(t, 0, Metric::removals) == b[r].monthly.at(t, 0, Metric::removals));
      CHECK(a[r].monthly.at(t, 0, Metric::arrivals) == b[r].monthly.at(t, 0, Metric::arrivals));
    }
  CHECK_THROWS_WITH(assumption_scenarios(make_scenario({"horizon_months=12"})), Catch::Contains("declares no range"));
}
