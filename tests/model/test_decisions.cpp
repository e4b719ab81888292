// The removing state as a decision-maker (docs/model.md §7.16): evidence of
// non-compliance weighed against what sanctioning a partner costs it, on a
// World built by hand (decisions.cpp).
#include <catch2/catch.hpp>

#include <cmath>

#include "readmit/model/decisions.hpp"
#include "readmit/model/sanctions.hpp"
#include "world_fixture.hpp"

using namespace readmit;
using readmit::test::TestWorld;

namespace {

/// Reviews that count at once, evidence that never fades, a ladder whose
/// steps all cost the removing state 1.
std::vector<std::string> plain(std::vector<std::string> more) {
  std::vector<std::string> o = {"sanctions.escalate_after=2",
                                "sanctions.deescalate_after=2",
                                "sanctions.reviews_wait_for_effect=false",
                                "sanctions.effect_lag_days=0",
                                "sanctions.evidence_half_life_days=.inf",
                                "sanctions.ladders={us_243d: {steps: [{name: a, visa_categories: [b_general]}, "
                                "{name: b, visa_categories: [b_general]}]}}"};
  o.insert(o.end(), more.begin(), more.end());
  return o;
}

void review(TestWorld& t, ComplianceClass c, std::int32_t days_later = 7) {
  t.world.day += days_later;
  decisions::respond_to_review(t.world, 0, c);
  sanctions::apply_due(t.world);
}

}  // namespace

TEST_CASE("evidence builds with uncooperative reviews; a step is taken at escalate_after, then lifted on credit",
          "[model][decisions]") {
  TestWorld t(plain({}));
  auto& d = t.world.partners[0].diplomacy;
  review(t, ComplianceClass::uncooperative);
  CHECK(d.evidence == 1);
  CHECK(d.decided_step == 0);
  review(t, ComplianceClass::at_risk);  // at_risk_weight 0: adds nothing, takes no credit
  CHECK(d.evidence == 1);
  review(t, ComplianceClass::uncooperative);
  CHECK(d.decided_step == 1);
  CHECK(d.sanction_step == 1);
  CHECK(d.evidence == 0);  // the next step needs fresh evidence
  review(t, ComplianceClass::compliant);
  review(t, ComplianceClass::uncooperative);  // resets the credit
  CHECK(d.compliance_credit == 0);
  review(t, ComplianceClass::compliant);
  CHECK(d.decided_step == 1);
  review(t, ComplianceClass::compliant);
  CHECK(d.decided_step == 0);
  // Without de-escalation a step, once taken, stays.
  t.world.now.sanctions.allow_deescalation = false;
  sanctions::decide(t.world, 0, 2, "test");
  sanctions::apply_due(t.world);
  for (int n = 0; n < 6; ++n) review(t, ComplianceClass::compliant);
  CHECK(d.decided_step == 2);
}

TEST_CASE("evidence fades with its half-life and weighs how many people wait", "[model][decisions]") {
  TestWorld t(plain({"sanctions.evidence_half_life_days=14", "sanctions.escalate_after=100"}));
  auto& d = t.world.partners[0].diplomacy;
  review(t, ComplianceClass::uncooperative);
  review(t, ComplianceClass::compliant, 14);
  CHECK(d.evidence == Approx(0.5));
  CHECK(decisions::evidence_today(t.world, 0) == Approx(0.5));
  t.world.day += 28;
  CHECK(decisions::evidence_today(t.world, 0) == Approx(0.125));

  // Twice the reference waiting, elasticity 1: a review adds 2.
  TestWorld w(plain(
      {"sanctions.waiting_elasticity=1", "sanctions.waiting_reference_persons=5", "sanctions.escalate_after=100"}));
  for (int i = 0; i < 10; ++i) w.add(StartState::supervised);
  review(w, ComplianceClass::uncooperative);
  CHECK(w.world.partners[0].diplomacy.evidence == Approx(2));
}

TEST_CASE("a partner of more standing needs more evidence for a step, and is relieved sooner", "[model][decisions]") {
  auto reviews_to_step = [](const std::string& trade) {
    TestWorld t(plain(
        {"sanctions.trade_scale_usd_millions=1000", "partners.alpha.standing.trade_usd_millions_per_year=" + trade}));
    int n = 0;
    while (t.world.partners[0].diplomacy.decided_step == 0 && n < 100) {
      review(t, ComplianceClass::uncooperative);
      ++n;
    }
    int relief = 0;
    while (t.world.partners[0].diplomacy.decided_step == 1 && relief < 100) {
      review(t, ComplianceClass::compliant);
      ++relief;
    }
    return std::make_pair(n, relief);
  };
  CHECK(reviews_to_step("0") == std::make_pair(2, 2));
  CHECK(reviews_to_step("1000") == std::make_pair(4, 1));  // standing 1: twice the evidence, half the credit
  CHECK(reviews_to_step("4000") == std::make_pair(10, 1));
  TestWorld t(
      plain({"sanctions.visas_scale=100", "partners.alpha.standing.visas_issued_per_year=300",
             "sanctions.trade_scale_usd_millions=1000", "partners.alpha.standing.trade_usd_millions_per_year=500"}));
  CHECK(decisions::standing(t.world, 0) == Approx(3.5));
  CHECK(decisions::threshold(t.world, 0, 1) == Approx(2 * 4.5));
  TestWorld allied(plain({"sanctions.security_weight=2", "partners.alpha.standing.security_ties=true"}));
  CHECK(decisions::standing(allied.world, 0) == Approx(2));
  CHECK(decisions::threshold(allied.world, 0, 1) == Approx(2 * 3));
  TestWorld apart(plain({"sanctions.security_weight=2"}));  // the weight counts only with ties
  CHECK(decisions::standing(apart.world, 0) == Approx(0));
}

