// Experiments: pairing of policies at a point, the tables, the database and
// the analysis, every design, located errors, resume, shards, progress, and
// a tiny version of the shipped Cambodia experiment.
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/cli_runner.hpp"
#include "experiment_test_support.hpp"
#include "readmit/app/ensemble_run.hpp"
#include "readmit/io/csv.hpp"

using namespace readmit;
using namespace readmit::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::vector<std::string>> csv_rows(const fs::path& file) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_text(file));
  std::string line;
  while (std::getline(in, line)) rows.push_back(*parse_csv_record(line));
  return rows;
}

/// The single value of an SQL query, as text (or as a double).
std::string query(const fs::path& database, const std::string& sql, double* number = nullptr) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
  std::string value;
  if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0) != nullptr) {
    if (number != nullptr) *number = sqlite3_column_double(statement, 0);
    value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

}  // namespace

TEST_CASE("at each point the policies are paired: its folder is a compare of the policies", "[experiment]") {
  TempDir dir;
  const auto file = dir.write("paired.yaml", small_experiment("{method: grid, levels: 2}"));
  const auto out = dir.path() / "out";
  const auto outcome = run_locally(experiment_options(file, out));
  CHECK(outcome.points_total == 4);
  CHECK(outcome.policies == 2);

  const auto e = load_experiment(file);
  const auto base = dir.write("status_quo.yaml", "extends: " + two_partners_file.string() + "\nname: status_quo\n");
  const auto alt = dir.write("more_officers.yaml", "extends: " + two_partners_file.string() +
                                                       "\nname: more_officers\n"
                                                       "partners: {alpha: {agreement: {document_officers: 30}}}\n");
  for (const std::size_t p : {std::size_t(0), std::size_t(3)}) {
    EnsembleRunOptions compare;
    compare.scenarios = {base, alt};
    compare.overrides = {"horizon_months=18", "removing_state.release_prob=" + e.point_texts[p][0],
                         "partners.beta.agreement.document_officers=" + e.point_texts[p][1]};
    compare.replications = 3;
    compare.seed = 11;
    compare.threads = 1;
    compare.out_dir = dir.path() / ("compare" + std::to_string(p));
    run_ensembles(compare);
    const auto point = out / "points" / ("000" + std::to_string(p + 1));
    CHECK(read_text(point / "summary.csv") == read_text(compare.out_dir / "summary.csv"));
    CHECK(read_text(point / "comparison.csv") == read_text(compare.out_dir / "comparison.csv"));
  }
  // Summary only by default: no time series, replications or events per point.
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(out / "points" / "0001"))
    names.insert(entry.path().filename().string());
  CHECK(names == std::set<std::string>{".readmit", "comparison.csv", "metadata.json", "metrics.csv",
                                       "scenario.resolved.yaml", "summary.csv"});
  // The grid's levels are the midpoints of equal-probability strata.
  CHECK(e.point_texts ==
        std::vector<std::vector<std::string>>{{"0.45", "4"}, {"0.45", "8"}, {"0.75", "4"}, {"0.75", "8"}});
}

