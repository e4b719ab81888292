#pragma once
// Internal to the app module: the steps of run_experiment (experiment.cpp):
// computing a point, storing it in its folder and checking that a stored
// point may be reused (experiment_points.cpp); merging the points into the
// tables and the database, and analysing them (experiment_merge.cpp).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "experiment_tables.hpp"
#include "readmit/app/experiment.hpp"

namespace readmit::experiment_run {

/// The folder of each point: OUT/points/NNNN, the number zero-padded to `width`.
struct PointFolders {
  std::filesystem::path out_dir;
  std::size_t width = 4;
  std::filesystem::path dir(std::size_t point) const {  // 1-based
    std::string name = std::to_string(point);
    if (name.size() < width) name.insert(0, width - name.size(), '0');
    return out_dir / "points" / name;
  }
  bool complete(std::size_t point) const {
    std::error_code ec;
    return std::filesystem::exists(dir(point) / "metadata.json", ec);
  }
};

/// What makes a point's results: recorded next to them, compared on reruns.
/// The file's hash is not part of it: editing the analysis (outcomes, PRIM
/// thresholds) keeps the points.
nlohmann::ordered_json point_record(const Experiment& e, std::size_t point);

/// Why the folder's point cannot be reused, or empty.
std::string stale_reason(const std::filesystem::path& metadata_file, const nlohmann::ordered_json& expected);

/// Runs every policy of a point (0-based) and returns its output files, packed.
std::string compute_point(const Experiment& e, std::size_t point, unsigned threads, const std::string& command);

/// Writes a computed point into its folder: its files, then metadata.json
/// (with the point's record) last, each atomically.
void store_point(const PointFolders& folders, const Experiment& e, std::size_t point, const std::string& packed);

struct MergeResult {
  OutcomeTable table;
  bool analysed = false;
};

/// Merges the selected points into the CSV tables and the database, and
/// analyses them when every point of the design is there.
MergeResult merge_points(const Experiment& e, const ExperimentOptions& options, const PointFolders& folders,
                         const std::vector<std::size_t>& selected, const std::filesystem::path& out_dir,
                         unsigned threads);

}  // namespace readmit::experiment_run
