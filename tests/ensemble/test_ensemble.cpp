// Ensembles: streaming in replication order, output files independent of the
// thread count, statistics that match a direct computation, common random
// numbers, --until-ci, and atomic output files.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "engine/engine_fixtures.hpp"
#include "readmit/app/ensemble_run.hpp"
#include "readmit/engine/ensemble.hpp"
#include "readmit/io/atomic_file.hpp"
#include "scenario/scenario_test_support.hpp"

using namespace readmit;
using readmit::test::read_text;
using readmit::test::TempDir;
namespace fs = std::filesystem;

namespace {

// Two partners (alpha, beta), 24 months from 2020-01; independent of the
// shipped scenarios, which change with calibration.
const fs::path scenario_file = READMIT_TEST_DATA_DIR "/ensemble/two_partners.yaml";

/// An alternative: a lower chance of release at the 180-day review.
fs::path write_alternative(const TempDir& dir, const std::string& change = "removing_state:\n  release_prob: 0.8\n") {
  return dir.write("alternative.yaml", "extends: " + scenario_file.string() + "\nname: alternative\n" + change);
}

EnsembleRunOptions options_for(std::vector<fs::path> files, const fs::path& out, unsigned threads,
                               std::int64_t replications = 6) {
  EnsembleRunOptions options;
  options.scenarios = std::move(files);
  options.replications = replications;
  options.threads = threads;
  options.out_dir = out;
  options.command_line = "test";
  return options;
}

std::map<std::string, std::string> folder_contents(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir))
    files[entry.path().filename().string()] = read_text(entry.path());
  return files;
}

/// metadata.json without what legitimately varies between identical runs.
nlohmann::json stable_metadata(const std::string& text) {
  auto meta = nlohmann::json::parse(text);
  meta.erase("threads");
  meta.erase("wall_seconds");
  meta.erase("timings");
  meta.erase("command_line");
  return meta;
}

std::vector<std::vector<std::string>> read_csv(const fs::path& file) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_text(file));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream fields_in(line);
    while (std::getline(fields_in, field, ',')) fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

double parse(const std::string& text) { return text == "NA" ? std::nan("") : std::stod(text); }

/// Type 7 quantile computed the textbook way.
double direct_quantile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const double h = (double(values.size()) - 1) * p;
  const auto lo = std::size_t(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - double(lo)) * (values[hi] - values[lo]);
}

LoadedScenario loaded_from(const std::vector<std::string>& overrides) {
  DiagnosticSink sink;
  auto tree = parse_yaml(readmit::test::quiet_base_yaml, "engine-test-base", sink);
  apply_overrides(*tree, overrides, sink);
  sink.throw_if_any();
  return resolve_scenario(*tree);
}

}  // namespace

TEST_CASE("stream_ensemble hands over results in replication order", "[ensemble]") {
  const auto loaded = load_scenario(scenario_file);
  std::vector<std::uint64_t> seen;
  std::vector<double> removals;
  EnsembleOptions options;
  options.replications = 9;
  options.threads = 4;
  std::int64_t last_progress = 0;
  options.progress = [&](std::int64_t done, std::int64_t total) {
    CHECK(done == last_progress + 1);
    CHECK(total == 9);
    last_progress = done;
  };
  stream_ensemble(loaded.scenario, options, 5, [&](std::uint64_t replication, ReplicationResult&& result) {
    seen.push_back(replication);
    removals.push_back(readmit::test::total(result, Metric::stock_prison) +
                       readmit::test::total(result, Metric::removals));
  });
  REQUIRE(seen == std::vector<std::uint64_t>{5, 6, 7, 8, 9, 10, 11, 12, 13});
  CHECK(last_progress == 9);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    const auto direct = run_replication(loaded.scenario, seen[i]);
    CHECK(removals[i] ==
          readmit::test::total(direct, Metric::stock_prison) + readmit::test::total(direct, Metric::removals));
  }
}

TEST_CASE("stream_ensemble passes on an exception from the consumer", "[ensemble]") {
  const auto loaded = load_scenario(scenario_file);
  EnsembleOptions options;
  options.replications = 20;
  options.threads = 2;
  int consumed = 0;
  CHECK_THROWS_WITH(stream_ensemble(loaded.scenario, options, 0,
                                    [&](std::uint64_t replication, ReplicationResult&&) {
                                      ++consumed;
                                      if (replication == 3) throw std::runtime_error("disk full");
                                    }),
                    "disk full");
  CHECK(consumed == 4);
}