TEST_CASE("no step is taken where a visa sanction cannot bite", "[model][decisions]") {
  TestWorld t(plain({"partners.alpha.standing.visa_services=false"}));
  for (int n = 0; n < 20; ++n) review(t, ComplianceClass::uncooperative);
  CHECK(t.world.partners[0].diplomacy.decided_step == 0);
  CHECK(t.world.partners[0].diplomacy.evidence == 20);  // the evidence is on record all the same
  CHECK(std::isinf(decisions::threshold(t.world, 0, 1)));
}

TEST_CASE("a proposal waits for the standing to be weighed, and a compliant review withdraws it",
          "[model][decisions]") {
  // EU: the Commission proposes on the evidence alone (2); the Council adopts
  // once it reaches 2 x (1 + standing 1) = 4.
  TestWorld t(plain({"sanctions.notice_weighs_standing=false", "sanctions.trade_scale_usd_millions=1000",
                     "partners.alpha.standing.trade_usd_millions_per_year=1000", "sanctions.effect_lag_days=10"}));
  auto& d = t.world.partners[0].diplomacy;
  review(t, ComplianceClass::uncooperative);
  review(t, ComplianceClass::uncooperative);
  CHECK(d.proposal_pending);
  CHECK(d.decided_step == 1);
  CHECK(t.flow(Metric::sanction_proposals) == 1);
  CHECK(t.flow(Metric::sanction_decisions) == 0);
  review(t, ComplianceClass::uncooperative, 10);  // the effect day: evidence 3, not yet
  CHECK(d.sanction_step == 0);
  CHECK(d.proposal_pending);
  review(t, ComplianceClass::uncooperative);  // evidence 4: adopted
  CHECK(d.sanction_step == 1);
  CHECK_FALSE(d.proposal_pending);
  CHECK(t.flow(Metric::sanction_decisions) == 1);
  CHECK(d.evidence == 0);

  TestWorld w(plain({"sanctions.notice_weighs_standing=false", "sanctions.trade_scale_usd_millions=1000",
                     "partners.alpha.standing.trade_usd_millions_per_year=1000"}));
  review(w, ComplianceClass::uncooperative);
  review(w, ComplianceClass::uncooperative);
  CHECK(w.world.partners[0].diplomacy.proposal_pending);
  review(w, ComplianceClass::compliant);
  CHECK_FALSE(w.world.partners[0].diplomacy.proposal_pending);
  CHECK(w.world.partners[0].diplomacy.decided_step == 0);
  CHECK(w.world.result.events.back().kind == "proposal_withdrawn");
  CHECK(w.world.pending_sanctions.empty());
}

TEST_CASE("the decision-maker's discretion is drawn once per partner and replication", "[model][decisions]") {
  TestWorld a(plain({"sanctions.discretion_sd=0.5"}));
  decisions::start(a.world);
  TestWorld b(plain({"sanctions.discretion_sd=0.5"}));
  decisions::start(b.world);
  const double drawn = a.world.partners[0].diplomacy.discretion;
  CHECK(drawn != 1.0);
  CHECK(drawn == b.world.partners[0].diplomacy.discretion);
  CHECK(decisions::threshold(a.world, 0, 1) == Approx(2 * drawn));
  TestWorld none(plain({}));
  decisions::start(none.world);
  CHECK(none.world.partners[0].diplomacy.discretion == 1.0);
}

TEST_CASE("how bad: an uncooperative review adds its severity, how far past its thresholds the conduct is",
          "[model][decisions]") {
  TestWorld t(plain({"sanctions.escalate_after=100"}));
  auto& d = t.world.partners[0].diplomacy;
  // Defaults: uncooperative past an undecided share or a denied share of 0.5.
  d.last_review = {10, 0.6, 0.8, std::nan(""), std::nan(""), std::nan(""), 0};
  review(t, ComplianceClass::uncooperative);
  CHECK(d.evidence == Approx(1.6));  // denied 0.8 / 0.5
  d.last_review = {10, 1.0, std::nan(""), 1.0, std::nan(""), std::nan(""), 0};
  review(t, ComplianceClass::uncooperative);
  CHECK(d.evidence == Approx(1.6 + 2.0));  // a partner that decides nothing: at most twice
  CHECK(severity(t.world.now.compliance.uncooperative, ReviewMeasures::none()) == 1.0);
}
