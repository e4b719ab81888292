// The readmit executable's exit codes and messages: 0 success, 1 runtime
// failure, 2 invalid input. Runs the real binary (READMIT_EXECUTABLE).
#include <catch2/catch.hpp>

#include <fstream>

#include "cli_runner.hpp"
#include "scenario/scenario_test_support.hpp"

namespace {

using readmit::test::contains;
using readmit::test::TempDir;

using Result = readmit::test::CliResult;

Result run(const std::vector<std::string>& args, const std::filesystem::path& cwd = {}) {
  return readmit::test::run_readmit(args, cwd);
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

void check_no_crash(const Result& r) {
  INFO("stderr: " << r.err);
  CHECK(r.code >= 0);
  CHECK(r.code < 128);  // not killed by a signal
  CHECK_FALSE(contains(r.err, "terminate called"));
  CHECK_FALSE(contains(r.err, "Segmentation"));
  CHECK_FALSE(contains(r.err, "Aborted"));
}

std::string valid(const std::string& name) { return readmit::test::valid_file(name).string(); }
std::string malformed(const std::string& name) { return (readmit::test::data_dir() / "malformed" / name).string(); }

/// The "# expect:" lines of a malformed file, with its path prepended.
std::vector<std::string> expected_errors(const std::string& file) {
  std::vector<std::string> lines;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (starts_with(line, "# expect: ")) lines.push_back(file + ":" + line.substr(10));
  return lines;
}

}  // namespace

TEST_CASE("readmit --version prints the version and exits 0", "[cli]") {
  const auto r = run({"--version"});
  CHECK(r.code == 0);
  // "readmit MAJOR.MINOR.PATCH ..."
  REQUIRE(starts_with(r.out, "readmit "));
  const std::string version = r.out.substr(8, r.out.find_first_of(" \n", 8) - 8);
  int dots = 0;
  bool digits_only = !version.empty();
  for (char c : version) {
    if (c == '.')
      ++dots;
    else if (c < '0' || c > '9')
      digits_only = false;
  }
  CHECK(dots == 2);
  CHECK(digits_only);
  CHECK(version.front() != '.');
  CHECK(version.back() != '.');
  CHECK(r.err.empty());
}

TEST_CASE("readmit validate", "[cli]") {
  SECTION("a valid file: 0, FILE: ok") {
    const auto file = valid("minimal.yaml");
    const auto r = run({"validate", file});
    CHECK(r.code == 0);
    CHECK(r.out == file + ": ok\n");
    CHECK(r.err.empty());
  }
  SECTION("a malformed file: 2, the error line and a count on stderr") {
    const auto file = malformed("probability_above_one.yaml");
    const auto expected = expected_errors(file);
    REQUIRE(expected.size() == 1);
    const auto r = run({"validate", file});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == expected[0] + "\n" + file + ": 1 error\n");
    check_no_crash(r);
  }
  SECTION("several errors are all listed") {
    const auto file = malformed("several_defects.yaml");
    const auto expected = expected_errors(file);
    REQUIRE(expected.size() == 4);
    const auto r = run({"validate", file});
    CHECK(r.code == 2);
    std::string text;
    for (const auto& line : expected) text += line + "\n";
    CHECK(r.err == text + file + ": 4 errors\n");
  }
  SECTION("valid and malformed files together: 2, each reported") {
    const auto good = valid("minimal.yaml");
    const auto bad = malformed("boolean_maybe.yaml");
    const auto r = run({"validate", good, bad});
    CHECK(r.code == 2);
    CHECK(r.out == good + ": ok\n");
    CHECK(starts_with(r.err, expected_errors(bad).at(0) + "\n"));
  }
  SECTION("a missing file: 2, no crash") {
    const auto r = run({"validate", "no_such_scenario.yaml"});
    CHECK(r.code == 2);
    CHECK(r.err ==
          "no_such_scenario.yaml: error: file not found: no_such_scenario.yaml\nno_such_scenario.yaml: 1 error\n");
    check_no_crash(r);
  }
  SECTION("--set applies to validation") {
    const auto file = valid("minimal.yaml");
    const auto r = run({"validate", file, "--set", "removing_state.release_prob=7"});
    CHECK(r.code == 2);
    CHECK(starts_with(r.err,
                      "command line (--set removing_state.release_prob=7): error: removing_state.release_prob: "
                      "expected a probability in [0, 1], found \"7\"\n"));
  }
}