TEST_CASE("output files are byte-identical at 1, 2 and 4 threads", "[ensemble][determinism]") {
  TempDir dir;
  const auto alternative = write_alternative(dir);
  for (const bool comparing : {false, true}) {
    INFO((comparing ? "compare" : "run"));
    std::vector<fs::path> files{scenario_file};
    if (comparing) files.push_back(alternative);
    std::map<std::string, std::string> reference;
    for (unsigned threads : {1u, 2u, 4u}) {
      const auto out = dir.path() / ((comparing ? "compare_" : "run_") + std::to_string(threads));
      auto options = options_for(files, out, threads);
      options.write_monthly = true;
      run_ensembles(options);
      auto contents = folder_contents(out);
      std::vector<std::string> expected{
          ".readmit",         ".readmit-manifest",      "events.csv",  "metadata.json", "metrics.csv", "monthly.csv",
          "replications.csv", "scenario.resolved.yaml", "summary.csv", "timeseries.csv"};
      if (comparing) expected.insert(expected.end(), {"comparison.csv", "comparison_timeseries.csv"});
      std::sort(expected.begin(), expected.end());
      std::vector<std::string> names;
      for (const auto& [name, text] : contents) names.push_back(name);
      REQUIRE(names == expected);
      if (threads == 1) {
        reference = contents;
        continue;
      }
      INFO(threads << " threads");
      for (const auto& [name, text] : contents) {
        INFO(name);
        if (name == ".readmit") continue;  // the folder's lock: names the process that held it
        if (name == "metadata.json") {
          CHECK(stable_metadata(text) == stable_metadata(reference[name]));
        } else {
          CHECK(text == reference[name]);
        }
      }
    }
  }
}

TEST_CASE("a different seed gives different outputs", "[ensemble][determinism]") {
  TempDir dir;
  run_ensembles(options_for({scenario_file}, dir.path() / "a", 2));
  auto reseeded = options_for({scenario_file}, dir.path() / "b", 2);
  reseeded.seed = 12345;
  run_ensembles(reseeded);
  CHECK(read_text(dir.path() / "a" / "replications.csv") != read_text(dir.path() / "b" / "replications.csv"));
  CHECK(read_text(dir.path() / "a" / "timeseries.csv") != read_text(dir.path() / "b" / "timeseries.csv"));
  CHECK(nlohmann::json::parse(read_text(dir.path() / "b" / "metadata.json"))["seed"] == 12345);
}

