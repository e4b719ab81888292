// The diplomatic sub-models one at a time: sanctions and their lag, the
// review's measures, cooperation's target, visas, linkage, negotiation and
// the timeline.
#include <catch2/catch.hpp>

#include <cmath>

#include "readmit/model/cooperation.hpp"
#include "readmit/model/documents.hpp"
#include "readmit/model/linkage.hpp"
#include "readmit/model/negotiation.hpp"
#include "readmit/model/review.hpp"
#include "readmit/model/sanctions.hpp"
#include "readmit/model/timeline.hpp"
#include "readmit/model/visas.hpp"
#include "world_fixture.hpp"

using namespace readmit;
using readmit::test::TestWorld;

TEST_CASE("a sanction step comes into force after its lag, not before", "[model][sanctions]") {
  TestWorld t({"sanctions.effect_lag_days=28"});
  t.world.day = 10;
  sanctions::decide(t.world, 0, 1, "test");
  CHECK(t.world.partners[0].diplomacy.decided_step == 1);
  CHECK(t.flow(Metric::sanction_decisions) == 1);
  for (t.world.day = 10; t.world.day < 38; ++t.world.day) {
    sanctions::apply_due(t.world);
    REQUIRE(t.world.partners[0].diplomacy.sanction_step == 0);
  }
  sanctions::apply_due(t.world);
  CHECK(t.world.partners[0].diplomacy.sanction_step == 1);
  CHECK(sanctions::pressure(t.world, 0) == Approx(0.15));  // us_243d step 1
  REQUIRE(t.world.result.events.size() == 2);
  CHECK(t.world.result.events[0].detail == "step 1 (officials_dg_plus_b) by test");
  CHECK(t.world.result.events[1].kind == "sanction_in_force");
  CHECK(t.world.result.events[1].day == 38);
  // A decision for a step beyond the ladder is clamped to its top.
  sanctions::decide(t.world, 0, 99, "test");
  CHECK(t.world.partners[0].diplomacy.decided_step == 4);
}

TEST_CASE("reviews escalate after escalate_after uncooperative ones and step down only when allowed",
          "[model][sanctions]") {
  TestWorld t({"sanctions.escalate_after=2", "sanctions.deescalate_after=2", "sanctions.allow_deescalation=true",
               "sanctions.reviews_wait_for_effect=false", "sanctions.effect_lag_days=0"});
  auto& d = t.world.partners[0].diplomacy;
  sanctions::respond_to_review(t.world, 0, 0, ComplianceClass::uncooperative);
  CHECK(d.decided_step == 0);
  sanctions::respond_to_review(t.world, 0, 1, ComplianceClass::at_risk);  // breaks the streak
  sanctions::respond_to_review(t.world, 0, 2, ComplianceClass::uncooperative);
  CHECK(d.decided_step == 0);
  sanctions::respond_to_review(t.world, 0, 3, ComplianceClass::uncooperative);
  CHECK(d.decided_step == 1);
  sanctions::respond_to_review(t.world, 0, 4, ComplianceClass::compliant);
  sanctions::respond_to_review(t.world, 0, 5, ComplianceClass::compliant);
  CHECK(d.decided_step == 0);
  t.world.now.sanctions.allow_deescalation = false;
  sanctions::decide(t.world, 0, 2, "test");
  for (int m = 6; m < 12; ++m) sanctions::respond_to_review(t.world, 0, m, ComplianceClass::compliant);
  CHECK(d.decided_step == 2);
}

TEST_CASE("the review measures the undecided share of requests old enough in the window", "[model][review]") {
  TestWorld t(
      {"compliance.timely_days=30", "compliance.window_months=3", "partners.alpha.agreement.document_officers=0"});
  auto& requests = t.world.partners[0].desk.requests;
  requests = {{0, 10, false},           // decided in time
              {0, 50, false},           // decided late
              {5, 20, true},            // withdrawn early: never late, not counted
              {10, INT32_MAX, false},   // still pending: late
              {80, INT32_MAX, false}};  // too young at the review
  t.world.day = t.world.day_of(Date::from_ymd(2020, 3, 31));
  const auto m = review::measure(t.world, 0, 2);
  CHECK(m.undecided_share == Approx(2.0 / 3.0));
  CHECK(std::isnan(m.median_decision_days));
  CHECK(std::isnan(m.denied_share));
  CHECK(std::isnan(m.release_removal_ratio));
  t.world.metric(1, 0, Metric::custody_releases) = 4;
  CHECK(std::isinf(review::measure(t.world, 0, 2).release_removal_ratio));
  t.world.metric(2, 0, Metric::removals) = 2;
  CHECK(review::measure(t.world, 0, 2).release_removal_ratio == 2);
  const auto held = review::hold(t.world, 0, 2);
  CHECK(held.number == 0);
  CHECK(review::hold(t.world, 0, 2).number == 1);
}

