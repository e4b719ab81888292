#pragma once
// Helpers of the experiment tests: a small experiment on the two-partner
// test scenario, and the contents of an output folder.
#include <filesystem>
#include <map>
#include <string>

#include "readmit/experiment/experiment.hpp"
#include "scenario/scenario_test_support.hpp"

namespace readmit::test {

// Two partners (alpha, beta), 24 months from January 2020.
inline const std::filesystem::path two_partners_file = READMIT_TEST_DATA_DIR "/ensemble/two_partners.yaml";

/// Two policies on the two-partner scenario, two uncertainties, a design
/// (YAML text of `design:`) and `extra` keys.
inline std::string small_experiment(const std::string& design, const std::string& extra = "") {
  return "scenario: " + two_partners_file.string() +
         "\n"
         "replications: 3\n"
         "seed: 11\n"
         "set: {horizon_months: 18}\n"
         "policies:\n"
         "  status_quo: {}\n"
         "  more_officers:\n"
         "    set: {partners.alpha.agreement.document_officers: 30}\n"
         "uncertainties:\n"
         "  removing_state.release_prob: {dist: uniform, min: 0.3, max: 0.9}\n"
         "  partners.beta.agreement.document_officers: {dist: uniform, min: 2, max: 9}\n"
         "outcomes: [removals, alpha:removals, custody_releases]\n"
         "design: " +
         design + "\n" + extra;
}

inline ExperimentOptions experiment_options(const std::filesystem::path& file, const std::filesystem::path& out) {
  ExperimentOptions options;
  options.file = file;
  options.out_dir = out;
  options.threads = 2;
  options.command_line = "test";
  return options;
}

inline ExperimentOutcome run_locally(const ExperimentOptions& options) {
  return run_experiment(options, *local_work_queue());
}

/// Every file under `dir` (relative path -> contents), but metadata.json
/// files, which record times and command lines.
inline std::map<std::string, std::string> stable_tree(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    // Not metadata.json (times, command lines) nor the folders' markers (the process that held them).
    if (entry.is_regular_file() && entry.path().filename() != "metadata.json" && entry.path().filename() != ".readmit")
      files[std::filesystem::relative(entry.path(), dir).string()] = read_text(entry.path());
  return files;
}

}  // namespace readmit::test
