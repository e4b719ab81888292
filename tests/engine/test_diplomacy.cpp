// The diplomatic half of the model (MODEL.md sections 7, 8 and 10):
// compliance reviews, the sanction ladder, visa demand, cooperation,
// issue linkage, amendments and negotiation, on the real engine.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "engine_fixtures.hpp"
#include "readmit/model/compliance.hpp"

using namespace readmit;
using readmit::test::last;
using readmit::test::make_scenario;
using readmit::test::total;

namespace {

double at(const ReplicationResult& r, std::size_t month, Metric m, std::size_t partner = 0) {
  return r.monthly.at(month, partner, m);
}

/// A partner that never decides: 100 new detainees a month whose requests
/// stay undecided, reviewed monthly over a one-month window.
std::vector<std::string> halted(std::vector<std::string> more) {
  std::vector<std::string> o = {"partners.alpha.population.inflow_per_month=100",
                                "partners.alpha.agreement.document_officers=0",
                                "compliance.review_period_months=1",
                                "compliance.window_months=1",
                                "compliance.timely_days=1",
                                "sanctions.effect_lag_days=0",
                                "sanctions.escalate_after=2",
                                "removing_state.release_prob=0",
                                "compliance.uncooperative.combine=any",
                                "compliance.uncooperative.release_removal_ratio_above=.inf"};
  o.insert(o.end(), more.begin(), more.end());
  return o;
}

const LoggedEvent* find_event(const ReplicationResult& r, std::string_view kind, std::size_t nth = 0) {
  for (const auto& e : r.events)
    if (e.kind == kind && nth-- == 0) return &e;
  return nullptr;
}

ReviewMeasures measures(double median, double undecided, double denied, double charters, double releases,
                        double ratio) {
  return {median, undecided, denied, charters, releases, ratio};
}

}  // namespace

TEST_CASE("classification rules: any, all, infinite and NaN thresholds", "[diplomacy][review]") {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::nan("");
  ClassificationRule never;  // every threshold infinite
  REQUIRE_FALSE(rule_fires(never, measures(1e9, 1, 1, 1, 1e9, inf)));

  ClassificationRule any;
  any.undecided_share_above = 0.5;
  any.charter_refused_share_above = 0.5;
  REQUIRE(rule_fires(any, measures(nan, 0.6, nan, 0.0, 0, 0)));
  REQUIRE_FALSE(rule_fires(any, measures(nan, 0.5, nan, 0.5, 0, 0)));  // strictly above
  REQUIRE_FALSE(rule_fires(any, measures(nan, nan, nan, nan, 0, 0)));  // nothing measured

  ClassificationRule all = any;
  all.combine = Combine::all;
  REQUIRE_FALSE(rule_fires(all, measures(nan, 0.6, nan, 0.0, 0, 0)));
  REQUIRE(rule_fires(all, measures(nan, 0.6, nan, 0.7, 0, 0)));

  ComplianceParams compliance;
  compliance.uncooperative = all;
  compliance.at_risk = any;
  REQUIRE(classify(compliance, measures(nan, 0.6, nan, 0.7, 0, 0)) == ComplianceClass::uncooperative);
  REQUIRE(classify(compliance, measures(nan, 0.6, nan, 0.0, 0, 0)) == ComplianceClass::at_risk);
  REQUIRE(classify(compliance, measures(nan, 0.1, nan, 0.0, 0, 0)) == ComplianceClass::compliant);
}

TEST_CASE("a rule that can never fire never fires, even against a partner that decides nothing",
          "[diplomacy][sanctions]") {
  const auto s = make_scenario(
      halted({"compliance.uncooperative.undecided_share_above=.inf",
              "compliance.uncooperative.charter_refused_share_above=.inf",
              "compliance.at_risk.median_decision_days_above=.inf", "compliance.at_risk.undecided_share_above=.inf",
              "compliance.at_risk.denied_share_above=.inf", "compliance.at_risk.charter_refused_share_above=.inf",
              "compliance.at_risk.release_removal_ratio_above=.inf"}));
  const auto r = run_replication(s, 0);
  REQUIRE(total(r, Metric::reviews) == 24);
  REQUIRE(total(r, Metric::sanction_decisions) == 0);
  for (std::size_t t = 0; t < 24; ++t) {
    REQUIRE(at(r, t, Metric::sanction_step) == 0);
    REQUIRE(at(r, t, Metric::compliance_class) == 0);
  }
  // The measure itself saw the halt.
  REQUIRE(last(r, Metric::review_undecided_share) == 1.0);
}

