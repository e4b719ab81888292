// A point of an experiment: computed (every policy, on a scratch folder) into
// its output files, packed so that an MPI worker can send them; stored in
// its folder with the record of the inputs that made it, so that a rerun
// reuses it only if those inputs are the same.
#include <stdlib.h>
#include <unistd.h>
#include <algorithm>

#include "readmit/app/ensemble_run.hpp"
#include "readmit/engine/ensemble.hpp"
#include "readmit/engine/run_totals.hpp"
#include "readmit/io/run_output.hpp"
#include "readmit/util/bounded_file.hpp"
#include "readmit/util/byte_codec.hpp"
#include "running/run.hpp"

namespace readmit::experiment_run {

namespace fs = std::filesystem;

namespace {

/// The key of metadata.json that records what made a point.
constexpr std::string_view point_record_key = "experiment_point";

/// The largest point file read back (a point's replications.csv can be large;
/// the limit is against devices and runaway files, read line by line).
constexpr std::uint64_t max_point_file_bytes = std::uint64_t(1) << 40;
constexpr std::uint64_t max_metadata_bytes = std::uint64_t(64) << 20;

/// A file of a point folder or of the scratch folder, through the bounded
/// reader (no link followed). Throws IoError.
std::string read_point_file(int directory_fd, const std::string& name, const fs::path& shown, std::uint64_t max_bytes) {
  std::string problem;
  auto text = read_bounded(name,
                           {.max_bytes = max_bytes,
                            .what = "a file readmit wrote",
                            .follow_links = false,
                            .directory_fd = directory_fd,
                            .shown = shown.string()},
                           problem);
  if (!text) throw IoError("cannot read " + problem);
  return std::move(*text);
}

/// A private folder for one point's scratch files, removed when done: made
/// and removed by descriptor (io/directory.hpp) like every output folder,
/// so a link planted inside it is never followed.
class ScratchFolder {
 public:
  ScratchFolder()
      : root_(Directory::open(scratch_root(), false)), folder_(root_.make_private_child("readmit-point-")) {}
  ~ScratchFolder() {
    try {
      root_.remove_tree(folder_.path().filename().string());
    } catch (const IoError&) {
      // Left behind in the scratch root: the point's results are already stored.
    }
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const Directory& directory() const { return folder_; }
  const fs::path& path() const { return folder_.path(); }

 private:
  Directory root_;
  Directory folder_;
};

}  // namespace

fs::path scratch_root() {
  // Scratch files are written and read back at once: on tmpfs when there is
  // one (their fsyncs cost nothing), unless TMPDIR says where.
  std::error_code ec;
  return std::getenv("TMPDIR") == nullptr && fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0
             ? fs::path("/dev/shm")
             : fs::temp_directory_path();
}

nlohmann::ordered_json point_record(const Experiment& e, std::size_t point) {
  nlohmann::ordered_json record;
  record["point"] = point + 1;
  auto& policies = record["policies"] = nlohmann::ordered_json::array();
  for (std::size_t q = 0; q < e.policies.size(); ++q) {
    nlohmann::ordered_json policy;
    policy["name"] = e.policies[q].name;
    policy["overrides"] = e.overrides(point, q);
    std::vector<std::string> overlays;
    for (const auto& overlay : e.policies[q].overlays) overlays.push_back(overlay.string());
    policy["overlays"] = overlays;
    policy["scenario_hash"] = e.scenario_hashes[point * e.policies.size() + q];
    policies.push_back(policy);
  }
  record["seed"] = e.seeds[point];
  record["replications"] = e.point_replications[point];
  record["keep"] = {
      {"replications", e.keep.replications}, {"timeseries", e.keep.timeseries}, {"events", e.keep.events}};
  return record;
}

std::string stale_reason(const Directory& point, const nlohmann::ordered_json& expected) {
  nlohmann::json stored;
  try {
    stored = nlohmann::json::parse(
                 read_point_file(point.fd(), "metadata.json", point.path() / "metadata.json", max_metadata_bytes))
                 .at(std::string(point_record_key));
  } catch (const std::exception&) {
    return "no readable " + std::string(point_record_key) + " in metadata.json";
  }
  for (const auto& [key, value] : expected.items())
    if (!stored.contains(key) || stored[key] != nlohmann::json(value))
      return key + " was " + (stored.contains(key) ? stored[key].dump() : "missing") + ", now " + value.dump();
  return {};
}

std::string compute_point(const Experiment& e, std::size_t point, unsigned threads, const std::string& command) {
  ScratchFolder scratch;
  std::vector<std::unique_ptr<ScenarioResults>> results;
  for (std::size_t q = 0; q < e.policies.size(); ++q) {
    LoadedScenario loaded = resolve_run_scenario(e.merged[q], {.overrides = e.overrides(point, q)});
    loaded.scenario.seed = e.seeds[point];  // common random numbers
    results.push_back(std::make_unique<ScenarioResults>(std::move(loaded), scratch.path()));
    ScenarioResults& r = *results.back();
    EnsembleOptions ensemble;
    ensemble.replications = e.point_replications[point];
    ensemble.threads = threads;
    stream_ensemble(r.scenario(), ensemble, 0, [&r](std::uint64_t, ReplicationResult&& result) { r.add(result); });
  }
  std::vector<const ScenarioResults*> views;
  for (const auto& r : results) views.push_back(r.get());
  RunInfo info;
  info.command = command + " point";
  info.command_line = e.file.string() + " (point " + std::to_string(point + 1) + ")";
  info.threads = resolved_thread_count(threads);
  info.outputs.files = {"summary", "comparison"};
  if (e.keep.replications) info.outputs.files.emplace_back("replications");
  if (e.keep.timeseries) info.outputs.files.insert(info.outputs.files.end(), {"timeseries", "comparison_timeseries"});
  if (e.keep.events) info.outputs.files.emplace_back("events");
  const Directory& folder = scratch.directory();
  write_outputs(folder, views, info);
  std::vector<std::string> files;
  for (const auto& name : folder.names())
    if (name.front() != '.') files.push_back(name);
  ByteWriter out;
  out.put(std::uint64_t(files.size()));
  for (const auto& name : files) {
    out.put_text(name);
    out.put_text(read_point_file(folder.fd(), name, scratch.path() / name, max_point_file_bytes));
  }
  return out.take();
}

void store_point(const PointFolders& folders, const Experiment& e, std::size_t point, const std::string& packed) {
  const Directory dir = folders.dir(point + 1, true);
  // Shards at once may have computed the same point: one stores it.
  const FolderLock lock(dir);
  const auto record = point_record(e, point);
  if (dir.has("metadata.json") && stale_reason(dir, record).empty()) return;
  // A point killed half-way, or of other inputs (--restart), starts afresh.
  dir.remove_file("metadata.json");
  for (const auto& name : dir.names())
    if (name != OutputFolder::marker_name) dir.remove_tree(name);
  ByteReader in(packed);
  const auto count = in.get<std::uint64_t>();
  std::string metadata;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::string name = in.get_text();
    std::string contents = in.get_text();
    if (!is_plain_name(name) || name.starts_with('.')) throw IoError("a point sent a bad file name");
    if (name == "metadata.json")
      metadata = std::move(contents);
    else
      write_file_atomically(dir, name, contents);
  }
  auto meta = nlohmann::ordered_json::parse(metadata);
  meta[std::string(point_record_key)] = record;
  write_file_atomically(dir, "metadata.json", meta.dump(2) + "\n");
}

}  // namespace readmit::experiment_run
