// One replication: how fast the engine goes through persons as the docket
// grows, what a person costs in peak memory, and how long one replication of
// the default scenario takes.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "bench_support.hpp"
#include "readmit/engine/replication.hpp"

namespace {

using readmit::bench::PeakRss;

// Runs replication 0 of `scenario` per iteration. Counters: persons/s (a
// rate over wall time) and, when the kernel lets us reset the high-water
// mark, the largest peak RSS growth of an iteration and that per person.
void run_and_count(benchmark::State& state, const readmit::Scenario& scenario) {
  double persons = 0;
  double peak_growth = -1;
  double persons_per_replication = 0;
  for (auto _ : state) {
    state.PauseTiming();
    PeakRss probe;
    probe.start();
    state.ResumeTiming();

    {
      const auto result = readmit::run_replication(scenario, 0);
      benchmark::DoNotOptimize(result.persons);

      state.PauseTiming();
      if (const auto growth = probe.growth_bytes()) peak_growth = std::max(peak_growth, *growth);
      persons += double(result.persons);
      persons_per_replication = double(result.persons);
    }  // the result is freed outside the timed region
    state.ResumeTiming();
  }
  state.counters["persons"] = persons_per_replication;
  state.counters["persons_per_s"] = benchmark::Counter(persons, benchmark::Counter::kIsRate);
  if (peak_growth >= 0 && persons_per_replication > 0) {
    state.counters["peak_rss_growth"] =
        benchmark::Counter(peak_growth, benchmark::Counter::kDefaults, benchmark::Counter::OneK::kIs1024);
    state.counters["rss_bytes_per_person"] = peak_growth / persons_per_replication;
  }
}

void BM_SyntheticReplication(benchmark::State& state) {
  const readmit::Scenario scenario = readmit::bench::synthetic_scenario(state.range(0));
  run_and_count(state, scenario);
}

// Docket sizes 1e3, 1e4, 1e5; 1e6 too when READMIT_BENCH_LARGE is set
// (a few seconds and a few hundred MB per iteration).
void docket_sizes(benchmark::internal::Benchmark* b) {
  b->Arg(1'000)->Arg(10'000)->Arg(100'000);
  if (std::getenv("READMIT_BENCH_LARGE") != nullptr) b->Arg(1'000'000);
}

// Wall time: above a few thousand persons the month-end passes of a single
// replication run in parallel on every core.
BENCHMARK(BM_SyntheticReplication)
    ->Apply(docket_sizes)
    ->ArgName("docket")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_CambodiaReplication(benchmark::State& state) { run_and_count(state, readmit::bench::cambodia_scenario()); }
BENCHMARK(BM_CambodiaReplication)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
