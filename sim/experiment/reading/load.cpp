// Loading an experiment or sweep file: its keys walked against the key
// table (keys.cpp), the checks across keys, and the check of every point
// under every policy (each point's scenario resolved, its messages located in
// this file) before anything runs. Also the text of --shard.
#include <algorithm>
#include <map>
#include <set>

#include "reading/reader.hpp"
#include "readmit/app/ensemble_run.hpp"
#include "readmit/engine/run_totals.hpp"
#include "readmit/io/run_output.hpp"
#include "readmit/util/bounded_file.hpp"
#include "readmit/util/text.hpp"
#include "running/run.hpp"

namespace readmit {

namespace fs = std::filesystem;

using namespace experiment_file;

namespace {

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
        // A message about the value sits at the value, told which point gave
        // it; one about the path (an unknown key, a missing sibling) at the
        // key, once for every point.
        const bool about_value = d.key_path == source.path && !d.message.starts_with("unknown");
        d.where = about_value ? source.value_where : source.key_where;
        if (about_value) d.message += source.suffix;
      }
    }
    if (seen.insert(d.to_string()).second) out.push_back(std::move(d));
  }
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

void experiment_file::check_overlaps(Reader& r) {
  const Experiment& e = r.experiment;
  // Overrides that fight each other: a fixed or policy value of a parameter that is also uncertain.
  const auto uncertain = [&](const std::string& path) {
    return std::any_of(e.uncertainties.begin(), e.uncertainties.end(), [&](const auto& u) { return u.path == path; });
  };
  const std::string uncertain_under = e.sweep_syntax ? std::string(e.method_name()) : "uncertainties";
  for (const auto& source : r.fixed_sources) {
    if (source.path == "name" && e.named_policies)
      r.sink.error(source.key_where, "set.name",
                   "expected no `name` when `policies` are listed: each policy's scenario is named after the policy");
    if (uncertain(source.path))
      r.sink.error(
          source.key_where, "set." + source.path,
          "expected a parameter that is not uncertain, found \"" + source.path + "\", also under " + uncertain_under);
  }
  for (std::size_t q = 0; q < e.policies.size(); ++q)
    for (const auto& source : r.policy_sources[q])
      if (uncertain(source.path))
        r.sink.error(source.key_where, "policies." + e.policies[q].name + ".set." + source.path,
                     "expected a lever that is not uncertain, found \"" + source.path + "\", also under uncertainties");
  std::set<std::string> paths;
  for (std::size_t d = 0; d < e.uncertainties.size(); ++d)
    if (!paths.insert(e.uncertainties[d].path).second)
      r.sink.error(r.uncertainty_where[d], e.uncertainties[d].path, "expected each parameter once, found it again");
}

namespace {

/// The file's keys by the key table, then what the table cannot check.
void read_keys(Reader& r, const ConfigNode& root) {
  r.walk(file_keys(), &root, root.where(), "");
  check_syntax(r, root);
  read_ranges(r);
  check_design(r, root);
  // The scenario and overlay files must be there (every one is named at
  // once); the merge reads them through the same bounded reader.
  const auto check_file = [&](const FileReference& reference) {
    const BoundedFile opened(
        reference.path,
        {.max_bytes = max_yaml_file_bytes, .what = "a YAML file", .shown = excerpt(reference.path.string(), 1024)});
    if (!opened.is_open()) r.sink.error(reference.where, reference.key_path, opened.problem());
  };
  if (!r.experiment.scenario.empty()) check_file({r.experiment.scenario, r.scenario_where, "scenario"});
  for (const auto& overlays : r.overlay_files)
    for (const auto& overlay : overlays) check_file(overlay);
  check_overlaps(r);
  if (r.experiment.method == DesignMethod::points && r.sink.empty()) read_points_file(r);
}

/// The check of the scenario under every policy and at every point, with
/// the loader's messages about this file's overrides moved to where the file
/// writes them, each distinct message once.
class PointCheck {
 public:
  PointCheck(Reader& r, std::string file) : r_(r), e_(r.experiment), file_(std::move(file)) {
    for (std::size_t i = 0; i < e_.fixed.size(); ++i)
      by_origin_[override_origin(e_.fixed[i].first + "=" + e_.fixed[i].second)] = r_.fixed_sources[i];
  }

