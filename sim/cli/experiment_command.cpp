#include "experiment_command.hpp"

#include <unistd.h>
#include <cstdio>
#include <iostream>

#include "readmit/app/ensemble_run.hpp"
#include "readmit/experiment/experiment.hpp"
#include "readmit/util/text.hpp"
#include "report_command.hpp"

namespace readmit::cli {

CLI::App* add_experiment_command(CLI::App& app, const std::string& command, ExperimentCliOptions& options) {
  const bool sweep = command == "sweep";
  auto* sub =
      app.add_subcommand(command, sweep ? "Run a parameter sweep described in a sweep file"
                                        : "Run policies under uncertainty and analyse them (docs/experiments.md)");
  sub->add_option(sweep ? "sweep_file" : "experiment_file", options.file, sweep ? "Sweep file" : "Experiment file")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--out,-o", options.out_dir,
                  "Output folder (default: results/" + std::string(sweep ? "SWEEP" : "EXPERIMENT") + "_NAME)");
  sub->add_option("--shard", options.shard,
                  "Run only shard I of N (I/N): points p with (p - 1) mod N = I - 1, for clusters");
  sub->add_flag("--restart", options.restart,
                "Discard points of the output folder left by other inputs instead of refusing");
  sub->add_option("--threads,-t", options.threads, "Worker threads per point (and per MPI rank; default: all cores)")
      ->check(CLI::Range(unsigned(threads_limit.min), unsigned(threads_limit.max)));
  sub->add_option("--replications,-r", options.replications,
                  "Replications per point and policy (default: the file's, else the scenario's)")
      ->check(CLI::Range(replications_limit.min, replications_limit.max));
  sub->add_flag("--force", options.force,
                "Write into an existing folder that readmit did not create (only the files readmit writes are "
                "replaced)");
  sub->add_option("--max-memory", options.max_memory,
                  "Refuse to start when a point's estimated memory exceeds this size (e.g. 4G, 512M; per process)");
  sub->add_option("--progress", options.progress,
                  "auto (a bar on a terminal), bar, none, jsonl (one JSON line per point on stderr) or jsonl=FILE");
  add_report_flag(*sub, options.report);
  sub->footer(std::string("Completed points are kept: rerunning finishes the others. After shards ran into one --out,\n"
                          "a run without --shard runs nothing new and merges every point. Under mpirun, rank 0\n"
                          "hands points to the other ranks and writes the same files as one process.\n") +
              (sweep
                   ? "Example: readmit sweep scenarios/sweeps/cambodia_officers.yaml --out results/officers --shard 1/4"
                   : "Example: readmit experiment scenarios/experiments/cambodia_policies.yaml -t 2\n"
                     "         mpirun -n 5 readmit experiment scenarios/experiments/cambodia_policies.yaml -t 4"));
  return sub;
}

int run_experiment_command(const std::string& command, const ExperimentCliOptions& options,
                           const std::string& command_line, WorkQueue& queue) {
  ExperimentOptions run;
  run.file = options.file;
  run.command = command;
  run.out_dir = options.out_dir;
  if (!options.shard.empty()) run.shard = parse_shard(options.shard);
  run.restart = options.restart;
  run.threads = options.threads;
  run.replications = options.replications;
  run.command_line = command_line;
  run.progress = parse_progress(options.progress, isatty(STDERR_FILENO) != 0);
  run.force = options.force;
  if (!options.max_memory.empty()) run.max_memory_bytes = parse_byte_size(options.max_memory, "--max-memory");
  // The name as the default folder gets it: no terminal control in a file name reaches the terminal.
  std::string name = safe_name_from(std::filesystem::path(options.file).stem().string());
  if (name.empty()) name = "(unnamed)";
  // Say what is coming before the (possibly long) check of every point.
  run.announce = [&](std::size_t points, std::size_t policies, std::int64_t replications) {
    std::cout << command << " " << name << ": " << points << (points == 1 ? " point" : " points") << " x " << policies
              << (policies == 1 ? " policy" : " policies") << " x " << replications
              << " replications; checking every point\n"
              << std::flush;
  };
  const auto outcome = run_experiment(run, queue);
  if (!queue.coordinator()) return 0;
  std::cout << command << " " << name << ": " << outcome.points_total << " points";
  if (run.shard.count > 1)
    std::cout << ", shard " << run.shard.index << "/" << run.shard.count << ": " << outcome.points_selected;
  std::cout << " (" << outcome.points_run << " run, " << outcome.points_skipped << " done earlier)\n";
  if (outcome.analysed) std::cout << "analysis: sensitivity.csv, prim_boxes.csv\n";
  char rate[64] = "";
  if (outcome.points_run > 0 && outcome.wall_seconds > 0)
    std::snprintf(rate, sizeof rate, ", %.3g points/s", double(outcome.points_run) / outcome.wall_seconds);
  std::cout << "results: " << outcome.out_dir.string() << " (" << outcome.wall_seconds << " s" << rate << ", "
            << outcome.bytes_written << " bytes)\n";
  if (options.report) report_on(outcome.out_dir);
  return 0;
}

}  // namespace readmit::cli
