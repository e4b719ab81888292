#pragma once
// `readmit experiment` and `readmit sweep` as library calls. An experiment
// runs a scenario under several policies (the levers) at many points of the
// parameters one is unsure of, with common random numbers, and asks which
// policy does better and which assumptions drive the answer. A sweep is an
// experiment with one policy. The file format, outputs and analysis are
// described in docs/experiments.md; in short:
//
//   scenario: ../cambodia_2017.yaml         # relative to this file
//   replications: 10                        # per point and policy
//   seed: 1                                 # the same for every point and policy
//   set: {horizon_months: 60}               # fixed overrides
//   outcome_windows:                        # added to the scenario's
//     from_2018: {from: 2018-01-01, through: 2022-12-31}
//   policies:                               # the first is the reference of paired differences
//     status_quo: {}
//     family_unity_2018: {overlays: [../amendments/family_unity.yaml],
//                         set: {amendment_rules.family_unity.in_force_from: 2018-01-01}}
//   uncertainties:
//     partners.cambodia.agreement.document_officers: {dist: uniform, min: 10, max: 40}
//     partners.cambodia.cooperation.backlash_per_severe_rate: {dist: log_uniform, min: 1, max: 100}
//   outcomes: [removals, children_affected, cambodia:removals_from_2018]
//   design: {method: latin_hypercube, samples: 64}   # grid | latin_hypercube | sobol | morris | points
//   keep: [timeseries]                      # besides each point's summary
//   prim: [{outcome: removals, policy: status_quo, below: 500}]
//
// Sweep files (scenario, replications, seed, grid or latin_hypercube, set)
// load into the same structure: one policy, named after the scenario.
//
// Every point runs every policy with the same seed: replication k of each
// policy at each point uses the same random streams, so the differences
// between policies at a point are paired.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "readmit/app/progress.hpp"
#include "readmit/app/work_queue.hpp"
#include "readmit/scenario/loader.hpp"
#include "readmit/stats/design.hpp"
#include "readmit/stats/prim.hpp"

namespace readmit {

/// Most design points an experiment or sweep may have; more is refused
/// before anything is expanded or checked.
inline constexpr std::size_t max_design_points = 100000;

/// One parameter the experiment is unsure of.
struct Uncertainty {
  std::string path;  // a --set path, e.g. partners.cambodia.agreement.document_officers
  FactorDistribution distribution;
  /// The parameter table says the parameter is a whole number: values are
  /// written without decimals (and the distribution is integer-aware).
  bool integer = false;
  /// A discrete list of texts (e.g. ladder names): value i stands for
  /// labels[i], and the analysis sees i.
  std::vector<std::string> labels;
  std::string description;  // e.g. "uniform [10, 40], integer"
};

/// A policy: a named set of overlay files and overrides.
struct Policy {
  std::string name;
  std::vector<std::filesystem::path> overlays;                 // relative to the working folder
  std::vector<std::pair<std::string, std::string>> overrides;  // (path, YAML value text), file order
};

/// An outcome to analyse: one run total of one partner (or of "all").
struct Outcome {
  std::string partner = "all";
  std::string metric;
  /// "removals" for the overall total, "cambodia:removals" otherwise.
  std::string name() const { return partner == "all" ? metric : partner + ":" + metric; }
};

/// A scenario discovery question for PRIM: where, among the points, does
/// an outcome of a policy (or a policy's paired difference from the
/// reference) fall below or above a threshold?
struct PrimQuery {
  Outcome outcome;
  std::size_t policy = 0;   // index into policies
  bool difference = false;  // the paired difference policy - reference
  bool below = true;        // cases of interest: value < threshold (else value > threshold)
  double threshold = 0;
  PrimOptions options;
  std::string name() const;  // e.g. "removals of status_quo below 500"
};

enum class DesignMethod { grid, latin_hypercube, sobol, morris, points };

/// What each point keeps on disk besides its summary.csv, comparison.csv
/// and scenario.resolved.yaml.
struct KeepFiles {
  bool replications = false;  // replications.csv: every replication's run totals
  bool timeseries = false;    // timeseries.csv (and comparison_timeseries.csv)
  bool events = false;        // events.csv
};

/// A validated experiment (or sweep) file, its points expanded and checked.
struct Experiment {
  std::filesystem::path file;
  std::string name;       // the file's stem made a safe name (util/text.hpp); empty if none is left
  std::string file_hash;  // FNV-1a of its bytes
  bool sweep_syntax = false;
  /// The file lists `policies`: each policy's scenario is named after it.
  /// Otherwise the one policy is named after the scenario.
  bool named_policies = false;
  std::filesystem::path scenario;  // relative to the working folder
  std::optional<std::int64_t> replications;
  std::optional<std::uint64_t> seed;
  std::vector<std::pair<std::string, std::string>> fixed;  // `set` and `outcome_windows`: (path, YAML value text)
  std::vector<Policy> policies;                            // at least one; [0] is the reference
  std::vector<Uncertainty> uncertainties;
  std::vector<Outcome> outcomes;
  KeepFiles keep;
  std::vector<PrimQuery> prim;
  std::size_t bootstrap_samples = 1000;

  DesignMethod method = DesignMethod::grid;
  std::uint64_t design_seed = 0;      // latin_hypercube, morris: the seed of the design
  std::size_t samples = 0;            // latin_hypercube: points; sobol: base points
  std::size_t levels = 0;             // morris: grid levels; grid: levels of continuous factors
  std::size_t candidates = 0;         // morris: trajectories drawn to keep the most spread out (0: none)
  std::filesystem::path points_file;  // points: the CSV file
  std::optional<MorrisDesign> morris;
  /// [point][uncertainty]: the text given to --set, and the number the
  /// analysis sees (a label's index for texts).
  std::vector<std::vector<std::string>> point_texts;
  DesignMatrix point_values;

