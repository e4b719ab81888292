// Reviews of the partner's own conduct (docs/model.md §7.15): every measure is
// normalised by what was asked of the partner, so nothing the removing state
// did not provide counts against it. On the quiet one-partner fixture.
#include <catch2/catch.hpp>
#include <cmath>

#include "engine/engine_fixtures.hpp"

using namespace readmit;
using readmit::test::at;
using readmit::test::find_event;
using readmit::test::last;
using readmit::test::make_scenario;
using readmit::test::total;

namespace {

/// Weekly reviews over a month; no escalation (the classes are what is checked).
std::vector<std::string> reviewed(std::vector<std::string> more) {
  std::vector<std::string> o = {"partners.alpha.population.inflow_per_month=100", "compliance.window_months=1",
                                "sanctions.escalate_after=100000"};
  o.insert(o.end(), more.begin(), more.end());
  return o;
}

/// Interviews in rounds every 60 days of at most `size` persons, raids of
/// `raid` ahead of each; detainees arrive at 100 a month.
std::vector<std::string> interviewing(const std::string& size, const std::string& raid, std::vector<std::string> more) {
  std::vector<std::string> o = reviewed({"partners.alpha.agreement.interview_required=true",
                                         "partners.alpha.agreement.interview_interval_days=60",
                                         "partners.alpha.agreement.interview_round_size=" + size,
                                         "removing_state.raid_size=" + raid, "removing_state.release_prob=1"});
  o.insert(o.end(), more.begin(), more.end());
  return o;
}

}  // namespace

TEST_CASE("without flights nothing about charters counts, and a working partner stays compliant", "[model][review]") {
  const auto r = run_replication(make_scenario(reviewed({"partners.alpha.flights.charter_interval_days=0"})), 0);
  REQUIRE(total(r, Metric::removals) == 0);
  REQUIRE(total(r, Metric::charters_refused) == 0);
  REQUIRE(std::isnan(last(r, Metric::review_charter_refused_share)));
  for (std::size_t t = 0; t < 24; ++t) REQUIRE(at(r, t, Metric::compliance_class) == 0);
}

TEST_CASE("charters count only when offered with passengers ready", "[model][review]") {
  // The partner refuses every charter; with documents issued that is uncooperative...
  const auto refusing =
      run_replication(make_scenario(reviewed({"partners.alpha.flights.charter_acceptance_base_prob=0"})), 0);
  REQUIRE(total(refusing, Metric::charters_refused) > 50);
  REQUIRE(last(refusing, Metric::review_charter_refused_share) == 1.0);
  REQUIRE(last(refusing, Metric::compliance_class) == 2);
  // ...but with nobody to fly, the same refusals are not on record.
  const auto empty = run_replication(make_scenario(reviewed({"partners.alpha.flights.charter_acceptance_base_prob=0",
                                                             "partners.alpha.population.inflow_per_month=0"})),
                                     0);
  REQUIRE(total(empty, Metric::charters_refused) == 0);
  REQUIRE(std::isnan(last(empty, Metric::review_charter_refused_share)));
  REQUIRE(last(empty, Metric::compliance_class) == 0);
}

TEST_CASE("interviews count up to the round size the partner agreed to", "[model][review]") {
  // Raids present far more than a round holds: a partner interviewing its
  // whole round falls short of nothing.
  const auto full = run_replication(make_scenario(interviewing("10", "100", {})), 0);
  REQUIRE(total(full, Metric::interviews) == 10 * total(full, Metric::interview_rounds));
  REQUIRE(last(full, Metric::review_interview_shortfall) == 0.0);
  // A partner at 0.6 of full cooperation sends 6 of its 10.
  const auto half = run_replication(
      make_scenario(interviewing("10", "100",
                                 {"partners.alpha.cooperation={initial: 0.6, baseline: 0.6, noise_sd: 0, "
                                  "sanction_sensitivity: 0, backlash_per_severe_rate: 0, "
                                  "backlash_per_family_share: 0}"})),
      0);
  REQUIRE(last(half, Metric::review_interview_shortfall) == Approx(0.4));
  REQUIRE(last(half, Metric::compliance_class) == 1);  // at risk, not uncooperative
}

TEST_CASE("a request counts from the day the partner could act on it", "[model][review]") {
  // Requests of persons on supervision wait for the removing state to present
  // them: no raids, so the partner has received nothing.
  const auto waiting =
      run_replication(make_scenario(interviewing("10", "0",
                                                 {"partners.alpha.population.inflow_per_month=0",
                                                  "partners.alpha.population.docket_at_start=300",
                                                  "partners.alpha.population.initial_state_shares={supervised: 1}",
                                                  "partners.alpha.population.pending_request_prob=1"})),
                      0);
  REQUIRE(total(waiting, Metric::interviews) == 0);
  REQUIRE(std::isnan(last(waiting, Metric::review_undecided_share)));
  REQUIRE(last(waiting, Metric::compliance_class) == 0);
  // Decisions are timed from the round, not from the request: the wait for the
  // round is not the partner's delay (decision time: 1 day, started the day after the round).
  const auto presented = run_replication(make_scenario(interviewing("1000", "0", {})), 0);
  REQUIRE(last(presented, Metric::review_median_decision_days) <= 2.0);
  double request_to_decision = 0;
  for (std::size_t t = 12; t < 24; ++t)
    request_to_decision = std::max(request_to_decision, at(presented, t, Metric::decision_days_p50));
  REQUIRE(request_to_decision > 10);
}

TEST_CASE("180-day releases count against the partner only for requests it received and left undecided",
          "[model][review]") {
  // A partner that received the requests (no interviews) and decides none.
  const auto idle = run_replication(
      make_scenario(reviewed({"partners.alpha.agreement.document_officers=0", "removing_state.release_prob=1"})), 0);
  REQUIRE(total(idle, Metric::custody_releases) > 100);
  REQUIRE(total(idle, Metric::custody_releases_undecided) == total(idle, Metric::custody_releases));
  REQUIRE(last(idle, Metric::review_undecided_release_share) > 0.5);
  // A partner that never received them: it agreed to rounds of size 0.
  const auto never_asked = run_replication(make_scenario(interviewing("0", "0", {})), 0);
  REQUIRE(total(never_asked, Metric::custody_releases) > 100);
  REQUIRE(total(never_asked, Metric::custody_releases_undecided) == 0);
  REQUIRE(last(never_asked, Metric::compliance_class) == 0);
}
