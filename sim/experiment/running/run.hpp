#pragma once
// Internal to the app module: the steps of run_experiment (experiment.cpp):
// computing a point, storing it in its folder and checking that a stored
// point may be reused (experiment_points.cpp); merging the points into the
// tables and the database, and analysing them (experiment_merge.cpp).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "readmit/experiment/experiment.hpp"
#include "readmit/io/output_folder.hpp"
#include "running/tables.hpp"

namespace readmit::experiment_run {

/// The folder of each point: OUT/points/NNNN, the number zero-padded to
/// `width`; opened by descriptor, never through a symbolic link
/// (io/directory.hpp).
struct PointFolders {
  Directory points;  // OUT/points
  std::size_t width = 4;
  std::string name(std::size_t point) const {  // 1-based
    std::string text = std::to_string(point);
    if (text.size() < width) text.insert(0, width - text.size(), '0');
    return text;
  }
  /// The point's folder; throws OutputFolderRefused for a link.
  Directory dir(std::size_t point, bool create) const { return points.child(name(point), create); }
  /// Whether the point's folder holds its metadata.json (written last).
  bool complete(std::size_t point) const { return points.has(name(point)) && dir(point, false).has("metadata.json"); }
};

/// What makes a point's results: recorded next to them, compared on reruns.
/// The file's hash is not part of it: editing the analysis (outcomes, PRIM
/// thresholds) keeps the points.
nlohmann::ordered_json point_record(const Experiment& e, std::size_t point);

/// Why the point's folder cannot be reused, or empty.
std::string stale_reason(const Directory& point, const nlohmann::ordered_json& expected);

/// Where points are computed: /dev/shm when writable (unless TMPDIR is set),
/// else the temporary folder.
std::filesystem::path scratch_root();

/// Runs every policy of a point (0-based) and returns its output files, packed.
std::string compute_point(const Experiment& e, std::size_t point, unsigned threads, const std::string& command);

/// Writes a computed point into its folder: its files, then metadata.json
/// (with the point's record) last, each atomically, holding the point's own
/// lock (shards running at once); a point another process completed
/// meanwhile with the same inputs is kept.
void store_point(const PointFolders& folders, const Experiment& e, std::size_t point, const std::string& packed);

struct MergeResult {
  OutcomeTable table;
  bool analysed = false;
};

/// Merges the selected points into the CSV tables and the database, and
/// analyses them when every point of the design is there; the files are
/// written into `out` and staged for publishing.
MergeResult merge_points(const Experiment& e, const ExperimentOptions& options, const PointFolders& folders,
                         const std::vector<std::size_t>& selected, const Directory& out, StagedFiles& staged,
                         unsigned threads);

}  // namespace readmit::experiment_run
