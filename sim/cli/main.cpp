// The readmit command-line tool. Library code throws; only this file turns
// errors into exit codes: 0 success, 1 runtime failure, 2 invalid input.
#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>
#include <thread>
#include <unistd.h>

#include "readmit/engine/ensemble.hpp"
#include "readmit/io/run_output.hpp"

#include "readmit/scenario/loader.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/version.hpp"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_runtime_failure = 1;
constexpr int exit_invalid_input = 2;

struct RunOptions {
  std::vector<std::string> scenarios;
  std::vector<std::string> overrides;
  std::int64_t replications = 0;  // 0: the scenario's own
  std::uint64_t seed = 0;
  bool seed_given = false;
  unsigned threads = 0;  // 0: all cores
  std::string out_dir;
};

void add_run_options(CLI::App& command, RunOptions& options) {
  command.add_option("--replications,-r", options.replications, "Replications to run (default: the scenario's)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1000000}));
  command.add_option_function<std::uint64_t>(
      "--seed,-s", [&options](const std::uint64_t& seed) { options.seed = seed, options.seed_given = true; },
      "Master seed (default: the scenario's)");
  command.add_option("--threads,-t", options.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 4096u));
  command.add_option("--out,-o", options.out_dir, "Output folder");
  command.add_option("--set", options.overrides, "Override a parameter, KEY.PATH=VALUE (repeatable)")
      ->take_all()
      ->allow_extra_args(false);
}

int not_available_yet(const std::string& what, const std::string& issue) {
  std::cerr << "readmit: " << what << " is not available yet: the simulation engine arrives with the " << issue
            << ". Use `readmit validate` or `readmit show` meanwhile.\n";
  return exit_runtime_failure;
}

std::string joined_command_line(int argc, char** argv) {
  std::string text;
  for (int i = 0; i < argc; ++i) text += (i ? " " : "") + std::string(argv[i]);
  return text;
}

int run_scenario(const RunOptions& options, const std::string& command_line) {
  auto loaded = readmit::load_scenario(options.scenarios.front(), options.overrides);
  auto& scenario = loaded.scenario;
  if (options.seed_given) scenario.seed = options.seed;
  readmit::EnsembleOptions ensemble;
  ensemble.replications = options.replications > 0 ? options.replications : scenario.replications;
  ensemble.threads = options.threads;
  // Progress only on a terminal: logs and pipes stay clean.
  if (isatty(STDERR_FILENO)) {
    ensemble.progress = [](std::int64_t done, std::int64_t total) {
      std::cerr << "\rreplications: " << done << "/" << total << (done == total ? "\n" : "") << std::flush;
    };
  }
  const auto started = std::chrono::steady_clock::now();
  const auto results = readmit::run_ensemble(scenario, ensemble);
  readmit::RunInfo info;
  info.command_line = command_line;
  info.threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  info.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string out_dir = options.out_dir.empty() ? "results/" + scenario.name : options.out_dir;
  readmit::write_run_outputs(out_dir, loaded, results, info);
  std::cout << readmit::summary_table(scenario, results);
  std::cout << "results: " << out_dir << " (monthly.csv, totals.csv, events.csv, metadata.json, scenario.resolved.yaml)\n";
  return exit_ok;
}

