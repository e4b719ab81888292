// Partners' days run in parallel inside one replication (custody.hpp): the
// result must be that of partners running one after another in partner
// order, bit for bit, at any thread count, whether the beds bind or not.
#include <catch2/catch.hpp>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <cmath>
#include <optional>

#include "engine_fixtures.hpp"
#include "readmit/model/custody.hpp"

using namespace readmit;
using readmit::test::make_scenario;
using readmit::test::quiet_base_yaml;
using readmit::test::quiet_partner_yaml;

namespace {

/// Six partners of very different sizes, with prison releases, raids and
/// re-detention (everything that takes a bed), over a year.
std::string six_partners_yaml() {
  std::string yaml = quiet_base_yaml;
  for (const char* name : {"beta", "gamma", "delta", "epsilon", "zeta"}) yaml += quiet_partner_yaml(name);
  return yaml;
}

std::vector<std::string> busy(std::int64_t beds) {
  std::vector<std::string> o{"horizon_months=12",
                             "removing_state.detention_beds=" + std::to_string(beds),
                             "removing_state.relief_hazard_per_month=0.01",
                             "removing_state.raid_size=30",
                             "removing_state.redetention_prob=0.5",
                             "removing_state.release_prob=0.7"};
  const std::pair<const char*, int> sizes[] = {{"alpha", 4000}, {"beta", 200},    {"gamma", 1500},
                                               {"delta", 50},   {"epsilon", 800}, {"zeta", 10}};
  for (const auto& [name, docket] : sizes) {
    const std::string p = std::string("partners.") + name + ".";
    o.push_back(p + "population.docket_at_start=" + std::to_string(docket));
    o.push_back(p + "population.inflow_per_month=" + std::to_string(docket / 20 + 1));
    o.push_back(p + "population.initial_state_shares={prison: 0.3, detained: 0.2, supervised: 0.5}");
    o.push_back(p + "population.inflow_state_shares={prison: 0.5, detained: 0.5}");
    o.push_back(p + "population.pending_request_prob=0.5");
    o.push_back(p + "agreement.document_officers=" + std::to_string(docket / 100 + 1));
    o.push_back(p + "agreement.decision_time_days={dist: exponential, mean: 40}");
    o.push_back(p + "agreement.acceptance_base_prob=0.6");
    o.push_back(p + "agreement.interview_required=true");
    o.push_back(p + "agreement.interview_interval_days=45");
    o.push_back(p + "agreement.interview_round_size=" + std::to_string(docket / 50 + 1));
    o.push_back(p + "flights.charter_seats=" + std::to_string(docket / 40 + 1));
  }
  return o;
}

ReplicationResult run_on(const Scenario& scenario, int threads) {
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
  tbb::task_arena arena(threads);
  std::optional<ReplicationResult> result;
  arena.execute([&] { result = run_replication(scenario, 3); });
  return std::move(*result);
}

bool same(const ReplicationResult& a, const ReplicationResult& b) {
  const auto& x = a.monthly;
  const auto& y = b.monthly;
  for (std::size_t t = 0; t < x.months(); ++t)
    for (std::size_t k = 0; k < x.partners(); ++k)
      for (std::size_t c = 0; c < x.columns(); ++c) {
        const double u = x.at(t, k, c), v = y.at(t, k, c);
        if (!(u == v || (std::isnan(u) && std::isnan(v)))) return false;
      }
  if (a.events.size() != b.events.size() || a.persons != b.persons) return false;
  for (std::size_t i = 0; i < a.events.size(); ++i)
    if (a.events[i].day != b.events[i].day || a.events[i].kind != b.events[i].kind ||
        a.events[i].detail != b.events[i].detail)
      return false;
  return a.removals == b.removals;
}

}  // namespace

TEST_CASE("one replication gives the same bits on 1, 2 and 4 threads, with beds free or binding",
          "[engine][determinism][parallel]") {
  // 1e6 beds never bind: every day runs in parallel waves. 400 beds bind on
  // most days: partners whose worst case does not fit run alone.
  for (const std::int64_t beds : {1000000, 400}) {
    INFO(beds << " beds");
    const auto scenario = make_scenario(busy(beds), six_partners_yaml());
    const auto one = run_on(scenario, 1);
    CHECK(same(one, run_on(scenario, 2)));
    CHECK(same(one, run_on(scenario, 4)));
    double no_bed = 0;
    for (std::size_t t = 0; t < one.monthly.months(); ++t)
      for (std::size_t k = 0; k < one.monthly.partners(); ++k) no_bed += one.monthly.at(t, k, Metric::released_no_bed);
    if (beds == 400) CHECK(no_bed > 0);  // the beds did bind
    if (beds == 1000000) CHECK(no_bed == 0);
  }
}

TEST_CASE("partners sharing beds run as if in partner order: waves where beds cannot run out", "[engine][parallel]") {
  auto scenario = make_scenario({"removing_state.detention_beds=10"}, six_partners_yaml());
  World world(scenario, 0);
  std::vector<std::size_t> order;
  std::vector<bool> assured(world.partners.size());
  // Bounds 3, 4, 2 fit in 10 free beds together (9); then 5 does not fit
  // after them, so the next wave starts from partner 3 with the beds counted.
  const std::vector<std::int64_t> bounds{3, 4, 2, 5, 0, 11};
  custody::for_each_partner_sharing_beds(world, bounds, [&](std::size_t k) {
    assured[k] = world.partners[k].beds_assured;
    if (k == 1) world.partners[k].detained += 4;  // partner 1 takes 4 beds
  });
  CHECK(assured == std::vector<bool>{true, true, true, true, true, false});
  for (const auto& partner : world.partners) CHECK_FALSE(partner.beds_assured);
  CHECK(custody::beds_in_use(world) == 4);
}
