#pragma once
// Helpers for the tests of the partner and review sub-models on the library
// scenarios: loading them, editing their timelines, and paired comparisons
// with common random numbers (replication k of two variants shares streams).
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "readmit/engine/replication.hpp"
#include "readmit/scenario/loader.hpp"

namespace readmit::test {

inline Scenario library_scenario(const std::string& file, const std::vector<std::string>& overrides = {}) {
  return load_scenario(std::string(READMIT_SOURCE_DIR) + "/scenarios/" + file, overrides).scenario;
}

/// The scenario without its timeline entries that `drop` selects.
inline Scenario without_events(Scenario s, const std::function<bool(const TimelineEvent&)>& drop) {
  s.timeline.erase(std::remove_if(s.timeline.begin(), s.timeline.end(), drop), s.timeline.end());
  return s;
}

inline std::vector<ReplicationResult> run_all(const Scenario& s, std::uint64_t replications) {
  std::vector<ReplicationResult> results;
  for (std::uint64_t r = 0; r < replications; ++r) results.push_back(run_replication(s, r));
  return results;
}

inline double sum_months(const ReplicationResult& r, Metric m, std::size_t partner, std::size_t first = 0,
                         std::size_t end = SIZE_MAX) {
  double total = 0;
  for (std::size_t t = first; t < std::min(end, r.monthly.months()); ++t) total += r.monthly.at(t, partner, m);
  return total;
}

/// Mean and the half-width of a 95% t-interval of paired differences
/// (t = 2.2, about right for 10-15 replications).
struct Paired {
  double mean = 0, half_width = 0;
};
inline Paired paired(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = double(a.size());
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  Paired p;
  for (double x : d) p.mean += x / n;
  double variance = 0;
  for (double x : d) variance += (x - p.mean) * (x - p.mean) / (n - 1);
  p.half_width = 2.2 * std::sqrt(variance / n);
  return p;
}

/// Month index of a date in a scenario.
inline std::size_t month_of(const Scenario& s, int year, unsigned month) {
  return std::size_t(months_between(s.start_date, Date::from_ymd(year, month, 1)));
}

}  // namespace readmit::test
