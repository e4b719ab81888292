// The checks of docs/model.md (Verification) that do not need sanctions, and unit
// tests of single transitions, on the real engine.
#include <catch2/catch.hpp>
#include <cmath>

#include "engine_fixtures.hpp"
#include "readmit/engine/ensemble.hpp"

using namespace readmit;
using readmit::test::last;
using readmit::test::make_scenario;
using readmit::test::total;

namespace {

constexpr Metric pending_states[] = {Metric::stock_prison, Metric::stock_detained, Metric::stock_awaiting_document,
                                     Metric::stock_scheduled, Metric::stock_supervised};
constexpr Metric terminal_states[] = {Metric::stock_removed, Metric::stock_relief, Metric::stock_exempted,
                                      Metric::stock_unremovable};

double sum_of(const ReplicationResult& r, std::size_t month, std::size_t partner,
              std::initializer_list<Metric> metrics) {
  double s = 0;
  for (Metric m : metrics) s += r.monthly.at(month, partner, m);
  return s;
}

}  // namespace

TEST_CASE("persons are conserved every month, by partner, in the default scenario", "[engine][conservation]") {
  const auto loaded = load_scenario(READMIT_SOURCE_DIR "/scenarios/cambodia_2017.yaml");
  for (std::uint64_t replication : {0u, 1u}) {
    const auto r = run_replication(loaded.scenario, replication);
    for (std::size_t k = 0; k < r.monthly.partners(); ++k) {
      double arrivals = 0;
      double previous_pending = double(loaded.scenario.partners[k].population.docket_at_start);
      for (std::size_t t = 0; t < r.monthly.months(); ++t) {
        arrivals += r.monthly.at(t, k, Metric::arrivals);
        double pending = 0, terminal = 0;
        for (Metric m : pending_states) pending += r.monthly.at(t, k, m);
        for (Metric m : terminal_states) terminal += r.monthly.at(t, k, m);
        INFO("partner " << k << " month " << t);
        // Every person is in exactly one state.
        REQUIRE(pending + terminal == double(loaded.scenario.partners[k].population.docket_at_start) + arrivals);
        // Inflow - outflow = change in the pending stock.
        const double outflow =
            sum_of(r, t, k, {Metric::removals, Metric::relief, Metric::exemptions, Metric::category_refusals});
        REQUIRE(pending - previous_pending == r.monthly.at(t, k, Metric::arrivals) - outflow);
        previous_pending = pending;
      }
    }
  }
}

TEST_CASE("infinite capacity, acceptance 1, no delays: everyone is removed by the next flight", "[engine][limit]") {
  const auto s = make_scenario({"partners.alpha.population.docket_at_start=500", "horizon_months=2"});
  const auto r = run_replication(s, 0);
  // Requests on day 0, documents on day 1, the charter of day 7 takes everyone.
  REQUIRE(r.monthly.at(0, 0, Metric::stock_removed) == 500);
  REQUIRE(r.monthly.at(0, 0, Metric::charters_flown) >= 1);
  const auto& scheduled = r.tallies[0][std::size_t(PersonState::scheduled)];
  REQUIRE(scheduled.exits == 500);
  REQUIRE(scheduled.completed_stay_days / scheduled.exits <= 7.0);

  // With inflow, nobody waits longer than one flight interval once removable.
  const auto flowing = make_scenario({"partners.alpha.population.inflow_per_month=40", "horizon_months=12"});
  const auto f = run_replication(flowing, 3);
  const auto& stay = f.tallies[0][std::size_t(PersonState::scheduled)];
  REQUIRE(stay.exits > 300);
  REQUIRE(stay.completed_stay_days / stay.exits <= 7.0);
  REQUIRE(last(f, Metric::stock_scheduled) + last(f, Metric::stock_awaiting_document) <= 40);
}

TEST_CASE("acceptance 0: no removals, every detained person released at day 180", "[engine][limit]") {
  const auto s =
      make_scenario({"partners.alpha.population.docket_at_start=300", "partners.alpha.agreement.acceptance_base_prob=0",
                     "removing_state.release_prob=1", "horizon_months=12"});
  const auto r = run_replication(s, 0);
  REQUIRE(total(r, Metric::removals) == 0);
  REQUIRE(total(r, Metric::custody_releases) == 300);
  REQUIRE(total(r, Metric::bed_days) == 300.0 * 180.0);
  REQUIRE(last(r, Metric::stock_supervised) == 300);
  REQUIRE(total(r, Metric::denials) > 300);  // denied, re-requested after the lag, denied again
}

