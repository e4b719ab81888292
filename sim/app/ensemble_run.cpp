#include "readmit/app/ensemble_run.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>

#include "readmit/engine/ensemble.hpp"
#include "readmit/io/atomic_file.hpp"

namespace readmit {

namespace {

constexpr std::string_view until_ci_form = "expected METRIC=HALF_WIDTH or PARTNER:METRIC=HALF_WIDTH, e.g. removals=5";

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

void check_comparable(const std::vector<std::unique_ptr<ScenarioResults>>& scenarios,
                      const std::vector<std::filesystem::path>& files) {
  const auto& base = scenarios.front()->scenario();
  for (std::size_t i = 1; i < scenarios.size(); ++i) {
    const auto& alt = scenarios[i]->scenario();
    std::vector<std::string> base_partners, alt_partners;
    for (const auto& p : base.partners) base_partners.push_back(p.name);
    for (const auto& p : alt.partners) alt_partners.push_back(p.name);
    if (base_partners != alt_partners)
      throw UsageError("compare: " + files[i].string() + " has partners [" + joined(alt_partners) +
                       "] but the baseline " + files[0].string() + " has [" + joined(base_partners) +
                       "]; common random numbers need the same partners in the same order");
    for (std::size_t j = 0; j < i; ++j)
      if (scenarios[j]->name() == alt.name)
        throw UsageError("compare: " + files[j].string() + " and " + files[i].string() + " are both named \"" +
                         alt.name + "\"; give each scenario its own name");
  }
}

void check_until_ci(const UntilCi& until, const std::vector<std::unique_ptr<ScenarioResults>>& scenarios) {
  for (const auto& s : scenarios) {
    const auto& layout = s->layout();
    if (layout.slot_index(until.partner) == layout.slots().size())
      throw UsageError("--until-ci: unknown partner \"" + until.partner + "\" in " + s->name() +
                       "; known: " + joined(layout.slots()));
    if (layout.metric_index(until.metric) == layout.metrics().size())
      throw UsageError("--until-ci: unknown run total \"" + until.metric + "\" in " + s->name() +
                       "; known: " + joined(layout.metrics()));
  }
}

/// The half-width --until-ci watches: of the run total's interval, or with
/// alternatives the widest interval of their paired differences.
double watched_half_width(const UntilCi& until, const std::vector<std::unique_ptr<ScenarioResults>>& scenarios) {
  const auto& base = *scenarios.front();
  if (scenarios.size() == 1)
    return half_width(
        base.total_summary(base.layout().slot_index(until.partner), base.layout().metric_index(until.metric)).ci95);
  double widest = 0;
  for (std::size_t i = 1; i < scenarios.size(); ++i) {
    const double width = half_width(compare_total(base, *scenarios[i], until.partner, until.metric).difference.ci95);
    if (std::isnan(width)) return width;
    widest = std::max(widest, width);
  }
  return widest;
}

/// Next replication count under --until-ci: the count that the current
/// standard error projects to reach the target (plus 10%), at least 10% more
/// and at most twice as many as now, never above the cap.
std::size_t next_count(std::size_t done, double width, double target, std::size_t cap) {
  std::size_t next = 2 * done;
  if (std::isfinite(width)) {
    const double projected = std::ceil(1.1 * double(done) * (width / target) * (width / target));
    const std::size_t low = done + std::max<std::size_t>(1, done / 10);
    next = std::clamp(projected > double(2 * done) ? 2 * done : std::size_t(projected), low, 2 * done);
  }
  return std::min(next, cap);
}

}  // namespace

UntilCi parse_until_ci(std::string_view text) {
  const auto equals = text.rfind('=');
  if (equals == std::string_view::npos)
    throw UsageError("--until-ci \"" + std::string(text) + "\": " + std::string(until_ci_form));
  UntilCi until;
  std::string_view name = text.substr(0, equals);
  const std::string_view number = text.substr(equals + 1);
  if (const auto colon = name.find(':'); colon != std::string_view::npos) {
    until.partner = std::string(name.substr(0, colon));
    name = name.substr(colon + 1);
  }
  until.metric = std::string(name);
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), until.half_width);
  if (until.metric.empty() || until.partner.empty() || number.empty() || error != std::errc() ||
      end != number.data() + number.size())
    throw UsageError("--until-ci \"" + std::string(text) + "\": " + std::string(until_ci_form));
  if (!(std::isfinite(until.half_width) && until.half_width > 0))
    throw UsageError("--until-ci \"" + std::string(text) + "\": the half-width must be a number > 0");
  return until;
}

