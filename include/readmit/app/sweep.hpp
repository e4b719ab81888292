#pragma once
// `readmit sweep` as a library call: a sweep file names a scenario and the
// parameters to vary (a full grid, or a Latin hypercube sample of ranges);
// every point is one `readmit run` of the scenario with `--set PATH=VALUE`
// overrides, written into OUT/points/NNNN/, and the points' summary.csv files
// are merged into OUT/sweep.csv.
//
//   scenario: ../cambodia_2017.yaml        # relative to the sweep file
//   replications: 50                      # per point (default: the scenario's)
//   seed: 1                               # default: the scenario's; the same for every point
//   grid:                                 # every combination; the last key varies fastest
//     partners.cambodia.agreement.document_officers: [10, 20, 30]
//     sanctions.escalate_after: [1, 2, 4]
//   # or: latin_hypercube: {samples: 40, ranges: {PATH: {min: A, max: B}, ...}}
//   set:                                  # fixed overrides of every point
//     horizon_months: 48
//
// Points are numbered from 1 in the order above. Every point uses the same
// seed, so replication k of each point shares its random streams with the
// others (common random numbers).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "readmit/scenario/diagnostics.hpp"

namespace readmit {

/// One parameter range of a Latin hypercube, [min, max].
struct SweepRange {
  double min = 0;
  double max = 1;
};

/// One point of a sweep: a value (as YAML scalar text) per swept parameter.
struct SweepPoint {
  std::size_t number = 0;           // 1-based
  std::vector<std::string> values;  // in the order of SweepDesign::parameters
};

/// A validated sweep file, its points expanded.
struct SweepDesign {
  std::filesystem::path file;      // the sweep file as given
  std::string name;                // its stem: the default output folder is results/NAME
  std::string file_hash;           // FNV-1a of its bytes (text_hash)
  std::filesystem::path scenario;  // the scenario file, relative to the working folder
  std::optional<std::int64_t> replications;
  std::optional<std::uint64_t> seed;
  std::vector<std::pair<std::string, std::string>> fixed;  // `set`: (path, value text), file order
  std::string method;                                      // "grid" or "latin_hypercube"
  std::vector<std::string> parameters;                     // swept paths, file order
  std::vector<std::vector<std::string>> grid_values;       // grid: each parameter's values
  std::vector<SweepRange> ranges;                          // latin_hypercube: each parameter's range
  std::uint64_t sample_seed = 0;                           // latin_hypercube: the seed of the design
  std::vector<SweepPoint> points;
  /// Per point: the FNV-1a hash of its resolved scenario (without the header
  /// naming source files), the seed and the replication count it runs with.
  std::vector<std::string> scenario_hashes;
  std::vector<std::uint64_t> seeds;
  std::vector<std::int64_t> point_replications;

  /// The `--set` texts of a point: `set` first, then the swept values.
  std::vector<std::string> overrides(const SweepPoint& point) const;
};

/// Every combination of `values` (one list per parameter), in order: the
/// last parameter varies fastest. Returns indices into each list.
std::vector<std::vector<std::size_t>> grid_combinations(std::span<const std::vector<std::string>> values);

/// A Latin hypercube sample of `samples` points in `ranges`: in every
/// dimension each of the `samples` equal strata of [min, max] holds exactly
/// one point. Deterministic for a seed, on every platform: a splitmix64
/// sequence seeded with `seed` draws, dimension by dimension, a Fisher-Yates
/// permutation of the strata and then one uniform position inside each
/// stratum (u = (top 53 bits) / 2^53). Returns [sample][dimension].
std::vector<std::vector<double>> latin_hypercube(std::size_t samples, std::span<const SweepRange> ranges,
                                                 std::uint64_t seed);

/// Reads and validates a sweep file, expands its points and loads the
/// scenario with every point's overrides. Throws ScenarioError listing every
/// problem, located in the sweep file (FILE:LINE:COL) where it comes from
/// there: unknown keys, an empty grid, values that are not lists, min > max,
/// samples < 1, and values the scenario loader rejects.
/// `replications` > 0 replaces the file's replication count.
SweepDesign load_sweep(const std::filesystem::path& file, std::int64_t replications = 0);

/// --shard I/N: this invocation runs points p with (p - 1) mod N == I - 1.
struct Shard {
  std::size_t index = 1;  // 1-based
  std::size_t count = 1;
  bool contains(std::size_t point_number) const { return (point_number - 1) % count == index - 1; }
};

/// Parses "I/N" with 1 <= I <= N; throws UsageError otherwise.
Shard parse_shard(std::string_view text);

struct SweepOptions {
  std::filesystem::path sweep_file;
  /// Output folder (created if missing); empty: results/NAME.
  std::filesystem::path out_dir;
  Shard shard;
  /// Discard completed points of this shard that another sweep file (or
  /// scenario, seed or replication count) produced, instead of refusing.
  bool restart = false;
  unsigned threads = 0;           // per point; 0: every core
  std::int64_t replications = 0;  // > 0: replaces the sweep file's
  std::string command_line;
  /// Called before a point runs: (k, K, point) with k counting the points of
  /// this invocation that still had to run, K their number.
  std::function<void(std::size_t, std::size_t, const SweepPoint&)> progress;
};

struct SweepOutcome {
  std::filesystem::path out_dir;
  std::size_t points_total = 0;     // in the sweep file
  std::size_t points_selected = 0;  // in this shard
  std::size_t points_run = 0;       // run now
  std::size_t points_skipped = 0;   // completed by an earlier run
  double wall_seconds = 0;
};

/// Runs the sweep's points of the shard one after another (each point's
/// replications in parallel on `threads`), skipping points whose folder
/// OUT/points/NNNN holds a metadata.json from the same sweep, then rebuilds
/// OUT/points.csv and OUT/sweep.csv from the shard's points and writes
/// OUT/metadata.json last. Every file is written atomically.
/// Throws ScenarioError for an invalid sweep file (nothing runs), UsageError
/// when OUT holds points of a different sweep file, scenario, seed or
/// replication count and `restart` is false, IoError when an output cannot be
/// written. sweep.csv and points.csv depend only on the sweep (and the shard),
/// never on threads or on how many invocations it took.
SweepOutcome run_sweep(const SweepOptions& options);

}  // namespace readmit
