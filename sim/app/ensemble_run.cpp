#include "readmit/app/ensemble_run.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <memory>

#include "readmit/app/assumptions.hpp"
#include "readmit/engine/ensemble.hpp"
#include "readmit/engine/run_totals.hpp"
#include "readmit/io/atomic_file.hpp"
#include "readmit/io/output_folder.hpp"
#include "readmit/model/metrics.hpp"
#include "readmit/util/text.hpp"

namespace readmit {

namespace {

constexpr std::string_view until_ci_form = "expected METRIC=HALF_WIDTH or PARTNER:METRIC=HALF_WIDTH, e.g. removals=5";

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

void check_comparable(const std::vector<LoadedScenario>& scenarios, const std::vector<std::filesystem::path>& files) {
  const auto& base = scenarios.front().scenario;
  for (std::size_t i = 1; i < scenarios.size(); ++i) {
    const auto& alt = scenarios[i].scenario;
    std::vector<std::string> base_partners, alt_partners;
    for (const auto& p : base.partners) base_partners.push_back(p.name);
    for (const auto& p : alt.partners) alt_partners.push_back(p.name);
    if (base_partners != alt_partners)
      throw UsageError("compare: " + files[i].string() + " has partners [" + joined(alt_partners) +
                       "] but the baseline " + files[0].string() + " has [" + joined(base_partners) +
                       "]; common random numbers need the same partners in the same order");
    for (std::size_t j = 0; j < i; ++j)
      if (scenarios[j].scenario.name == alt.name)
        throw UsageError("compare: " + files[j].string() + " and " + files[i].string() + " are both named \"" +
                         alt.name + "\"; give each scenario its own name");
  }
}

void check_until_ci(const UntilCi& until, const std::vector<LoadedScenario>& scenarios) {
  for (const auto& s : scenarios) {
    const RunTotalsLayout layout(s.scenario);
    if (layout.slot_index(until.partner) == layout.slots().size())
      throw UsageError("--until-ci: unknown partner \"" + until.partner + "\" in " + s.scenario.name +
                       "; known: " + joined(layout.slots()));
    if (layout.metric_index(until.metric) == layout.metrics().size())
      throw UsageError("--until-ci: unknown run total \"" + until.metric + "\" in " + s.scenario.name +
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

/// results/NAME, or results/BASE_vs_ALT(_ALT...) for a comparison: only
/// scenario names, which are safe names (letters, digits, '_', '-'), so the
/// folder is always a child of results/. Very many alternatives are counted
/// instead of named, to keep the name short.
std::filesystem::path default_out_dir(const std::vector<LoadedScenario>& loaded) {
  std::string name = loaded.front().scenario.name;
  for (std::size_t i = 1; i < loaded.size(); ++i) name += (i == 1 ? "_vs_" : "_") + loaded[i].scenario.name;
  if (name.size() > 200)
    name = loaded.front().scenario.name + "_vs_" + std::to_string(loaded.size() - 1) + "_alternatives";
  return std::filesystem::path("results") / name;
}

/// The largest monthly inflow a partner reaches, from its parameter or the timeline.
double largest_inflow(const Scenario& scenario, std::size_t partner) {
  double inflow = scenario.partners[partner].population.inflow_per_month;
  const std::string path = "partners." + scenario.partners[partner].name + ".population.inflow_per_month";
  for (const auto& event : scenario.timeline)
    for (const auto& a : event.assignments)
      if (a.path == path) inflow = std::max(inflow, std::get<double>(a.value));
  return inflow;
}

}  // namespace

void check_resources(double memory_bytes, const std::string& explanation, double disk_bytes,
                     const std::string& disk_words, std::uint64_t max_memory_bytes,
                     const std::filesystem::path& out_dir, const std::string& subject) {
  // --max-memory is the limit when given (also above what this machine has
  // free now: the estimate is an upper bound); otherwise the memory available.
  const std::uint64_t available = available_memory_bytes();
  double limit = max_memory_bytes > 0 ? double(max_memory_bytes)
                 : available > 0      ? double(available)
                                      : std::numeric_limits<double>::infinity();
  const std::string limited_by = max_memory_bytes > 0 ? "--max-memory " + format_bytes(limit)
                                                      : "the " + format_bytes(limit) + " of memory available";
  if (memory_bytes > limit)
    throw UsageError(subject + " needs about " + format_bytes(memory_bytes) + " of memory (" + explanation +
                     "), more than " + limited_by + "; use fewer --threads, fewer replications or a smaller scenario" +
                     (max_memory_bytes > 0 ? std::string()
                                           : ", or give a larger --max-memory to run anyway (the estimate is an upper "
                                             "bound)"));
  // The disk that will hold the folder: its nearest existing ancestor's.
  std::filesystem::path existing = std::filesystem::absolute(out_dir);
  std::error_code ec;
  while (!existing.empty() && !std::filesystem::exists(existing, ec) && existing != existing.parent_path())
    existing = existing.parent_path();
  const auto space = std::filesystem::space(existing, ec);
  if (!ec && disk_bytes > double(space.available))
    throw UsageError(subject + " writes about " + format_bytes(disk_bytes) + " into " + out_dir.string() + " (" +
                     disk_words + "), more than the " + format_bytes(double(space.available)) + " free there");
}

void check_person_limit(const Scenario& scenario, double persons) {
  // The engine numbers persons and their children with 32 bits.
  constexpr double max_indexed = double(std::numeric_limits<std::uint32_t>::max());
  double children = 0;
  for (const auto& p : scenario.partners)
    children = std::max(children, std::min(p.population.children_count.upper, 255.0));
  if (persons > max_indexed || persons * children > max_indexed)
    throw UsageError("scenario " + scenario.name + " would create about " + format_number(std::round(persons)) +
                     " persons a replication (docket + inflow x months) and up to " +
                     format_number(std::round(persons * children)) + " children; a replication holds at most " +
                     format_number(max_indexed) + " of each");
}

void refuse_option(const OptionLimit& limit, std::string_view found) {
  throw UsageError(std::string(limit.name) + ": expected a whole number in " + std::string(limit.range) + ", found " +
                   excerpt(found));
}

std::int64_t check_option(const OptionLimit& limit, std::int64_t value) {
  if (value < limit.min || value > limit.max) refuse_option(limit, std::to_string(value));
  return value;
}

RunEstimate estimate_run(std::span<const Scenario* const> scenarios, std::size_t replications, unsigned threads,
                         bool write_monthly) {
  RunEstimate e;
  e.threads =
      unsigned(std::max<std::size_t>(1, std::min<std::size_t>(threads, std::max<std::size_t>(1, replications))));
  const double reps = double(replications);
  constexpr double base_bytes = 50e6;  // the program, oneTBB's arena, buffers
  double in_flight = 0, totals = 0, statistics = 0;
  for (const Scenario* s : scenarios) {
    double persons = 0;
    for (std::size_t k = 0; k < s->partners.size(); ++k)
      persons += double(s->partners[k].population.docket_at_start) + largest_inflow(*s, k) * double(s->horizon_months);
    persons += 5 * std::sqrt(persons);  // Poisson arrivals: well above the mean
    e.persons_per_replication = std::max(e.persons_per_replication, persons);
    const double months = double(s->horizon_months), partners = double(s->partners.size());
    const double columns = double(monthly_column_names(*s).size());
    const double metrics = double(RunTotalsLayout(*s).metrics().size());
    // Results waiting to be consumed in order: 8 per thread, each its monthly
    // values and at most one removal time per person.
    in_flight = std::max(in_flight, 8.0 * e.threads * (months * partners * columns * 8 + persons * 8));
    totals += reps * (partners + 1) * metrics * 8;
    statistics = std::max(statistics, std::max(double(statistics_block_bytes), reps * partners * columns * 8));
    // Events: a review of every partner each review interval (the timeline
    // switches reviews off at most) and a few others a month, about 60
    // bytes a row, kept in a temporary file during the run and then written.
    const double days = double(s->end_date().days_since_epoch - s->start_date.days_since_epoch);
    const double reviews =
        s->compliance.review_interval_days > 0 ? days / double(s->compliance.review_interval_days) + 1 : 0;
    const double event_bytes = reps * partners * (reviews + months) * 60;
    e.kept_bytes += reps * months * partners * columns * 8 + event_bytes;  // monthly values and events, during the run
    e.timeseries_bytes += months * (partners + 1) * columns * 150;
    e.replications_bytes += reps * (partners + 1) * metrics * 40;
    e.summary_bytes += (partners + 1) * metrics * 150;
    e.events_bytes += event_bytes;
    e.monthly_bytes += write_monthly ? reps * months * partners * columns * 45 : 0;
  }
  e.disk_bytes = e.kept_bytes + e.timeseries_bytes + e.replications_bytes + e.events_bytes + e.monthly_bytes;
  const double simulation = double(e.threads) * e.persons_per_replication * bytes_per_person;
  e.memory_per_thread_bytes = e.persons_per_replication * bytes_per_person + in_flight / double(e.threads);
  e.memory_bytes = base_bytes + simulation + in_flight + totals + statistics;
  e.explanation = format_number(std::round(e.persons_per_replication)) + " persons a replication x " +
                  format_number(bytes_per_person) + " B x " + std::to_string(e.threads) +
                  " replications at once = " + format_bytes(simulation) + ", results and statistics " +
                  format_bytes(in_flight + totals + statistics + base_bytes);
  return e;
}

std::uint64_t available_memory_bytes() {
  std::uint64_t available = 0;
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kilobytes = 0;
  std::string unit;
  while (meminfo >> key >> kilobytes >> unit)
    if (key == "MemAvailable:") available = kilobytes * 1024;
  // In a container the cgroup's limit may be lower than the machine's memory.
  std::ifstream max_file("/sys/fs/cgroup/memory.max"), current_file("/sys/fs/cgroup/memory.current");
  std::string max_text;
  std::uint64_t current = 0;
  if (max_file >> max_text && max_text != "max" && current_file >> current) {
    std::uint64_t max = 0;
    if (std::from_chars(max_text.data(), max_text.data() + max_text.size(), max).ec == std::errc{}) {
      const std::uint64_t left = max > current ? max - current : 0;
      available = available == 0 ? left : std::min(available, left);
    }
  }
  return available;
}

std::uint64_t parse_byte_size(std::string_view text, std::string_view option) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  std::string_view suffix = text.substr(std::size_t(end - text.data()));
  double scale = 1;
  if (!suffix.empty()) {
    static constexpr std::string_view units = "KMGT";
    const auto at = units.find(char(std::toupper(static_cast<unsigned char>(suffix.front()))));
    if (at != std::string_view::npos) {
      scale = std::pow(1024.0, double(at + 1));
      suffix.remove_prefix(1);
      if (suffix == "B" || suffix == "iB" || suffix == "b") suffix = {};
    }
  }
  if (ec != std::errc{} || !suffix.empty() || !std::isfinite(value) || value <= 0 || value * scale > 1e18)
    throw UsageError(std::string(option) + " \"" + excerpt(text) +
                     "\": expected a size such as 4G, 512M or 1000000 (bytes; K, M, G, T are powers of 1024)");
  return std::uint64_t(value * scale);
}

std::string format_bytes(double bytes) {
  if (!std::isfinite(bytes)) return "unlimited";
  static constexpr const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  std::size_t unit = 0;
  while (bytes >= 1000 && unit + 1 < std::size(units)) bytes /= 1000, ++unit;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
  return buffer;
}

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
  // The command line's limits, for every caller.
  if (options.replications) check_option(replications_limit, *options.replications);
  if (options.threads != 0) check_option(threads_limit, std::int64_t(options.threads));
  check_option(max_replications_limit, options.max_replications);
  if (options.seed && *options.seed > std::uint64_t(seed_limit.max))
    refuse_option(seed_limit, std::to_string(*options.seed));

  // Common random numbers: every scenario runs with the same master seed,
  // --seed or the baseline's, and records it in its resolved YAML.
  LoadOptions load;
  load.overrides = options.overrides;
  load.strict = options.strict;
  if (options.seed) {
    load.seed = std::to_string(*options.seed);
    load.seed_origin = options.seed_origin;
  }
  // Each scenario's own overlays and overrides (the Python module's with_) follow the common ones.
  auto load_for = [&](std::size_t i) {
    LoadOptions own = load;
    if (i < options.scenario_overrides.size())
      own.overrides.insert(own.overrides.end(), options.scenario_overrides[i].begin(),
                           options.scenario_overrides[i].end());
    if (i < options.scenario_overlays.size() && !options.scenario_overlays[i].empty())
      return resolve_run_scenario(merge_scenario_files(options.scenarios[i], options.scenario_overlays[i]), own);
    return load_run_scenario(options.scenarios[i], own);
  };
  std::vector<LoadedScenario> loaded;
  loaded.push_back(load_for(0));
  if (!options.seed) {
    load.seed = std::to_string(loaded.front().scenario.seed);
    load.seed_origin = "the baseline's seed (compare: common random numbers)";
  }
  for (std::size_t i = 1; i < options.scenarios.size(); ++i) loaded.push_back(load_for(i));
  if (options.warnings)
    for (const auto& l : loaded) options.warnings(l.warnings);
  check_comparable(loaded, options.scenarios);
  if (options.until_ci) check_until_ci(*options.until_ci, loaded);
  if (options.assumption_replications) check_option(replications_limit, *options.assumption_replications);
  if (options.assumptions && loaded.size() < 2)
    throw UsageError(
        "--assumptions measures how differences from a baseline move: give a baseline and "
        "alternatives (readmit compare BASE ALT)");
  if (options.assumptions && loaded.front().scenario.declared_ranges.empty())
    throw UsageError("--assumptions: the baseline " + options.scenarios.front().string() +
                     " declares no range ({value, range, reason}); there is nothing to move");
  if (options.uncertainty_assumptions)
    for (std::size_t i = 0; i < loaded.size(); ++i)
      if (loaded[i].scenario.declared_ranges.empty())
        throw UsageError("--uncertainty assumptions: " + options.scenarios[i].string() +
                         " declares no range ({value, range, reason}); there is nothing to draw");
  try {
    check_output_selection(options.outputs, loaded.front().scenario);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  return loaded;
}

EnsembleRunOutcome run_ensembles(const EnsembleRunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<LoadedScenario> loaded = load_ensemble_scenarios(options);

  std::size_t count = std::size_t(options.replications.value_or(loaded.front().scenario.replications));
  const std::size_t cap = std::size_t(std::max<std::int64_t>(options.max_replications, 2));
  if (options.until_ci) count = std::min(std::max<std::size_t>(count, 2), cap);

  // Before anything is allocated or written: will the run fit?
  const std::filesystem::path out_dir = options.out_dir.empty() ? default_out_dir(loaded) : options.out_dir;
  std::vector<const Scenario*> typed;
  for (const auto& l : loaded) typed.push_back(&l.scenario);
  const auto estimate = estimate_run(typed, options.until_ci ? cap : count, resolved_thread_count(options.threads),
                                     options.write_monthly);
  check_resources(estimate.memory_bytes, estimate.explanation, estimate.disk_bytes,
                  "outputs, and the monthly values and event rows kept during the run", options.max_memory_bytes,
                  out_dir, "the run");
  for (const Scenario* s : typed) check_person_limit(*s, estimate.persons_per_replication);

  // Held until the outputs are written: no other command writes here
  // meanwhile. The earlier results stay whole until the new ones are.
  OutputFolder folder(
      out_dir,
      {.access = FolderAccess::exclusive, .force = options.force, .create = true, .description = options.command_line});

  // Creating the results also creates their temporary files in out_dir:
  // an unwritable folder fails here, before any replication runs.
  std::vector<std::unique_ptr<ScenarioResults>> scenarios;
  for (auto& l : loaded) scenarios.push_back(std::make_unique<ScenarioResults>(std::move(l), out_dir));

  std::optional<StoppingReport> stopping;
  std::size_t done = 0;
  while (true) {
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      EnsembleOptions ensemble;
      ensemble.replications = std::int64_t(count - done);
      ensemble.threads = options.threads;
      if (options.uncertainty_assumptions) ensemble.scenario_for = assumption_scenarios(scenarios[i]->scenario());
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
  std::string accounts;
  std::optional<AssumptionAnalysis> analysis;
  if (options.assumptions) {
    std::vector<const Scenario*> compared;
    for (const auto& s : scenarios) compared.push_back(&s->scenario());
    analysis = analyse_assumptions(compared, options.assumption_replications.value_or(std::int64_t(done)),
                                   options.threads, options.assumption_progress);
    accounts += "\n" + robustness_text(*analysis);
  }
  std::vector<std::pair<std::string, std::vector<VarianceSplit>>> splits;
  if (options.uncertainty_assumptions)
    for (const auto& s : scenarios) {
      const auto& layout = s->layout();
      std::vector<VarianceSplit> list;
      for (std::size_t slot = 0; slot < layout.slots().size(); ++slot)
        for (const auto* headline : headline_totals()) {
          const std::size_t m = layout.metric_index(headline->name);
          if (m == layout.metrics().size()) continue;
          list.push_back(variance_split(layout.slots()[slot], std::string(headline->name), s->total_values(slot, m)));
        }
      accounts += "\n" + variance_text(s->name(), list);
      splits.emplace_back(s->name(), std::move(list));
    }
  RunInfo info;
  info.command = scenarios.size() > 1 ? "compare" : "run";
  info.command_line = options.command_line;
  info.threads = resolved_thread_count(options.threads);
  info.write_monthly = options.write_monthly;
  info.outputs = options.outputs;
  info.stopping = stopping;
  info.started = started;
  info.uncertainty_assumptions = options.uncertainty_assumptions;
  if (analysis) {
    info.assumptions = RunInfo::Assumptions{.ranges = analysis->ranges.size(), .replications = analysis->replications};
    info.extra_files = {"assumptions.csv", "robustness.csv"};
  }
  if (!splits.empty()) info.extra_files.emplace_back("variance.csv");
  {
    const OutputFolder::TopLevel top(folder);
    StagedFiles staged;
    write_outputs(folder.directory(), views, info, &staged);
    if (analysis) write_assumption_files(folder.directory(), *analysis, &staged);
    if (!splits.empty()) write_variance_file(folder.directory(), splits, &staged);
    folder.publish(staged, ManifestScope::outputs);
  }

  EnsembleRunOutcome outcome;
  outcome.out_dir = out_dir;
  outcome.replications = done;
  outcome.summary = summary_table(views) + accounts;
  outcome.stopping = stopping;
  outcome.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return outcome;
}

}  // namespace readmit
