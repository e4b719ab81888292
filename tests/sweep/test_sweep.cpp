// Sweeps: grid order, Latin hypercube strata, points equal to plain runs,
// resume, shards, a changed sweep file, and located errors through the
// real executable.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/cli_runner.hpp"
#include "readmit/app/ensemble_run.hpp"
#include "readmit/experiment/experiment.hpp"
#include "scenario/scenario_test_support.hpp"

using namespace readmit;
using readmit::test::read_text;
using readmit::test::TempDir;
namespace fs = std::filesystem;

namespace {

// Two partners (alpha, beta), independent of the shipped scenarios.
const fs::path scenario_file = READMIT_TEST_DATA_DIR "/ensemble/two_partners.yaml";

/// A 2 x 2 grid on the two-partner scenario, 3 replications of 12 months.
std::string grid_sweep(const std::string& extra = "") {
  return "scenario: " + scenario_file.string() +
         "\n"
         "replications: 3\n"
         "seed: 7\n"
         "grid:\n"
         "  partners.alpha.agreement.document_officers: [4, 12]\n"
         "  removing_state.release_prob: [0.5, 0.9]\n"
         "set:\n"
         "  horizon_months: 12\n" +
         extra;
}

ExperimentOptions options_for(const fs::path& file, const fs::path& out) {
  ExperimentOptions options;
  options.file = file;
  options.command = "sweep";
  options.out_dir = out;
  options.threads = 2;
  options.command_line = "test";
  return options;
}

ExperimentOutcome run_sweep(const ExperimentOptions& options) { return run_experiment(options, *local_work_queue()); }

}  // namespace

TEST_CASE("grid points are every combination, the last key varying fastest", "[sweep]") {
  TempDir dir;
  const auto design = load_experiment(dir.write("grid.yaml", grid_sweep()));
  CHECK(design.name == "grid");
  CHECK(design.sweep_syntax);
  REQUIRE(design.uncertainties.size() == 2);
  CHECK(design.uncertainties[0].path == "partners.alpha.agreement.document_officers");
  CHECK(design.uncertainties[1].path == "removing_state.release_prob");
  REQUIRE(design.points() == 4);
  const std::vector<std::vector<std::string>> expected{{"4", "0.5"}, {"4", "0.9"}, {"12", "0.5"}, {"12", "0.9"}};
  CHECK(design.point_texts == expected);
  REQUIRE(design.policies.size() == 1);
  CHECK(design.policies[0].name == "two_partners");  // a sweep's one policy is its scenario
  CHECK(design.overrides(2, 0) == std::vector<std::string>{"horizon_months=12",
                                                           "partners.alpha.agreement.document_officers=12",
                                                           "removing_state.release_prob=0.5"});
  CHECK(design.seeds == std::vector<std::uint64_t>(4, 7));
  CHECK(design.point_replications == std::vector<std::int64_t>(4, 3));
}

TEST_CASE("a Latin hypercube of a whole-number parameter gives every value the same weight", "[sweep]") {
  TempDir dir;
  // The example of issue #13 (then on escalate_after, a whole number at the
  // time): 1-4 in 40 samples was sampled 6/14/14/6 times when uniform draws
  // were rounded; each value is a stratum now.
  const auto file = dir.write("lhs.yaml", "scenario: " + scenario_file.string() +
                                              "\nlatin_hypercube:\n  samples: 40\n  ranges:\n"
                                              "    compliance.window_months: {min: 1, max: 4}\n"
                                              "    removing_state.release_prob: {min: 0.2, max: 0.8}\n");
  const auto design = load_experiment(file);
  REQUIRE(design.points() == 40);
  CHECK(design.design_seed == 20240101);  // the scenario's seed
  std::map<std::string, int> counts;
  for (const auto& point : design.point_texts) {
    ++counts[point[0]];
    const double release = std::stod(point[1]);
    CHECK(release >= 0.2);
    CHECK(release <= 0.8);
  }
  CHECK(counts == std::map<std::string, int>{{"1", 10}, {"2", 10}, {"3", 10}, {"4", 10}});
  CHECK(load_experiment(file).point_texts == design.point_texts);
  // Bounds of a whole-number parameter must be whole numbers.
  const auto bad = dir.write("bad.yaml", "scenario: " + scenario_file.string() +
                                             "\nlatin_hypercube:\n  samples: 4\n  ranges:\n"
                                             "    compliance.window_months: {min: 1.5, max: 4}\n");
  CHECK(readmit::test::diagnostics_of([&] { load_experiment(bad); }) ==
        std::vector<std::string>{bad.string() +
                                 ":5:37: error: latin_hypercube.ranges.compliance.window_months: expected whole-number "
                                 "bounds for a whole-number parameter, found [1.5, 4]"});
}