TEST_CASE("an experiment writes its tables, its database and its analysis", "[experiment]") {
  TempDir dir;
  const auto file = dir.write("lhs.yaml", small_experiment("{method: latin_hypercube, samples: 12}",
                                                           "prim:\n"
                                                           "  - {outcome: alpha:removals, policy: more_officers, "
                                                           "difference: true, above: 10}\n"
                                                           "  - {outcome: custody_releases, below: 0}\n"
                                                           "analysis: {bootstrap_samples: 50}\n"));
  const auto out = dir.path() / "out";
  const auto outcome = run_locally(experiment_options(file, out));
  CHECK(outcome.analysed);
  CHECK(outcome.bytes_written > 0);
  const auto meta = nlohmann::json::parse(read_text(out / "metadata.json"));
  CHECK(meta["files"] == nlohmann::json{"points.csv", "summary.csv", "differences.csv", "sensitivity.csv",
                                        "prim_boxes.csv", "experiment.sqlite", "scenario.resolved.yaml",
                                        "metadata.json"});
  CHECK(meta["policies"] == nlohmann::json{"status_quo", "more_officers"});
  CHECK(meta["outcomes"] == nlohmann::json{"removals", "alpha:removals", "custody_releases"});
  CHECK(meta["analysis"]["bootstrap_samples"] == 50);
  REQUIRE(meta["prim"].size() == 2);
  CHECK(meta["prim"][0]["threshold_density"] == 0.8);
  CHECK(meta["prim"][1]["question"].get<std::string>().find("custody_releases") != std::string::npos);

  const auto summary = csv_rows(out / "summary.csv");
  CHECK(summary[0] == std::vector<std::string>{"point", "policy", "partner", "metric", "n", "mean", "sd", "p05", "p25",
                                               "p50", "p75", "p95", "ci95_low", "ci95_high"});
  const auto differences = csv_rows(out / "differences.csv");
  CHECK(differences[0][0] == "point");
  CHECK(differences[0][2] == "alternative");
  CHECK(differences[1][1] == "status_quo");
  CHECK(differences[1][2] == "more_officers");
  // Every point has both policies, and its difference, of every run total.
  CHECK((summary.size() - 1) % 24 == 0);
  CHECK(summary.size() - 1 == 2 * (differences.size() - 1));
  CHECK(csv_rows(out / "points.csv").size() == 13);

  // PRCC of every outcome of every policy and of the difference, per parameter.
  const auto sensitivity = csv_rows(out / "sensitivity.csv");
  CHECK(sensitivity[0] == std::vector<std::string>{"outcome", "policy", "baseline", "parameter", "index", "value",
                                                   "ci95_low", "ci95_high", "p_value", "n"});
  CHECK(sensitivity.size() == 1 + 3 * 3 * 2);
  CHECK(sensitivity[1] == std::vector<std::string>{"removals", "status_quo", "", "removing_state.release_prob", "prcc",
                                                   sensitivity[1][5], sensitivity[1][6], sensitivity[1][7],
                                                   sensitivity[1][8], "12"});
  const auto boxes = csv_rows(out / "prim_boxes.csv");
  REQUIRE(boxes.size() >= 3);
  CHECK(boxes[1][1] == "alpha:removals");
  CHECK(boxes[1][3] == "status_quo");
  CHECK(boxes.back()[0] == "2");
  CHECK(boxes.back()[7] == "0");  // no custody release below 0: no case of interest, no box
  CHECK(boxes.back()[8] == "NA");

  // The database holds the same rows, indexed.
  const auto db = out / "experiment.sqlite";
  CHECK(query(db, "select count(*) from outcomes") == std::to_string(summary.size() - 1));
  CHECK(query(db, "select count(*) from differences") == std::to_string(differences.size() - 1));
  CHECK(query(db, "select count(*) from sensitivity") == std::to_string(sensitivity.size() - 1));
  CHECK(query(db, "select count(*) from prim_boxes") == std::to_string(boxes.size() - 1));
  CHECK(query(db, "select count(*) from points") == "12");
  CHECK(query(db, "select group_concat(name) from (select name from policies order by policy)") ==
        "status_quo,more_officers");
  CHECK(query(db,
              "select count(*) from sqlite_master where type = 'index' and tbl_name in ('outcomes', "
              "'differences')") == "2");
  std::string mean;
  for (const auto& row : summary)
    if (row[0] == "3" && row[1] == "more_officers" && row[2] == "all" && row[3] == "removals") mean = row[5];
  double stored = 0;
  query(db,
        "select mean from outcomes where point = 3 and policy = 'more_officers' and partner = 'all' and metric = "
        "'removals'",
        &stored);
  CHECK(stored == *parse_csv_number(mean));
  CHECK(query(db, "select value from experiment where key = 'design'") == "latin_hypercube");
}

