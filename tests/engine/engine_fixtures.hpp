#pragma once
// Scenarios for engine tests, built from a small YAML base plus overrides,
// so that each test switches off everything but the mechanism it checks.
#include <string>
#include <string_view>
#include <vector>

#include "readmit/engine/replication.hpp"
#include "readmit/scenario/loader.hpp"

namespace readmit::test {

/// One partner with every random and delaying mechanism off, as YAML under
/// `partners:`: full cooperation, no interviews, decisions in a day, a
/// charter every week with unlimited seats.
inline std::string quiet_partner_yaml(const std::string& name) {
  return "  " + name + ":\n" + R"(    population:
      docket_at_start: 0
      inflow_per_month: 0
      initial_state_shares: {detained: 1}
      inflow_state_shares: {detained: 1}
    agreement:
      document_officers: 1000000
      decision_time_days: 1
      acceptance_base_prob: 1
      document_validity_days: 3650
    flights:
      charter_interval_days: 7
      charter_offset_days: 0
      charter_seats: 1000000
      charter_acceptance_base_prob: 1
    cooperation: {initial: 1, baseline: 1, noise_sd: 0, sanction_sensitivity: 0, backlash_per_severe_rate: 0, backlash_per_family_share: 0}
    returnees: {severe_outcome_hazard_per_month: 0, homelessness_hazard_per_month: 0, remigration_hazard_per_month: 0}
)";
}

/// A one-partner scenario with every random and delaying mechanism off:
/// no relief, no noise, full cooperation, no interviews, unlimited beds.
inline const std::string quiet_base_yaml = R"(
name: test
start_date: 2020-01-01
horizon_months: 24
seed: 7
removing_state:
  relief_hazard_per_month: 0
  flight_dropoff_prob: 0
  itinerary_notice_days: 0
  request_lag_days: 0
partners:
)" + quiet_partner_yaml("alpha");

inline Scenario make_scenario(const std::vector<std::string>& overrides, const std::string& base = quiet_base_yaml) {
  DiagnosticSink sink;
  auto tree = parse_yaml(base, "engine-test-base", sink);
  apply_overrides(*tree, overrides, sink);
  sink.throw_if_any();
  return resolve_scenario(*tree).scenario;
}

inline double total(const ReplicationResult& result, Metric metric, std::size_t partner = 0) {
  double sum = 0;
  for (std::size_t t = 0; t < result.monthly.months(); ++t) sum += result.monthly.at(t, partner, metric);
  return sum;
}

inline double last(const ReplicationResult& result, Metric metric, std::size_t partner = 0) {
  return result.monthly.at(result.monthly.months() - 1, partner, metric);
}

/// A metric of one month.
inline double at(const ReplicationResult& result, std::size_t month, Metric metric, std::size_t partner = 0) {
  return result.monthly.at(month, partner, metric);
}

/// The nth logged event of a kind, or nullptr.
inline const LoggedEvent* find_event(const ReplicationResult& result, std::string_view kind, std::size_t nth = 0) {
  for (const auto& e : result.events)
    if (e.kind == kind && nth-- == 0) return &e;
  return nullptr;
}

}  // namespace readmit::test
