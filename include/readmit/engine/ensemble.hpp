#pragma once
// Many replications of one scenario, run in parallel on a oneTBB task arena.
// Results come back in replication order and do not depend on the thread
// count: each replication draws only from its own keyed streams.
#include <cstdint>
#include <functional>
#include <vector>

#include "readmit/engine/replication.hpp"

namespace readmit {

struct EnsembleOptions {
  std::int64_t replications = 1;
  unsigned threads = 0;  // 0: every core
  /// Called after each finished replication with (finished, total); may be
  /// called from worker threads, never concurrently.
  std::function<void(std::int64_t, std::int64_t)> progress;
};

std::vector<ReplicationResult> run_ensemble(const Scenario& scenario, const EnsembleOptions& options);

}  // namespace readmit