  /// The scenario file merged with each policy's overlays.
  void merge() {
    // Messages about the files themselves (missing, not a regular file, too
    // large) are located where this file names them; every policy's are found.
    const FileReference scenario{e_.scenario, r_.scenario_where, "scenario"};
    for (std::size_t q = 0; q < std::max<std::size_t>(1, e_.policies.size()); ++q) {
      try {
        merged_.push_back(
            merge_scenario_files(scenario, e_.policies.empty() ? std::vector<FileReference>{} : r_.overlay_files[q]));
      } catch (const ScenarioError& error) {
        relocate_into(error, by_origin_, diagnostics_, seen_);
      }
    }
    fail_if_any();
  }

  /// The reference policy's scenario with the fixed overrides only: the
  /// record's, and the one the file's outcomes are checked against.
  LoadedScenario base() {
    std::vector<std::string> fixed;
    for (const auto& [path, value] : e_.fixed) fixed.push_back(path + "=" + value);
    try {
      return resolve_run_scenario(merged_.front(), {.overrides = fixed});
    } catch (const ScenarioError& error) {
      relocate_into(error, by_origin_, diagnostics_, seen_);
      fail_if_any();
      throw;
    }
  }

  /// Every policy's overrides (and name) located in this file; one policy
  /// named after the scenario when the file lists none.
  void locate_policies(const LoadedScenario& base) {
    if (e_.policies.empty()) {
      e_.policies.push_back(Policy{base.scenario.name, {}, {}});
      r_.policy_sources.emplace_back();
      r_.policy_where.emplace_back();
    }
    for (std::size_t q = 0; q < e_.policies.size(); ++q) {
      if (e_.named_policies)
        by_origin_[override_origin("name=" + e_.policies[q].name)] = {"name", r_.policy_where[q], r_.policy_where[q],
                                                                      ""};
      for (std::size_t i = 0; i < e_.policies[q].overrides.size(); ++i) {
        const auto& [path, value] = e_.policies[q].overrides[i];
        by_origin_[override_origin(path + "=" + value)] = r_.policy_sources[q][i];
      }
    }
  }

  /// Every point under every policy; its seed, replications and demand.
  void check_points() {
    for (const auto& u : e_.uncertainties) lookups_.emplace_back(u);
    for (std::size_t p = 0; p < e_.points() && point_errors_ < max_point_errors; ++p) check_point(p);
    e_.merged = std::move(merged_);
    if (point_errors_ >= max_point_errors)
      diagnostics_.push_back({SourceLocation{std::make_shared<const std::string>(file_), 0, 0}, "",
                              "checking stopped after " + std::to_string(max_point_errors) + " errors"});
    fail_if_any();
  }

 private:
  /// Where each of a point's uncertain values is written: a listed value
  /// at the value, any other at the uncertainty, told its point.
  std::map<std::string, OverrideSource> origins_of(std::size_t p) const {
    auto origins = by_origin_;
    for (std::size_t d = 0; d < e_.uncertainties.size(); ++d) {
      const auto& u = e_.uncertainties[d];
      OverrideSource source{u.path, r_.uncertainty_where[d], r_.uncertainty_where[d], ""};
      const auto label = lookups_[d].of_text(e_.point_texts[p][d]);
      if (e_.method != DesignMethod::points && label && *label < r_.label_where[d].size())
        source.value_where = r_.label_where[d][*label];
      else
        source.suffix = " (point " + std::to_string(p + 1) + ")";
      origins[override_origin(e_.point_override(p, d))] = source;
    }
    return origins;
  }

  void check_point(std::size_t p) {
    const auto origins = origins_of(p);
    std::optional<std::uint64_t> point_seed;
    std::vector<LoadedScenario> point_scenarios;
    for (std::size_t q = 0; q < e_.policies.size(); ++q) {
      try {
        auto loaded = resolve_run_scenario(merged_[q], {.overrides = e_.overrides(p, q)});
        e_.scenario_hashes.push_back(text_hash(to_yaml(loaded.resolved)));
        // The reference policy's seed is every policy's: common random numbers.
        if (!point_seed) point_seed = e_.seed.value_or(loaded.scenario.seed);
        if (q == 0) e_.point_replications.push_back(e_.replications.value_or(loaded.scenario.replications));
        check_outcomes(loaded.scenario, " (point " + std::to_string(p + 1) + ", policy " + e_.policies[q].name + ")");
        point_scenarios.push_back(std::move(loaded));
      } catch (const ScenarioError& error) {
        const std::size_t before = diagnostics_.size();
        relocate_into(error, origins, diagnostics_, seen_);
        point_errors_ += diagnostics_.size() - before;
        e_.scenario_hashes.emplace_back();
        if (q == 0) e_.point_replications.push_back(0);
      }
    }
    e_.seeds.push_back(point_seed.value_or(0));
    e_.demands.push_back(point_scenarios.size() == e_.policies.size()
                             ? point_demand(e_, point_scenarios, e_.point_replications[p])
                             : Experiment::PointDemand{});
  }