TEST_CASE("summary.csv and timeseries.csv match a direct computation", "[ensemble][statistics]") {
  TempDir dir;
  constexpr int replications = 7;
  run_ensembles(options_for({scenario_file}, dir.path(), 2, replications));
  const auto loaded = load_scenario(scenario_file);
  std::vector<ReplicationResult> results;
  for (int r = 0; r < replications; ++r) results.push_back(run_replication(loaded.scenario, std::uint64_t(r)));

  // Run totals: removals over the run, all partners (the sum), and the
  // median days to removal of both partners' removals pooled.
  std::vector<double> removals, pooled_medians;
  for (const auto& r : results) {
    removals.push_back(readmit::test::total(r, Metric::removals, 0) + readmit::test::total(r, Metric::removals, 1));
    std::vector<double> days;
    for (const auto& partner : r.removals)
      for (const auto& removal : partner) days.push_back(removal.days_request_to_removal);
    pooled_medians.push_back(direct_quantile(days, 0.5));
  }
  std::map<std::string, std::map<std::string, double>> summary;  // metric -> statistic -> value
  const auto summary_rows = read_csv(dir.path() / "summary.csv");
  REQUIRE(summary_rows.front() == std::vector<std::string>{"scenario", "partner", "metric", "n", "mean", "sd", "p05",
                                                           "p25", "p50", "p75", "p95", "ci95_low", "ci95_high"});
  for (const auto& row : summary_rows)
    if (row[1] == "all")
      for (std::size_t i = 3; i < row.size(); ++i) summary[row[2]][summary_rows.front()[i]] = parse(row[i]);
  double mean = 0;
  for (double v : removals) mean += v / replications;
  double squares = 0;
  for (double v : removals) squares += (v - mean) * (v - mean);
  const double sd = std::sqrt(squares / (replications - 1));
  auto& s = summary["removals"];
  CHECK(s["n"] == replications);
  CHECK(s["mean"] == Approx(mean).epsilon(1e-12));
  CHECK(s["sd"] == Approx(sd).epsilon(1e-12));
  CHECK(s["p05"] == Approx(direct_quantile(removals, 0.05)).epsilon(1e-12));
  CHECK(s["p25"] == Approx(direct_quantile(removals, 0.25)).epsilon(1e-12));
  CHECK(s["p50"] == Approx(direct_quantile(removals, 0.50)).epsilon(1e-12));
  CHECK(s["p75"] == Approx(direct_quantile(removals, 0.75)).epsilon(1e-12));
  CHECK(s["p95"] == Approx(direct_quantile(removals, 0.95)).epsilon(1e-12));
  // t quantile 0.975 with 6 degrees of freedom.
  const double half = 2.4469118511449692 * sd / std::sqrt(double(replications));
  CHECK(s["ci95_low"] == Approx(mean - half).epsilon(1e-9));
  CHECK(s["ci95_high"] == Approx(mean + half).epsilon(1e-9));
  CHECK(summary["median_days_request_to_removal"]["p50"] ==
        Approx(direct_quantile(pooled_medians, 0.5)).epsilon(1e-12));

  // Monthly statistics: beta's detained stock in month 5 (2020-06), the sum
  // over partners of removals that month, and the count of finite monthly
  // median decision times of alpha, month by month.
  std::vector<double> detained, removals_in_month;
  for (const auto& r : results) {
    detained.push_back(r.monthly.at(5, 1, Metric::stock_detained));
    removals_in_month.push_back(r.monthly.at(5, 0, Metric::removals) + r.monthly.at(5, 1, Metric::removals));
  }
  std::map<std::string, double> cell, overall_cell, finite_counts;
  bool overall_level = false;
  const auto series_rows = read_csv(dir.path() / "timeseries.csv");
  const auto& header = series_rows.front();
  REQUIRE(header == std::vector<std::string>{"scenario", "partner", "month", "metric", "n", "mean", "sd", "p05", "p25",
                                             "p50", "p75", "p95", "ci95_low", "ci95_high"});
  auto statistics = [&](const std::vector<std::string>& row) {
    std::map<std::string, double> values;
    for (std::size_t i = 4; i < row.size(); ++i) values[header[i]] = parse(row[i]);
    return values;
  };
  for (const auto& row : series_rows) {
    if (row[1] == "beta" && row[2] == "2020-06" && row[3] == "stock_detained") cell = statistics(row);
    if (row[1] == "all" && row[2] == "2020-06" && row[3] == "removals") overall_cell = statistics(row);
    if (row[1] == "alpha" && row[3] == "decision_days_p50") finite_counts[row[2]] = parse(row[4]);
    if (row[1] == "all" && row[3] == "cooperation") overall_level = true;
  }
  CHECK(cell["n"] == replications);
  CHECK(cell["p05"] == Approx(direct_quantile(detained, 0.05)).epsilon(1e-12));
  CHECK(cell["p50"] == Approx(direct_quantile(detained, 0.5)).epsilon(1e-12));
  CHECK(cell["p95"] == Approx(direct_quantile(detained, 0.95)).epsilon(1e-12));
  CHECK(overall_cell["p25"] == Approx(direct_quantile(removals_in_month, 0.25)).epsilon(1e-12));
  CHECK(overall_cell["p75"] == Approx(direct_quantile(removals_in_month, 0.75)).epsilon(1e-12));
  CHECK_FALSE(overall_level);  // levels are not summed over partners
  REQUIRE(finite_counts.size() == 24);
  bool some_missing = false;
  for (std::size_t t = 0; t < 24; ++t) {
    double finite = 0;
    for (const auto& r : results) finite += std::isfinite(r.monthly.at(t, 0, Metric::decision_days_p50)) ? 1 : 0;
    some_missing = some_missing || finite < replications;
    CHECK(finite_counts[month_label(loaded.scenario, t)] == finite);
  }
  CHECK(some_missing);  // the count really counts (months without decisions exist)
}