TEST_CASE("readmit show", "[cli]") {
  SECTION("prints the resolved scenario with its defaults") {
    const auto file = valid("minimal.yaml");
    const auto r = run({"show", file});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    CHECK(starts_with(r.out, "# readmit resolved scenario"));
    CHECK(contains(r.out, "# source: " + file + "\n"));
    CHECK(contains(r.out, "\nname: minimal\n"));
    CHECK(contains(r.out, "\nremoving_state:\n  name: United States\n  detention_beds: 1000000\n"));
    CHECK(contains(r.out, "\n      docket_at_start: 100\n"));
    CHECK(contains(r.out, "\n  ladder: us_243d\n"));
    CHECK(contains(r.out, "\ntimeline: []\n"));
  }
  SECTION("applies --set") {
    const auto r = run({"show", valid("minimal.yaml"), "--set", "horizon_months=12", "--set", "seed=3"});
    CHECK(r.code == 0);
    CHECK(contains(r.out, "# --set horizon_months=12\n# --set seed=3\n"));
    CHECK(contains(r.out, "\nhorizon_months: 12\nseed: 3\n"));
  }
  SECTION("a bad --set: 2, the message names the command line") {
    const auto r = run({"show", valid("minimal.yaml"), "--set", "x.y=z"});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(starts_with(r.err, "command line (--set x.y=z): error: x: unknown key \"x\""));
    check_no_crash(r);
    const auto value = run({"show", valid("minimal.yaml"), "--set", "horizon_months=many"});
    CHECK(value.code == 2);
    CHECK(value.err ==
          "command line (--set horizon_months=many): error: horizon_months: expected a whole number in [1, 1200], "
          "found \"many\"\n");
  }
  SECTION("a malformed file: 2") {
    const auto file = malformed("yaml_tab_indentation.yaml");
    const auto r = run({"show", file});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == expected_errors(file).at(0) + "\n");
  }
  SECTION("a missing file: 2, no crash") {
    const auto r = run({"show", "no_such_scenario.yaml"});
    CHECK(r.code == 2);
    CHECK(r.err == "no_such_scenario.yaml: error: file not found: no_such_scenario.yaml\n");
    check_no_crash(r);
  }
}

TEST_CASE("readmit schema", "[cli]") {
  const auto text = run({"schema"});
  CHECK(text.code == 0);
  CHECK(starts_with(text.out, "name\n  type:    text\n"));
  const auto markdown = run({"schema", "--format", "markdown"});
  CHECK(markdown.code == 0);
  CHECK(starts_with(markdown.out, "# Scenario parameters\n"));
  CHECK(markdown.err.empty());
  const auto bad = run({"schema", "--format", "pdf"});
  CHECK(bad.code == 2);
  CHECK(bad.out.empty());
  check_no_crash(bad);
}

TEST_CASE("bad command lines exit 2", "[cli]") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {}, {"frobnicate"}, {"validate"}, {"show"}, {"--no-such-flag"}, {"run", "no_such_scenario.yaml"}}) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    INFO("readmit " << joined);
    const auto r = run(args);
    CHECK(r.code == 2);
    check_no_crash(r);
  }
  CHECK(run({"--help"}).code == 0);
  const auto unknown = run({"frobnicate"});
  CHECK(starts_with(
      unknown.err,
      "readmit: unknown command 'frobnicate'; commands: run compare sweep experiment validate show metrics schema"));
}

