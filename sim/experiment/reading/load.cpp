// Loading an experiment or sweep file: the keys both syntaxes share, the
// dispatch to the sweep's or the experiment's design, the checks across
// sections, and the check of every point under every policy (each point's
// scenario resolved, its messages located in this file) before anything
// runs. The sections are read by the files listed in experiment_reader.hpp.
// Also the text of --shard.
#include <algorithm>
#include <map>
#include <set>

#include "reading/reader.hpp"
#include "running/run.hpp"
#include "readmit/app/ensemble_run.hpp"
#include "readmit/engine/run_totals.hpp"
#include "readmit/io/run_output.hpp"
#include "readmit/util/bounded_file.hpp"
#include "readmit/util/text.hpp"

namespace readmit {

namespace fs = std::filesystem;

using namespace experiment_file;

namespace {

constexpr std::string_view top_keys[] = {
    "scenario",      "replications", "seed",     "set",  "outcome_windows", "keep",
    "outcomes",      "prim",         "analysis", "grid", "latin_hypercube", "policies",
    "uncertainties", "design"};
constexpr std::string_view keep_names[] = {"replications", "timeseries", "events"};
/// Distinct errors about points reported before the rest are counted only.
constexpr std::size_t max_point_errors = 50;

/// Moves the loader's diagnostics about `--set` texts of this file to the
/// position that produced them; others (inside the scenario files) stay.
void relocate_into(const ScenarioError& error, const std::map<std::string, OverrideSource>& by_origin,
                   std::vector<Diagnostic>& out, std::set<std::string>& seen) {
  for (Diagnostic d : error.diagnostics()) {
    if (d.where.origin) {
      if (const auto it = by_origin.find(*d.where.origin); it != by_origin.end()) {
        const auto& source = it->second;
        // A message about the value sits at the value; one about the path (an
        // unknown key, a missing sibling) at the key.
        d.where =
            d.key_path == source.path && !d.message.starts_with("unknown") ? source.value_where : source.key_where;
        d.message += source.suffix;
      }
    }
    if (seen.insert(d.to_string()).second) out.push_back(std::move(d));
  }
}

/// The keys both syntaxes share: scenario, replications, seed, set,
/// outcome_windows, keep, and what the analysis reads.
void read_common(Reader& r, const ConfigNode& root) {
  Experiment& e = r.experiment;
  const ConfigNode* scenario = root.find("scenario");
  if (scenario == nullptr) {
    r.sink.error(root.where(), "scenario", "expected the scenario file, found nothing (required)");
  } else if (!scenario->is_scalar() || scenario->text().empty()) {
    r.sink.error(scenario->where(), "scenario", "expected a file name, found " + scenario->describe());
  } else {
    e.scenario = r.directory / scenario->text();
    r.scenario_where = scenario->where();
  }
  if (const ConfigNode* n = root.find("replications"))
    if (auto v = r.integer_option(*n, "replications", 1, 1000000)) e.replications = std::int64_t(*v);
  if (const ConfigNode* n = root.find("seed"))
    if (auto v = r.integer_option(*n, "seed", 0, std::size_t(9007199254740991))) e.seed = *v;
  if (const ConfigNode* set = root.find("set")) {
    if (set->is_map())
      read_overrides(*set, "set.", "", e.fixed, r.fixed_sources, r.sink);
    else if (!set->is_null())
      r.sink.error(set->where(), "set", "expected a map of PATH: VALUE, found " + set->describe());
  }
  if (const ConfigNode* windows = root.find("outcome_windows")) {
    if (!windows->is_map()) {
      r.sink.error(windows->where(), "outcome_windows", "expected a map of NAME: {...}, found " + windows->describe());
    } else {
      for (const auto& entry : windows->entries()) {
        const std::string path = "outcome_windows." + entry.key;
        e.fixed.emplace_back(path, flow_yaml(entry.value));
        r.fixed_sources.push_back({path, entry.key_where, entry.value.where(), ""});
      }
    }
  }
  if (const ConfigNode* keep = root.find("keep")) {
    if (!keep->is_sequence()) {
      r.sink.error(keep->where(), "keep",
                   "expected a list of replications, timeseries, events, found " + keep->describe());
    } else {
      for (std::size_t i = 0; i < keep->items().size(); ++i) {
        const auto& item = keep->items()[i];
        const std::string text = item.is_scalar() ? item.text() : std::string();
        if (text == "replications")
          e.keep.replications = true;
        else if (text == "timeseries")
          e.keep.timeseries = true;
        else if (text == "events")
          e.keep.events = true;
        else
          r.sink.error(item.where(), "keep[" + std::to_string(i) + "]",
                       unknown_name_message("unknown file", text, keep_names));
      }
    }
  }
  read_outcomes(r, root);
}

/// What computing a point takes: its policies' scenarios run as a compare
/// (one after another, their results held together) on one thread, and the
/// files its folder and the merged tables get.
Experiment::PointDemand point_demand(const Experiment& e, const std::vector<LoadedScenario>& scenarios,
                                     std::int64_t replications) {
  std::vector<const Scenario*> typed;
  for (const auto& s : scenarios) typed.push_back(&s.scenario);
  const auto estimate = estimate_run(typed, std::size_t(std::max<std::int64_t>(replications, 1)), 1, false);
  Experiment::PointDemand demand;
  try {
    for (const Scenario* s : typed) check_person_limit(*s, estimate.persons_per_replication);
  } catch (const UsageError& error) {
    demand.too_many_persons = error.what();
  }
  const double policies = double(typed.size());
  const double comparison = policies > 1 ? estimate.summary_bytes * 1.7 * (policies - 1) / policies : 0;
  double files = estimate.summary_bytes + comparison + 8000 * policies + 20000;  // yaml, metadata, metrics.csv
  if (e.keep.replications) files += estimate.replications_bytes;
  if (e.keep.timeseries) files += estimate.timeseries_bytes * (policies > 1 ? 2 : 1);
  if (e.keep.events) files += estimate.events_bytes;
  demand.memory_bytes = estimate.memory_bytes;
  demand.memory_per_thread_bytes = estimate.memory_per_thread_bytes;
  demand.scratch_bytes = estimate.kept_bytes + files;
  demand.output_bytes = files;
  // In the merged CSV files and again in the database.
  demand.merged_bytes =
      2 * (estimate.summary_bytes + comparison + (e.keep.replications ? estimate.replications_bytes : 0));
  return demand;
}

}  // namespace

void Experiment::check_resources(const std::vector<std::size_t>& selected, unsigned threads,
                                 std::uint64_t max_memory_bytes, const fs::path& out_dir,
                                 const std::string& command) const {
  // A point's scratch files are on tmpfs (memory) when scratch_root() is /dev/shm.
  const bool scratch_in_memory = experiment_run::scratch_root() == "/dev/shm";
  double largest = 0, disk = 0;
  std::size_t largest_point = 0;
  for (const std::size_t p : selected) {
    const auto& d = demands[p];
    const double at_once = double(std::min<std::int64_t>(std::max<std::int64_t>(point_replications[p], 1), threads));
    const double memory =
        d.memory_bytes + (at_once - 1) * d.memory_per_thread_bytes + (scratch_in_memory ? d.scratch_bytes : 0);
    if (memory > largest) {
      largest = memory;
      largest_point = p;
    }
    disk += d.output_bytes + d.merged_bytes;
  }
  if (selected.empty()) return;
  // The terms of the largest point's estimate, for the message: its scenarios once more.
  std::vector<LoadedScenario> loaded;
  std::vector<const Scenario*> typed;
  for (std::size_t q = 0; q < policies.size(); ++q)
    loaded.push_back(resolve_run_scenario(merged[q], {.overrides = overrides(largest_point, q)}));
  for (const auto& l : loaded) typed.push_back(&l.scenario);
  const auto terms =
      estimate_run(typed, std::size_t(std::max<std::int64_t>(point_replications[largest_point], 1)), threads, false);
  readmit::check_resources(largest,
                           "point " + std::to_string(largest_point + 1) + ", every policy: " + terms.explanation +
                               (scratch_in_memory ? ", with its files in /dev/shm" : ""),
                           disk, "every point's files and the merged tables", max_memory_bytes, out_dir,
                           "the " + command + "'s largest point");
  for (const std::size_t p : selected)
    if (!demands[p].too_many_persons.empty())
      throw UsageError("point " + std::to_string(p + 1) + ": " + demands[p].too_many_persons);
}

std::vector<std::string> Experiment::overrides(std::size_t point, std::size_t policy) const {
  std::vector<std::string> texts;
  for (const auto& [path, value] : fixed) texts.push_back(path + "=" + value);
  if (named_policies) texts.push_back("name=" + policies[policy].name);
  for (const auto& [path, value] : policies[policy].overrides) texts.push_back(path + "=" + value);
  for (std::size_t d = 0; d < uncertainties.size(); ++d) texts.push_back(point_override(point, d));
  return texts;
}

std::string Experiment::point_override(std::size_t point, std::size_t uncertainty) const {
  const auto& u = uncertainties[uncertainty];
  const std::string& text = point_texts[point][uncertainty];
  // A value of a list is a scalar of the file: quoted as --set needs it ("@x", "a: b").
  return u.path + "=" + (u.labels.empty() ? text : yaml_scalar(text));
}

Experiment load_experiment(const fs::path& file, std::int64_t replications, const DesignAnnouncer& announce) {
  DiagnosticSink sink;
  Experiment e;
  e.file = file;
  e.name = safe_name_from(file.stem().string());
  // Read once: the hash is of the bytes parsed.
  const auto text = read_text_file(file, SourceLocation{}, sink);
  auto root = text ? parse_yaml(*text, file.string(), sink) : std::nullopt;
  sink.throw_if_any();
  e.file_hash = text_hash(*text);
  if (!root->is_map()) {
    sink.error(root->where(), "", "expected a map with `scenario` and a design, found " + root->describe());
    sink.throw_if_any();
  }
  check_keys(*root, "", top_keys, sink);
  Reader r{.experiment = e, .sink = sink, .directory = file.parent_path()};
  read_common(r, *root);
  if (root->find("grid") != nullptr || root->find("latin_hypercube") != nullptr) {
    read_sweep_design(r, *root);
  } else if (root->find("policies") != nullptr || root->find("uncertainties") != nullptr ||
             root->find("design") != nullptr) {
    if (const ConfigNode* policies = root->find("policies")) read_policies(r, *policies);
    if (const ConfigNode* uncertainties = root->find("uncertainties")) read_uncertainties(r, *uncertainties);
    read_experiment_design(r, *root);
  } else {
    sink.error(root->where(), "grid",
               "expected `grid` or `latin_hypercube` (a sweep), or `policies`, `uncertainties` and `design` (an "
               "experiment), found none");
  }
  if (replications > 0) e.replications = replications;
  // The scenario and overlay files must be there (every one is named at
  // once); the merge below reads them through the same bounded reader.
  const auto check_file = [&](const FileReference& reference) {
    const BoundedFile opened(
        reference.path,
        {.max_bytes = max_yaml_file_bytes, .what = "a YAML file", .shown = excerpt(reference.path.string(), 1024)});
    if (!opened.is_open()) sink.error(reference.where, reference.key_path, opened.problem());
  };
  if (!e.scenario.empty()) check_file({e.scenario, r.scenario_where, "scenario"});
  for (const auto& overlays : r.overlay_files)
    for (const auto& overlay : overlays) check_file(overlay);
  // Overrides that fight each other: a fixed or policy value of a parameter that is also uncertain.
  const auto uncertain = [&](const std::string& path) {
    return std::any_of(e.uncertainties.begin(), e.uncertainties.end(), [&](const auto& u) { return u.path == path; });
  };
  for (const auto& source : r.fixed_sources)
    if (source.path == "name" && e.named_policies)
      sink.error(source.key_where, "set.name",
                 "expected no `name` when `policies` are listed: each policy's scenario is named after the policy");
  for (const auto& source : r.fixed_sources)
    if (uncertain(source.path))
      sink.error(source.key_where, "set." + source.path,
                 "expected a parameter that is not uncertain, found \"" + source.path + "\", also under " +
                     (e.sweep_syntax ? std::string(e.method_name()) : std::string("uncertainties")));
  for (std::size_t q = 0; q < e.policies.size(); ++q)
    for (const auto& source : r.policy_sources[q])
      if (uncertain(source.path))
        sink.error(source.key_where, "policies." + e.policies[q].name + ".set." + source.path,
                   "expected a lever that is not uncertain, found \"" + source.path + "\", also under uncertainties");
  {
    std::set<std::string> paths;
    for (std::size_t d = 0; d < e.uncertainties.size(); ++d)
      if (!paths.insert(e.uncertainties[d].path).second)
        sink.error(r.uncertainty_where[d], e.uncertainties[d].path, "expected each parameter once, found it again");
  }
  if (e.method == DesignMethod::points && sink.empty()) read_points_file(r);
  sink.sort_by_position();
  sink.throw_if_any();

  // The scenario under each policy, merged once; the fixed overrides relocate to this file.
  std::map<std::string, OverrideSource> by_origin;
  for (std::size_t i = 0; i < e.fixed.size(); ++i)
    by_origin[override_origin(e.fixed[i].first + "=" + e.fixed[i].second)] = r.fixed_sources[i];
  std::vector<Diagnostic> diagnostics;
  std::set<std::string> seen;
  std::vector<MergedScenario> merged;
  std::optional<LoadedScenario> base;
  const auto fail_with = [&]() {
    DiagnosticSink sorted;
    for (auto& d : diagnostics) sorted.error(d.where, std::move(d.key_path), std::move(d.message));
    sorted.sort_by_position();
    sorted.throw_if_any();
  };
  // Messages about the files themselves (missing, not a regular file, too
  // large) are located where this file names them; every policy's are found.
  const FileReference scenario{e.scenario, r.scenario_where, "scenario"};
  for (std::size_t q = 0; q < std::max<std::size_t>(1, e.policies.size()); ++q) {
    try {
      merged.push_back(
          merge_scenario_files(scenario, e.policies.empty() ? std::vector<FileReference>{} : r.overlay_files[q]));
    } catch (const ScenarioError& error) {
      relocate_into(error, by_origin, diagnostics, seen);
    }
  }
  if (!diagnostics.empty()) fail_with();
  try {
    std::vector<std::string> fixed;
    for (const auto& [path, value] : e.fixed) fixed.push_back(path + "=" + value);
    base = resolve_run_scenario(merged.front(), {.overrides = fixed});
  } catch (const ScenarioError& error) {
    relocate_into(error, by_origin, diagnostics, seen);
    fail_with();
  }
  e.base_resolved_yaml = base->resolved_yaml();
  if (e.policies.empty()) {
    e.policies.push_back(Policy{base->scenario.name, {}, {}});
    r.policy_sources.emplace_back();
    r.policy_where.push_back(SourceLocation{});
  }
  for (std::size_t q = 0; q < e.policies.size(); ++q) {
    if (!e.named_policies) continue;
    by_origin[override_origin("name=" + e.policies[q].name)] = {"name", r.policy_where[q], r.policy_where[q], ""};
  }
  for (std::size_t q = 0; q < e.policies.size(); ++q)
    for (std::size_t i = 0; i < e.policies[q].overrides.size(); ++i) {
      const auto& [path, value] = e.policies[q].overrides[i];
      by_origin[override_origin(path + "=" + value)] = r.policy_sources[q][i];
    }

  if (e.outcomes.empty() && !e.sweep_syntax)
    for (const auto* total : headline_totals()) e.outcomes.push_back(Outcome{"all", std::string(total->name)});
  {
    const RunTotalsLayout layout(base->scenario);
    for (std::size_t i = 0; i < r.outcome_where.size(); ++i)
      if (const auto reason = missing_outcome(layout, e.outcomes[i]); !reason.empty())
        sink.error(r.outcome_where[i], "outcomes[" + std::to_string(i) + "]", reason);
  }
  read_prim(r);
  e.design_seed = r.design_seed.value_or(e.seed.value_or(base->scenario.seed));
  const auto size = design_size(r);
  sink.sort_by_position();
  sink.throw_if_any();
  if (!size) {
    sink.error(
        r.design_where, e.sweep_syntax ? std::string(e.method_name()) : std::string("design"),
        "expected at most " + grouped(max_design_points) + " design points, found more (" + size_formula(e) + ")");
    sink.throw_if_any();
  }
  if (announce) announce(*size, e.policies.size(), e.replications.value_or(base->scenario.replications));
  expand_design(e);
  fill_point_values(e);

  // Every point must load under every policy before anything runs.
  std::vector<LabelLookup> lookups;
  for (const auto& u : e.uncertainties) lookups.emplace_back(u);
  std::size_t point_errors = 0;
  for (std::size_t p = 0; p < e.points() && point_errors < max_point_errors; ++p) {
    auto origins = by_origin;
    for (std::size_t d = 0; d < e.uncertainties.size(); ++d) {
      const auto& u = e.uncertainties[d];
      OverrideSource source{u.path, r.uncertainty_where[d], r.uncertainty_where[d], ""};
      const auto label = lookups[d].of_text(e.point_texts[p][d]);
      if (e.method != DesignMethod::points && label && *label < r.label_where[d].size())
        source.value_where = r.label_where[d][*label];
      else
        source.suffix = " (point " + std::to_string(p + 1) + ")";
      origins[override_origin(e.point_override(p, d))] = source;
    }
    std::optional<std::uint64_t> point_seed;
    std::vector<LoadedScenario> point_scenarios;
    for (std::size_t q = 0; q < e.policies.size(); ++q) {
      try {
        auto loaded = resolve_run_scenario(merged[q], {.overrides = e.overrides(p, q)});
        e.scenario_hashes.push_back(text_hash(to_yaml(loaded.resolved)));
        // The reference policy's seed is every policy's: common random numbers.
        if (!point_seed) point_seed = e.seed.value_or(loaded.scenario.seed);
        if (q == 0) e.point_replications.push_back(e.replications.value_or(loaded.scenario.replications));
        const RunTotalsLayout layout(loaded.scenario);
        for (std::size_t i = 0; i < r.outcome_where.size(); ++i)
          if (const auto reason = missing_outcome(layout, e.outcomes[i]);
              !reason.empty() && seen.insert(e.outcomes[i].name()).second)
            diagnostics.push_back(
                {r.outcome_where[i], "outcomes[" + std::to_string(i) + "]",
                 reason + " (point " + std::to_string(p + 1) + ", policy " + e.policies[q].name + ")"});
        point_scenarios.push_back(std::move(loaded));
      } catch (const ScenarioError& error) {
        const std::size_t before = diagnostics.size();
        relocate_into(error, origins, diagnostics, seen);
        point_errors += diagnostics.size() - before;
        e.scenario_hashes.emplace_back();
        if (q == 0) e.point_replications.push_back(0);
      }
    }
    e.seeds.push_back(point_seed.value_or(0));
    e.demands.push_back(point_scenarios.size() == e.policies.size()
                            ? point_demand(e, point_scenarios, e.point_replications[p])
                            : Experiment::PointDemand{});
  }
  e.merged = std::move(merged);
  if (!diagnostics.empty()) {
    if (point_errors >= max_point_errors)
      diagnostics.push_back({SourceLocation{std::make_shared<const std::string>(file.string()), 0, 0}, "",
                             "checking stopped after " + std::to_string(max_point_errors) + " errors"});
    fail_with();
  }
  return e;
}

Shard parse_shard(std::string_view text) {
  const auto fail = [&]() -> Shard {
    throw UsageError("--shard \"" + std::string(text) + "\": expected I/N with 1 <= I <= N, e.g. 2/4");
  };
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return fail();
  const auto index = parse_integer<std::size_t>(text.substr(0, slash));
  const auto count = parse_integer<std::size_t>(text.substr(slash + 1));
  if (!index || !count || *index < 1 || *index > *count) return fail();
  return Shard{*index, *count};
}

}  // namespace readmit
