// The command line of issue #12: unknown options named with a suggestion,
// --seed checked and recorded, show --origin, warnings and --strict, output
// folders (no stale files, foreign folders refused, temporaries cleaned) and
// the data dictionary.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli_runner.hpp"
#include "scenario/scenario_test_support.hpp"

namespace fs = std::filesystem;
using readmit::test::contains;
using readmit::test::read_text;
using readmit::test::run_readmit;
using readmit::test::TempDir;

namespace {

const std::string minimal = readmit::test::valid_file("minimal.yaml").string();

/// The values of one column of a CSV file without quoted commas.
std::set<std::string> column(const fs::path& file, std::size_t index) {
  std::set<std::string> values;
  std::istringstream in(read_text(file));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < index; ++i) start = line.find(',', start) + 1;
    values.insert(line.substr(start, line.find(',', start) - start));
  }
  return values;
}

}  // namespace

TEST_CASE("a mistyped option is named, with the closest one", "[cli][options]") {
  TempDir work;
  const auto threads = run_readmit({"run", minimal, "--threds", "1"}, work.path());
  CHECK(threads.code == 2);
  CHECK(threads.err == "readmit run: unknown option '--threds'; did you mean '--threads'?\n");
  const auto replications = run_readmit({"run", minimal, "--replication", "2"}, work.path());
  CHECK(replications.code == 2);
  CHECK(replications.err == "readmit run: unknown option '--replication'; did you mean '--replications'?\n");
  const auto before = run_readmit({"compare", "--sed=3", minimal, minimal}, work.path());
  CHECK(before.err == "readmit compare: unknown option '--sed'; did you mean '--seed'?\n");
  const auto far = run_readmit({"validate", minimal, "--frobnicate"}, work.path());
  CHECK(far.err == "readmit validate: unknown option '--frobnicate' (readmit validate --help)\n");
  CHECK_FALSE(fs::exists(work.path() / "results"));
}

TEST_CASE("the seed option is checked like the seed key and recorded in scenario.resolved.yaml",
          "[cli][options][seed]") {
  TempDir work;
  const auto negative = run_readmit({"run", minimal, "--seed", "-1"}, work.path());
  CHECK(negative.code == 2);
  CHECK(negative.err ==
        "command line (--seed -1): error: seed: expected a whole number in [0, 9007199254740991], found \"-1\"\n");
  const auto text = run_readmit({"run", minimal, "--seed", "many"}, work.path());
  CHECK(text.err ==
        "command line (--seed many): error: seed: expected a whole number in [0, 9007199254740991], found \"many\"\n");

  const auto out = work.path() / "seeded";
  const auto r = run_readmit({"run", minimal, "-r", "1", "-t", "1", "--seed", "99", "--out", out.string()});
  REQUIRE(r.code == 0);
  const auto resolved = read_text(out / "scenario.resolved.yaml");
  CHECK(contains(resolved, "\nseed: 99\n"));
  CHECK(contains(resolved, "\n# --seed 99\n"));
  CHECK(nlohmann::json::parse(read_text(out / "metadata.json"))["seed"] == 99);

  // compare: the alternative runs with the baseline's seed, and says so.
  const auto alt = work.write("alt.yaml", "extends: " + minimal + "\nname: alt\nseed: 5\n");
  const auto compared = work.path() / "compared";
  REQUIRE(run_readmit({"compare", minimal, alt.string(), "-r", "1", "-t", "1", "--out", compared.string()}).code == 0);
  const auto both = read_text(compared / "scenario.resolved.yaml");
  const auto second = both.substr(both.find("---\n"));
  CHECK(contains(second, "\nseed: 20170913\n"));
  CHECK(contains(second, "\n# the baseline's seed (compare: common random numbers) 20170913\n"));
}

TEST_CASE("readmit show --origin says where every value came from", "[cli][options][origin]") {
  TempDir work;
  work.write("overlay.yaml", "amendment_rules:\n  family_unity:\n    in_force_from: 2020-06-01\n");
  const auto file =
      work.write("derived.yaml", "extends: " + minimal +
                                     "\namendments: [overlay.yaml]\nname: derived\namendment_rules:\n"
                                     "  family_unity:\n    child_under_age_years: 12\ntimeline:\n"
                                     "  - {date: 2020-03-01, set: {partners.alpha.agreement.document_officers: 0}}\n");
  const auto r = run_readmit({"show", file.string(), "--origin", "--set", "horizon_months=30"});
  CHECK(r.code == 0);
  const std::string f = file.string(), overlay = (work.path() / "overlay.yaml").string();
  CHECK(contains(r.out, "\nname: derived  # " + f + ":3:7\n"));
  CHECK(contains(r.out, "\nhorizon_months: 30  # --set horizon_months=30\n"));
  CHECK(contains(r.out, "\nstart_date: 2020-01-01  # " + minimal + ":4:13\n"));
  CHECK(contains(r.out, "\nseed: 20170913  # default\n"));
  CHECK(contains(r.out, "\namendment_rules.family_unity.in_force_from: 2020-06-01  # " + overlay + ":3:20\n"));
  CHECK(contains(r.out, "\namendment_rules.family_unity.child_under_age_years: 12  # " + f + ":6:28\n"));
  // A default says whether the parameter table assumes or sources it.
  CHECK(contains(r.out,
                 "\npartners.alpha.agreement.document_officers: 5  # default (assumed); timeline: 0 from "
                 "2020-03-01 (" +
                     f + ":8:74)\n"));
  CHECK(contains(r.out, "\ntimeline[0].set.partners.alpha.agreement.document_officers: 0  # " + f + ":8:74\n"));
}

