// The diplomatic half of the model (docs/model.md §7.14-7.20):
// compliance reviews, the sanction ladder, visa demand, cooperation,
// issue linkage, amendments and negotiation, on the real engine.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "engine_fixtures.hpp"
#include "readmit/model/compliance.hpp"

using namespace readmit;
using readmit::test::at;
using readmit::test::find_event;
using readmit::test::last;
using readmit::test::make_scenario;
using readmit::test::total;

namespace {

/// A partner that never decides: 100 new detainees a month whose requests
/// stay undecided, reviewed weekly (days 6, 13, ...) over a one-month window;
/// the removing state's evidence never fades, and the conduct is just past
/// the threshold (severity 1/0.99: each review adds about one review's worth).
std::vector<std::string> halted(std::vector<std::string> more) {
  std::vector<std::string> o = {"partners.alpha.population.inflow_per_month=100",
                                "partners.alpha.agreement.document_officers=0",
                                "compliance.review_interval_days=7",
                                "compliance.window_months=1",
                                "compliance.timely_days=1",
                                "compliance.uncooperative.undecided_share_above=0.99",
                                "sanctions.effect_lag_days=0",
                                "sanctions.escalate_after=2",
                                "sanctions.evidence_half_life_days=.inf",
                                "sanctions.reviews_wait_for_effect=false",
                                "removing_state.release_prob=0"};
  o.insert(o.end(), more.begin(), more.end());
  return o;
}

std::vector<std::int32_t> event_days(const ReplicationResult& r, std::string_view kind) {
  std::vector<std::int32_t> days;
  for (const auto& e : r.events)
    if (e.kind == kind) days.push_back(e.day);
  return days;
}

ReviewMeasures measures(double median, double undecided, double denied, double charters, double interviews,
                        double releases) {
  return {median, undecided, denied, charters, interviews, releases, 0.0};
}

}  // namespace

TEST_CASE("classification rules: any, all, infinite and NaN thresholds", "[diplomacy][review]") {
  const double nan = std::nan("");
  ClassificationRule never;  // every threshold infinite
  REQUIRE_FALSE(rule_fires(never, measures(1e9, 1, 1, 1, 1, 1)));

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

  ClassificationRule interviews;
  interviews.interview_shortfall_above = 0.25;
  REQUIRE(rule_fires(interviews, measures(nan, nan, nan, nan, 0.3, nan)));
  REQUIRE_FALSE(rule_fires(interviews, measures(nan, nan, nan, nan, 0.2, nan)));

  ComplianceParams compliance;
  compliance.uncooperative = all;
  compliance.at_risk = any;
  REQUIRE(classify(compliance, measures(nan, 0.6, nan, 0.7, 0, 0)) == ComplianceClass::uncooperative);
  REQUIRE(classify(compliance, measures(nan, 0.6, nan, 0.0, 0, 0)) == ComplianceClass::at_risk);
  REQUIRE(classify(compliance, measures(nan, 0.1, nan, 0.0, 0, 0)) == ComplianceClass::compliant);
}

TEST_CASE("a rule that can never fire never fires, even against a partner that decides nothing",
          "[diplomacy][sanctions]") {
  std::vector<std::string> never;
  for (const char* rule : {"uncooperative", "at_risk"})
    for (const char* measure :
         {"median_decision_days_above", "undecided_share_above", "denied_share_above", "charter_refused_share_above",
          "interview_shortfall_above", "undecided_release_share_above"})
      never.push_back(std::string("compliance.") + rule + "." + measure + "=.inf");
  const auto r = run_replication(make_scenario(halted(never)), 0);
  REQUIRE(event_days(r, "review").size() == 104);  // weekly over 24 months
  REQUIRE(total(r, Metric::sanction_decisions) == 0);
  for (std::size_t t = 0; t < 24; ++t) {
    REQUIRE(at(r, t, Metric::sanction_step) == 0);
    REQUIRE(at(r, t, Metric::compliance_class) == 0);
  }
  // The measure itself saw the halt.
  REQUIRE(last(r, Metric::review_undecided_share) == 1.0);
}

