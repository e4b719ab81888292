// The partner as an actor (MODEL.md section 7): its halt as a move with a
// reason and its three ways out, its answer to sanctions, and where lifting
// a sanction leaves it. On the quiet one-partner fixture.
#include <catch2/catch.hpp>

#include "../engine/engine_fixtures.hpp"

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

/// A partner with steady work (100 detainees a month), adjusting at once,
/// that halts on 1 March 2020; reviews never escalate on their own.
std::vector<std::string> halting(std::vector<std::string> more) {
  std::vector<std::string> o = {
      "partners.alpha.population.inflow_per_month=100",
      "partners.alpha.cooperation={initial: 0.9, baseline: 0.9, adjustment_speed_per_month: 1, noise_sd: 0, "
      "sanction_sensitivity: 0, backlash_per_severe_rate: 0, backlash_per_family_share: 0}",
      "partners.alpha.amendment_request={amendments: [family_unity], domestic_cost_threshold: .inf}",
      "sanctions.escalate_after=100000",
      "sanctions.effect_lag_days=0",
      "negotiation.agree_prob_per_year=0"};
  o.insert(o.end(), more.begin(), more.end());
  return o;
}

const std::string halt_on_march_1 = "{date: 2020-03-01, halt: {partner: alpha}}";

}  // namespace

TEST_CASE("a halt is a dated move: documents stop and the partner asks for its amendments", "[model][partner]") {
  const auto r = run_replication(make_scenario(halting({"timeline=[" + halt_on_march_1 + "]"})), 0);
  const auto* started = find_event(r, "halt_started");
  const auto* requested = find_event(r, "amendment_requested");
  REQUIRE(started);
  REQUIRE(started->day == day_of(2020, 3, 1));
  REQUIRE(requested);
  REQUIRE(requested->day == started->day);
  REQUIRE(requested->detail == "family_unity");
  REQUIRE(at(r, 1, Metric::halted) == 0);
  REQUIRE(at(r, 2, Metric::halted) == 1);
  REQUIRE(at(r, 2, Metric::cooperation_target) == 0);  // halt.cooperation
  REQUIRE(at(r, 2, Metric::cooperation) == 0);         // adjusting at once
  // Requests decided in March were started before the month's end; nothing after.
  for (std::size_t t = 4; t < 24; ++t) REQUIRE(at(r, t, Metric::acceptances) == 0);
  REQUIRE(last(r, Metric::halted) == 1);  // no reason to end it
  REQUIRE_FALSE(find_event(r, "halt_ended"));
}

TEST_CASE("a halt ends when the sanctions in force cost more than it is worth", "[model][partner]") {
  // us_243d: step 1 costs 0.15, steps 1-2 cost 0.3.
  auto run = [](const std::string& value, int step) {
    return run_replication(make_scenario(halting({"partners.alpha.halt.value=" + value,
                                                  "timeline=[" + halt_on_march_1 +
                                                      ", {date: 2020-06-10, sanction: {partner: alpha, step: " +
                                                      std::to_string(step) + "}}]"})),
                           0);
  };
  const auto cheap = run("0.1", 1);
  const auto* ended = find_event(cheap, "halt_ended");
  REQUIRE(ended);
  REQUIRE(ended->day == day_of(2020, 6, 10));  // the partner answers on the day the step takes effect
  REQUIRE(ended->detail == "the sanctions cost more than the halt is worth");
  REQUIRE(at(cheap, 5, Metric::halted) == 0);
  REQUIRE(at(cheap, 5, Metric::cooperation) == Approx(0.9));  // back to its disposition (sensitivity 0)
  REQUIRE(total(cheap, Metric::acceptances) > 0);

  const auto dear = run("0.2", 1);
  REQUIRE_FALSE(find_event(dear, "halt_ended"));
  REQUIRE(last(dear, Metric::halted) == 1);
  const auto two_steps = run("0.2", 2);
  REQUIRE(find_event(two_steps, "halt_ended"));
}

TEST_CASE("a halt ends when its reason is met, or by a dated move", "[model][partner]") {
  const auto agreed = run_replication(
      make_scenario(halting({"negotiation.agree_prob_per_year=1", "timeline=[" + halt_on_march_1 + "]"})), 0);
  const auto* ended = find_event(agreed, "halt_ended");
  REQUIRE(ended);
  REQUIRE(ended->detail == "its amendments were agreed");
  REQUIRE(ended->day == find_event(agreed, "negotiation_agreed")->day);
  REQUIRE(ended->day == day_of(2020, 3, 31));  // the first month end of the halt

  const auto moved = run_replication(
      make_scenario(
          halting({"timeline=[" + halt_on_march_1 + ", {date: 2020-09-01, halt: {partner: alpha, active: false}}]"})),
      0);
  const auto* dated = find_event(moved, "halt_ended");
  REQUIRE(dated);
  REQUIRE(dated->detail == "by a dated move");
  REQUIRE(dated->day == day_of(2020, 9, 1));
}

