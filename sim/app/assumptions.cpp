#include "readmit/app/assumptions.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "readmit/engine/ensemble.hpp"
#include "readmit/engine/run_totals.hpp"
#include "readmit/io/csv.hpp"
#include "readmit/io/run_output.hpp"
#include "readmit/model/rng.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/stats/paired.hpp"
#include "readmit/util/text.hpp"

namespace readmit {

namespace {

/// A stable key for a parameter path (FNV-1a): draws follow the path, not
/// its place in a file.
std::uint64_t path_key(const std::string& path) {
  std::uint64_t h = 1469598103934665603ull;
  for (const char c : path) h = (h ^ std::uint64_t(static_cast<unsigned char>(c))) * 1099511628211ull;
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
/// The difference alternative - baseline when it is the same in every
/// replication (replications where both are undefined aside), else nullopt.
std::optional<double> constant_difference(const Totals& alternative, const Totals& baseline, std::size_t column) {
  std::optional<double> constant;
  for (std::size_t r = 0; r < alternative.size(); ++r) {
    const double a = alternative[r][column], b = baseline[r][column];
    if (std::isnan(a) && std::isnan(b)) continue;
    const double d = a - b;
    if (std::isnan(d) || (constant && d != *constant)) return std::nullopt;
    constant = d;
  }
  return constant.value_or(0.0);
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

namespace {

/// Whether `scenario` has the baseline's value for `range` (then the range moves in it too).
bool shares_value(const Scenario& scenario, const DeclaredRange& range) {
  for (const auto& own : scenario.declared_ranges)
    if (own.path == range.path)
      return std::fabs(own.value - range.value) <= 1e-12 * std::max(1.0, std::fabs(range.value));
  return false;
}

bool all_zero_values(const Totals& totals, std::size_t column) {
  return std::all_of(totals.begin(), totals.end(), [column](const auto& row) { return row[column] == 0; });
}

std::string joined(const std::vector<std::string>& names, std::size_t most = 4) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < most; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > most) text += " and " + std::to_string(names.size() - most) + " more";
  return text;
}

/// "path [low, high]" for the ranges named, as a reader finds them in the scenario.
std::string with_ranges(const std::vector<std::string>& paths, const std::vector<DeclaredRange>& ranges) {
  std::vector<std::string> named;
  for (const auto& path : paths)
    for (const auto& r : ranges)
      if (r.path == path) named.push_back(path + " [" + format_number(r.low) + ", " + format_number(r.high) + "]");
  return joined(named);
}

/// "at PATH = END: DIFF [CI] (flips)" for each range end where the difference leaves
/// the side of zero it has at the scenarios' values (at most 3, the largest
/// moves first).
std::string ends_that_flip(const AssumptionAnalysis& analysis, const RobustnessFlag& flag) {
  struct End {
    std::string text;
    double move;
  };
  std::vector<End> ends;
  const int nominal_side = side(flag.nominal);
  for (const auto& row : analysis.rows) {
    if (row.alternative != flag.alternative || row.metric != flag.metric || row.partner != flag.partner) continue;
    for (const auto& [value, at] : {std::pair{row.low, row.at_low}, std::pair{row.high, row.at_high}})
      if (side(at) != nominal_side)
        ends.push_back({row.parameter + " = " + format_number(value) + ": " + with_interval(at.mean, at.ci95) +
                            (side(at) == 0 ? " (zero within)" : " (flips)"),
                        std::fabs(at.mean - flag.nominal.mean)});
  }
  std::stable_sort(ends.begin(), ends.end(), [](const End& a, const End& b) { return a.move > b.move; });
  std::string text = "at ";
  for (std::size_t i = 0; i < ends.size() && i < 3; ++i) text += (i ? "; " : "") + ends[i].text;
  if (ends.size() > 3) text += "; and " + std::to_string(ends.size() - 3) + " more ends (robustness.csv)";
  return text;
}

}  // namespace

AssumptionAnalysis analyse_assumptions(const std::vector<const Scenario*>& scenarios, std::int64_t replications,
                                       unsigned threads, const AssumptionProgress& progress) {
  AssumptionAnalysis analysis;
  const Scenario& base = *scenarios.front();
  analysis.baseline = base.name;
  analysis.replications = replications;
  analysis.metrics = assumption_metrics();
  analysis.ranges = base.declared_ranges;
  const RunTotalsLayout layout(base);
  std::vector<std::size_t> metric_indices;
  for (const auto& name : analysis.metrics) metric_indices.push_back(layout.metric_index(name));
  const auto& slots = layout.slots();
  const std::size_t columns = slots.size() * metric_indices.size();
  const auto& ranges = base.declared_ranges;
  for (std::size_t a = 1; a < scenarios.size(); ++a) {
    analysis.alternatives.push_back(scenarios[a]->name);
    analysis.kept_apart.emplace_back();
    for (const auto& r : ranges)
      if (!shares_value(*scenarios[a], r)) analysis.kept_apart.back().push_back(r.path);
  }
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
      for (std::size_t k = 0; k < scenarios.size(); ++k) {
        const Scenario& s = *scenarios[k];
        const bool moves = k == 0 || shares_value(s, ranges[i]);
        ends[i][std::size_t(e)].push_back(
            run(moves ? with_declared_value(s, ranges[i], e == 0 ? ranges[i].low : ranges[i].high) : s));
      }

  for (std::size_t a = 1; a < scenarios.size(); ++a) {
    for (std::size_t c = 0; c < columns; ++c) {
      const std::size_t slot = c / metric_indices.size(), m = c % metric_indices.size();
      RobustnessFlag flag;
      flag.alternative = scenarios[a]->name;
      flag.metric = analysis.metrics[m];
      flag.partner = slots[slot];
      flag.nominal = difference(nominal[a], nominal[0], c);
      // The same difference in every replication is no measurement: an input or a rule decides it.
      const auto pinned = constant_difference(nominal[a], nominal[0], c);
      const bool fixed = pinned.has_value();
      if (fixed)
        flag.pinned_by = *pinned != 0 ? "the same difference in every replication (an input decides it)"
                         : all_zero_values(nominal[0], c) ? "zero in both in every replication"
                                                          : "equal in every replication";
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
          if (constant_difference(ends[i][0][a], ends[i][0][0], c) != pinned ||
              constant_difference(ends[i][1][a], ends[i][1][0], c) != pinned)
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

std::string robustness_text(const AssumptionAnalysis& analysis) {
  std::ostringstream out;
  out << "what each difference rests on: " << analysis.ranges.size() << " declared ranges of " << analysis.baseline
      << ", each at both ends, one at a time (" << analysis.replications
      << " paired replications each; assumptions.csv, robustness.csv)\n";
  std::size_t width = 0;
  for (const auto& m : analysis.metrics) width = std::max(width, m.size());
  for (std::size_t a = 0; a < analysis.alternatives.size(); ++a) {
    out << "  " << analysis.alternatives[a] << " - " << analysis.baseline << ", all partners:\n";
    if (!analysis.kept_apart[a].empty())
      out << "    (not moved in " << analysis.alternatives[a]
          << ", which sets its own value: " << joined(analysis.kept_apart[a]) << ")\n";
    for (const auto& flag : analysis.flags) {
      if (flag.partner != "all" || flag.alternative != analysis.alternatives[a]) continue;
      std::string line = "    " + flag.metric + std::string(width + 2 - flag.metric.size(), ' ');
      std::string diff = with_interval(flag.nominal.mean, flag.nominal.ci95);
      diff.resize(std::max<std::size_t>(diff.size() + 2, 28), ' ');
      line += diff + std::string(robustness_name(flag.flag));
      switch (flag.flag) {
        case Robustness::robust:
          line += ": the same sign at both ends of every range";
          break;
        case Robustness::sign_uncertain:
          line += flag.flipped_by.empty() ? ": its interval includes zero" : ": " + ends_that_flip(analysis, flag);
          break;
        case Robustness::fixed:
          line += ": " + flag.pinned_by +
                  (flag.moved_by.empty() ? "; no range moves it"
                                         : "; moved by " + with_ranges(flag.moved_by, analysis.ranges));
          break;
      }
      out << line << "\n";
    }
  }
  return out.str();
}

void write_assumption_files(const Directory& directory, const AssumptionAnalysis& analysis, StagedFiles* staging) {
  std::string rows;
  {
    CsvWriter csv(rows);
    csv.write_row({"alternative", "baseline", "metric", "partner", "parameter", "origin", "low", "high",
                   "difference_at_low", "at_low_ci95_low", "at_low_ci95_high", "difference_at_high", "at_high_ci95_low",
                   "at_high_ci95_high"});
    for (const auto& r : analysis.rows)
      csv.write_values(r.alternative, analysis.baseline, r.metric, r.partner, r.parameter, value_origin_name(r.origin),
                       r.low, r.high, r.at_low.mean, r.at_low.ci95.low, r.at_low.ci95.high, r.at_high.mean,
                       r.at_high.ci95.low, r.at_high.ci95.high);
  }
  write_file_atomically(directory, "assumptions.csv", rows, staging);
  std::string flags;
  {
    CsvWriter csv(flags);
    csv.write_row({"alternative", "baseline", "metric", "partner", "difference", "ci95_low", "ci95_high", "flag",
                   "flipped_by", "moved_by", "pinned_by"});
    auto listed = [](const std::vector<std::string>& names) {
      std::string text;
      for (const auto& n : names) text += (text.empty() ? "" : ";") + n;
      return text;
    };
    for (const auto& f : analysis.flags)
      csv.write_values(f.alternative, analysis.baseline, f.metric, f.partner, f.nominal.mean, f.nominal.ci95.low,
                       f.nominal.ci95.high, robustness_name(f.flag), listed(f.flipped_by), listed(f.moved_by),
                       f.pinned_by);
  }
  write_file_atomically(directory, "robustness.csv", flags, staging);
}

std::function<Scenario(std::uint64_t)> assumption_scenarios(const Scenario& scenario) {
  if (scenario.declared_ranges.empty())
    throw std::invalid_argument("--uncertainty assumptions: scenario " + scenario.name +
                                " declares no range ({value, range, reason}); there is nothing to draw");
  auto shared = std::make_shared<const Scenario>(scenario);
  return [shared](std::uint64_t replication) { return with_assumptions_drawn(*shared, replication / 2); };
}

VarianceSplit variance_split(std::string partner, std::string metric, const std::vector<double>& values) {
  VarianceSplit split;
  split.partner = std::move(partner);
  split.metric = std::move(metric);
  split.replications = values.size();
  std::vector<double> finite;
  for (double v : values)
    if (std::isfinite(v)) finite.push_back(v);
  split.variance = split.chance_variance = split.assumption_share = std::numeric_limits<double>::quiet_NaN();
  if (finite.size() < 2) return split;
  double mean = 0;
  for (double v : finite) mean += v / double(finite.size());
  double sum = 0;
  for (double v : finite) sum += (v - mean) * (v - mean);
  split.variance = sum / double(finite.size() - 1);
  double within = 0;
  std::size_t pairs = 0;
  for (std::size_t k = 0; k + 1 < values.size(); k += 2)
    if (std::isfinite(values[k]) && std::isfinite(values[k + 1])) {
      within += (values[k] - values[k + 1]) * (values[k] - values[k + 1]) / 2;
      ++pairs;
    }
  if (pairs == 0) return split;
  split.chance_variance = within / double(pairs);
  split.assumption_share = split.variance > 0 ? std::clamp(1 - split.chance_variance / split.variance, 0.0, 1.0) : 0.0;
  return split;
}

std::string variance_text(const std::string& scenario, const std::vector<VarianceSplit>& splits) {
  std::ostringstream out;
  out << scenario << ": variance of each total across replications, from the declared ranges and from chance "
      << "(--uncertainty assumptions; variance.csv)\n";
  std::size_t width = 0;
  for (const auto& s : splits) width = std::max(width, s.metric.size());
  for (const auto& s : splits) {
    if (s.partner != "all") continue;
    out << "    " << s.metric << std::string(width + 2 - s.metric.size(), ' ');
    if (std::isnan(s.assumption_share)) {
      out << "NA (fewer than two replications)\n";
      continue;
    }
    if (s.variance == 0) {
      out << "the same in every replication\n";
      continue;
    }
    char line[96];
    std::snprintf(line, sizeof line, "%3.0f%% ranges, %3.0f%% chance", 100 * s.assumption_share,
                  100 * (1 - s.assumption_share));
    out << line << "\n";
  }
  return out.str();
}

void write_variance_file(const Directory& directory,
                         const std::vector<std::pair<std::string, std::vector<VarianceSplit>>>& splits,
                         StagedFiles* staging) {
  std::string rows;
  {
    CsvWriter csv(rows);
    csv.write_row({"scenario", "partner", "metric", "replications", "variance", "chance_variance", "assumption_share"});
    for (const auto& [scenario, list] : splits)
      for (const auto& s : list)
        csv.write_values(scenario, s.partner, s.metric, s.replications, s.variance, s.chance_variance,
                         s.assumption_share);
  }
  write_file_atomically(directory, "variance.csv", rows, staging);
}

}  // namespace readmit