TEST_CASE("a rule that always fires reaches the top step after escalate_after x the steps' costs in reviews",
          "[diplomacy][sanctions]") {
  auto run = [](std::vector<std::string> more) {
    const auto s = make_scenario(halted(std::move(more)));
    return std::make_pair(s, run_replication(s, 0));
  };
  // Every step costing the removing state 1: a step every escalate_after reviews.
  const auto [flat, r] =
      run({"sanctions.ladders={us_243d: {steps: [{name: a, visa_categories: [b_general]}, "
           "{name: b, visa_categories: [b_general]}, {name: c, visa_categories: [b_general]}, "
           "{name: d, visa_categories: [b_general]}]}}"});
  const auto steps = flat.sanctions.active_ladder().steps.size();
  REQUIRE(steps == 4);
  const auto reviews = event_days(r, "review");
  const auto decided = event_days(r, "sanction_decided");
  REQUIRE(reviews.front() == 6);  // review_interval_days - 1 after the start
  REQUIRE(decided.size() == steps);
  // Requests sent on day d are undecided on day d + 1: every review from the
  // first finds the partner uncooperative and adds one review's worth of
  // evidence, so decision n falls on review n x escalate_after, and takes
  // effect at once; the evidence starts afresh after each.
  for (std::size_t n = 1; n <= steps; ++n) REQUIRE(decided[n - 1] == reviews[2 * n - 1]);
  REQUIRE(total(r, Metric::sanction_decisions) == double(steps));
  REQUIRE(last(r, Metric::sanction_step) == double(steps));
  REQUIRE(last(r, Metric::compliance_class) == 2);
  // us_243d's steps cost the removing state 1, 1.5, 3 and 4: each needs that
  // many times escalate_after reviews.
  const auto [preset, climbing] = run({});
  const auto preset_reviews = event_days(climbing, "review");
  const auto preset_decided = event_days(climbing, "sanction_decided");
  REQUIRE(preset_decided.size() == steps);
  std::size_t needed = 0;
  for (std::size_t n = 1; n <= steps; ++n) {
    needed += std::size_t(std::ceil(2 * preset.sanctions.active_ladder().steps[n - 1].removing_state_cost));
    REQUIRE(preset_decided[n - 1] == preset_reviews[needed - 1]);
  }
}

TEST_CASE("reviews follow the calendar: an interval in days from a first date, not month ends", "[diplomacy][review]") {
  const auto r = run_replication(
      make_scenario(halted({"compliance.review_interval_days=45", "compliance.first_review_date=2020-02-10"})), 0);
  const auto reviews = event_days(r, "review");
  const std::int32_t first = Date::from_ymd(2020, 2, 10).days_since_epoch - Date::from_ymd(2020, 1, 1).days_since_epoch;
  REQUIRE(reviews.front() == first);
  for (std::size_t i = 1; i < reviews.size(); ++i) REQUIRE(reviews[i] - reviews[i - 1] == 45);
  // The second uncooperative review decides, on its day.
  REQUIRE(event_days(r, "sanction_decided").front() == first + 45);
}

TEST_CASE("de-escalation after compliant reviews, and hysteresis when the ladder may not step down",
          "[diplomacy][sanctions]") {
  // Uncooperative until 1 Sep 2020 (top step by then), then nothing is late any
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
  const auto reviews = event_days(stepping_down, "review");
  const auto decided = event_days(stepping_down, "sanction_decided");
  REQUIRE(decided.size() == 8);  // four steps up, four down
  const std::int32_t relaxed =
      Date::from_ymd(2020, 9, 1).days_since_epoch - Date::from_ymd(2020, 1, 1).days_since_epoch;
  const auto first_compliant = std::size_t(std::lower_bound(reviews.begin(), reviews.end(), relaxed) - reviews.begin());
  // Each step down needs 3 compliant reviews' worth over what the step costs
  // the removing state (4, 3, 1.5, 1: the costliest is lifted soonest).
  const Scenario reference = make_scenario(halted({}));
  const auto& ladder = reference.sanctions.active_ladder();
  std::size_t needed = 0;
  for (std::size_t n = 1; n <= 4; ++n) {
    needed += std::size_t(std::ceil(3.0 / ladder.steps[4 - n].removing_state_cost));
    REQUIRE(decided[3 + n] == reviews[first_compliant + needed - 1]);
  }
  REQUIRE(last(stepping_down, Metric::sanction_step) == 0);
  REQUIRE(last(stepping_down, Metric::compliance_class) == 0);

  const auto sticky = with("false");
  for (std::size_t t = 7; t < 24; ++t) REQUIRE(at(sticky, t, Metric::sanction_step) == 4);
}

