// The diplomatic sub-models one at a time: sanctions and their lag, visas,
// linkage and the timeline (the partner's behaviour and the review have
// theirs in test_partner.cpp and test_review.cpp).
#include <catch2/catch.hpp>

#include <cmath>

#include "readmit/model/cooperation.hpp"
#include "readmit/model/documents.hpp"
#include "readmit/model/linkage.hpp"
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
  CHECK(cooperation::sanction_cost(t.world, 0) == Approx(0.15));  // us_243d step 1
  REQUIRE(t.world.result.events.size() == 2);
  CHECK(t.world.result.events[0].detail == "step 1 (officials_dg_plus_b) by test");
  CHECK(t.world.result.events[1].kind == "sanction_in_force");
  CHECK(t.world.result.events[1].day == 38);
  // A decision for a step beyond the ladder is clamped to its top.
  sanctions::decide(t.world, 0, 99, "test");
  CHECK(t.world.partners[0].diplomacy.decided_step == 4);
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