TEST_CASE("designs: grid, Latin hypercube, Sobol (Saltelli), Morris and a points file", "[experiment][design]") {
  TempDir dir;
  const auto load = [&](const std::string& design, const std::string& extra = "") {
    return load_experiment(dir.write("design.yaml", small_experiment(design, extra)));
  };
  SECTION("grid: lists of values, and levels of continuous distributions") {
    const auto e = load_experiment(
        dir.write("grid.yaml", "scenario: " + two_partners_file.string() +
                                   "\nuncertainties:\n"
                                   "  removing_state.release_prob: [0.2, 0.5]\n"
                                   "  compliance.uncooperative.combine: {dist: discrete, values: [any, all]}\n"
                                   "  partners.beta.agreement.document_officers: {dist: uniform, min: 1, max: 3}\n"
                                   "design: {method: grid, levels: 3}\n"));
    REQUIRE(e.points() == 12);
    CHECK(e.point_texts[0] == std::vector<std::string>{"0.2", "any", "1"});
    CHECK(e.point_texts[1] == std::vector<std::string>{"0.2", "any", "2"});
    CHECK(e.point_texts[11] == std::vector<std::string>{"0.5", "all", "3"});
    // Texts are their index to the analysis.
    CHECK(e.point_values(11, 1) == 1);
    CHECK(e.point_values(11, 0) == 0.5);
  }
  SECTION("Latin hypercube: one point per stratum; whole numbers get equal weight") {
    const auto e = load("{method: latin_hypercube, samples: 16, seed: 5}");
    REQUIRE(e.points() == 16);
    std::map<std::string, int> officers;
    std::set<int> strata;
    for (std::size_t p = 0; p < e.points(); ++p) {
      ++officers[e.point_texts[p][1]];
      strata.insert(int((e.point_values(p, 0) - 0.3) / 0.6 * 16));
    }
    CHECK(strata.size() == 16);
    CHECK(officers ==
          std::map<std::string, int>{{"2", 2}, {"3", 2}, {"4", 2}, {"5", 2}, {"6", 2}, {"7", 2}, {"8", 2}, {"9", 2}});
    CHECK(e.design_seed == 5);
    CHECK(load("{method: latin_hypercube, samples: 16}").design_seed == 11);  // the experiment's seed
  }
  SECTION("Sobol: Saltelli's N (k + 2) rows; AB rows take one column from B") {
    const auto e = load("{method: sobol, base_samples: 8}");
    REQUIRE(e.points() == 8 * 4);
    for (std::size_t j = 0; j < 8; ++j) {
      const std::size_t a = j * 4, ab1 = a + 1, ab2 = a + 2, b = a + 3;
      CHECK(e.point_texts[ab1][0] == e.point_texts[b][0]);
      CHECK(e.point_texts[ab1][1] == e.point_texts[a][1]);
      CHECK(e.point_texts[ab2][0] == e.point_texts[a][0]);
      CHECK(e.point_texts[ab2][1] == e.point_texts[b][1]);
    }
  }
  SECTION("Morris: r (k + 1) points; each step moves one parameter") {
    const auto e = load("{method: morris, trajectories: 5, levels: 4}");
    REQUIRE(e.points() == 5 * 3);
    REQUIRE(e.morris);
    for (std::size_t t = 0; t < 5; ++t)
      for (std::size_t s = 0; s < 2; ++s) {
        const std::size_t row = t * 3 + s;
        int changed = 0;
        for (std::size_t d = 0; d < 2; ++d) changed += e.point_texts[row][d] != e.point_texts[row + 1][d];
        CHECK(changed <= 1);  // a whole-number factor may land on the same value
      }
  }
  SECTION("points: a CSV file of the analyst's own points") {
    dir.write("mine.csv",
              "point,partners.beta.agreement.document_officers,removing_state.release_prob\n1,3,0.5\n2,9,0.31\n");
    const auto e = load("{method: points, file: mine.csv}");
    CHECK(e.point_texts == std::vector<std::vector<std::string>>{{"0.5", "3"}, {"0.31", "9"}});
    dir.write("bad.csv", "removing_state.release_prob,partners.beta.agreement.document_officers\n0.95,3\n0.5,2.5\n");
    const std::string f = (dir.path() / "bad.csv").string();
    CHECK(diagnostics_of([&] { load("{method: points, file: bad.csv}"); }) ==
          std::vector<std::string>{
              f + ":2:1: error: removing_state.release_prob: expected a value of the uncertainty (uniform min 0.3 max "
                  "0.9), found \"0.95\"",
              f + ":3:1: error: partners.beta.agreement.document_officers: expected a value of the uncertainty "
                  "(uniform min 2 max 9, whole numbers), found \"2.5\""});
  }
  SECTION("no uncertainty: one point, the policies compared") {
    const auto e = load_experiment(dir.write(
        "one.yaml", "scenario: " + two_partners_file.string() + "\npolicies: {a: {}, b: {set: {seed: 3}}}\n"));
    CHECK(e.points() == 1);
    CHECK(e.overrides(0, 1) == std::vector<std::string>{"name=b", "seed=3"});
  }
}