TEST_CASE("every point's outputs equal a plain run of its overrides", "[sweep]") {
  TempDir dir;
  const auto file = dir.write("grid.yaml", grid_sweep("keep: [replications]\n"));
  const auto out = dir.path() / "sweep";
  const auto outcome = run_sweep(options_for(file, out));
  CHECK(outcome.points_total == 4);
  CHECK(outcome.points_run == 4);
  CHECK(outcome.points_skipped == 0);

  const auto design = load_experiment(file);
  std::string expected_sweep = "point,partner,metric,n,mean,sd,p05,p25,p50,p75,p95,ci95_low,ci95_high\n";
  for (std::size_t p = 0; p < design.points(); ++p) {
    EnsembleRunOptions plain;
    plain.scenarios = {scenario_file};
    plain.overrides = design.overrides(p, 0);
    plain.replications = 3;
    plain.seed = 7;
    plain.threads = 1;
    plain.out_dir = dir.path() / ("plain" + std::to_string(p + 1));
    run_ensembles(plain);
    const auto point_dir = out / "points" / ("000" + std::to_string(p + 1));
    const auto summary = read_text(plain.out_dir / "summary.csv");
    CHECK(read_text(point_dir / "summary.csv") == summary);
    CHECK(read_text(point_dir / "replications.csv") == read_text(plain.out_dir / "replications.csv"));
    // sweep.csv: the summary rows with the point in place of the scenario name.
    std::istringstream lines(summary);
    std::string line;
    std::getline(lines, line);
    while (std::getline(lines, line)) expected_sweep += std::to_string(p + 1) + line.substr(line.find(',')) + "\n";
  }
  CHECK(read_text(out / "sweep.csv") == expected_sweep);
  CHECK(read_text(out / "points.csv") ==
        "point,partners.alpha.agreement.document_officers,removing_state.release_prob\n"
        "1,4,0.5\n2,4,0.9\n3,12,0.5\n4,12,0.9\n");
  const auto meta = nlohmann::json::parse(read_text(out / "metadata.json"));
  CHECK(meta["command"] == "sweep");
  CHECK(meta["sweep_file_hash"] == design.file_hash);
  CHECK(meta["points_done"] == 4);
  CHECK(meta["shard"]["count"] == 1);
  CHECK(meta["design"]["method"] == "grid");
  CHECK(meta["parameters"][1]["distribution"] == "values [0.5, 0.9]");
  CHECK(meta["processes"] == "1 process");
  // Without `outcomes`, a sweep is not analysed.
  CHECK(meta["analysed"] == false);
  CHECK_FALSE(fs::exists(out / "sensitivity.csv"));
}

TEST_CASE("a rerun skips completed points and gives the same bytes", "[sweep][resume]") {
  TempDir dir;
  const auto file = dir.write("grid.yaml", grid_sweep());
  const auto out = dir.path() / "sweep";
  run_sweep(options_for(file, out));
  const auto sweep_csv = read_text(out / "sweep.csv");
  const auto points_csv = read_text(out / "points.csv");

  SECTION("a completed folder runs nothing") {
    const auto again = run_sweep(options_for(file, out));
    CHECK(again.points_run == 0);
    CHECK(again.points_skipped == 4);
    CHECK(read_text(out / "sweep.csv") == sweep_csv);
  }
  SECTION("a missing point, or one killed before its metadata.json, runs again alone") {
    fs::remove_all(out / "points" / "0002");
    fs::remove(out / "points" / "0004" / "metadata.json");
    fs::remove(out / "sweep.csv");
    std::vector<std::size_t> ran;
    auto options = options_for(file, out);
    options.before_point = [&](std::size_t point) { ran.push_back(point); };
    const auto again = run_sweep(options);
    CHECK(ran == std::vector<std::size_t>{2, 4});
    CHECK(again.points_run == 2);
    CHECK(again.points_skipped == 2);
    CHECK(read_text(out / "sweep.csv") == sweep_csv);
    CHECK(read_text(out / "points.csv") == points_csv);
  }
}

