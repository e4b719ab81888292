// Run totals made from the outputs table: the medians of days to removal,
// over every removal and over those whose request was sent during the run.
#include <catch2/catch.hpp>
#include <cmath>

#include "engine_fixtures.hpp"
#include "readmit/engine/run_totals.hpp"
#include "readmit/stats/quantiles.hpp"

using namespace readmit;
using readmit::test::make_scenario;

namespace {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return quantile_sorted(values, 0.5);
}

}  // namespace

TEST_CASE("the median days to removal of requests made during the run leaves out back-dated ones",
          "[engine][run_totals]") {
  // A docket on supervision whose requests were sent before the start (up to
  // two years back), and arrivals whose requests are sent during the run.
  const auto s = make_scenario({"partners.alpha.population.docket_at_start=300",
                                "partners.alpha.population.initial_state_shares={supervised: 1}",
                                "partners.alpha.population.pending_request_prob=1",
                                "partners.alpha.population.inflow_per_month=20", "removing_state.redetention_prob=1",
                                "horizon_months=12"});
  const auto result = run_replication(s, 0);
  std::vector<double> all, new_requests;
  for (const auto& removal : result.removals[0]) {
    all.push_back(removal.days_request_to_removal);
    if (removal.first_request_day >= 0) new_requests.push_back(removal.days_request_to_removal);
  }
  REQUIRE(new_requests.size() > 100);
  REQUIRE(all.size() > new_requests.size() + 100);

  const RunTotalsLayout layout(s);
  const auto values = layout.compute(result);
  const auto value = [&](std::size_t slot, std::string_view name) {
    const std::size_t m = layout.metric_index(name);
    REQUIRE(m < layout.metrics().size());
    return values[slot * layout.metrics().size() + m];
  };
  for (const std::size_t slot : {std::size_t(0), layout.overall_slot()}) {
    CHECK(value(slot, "median_days_new_request_to_removal") == median(new_requests));
    CHECK(value(slot, "median_days_request_to_removal") == median(all));
  }
  // Back-dated requests wait longer by the time before the start.
  CHECK(median(new_requests) < median(all));
}

TEST_CASE("without removals of new requests the median is NaN", "[engine][run_totals]") {
  // Only the docket, every request back-dated: nothing is requested during the run.
  const auto s = make_scenario(
      {"partners.alpha.population.docket_at_start=50", "partners.alpha.population.initial_state_shares={supervised: 1}",
       "partners.alpha.population.pending_request_prob=1", "removing_state.redetention_prob=1", "horizon_months=3"});
  const auto result = run_replication(s, 0);
  REQUIRE(!result.removals[0].empty());
  const RunTotalsLayout layout(s);
  const auto values = layout.compute(result);
  CHECK(std::isnan(values[layout.metric_index("median_days_new_request_to_removal")]));
  CHECK(!std::isnan(values[layout.metric_index("median_days_request_to_removal")]));
}