TEST_CASE("malformed experiment files give located errors", "[experiment][errors]") {
  TempDir dir;
  const std::string f = (dir.path() / "bad.yaml").string();
  const auto errors_of = [&](const std::string& text) {
    return diagnostics_of([&] { load_experiment(dir.write("bad.yaml", text)); });
  };
  const std::string scenario = "scenario: " + two_partners_file.string() + "\n";
  CHECK(errors_of(scenario + "policies:\n"
                             "  \"a b\": {}\n"
                             "  ok: {overlays: [missing.yaml], sets: {}}\n"
                             "uncertainties:\n"
                             "  removing_state.release_prob: {dist: unifrom, min: 0, max: 1}\n"
                             "  compliance.window_months: {dist: uniform, min: 1, max: 2.5}\n"
                             "  horizon_months: {dist: normal, mean: 12}\n"
                             "design: {method: latin_hypercube, samples: 8, levels: 3}\n"
                             "keep: [timeseries, monthly]\n") ==
        std::vector<std::string>{
            f + ":3:3: error: policies.a b: expected a name of letters, digits, '_' or '-', starting with a letter or "
                "a digit, at most 64 bytes, found \"a b\"",
            f + ":4:19: error: policies.ok.overlays[0]: file not found: " + (dir.path() / "missing.yaml").string(),
            f + ":4:34: error: policies.ok.sets: unknown key \"sets\"; did you mean \"set\"?",
            f + ":6:39: error: uncertainties.removing_state.release_prob.dist: unknown choice \"unifrom\"; did "
                "you mean \"uniform\"?",
            f + ":7:29: error: uncertainties.compliance.window_months: expected a valid distribution for a "
                "whole-number parameter: uniform: an integer factor needs integer bounds, found upper 2.5",
            f + ":8:19: error: uncertainties.horizon_months.sd: expected a number, found nothing (required)",
            f + ":9:47: error: design.levels: unknown key \"levels\"; expected one of: method, samples, seed",
            f + ":10:20: error: keep[1]: unknown name \"monthly\"; expected one of: replications, timeseries, events"});
  CHECK(errors_of(scenario +
                  "set: {removing_state.release_prob: 0.5}\n"
                  "policies: {a: {}, b: {set: {name: x, removing_state.raid_size: 2}}}\n"
                  "uncertainties: {removing_state.release_prob: [0.2, 0.4], removing_state.raid_size: [1, 2]}\n"
                  "outcomes: [removals, alpha:removal, gamma:removals]\n"
                  "design: {method: grid}\n"
                  "prim: [{outcome: removals, policy: a, difference: true, below: 3}, {outcome: relief, above: 1}, "
                  "{outcome: removals}]\n") ==
        std::vector<std::string>{
            f + ":2:7: error: set.removing_state.release_prob: expected a parameter that is not uncertain, found "
                "\"removing_state.release_prob\", also under uncertainties",
            f + ":3:29: error: policies.b.set.name: expected no `name`: a policy's name is its key",
            f + ":3:38: error: policies.b.set.removing_state.raid_size: expected a lever that is not uncertain, "
                "found \"removing_state.raid_size\", also under uncertainties"});
  CHECK(errors_of(scenario +
                  "policies: {a: {}, b: {set: {removing_state.raid_size: -2}}}\n"
                  "uncertainties: {removing_state.release_prob: [0.2, 1.4]}\n"
                  "outcomes: [removals, alpha:removal, gamma:removals]\n"
                  "design: {method: grid}\n"
                  "prim: [{outcome: removals, policy: a, difference: true, below: 3}, {outcome: relief, above: 1}, "
                  "{outcome: removals}]\n") ==
        std::vector<std::string>{
            f + ":4:22: error: outcomes[1]: unknown run total \"removal\"; did you mean \"removals\"?",
            f + ":4:37: error: outcomes[2]: unknown partner \"gamma\"; expected one of: alpha, beta, all",
            f + ":6:51: error: prim[0].difference: expected a `policy` other than the reference (a) for a paired "
                "difference, found the reference",
            f + ":6:78: error: prim[1].outcome: not one of the outcomes: \"relief\"; expected one of: removals, "
                "alpha:removal, gamma:removals",
            f + ":6:97: error: prim[2]: expected `below: X` or `above: X`, found neither"});
  // Values the scenario loader rejects: at the policy's value, and at the uncertainty's value.
  CHECK(errors_of(scenario + "policies: {a: {}, b: {set: {removing_state.raid_size: -2}}}\n"
                             "uncertainties: {removing_state.release_prob: [0.2, 1.4]}\n"
                             "design: {method: grid}\n") ==
        std::vector<std::string>{
            f + ":2:55: error: removing_state.raid_size: expected a whole number in [0, 10000000], found \"-2\"",
            f + ":3:52: error: removing_state.release_prob: expected a probability in [0, 1], found \"1.4\""});
  // Also when the override is longer than the loader shows of it (200 bytes).
  CHECK(errors_of(scenario + "policies: {a: {}, b: {set: {removing_state.raid_size: " + std::string(250, '9') +
                  "}}}\n") ==
        std::vector<std::string>{f +
                                 ":2:55: error: removing_state.raid_size: expected a whole number in [0, 10000000], "
                                 "found \"" +
                                 std::string(60, '9') + "...\" (250 bytes)"});
  // A misspelt parameter in a points file is one error at its column, not
  // one per point; a bad value is one per point that has it.
  dir.write("p.csv", "removing_state.release_prob,removing_state.raid_sise\n0.2,1\n1.5,2\n0.4,3\n1.5,4\n");
  const std::string p = (dir.path() / "p.csv").string();
  CHECK(errors_of(scenario + "design: {method: points, file: p.csv}\n") ==
        std::vector<std::string>{
            p + ":1:1: error: removing_state.raid_sise: unknown key \"raid_sise\"; did you mean \"raid_size\"?",
            p + ":1:1: error: removing_state.release_prob: expected a probability in [0, 1], found \"1.5\" (point 2)",
            p + ":1:1: error: removing_state.release_prob: expected a probability in [0, 1], found \"1.5\" (point 4)"});
  CHECK(errors_of(scenario + "uncertainties: {removing_state.release_prob: [0.2]}\n"
                             "design: {method: sobol, base_samples: 100000}\n") ==
        std::vector<std::string>{f + ":3:1: error: design: expected at most 100,000 design points, found more (100000 "
                                     "base samples x (1 parameters + 2))"});
}