TEST_CASE("a rule that always fires reaches the top step after escalate_after x steps reviews",
          "[diplomacy][sanctions]") {
  const auto s = make_scenario(halted({}));
  const auto steps = s.sanctions.active_ladder().steps.size();
  REQUIRE(steps == 4);  // us_243d
  const auto r = run_replication(s, 0);
  // Review n closes month n-1; decision n*escalate_after takes effect at once.
  for (std::size_t t = 0; t < 24; ++t) {
    INFO("month " << t);
    REQUIRE(at(r, t, Metric::compliance_class) == 2);
    REQUIRE(at(r, t, Metric::sanction_step) == double(std::min<std::size_t>((t + 1) / 2, steps)));
  }
  REQUIRE(total(r, Metric::sanction_decisions) == double(steps));
  // The first month at the top is exactly review escalate_after * steps.
  REQUIRE(at(r, 2 * steps - 2, Metric::sanction_step) == double(steps - 1));
  REQUIRE(at(r, 2 * steps - 1, Metric::sanction_step) == double(steps));
}

TEST_CASE("de-escalation after compliant reviews, and hysteresis when the ladder may not step down",
          "[diplomacy][sanctions]") {
  // Uncooperative for 8 monthly reviews (top step), then nothing is late any
  // more: timely_days jumps beyond the horizon, so reviews find the partner compliant.
  const std::vector<std::string> relax = {"timeline=[{date: 2020-09-01, set: {compliance.timely_days: 3650}}]",
                                          "sanctions.deescalate_after=3"};
  auto with = [&](std::string allow) {
    auto o = relax;
    o.push_back("sanctions.allow_deescalation=" + allow);
    return run_replication(make_scenario(halted(o)), 0);
  };
  const auto stepping_down = with("true");
  REQUIRE(at(stepping_down, 7, Metric::sanction_step) == 4);
  REQUIRE(at(stepping_down, 8, Metric::compliance_class) == 0);
  // Compliant reviews at months 8, 9, 10: step 3 from month 10, then one step per 3 reviews.
  REQUIRE(at(stepping_down, 9, Metric::sanction_step) == 4);
  REQUIRE(at(stepping_down, 10, Metric::sanction_step) == 3);
  REQUIRE(at(stepping_down, 13, Metric::sanction_step) == 2);
  REQUIRE(at(stepping_down, 16, Metric::sanction_step) == 1);
  REQUIRE(at(stepping_down, 19, Metric::sanction_step) == 0);
  REQUIRE(last(stepping_down, Metric::sanction_step) == 0);

  const auto sticky = with("false");
  for (std::size_t t = 7; t < 24; ++t) REQUIRE(at(sticky, t, Metric::sanction_step) == 4);
}

TEST_CASE("a sanction decision takes effect after the effect lag", "[diplomacy][sanctions]") {
  const auto s = make_scenario({"sanctions.effect_lag_days=28",
                                "timeline=[{date: 2020-03-20, note: decided, sanction: {partner: alpha, step: 1}}]"});
  const auto r = run_replication(s, 0);
  const auto* decided = find_event(r, "sanction_decided");
  const auto* in_force = find_event(r, "sanction_in_force");
  REQUIRE(decided);
  REQUIRE(in_force);
  const std::int32_t decision_day = Date::from_ymd(2020, 3, 20).days_since_epoch - s.start_date.days_since_epoch;
  REQUIRE(decided->day == decision_day);
  REQUIRE(in_force->day == decision_day + 28);    // 17 April 2020
  REQUIRE(at(r, 2, Metric::sanction_step) == 0);  // March
  REQUIRE(at(r, 3, Metric::sanction_step) == 1);  // April
  REQUIRE(at(r, 2, Metric::sanction_decisions) == 1);
}

