#pragma once
// `readmit run` and `readmit compare` as a library call: load the scenarios,
// run their replications in batches (more batches under --until-ci), keep
// what the statistics need, and write the output folder.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "readmit/engine/ensemble.hpp"
#include "readmit/io/run_output.hpp"

namespace readmit {

/// Invalid command-line input found after parsing (exit code 2): a bad
/// --until-ci, scenarios that cannot be compared.
class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// --until-ci PARTNER:METRIC=HALF_WIDTH: add replications until the 95%
/// confidence interval of that run total (compare: of its paired
/// difference from the baseline, for every alternative) has a half-width
/// <= half_width.
struct UntilCi {
  std::string partner = "all";
  std::string metric;
  double half_width = 0;
};

/// The range of a whole-number option of run, compare, sweep and
/// experiment: the command line's checks (CLI::Range), the library's and the
/// Python module's are these.
struct OptionLimit {
  std::string_view name;
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::string_view range;  // as messages show it
};
inline constexpr OptionLimit replications_limit{"replications", 1, 1000000, "[1, 1000000]"};
inline constexpr OptionLimit threads_limit{"threads", 1, 4096, "[1, 4096]"};
inline constexpr OptionLimit max_replications_limit{"max_replications", 2, 1000000, "[2, 1000000]"};
inline constexpr OptionLimit seed_limit{"seed", 0, (std::int64_t{1} << 53) - 1, "[0, 2^53)"};

/// `NAME: expected a whole number in RANGE, found FOUND`, as a UsageError.
[[noreturn]] void refuse_option(const OptionLimit& limit, std::string_view found);
/// `value` when it lies in the limit's range; otherwise refuse_option.
std::int64_t check_option(const OptionLimit& limit, std::int64_t value);

/// Parses "METRIC=HALF_WIDTH" or "PARTNER:METRIC=HALF_WIDTH"; the half-width
/// must be a finite number > 0. Throws UsageError with the accepted form.
/// Names are checked against a scenario later, by run_ensembles.
UntilCi parse_until_ci(std::string_view text);

struct EnsembleRunOptions {
  /// The scenario files; with more than one, [0] is the baseline of a
  /// comparison and the others are alternatives.
  std::vector<std::filesystem::path> scenarios;
  std::vector<std::string> overrides;  // --set texts, applied to every scenario
  /// Per scenario, in the order of `scenarios`: --set texts applied after
  /// `overrides` (the Python module's Scenario.with_); may be shorter.
  std::vector<std::vector<std::string>> scenario_overrides;
  /// Per scenario: overlay files merged onto its file before any override
  /// (the Python module's Scenario.with_(overlays=...)); may be shorter.
  std::vector<std::vector<std::filesystem::path>> scenario_overlays;
  std::optional<std::int64_t> replications;  // default: the baseline scenario's own; replications_limit
  /// Master seed of every scenario; default: the baseline's. One seed for
  /// all gives common random numbers: replication k of each scenario uses the
  /// same streams for the same persons and partners.
  std::optional<std::uint64_t> seed;
  /// How the resolved YAML names where `seed` came from ("--seed").
  std::string seed_origin = "--seed";
  /// Scenario warnings (legal settings without effect) are errors.
  bool strict = false;
  /// Receives each scenario's warnings, in order, before anything runs.
  std::function<void(const std::vector<Diagnostic>&)> warnings;
  unsigned threads = 0;  // 0: every core; else threads_limit
  /// Output folder (created if missing); empty: results/NAME, or
  /// results/BASE_vs_ALT for a comparison, built from the scenarios' names
  /// (safe names: they cannot leave results/). See io/output_folder.hpp for
  /// what readmit does with a folder that exists.
  std::filesystem::path out_dir;
  /// Write into an output folder readmit did not create.
  bool force = false;
  /// Refuse to start when the estimated memory is larger (bytes). 0: the
  /// memory available on this machine is the limit.
  std::uint64_t max_memory_bytes = 0;
  std::string command_line;
  bool write_monthly = false;
  OutputSelection outputs;  // files, metrics and partners to write; gzip
  std::optional<UntilCi> until_ci;
  std::int64_t max_replications = 10000;  // the cap of --until-ci; max_replications_limit
  /// compare --assumptions: how each headline difference moves when each
  /// range the baseline declares goes to its ends (app/assumptions.hpp);
  /// writes assumptions.csv and robustness.csv and flags every difference
  /// in the summary.
  bool assumptions = false;
  /// Replications of each variant of that analysis; default: the run's.
  std::optional<std::int64_t> assumption_replications;
  /// --uncertainty assumptions: every declared range drawn once per pair of
  /// replications (app/assumptions.hpp); writes variance.csv and splits each
  /// headline total's variance in the summary.
  bool uncertainty_assumptions = false;
  /// Progress of the assumption analysis: (variant runs finished, in all).
  std::function<void(std::size_t, std::size_t)> assumption_progress;
  /// Progress: (scenario name, finished, total) after each replication, in
  /// order, never concurrently; finished and total count the replications
  /// of every scenario (compare runs them one scenario after another).
  std::function<void(const std::string&, std::int64_t, std::int64_t)> progress;
  /// How the replications of scenario `index` are produced; empty:
  /// stream_ensemble on this process. Under MPI, batches on the workers
  /// (app/distributed_run.hpp). Must hand results over in replication order.
  std::function<void(std::size_t index, const Scenario&, const EnsembleOptions&, std::uint64_t first,
                     const ReplicationConsumer&)>
      stream;
};

/// What a run will need, estimated before anything is allocated.
struct RunEstimate {
  double persons_per_replication = 0;  // the most of any scenario: docket + the largest inflow x months
  unsigned threads = 1;                // replications simulated at once
  double memory_bytes = 0;             // peak: persons in simulation, results in flight, statistics
  double memory_per_thread_bytes = 0;  // of memory_bytes, what each replication simulated at once adds
  double disk_bytes = 0;               // the output files plus the monthly values kept on disk during the run
  double kept_bytes = 0;               // of disk_bytes: monthly values and event rows kept during the run
  // Of disk_bytes, the files (run totals, monthly statistics, events, monthly values):
  double summary_bytes = 0, replications_bytes = 0, timeseries_bytes = 0, events_bytes = 0, monthly_bytes = 0;
  std::string explanation;  // the terms, for messages
};

/// Bytes of memory one simulated person costs at the peak of a replication
/// (measured: 106 B with a docket of 2e6 over 12 months, 135 B with 1.2e6
/// arrivals over 120 months; rounded up).
inline constexpr double bytes_per_person = 160;

/// The estimate for `scenarios` run with `replications` each on `threads`.
RunEstimate estimate_run(std::span<const Scenario* const> scenarios, std::size_t replications, unsigned threads,
                         bool write_monthly);

/// Refuses (UsageError) work whose estimated memory (`memory_bytes`,
/// explained by `explanation`) exceeds `max_memory_bytes` (0: the memory
/// available), or whose disk use exceeds the free space where `out_dir`
/// will be. `subject` names the work in the message ("the run", "each
/// point of the sweep"), `disk_words` what the disk holds.
void check_resources(double memory_bytes, const std::string& explanation, double disk_bytes,
                     const std::string& disk_words, std::uint64_t max_memory_bytes,
                     const std::filesystem::path& out_dir, const std::string& subject);

/// Refuses (UsageError) a scenario whose replication would hold more persons
/// (or children) than the engine's 32-bit indexes can number.
void check_person_limit(const Scenario& scenario, double persons_per_replication);

/// Memory this process may still use: MemAvailable, or the cgroup's limit
/// minus its use if lower; 0 if neither can be read.
std::uint64_t available_memory_bytes();

/// "4G", "512M", "1.5G", "1000000" (bytes; K, M, G, T are powers of 1024).
/// Throws UsageError.
std::uint64_t parse_byte_size(std::string_view text, std::string_view option);

/// "1.2 GB" (powers of 1000, for messages).
std::string format_bytes(double bytes);

/// The scenarios of `options`, loaded with its overrides and given its seed
/// (default: the baseline's), as run_ensembles runs them. Throws
/// ScenarioError, UsageError when there is none.
std::vector<LoadedScenario> load_ensemble_scenarios(const EnsembleRunOptions& options);

struct EnsembleRunOutcome {
  std::filesystem::path out_dir;
  std::size_t replications = 0;
  std::string summary;  // the terminal table
  std::optional<StoppingReport> stopping;
  double wall_seconds = 0;
};

/// Runs the ensembles (one scenario, or a baseline and alternatives) and writes the output folder.
/// Throws ScenarioError for invalid scenario files or overrides, UsageError
/// for an option out of its limits (replications, threads, max_replications,
/// seed), for input that is valid on its own but unusable here (unknown --until-ci
/// total, scenarios with different partners or the same name, a run whose
/// estimated memory or disk use exceeds what there is or max_memory_bytes),
/// OutputFolderRefused for a folder in use or not readmit's, IoError when an
/// output cannot be written (the message names the path).
/// Every output but metadata.json depends only on the scenarios, the seed
/// and the final replication count, never on the thread count.
EnsembleRunOutcome run_ensembles(const EnsembleRunOptions& options);

}  // namespace readmit
