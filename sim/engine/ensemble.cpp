#include "readmit/engine/ensemble.hpp"

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <algorithm>
#include <optional>
#include <thread>

namespace readmit {

unsigned resolved_thread_count(unsigned threads) {
  return threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
}

void stream_ensemble(const Scenario& scenario, const EnsembleOptions& options, std::uint64_t first_replication,
                     const ReplicationConsumer& consume) {
  if (options.replications <= 0) return;
  const auto count = std::uint64_t(options.replications);
  const unsigned threads = resolved_thread_count(options.threads);
  // Lift oneTBB's default cap (cores - 1 workers) so that T threads means T.
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
  tbb::task_arena arena(static_cast<int>(threads));
  // Replications run in windows of 8 x T: simulated in parallel, then handed
  // to `consume` in order before the next window starts. The window bounds
  // memory; its size keeps the threads busy (a window's slowest replication
  // idles the others for at most about 1/8 of the window). `consume` runs on
  // the calling thread between windows, so it needs no locking, and the
  // results reach it in replication order whatever the scheduling.
  const std::uint64_t window = 8 * std::uint64_t(threads);
  std::vector<std::optional<ReplicationResult>> slots(std::size_t(std::min(window, count)));
  std::int64_t finished = 0;
  for (std::uint64_t start = 0; start < count; start += window) {
    const auto size = std::size_t(std::min(window, count - start));
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, size, 1), [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          const std::uint64_t replication = first_replication + start + i;
          if (options.scenario_for)
            slots[i] = run_replication(options.scenario_for(replication), replication);
          else
            slots[i] = run_replication(scenario, replication);
        }
      });
    });
    for (std::size_t i = 0; i < size; ++i) {
      consume(first_replication + start + i, std::move(*slots[i]));
      slots[i].reset();
      if (options.progress) options.progress(++finished, options.replications);
    }
  }
}

std::vector<ReplicationResult> run_ensemble(const Scenario& scenario, const EnsembleOptions& options) {
  std::vector<ReplicationResult> results;
  results.reserve(std::size_t(std::max<std::int64_t>(options.replications, 0)));
  stream_ensemble(scenario, options, 0,
                  [&](std::uint64_t, ReplicationResult&& result) { results.push_back(std::move(result)); });
  return results;
}

}  // namespace readmit
