#pragma once
// One replication of a scenario: the sub-models of sim/model/ run day by
// day in the order sim/engine/schedule.cpp writes down.
#include <cstdint>

#include "readmit/model/replication_result.hpp"
#include "readmit/scenario/scenario.hpp"

namespace readmit {

/// Runs replication `replication` (0-based) of `scenario` with its seed.
/// Deterministic: the result depends only on (scenario, seed, replication).
ReplicationResult run_replication(const Scenario& scenario, std::uint64_t replication);

}  // namespace readmit
