#pragma once
// The output folder of `readmit run`. Every file is written atomically
// (temporary name, then rename), so a crash never leaves a partial file
// under a final name.
//
//   scenario.resolved.yaml  the scenario as run, every default filled in
//   metadata.json           version, git revision, compiler, seed, replications,
//                           threads, wall time, scenario hash, command line
//   monthly.csv             scenario,replication,month,partner,metric,value
//   totals.csv              scenario,replication,partner,metric,value (run totals)
//   events.csv              date,note of the timeline events applied
#include <filesystem>
#include <string>
#include <vector>

#include "readmit/engine/replication.hpp"
#include "readmit/scenario/loader.hpp"

namespace readmit {

struct RunInfo {
  std::string command_line;
  unsigned threads = 0;
  double wall_seconds = 0.0;
};

/// Run totals of one replication for one partner, in a fixed order.
struct RunTotal {
  std::string metric;
  double value;
};
std::vector<RunTotal> run_totals(const Scenario& scenario, const ReplicationResult& result, std::size_t partner);

/// Writes every output file into `directory` (created if missing).
/// Throws IoError on failure.
void write_run_outputs(const std::filesystem::path& directory, const LoadedScenario& loaded,
                       const std::vector<ReplicationResult>& results, const RunInfo& info);

/// A short table of headline totals (mean and 5-95% range over replications).
std::string summary_table(const Scenario& scenario, const std::vector<ReplicationResult>& results);

/// 64-bit FNV-1a of a text, as 16 hex digits (the scenario hash).
std::string text_hash(std::string_view text);

}  // namespace readmit