TEST_CASE("paired differences under common random numbers are far narrower than unpaired ones", "[ensemble][paired]") {
  // Two scenarios that differ a little: acceptance 0.60 against 0.62.
  const std::vector<std::string> common{"partners.alpha.population.docket_at_start=400",
                                        "partners.alpha.population.inflow_per_month=15",
                                        "partners.alpha.agreement.document_officers=5",
                                        "partners.alpha.agreement.decision_time_days={dist: exponential, mean: 20}",
                                        "removing_state.relief_hazard_per_month=0.02",
                                        "horizon_months=24"};
  auto base_overrides = common, alt_overrides = common;
  base_overrides.push_back("partners.alpha.agreement.acceptance_base_prob=0.6");
  alt_overrides.push_back("partners.alpha.agreement.acceptance_base_prob=0.62");
  TempDir dir;
  ScenarioResults base(loaded_from(base_overrides), dir.path());
  ScenarioResults alt(loaded_from(alt_overrides), dir.path());
  REQUIRE(base.scenario().seed == alt.scenario().seed);
  EnsembleOptions options;
  options.replications = 40;
  options.threads = 2;
  for (ScenarioResults* s : {&base, &alt})
    stream_ensemble(s->scenario(), options, 0, [s](std::uint64_t, ReplicationResult&& r) { s->add(r); });

  for (const char* metric : {"removals", "denials", "bed_days"}) {
    const auto c = compare_total(base, alt, "all", metric);
    INFO(metric << ": paired " << half_width(c.difference.ci95) << ", unpaired " << half_width(c.unpaired)
                << ", difference " << c.difference.mean);
    REQUIRE(c.difference.n == 40);
    CHECK(half_width(c.difference.ci95) > 0);
    CHECK(half_width(c.difference.ci95) * 4 < half_width(c.unpaired));
  }
}

TEST_CASE("compare runs every scenario with the baseline's seed and checks partners and names", "[ensemble][paired]") {
  TempDir dir;
  const auto alternative =
      dir.write("alternative.yaml", "extends: " + scenario_file.string() + "\nname: same_but_seed\nseed: 99\n");
  auto options = options_for({scenario_file, alternative}, dir.path() / "out", 2, 4);
  run_ensembles(options);
  // Same streams: identical scenarios but for the seed give zero differences.
  for (const auto& row : read_csv(dir.path() / "out" / "comparison.csv"))
    if (row[0] == "two_partners") CHECK(row[11] == "0");  // difference_mean

  const auto other_partner = dir.write("other.yaml", "extends: " + scenario_file.string() +
                                                         "\nname: renamed\npartners:\n  laos:\n    population:\n"
                                                         "      docket_at_start: 10\n");
  CHECK_THROWS_AS(run_ensembles(options_for({scenario_file, other_partner}, dir.path() / "x", 1)), UsageError);
  CHECK_THROWS_AS(run_ensembles(options_for({scenario_file, scenario_file}, dir.path() / "y", 1)), UsageError);
}

TEST_CASE("until-ci adds replications until the interval is narrow enough, deterministically", "[ensemble][until]") {
  TempDir dir;
  auto options = options_for({scenario_file}, dir.path() / "until", 2, 4);
  options.until_ci = parse_until_ci("alpha:removals=1.5");
  options.max_replications = 200;
  const auto outcome = run_ensembles(options);
  REQUIRE(outcome.stopping);
  CHECK(outcome.stopping->target_reached);
  CHECK(outcome.stopping->achieved_half_width <= 1.5);
  CHECK(outcome.replications > 4);
  CHECK(outcome.replications < 200);
  const auto meta = nlohmann::json::parse(read_text(dir.path() / "until" / "metadata.json"));
  CHECK(meta["until_ci"]["stopped_by"] == "target");
  CHECK(meta["replications"] == outcome.replications);

  // The same final count run in one go gives the same files.
  run_ensembles(options_for({scenario_file}, dir.path() / "plain", 1, std::int64_t(outcome.replications)));
  for (const char* name : {"replications.csv", "summary.csv", "timeseries.csv"})
    CHECK(read_text(dir.path() / "until" / name) == read_text(dir.path() / "plain" / name));

  // The cap stops it.
  auto capped = options_for({scenario_file}, dir.path() / "capped", 2, 3);
  capped.until_ci = parse_until_ci("removals=0.001");
  capped.max_replications = 10;
  const auto stopped = run_ensembles(capped);
  REQUIRE(stopped.stopping);
  CHECK_FALSE(stopped.stopping->target_reached);
  CHECK(stopped.replications == 10);

  // Compare: the target applies to the paired difference.
  auto paired = options_for({scenario_file, write_alternative(dir)}, dir.path() / "paired", 2, 4);
  paired.until_ci = parse_until_ci("removals=1.5");
  paired.max_replications = 300;
  const auto compared = run_ensembles(paired);
  REQUIRE(compared.stopping);
  CHECK(compared.stopping->paired);
  CHECK(compared.stopping->target_reached);
}