TEST_CASE("cooperation moves toward baseline + pressure - backlash + bonus", "[model][cooperation]") {
  TestWorld t({"partners.alpha.cooperation.baseline=0.5", "partners.alpha.cooperation.adjustment_speed_per_month=1",
               "partners.alpha.cooperation.backlash_per_severe_outcome=0.05",
               "partners.alpha.cooperation.backlash_window_months=2", "partners.alpha.cooperation.noise_sd=0"});
  t.world.partners[0].diplomacy.sanction_step = 1;  // us_243d step 1: +0.15
  t.world.metric(0, 0, Metric::severe_outcomes) = 2;
  cooperation::update(t.world, 0, 0);
  CHECK(t.world.partners[0].diplomacy.cooperation == Approx(0.5 + 0.15 - 0.1));
  cooperation::update(t.world, 0, 1);  // the outcomes of month 0 still weigh
  CHECK(t.world.partners[0].diplomacy.cooperation == Approx(0.55));
  cooperation::update(t.world, 0, 2);  // out of the two-month window
  CHECK(t.world.partners[0].diplomacy.cooperation == Approx(0.65));
  CHECK(t.world.metric(2, 0, Metric::backlash) == 0);
}

TEST_CASE("visas are refused only in the categories of the steps in force", "[model][visas]") {
  TestWorld t({"partners.alpha.visa_demand={b_officials_dg_plus: 50, b_general: 400}"});
  t.world.partners[0].diplomacy.sanction_step = 1;
  visas::demand(t.world, 0, 0);
  const auto& categories = t.world.visa_categories;
  auto column = [&](const std::string& c) {
    return std::size_t(std::find(categories.begin(), categories.end(), c) - categories.begin());
  };
  const auto& monthly = t.world.result.monthly;
  const double officials = monthly.at(0, 0, visa_applications_column(column("b_officials_dg_plus")));
  CHECK(officials > 0);
  CHECK(monthly.at(0, 0, visa_refusals_column(column("b_officials_dg_plus"))) == officials);
  CHECK(monthly.at(0, 0, visa_applications_column(column("b_general"))) > 300);
  CHECK(monthly.at(0, 0, visa_refusals_column(column("b_general"))) == 0);
  CHECK(t.world.metric(0, 0, Metric::visa_refusals) == officials);
}

TEST_CASE("linkage: suspended when a step comes into force, resumed when all are lifted", "[model][linkage]") {
  TestWorld t({"partners.alpha.issue_linkage.suspend_prob_per_step=1", "partners.alpha.issue_linkage.name=remains"});
  auto& d = t.world.partners[0].diplomacy;
  d.sanction_step = 1;
  linkage::respond_to_step(t.world, 0, 0);
  CHECK(d.linkage_suspended);
  CHECK(t.flow(Metric::linkage_suspensions) == 1);
  d.sanction_step = 0;
  linkage::respond_to_step(t.world, 0, 1);
  CHECK_FALSE(d.linkage_suspended);
  CHECK(t.world.result.events.back().kind == "linkage_resumed");
  CHECK(t.world.result.events.back().detail == "remains");
}

TEST_CASE("negotiation: a request after the threshold, agreement, entry into force after the lag",
          "[model][negotiation]") {
  TestWorld t({"partners.alpha.amendment_request.amendments=[family_unity, childhood_arrival]",
               "partners.alpha.amendment_request.severe_outcome_threshold=3",
               "partners.alpha.amendment_request.window_months=2", "negotiation.agree_prob_per_review=1",
               "negotiation.entry_into_force_lag_days=30"});
  t.world.metric(0, 0, Metric::severe_outcomes) = 1;
  negotiation::maybe_request(t.world, 0, 0);
  CHECK_FALSE(t.world.partners[0].amendments.request_open);
  t.world.metric(1, 0, Metric::severe_outcomes) = 2;
  negotiation::maybe_request(t.world, 0, 1);
  CHECK(t.world.partners[0].amendments.request_open);
  t.world.day = 59;
  negotiation::negotiate(t.world, 0, 0);
  CHECK_FALSE(t.world.partners[0].amendments.request_open);
  REQUIRE(t.world.pending_amendments.size() == 2);
  CHECK(t.world.pending_amendments[0].effect_day == 89);
  CHECK(negotiation::wanted(t.world, 0).empty());  // agreed, not yet in force: not asked again
}

TEST_CASE("the timeline applies dated changes at the start of their day", "[model][timeline]") {
  TestWorld t(
      {"timeline=[{date: 2020-02-01, note: cut, set: {partners.alpha.agreement.document_officers: 3}}, "
       "{date: 2020-03-01, sanction: {partner: alpha, step: 2}}]"});
  std::size_t next = 0;
  t.world.day = t.world.day_of(Date::from_ymd(2020, 1, 31));
  timeline::apply_due(t.world, next);
  CHECK(next == 0);
  t.world.day += 1;
  timeline::apply_due(t.world, next);
  CHECK(next == 1);
  CHECK(t.world.params(0).agreement.document_officers == 3);
  CHECK(t.scenario.partners[0].agreement.document_officers == 1000000);  // the scenario itself is frozen
  CHECK(t.world.result.events.back().detail == "cut");
  t.world.day = t.world.day_of(Date::from_ymd(2020, 3, 1));
  timeline::apply_due(t.world, next);
  CHECK(t.world.partners[0].diplomacy.decided_step == 2);
}
