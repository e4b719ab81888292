#pragma once
// `readmit sweep` and `readmit experiment`: options and the command, shared
// by both (a sweep is an experiment with one policy).
#include <CLI/CLI.hpp>

#include <string>

#include "readmit/app/work_queue.hpp"

namespace readmit::cli {

struct ExperimentCliOptions {
  std::string file;
  std::string out_dir;
  std::string shard;
  bool restart = false;
  unsigned threads = 0;
  std::int64_t replications = 0;
  std::string progress = "auto";
  bool report = false;  // --report
  bool force = false;
  std::string max_memory;
};

/// Adds the `sweep` or `experiment` subcommand (`command`) to `app`.
CLI::App* add_experiment_command(CLI::App& app, const std::string& command, ExperimentCliOptions& options);

/// Runs it (on every rank under MPI: workers compute, the coordinator
/// writes and prints). Returns the exit code; throws as run_experiment does.
int run_experiment_command(const std::string& command, const ExperimentCliOptions& options,
                           const std::string& command_line, WorkQueue& queue);

}  // namespace readmit::cli
