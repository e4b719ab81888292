// The readmit command-line tool. Library code throws; only the command line
// turns errors into exit codes: 0 success, 1 runtime failure, 2 invalid input
// (cli_support.hpp).
#include <CLI/CLI.hpp>

#include <unistd.h>
#include <iostream>

#include "cli_support.hpp"
#include "experiment_command.hpp"
#include "readmit/app/distributed_run.hpp"
#include "readmit/app/ensemble_run.hpp"
#include "readmit/app/progress.hpp"
#include "readmit/engine/run_totals.hpp"
#include "readmit/io/data_dictionary.hpp"
#include "readmit/scenario/loader.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/util/version.hpp"
#include "report_command.hpp"

namespace {

using namespace readmit::cli;

struct RunOptions {
  std::vector<std::string> scenarios;
  std::vector<std::string> overrides;
  std::int64_t replications = 0;  // 0: the scenario's own
  std::string seed;               // empty: the scenario's; checked like the `seed` key
  unsigned threads = 0;           // 0: all cores
  std::string out_dir;
  bool monthly = false;
  std::vector<std::string> output_files, output_metrics, output_partners;
  bool compress = false;
  std::string until_ci;
  std::int64_t max_replications = 10000;
  std::string progress = "auto";
  bool report = false;
  bool strict = false;
  bool force = false;
  std::string max_memory;
  std::string uncertainty = "none";
  bool assumptions = false;                  // compare only
  std::int64_t assumption_replications = 0;  // 0: the run's
};

void add_run_options(CLI::App& command, RunOptions& options) {
  command.add_option("--replications,-r", options.replications, "Replications to run (default: the scenario's)")
      ->check(CLI::Range(readmit::replications_limit.min, readmit::replications_limit.max));
  command.add_option("--seed,-s", options.seed,
                     "Master seed, a whole number in [0, 2^53) like the `seed` key (default: the scenario's); "
                     "recorded in scenario.resolved.yaml");
  command.add_option("--threads,-t", options.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(unsigned(readmit::threads_limit.min), unsigned(readmit::threads_limit.max)));
  command.add_option("--out,-o", options.out_dir, "Output folder");
  command.add_flag("--monthly", options.monthly, "Also write monthly.csv: every replication's monthly values (large)");
  command
      .add_option("--outputs", options.output_files,
                  "Files to write (default: all but monthly): replications, timeseries, summary, comparison, "
                  "events, monthly")
      ->delimiter(',');
  command
      .add_option("--output-metrics", options.output_metrics,
                  "Monthly metrics in timeseries.csv and monthly.csv (default: all)")
      ->delimiter(',');
  command
      .add_option("--output-partners", options.output_partners,
                  "Partners (or all) in timeseries.csv and monthly.csv (default: all)")
      ->delimiter(',');
  command.add_flag("--compress", options.compress, "Write every CSV file gzip-compressed (.csv.gz)");
  command.add_option("--until-ci", options.until_ci,
                     "Add replications until the 95% CI half-width of a run total is at most HALF_WIDTH: "
                     "METRIC=HALF_WIDTH or PARTNER:METRIC=HALF_WIDTH (compare: of the paired differences)");
  command.add_option("--max-replications", options.max_replications, "Cap of --until-ci (default 10000)")
      ->check(CLI::Range(readmit::max_replications_limit.min, readmit::max_replications_limit.max));
  command.add_option("--set", options.overrides, "Override a parameter, KEY.PATH=VALUE (repeatable)")
      ->take_all()
      ->allow_extra_args(false);
  command.add_option("--progress", options.progress,
                     "auto (a bar on a terminal), bar, none, jsonl (JSON lines on stderr) or jsonl=FILE");
  readmit::cli::add_report_flag(command, options.report);
  command.add_flag("--strict", options.strict, "Scenario warnings (settings without effect) are errors");
  command.add_flag("--force", options.force,
                   "Write into an existing folder that readmit did not create (only the files readmit writes are "
                   "replaced)");
  command.add_option("--max-memory", options.max_memory,
                     "Refuse to start when the estimated memory exceeds this size (e.g. 4G, 512M)");
  command
      .add_option("--uncertainty", options.uncertainty,
                  "none, or assumptions: draw every range the scenario declares once per pair of replications, "
                  "so that intervals carry what is not known as well as chance (writes variance.csv)")
      ->check(CLI::IsMember({"none", "assumptions"}));
  command.allow_extras();
}

void add_assumption_options(CLI::App& command, RunOptions& options) {
  command.add_flag("--assumptions", options.assumptions,
                   "Move each range the baseline declares to its ends, one at a time, and flag every headline "
                   "difference robust, sign-uncertain or fixed (writes assumptions.csv, robustness.csv)");
  command
      .add_option("--assumption-replications", options.assumption_replications,
                  "Replications of each variant of --assumptions (default: the run's)")
      ->check(CLI::Range(readmit::replications_limit.min, readmit::replications_limit.max));
}

std::string joined_command_line(int argc, char** argv) {
  std::string text;
  for (int i = 0; i < argc; ++i) text += (i ? " " : "") + std::string(argv[i]);
  return text;
}

/// `readmit run` (one scenario) and `readmit compare` (several); under MPI,
/// replication batches run on the other ranks.
int run_ensembles_command(const RunOptions& options, const std::string& command_line, readmit::WorkQueue& queue) {
  readmit::EnsembleRunOptions ensemble;
  ensemble.scenarios.assign(options.scenarios.begin(), options.scenarios.end());
  ensemble.overrides = options.overrides;
  if (options.replications > 0) ensemble.replications = options.replications;
  if (!options.seed.empty())
    ensemble.seed = readmit::parse_seed(options.seed, "command line (--seed " + readmit::excerpt(options.seed) + ")");
  ensemble.strict = options.strict;
  ensemble.force = options.force;
  if (!options.max_memory.empty())
    ensemble.max_memory_bytes = readmit::parse_byte_size(options.max_memory, "--max-memory");
  ensemble.warnings = [](const std::vector<readmit::Diagnostic>& warnings) { print_diagnostics(std::cerr, warnings); };
  ensemble.threads = options.threads;
  ensemble.out_dir = options.out_dir;
  ensemble.command_line = command_line;
  ensemble.write_monthly = options.monthly;
  ensemble.outputs = {options.output_files, options.output_metrics, options.output_partners, options.compress};
  if (!options.until_ci.empty()) ensemble.until_ci = readmit::parse_until_ci(options.until_ci);
  ensemble.max_replications = options.max_replications;
  ensemble.uncertainty_assumptions = options.uncertainty == "assumptions";
  ensemble.assumptions = options.assumptions;
  if (options.assumption_replications > 0) ensemble.assumption_replications = options.assumption_replications;
  if (!queue.coordinator()) {
    readmit::serve_ensembles(ensemble, queue);
    return exit_ok;
  }
  if (queue.distributed()) ensemble.stream = readmit::distributed_stream(queue);
  // A JSON line per window of replications (8 per thread: what runs at once).
  readmit::ProgressReporter progress(readmit::parse_progress(options.progress, isatty(STDERR_FILENO) != 0),
                                     options.scenarios.size() > 1 ? "compare" : "run", "replications",
                                     std::size_t{8} * readmit::resolved_thread_count(options.threads));
  if (progress.active())
    ensemble.progress = [&progress](const std::string& name, std::int64_t done, std::int64_t total) {
      progress.update(std::size_t(done), std::size_t(total), name);
    };
  // A second phase: its JSON lines follow the replications' in the same file.
  auto assumption_settings = readmit::parse_progress(options.progress, isatty(STDERR_FILENO) != 0);
  assumption_settings.append = true;
  readmit::ProgressReporter assumption_progress(assumption_settings, "compare --assumptions", "variant runs", 1);
  if (assumption_progress.active())
    ensemble.assumption_progress = [&assumption_progress](std::size_t done, std::size_t total) {
      assumption_progress.update(done, total, "ranges at their ends");
    };
  const auto outcome = readmit::run_ensembles(ensemble);
  progress.finish();
  assumption_progress.finish();
  std::cout << outcome.summary;
  if (outcome.stopping) {
    const auto& stop = *outcome.stopping;
    std::cout << "until-ci: " << (stop.paired ? "paired difference of " : "") << stop.partner << ":" << stop.metric
              << " half-width " << stop.achieved_half_width << (stop.target_reached ? " <= " : " > ")
              << stop.target_half_width << " after " << outcome.replications << " replications ("
              << (stop.target_reached ? "target reached" : "stopped by --max-replications") << ")\n";
  }
  std::cout << "results: " << outcome.out_dir.string() << " (" << outcome.wall_seconds << " s)\n";
  if (options.report) readmit::cli::report_on(outcome.out_dir);
  return exit_ok;
}

struct CheckOptions {
  std::vector<std::string> files;
  std::vector<std::string> overrides;
  bool strict = false;
  bool origin = false;  // show only
};

/// `readmit validate`: every file, its errors and warnings; exit 2 if any
/// file has an error (or, with --strict, a warning).
int validate(const CheckOptions& options) {
  int status = exit_ok;
  readmit::LoadOptions load;
  load.overrides = options.overrides;
  load.strict = options.strict;
  for (const auto& file : options.files) {
    auto count = [](std::size_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); };
    try {
      const auto loaded = readmit::load_run_scenario(file, load);
      print_diagnostics(std::cerr, loaded.warnings);
      std::cout << file << ": ok"
                << (loaded.warnings.empty() ? "" : " (" + count(loaded.warnings.size(), "warning") + ")") << "\n";
    } catch (const readmit::ScenarioError& e) {
      print_diagnostics(std::cerr, e.diagnostics());
      std::cerr << file << ": " << count(e.error_count(), "error") << "\n";
      status = exit_invalid_input;
    }
  }
  return status;
}