std::vector<LoadedScenario> load_ensemble_scenarios(const EnsembleRunOptions& options) {
  if (options.scenarios.empty()) throw UsageError("no scenario given");
  std::vector<LoadedScenario> loaded;
  for (std::size_t i = 0; i < options.scenarios.size(); ++i) {
    std::vector<std::string> overrides = options.overrides;
    if (i < options.scenario_overrides.size())
      overrides.insert(overrides.end(), options.scenario_overrides[i].begin(), options.scenario_overrides[i].end());
    loaded.push_back(load_scenario(options.scenarios[i], overrides));
  }
  // Common random numbers: every scenario runs with the same master seed.
  const std::uint64_t seed = options.seed.value_or(loaded.front().scenario.seed);
  for (auto& l : loaded) l.scenario.seed = seed;
  return loaded;
}

EnsembleRunOutcome run_ensembles(const EnsembleRunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<LoadedScenario> loaded = load_ensemble_scenarios(options);

  std::filesystem::path out_dir = options.out_dir;
  if (out_dir.empty()) {
    std::string name = loaded.front().scenario.name;
    for (std::size_t i = 1; i < loaded.size(); ++i) name += (i == 1 ? "_vs_" : "_") + loaded[i].scenario.name;
    out_dir = std::filesystem::path("results") / name;
  }
  {
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) throw IoError("cannot create output folder '" + out_dir.string() + "': " + ec.message());
  }

  // Creating the results also creates their temporary files in out_dir:
  // an unwritable folder fails here, before any replication runs.
  std::vector<std::unique_ptr<ScenarioResults>> scenarios;
  for (auto& l : loaded) scenarios.push_back(std::make_unique<ScenarioResults>(std::move(l), out_dir));
  check_comparable(scenarios, options.scenarios);
  try {
    check_output_selection(options.outputs, *scenarios.front());
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  if (options.until_ci) check_until_ci(*options.until_ci, scenarios);

  std::size_t count =
      std::size_t(options.replications > 0 ? options.replications : scenarios.front()->scenario().replications);
  const std::size_t cap = std::size_t(std::max<std::int64_t>(options.max_replications, 2));
  if (options.until_ci) count = std::min(std::max<std::size_t>(count, 2), cap);

  std::optional<StoppingReport> stopping;
  std::size_t done = 0;
  while (true) {
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      EnsembleOptions ensemble;
      ensemble.replications = std::int64_t(count - done);
      ensemble.threads = options.threads;
      if (options.progress)
        ensemble.progress = [&, i, name = scenarios[i]->name()](std::int64_t finished, std::int64_t) {
          const auto n = std::int64_t(scenarios.size());
          options.progress(name, std::int64_t(done) * n + std::int64_t(i * (count - done)) + finished,
                           std::int64_t(count) * n);
        };
      ScenarioResults& results = *scenarios[i];
      const ReplicationConsumer add = [&results](std::uint64_t, ReplicationResult&& result) { results.add(result); };
      if (options.stream)
        options.stream(i, results.scenario(), ensemble, done, add);
      else
        stream_ensemble(results.scenario(), ensemble, done, add);
    }
    done = count;
    if (!options.until_ci) break;
    const UntilCi& until = *options.until_ci;
    const double width = watched_half_width(until, scenarios);
    const bool reached = width <= until.half_width;
    if (reached || done >= cap) {
      stopping = StoppingReport{.partner = until.partner,
                                .metric = until.metric,
                                .paired = scenarios.size() > 1,
                                .target_half_width = until.half_width,
                                .achieved_half_width = width,
                                .max_replications = cap,
                                .target_reached = reached};
      break;
    }
    count = next_count(done, width, until.half_width, cap);
  }

  std::vector<const ScenarioResults*> views;
  for (const auto& s : scenarios) views.push_back(s.get());
  RunInfo info;
  info.command = scenarios.size() > 1 ? "compare" : "run";
  info.command_line = options.command_line;
  info.threads = resolved_thread_count(options.threads);
  info.write_monthly = options.write_monthly;
  info.outputs = options.outputs;
  info.stopping = stopping;
  info.started = started;
  write_outputs(out_dir, views, info);

  EnsembleRunOutcome outcome;
  outcome.out_dir = out_dir;
  outcome.replications = done;
  outcome.summary = summary_table(views);
  outcome.stopping = stopping;
  outcome.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return outcome;
}

}  // namespace readmit
