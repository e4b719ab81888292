// The partner as an actor (docs/model.md §7.14): a request it presses by
// withholding cooperation, by degrees or all of it (a halt), the ways a
// halt ends, its answer to sanctions and where lifting a sanction leaves
// it. On the quiet one-partner fixture.
#include <catch2/catch.hpp>

#include "engine/engine_fixtures.hpp"
#include "model/world_fixture.hpp"
#include "readmit/model/cooperation.hpp"

using namespace readmit;
using readmit::test::at;
using readmit::test::find_event;
using readmit::test::last;
using readmit::test::make_scenario;
using readmit::test::total;

namespace {

std::int32_t day_of(int year, unsigned month, unsigned day) {
  return Date::from_ymd(year, month, day).days_since_epoch - Date::from_ymd(2020, 1, 1).days_since_epoch;
}

/// A partner with steady work (100 detainees a month), disposed at 0.9,
/// adjusting at once, that asks on 1 March 2020 for family_unity and
/// withholds `demand` to press it; reviews never decide on their own.
std::vector<std::string> bargaining(const std::string& demand, std::vector<std::string> more) {
  std::vector<std::string> o = {
      "partners.alpha.population.inflow_per_month=100",
      "partners.alpha.cooperation={initial: 0.9, baseline: 0.9, adjustment_speed_per_month: 1, noise_sd: 0, "
      "sanction_sensitivity: 0.6, sanction_cost_scale: 0.3, sanction_memory_half_life_months: 0, "
      "backlash_per_severe_rate: 0, backlash_per_family_share: 0}",
      "partners.alpha.amendment_request={amendments: [family_unity], domestic_cost_threshold: .inf}",
      "partners.alpha.bargaining.demand_value=" + demand,
      "sanctions.escalate_after=100000",
      "sanctions.effect_lag_days=0",
      "negotiation.agree_prob_per_year=0"};
  o.insert(o.end(), more.begin(), more.end());
  return o;
}

const std::string asks_on_march_1 = "{date: 2020-03-01, request: {partner: alpha}}";

ReplicationResult run(const std::string& demand, std::vector<std::string> more) {
  return run_replication(make_scenario(bargaining(demand, std::move(more))), 0);
}

}  // namespace

TEST_CASE("a request is a dated move; the partner presses it by degrees, or halts", "[model][partner]") {
  const auto halting = run("1", {"timeline=[" + asks_on_march_1 + "]"});
  const auto* requested = find_event(halting, "amendment_requested");
  const auto* started = find_event(halting, "halt_started");
  REQUIRE(requested);
  REQUIRE(requested->day == day_of(2020, 3, 1));
  REQUIRE(requested->detail == "family_unity");
  REQUIRE(started);
  REQUIRE(started->day == requested->day);
  REQUIRE(at(halting, 1, Metric::halted) == 0);
  REQUIRE(at(halting, 2, Metric::halted) == 1);
  REQUIRE(at(halting, 2, Metric::demand_pressed) == 1);
  REQUIRE(at(halting, 2, Metric::cooperation_target) == 0);  // 0.9 - 1, clamped
  REQUIRE(at(halting, 2, Metric::cooperation) == 0);         // adjusting at once
  // Requests decided in March were started before the month's end; nothing after.
  for (std::size_t t = 4; t < 24; ++t) REQUIRE(at(halting, t, Metric::acceptances) == 0);
  REQUIRE(last(halting, Metric::halted) == 1);  // nothing makes it give way
  REQUIRE_FALSE(find_event(halting, "halt_ended"));

  // Pressing by degrees: 0.4 withheld leaves 0.5, fewer documents, no halt.
  const auto degrees = run("0.4", {"timeline=[" + asks_on_march_1 + "]"});
  const auto quiet = run("0.4", {});
  REQUIRE_FALSE(find_event(degrees, "halt_started"));
  REQUIRE(at(degrees, 2, Metric::cooperation) == Approx(0.5));
  REQUIRE(at(quiet, 2, Metric::cooperation) == Approx(0.9));  // no request, nothing pressed
  // Acceptance at 0.5 instead of 0.9: about half the decisions are denials.
  REQUIRE(at(degrees, 12, Metric::review_denied_share) == Approx(0.5).margin(0.1));
  REQUIRE(at(quiet, 12, Metric::review_denied_share) == Approx(0.1).margin(0.1));
  REQUIRE(total(degrees, Metric::acceptances) > 0);
}