TEST_CASE("shards into one folder, then a merge, equal a full run", "[sweep][shard]") {
  TempDir dir;
  const auto file = dir.write("grid.yaml", grid_sweep());
  const auto full = dir.path() / "full";
  run_sweep(options_for(file, full));

  const auto shared = dir.path() / "shared";
  auto first = options_for(file, shared);
  first.shard = parse_shard("1/2");
  const auto one = run_sweep(first);
  CHECK(one.points_selected == 2);
  CHECK(one.points_run == 2);
  CHECK(read_text(shared / "points.csv") ==
        "point,partners.alpha.agreement.document_officers,removing_state.release_prob\n1,4,0.5\n3,12,0.5\n");
  CHECK(fs::exists(shared / "points" / "0001" / "metadata.json"));
  CHECK_FALSE(fs::exists(shared / "points" / "0002"));
  auto second = options_for(file, shared);
  second.shard = parse_shard("2/2");
  CHECK(run_sweep(second).points_run == 2);

  const auto merged = run_sweep(options_for(file, shared));
  CHECK(merged.points_run == 0);
  CHECK(merged.points_skipped == 4);
  CHECK(read_text(shared / "sweep.csv") == read_text(full / "sweep.csv"));
  CHECK(read_text(shared / "points.csv") == read_text(full / "points.csv"));
}

TEST_CASE("parse_shard accepts I/N with 1 <= I <= N only", "[sweep][shard]") {
  CHECK(parse_shard("3/4").index == 3);
  CHECK(parse_shard("3/4").count == 4);
  for (const char* bad : {"", "1", "0/2", "3/2", "1/0", "a/2", "1/2/3", "-1/2", "1 /2"})
    CHECK_THROWS_AS(parse_shard(bad), UsageError);
  const Shard shard{2, 3};
  CHECK_FALSE(shard.contains(1));
  CHECK(shard.contains(2));
  CHECK(shard.contains(5));
}

TEST_CASE("a changed sweep file is refused unless --restart", "[sweep][resume]") {
  TempDir dir;
  const auto file = dir.write("grid.yaml", grid_sweep());
  const auto out = dir.path() / "sweep";
  run_sweep(options_for(file, out));
  dir.write("grid.yaml", grid_sweep("  removing_state.flight_dropoff_prob: 0.3\n"));
  try {
    run_sweep(options_for(file, out));
    FAIL("a changed sweep file was accepted");
  } catch (const UsageError& e) {
    const std::string message = e.what();
    CHECK(message.find("holds results of a different sweep") != std::string::npos);
    CHECK(message.find("flight_dropoff_prob") != std::string::npos);
    CHECK(message.find("--restart") != std::string::npos);
  }
  SECTION("a different replication count is refused too") {
    dir.write("grid.yaml", grid_sweep());
    auto options = options_for(file, out);
    options.replications = 2;
    CHECK_THROWS_AS(run_sweep(options), UsageError);
  }
  SECTION("--restart runs every point again") {
    auto options = options_for(file, out);
    options.restart = true;
    const auto outcome = run_sweep(options);
    CHECK(outcome.points_run == 4);
    CHECK(run_sweep(options_for(file, out)).points_run == 0);
  }
}