TEST_CASE("parse_until_ci accepts METRIC=W and PARTNER:METRIC=W only", "[ensemble][until]") {
  const auto a = parse_until_ci("removals=2.5");
  CHECK(a.partner == "all");
  CHECK(a.metric == "removals");
  CHECK(a.half_width == 2.5);
  const auto b = parse_until_ci("beta:detention_cost_usd=1e5");
  CHECK(b.partner == "beta");
  CHECK(b.metric == "detention_cost_usd");
  CHECK(b.half_width == 1e5);
  for (const char* bad : {"removals", "removals=", "=3", "removals=abc", "removals=0", "removals=-1", ":removals=1",
                          "removals=3x", "removals=inf"})
    CHECK_THROWS_AS(parse_until_ci(bad), UsageError);
  TempDir dir;
  auto options = options_for({scenario_file}, dir.path(), 1, 2);
  options.until_ci = parse_until_ci("removal=3");
  CHECK_THROWS_WITH(run_ensembles(options), Catch::Contains("unknown run total \"removal\""));
  options.until_ci = parse_until_ci("laos:removals=3");
  CHECK_THROWS_WITH(run_ensembles(options), Catch::Contains("unknown partner \"laos\""));
}

TEST_CASE("a failed write leaves no partial file under a final name", "[ensemble][atomic]") {
  TempDir dir;
  const auto good = dir.path() / "good";
  run_ensembles(options_for({scenario_file}, good, 2, 3));
  const auto bad = dir.path() / "bad";
  run_ensembles(options_for({scenario_file}, bad, 2, 3));
  // summary.csv cannot replace a non-empty folder: the run fails there.
  fs::remove(bad / "summary.csv");
  fs::create_directories(bad / "summary.csv" / "keep");
  try {
    run_ensembles(options_for({scenario_file}, bad, 2, 3));
    FAIL("no exception");
  } catch (const IoError& e) {
    CHECK(std::string(e.what()).find((bad / "summary.csv").string()) != std::string::npos);
  }
  for (const auto& entry : fs::directory_iterator(bad)) {
    const std::string name = entry.path().filename().string();
    INFO(name);
    if (name == ".readmit" || name == ".readmit-manifest") continue;  // the folder's marker and lock, its manifest
    CHECK(name.front() != '.');                                       // no temporary file is left
    if (name == "summary.csv") continue;
    // Whatever exists under a final name is complete.
    CHECK(read_text(entry.path()) == read_text(good / name));
  }
  CHECK_FALSE(fs::exists(bad / "metadata.json"));  // written last: the folder is visibly incomplete
}

TEST_CASE("event rows spilled to disk come back whole and in replication order", "[ensemble][events]") {
  // Past 1 MB, event rows wait in a temporary file: a long run's events.csv
  // must begin with a short run's (same seed) and hold every replication once.
  TempDir dir;
  const auto short_out = dir.path() / "short", long_out = dir.path() / "long";
  run_ensembles(options_for({scenario_file}, short_out, 2, 20));
  run_ensembles(options_for({scenario_file}, long_out, 2, 320));
  const std::string short_events = read_text(short_out / "events.csv");
  const std::string long_events = read_text(long_out / "events.csv");
  REQUIRE(long_events.size() > (std::size_t(3) << 20));  // spilled more than once
  CHECK(long_events.compare(0, short_events.size(), short_events) == 0);
  const auto rows = read_csv(long_out / "events.csv");
  int last = 0;
  bool in_order = true;
  std::set<int> seen;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const int replication = std::stoi(rows[i][1]);
    in_order = in_order && replication >= last;
    last = replication;
    seen.insert(replication);
  }
  CHECK(in_order);
  CHECK(seen.size() == 320);
  CHECK(fs::file_size(long_out / "events.csv") == long_events.size());
}