TEST_CASE("a halt ends when the answer to the sanctions in force outweighs the demand", "[model][partner]") {
  // Sensitivity 0.6, scale 0.3: step 1 (cost 0.15) adds 0.236, steps 1-2 (0.3) add 0.379.
  auto under = [](const std::string& demand, int step) {
    return run(demand, {"timeline=[" + asks_on_march_1 +
                        ", {date: 2020-06-10, sanction: {partner: alpha, step: " + std::to_string(step) + "}}]"});
  };
  const auto gives_way = under("1", 1);
  const auto* ended = find_event(gives_way, "halt_ended");
  REQUIRE(ended);
  REQUIRE(ended->day == day_of(2020, 6, 10));  // the partner answers on the day the step takes effect
  REQUIRE(ended->detail == "the pull of its interests outweighs the demand");
  REQUIRE(at(gives_way, 5, Metric::halted) == 0);
  const double response = 0.6 * (1 - std::exp(-0.15 / 0.3));
  REQUIRE(at(gives_way, 5, Metric::cooperation) == Approx(0.9 + response - 1.0));  // it still presses
  REQUIRE(total(gives_way, Metric::acceptances) > 0);

  const auto holds_out = under("1.2", 1);
  REQUIRE_FALSE(find_event(holds_out, "halt_ended"));
  REQUIRE(last(holds_out, Metric::halted) == 1);
  REQUIRE(find_event(under("1.2", 2), "halt_ended"));
}

TEST_CASE("a halt ends with its request: agreed, met by other means, or withdrawn", "[model][partner]") {
  const auto agreed = run("1", {"negotiation.agree_prob_per_year=1", "timeline=[" + asks_on_march_1 + "]"});
  const auto* ended = find_event(agreed, "halt_ended");
  REQUIRE(ended);
  REQUIRE(ended->detail == "its request ended");
  REQUIRE(ended->day == find_event(agreed, "negotiation_agreed")->day);
  REQUIRE(ended->day == day_of(2020, 3, 31));  // the first month end of the halt
  REQUIRE(at(agreed, 3, Metric::demand_pressed) == 0);

  const auto withdrawn =
      run("1", {"timeline=[" + asks_on_march_1 + ", {date: 2020-09-01, request: {partner: alpha, open: false}}]"});
  REQUIRE(find_event(withdrawn, "amendment_request_withdrawn"));
  const auto* dated = find_event(withdrawn, "halt_ended");
  REQUIRE(dated);
  REQUIRE(dated->day == day_of(2020, 9, 1));

  const auto met = run("1", {"amendment_rules.family_unity.in_force_from=2020-06-01",
                             "amendment_rules.family_unity.partners=[alpha]", "timeline=[" + asks_on_march_1 + "]"});
  REQUIRE(find_event(met, "amendment_request_met"));
  REQUIRE(find_event(met, "halt_ended")->day == day_of(2020, 6, 1));
  REQUIRE(last(met, Metric::amendment_request_open) == 0);
  // Another amendment, not asked for, changes nothing.
  const auto other =
      run("1", {"amendment_rules.annual_cap.in_force_from=2020-06-01", "timeline=[" + asks_on_march_1 + "]"});
  REQUIRE_FALSE(find_event(other, "halt_ended"));
}

TEST_CASE("the demand's value follows the rate of removals breaking ties against that rate when asked",
          "[model][partner]") {
  test::TestWorld t({"partners.alpha.bargaining={demand_value: 0.5, value_elasticity: 1}",
                     "partners.alpha.amendment_request={amendments: [family_unity], domestic_cost_threshold: .inf}"});
  auto& d = t.world.partners[0].diplomacy;
  CHECK(cooperation::demand_value(t.world, 0) == 0);  // no request open
  t.world.partners[0].amendments.request_open = true;
  d.family_rate_at_request = 4;  // removals breaking ties a month, recently, when it asked
  d.fading_months = 10;
  d.family_salience = 40;  // the same rate now
  CHECK(cooperation::demand_value(t.world, 0) == Approx(0.5));
  d.family_salience = 80;  // twice the rate: pressed twice as hard
  CHECK(cooperation::demand_value(t.world, 0) == Approx(1.0));
  d.family_salience = 0;  // nobody removed (a halt): the floor of the rate
  CHECK(cooperation::demand_value(t.world, 0) == Approx(0.5 * cooperation::rate_floor_per_month / 4));
  t.world.now.partners[0].bargaining.value_elasticity = 0;  // fixed
  CHECK(cooperation::demand_value(t.world, 0) == Approx(0.5));
}