TEST_CASE("malformed sweep files give located errors", "[sweep][errors]") {
  TempDir dir;
  const auto errors_of = [&](const std::string& text) {
    const auto file = dir.write("bad.yaml", text);
    return readmit::test::diagnostics_of([&] { load_experiment(file); });
  };
  const std::string f = (dir.path() / "bad.yaml").string();
  const std::string scenario = "scenario: " + scenario_file.string() + "\n";
  CHECK(errors_of(scenario + "grids:\n  seed: [1]\n") ==
        std::vector<std::string>{f + ":1:1: error: grid: expected `grid` or `latin_hypercube` (a sweep), or "
                                     "`policies`, `uncertainties` and `design` (an experiment), found none",
                                 f + ":2:1: error: grids: unknown key \"grids\"; did you mean \"grid\"?"});
  CHECK(errors_of(scenario + "grid: {}\n") ==
        std::vector<std::string>{f + ":2:7: error: grid: expected at least one parameter, found an empty map"});
  CHECK(errors_of(scenario + "grid:\n  seed: 3\n  horizon_months: []\n") ==
        std::vector<std::string>{
            f + ":3:9: error: grid.seed: expected a list of values, found \"3\"",
            f + ":4:19: error: grid.horizon_months: expected at least one value, found an empty list"});
  CHECK(errors_of(scenario + "latin_hypercube:\n  samples: 0\n  ranges:\n    seed: {min: 5, max: 2}\n") ==
        std::vector<std::string>{
            f + ":3:12: error: latin_hypercube.samples: expected a whole number in [1, 1000000], found \"0\"",
            f + ":5:25: error: latin_hypercube.ranges.seed.max: expected a number >= min (5), found \"2\""});
  // Values the scenario loader rejects, at the value (or key) in the sweep file.
  CHECK(errors_of(scenario + "grid:\n  partners.alpha.agreement.document_officers: [3, -1]\n"
                             "  partners.alpha.agreement.document_oficers: [1]\n") ==
        std::vector<std::string>{
            f + ":3:51: error: partners.alpha.agreement.document_officers: expected a whole number in [0, 1000000], "
                "found \"-1\"",
            f + ":4:3: error: partners.alpha.agreement.document_oficers: unknown key \"document_oficers\"; did you "
                "mean \"document_officers\"?"});
  CHECK(errors_of("scenario: no_such.yaml\ngrid:\n  seed: [1]\n").size() == 1);
}

TEST_CASE("a grid of a million points is refused at once, before it is expanded", "[sweep][errors]") {
  TempDir dir;
  std::string values = "[";
  for (int i = 0; i < 100; ++i) values += (i ? ", " : "") + std::to_string(i);
  values += "]";
  const auto file = dir.write("huge.yaml", "scenario: " + scenario_file.string() +
                                               "\ngrid:\n"
                                               "  partners.alpha.agreement.document_officers: " +
                                               values + "\n  partners.beta.agreement.document_officers: " + values +
                                               "\n  removing_state.raid_size: " + values + "\n");
  std::size_t announced = 0;
  CHECK(readmit::test::diagnostics_of([&] {
          load_experiment(file, 0, [&](auto points, auto, auto) { announced = points; });
        }) == std::vector<std::string>{
                  file.string() + ":2:1: error: grid: expected at most 100,000 design points, found more (100 x 100 x "
                                  "100)"});
  CHECK(announced == 0);
}

TEST_CASE("readmit sweep: exit codes and messages", "[sweep][cli]") {
  TempDir dir;
  const auto bad =
      dir.write("bad.yaml", "scenario: " + scenario_file.string() + "\nreplications: 0\ngrid: {seed: 3}\n");
  const auto r = readmit::test::run_readmit({"sweep", bad.string()});
  CHECK(r.code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == bad.string() + ":2:15: error: replications: expected a whole number in [1, 1000000], found \"0\"\n" +
                     bad.string() + ":3:14: error: grid.seed: expected a list of values, found \"3\"\n");

  const auto file = dir.write("grid.yaml", grid_sweep());
  CHECK(readmit::test::run_readmit({"sweep", file.string(), "--shard", "3/2"}).code == 2);
  CHECK(readmit::test::run_readmit({"sweep", file.string(), "--shard", "x"}).code == 2);

  const auto out = dir.path() / "out";
  const auto ok =
      readmit::test::run_readmit({"sweep", file.string(), "--out", out.string(), "-t", "1", "--shard", "2/2"});
  CHECK(ok.code == 0);
  CHECK(ok.err.empty());  // no progress when stderr is not a terminal
  CHECK(ok.out.find("sweep grid: 4 points x 1 policy x 3 replications; checking every point\n"
                    "sweep grid: 4 points, shard 2/2: 2 (2 run, 0 done earlier)\n") == 0);

  dir.write("grid.yaml", grid_sweep("  seed: 8\n"));
  const auto changed = readmit::test::run_readmit({"sweep", file.string(), "--out", out.string()});
  CHECK(changed.code == 2);
  CHECK(changed.err.find("--restart") != std::string::npos);
}

TEST_CASE("the shipped sweep files load", "[sweep]") {
  for (const auto& entry : fs::directory_iterator(READMIT_SOURCE_DIR "/scenarios/sweeps")) {
    INFO(entry.path().string());
    const auto design = load_experiment(entry.path());
    CHECK(design.sweep_syntax);
    CHECK(design.points() > 0);
  }
}
