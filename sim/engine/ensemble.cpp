#include "readmit/engine/ensemble.hpp"

#include <mutex>
#include <optional>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <thread>

namespace readmit {

std::vector<ReplicationResult> run_ensemble(const Scenario& scenario, const EnsembleOptions& options) {
  const auto count = std::size_t(options.replications);
  std::vector<std::optional<ReplicationResult>> slots(count);
  std::mutex progress_mutex;
  std::int64_t finished = 0;
  const int threads = options.threads > 0 ? int(options.threads) : int(std::max(1u, std::thread::hardware_concurrency()));
  // Lift oneTBB's default cap (cores - 1 workers) so that T threads means T.
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, std::size_t(threads));
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(std::size_t(0), count, [&](std::size_t r) {
      slots[r] = run_replication(scenario, r);
      if (options.progress) {
        std::lock_guard lock(progress_mutex);
        options.progress(++finished, options.replications);
      }
    });
  });
  std::vector<ReplicationResult> results;
  results.reserve(count);
  for (auto& slot : slots) results.push_back(std::move(*slot));
  return results;
}

}  // namespace readmit
