// The readmit executable's exit codes and messages: 0 success, 1 runtime
// failure, 2 invalid input. Runs the real binary (READMIT_EXECUTABLE).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <fstream>

#include "../scenario/scenario_test_support.hpp"

namespace {

using readmit::test::TempDir;

struct Result {
  int code = -1;  // exit code, or 128 + signal number
  std::string out;
  std::string err;
};

std::string quoted(const std::string& text) {
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// Runs `readmit ARGS...` in `cwd`, capturing stdout and stderr.
Result run(const std::vector<std::string>& args, const std::filesystem::path& cwd = {}) {
  TempDir capture;
  const auto out = capture.path() / "stdout";
  const auto err = capture.path() / "stderr";
  std::string command;
  if (!cwd.empty()) command += "cd " + quoted(cwd.string()) + " && ";
  command += quoted(READMIT_EXECUTABLE);
  for (const auto& a : args) command += " " + quoted(a);
  command += " >" + quoted(out.string()) + " 2>" + quoted(err.string()) + " </dev/null";
  const int status = std::system(command.c_str());
  Result result;
  if (status == -1) return result;
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
  result.out = readmit::test::read_text(out);
  result.err = readmit::test::read_text(err);
  return result;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

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
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') digits_only = false;
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
    CHECK(r.err == "no_such_scenario.yaml: error: file not found: no_such_scenario.yaml\nno_such_scenario.yaml: 1 error\n");
    check_no_crash(r);
  }
  SECTION("--set applies to validation") {
    const auto file = valid("minimal.yaml");
    const auto r = run({"validate", file, "--set", "removing_state.release_prob=7"});
    CHECK(r.code == 2);
    CHECK(starts_with(r.err, "command line (--set removing_state.release_prob=7): error: removing_state.release_prob: "
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
}

TEST_CASE("readmit run", "[cli]") {
  TempDir work;
  SECTION("a valid scenario does not fail as invalid input, nor crash") {
    // The engine is arriving: the outcome may be 0 or 1, never 2 nor a crash.
    const auto r = run({"run", valid("minimal.yaml"), "--replications", "1", "--threads", "1", "--out",
                        (work.path() / "out").string()},
                       work.path());
    CHECK(r.code != 2);
    check_no_crash(r);
  }
  SECTION("a malformed scenario: 2") {
    const auto file = malformed("negative_count.yaml");
    const auto r = run({"run", file, "--out", (work.path() / "out").string()}, work.path());
    CHECK(r.code == 2);
    CHECK(starts_with(r.err, expected_errors(file).at(0) + "\n"));
    check_no_crash(r);
  }
}