TEST_CASE("visa applications are refused only in the categories of the steps in force", "[diplomacy][visas]") {
  const auto s = make_scenario({"partners.alpha.visa_demand={b_officials_dg_plus: 20, b_general: 500}",
                                "sanctions.effect_lag_days=0",
                                "timeline=[{date: 2020-07-01, sanction: {partner: alpha, step: 1}}]"});
  const auto r = run_replication(s, 0);
  const auto categories = visa_categories(s);
  auto column = [&](std::string_view name) {
    return std::size_t(std::find(categories.begin(), categories.end(), name) - categories.begin());
  };
  const auto officials = column("b_officials_dg_plus");
  const auto general = column("b_general");
  REQUIRE(officials < categories.size());
  double applied = 0;
  for (std::size_t t = 0; t < 24; ++t) {
    INFO("month " << t);
    const double a = r.monthly.at(t, 0, visa_applications_column(officials));
    const double refused = r.monthly.at(t, 0, visa_refusals_column(officials));
    applied += a;
    // Step 1 of us_243d refuses every application of DG-rank officials.
    REQUIRE(refused == (t >= 6 ? a : 0.0));
    REQUIRE(r.monthly.at(t, 0, visa_refusals_column(general)) == 0);
    REQUIRE(at(r, t, Metric::visa_refusals) == refused);
  }
  REQUIRE(applied == Approx(20.0 * 24).epsilon(0.2));  // Poisson demand
  REQUIRE(total(r, Metric::visa_applications) > 500.0 * 24 * 0.9);
}

TEST_CASE("sanction pressure raises cooperation and backlash lowers it, as configured", "[diplomacy][cooperation]") {
  SECTION("pressure: the target rises by the weights of the steps in force") {
    const auto s = make_scenario(
        {"partners.alpha.cooperation={initial: 0.5, baseline: 0.5, adjustment_speed_per_month: 1, noise_sd: 0}",
         "sanctions.effect_lag_days=0", "timeline=[{date: 2020-03-01, sanction: {partner: alpha, step: 2}}]"});
    const auto r = run_replication(s, 0);
    REQUIRE(at(r, 1, Metric::cooperation) == Approx(0.5));
    // us_243d steps 1 and 2 weigh 0.15 each.
    REQUIRE(at(r, 2, Metric::sanction_pressure) == Approx(0.3));
    REQUIRE(at(r, 2, Metric::cooperation) == Approx(0.8));
  }
  SECTION("backlash: the target falls by the configured amount per severe outcome in 12 months") {
    const auto s = make_scenario({"partners.alpha.population.inflow_per_month=200",
                                  "partners.alpha.returnees.severe_outcome_hazard_per_month=0.05",
                                  "partners.alpha.cooperation={initial: 1, baseline: 1, adjustment_speed_per_month: 1, "
                                  "noise_sd: 0, backlash_per_severe_outcome: 0.001}",
                                  // Low cooperation refuses charters: keep sanction pressure out of this check.
                                  "compliance.uncooperative.charter_refused_share_above=.inf"});
    const auto r = run_replication(s, 0);
    double recent = 0;
    for (std::size_t t = 0; t < 24; ++t) {
      recent += at(r, t, Metric::severe_outcomes);
      if (t >= 12) recent -= at(r, t - 12, Metric::severe_outcomes);
      INFO("month " << t);
      REQUIRE(at(r, t, Metric::backlash) == Approx(0.001 * recent));
      REQUIRE(at(r, t, Metric::cooperation) == Approx(std::max(0.0, 1.0 - 0.001 * recent)));
    }
    REQUIRE(total(r, Metric::severe_outcomes) > 50);
  }
}