int show(const CheckOptions& options) {
  readmit::LoadOptions load;
  load.overrides = options.overrides;
  load.strict = options.strict;
  const auto loaded = readmit::load_run_scenario(options.files.front(), load);
  print_diagnostics(std::cerr, loaded.warnings);
  std::cout << (options.origin ? loaded.origin_listing() : loaded.resolved_yaml());
  return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
  // Under mpirun, every rank runs this; rank 0 coordinates (app/work_queue.hpp).
  const auto queue = readmit::make_work_queue(argc, argv);
  CLI::App app{
      "readmit: agent-based simulator of readmission (deportation) agreement compliance.\n"
      "Simulates persons, households, travel documents, detention, the 180-day rule, flights,\n"
      "returnees, partner cooperation and sanctions, under configurable amendment scenarios."};
  app.set_version_flag("--version", std::string("readmit ") + std::string(readmit::version()) + " (git " +
                                        std::string(readmit::git_revision()) + ")");
  app.require_subcommand(1);
  app.allow_extras();
  app.footer(
      "Exit codes: 0 success, 1 runtime failure, 2 invalid input.\n"
      "Example: readmit run scenarios/cambodia_2017.yaml --replications 200 --out results/");

  RunOptions run_options;
  auto* run = app.add_subcommand("run", "Run a scenario's replications and write outputs");
  run->add_option("scenario", run_options.scenarios, "Scenario file")->required()->expected(1);
  add_run_options(*run, run_options);
  run->footer(
      "Example: readmit run scenarios/cambodia_2017.yaml -r 100 -t 2 --set horizon_months=24\n"
      "         readmit run scenarios/cambodia_2017.yaml --until-ci removals=2 --max-replications 5000");

  RunOptions compare_options;
  auto* compare = app.add_subcommand("compare", "Run a baseline and alternatives with common random numbers");
  compare->add_option("scenarios", compare_options.scenarios, "BASE ALT [ALT...]")->required()->expected(2, 64);
  add_run_options(*compare, compare_options);
  add_assumption_options(*compare, compare_options);
  compare->footer(
      "Every scenario runs with the baseline's seed (or --seed): replication k of each uses the same\n"
      "random streams for the same persons and partners, so differences have tight intervals.\n"
      "Example: readmit compare scenarios/cambodia_2017.yaml scenarios/cambodia_2017_humanitarian.yaml -r 200\n"
      "         readmit compare scenarios/cambodia_2017.yaml scenarios/cambodia_2017_humanitarian.yaml --assumptions");

  readmit::cli::ExperimentCliOptions sweep_options, experiment_options;
  auto* sweep = readmit::cli::add_experiment_command(app, "sweep", sweep_options);
  auto* experiment = readmit::cli::add_experiment_command(app, "experiment", experiment_options);

  CheckOptions validate_options;
  auto* validate_cmd = app.add_subcommand("validate", "Check scenario files and report every error and warning");
  validate_cmd->add_option("scenarios", validate_options.files, "Scenario files")->required();
  validate_cmd->add_option("--set", validate_options.overrides, "Override a parameter, KEY.PATH=VALUE (repeatable)");
  validate_cmd->add_flag("--strict", validate_options.strict, "Warnings (settings without effect) are errors");
  validate_cmd->allow_extras();
  validate_cmd->footer("Example: readmit validate --strict scenarios/*.yaml");

  CheckOptions show_options;
  auto* show_cmd = app.add_subcommand("show", "Print the fully resolved scenario as YAML");
  show_cmd->add_option("scenario", show_options.files, "Scenario file")->required()->expected(1);
  show_cmd->add_option("--set", show_options.overrides, "Override a parameter, KEY.PATH=VALUE (repeatable)");
  show_cmd->add_flag("--origin", show_options.origin,
                     "Every value on a line of its own with where it came from: default, FILE:LINE:COL or --set");
  show_cmd->add_flag("--strict", show_options.strict, "Warnings (settings without effect) are errors");
  show_cmd->allow_extras();
  show_cmd->footer(
      "Example: readmit show scenarios/cambodia_2017.yaml --set partners.cambodia.agreement.document_officers=0\n"
      "         readmit show scenarios/cambodia_2017_humanitarian.yaml --origin | grep family_unity");

  std::string metrics_format = "text";
  std::vector<std::string> metrics_scenario;
  auto* metrics = app.add_subcommand("metrics", "List every output metric: name, unit, kind and meaning");
  metrics->add_option("scenario", metrics_scenario, "A scenario: list its own names (visa categories, fiscal years)")
      ->expected(0, 1);
  metrics->add_option("--format", metrics_format, "text or csv (as metrics.csv)")
      ->check(CLI::IsMember({"text", "csv"}));
  metrics->allow_extras();
  metrics->footer("Example: readmit metrics scenarios/cambodia_2017.yaml --format csv");

  std::string schema_format = "text";
  auto* schema = app.add_subcommand("schema", "List every parameter: path, type, unit, default, range, meaning");
  schema->add_option("--format", schema_format, "text or markdown")->check(CLI::IsMember({"text", "markdown"}));
  schema->allow_extras();
  schema->footer("Example: readmit schema --format markdown > docs/parameters.md");

  std::string report_dir;
  bool report_force = false;
  auto* report = readmit::cli::add_report_command(app, report_dir, report_force);

  // CLI11 reports an unknown command only as "a subcommand is required".
  const auto commands = app.get_subcommands({});
  if (argc > 1 && argv[1][0] != '-' &&
      std::none_of(commands.begin(), commands.end(), [&](const CLI::App* c) { return c->check_name(argv[1]); })) {
    std::cerr << "readmit: unknown command '" << readmit::excerpt(argv[1], 200) << "'; commands:";
    for (const auto* command : commands) std::cerr << " " << command->get_name();
    std::cerr << " (readmit --help)\n";
    return exit_invalid_input;
  }
  if (!queue->coordinator()) {
    // A worker rank parses quietly, computes what rank 0 sends and prints
    // nothing: rank 0 reports every error. It serves whatever happens, since
    // rank 0 waits for every worker.
    std::string failure = "the command did not start";
    try {
      app.parse(argc, argv);
      const std::string command_line = joined_command_line(argc, argv);
      if (*run) run_ensembles_command(run_options, command_line, *queue);
      if (*compare) run_ensembles_command(compare_options, command_line, *queue);
      if (*sweep) readmit::cli::run_experiment_command("sweep", sweep_options, command_line, *queue);
      if (*experiment) readmit::cli::run_experiment_command("experiment", experiment_options, command_line, *queue);
    } catch (const std::exception& e) {
      failure = e.what();
    }
    queue->serve([&](const std::string&) -> std::string { throw std::runtime_error(failure); });
    return exit_ok;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // An unknown option explains a parse error better than the error it caused
    // (a value taken for a file name, a missing positional).
    if (const auto unknown = unknown_argument_message(app)) {
      std::cerr << *unknown << "\n";
      return exit_invalid_input;
    }
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_invalid_input;
  }
  if (const auto unknown = unknown_argument_message(app)) {
    std::cerr << *unknown << "\n";
    return exit_invalid_input;
  }

  const std::string command_line = joined_command_line(argc, argv);
  return run_guarded([&] {
    if (*validate_cmd) return validate(validate_options);
    if (*show_cmd) return show(show_options);
    if (*metrics) {
      const auto dictionary =
          metrics_scenario.empty()
              ? readmit::data_dictionary()
              : readmit::data_dictionary(readmit::load_run_scenario(metrics_scenario.front()).scenario);
      std::cout << (metrics_format == "csv" ? readmit::data_dictionary_csv(dictionary)
                                            : readmit::data_dictionary_text(dictionary));
      return exit_ok;
    }
    if (*schema) {
      std::cout << (schema_format == "markdown" ? readmit::schema_as_markdown() : readmit::schema_as_text());
      return exit_ok;
    }
    if (*run) return run_ensembles_command(run_options, command_line, *queue);
    if (*compare) return run_ensembles_command(compare_options, command_line, *queue);
    if (*sweep) return readmit::cli::run_experiment_command("sweep", sweep_options, command_line, *queue);
    if (*experiment)
      return readmit::cli::run_experiment_command("experiment", experiment_options, command_line, *queue);
    if (*report) return readmit::cli::run_report_command(report_dir, report_force);
    return exit_ok;
  });
}