TEST_CASE("an at-risk review adds at_risk_weight of evidence and no credit toward lifting", "[diplomacy][sanctions]") {
  // Every review finds the partner at risk only (the uncooperative rule never fires).
  auto run = [](const std::string& weight) {
    return run_replication(
        make_scenario(
            halted({"compliance.uncooperative.undecided_share_above=.inf", "sanctions.at_risk_weight=" + weight,
                    "timeline=[{date: 2020-03-01, sanction: {partner: alpha, step: 1}}]"})),
        0);
  };
  const auto r = run("0");
  REQUIRE(last(r, Metric::compliance_class) == 1);
  REQUIRE(total(r, Metric::sanction_decisions) == 1);  // the timeline's
  REQUIRE(last(r, Metric::sanction_step) == 1);
  REQUIRE(last(r, Metric::sanction_evidence) == 0);
  // At half an uncooperative review's worth: step 1 after 4 at-risk reviews
  // (the timeline's step 1 then changes nothing), step 2 (cost 1.5) 6 later,
  // step 3 (cost 3) 12 after that.
  const auto weighed = run("0.5");
  const auto reviews = event_days(weighed, "review");
  const auto decided = event_days(weighed, "sanction_decided");
  REQUIRE(decided.size() >= 3);
  REQUIRE(decided[0] == reviews[3]);
  REQUIRE(decided[1] == reviews[3 + 6]);
  REQUIRE(decided[2] == reviews[3 + 6 + 12]);
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
                                "sanctions.effect_lag_days=0", "sanctions.allow_deescalation=false",
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

TEST_CASE("the partner's response to sanctions: diminishing returns, a sensitivity that may dig in",
          "[diplomacy][cooperation]") {
  auto cooperation_under = [](double sensitivity, int step) {
    const auto s = make_scenario(
        {"partners.alpha.cooperation={initial: 0.5, baseline: 0.5, adjustment_speed_per_month: 1, noise_sd: 0, "
         "sanction_cost_scale: 0.3, sanction_sensitivity: " +
             std::to_string(sensitivity) + "}",
         "sanctions.effect_lag_days=0",
         "timeline=[{date: 2020-03-01, sanction: {partner: alpha, step: " + std::to_string(step) + "}}]"});
    return run_replication(s, 0);
  };
  const auto r = cooperation_under(0.4, 2);
  REQUIRE(at(r, 1, Metric::cooperation) == Approx(0.5));
  // us_243d steps 1 and 2 cost 0.15 each: C = 0.3, response 0.4 x (1 - e^-1).
  REQUIRE(at(r, 2, Metric::sanction_cost) == Approx(0.3));
  REQUIRE(at(r, 2, Metric::sanction_response) == Approx(0.4 * (1 - std::exp(-1.0))));
  REQUIRE(at(r, 2, Metric::cooperation) == Approx(0.5 + 0.4 * (1 - std::exp(-1.0))));
  // Diminishing returns: the top step adds less than the first two.
  const double top = at(cooperation_under(0.4, 4), 2, Metric::sanction_response);
  REQUIRE(top == Approx(0.4 * (1 - std::exp(-0.7 / 0.3))));
  REQUIRE(top - at(r, 2, Metric::sanction_response) < at(r, 2, Metric::sanction_response));
  // A partner that digs in lowers its cooperation under the same sanction.
  const auto digs_in = cooperation_under(-0.4, 2);
  REQUIRE(at(digs_in, 2, Metric::cooperation) == Approx(0.5 - 0.4 * (1 - std::exp(-1.0))));
}

TEST_CASE("backlash is a rate: severe outcomes per returnee-year and broken ties per removal, fading",
          "[diplomacy][cooperation]") {
  auto run = [](const std::string& inflow, const std::string& spouses) {
    return run_replication(
        make_scenario({"partners.alpha.population.inflow_per_month=" + inflow,
                       "partners.alpha.population.spouse_shares=" + spouses,
                       "partners.alpha.population.age_at_arrival_years=30",
                       "partners.alpha.population.children_count=0",
                       "partners.alpha.returnees.severe_outcome_hazard_per_month=0.01",
                       "partners.alpha.cooperation={initial: 1, baseline: 1, adjustment_speed_per_month: 1, "
                       "noise_sd: 0, backlash_per_severe_rate: 2, backlash_per_family_share: 0.2, "
                       "backlash_half_life_months: 6, backlash_prior_share: 0, sanction_sensitivity: 0}"}),
        0);
  };
  const auto r = run("200", "{citizen: 1}");
  const double keep = std::pow(0.5, 1.0 / 6.0);
  double returned = 0, severe = 0, family = 0, exposure = 0;
  for (std::size_t t = 0; t < 24; ++t) {
    returned = keep * returned + at(r, t, Metric::removals);
    family = keep * family + at(r, t, Metric::removals_breaking_ties);
    exposure = keep * exposure + at(r, t, Metric::returnees_followed) / 12;
    severe = keep * severe + at(r, t, Metric::severe_outcomes);
    INFO("month " << t);
    REQUIRE(at(r, t, Metric::removals_breaking_ties) == at(r, t, Metric::removals));  // everyone has a citizen spouse
    const double expected =
        (returned > 0 ? 0.2 * family / returned : 0.0) + (exposure > 0 ? 2 * severe / exposure : 0.0);
    REQUIRE(at(r, t, Metric::backlash) == Approx(expected));
    REQUIRE(at(r, t, Metric::cooperation) == Approx(std::clamp(1.0 - expected, 0.0, 1.0)));
  }
  REQUIRE(total(r, Metric::severe_outcomes) > 10);
  // Volume alone changes nothing: ten times the removals, about the same backlash.
  const auto large = run("2000", "{citizen: 1}");
  REQUIRE(last(large, Metric::backlash) == Approx(last(r, Metric::backlash)).epsilon(0.15));
  // Removals that break no tie weigh nothing but their severe outcomes.
  const auto no_ties = run("200", "{none: 1}");
  REQUIRE(total(no_ties, Metric::removals_breaking_ties) == 0);
  REQUIRE(last(no_ties, Metric::backlash) < last(r, Metric::backlash) - 0.1);  // 0.2 expected
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

TEST_CASE(
    "the partner requests its amendments when its domestic cost passes its threshold; agreement brings them "
    "into force with a bonus",
    "[diplomacy][negotiation]") {
  const auto s = make_scenario(
      {"partners.alpha.population.inflow_per_month=100", "partners.alpha.population.spouse_shares={citizen: 1}",
       "partners.alpha.amendment_request={amendments: [childhood_arrival], domestic_cost_threshold: 0.1}",
       "partners.alpha.cooperation={initial: 1, baseline: 1, adjustment_speed_per_month: 1, noise_sd: 0, "
       "backlash_per_severe_rate: 0, backlash_per_family_share: 0.2, backlash_prior_share: 0, amendment_bonus: "
       "0.1, "
       "sanction_sensitivity: 0}",
       "negotiation.agree_prob_per_year=1", "negotiation.entry_into_force_lag_days=30"});
  const auto r = run_replication(s, 0);
  const auto* requested = find_event(r, "amendment_requested");
  const auto* agreed = find_event(r, "negotiation_agreed");
  const auto* in_force = find_event(r, "amendment_in_force");
  REQUIRE(requested);
  REQUIRE(agreed);
  REQUIRE(in_force);
  REQUIRE(requested->detail == "childhood_arrival");
  // The first month's removals set the backlash (0.2 > 0.1); the request is
  // made at the next month end and agreed at once (probability 1 a year).
  REQUIRE(agreed->day == requested->day);
  REQUIRE(in_force->day == agreed->day + 30);
  REQUIRE(total(r, Metric::amendment_requests) == 1);
  REQUIRE(total(r, Metric::negotiation_agreements) == 1);
  // Cooperation is 1 - 0.2 before, 1 - 0.2 + 0.1 from the first month-end with the amendment in force.
  const auto month_in_force = std::size_t(months_between(s.start_date, s.start_date.plus_days(in_force->day)));
  REQUIRE(at(r, month_in_force - 1, Metric::cooperation) == Approx(0.8));
  REQUIRE(at(r, month_in_force, Metric::cooperation) == Approx(0.9));
  REQUIRE(at(r, month_in_force, Metric::in_force_childhood_arrival) == 1);
  REQUIRE(at(r, month_in_force, Metric::amendments_in_force) == 1);

  // With no chance of agreement the request stays open and nothing changes.
  auto refused = s;
  refused.negotiation.agree_prob_per_year = 0;
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
