#pragma once
// Scenarios and a peak-memory probe shared by the benchmarks.
//
// Peak RSS growth of one call is measured in-process on Linux: release the
// allocator's free pages (malloc_trim), reset the kernel's high-water mark to
// the current RSS (write "5" to /proc/self/clear_refs, Linux >= 4.0), read
// VmRSS, run, then read VmHWM. The difference is the peak resident memory the
// call added, in whole pages, including memory it freed before returning.
#include <malloc.h>

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "readmit/scenario/loader.hpp"

namespace readmit::bench {

/// A one-partner scenario of `docket` persons whose capacities scale with
/// the docket (officers, seats and inflow proportional to it), so that every
/// size runs the same mix of pipeline events per person over 60 months:
/// only the size changes, and persons per second shows how the engine scales.
inline Scenario synthetic_scenario(std::int64_t docket) {
  const std::int64_t hundredth = docket / 100 > 0 ? docket / 100 : 1;
  const std::vector<std::string> overrides = {
      "partners.alpha.population.docket_at_start=" + std::to_string(docket),
      "partners.alpha.population.inflow_per_month=" + std::to_string(hundredth),
      "partners.alpha.agreement.document_officers=" + std::to_string(hundredth),
      "partners.alpha.flights.charter_seats=" + std::to_string(4 * hundredth),
      "partners.alpha.flights.commercial_seats_per_week=" + std::to_string(hundredth / 5),
  };
  // Every other parameter keeps its default (relief, noise, interviews off,
  // custody reviews, households, returnees and compliance reviews on).
  const char* base = R"(
name: bench_synthetic
start_date: 2020-01-01
horizon_months: 60
seed: 11
partners:
  alpha:
    population:
      docket_at_start: 0
    visa_demand:
      b_general: 500
)";
  DiagnosticSink sink;
  auto tree = parse_yaml(base, "bench-synthetic", sink);
  if (tree) apply_overrides(*tree, overrides, sink);
  sink.throw_if_any();
  return resolve_scenario(*tree).scenario;
}

/// The shipped default scenario, loaded once.
inline const Scenario& cambodia_scenario() {
  static const Scenario scenario = load_scenario(READMIT_SOURCE_DIR "/scenarios/cambodia_2017.yaml").scenario;
  return scenario;
}

/// Resident-memory high-water mark probe (see the file comment).
class PeakRss {
 public:
  /// Frees what the allocator can and resets the high-water mark; returns
  /// false when the kernel does not allow the reset (then nothing is measured).
  bool start() {
    malloc_trim(0);
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.close();
    const auto rss = status_kib("VmRSS:");
    const auto hwm = status_kib("VmHWM:");
    // After a successful reset the mark equals the current RSS (give or
    // take pages touched while reading).
    ok_ = clear.good() && rss && hwm && *hwm <= *rss + 64;
    base_kib_ = rss.value_or(0);
    return ok_;
  }

  /// Bytes the high-water mark rose since start(), or nullopt if unmeasured.
  std::optional<double> growth_bytes() const {
    if (!ok_) return std::nullopt;
    const auto hwm = status_kib("VmHWM:");
    if (!hwm) return std::nullopt;
    return *hwm > base_kib_ ? double(*hwm - base_kib_) * 1024.0 : 0.0;
  }

 private:
  static std::optional<std::int64_t> status_kib(const std::string& field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind(field, 0) == 0) return std::stoll(line.substr(field.size()));
    }
    return std::nullopt;
  }

  bool ok_ = false;
  std::int64_t base_kib_ = 0;
};

}  // namespace readmit::bench