TEST_CASE("issue linkage: the partner suspends the linked cooperation when a step comes into force",
          "[diplomacy][linkage]") {
  const auto s = make_scenario({"partners.alpha.issue_linkage={name: remains recovery, suspend_prob_per_step: 1}",
                                "sanctions.effect_lag_days=0",
                                "timeline=[{date: 2020-03-01, sanction: {partner: alpha, step: 1}}, "
                                "{date: 2020-09-01, sanction: {partner: alpha, step: 0}}]"});
  const auto r = run_replication(s, 0);
  REQUIRE(total(r, Metric::linkage_suspensions) == 1);
  REQUIRE(at(r, 1, Metric::linkage_suspended) == 0);
  REQUIRE(at(r, 2, Metric::linkage_suspended) == 1);
  REQUIRE(at(r, 7, Metric::linkage_suspended) == 1);
  REQUIRE(at(r, 8, Metric::linkage_suspended) == 0);
  REQUIRE(find_event(r, "linkage_suspended"));
  REQUIRE(find_event(r, "linkage_resumed"));
  // Without linkage, nothing is suspended.
  const auto none =
      run_replication(make_scenario({"timeline=[{date: 2020-03-01, sanction: {partner: alpha, step: 1}}]"}), 0);
  REQUIRE(total(none, Metric::linkage_suspensions) == 0);
}