TEST_CASE("a rerun after a lost point gives the same bytes; an edited analysis reuses the points",
          "[experiment][resume]") {
  TempDir dir;
  const std::string prim = "prim: [{outcome: removals, policy: more_officers, difference: true, above: 5}]\n";
  const auto file = dir.write("x.yaml", small_experiment("{method: latin_hypercube, samples: 6}", prim));
  const auto out = dir.path() / "out";
  run_locally(experiment_options(file, out));
  const auto complete = stable_tree(out);

  fs::remove_all(out / "points" / "0002");
  fs::remove(out / "points" / "0005" / "metadata.json");
  fs::remove(out / "experiment.sqlite");
  std::vector<std::size_t> ran;
  auto options = experiment_options(file, out);
  options.before_point = [&](std::size_t point) { ran.push_back(point); };
  const auto again = run_locally(options);
  CHECK(ran == std::vector<std::size_t>{2, 5});
  CHECK(again.points_skipped == 4);
  CHECK(stable_tree(out) == complete);

  dir.write("x.yaml", small_experiment("{method: latin_hypercube, samples: 6}",
                                       "prim: [{outcome: removals, policy: more_officers, difference: true, above: "
                                       "50}]\n"));
  const auto edited = run_locally(experiment_options(file, out));
  CHECK(edited.points_run == 0);
  CHECK(read_text(out / "prim_boxes.csv") != complete.at("prim_boxes.csv"));

  SECTION("other values are refused unless --restart") {
    dir.write("x.yaml", small_experiment("{method: latin_hypercube, samples: 6, seed: 99}", prim));
    CHECK_THROWS_AS(run_locally(experiment_options(file, out)), UsageError);
  }
}

