// Ensemble thread scaling: 32 replications of the default scenario on 1, 2
// and every core. Counters: replications per second (wall time), the
// speed-up over the 1-thread run of the same process (a ratio within one run,
// never across runs), the cores the process actually got (process CPU time
// over wall time: a speed-up below it points at the engine, a speed-up equal
// to it at a busy machine), and the peak RSS growth of the ensemble.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>
#include <thread>

#include "bench_support.hpp"
#include "readmit/engine/ensemble.hpp"

namespace {

constexpr std::int64_t ensemble_replications = 32;

// Mean wall seconds of one ensemble at 1 thread, set by the 1-thread run,
// which is registered (and so runs) first. Stays 0 when that run is filtered
// out or the order is shuffled (--benchmark_enable_random_interleaving).
double one_thread_seconds = 0;

void BM_CambodiaEnsemble(benchmark::State& state) {
  const readmit::Scenario& scenario = readmit::bench::cambodia_scenario();
  const auto threads = static_cast<unsigned>(state.range(0));
  const readmit::EnsembleOptions options{ensemble_replications, threads, {}, {}};

  double seconds = 0;
  double cpu_seconds = 0;  // process CPU time, every thread
  double peak_growth = -1;
  for (auto _ : state) {
    state.PauseTiming();
    readmit::bench::PeakRss probe;
    probe.start();
    state.ResumeTiming();

    {
      const auto begin = std::chrono::steady_clock::now();
      const std::clock_t cpu_begin = std::clock();
      const auto results = readmit::run_ensemble(scenario, options);
      cpu_seconds += double(std::clock() - cpu_begin) / CLOCKS_PER_SEC;
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
      benchmark::DoNotOptimize(results.data());

      state.PauseTiming();
      if (const auto growth = probe.growth_bytes()) peak_growth = std::max(peak_growth, *growth);
    }  // the results are freed outside the timed region
    state.ResumeTiming();
  }

  const double per_ensemble = seconds / double(state.iterations());
  if (threads == 1) one_thread_seconds = per_ensemble;
  state.counters["replications_per_s"] =
      benchmark::Counter(double(ensemble_replications) * double(state.iterations()), benchmark::Counter::kIsRate);
  if (one_thread_seconds > 0 && per_ensemble > 0)
    state.counters["speedup_vs_1_thread"] = one_thread_seconds / per_ensemble;
  if (seconds > 0) {
    const double cores_used = cpu_seconds / seconds;
    state.counters["cores_used"] = cores_used;
    // Another busy process (on a shared machine, even one in another session:
    // the scheduler shares CPU time between sessions) caps the speed-up.
    if (cores_used < 0.8 * double(threads)) {
      state.SetLabel("got " + std::to_string(cores_used).substr(0, 4) + " of " + std::to_string(threads) + " cores");
    }
  }
  if (peak_growth >= 0) {
    state.counters["peak_rss_growth"] =
        benchmark::Counter(peak_growth, benchmark::Counter::kDefaults, benchmark::Counter::OneK::kIs1024);
  }
}

// 1 and 2 threads, then every core when that is more than 2.
void thread_counts(benchmark::internal::Benchmark* b) {
  b->Arg(1)->Arg(2);
  const unsigned cores = std::thread::hardware_concurrency();
  if (cores > 2) b->Arg(static_cast<std::int64_t>(cores));
}

BENCHMARK(BM_CambodiaEnsemble)->Apply(thread_counts)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