TEST_CASE("each amendment exempts exactly the persons it should", "[diplomacy][amendments]") {
  // Partner alpha meets the condition, beta does not; the amendment applies
  // from the start. Persons are detained by arrivals, so every hook is used.
  auto run = [](const std::string& alpha_attribute, const std::string& beta_attribute, const std::string& amendment,
                std::vector<std::string> more = {}) {
    std::vector<std::string> o = {
        "partners.alpha.population.docket_at_start=300",
        "partners.alpha.population.inflow_per_month=20",
        "partners.alpha.population." + alpha_attribute,
        "amendment_rules." + amendment + ".in_force_from=2020-01-01",
    };
    o.insert(o.end(), more.begin(), more.end());
    o.push_back("partners.beta.population.docket_at_start=300");
    o.push_back("partners.beta.population.inflow_per_month=20");
    o.push_back("partners.beta.population." + beta_attribute);
    return run_replication(make_scenario(o, test::quiet_base_yaml + test::quiet_partner_yaml("beta")), 0);
  };
  auto everyone = [](const ReplicationResult& r, std::size_t k) { return 300 + total(r, Metric::arrivals, k); };

  SECTION("family_unity: a citizen spouse or a child under the age") {
    const auto r = run("spouse_shares={citizen: 1}", "spouse_shares={none: 1}", "family_unity",
                       {"partners.alpha.population.children_count=0", "partners.beta.population.children_count=0"});
    REQUIRE(total(r, Metric::exemptions, 0) == everyone(r, 0));
    REQUIRE(total(r, Metric::removals, 0) == 0);
    REQUIRE(total(r, Metric::exemptions, 1) == 0);
    // Everyone else is removed, but for the last days' arrivals still waiting for a charter.
    REQUIRE(total(r, Metric::removals, 1) + last(r, Metric::stock_scheduled, 1) +
                last(r, Metric::stock_awaiting_document, 1) ==
            everyone(r, 1));
    const auto children =
        run("children_count=2", "children_count=0", "family_unity",
            {"partners.alpha.population.spouse_shares={none: 1}", "partners.beta.population.spouse_shares={none: 1}",
             "partners.alpha.population.child_age_years={dist: uniform, min: 0, max: 10}"});
    REQUIRE(total(children, Metric::exemptions, 0) == everyone(children, 0));
    REQUIRE(total(children, Metric::exemptions, 1) == 0);
  }
  SECTION("childhood_arrival: arrival under the age") {
    const auto r = run("age_at_arrival_years=5", "age_at_arrival_years=15", "childhood_arrival");
    REQUIRE(total(r, Metric::exemptions, 0) == everyone(r, 0));
    REQUIRE(total(r, Metric::exemptions, 1) == 0);
    REQUIRE(last(r, Metric::stock_exempted, 0) == everyone(r, 0));
  }
  SECTION("long_residence: resident at least the minimum") {
    const auto r = run("years_resident=25", "years_resident=5", "long_residence");
    REQUIRE(total(r, Metric::exemptions, 0) == everyone(r, 0));
    REQUIRE(total(r, Metric::exemptions, 1) == 0);
  }
  SECTION("an amendment for one partner leaves the other alone") {
    const auto r = run("age_at_arrival_years=5", "age_at_arrival_years=5", "childhood_arrival",
                       {"amendment_rules.childhood_arrival.partners=[beta]"});
    REQUIRE(total(r, Metric::exemptions, 0) == 0);
    REQUIRE(total(r, Metric::exemptions, 1) == everyone(r, 1));
  }
  SECTION("humanitarian_review: vulnerable persons denied, and the review adds days") {
    const auto r =
        run("mental_health_risk_shares={high: 1}", "mental_health_risk_shares={low: 1}", "humanitarian_review",
            {"amendment_rules.humanitarian_review.vulnerable_denial_prob=1",
             "amendment_rules.humanitarian_review.extra_days=30", "partners.alpha.population.age_at_arrival_years=20",
             "partners.beta.population.age_at_arrival_years=20", "partners.alpha.population.children_count=0",
             "partners.beta.population.children_count=0"});
    REQUIRE(total(r, Metric::humanitarian_denials, 0) == total(r, Metric::decisions, 0));
    REQUIRE(total(r, Metric::humanitarian_denials, 0) > 0);
    REQUIRE(total(r, Metric::removals, 0) == 0);
    REQUIRE(total(r, Metric::humanitarian_denials, 1) == 0);
    // Decision time 1 day plus the review's 30.
    REQUIRE(r.monthly.at(2, 1, Metric::decision_days_p50) == 31);
  }
  SECTION("advance_notice: every removed household is told; prepared households count no children left unprepared") {
    const auto r =
        run("children_count=2", "children_count=2", "advance_notice",
            {"amendment_rules.advance_notice.crisis_reduction_prob=1", "amendment_rules.advance_notice.notice_days=30",
             "amendment_rules.advance_notice.partners=[alpha]", "partners.alpha.population.child_age_years=5",
             "partners.beta.population.child_age_years=5", "partners.alpha.household.follow_prob_no_spouse=0",
             "partners.beta.household.follow_prob_no_spouse=0", "partners.alpha.population.spouse_shares={none: 1}",
             "partners.beta.population.spouse_shares={none: 1}"});
    REQUIRE(total(r, Metric::households_notified, 0) == total(r, Metric::removals, 0));
    REQUIRE(total(r, Metric::children_affected, 0) == 0);
    REQUIRE(total(r, Metric::children_affected, 1) == 2 * total(r, Metric::removals, 1));
    // Thirty days' notice: nobody leaves on the first charters.
    REQUIRE(at(r, 0, Metric::removals, 0) == 0);
    REQUIRE(at(r, 0, Metric::removals, 1) > 0);
  }
}

TEST_CASE("annual_cap counts each partner separately", "[diplomacy][amendments]") {
  const auto r = run_replication(make_scenario({"partners.alpha.population.docket_at_start=300",
                                                "amendment_rules.annual_cap.in_force_from=2020-01-01",
                                                "amendment_rules.annual_cap.removals_per_year=50"}),
                                 0);
  double first_year = 0;
  for (std::size_t t = 0; t < 12; ++t) first_year += at(r, t, Metric::acceptances);
  REQUIRE(first_year == 50);
  REQUIRE(total(r, Metric::cap_deferrals) > 0);
  REQUIRE(at(r, 12, Metric::acceptances) == 50);  // 1 January: the next year's quota at once
}