TEST_CASE("shards into one folder, then a merge, equal a full run; only the merge is analysed", "[experiment][shard]") {
  TempDir dir;
  const auto file = dir.write("x.yaml", small_experiment("{method: morris, trajectories: 3}"));
  const auto full = dir.path() / "full";
  run_locally(experiment_options(file, full));
  CHECK(fs::exists(full / "sensitivity.csv"));
  CHECK(csv_rows(full / "sensitivity.csv")[1][4] == "prcc");
  const auto shared = dir.path() / "shared";
  for (const char* shard : {"1/2", "2/2"}) {
    auto options = experiment_options(file, shared);
    options.shard = parse_shard(shard);
    const auto outcome = run_locally(options);
    CHECK_FALSE(outcome.analysed);
    CHECK_FALSE(fs::exists(shared / "sensitivity.csv"));
    const auto meta = nlohmann::json::parse(read_text(shared / "metadata.json"));
    CHECK(meta["analysis_skipped"].get<std::string>().find("run without --shard") != std::string::npos);
  }
  const auto merged = run_locally(experiment_options(file, shared));
  CHECK(merged.points_run == 0);
  CHECK(merged.analysed);
  CHECK(stable_tree(shared) == stable_tree(full));
  std::set<std::string> indices;
  for (const auto& row : csv_rows(full / "sensitivity.csv")) indices.insert(row[4]);
  CHECK(indices == std::set<std::string>{"index", "prcc", "morris_mu_star", "morris_mu", "morris_sigma"});
}

TEST_CASE("readmit experiment: progress as JSON lines, exit codes", "[experiment][cli][progress]") {
  TempDir dir;
  const auto file = dir.write("x.yaml", small_experiment("{method: latin_hypercube, samples: 3}"));
  const auto out = dir.path() / "out";
  const auto lines_file = dir.path() / "progress.jsonl";
  const auto r = run_readmit(
      {"experiment", file.string(), "--out", out.string(), "-t", "1", "--progress", "jsonl=" + lines_file.string()});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("experiment x: 3 points x 2 policies x 3 replications; checking every point\n"
                   "experiment x: 3 points (3 run, 0 done earlier)\n"
                   "analysis: sensitivity.csv, prim_boxes.csv\n") == 0);
  std::istringstream lines(read_text(lines_file));
  std::string line;
  std::size_t count = 0;
  while (std::getline(lines, line)) {
    const auto json = nlohmann::json::parse(line);
    ++count;
    CHECK(json["command"] == "experiment");
    CHECK(json["unit"] == "points");
    CHECK(json["done"] == count);
    CHECK(json["total"] == 3);
    CHECK(json["rate"].get<double>() >= 0);
    CHECK(json.contains("eta_seconds"));
    CHECK(json.contains("elapsed_seconds"));
  }
  CHECK(count == 3);
  // On stderr, whatever the terminal; a rerun has nothing to do.
  const auto again = run_readmit({"experiment", file.string(), "--out", out.string(), "--progress", "jsonl"});
  CHECK(again.code == 0);
  CHECK(again.err.empty());
  const auto bad = run_readmit({"experiment", file.string(), "--progress", "loud"});
  CHECK(bad.code == 2);
  CHECK(bad.err == "readmit: error: --progress \"loud\": expected auto, bar, none, jsonl or jsonl=FILE\n");
  const auto run = run_readmit({"run", two_partners_file.string(), "-r", "20", "-t", "1", "--out",
                                (dir.path() / "run").string(), "--progress", "jsonl"});
  CHECK(run.code == 0);
  // One line per window of 8 x threads replications, and the last.
  std::istringstream run_lines(run.err);
  std::vector<std::size_t> done;
  while (std::getline(run_lines, line)) done.push_back(nlohmann::json::parse(line)["done"].get<std::size_t>());
  CHECK(done == std::vector<std::size_t>{8, 16, 20});
}