TEST_CASE("readmit run", "[cli]") {
  TempDir work;
  SECTION("a valid scenario: 0, the output files and the summary table") {
    const auto out = work.path() / "out";
    const auto r = run({"run", valid("minimal.yaml"), "--replications", "3", "--threads", "1", "--out", out.string()},
                       work.path());
    CHECK(r.code == 0);
    check_no_crash(r);
    CHECK(r.err.empty());  // no progress when stderr is not a terminal
    CHECK(starts_with(r.out, "minimal: 3 replications, seed "));
    CHECK(contains(r.out, "\nremovals (persons) "));  // terminal labels are the metric names of the files
    CHECK(contains(r.out, "\nvisa_refusals (applications) "));
    CHECK(contains(r.out, "results: " + out.string()));
    for (const char* name :
         {"scenario.resolved.yaml", "metadata.json", "replications.csv", "timeseries.csv", "summary.csv"})
      CHECK(std::filesystem::exists(out / name));
    CHECK_FALSE(std::filesystem::exists(out / "comparison.csv"));
    CHECK_FALSE(std::filesystem::exists(out / "monthly.csv"));
  }
  SECTION("--monthly adds monthly.csv") {
    const auto out = work.path() / "monthly";
    const auto r = run({"run", valid("minimal.yaml"), "-r", "2", "-t", "1", "--monthly", "--out", out.string()});
    CHECK(r.code == 0);
    CHECK(starts_with(readmit::test::read_text(out / "monthly.csv"),
                      "scenario,replication,month,partner,metric,value\n"));
  }
  SECTION("a malformed scenario: 2") {
    const auto file = malformed("negative_count.yaml");
    const auto r = run({"run", file, "--out", (work.path() / "out").string()}, work.path());
    CHECK(r.code == 2);
    CHECK(starts_with(r.err, expected_errors(file).at(0) + "\n"));
    check_no_crash(r);
  }
  SECTION("a bad --until-ci: 2, with the accepted form") {
    const auto r = run({"run", valid("minimal.yaml"), "--until-ci", "removals", "--out", (work.path() / "o").string()});
    CHECK(r.code == 2);
    CHECK(r.err ==
          "readmit: error: --until-ci \"removals\": expected METRIC=HALF_WIDTH or "
          "PARTNER:METRIC=HALF_WIDTH, e.g. removals=5\n");
    check_no_crash(r);
  }
  SECTION("an unknown --until-ci run total: 2, naming it") {
    const auto r =
        run({"run", valid("minimal.yaml"), "--until-ci", "removes=2", "--out", (work.path() / "o").string()});
    CHECK(r.code == 2);
    CHECK(
        starts_with(r.err, "readmit: error: --until-ci: unknown run total \"removes\" in minimal; known: removals, "));
  }
  SECTION("--until-ci reports what stopped it") {
    const auto r = run({"run", valid("minimal.yaml"), "-r", "2", "-t", "2", "--until-ci", "bed_days=0.0001",
                        "--max-replications", "6", "--out", (work.path() / "o").string()});
    CHECK(r.code == 0);
    CHECK(contains(r.out, "after 6 replications (stopped by --max-replications)"));
  }
  SECTION("an output folder that cannot be created: 1, naming it") {
    const auto blocker = work.write("file", "x");
    const auto out = blocker / "out";
    const auto r = run({"run", valid("minimal.yaml"), "-r", "1", "--out", out.string()});
    CHECK(r.code == 1);
    CHECK(starts_with(r.err, "readmit: error: cannot create output folder '" + out.string() + "': "));
    check_no_crash(r);
  }
}

TEST_CASE("readmit compare", "[cli]") {
  TempDir work;
  const auto base = valid("minimal.yaml");
  SECTION("baseline and alternative: 0, paired differences and comparison.csv") {
    const auto alt =
        work.write("alt.yaml", "extends: " + base + "\nname: minimal_alt\nremoving_state:\n  release_prob: 0.5\n");
    const auto out = work.path() / "out";
    const auto r = run({"compare", base, alt.string(), "-r", "3", "-t", "2", "--out", out.string()});
    CHECK(r.code == 0);
    check_no_crash(r);
    CHECK(starts_with(r.out, "minimal_alt vs minimal: 3 paired replications (common random numbers)"));
    CHECK(contains(r.out, "difference\n"));
    CHECK(starts_with(readmit::test::read_text(out / "comparison.csv"),
                      "baseline,alternative,partner,metric,n,baseline_mean,"));
  }
  SECTION("scenarios with different partners: 2, naming them") {
    const auto alt = work.write("alt.yaml", "extends: " + base +
                                                "\nname: other\npartners:\n  beta:\n    population:\n"
                                                "      docket_at_start: 5\n");
    const auto r = run({"compare", base, alt.string(), "--out", (work.path() / "o").string()});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "has partners [alpha, beta] but the baseline " + base + " has [alpha]"));
    check_no_crash(r);
  }
  SECTION("two scenarios with one name: 2") {
    const auto r = run({"compare", base, base, "--out", (work.path() / "o").string()});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "are both named \"minimal\""));
  }
  SECTION("a single scenario: 2") { CHECK(run({"compare", base}).code == 2); }
}
