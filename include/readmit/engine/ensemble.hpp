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
  /// When set, replication k runs the scenario this returns for k instead of
  /// the scenario given (e.g. its assumptions drawn for k); it must depend on
  /// k alone, so that results do not depend on the thread count.
  std::function<Scenario(std::uint64_t replication)> scenario_for;
  /// Called after each finished replication with (finished, total), in
  /// replication order, never concurrently.
  std::function<void(std::int64_t, std::int64_t)> progress;
};

/// Receives one finished replication: its index and its result.
using ReplicationConsumer = std::function<void(std::uint64_t replication, ReplicationResult&& result)>;

/// Runs replications first_replication .. first_replication + options.replications - 1
/// of `scenario` on a task arena of options.threads threads and hands each
/// result to `consume` in increasing replication order, one at a time.
///
/// Memory: at most 8 x threads results are alive at once (windows of
/// replications simulated in parallel, then consumed serially in order), so
/// memory does not grow with the number of replications. `consume` runs on
/// the calling thread.
/// An exception thrown by a replication or by `consume` cancels the remaining
/// work and propagates.
void stream_ensemble(const Scenario& scenario, const EnsembleOptions& options, std::uint64_t first_replication,
                     const ReplicationConsumer& consume);

/// Every result of replications 0 .. options.replications - 1, in order.
/// Memory grows with the replications: for tests and small ensembles; the
/// command line streams with stream_ensemble.
std::vector<ReplicationResult> run_ensemble(const Scenario& scenario, const EnsembleOptions& options);

/// The thread count `threads` stands for: itself, or every core when 0.
unsigned resolved_thread_count(unsigned threads);

}  // namespace readmit