TEST_CASE("a tiny version of the shipped Cambodia experiment runs and matches its structure", "[experiment][example]") {
  const fs::path shipped = READMIT_SOURCE_DIR "/scenarios/experiments/cambodia_policies.yaml";
  const fs::path tiny = READMIT_TEST_DATA_DIR "/experiment/cambodia_policies_tiny.yaml";
  const auto full = load_experiment(shipped);
  const auto small = load_experiment(tiny);
  std::vector<std::string> full_policies, small_policies, full_paths, small_paths;
  for (const auto& p : full.policies) full_policies.push_back(p.name);
  for (const auto& p : small.policies) small_policies.push_back(p.name);
  for (const auto& u : full.uncertainties) full_paths.push_back(u.path + " " + u.description);
  for (const auto& u : small.uncertainties) small_paths.push_back(u.path + " " + u.description);
  CHECK(small_policies == full_policies);
  CHECK(small_paths == full_paths);
  CHECK(small.outcomes.size() == full.outcomes.size());
  CHECK(small.prim.size() == full.prim.size());
  CHECK(small.method == full.method);
  CHECK(small.fixed == full.fixed);

  TempDir dir;
  const auto out = dir.path() / "out";
  const auto outcome = run_locally(experiment_options(tiny, out));
  CHECK(outcome.points_total == 4 * 6);
  CHECK(outcome.analysed);
  std::set<std::string> indices;
  for (const auto& row : csv_rows(out / "sensitivity.csv")) indices.insert(row[4]);
  CHECK(indices == std::set<std::string>{"index", "prcc", "sobol_first_order", "sobol_total"});
}

TEST_CASE("a single named policy names its rows and is analysed", "[experiment]") {
  TempDir dir;
  const auto file = dir.write("one.yaml", "scenario: " + two_partners_file.string() +
                                              "\nreplications: 2\nset: {horizon_months: 12}\n"
                                              "policies: {only: {}}\n"
                                              "uncertainties: {removing_state.release_prob: [0.2, 0.5, 0.8]}\n"
                                              "outcomes: [removals]\ndesign: {method: grid}\n"
                                              "analysis: {bootstrap_samples: 0}\n");
  const auto out = dir.path() / "out";
  CHECK(run_locally(experiment_options(file, out)).analysed);
  CHECK(csv_rows(out / "summary.csv")[1][1] == "only");
  const auto sensitivity = csv_rows(out / "sensitivity.csv");
  REQUIRE(sensitivity.size() == 2);
  CHECK(sensitivity[1][1] == "only");
  CHECK(sensitivity[1][5] != "NA");  // the outcome was found at every point
  CHECK(sensitivity[1][6] == "NA");  // no bootstrap asked
  CHECK(sensitivity[1][9] == "3");
  CHECK_FALSE(fs::exists(out / "differences.csv"));
}