  /// The scenario file merged with each policy's overlays, and the
  /// reference policy's scenario with the fixed overrides only (for the record).
  std::vector<MergedScenario> merged;
  std::string base_resolved_yaml;

  /// Per point: the seed and replication count it runs with; per point and
  /// policy ([point * policies + policy]): the FNV-1a hash of the resolved
  /// scenario. A completed point is reused only if these match.
  std::vector<std::uint64_t> seeds;
  std::vector<std::int64_t> point_replications;
  std::vector<std::string> scenario_hashes;

  /// Per point, what computing it takes (estimate_run of its policies on
  /// one thread), for the estimate before any work.
  struct PointDemand {
    double memory_bytes = 0;             // on one thread
    double memory_per_thread_bytes = 0;  // added by each further replication at once
    double scratch_bytes = 0;            // monthly values, event rows and files in the scratch folder
    double output_bytes = 0;             // the files of its folder
    double merged_bytes = 0;             // its rows in the merged tables and database
    std::string too_many_persons;        // why a replication cannot hold its persons, if it cannot
  };
  std::vector<PointDemand> demands;

  std::size_t points() const { return point_texts.size(); }
  /// Refuses (UsageError) points that cannot fit: the memory of the largest
  /// of `selected` (0-based) on `threads`, or all their files on the disk
  /// of `out_dir`; `max_memory_bytes` as run's --max-memory.
  void check_resources(const std::vector<std::size_t>& selected, unsigned threads, std::uint64_t max_memory_bytes,
                       const std::filesystem::path& out_dir, const std::string& command) const;
  /// The --set texts of a point (0-based) under a policy: `set`, the
  /// policy's name and overrides, then the point's values.
  std::vector<std::string> overrides(std::size_t point, std::size_t policy) const;
  /// The --set text of one uncertain parameter at a point.
  std::string point_override(std::size_t point, std::size_t uncertainty) const;
  std::string_view method_name() const;
};

/// Called once the number of points is known, before they are checked:
/// (points, policies, replications per point and policy).
using DesignAnnouncer = std::function<void(std::size_t, std::size_t, std::int64_t)>;

/// Reads and validates an experiment or sweep file, expands its design and
/// loads the scenario with every point's and policy's overrides. Throws
/// ScenarioError listing every problem, located in the file (FILE:LINE:COL)
/// where it comes from there, or in the scenario files. `replications` > 0
/// replaces the file's replication count.
Experiment load_experiment(const std::filesystem::path& file, std::int64_t replications = 0,
                           const DesignAnnouncer& announce = {});

/// --shard I/N: this invocation runs points p (1-based) with (p - 1) mod N == I - 1.
struct Shard {
  std::size_t index = 1;  // 1-based
  std::size_t count = 1;
  bool contains(std::size_t point_number) const { return (point_number - 1) % count == index - 1; }
};

/// Parses "I/N" with 1 <= I <= N; throws UsageError otherwise.
Shard parse_shard(std::string_view text);

struct ExperimentOptions {
  std::filesystem::path file;
  /// "experiment" or "sweep": the outputs' names (sweep.csv, sweep.sqlite
  /// for sweeps; summary.csv, experiment.sqlite for experiments).
  std::string command = "experiment";
  std::filesystem::path out_dir;  // created if missing; empty: results/NAME
  /// Write into an output folder readmit did not create (io/output_folder.hpp).
  bool force = false;
  /// Refuse to start when a point's estimated memory is larger (bytes); 0:
  /// the memory available.
  std::uint64_t max_memory_bytes = 0;
  Shard shard;
  /// Discard completed points of this shard that other inputs produced,
  /// instead of refusing.
  bool restart = false;
  unsigned threads = 0;           // per point; 0: every core
  std::int64_t replications = 0;  // > 0: replaces the file's
  std::string command_line;
  ProgressSettings progress;
  DesignAnnouncer announce;
  /// Called before a point runs (coordinator): its number (1-based); for tests.
  std::function<void(std::size_t)> before_point;
};

struct ExperimentOutcome {
  std::filesystem::path out_dir;
  std::size_t points_total = 0;     // in the design
  std::size_t points_selected = 0;  // in this shard
  std::size_t points_run = 0;       // run now
  std::size_t points_skipped = 0;   // completed by an earlier run
  std::size_t policies = 0;
  bool analysed = false;  // sensitivity.csv and prim_boxes.csv written (every point present)
  double wall_seconds = 0;
  std::uintmax_t bytes_written = 0;  // everything under out_dir
};

/// Runs the shard's points (all policies of a point together; on the
/// queue's workers under MPI), skipping points whose folder OUT/points/NNNN
/// holds a metadata.json from the same inputs, then merges the shard's
/// points into the CSV files and the SQLite database, analyses them when the
/// shard holds every point, and writes OUT/metadata.json last. Every file is
/// written atomically; every output but metadata.json depends only on the
/// file (and the shard), never on threads, ranks or how many invocations it
/// took. On an MPI worker, only computes what the coordinator sends.
/// Throws ScenarioError for an invalid file (nothing runs), UsageError when
/// OUT holds points of other inputs and `restart` is false, IoError when an
/// output cannot be written.
ExperimentOutcome run_experiment(const ExperimentOptions& options, WorkQueue& queue);

}  // namespace readmit