TEST_CASE("reintegration_support adds programme places", "[diplomacy][amendments]") {
  const std::vector<std::string> base = {"partners.alpha.population.inflow_per_month=100",
                                         "partners.alpha.returnees.reintegration_capacity_per_month=10"};
  const auto without = run_replication(make_scenario(base), 0);
  auto more = base;
  more.push_back("amendment_rules.reintegration_support.in_force_from=2020-07-01");
  more.push_back("amendment_rules.reintegration_support.capacity_per_month=15");
  const auto with = run_replication(make_scenario(more), 0);
  for (std::size_t t = 1; t < 24; ++t) {
    INFO("month " << t);
    REQUIRE(at(without, t, Metric::reintegration_admissions) == 10);
    REQUIRE(at(with, t, Metric::reintegration_admissions) == (t >= 6 ? 25 : 10));
  }
}

TEST_CASE("the partner requests its amendments after severe outcomes; agreement brings them into force with a bonus",
          "[diplomacy][negotiation]") {
  const auto s = make_scenario(
      {"partners.alpha.population.inflow_per_month=100",
       "partners.alpha.returnees.severe_outcome_hazard_per_month=0.02",
       "partners.alpha.amendment_request={amendments: [childhood_arrival], severe_outcome_threshold: 5, window_months: "
       "12}",
       "partners.alpha.cooperation={initial: 0.8, baseline: 0.8, adjustment_speed_per_month: 1, noise_sd: 0, "
       "backlash_per_severe_outcome: 0, amendment_bonus: 0.1}",
       "compliance.review_period_months=1", "negotiation.agree_prob_per_review=1",
       "negotiation.entry_into_force_lag_days=30"});
  const auto r = run_replication(s, 0);
  const auto* requested = find_event(r, "amendment_requested");
  const auto* agreed = find_event(r, "negotiation_agreed");
  const auto* in_force = find_event(r, "amendment_in_force");
  REQUIRE(requested);
  REQUIRE(agreed);
  REQUIRE(in_force);
  REQUIRE(requested->detail == "childhood_arrival");
  REQUIRE(agreed->day == requested->day);  // the same month-end: request, then the review agrees
  REQUIRE(in_force->day == agreed->day + 30);
  REQUIRE(total(r, Metric::amendment_requests) == 1);
  REQUIRE(total(r, Metric::negotiation_agreements) == 1);
  // Cooperation is 0.8 before, 0.9 from the first month-end with the amendment in force.
  const auto month_in_force = std::size_t(months_between(s.start_date, s.start_date.plus_days(in_force->day)));
  REQUIRE(at(r, month_in_force - 1, Metric::cooperation) == Approx(0.8));
  REQUIRE(at(r, month_in_force, Metric::cooperation) == Approx(0.9));
  REQUIRE(at(r, month_in_force, Metric::in_force_childhood_arrival) == 1);
  REQUIRE(at(r, month_in_force, Metric::amendments_in_force) == 1);

  // With no chance of agreement the request stays open and nothing changes.
  auto refused = s;
  refused.negotiation.agree_prob_per_review = 0;
  const auto r2 = run_replication(refused, 0);
  REQUIRE(total(r2, Metric::amendment_requests) == 1);
  REQUIRE(last(r2, Metric::amendment_request_open) == 1);
  REQUIRE(total(r2, Metric::negotiation_agreements) == 0);
  REQUIRE(last(r2, Metric::cooperation) == Approx(0.8));
}

TEST_CASE("timeline amendment switches turn amendments on and off", "[diplomacy][amendments]") {
  const auto s =
      make_scenario({"timeline=[{date: 2020-04-01, amendment: {name: annual_cap}}, "
                     "{date: 2020-10-01, amendment: {name: annual_cap, in_force: false}}]"});
  const auto r = run_replication(s, 0);
  REQUIRE(at(r, 2, Metric::in_force_annual_cap) == 0);
  REQUIRE(at(r, 3, Metric::in_force_annual_cap) == 1);
  REQUIRE(at(r, 8, Metric::in_force_annual_cap) == 1);
  REQUIRE(at(r, 9, Metric::in_force_annual_cap) == 0);
  REQUIRE(find_event(r, "amendment_ended"));
}