TEST_CASE("Little's law holds for every state and for the document queue", "[engine][queue]") {
  // A stationary flow: inflow through prison, detention, the queue, flights.
  const auto s = make_scenario(
      {"horizon_months=240", "partners.alpha.population.inflow_per_month=60",
       "partners.alpha.population.inflow_state_shares={prison: 0.5, detained: 0.5}",
       "partners.alpha.population.sentence_remaining_days={dist: exponential, mean: 200}",
       "partners.alpha.agreement.document_officers=150",
       "partners.alpha.agreement.decision_time_days={dist: exponential, mean: 40}",
       "partners.alpha.agreement.acceptance_base_prob=0.7", "partners.alpha.agreement.rerequest_lag_days=20",
       "partners.alpha.flights.charter_interval_days=30", "removing_state.request_lag_days=15"});
  const auto r = run_replication(s, 0);
  const double days = 240 * 30.436875;
  auto check = [&](const StateTally& t, const char* name) {
    INFO(name << ": entries " << t.entries << ", exits " << t.exits);
    REQUIRE(t.exits > 1000);
    const double mean_stock = t.person_days / days;
    const double arrival_rate = t.entries / days;
    const double mean_stay = t.completed_stay_days / t.exits;
    REQUIRE(mean_stock == Approx(arrival_rate * mean_stay).epsilon(0.05));
  };
  check(r.tallies[0][std::size_t(PersonState::prison)], "prison");
  check(r.tallies[0][std::size_t(PersonState::detained)], "detained");
  check(r.tallies[0][std::size_t(PersonState::awaiting_document)], "awaiting_document");
  check(r.tallies[0][std::size_t(PersonState::scheduled)], "scheduled");
  check(r.tallies[0][document_queue_tally], "document queue");
}

TEST_CASE("the document queue matches M/M/1 and M/M/c mean waiting times", "[engine][queue]") {
  // Poisson requests (arrivals are a Poisson process and request at once),
  // exponential decisions. Tolerance: 3 standard errors of the mean over
  // independent replications, plus 3% for whole-day time steps.
  struct Case {
    int servers;
    double mean_service_days;
    double arrivals_per_day;
    double expected_wait_days;
  };
  // M/M/1: Wq = rho / (mu - lambda). M/M/2 with rho = 0.75: Wq = C(2, a) / (c mu - lambda).
  const double lambda2 = 0.075, mu2 = 0.05, a = lambda2 / mu2, rho2 = a / 2;
  const double erlang_c = (a * a / 2 / (1 - rho2)) / (1 + a + a * a / 2 / (1 - rho2));
  const Case cases[] = {{1, 10.0, 0.07, 0.7 / (0.1 - 0.07)}, {2, 20.0, lambda2, erlang_c / (2 * mu2 - lambda2)}};
  for (const auto& c : cases) {
    const double per_month = c.arrivals_per_day * 30.436875;
    const auto s =
        make_scenario({"horizon_months=1200", "partners.alpha.population.inflow_per_month=" + std::to_string(per_month),
                       "partners.alpha.agreement.document_officers=" + std::to_string(c.servers),
                       "partners.alpha.agreement.decision_time_days={dist: exponential, mean: " +
                           std::to_string(c.mean_service_days) + "}"});
    std::vector<double> waits;
    for (std::uint64_t rep = 0; rep < 16; ++rep) {
      const auto r = run_replication(s, rep);
      const auto& q = r.tallies[0][document_queue_tally];
      waits.push_back(q.completed_stay_days / q.exits);
    }
    double mean = 0, var = 0;
    for (double w : waits) mean += w / double(waits.size());
    for (double w : waits) var += (w - mean) * (w - mean) / double(waits.size() - 1);
    const double standard_error = std::sqrt(var / double(waits.size()));
    INFO("servers " << c.servers << ": simulated " << mean << " +- " << standard_error << ", theory "
                    << c.expected_wait_days);
    REQUIRE(std::abs(mean - c.expected_wait_days) <= 3 * standard_error + 0.03 * c.expected_wait_days);
  }
}