TEST_CASE("a partner ending its halt offers an interview round; the removing state detains ahead of it",
          "[model][partner]") {
  const auto r =
      run("1", {"partners.alpha.agreement.interview_required=true",
                "partners.alpha.agreement.interview_interval_days=365", "removing_state.raid_lead_days=20",
                "removing_state.raid_size=10", "partners.alpha.population.docket_at_start=200",
                "partners.alpha.population.initial_state_shares={supervised: 1}",
                "partners.alpha.population.pending_request_prob=1",
                "timeline=[" + asks_on_march_1 + ", {date: 2020-07-01, request: {partner: alpha, open: false}}]"});
  const auto* ended = find_event(r, "halt_ended");
  REQUIRE(ended->day == day_of(2020, 7, 1));
  // The offered round falls 40 days after 1 July (9 August), unless the
  // yearly cycle (its phase drawn per replication) brought one sooner.
  double raids = 0, rounds = 0;
  for (std::size_t t = 6; t <= 7; ++t) {
    raids += at(r, t, Metric::raid_detentions);
    rounds += at(r, t, Metric::interview_rounds);
  }
  REQUIRE(raids == 10);
  REQUIRE(rounds >= 1);
  REQUIRE(at(r, 7, Metric::interviews) + at(r, 6, Metric::interviews) > 0);
}

TEST_CASE("a halting partner takes back document holders on commercial flights, and refuses charters",
          "[model][partner]") {
  // Documents valid for a year are issued in January and February; the halt
  // stops new ones. Commercial seats are the removing state's own; charters
  // need the partner's consent, which it withholds with its cooperation.
  const auto r =
      run("1", {"partners.alpha.agreement.document_validity_days=365", "removing_state.itinerary_notice_days=0",
                "partners.alpha.flights={charter_seats: 5, commercial_seats_per_week: 3}",
                "partners.alpha.population.inflow_per_month=200", "timeline=[" + asks_on_march_1 + "]"});
  double removed_after = 0, charters_after = 0;
  for (std::size_t t = 3; t < 24; ++t) {
    removed_after += at(r, t, Metric::removals);
    charters_after += at(r, t, Metric::charter_removals);
  }
  REQUIRE(removed_after > 0);
  REQUIRE(charters_after == 0);
  REQUIRE(total(r, Metric::charters_refused) > 0);
}

TEST_CASE(
    "lifting a sanction returns cooperation to what the disposition supports, for a partner that works or "
    "digs in, after its memory of the sanction fades",
    "[model][partner]") {
  for (const double sensitivity : {0.4, -0.4}) {
    INFO("sensitivity " << sensitivity);
    auto with_memory = [&](const std::string& months) {
      return run_replication(
          make_scenario({"partners.alpha.cooperation={initial: 0.7, baseline: 0.7, adjustment_speed_per_month: 1, "
                         "noise_sd: 0, sanction_cost_scale: 0.3, sanction_memory_half_life_months: " +
                             months + ", sanction_sensitivity: " + std::to_string(sensitivity) + "}",
                         "sanctions.effect_lag_days=0", "sanctions.escalate_after=100000",
                         "timeline=[{date: 2020-03-01, sanction: {partner: alpha, step: 1}}, "
                         "{date: 2020-09-01, sanction: {partner: alpha, step: 0}}]"}),
          0);
    };
    const double response = sensitivity * (1 - std::exp(-0.15 / 0.3));
    const auto forgets = with_memory("0");
    REQUIRE(at(forgets, 2, Metric::cooperation) == Approx(0.7 + response));
    REQUIRE(at(forgets, 8, Metric::sanction_step) == 0);
    REQUIRE(at(forgets, 8, Metric::cooperation) == Approx(0.7));
    // With a memory of 6 months the cost felt fades by half in 6 months: at
    // the end of March 2021, seven month ends after the lifting.
    const auto remembers = with_memory("6");
    const double cost_in_march_2021 = 0.15 * std::pow(0.5, 7.0 / 6.0);
    REQUIRE(at(remembers, 14, Metric::sanction_step) == 0);
    REQUIRE(at(remembers, 14, Metric::cooperation) ==
            Approx(0.7 + sensitivity * (1 - std::exp(-cost_in_march_2021 / 0.3))));
  }
}