TEST_CASE("validate and run print warnings; --strict makes them errors", "[cli][options][warnings]") {
  TempDir work;
  const auto file =
      work.write("late.yaml", "extends: " + minimal + "\nname: late\ntimeline:\n  - {date: 2030-01-01, note: never}\n");
  const std::string warning = file.string() +
                              ":4:12: warning: timeline[0].date: has no effect: 2030-01-01 is after the horizon (the "
                              "run ends before 2022-01-01)\n";
  const auto validated = run_readmit({"validate", file.string()});
  CHECK(validated.code == 0);
  CHECK(validated.out == file.string() + ": ok (1 warning)\n");
  CHECK(validated.err == warning);
  const auto strict = run_readmit({"validate", "--strict", file.string()});
  CHECK(strict.code == 2);
  CHECK(strict.err == file.string() +
                          ":4:12: error: timeline[0].date: has no effect: 2030-01-01 is after the horizon (the run "
                          "ends before 2022-01-01) (an error under --strict)\n" +
                          file.string() + ": 1 error\n");
  const auto ran = run_readmit({"run", file.string(), "-r", "1", "--out", (work.path() / "o").string()});
  CHECK(ran.code == 0);
  CHECK(ran.err == warning);
  const auto refused = run_readmit({"run", file.string(), "--strict", "--out", (work.path() / "s").string()});
  CHECK(refused.code == 2);
  CHECK_FALSE(fs::exists(work.path() / "s"));
}

TEST_CASE("an output folder holds one run's files only", "[cli][options][folders]") {
  TempDir work;
  const auto out = work.path() / "out";
  const auto alt = work.write("alt.yaml", "extends: " + minimal + "\nname: alt\n");
  REQUIRE(run_readmit({"compare", minimal, alt.string(), "-r", "1", "--out", out.string()}).code == 0);
  REQUIRE(fs::exists(out / "comparison.csv"));
  SECTION("a run after a comparison leaves no comparison.csv") {
    // and the temporaries of an interrupted run are cleaned.
    work.write("out/.summary.csv.12345.0.tmp", "partial");
    work.write("out/.readmit-spill.Ab12Cd", "partial");
    REQUIRE(run_readmit({"run", minimal, "-r", "1", "--out", out.string()}).code == 0);
    CHECK_FALSE(fs::exists(out / "comparison.csv"));
    CHECK_FALSE(fs::exists(out / ".summary.csv.12345.0.tmp"));
    CHECK_FALSE(fs::exists(out / ".readmit-spill.Ab12Cd"));
    CHECK(column(out / "summary.csv", 0) == std::set<std::string>{"minimal"});
  }
  SECTION("a folder readmit did not create is refused unless --force, and its files are kept") {
    const auto mine = work.path() / "mine";
    fs::create_directory(mine);
    work.write("mine/thesis.tex", "my thesis");
    const auto refused = run_readmit({"run", minimal, "-r", "1", "--out", mine.string()});
    CHECK(refused.code == 2);
    CHECK(refused.err == "readmit: error: output folder '" + mine.string() +
                             "' was not created by readmit (it holds thesis.tex); choose another --out, or add --force "
                             "to write readmit's files into it\n");
    CHECK_FALSE(fs::exists(mine / "summary.csv"));
    REQUIRE(run_readmit({"run", minimal, "-r", "1", "--out", mine.string(), "--force"}).code == 0);
    CHECK(read_text(mine / "thesis.tex") == "my thesis");
    CHECK(fs::exists(mine / "metadata.json"));
    // Adopted: later runs need no --force.
    CHECK(run_readmit({"run", minimal, "-r", "1", "--out", mine.string()}).code == 0);
  }
  SECTION("a command line that is not UTF-8 is recorded, not fatal") {
    const auto odd = work.path() / "caf\xe9";
    const auto r = run_readmit({"run", minimal, "-r", "1", "--out", odd.string()});
    CHECK(r.code == 0);
    const auto meta = nlohmann::json::parse(read_text(odd / "metadata.json"));
    CHECK(contains(meta["command_line"].get<std::string>(), "caf\xef\xbf\xbd"));  // U+FFFD
  }
}

TEST_CASE("readmit metrics and metrics.csv describe every metric of the files", "[cli][options][metrics]") {
  TempDir work;
  const auto out = work.path() / "out";
  REQUIRE(run_readmit({"run", minimal, "-r", "2", "-t", "1", "--out", out.string()}).code == 0);
  const auto described = column(out / "metrics.csv", 0);
  for (const auto& name : column(out / "summary.csv", 2)) CHECK(described.count(name) == 1);
  for (const auto& name : column(out / "timeseries.csv", 3)) CHECK(described.count(name) == 1);
  CHECK(read_text(out / "metrics.csv")
            .starts_with("metric,table,kind,unit,label,meaning,drivers,windowed,headline\nremovals,run_total,total,"
                         "persons,removals,\"persons removed, over the run\",,true,1\n"));

  const auto text = run_readmit({"metrics"});
  CHECK(text.code == 0);
  CHECK(text.out.starts_with("Run totals (replications.csv, summary.csv, comparison.csv, the terminal):\n"));
  CHECK(contains(text.out, "\n  children_affected "));
  CHECK(contains(text.out, "\n  METRIC_WINDOW "));
  CHECK(contains(text.out, "\n  visa_refusals.CATEGORY "));
  CHECK(contains(text.out, "\nRun totals an outcome window can sum (outcome_windows.*.metrics):\n  removals, "));
  const auto csv = run_readmit({"metrics", minimal, "--format", "csv"});
  CHECK(csv.out == read_text(out / "metrics.csv"));
}