  /// The outcomes a point's scenario lacks (a partner or window its values
  /// remove), each once.
  void check_outcomes(const Scenario& scenario, const std::string& where) {
    const RunTotalsLayout layout(scenario);
    for (std::size_t i = 0; i < r_.outcome_where.size(); ++i)
      if (const auto reason = missing_outcome(layout, e_.outcomes[i]);
          !reason.empty() && seen_.insert(e_.outcomes[i].name()).second)
        diagnostics_.push_back({r_.outcome_where[i], "outcomes[" + std::to_string(i) + "]", reason + where});
  }

  void fail_if_any() {
    if (diagnostics_.empty()) return;
    DiagnosticSink sorted;
    for (auto& d : diagnostics_) sorted.error(d.where, std::move(d.key_path), std::move(d.message));
    sorted.sort_by_position();
    sorted.throw_if_any();
  }

  Reader& r_;
  Experiment& e_;
  std::string file_;
  std::map<std::string, OverrideSource> by_origin_;
  std::vector<Diagnostic> diagnostics_;
  std::set<std::string> seen_;
  std::vector<MergedScenario> merged_;
  std::vector<LabelLookup> lookups_;
  std::size_t point_errors_ = 0;
};

/// The outcomes (the headline totals when none are named) and PRIM
/// questions against the base scenario; the design's seed and size.
std::size_t check_analysis(Reader& r, const LoadedScenario& base) {
  Experiment& e = r.experiment;
  if (e.outcomes.empty() && !e.sweep_syntax)
    for (const auto* total : headline_totals()) e.outcomes.push_back(Outcome{"all", std::string(total->name)});
  const RunTotalsLayout layout(base.scenario);
  for (std::size_t i = 0; i < r.outcome_where.size(); ++i)
    if (const auto reason = missing_outcome(layout, e.outcomes[i]); !reason.empty())
      r.sink.error(r.outcome_where[i], "outcomes[" + std::to_string(i) + "]", reason);
  read_prim(r);
  e.design_seed = r.design_seed.value_or(e.seed.value_or(base.scenario.seed));
  const auto size = design_size(r);
  r.sink.sort_by_position();
  r.sink.throw_if_any();
  if (!size) {
    r.sink.error(
        r.design_where, e.sweep_syntax ? std::string(e.method_name()) : std::string("design"),
        "expected at most " + grouped(max_design_points) + " design points, found more (" + size_formula(e) + ")");
    r.sink.throw_if_any();
  }
  return *size;
}

}  // namespace

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
  Reader r(e, sink, file.parent_path());
  read_keys(r, *root);
  if (replications > 0) e.replications = replications;
  sink.sort_by_position();
  sink.throw_if_any();

  PointCheck check(r, file.string());
  check.merge();
  const LoadedScenario base = check.base();
  e.base_resolved_yaml = base.resolved_yaml();
  check.locate_policies(base);
  const std::size_t size = check_analysis(r, base);
  if (announce) announce(size, e.policies.size(), e.replications.value_or(base.scenario.replications));
  expand_design(e);
  fill_point_values(e);
  // Every point must load under every policy before anything runs.
  check.check_points();
  return e;
}

Shard parse_shard(std::string_view text) {
  const auto fail = [&]() -> Shard {
    throw UsageError("--shard \"" + std::string(text) + "\": expected I/N with 1 <= I <= N, e.g. 2/4");
  };
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return fail();
  // Digits only: the number parser of input files would also take a sign.
  const auto number = [](std::string_view digits) {
    return digits.starts_with('+') ? std::nullopt : parse_yaml_integer(std::string(digits));
  };
  const auto index = number(text.substr(0, slash));
  const auto count = number(text.substr(slash + 1));
  if (!index || !count || *index < 1 || *index > *count) return fail();
  return Shard{std::size_t(*index), std::size_t(*count)};
}

}  // namespace readmit
