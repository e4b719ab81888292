#include "readmit/app/assumptions.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "readmit/engine/ensemble.hpp"
#include "readmit/engine/run_totals.hpp"
#include "readmit/model/rng.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/stats/paired.hpp"

namespace readmit {

namespace {

/// A stable key for a parameter path (FNV-1a): draws follow the path, not
/// its place in a file.
std::uint64_t path_key(const std::string& path) {
  std::uint64_t h = 1469598103934665603ull;
  for (const char c : path) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

/// Per replication and slot, the analysed totals: [replication][slot * metrics + metric].
using Totals = std::vector<std::vector<double>>;

Totals run_totals(const Scenario& scenario, std::int64_t replications, unsigned threads,
                  const std::vector<std::size_t>& metric_indices) {
  const RunTotalsLayout layout(scenario);
  Totals out;
  out.reserve(std::size_t(replications));
  EnsembleOptions options;
  options.replications = replications;
  options.threads = threads;
  stream_ensemble(scenario, options, 0, [&](std::uint64_t, ReplicationResult&& result) {
    const auto values = layout.compute(result);
    std::vector<double> kept;
    kept.reserve(layout.slots().size() * metric_indices.size());
    for (std::size_t slot = 0; slot < layout.slots().size(); ++slot)
      for (const auto m : metric_indices) kept.push_back(values[slot * layout.metrics().size() + m]);
    out.push_back(std::move(kept));
  });
  return out;
}

Summary difference(const Totals& alternative, const Totals& baseline, std::size_t column) {
  std::vector<double> a, b;
  for (std::size_t r = 0; r < alternative.size(); ++r) {
    a.push_back(alternative[r][column]);
    b.push_back(baseline[r][column]);
  }
  return paired_difference_finite(a, b);
}

/// -1, 0 or 1: which side of zero the 95% interval lies on (0: it includes zero).
int side(const Summary& s) {
  if (s.n == 0 || std::isnan(s.mean)) return 0;
  if (std::isnan(s.ci95.low)) return s.mean > 0 ? 1 : s.mean < 0 ? -1 : 0;
  if (s.ci95.low > 0) return 1;
  if (s.ci95.high < 0) return -1;
  return 0;
}

/// Whether every paired difference is exactly zero.
bool all_zero(const Totals& alternative, const Totals& baseline, std::size_t column) {
  for (std::size_t r = 0; r < alternative.size(); ++r) {
    const double a = alternative[r][column], b = baseline[r][column];
    if (!(std::isnan(a) && std::isnan(b)) && a != b) return false;
  }
  return true;
}

}  // namespace

Scenario with_declared_value(const Scenario& scenario, const DeclaredRange& range, double value) {
  Scenario out = scenario;
  if (range.integer) {
    range.spec->set(out, range.keys, ParamValue{std::int64_t(std::llround(value))});
  } else if (range.spec->type == ParamType::distribution) {
    Distribution constant = Distribution::constant(value);
    constant.lower = range.spec->min;
    constant.upper = range.spec->max;
    range.spec->set(out, range.keys, ParamValue{constant});
  } else {
    range.spec->set(out, range.keys, ParamValue{value});
  }
  for (auto& declared : out.declared_ranges)
    if (declared.path == range.path) declared.value = range.integer ? std::round(value) : value;
  return out;
}

std::vector<double> assumption_draws(const Scenario& scenario, std::uint64_t replication) {
  std::vector<double> draws;
  for (const auto& range : scenario.declared_ranges) {
    RandomStream rng(scenario.seed, replication, 0, StreamPurpose::assumption_draw, path_key(range.path));
    const double u = rng.uniform01();
    // Whole numbers: each of low..high equally likely.
    draws.push_back(range.integer ? std::min(range.high, range.low + std::floor(u * (range.high - range.low + 1)))
                                  : range.low + u * (range.high - range.low));
  }
  return draws;
}

Scenario with_assumptions_drawn(const Scenario& scenario, std::uint64_t replication) {
  const auto draws = assumption_draws(scenario, replication);
  Scenario out = scenario;
  for (std::size_t i = 0; i < draws.size(); ++i) out = with_declared_value(out, scenario.declared_ranges[i], draws[i]);
  return out;
}

std::string_view robustness_name(Robustness r) {
  switch (r) {
    case Robustness::robust:
      return "robust";
    case Robustness::sign_uncertain:
      return "sign-uncertain";
    case Robustness::fixed:
      return "fixed";
  }
  return "?";
}

std::vector<std::string> assumption_metrics() {
  std::vector<std::string> names;
  for (const auto* total : headline_totals()) names.emplace_back(total->name);
  return names;
}

AssumptionAnalysis analyse_assumptions(const std::vector<const Scenario*>& scenarios, std::int64_t replications,
                                       unsigned threads, const AssumptionProgress& progress) {
  AssumptionAnalysis analysis;
  analysis.metrics = assumption_metrics();
  const Scenario& base = *scenarios.front();
  const RunTotalsLayout layout(base);
  std::vector<std::size_t> metric_indices;
  for (const auto& name : analysis.metrics) metric_indices.push_back(layout.metric_index(name));
  const auto& slots = layout.slots();
  const std::size_t columns = slots.size() * metric_indices.size();
  const auto& ranges = base.declared_ranges;
  const std::size_t total_runs = scenarios.size() * (1 + 2 * ranges.size());
  std::size_t done = 0;
  auto run = [&](const Scenario& s) {
    // Every variant runs with the baseline's seed: common random numbers.
    Scenario seeded = s;
    seeded.seed = base.seed;
    auto totals = run_totals(seeded, replications, threads, metric_indices);
    if (progress) progress(++done, total_runs);
    return totals;
  };
  std::vector<Totals> nominal;
  for (const auto* s : scenarios) nominal.push_back(run(*s));
  // [range][end][scenario]
  std::vector<std::array<std::vector<Totals>, 2>> ends(ranges.size());
  for (std::size_t i = 0; i < ranges.size(); ++i)
    for (int e = 0; e < 2; ++e)
      for (const auto* s : scenarios)
        ends[i][std::size_t(e)].push_back(
            run(with_declared_value(*s, ranges[i], e == 0 ? ranges[i].low : ranges[i].high)));

  for (std::size_t a = 1; a < scenarios.size(); ++a) {
    for (std::size_t c = 0; c < columns; ++c) {
      const std::size_t slot = c / metric_indices.size(), m = c % metric_indices.size();
      RobustnessFlag flag;
      flag.alternative = scenarios[a]->name;
      flag.metric = analysis.metrics[m];
      flag.partner = slots[slot];
      flag.nominal = difference(nominal[a], nominal[0], c);
      const bool fixed = all_zero(nominal[a], nominal[0], c);
      const int nominal_side = side(flag.nominal);
      for (std::size_t i = 0; i < ranges.size(); ++i) {
        AssumptionRow row;
        row.alternative = scenarios[a]->name;
        row.metric = analysis.metrics[m];
        row.partner = slots[slot];
        row.parameter = ranges[i].path;
        row.origin = ranges[i].origin;
        row.low = ranges[i].low;
        row.high = ranges[i].high;
        row.at_low = difference(ends[i][0][a], ends[i][0][0], c);
        row.at_high = difference(ends[i][1][a], ends[i][1][0], c);
        if (fixed) {
          if (!all_zero(ends[i][0][a], ends[i][0][0], c) || !all_zero(ends[i][1][a], ends[i][1][0], c))
            flag.moved_by.push_back(ranges[i].path);
        } else if (nominal_side != 0 && (side(row.at_low) != nominal_side || side(row.at_high) != nominal_side)) {
          flag.flipped_by.push_back(ranges[i].path);
        }
        analysis.rows.push_back(std::move(row));
      }
      flag.flag = fixed                                          ? Robustness::fixed
                  : nominal_side != 0 && flag.flipped_by.empty() ? Robustness::robust
                                                                 : Robustness::sign_uncertain;
      analysis.flags.push_back(std::move(flag));
    }
  }
  return analysis;
}

}  // namespace readmit
