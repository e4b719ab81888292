// Running an experiment (or a sweep): the points of a shard, resumably (a
// point whose folder holds the record of the same inputs is kept; points of
// other inputs are refused or, with --restart, discarded), on the work
// queue; then the merged tables, the database and the analysis
// (experiment_merge.cpp), and metadata.json last.
#include "readmit/experiment/experiment.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>

#include "readmit/app/ensemble_run.hpp"
#include "readmit/util/version.hpp"
#include "running/run.hpp"

namespace readmit {

namespace fs = std::filesystem;

using namespace experiment_run;

namespace {

/// A sweep file as it was understood (metadata.json's `sweep`, which
/// `readmit report` reads): scenario, replications, seed, the design in the
/// sweep's own terms, and the fixed overrides.
nlohmann::ordered_json resolved_sweep(const Experiment& e) {
  nlohmann::ordered_json sweep;
  sweep["scenario"] = e.scenario.string();
  sweep["replications"] = e.replications ? nlohmann::ordered_json(*e.replications) : nullptr;
  sweep["seed"] = e.seed ? nlohmann::ordered_json(*e.seed) : nullptr;
  auto& method = sweep[std::string(e.method_name())];
  if (e.method == DesignMethod::grid) {
    for (const auto& u : e.uncertainties) method[u.path] = u.labels;
  } else {
    method["samples"] = e.points();
    method["sample_seed"] = e.design_seed;
    for (const auto& u : e.uncertainties)
      method["ranges"][u.path] = {{"min", u.distribution.min_value()}, {"max", u.distribution.max_value()}};
  }
  auto& fixed = sweep["set"] = nlohmann::ordered_json::object();
  for (const auto& [path, value] : e.fixed) fixed[path] = value;
  return sweep;
}

std::uintmax_t folder_bytes(const fs::path& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  return total;
}

}  // namespace

ExperimentOutcome run_experiment(const ExperimentOptions& options, WorkQueue& queue) {
  const auto started = std::chrono::steady_clock::now();
  const std::string command = options.command;
  ExperimentOutcome outcome;
  if (!queue.coordinator()) {
    // A worker serves whatever happens: if its file does not load, it
    // answers every task with the error (the coordinator reports it too).
    std::optional<Experiment> loaded;
    std::exception_ptr failure;
    try {
      loaded = load_experiment(options.file, options.replications);
    } catch (...) {
      failure = std::current_exception();
    }
    queue.serve([&](const std::string& task) {
      if (failure) std::rethrow_exception(failure);
      return compute_point(*loaded, std::size_t(std::stoull(task)), options.threads, command);
    });
    return outcome;
  }
  const Experiment e = load_experiment(options.file, options.replications, options.announce);
  const auto compute = [&](const std::string& task) {
    const auto point = std::size_t(std::stoull(task));
    if (options.before_point) options.before_point(point + 1);
    return compute_point(e, point, options.threads, command);
  };
  const Shard shard = options.shard;
  if (shard.count < 1 || shard.index < 1 || shard.index > shard.count)
    throw UsageError("shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count) +
                     ": expected I/N with 1 <= I <= N");
  if (options.out_dir.empty() && e.name.empty())
    throw UsageError("the file name " + excerpt(e.file.filename().string()) + " has no letter or digit to name the " +
                     "default output folder results/NAME; give --out");
  outcome.out_dir = options.out_dir.empty() ? fs::path("results") / e.name : options.out_dir;
  const fs::path& out_dir = outcome.out_dir;
  std::vector<std::size_t> selected;  // 0-based
  for (std::size_t p = 0; p < e.points(); ++p)
    if (shard.contains(p + 1)) selected.push_back(p);
  outcome.points_total = e.points();
  outcome.points_selected = selected.size();
  outcome.policies = e.policies.size();
  const unsigned threads = resolved_thread_count(options.threads);
  // Before anything is created: will the points fit?
  e.check_resources(selected, threads, options.max_memory_bytes, out_dir, command);

  // Held as every command holds its folder; the shards of one sweep share
  // it, each point folder having a lock of its own.
  OutputFolder folder(out_dir, {.access = shard.count > 1 ? FolderAccess::shared : FolderAccess::exclusive,
                                .force = options.force,
                                .create = true,
                                .description = options.command_line});
  const PointFolders folders{folder.directory().child("points", true),
                             std::max<std::size_t>(4, std::to_string(e.points()).size())};

  // Results of other inputs (scenario, policies, values, seed, replications) must not mix with these.
  std::vector<std::string> problems;
  std::vector<std::size_t> to_run;
  for (const std::size_t p : selected) {
    if (!folders.complete(p + 1)) {
      to_run.push_back(p);
      continue;
    }
    const Directory point = folders.dir(p + 1, false);
    if (const auto reason = stale_reason(point, point_record(e, p)); !reason.empty()) {
      problems.push_back(point.path().string() + ": " + reason);
      to_run.push_back(p);  // with --restart: computed again, replacing the old point once it is done
    }
  }
  if (!problems.empty() && !options.restart) {
    std::string message = out_dir.string() + " holds results of a different " + command +
                          " (its scenario, policies, values, seed or replications changed):";
    for (std::size_t i = 0; i < problems.size() && i < 5; ++i) message += "\n  " + problems[i];
    if (problems.size() > 5) message += "\n  ... and " + std::to_string(problems.size() - 5) + " more";
    message += "\nrerun with --restart to discard them, or choose another --out";
    throw UsageError(message);
  }
  outcome.points_skipped = selected.size() - to_run.size();

  ProgressReporter progress(options.progress, command, "points");
  progress.start(outcome.points_skipped, selected.size());
  std::vector<std::string> tasks;
  for (const std::size_t p : to_run) tasks.push_back(std::to_string(p));
  queue.run(tasks, compute, [&](std::size_t index, std::string&& packed) {
    store_point(folders, e, to_run[index], packed);
    ++outcome.points_run;
    progress.update(outcome.points_skipped + outcome.points_run, selected.size());
  });
  progress.finish();

  // The top level: merged by one shard at a time; the earlier tables stay
  // whole until these are complete.
  const OutputFolder::TopLevel top(folder);
  if (shard.count == 1) {
    // Point folders of another design (fewer points, or other widths) are not this one's.
    std::set<std::string> current;
    for (std::size_t p = 0; p < e.points(); ++p) current.insert(folders.name(p + 1));
    for (const auto& name : folders.points.names())
      if (!current.contains(name)) folders.points.remove_tree(name);
  }
  StagedFiles staged;
  const MergeResult merged = merge_points(e, options, folders, selected, folder.directory(), staged, threads);
  outcome.analysed = merged.analysed;
  write_file_atomically(folder.directory(), "scenario.resolved.yaml", e.base_resolved_yaml, &staged);

  nlohmann::ordered_json meta;
  meta["readmit_version"] = std::string(version());
  meta["git_revision"] = std::string(git_revision());
  meta["compiler"] = std::string(compiler());
  meta["command"] = command;
  meta[command + "_file"] = e.file.string();
  meta[command + "_file_hash"] = e.file_hash;
  meta["scenario"] = e.scenario.string();
  if (e.sweep_syntax) meta["sweep"] = resolved_sweep(e);
  meta["design"] = {{"method", std::string(e.method_name())}, {"seed", e.design_seed}};
  if (e.method == DesignMethod::latin_hypercube) meta["design"]["samples"] = e.samples;
  if (e.method == DesignMethod::sobol) meta["design"]["base_samples"] = e.samples;
  if (e.method == DesignMethod::morris)
    meta["design"].update({{"trajectories", e.samples}, {"levels", e.levels}, {"candidates", e.candidates}});
  if (e.method == DesignMethod::points) meta["design"]["file"] = e.points_file.string();
  auto& parameters = meta["parameters"] = nlohmann::ordered_json::array();
  for (const auto& u : e.uncertainties) parameters.push_back({{"path", u.path}, {"distribution", u.description}});
  auto& policies = meta["policies"] = nlohmann::ordered_json::array();
  for (const auto& policy : e.policies) policies.push_back(policy.name);
  auto& outcomes = meta["outcomes"] = nlohmann::ordered_json::array();
  for (const auto& o : e.outcomes) outcomes.push_back(o.name());
  // The analysis settings, so that a report can say how its intervals and
  // boxes were found.
  meta["analysis"] = {{"bootstrap_samples", e.bootstrap_samples}};
  auto& prim = meta["prim"] = nlohmann::ordered_json::array();
  for (const auto& q : e.prim)
    prim.push_back({{"question", q.name()},
                    {"peel_alpha", q.options.peel_alpha},
                    {"paste_alpha", q.options.paste_alpha},
                    {"min_mass", q.options.min_mass},
                    {"threshold_density", q.options.threshold_density},
                    {"max_boxes", q.options.max_boxes}});
  meta["shard"] = {{"index", shard.index}, {"count", shard.count}};
  meta["points_total"] = outcome.points_total;
  meta["points_done"] = outcome.points_selected;
  meta["points_run"] = outcome.points_run;
  meta["points_skipped"] = outcome.points_skipped;
  meta["analysed"] = merged.analysed;
  if (!merged.analysed && !e.outcomes.empty() && !e.uncertainties.empty())
    meta["analysis_skipped"] = "this shard holds " + std::to_string(selected.size()) + " of " +
                               std::to_string(e.points()) + " points; run without --shard to merge and analyse";
  meta["threads"] = threads;
  meta["processes"] = queue.description();
  outcome.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  meta["wall_seconds"] = outcome.wall_seconds;
  meta["command_line"] = options.command_line;
  std::vector<std::string> files{"points.csv", command == "sweep" ? "sweep.csv" : "summary.csv"};
  if (e.policies.size() > 1) files.emplace_back("differences.csv");
  if (e.keep.replications) files.emplace_back("replications.csv");
  if (merged.analysed) files.insert(files.end(), {"sensitivity.csv", "prim_boxes.csv"});
  files.insert(files.end(), {command + ".sqlite", "scenario.resolved.yaml", "metadata.json"});
  meta["files"] = files;
  write_file_atomically(folder.directory(), "metadata.json", meta.dump(2) + "\n", &staged);
  folder.publish(staged, ManifestScope::outputs, {"points/"});
  outcome.bytes_written = folder_bytes(out_dir);
  return outcome;
}

}  // namespace readmit