int validate(const std::vector<std::string>& files, const std::vector<std::string>& overrides) {
  int status = exit_ok;
  for (const auto& file : files) {
    try {
      readmit::load_scenario(file, overrides);
      std::cout << file << ": ok\n";
    } catch (const readmit::ScenarioError& e) {
      for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << "\n";
      std::cerr << file << ": " << e.diagnostics().size() << (e.diagnostics().size() == 1 ? " error\n" : " errors\n");
      status = exit_invalid_input;
    }
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"readmit: agent-based simulator of readmission (deportation) agreement compliance.\n"
               "Simulates persons, households, travel documents, detention, the 180-day rule, flights,\n"
               "returnees, partner cooperation and sanctions, under configurable amendment scenarios."};
  app.set_version_flag("--version", std::string("readmit ") + std::string(readmit::version()) + " (git " +
                                        std::string(readmit::git_revision()) + ")");
  app.require_subcommand(1);
  app.footer("Exit codes: 0 success, 1 runtime failure, 2 invalid input.\n"
             "Example: readmit run scenarios/cambodia_2017.yaml --replications 200 --out results/");

  RunOptions run_options;
  auto* run = app.add_subcommand("run", "Run a scenario's replications and write outputs");
  run->add_option("scenario", run_options.scenarios, "Scenario file")->required()->expected(1)->check(CLI::ExistingFile);
  add_run_options(*run, run_options);
  run->footer("Example: readmit run scenarios/cambodia_2017.yaml -r 100 -t 2 --set horizon_months=24");

  RunOptions compare_options;
  auto* compare = app.add_subcommand("compare", "Run a baseline and alternatives with common random numbers");
  compare->add_option("scenarios", compare_options.scenarios, "BASE ALT [ALT...]")->required()->expected(2, 64)
      ->check(CLI::ExistingFile);
  add_run_options(*compare, compare_options);
  compare->footer("Example: readmit compare scenarios/cambodia_2017.yaml scenarios/cambodia_family_unity.yaml -r 200");

  std::string sweep_file, sweep_out, sweep_shard;
  auto* sweep = app.add_subcommand("sweep", "Run a parameter sweep described in a sweep file");
  sweep->add_option("sweep_file", sweep_file, "Sweep file")->required()->check(CLI::ExistingFile);
  sweep->add_option("--out,-o", sweep_out, "Output folder");
  sweep->add_option("--shard", sweep_shard, "Run only shard I of N (I/N), for clusters");
  sweep->footer("Example: readmit sweep sweeps/capacity.yaml --out results/capacity --shard 1/4");

  std::vector<std::string> validate_files, validate_overrides;
  auto* validate_cmd = app.add_subcommand("validate", "Check scenario files and report every error");
  validate_cmd->add_option("scenarios", validate_files, "Scenario files")->required();
  validate_cmd->add_option("--set", validate_overrides, "Override a parameter, KEY.PATH=VALUE (repeatable)");
  validate_cmd->footer("Example: readmit validate scenarios/*.yaml");

  std::string show_file;
  std::vector<std::string> show_overrides;
  auto* show = app.add_subcommand("show", "Print the fully resolved scenario as YAML");
  show->add_option("scenario", show_file, "Scenario file")->required();
  show->add_option("--set", show_overrides, "Override a parameter, KEY.PATH=VALUE (repeatable)");
  show->footer("Example: readmit show scenarios/cambodia_2017.yaml --set partners.cambodia.agreement.document_officers=0");

  std::string schema_format = "text";
  auto* schema = app.add_subcommand("schema", "List every parameter: path, type, unit, default, range, meaning");
  schema->add_option("--format", schema_format, "text or markdown")->check(CLI::IsMember({"text", "markdown"}));
  schema->footer("Example: readmit schema --format markdown > docs/parameters.md");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_invalid_input;
  }

  try {
    if (*validate_cmd) return validate(validate_files, validate_overrides);
    if (*show) {
      std::cout << readmit::load_scenario(show_file, show_overrides).resolved_yaml();
      return exit_ok;
    }
    if (*schema) {
      std::cout << (schema_format == "markdown" ? readmit::schema_as_markdown() : readmit::schema_as_text());
      return exit_ok;
    }
    if (*run) return run_scenario(run_options, joined_command_line(argc, argv));
    if (*compare) {
      for (const auto& file : compare_options.scenarios) readmit::load_scenario(file, compare_options.overrides);
      return not_available_yet("`readmit compare`", "ensembles issue");
    }
    if (*sweep) return not_available_yet("`readmit sweep`", "sweep work");
  } catch (const readmit::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << "\n";
    return exit_invalid_input;
  } catch (const std::exception& e) {
    std::cerr << "readmit: error: " << e.what() << "\n";
    return exit_runtime_failure;
  }
  return exit_ok;
}