TEST_CASE("single transitions", "[engine][transition]") {
  SECTION("detention is capacity-limited: the overflow is released on supervision") {
    const auto r = run_replication(make_scenario({"partners.alpha.population.inflow_per_month=100",
                                                  "removing_state.detention_beds=0", "horizon_months=3"}),
                                   0);
    REQUIRE(total(r, Metric::released_no_bed) == total(r, Metric::arrivals));
    REQUIRE(total(r, Metric::bed_days) == 0);
  }
  SECTION("a category refusal makes the person unremovable") {
    const auto r = run_replication(make_scenario({"partners.alpha.population.docket_at_start=200",
                                                  "partners.alpha.agreement.refuse_arrived_under_age_years=100"}),
                                   0);
    REQUIRE(total(r, Metric::category_refusals) == 200);
    REQUIRE(last(r, Metric::stock_unremovable) == 200);
    REQUIRE(total(r, Metric::removals) == 0);
  }
  SECTION("unused documents expire and the request starts again") {
    const auto r = run_replication(
        make_scenario({"partners.alpha.population.docket_at_start=50", "partners.alpha.flights.charter_interval_days=0",
                       "partners.alpha.agreement.document_validity_days=30", "removing_state.custody_review_days=3650",
                       "horizon_months=6"}),
        0);
    REQUIRE(total(r, Metric::removals) == 0);
    REQUIRE(total(r, Metric::documents_expired) >= 50 * 4);
    REQUIRE(total(r, Metric::acceptances) >= total(r, Metric::documents_expired));
    REQUIRE(total(r, Metric::acceptances) <= total(r, Metric::documents_expired) + 50);
  }
  SECTION("every drop-off ends in relief when the relief share is 1") {
    const auto r =
        run_replication(make_scenario({"partners.alpha.population.docket_at_start=100",
                                       "removing_state.flight_dropoff_prob=1", "removing_state.dropoff_relief_prob=1"}),
                        0);
    REQUIRE(total(r, Metric::removals) == 0);
    REQUIRE(total(r, Metric::flight_dropoffs) == 100);
    REQUIRE(last(r, Metric::stock_relief) == 100);
  }
  SECTION("a document issued to a person on supervision re-detains them") {
    const auto r = run_replication(
        make_scenario({"partners.alpha.population.docket_at_start=100",
                       "partners.alpha.population.initial_state_shares={supervised: 1}",
                       "partners.alpha.population.pending_request_prob=1", "removing_state.redetention_prob=1"}),
        0);
    REQUIRE(total(r, Metric::redetentions) == 100);
    REQUIRE(total(r, Metric::removals) == 100);
  }
  SECTION("children stay behind when households never follow") {
    const auto r = run_replication(
        make_scenario({"partners.alpha.population.docket_at_start=100", "partners.alpha.population.children_count=2",
                       "partners.alpha.population.child_age_years=5",
                       "partners.alpha.household.follow_prob_citizen_spouse=0",
                       "partners.alpha.household.follow_prob_resident_spouse=0",
                       "partners.alpha.household.follow_prob_no_spouse=0"}),
        0);
    REQUIRE(total(r, Metric::removals) == 100);
    REQUIRE(total(r, Metric::children_affected) == 200);
    REQUIRE(total(r, Metric::households_followed) == 0);
    // Two children separated for each detained day: day 0 to the flight of day 7.
    REQUIRE(total(r, Metric::child_days_separated) == 2 * total(r, Metric::bed_days));
  }
  SECTION("returnee hazards: a certain severe outcome ends every follow-up in its first month") {
    const auto r = run_replication(make_scenario({"partners.alpha.population.docket_at_start=80",
                                                  "partners.alpha.returnees.severe_outcome_hazard_per_month=1"}),
                                   0);
    REQUIRE(total(r, Metric::severe_outcomes) == 80);
    REQUIRE(last(r, Metric::returnees_followed) == 0);
  }
  SECTION("the reintegration programme admits at most its monthly capacity") {
    const auto r = run_replication(make_scenario({"partners.alpha.population.docket_at_start=80",
                                                  "partners.alpha.returnees.reintegration_capacity_per_month=25"}),
                                   0);
    REQUIRE(total(r, Metric::reintegration_admissions) == 25);
  }
  SECTION("a timeline halt stops new decisions from its date") {
    const auto r = run_replication(
        make_scenario({"partners.alpha.population.inflow_per_month=30",
                       "timeline=[{date: 2020-07-01, set: {partners.alpha.agreement.document_officers: 0}}]"}),
        0);
    for (std::size_t t = 0; t < 6; ++t) REQUIRE(r.monthly.at(t, 0, Metric::decisions) > 0);
    for (std::size_t t = 7; t < 24; ++t) REQUIRE(r.monthly.at(t, 0, Metric::decisions) == 0);
    REQUIRE(last(r, Metric::stock_document_queue) > 400);
  }
  SECTION("the 180-day clock: with no document, release at exactly custody_review_days") {
    const auto r = run_replication(
        make_scenario({"partners.alpha.population.docket_at_start=10", "partners.alpha.agreement.document_officers=0",
                       "removing_state.custody_review_days=90", "removing_state.release_prob=1"}),
        0);
    REQUIRE(total(r, Metric::bed_days) == 10 * 90);
  }
}

TEST_CASE("replications are reproducible and independent of the thread count", "[engine][determinism]") {
  const auto loaded = load_scenario(READMIT_SOURCE_DIR "/scenarios/cambodia_2017.yaml");
  auto flat = [](const std::vector<ReplicationResult>& results) {
    std::vector<double> values;
    for (const auto& r : results)
      for (std::size_t t = 0; t < r.monthly.months(); ++t)
        for (std::size_t i = 0; i < metric_count; ++i) values.push_back(r.monthly.at(t, 0, Metric(i)));
    return values;
  };
  auto same = [](const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
    return true;
  };
  const auto one = flat(run_ensemble(loaded.scenario, {4, 1, {}, {}}));
  const auto two = flat(run_ensemble(loaded.scenario, {4, 2, {}, {}}));
  const auto four = flat(run_ensemble(loaded.scenario, {4, 4, {}, {}}));
  REQUIRE(same(one, two));
  REQUIRE(same(one, four));
  Scenario reseeded = loaded.scenario;
  reseeded.seed += 1;
  REQUIRE_FALSE(same(one, flat(run_ensemble(reseeded, {4, 2, {}, {}}))));
}