TEST_CASE("a halt ends when what it asked for comes into force by other means", "[model][partner]") {
  const auto r = run_replication(
      make_scenario(halting({"amendment_rules.family_unity.in_force_from=2020-06-01",
                             "amendment_rules.family_unity.partners=[alpha]", "timeline=[" + halt_on_march_1 + "]"})),
      0);
  const auto* met = find_event(r, "amendment_request_met");
  const auto* ended = find_event(r, "halt_ended");
  REQUIRE(met);
  REQUIRE(ended);
  REQUIRE(ended->detail == "its amendments are in force");
  REQUIRE(ended->day == day_of(2020, 6, 1));
  REQUIRE(last(r, Metric::amendment_request_open) == 0);
  // Another amendment, not asked for, changes nothing.
  const auto other = run_replication(make_scenario(halting({"amendment_rules.annual_cap.in_force_from=2020-06-01",
                                                            "timeline=[" + halt_on_march_1 + "]"})),
                                     0);
  REQUIRE_FALSE(find_event(other, "halt_ended"));
}

TEST_CASE("a partner ending its halt offers an interview round; the removing state detains ahead of it",
          "[model][partner]") {
  const auto r = run_replication(
      make_scenario(
          halting({"partners.alpha.agreement.interview_required=true",
                   "partners.alpha.agreement.interview_interval_days=365", "removing_state.raid_lead_days=20",
                   "removing_state.raid_size=10", "partners.alpha.population.docket_at_start=200",
                   "partners.alpha.population.initial_state_shares={supervised: 1}",
                   "partners.alpha.population.pending_request_prob=1",
                   "timeline=[" + halt_on_march_1 + ", {date: 2020-07-01, halt: {partner: alpha, active: false}}]"})),
      0);
  // Rounds fall on day 364 of the yearly cycle; the offered one 40 days after 1 July (9 August).
  const auto* ended = find_event(r, "halt_ended");
  REQUIRE(ended->day == day_of(2020, 7, 1));
  REQUIRE(at(r, 6, Metric::raid_detentions) == 10);  // 21 July
  REQUIRE(at(r, 7, Metric::interview_rounds) == 1);  // 10 August
  REQUIRE(at(r, 7, Metric::interviews) > 0);
}

TEST_CASE("a halting partner still takes back nationals holding documents it issued", "[model][partner]") {
  // Documents valid for a year are issued in January and February; the halt
  // stops new ones, but the weekly charter keeps flying those who hold one.
  const auto r = run_replication(
      make_scenario(halting({"partners.alpha.agreement.document_validity_days=365",
                             "removing_state.itinerary_notice_days=0", "partners.alpha.flights.charter_seats=5",
                             "partners.alpha.population.inflow_per_month=200", "timeline=[" + halt_on_march_1 + "]"})),
      0);
  REQUIRE(total(r, Metric::charters_refused) == 0);
  double removed_after = 0;
  for (std::size_t t = 3; t < 24; ++t) removed_after += at(r, t, Metric::removals);
  REQUIRE(removed_after > 0);
}

TEST_CASE(
    "lifting a sanction returns cooperation to what the disposition supports, for a partner that works or "
    "digs in",
    "[model][partner]") {
  for (const double sensitivity : {0.4, -0.4}) {
    INFO("sensitivity " << sensitivity);
    const auto r = run_replication(
        make_scenario({"partners.alpha.cooperation={initial: 0.7, baseline: 0.7, adjustment_speed_per_month: 1, "
                       "noise_sd: 0, sanction_cost_scale: 0.3, sanction_sensitivity: " +
                           std::to_string(sensitivity) + "}",
                       "sanctions.effect_lag_days=0", "sanctions.escalate_after=100000",
                       "timeline=[{date: 2020-03-01, sanction: {partner: alpha, step: 1}}, "
                       "{date: 2020-09-01, sanction: {partner: alpha, step: 0}}]"}),
        0);
    const double response = sensitivity * (1 - std::exp(-0.15 / 0.3));
    REQUIRE(at(r, 2, Metric::cooperation) == Approx(0.7 + response));
    REQUIRE(at(r, 8, Metric::sanction_step) == 0);
    REQUIRE(at(r, 8, Metric::cooperation) == Approx(0.7));
  }
}

TEST_CASE("an open dispute keeps a sanction: compliant reviews lift it only once the request is settled",
          "[model][partner][sanctions]") {
  // A compliant partner under step 1 that asked (on 1 March) for an amendment.
  auto run = [](const std::string& agree, const std::string& lift_anyway) {
    return run_replication(
        make_scenario({"partners.alpha.population.inflow_per_month=100",
                       "partners.alpha.amendment_request={amendments: [family_unity], domestic_cost_threshold: .inf}",
                       "sanctions.effect_lag_days=0", "sanctions.deescalate_after=4",
                       "sanctions.lift_while_request_open=" + lift_anyway, "negotiation.agree_prob_per_year=" + agree,
                       "negotiation.entry_into_force_lag_days=3650",
                       "timeline=[{date: 2020-02-01, sanction: {partner: alpha, step: 1}}, "
                       "{date: 2020-03-01, halt: {partner: alpha}}, "
                       "{date: 2020-03-02, halt: {partner: alpha, active: false}}]"}),
        0);
  };
  const auto disputed = run("0", "false");
  REQUIRE(last(disputed, Metric::amendment_request_open) == 1);
  REQUIRE(last(disputed, Metric::compliance_class) == 0);
  REQUIRE(last(disputed, Metric::sanction_step) == 1);  // kept by the dispute
  const auto settled = run("1", "false");               // agreed at the end of March
  REQUIRE(last(settled, Metric::amendment_request_open) == 0);
  REQUIRE(last(settled, Metric::sanction_step) == 0);
  const auto ignored = run("0", "true");
  REQUIRE(last(ignored, Metric::sanction_step) == 0);
}
