// --outputs, --output-metrics, --output-partners and --compress.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "readmit/app/ensemble_run.hpp"
#include "scenario/scenario_test_support.hpp"

using namespace readmit;
using readmit::test::read_text;
using readmit::test::TempDir;
namespace fs = std::filesystem;

namespace {

const fs::path scenario_file = READMIT_TEST_DATA_DIR "/ensemble/two_partners.yaml";

EnsembleRunOptions options(const fs::path& out, OutputSelection outputs) {
  EnsembleRunOptions o;
  o.scenarios = {scenario_file};
  o.replications = 3;
  o.threads = 2;
  o.out_dir = out;
  o.command_line = "test";
  o.outputs = std::move(outputs);
  return o;
}

std::vector<std::string> listed_files(const fs::path& dir) {
  const auto meta = nlohmann::json::parse(read_text(dir / "metadata.json"));
  return meta["files"].get<std::vector<std::string>>();
}

}  // namespace

TEST_CASE("--outputs writes the chosen files only, and metadata.json lists what was written", "[io][output]") {
  TempDir dir;
  run_ensembles(options(dir.path() / "some", {.files = {"summary", "events"}}));
  CHECK(listed_files(dir.path() / "some") == std::vector<std::string>{"scenario.resolved.yaml", "summary.csv",
                                                                      "events.csv", "metrics.csv", "metadata.json"});
  CHECK_FALSE(fs::exists(dir.path() / "some" / "timeseries.csv"));
  run_ensembles(options(dir.path() / "default", {}));
  CHECK(listed_files(dir.path() / "default") == std::vector<std::string>{"scenario.resolved.yaml", "replications.csv",
                                                                         "timeseries.csv", "summary.csv", "events.csv",
                                                                         "metrics.csv", "metadata.json"});
}

TEST_CASE("metrics and partners narrow timeseries.csv; the rows kept are unchanged", "[io][output]") {
  TempDir dir;
  run_ensembles(options(dir.path() / "all", {}));
  run_ensembles(options(dir.path() / "narrow", {.metrics = {"removals", "cooperation"}, .partners = {"beta", "all"}}));
  const auto all = read_text(dir.path() / "all" / "timeseries.csv");
  const auto narrow = read_text(dir.path() / "narrow" / "timeseries.csv");
  std::string expected;
  std::size_t start = 0;
  while (start < all.size()) {
    const auto end = all.find('\n', start) + 1;
    const std::string row = all.substr(start, end - start);
    if (start == 0 || ((row.find(",beta,") != std::string::npos || row.find(",all,") != std::string::npos) &&
                       (row.find(",removals,") != std::string::npos || row.find(",cooperation,") != std::string::npos)))
      expected += row;
    start = end;
  }
  CHECK(narrow == expected);
  CHECK(narrow.find(",cooperation,") != std::string::npos);
  CHECK(read_text(dir.path() / "all" / "summary.csv") == read_text(dir.path() / "narrow" / "summary.csv"));
}

TEST_CASE("--compress writes every CSV file as .csv.gz", "[io][output]") {
  TempDir dir;
  run_ensembles(options(dir.path() / "gz", {.gzip = true}));
  for (const char* name : {"replications.csv.gz", "timeseries.csv.gz", "summary.csv.gz", "events.csv.gz"})
    CHECK(fs::exists(dir.path() / "gz" / name));
  CHECK_FALSE(fs::exists(dir.path() / "gz" / "summary.csv"));
  CHECK(fs::exists(dir.path() / "gz" / "scenario.resolved.yaml"));
}

TEST_CASE("an unknown file, metric or partner is named with the closest known one", "[io][output]") {
  TempDir dir;
  auto message = [&](OutputSelection selection) {
    try {
      run_ensembles(options(dir.path() / "x", std::move(selection)));
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message({.files = {"sumary"}}) == "unknown output file \"sumary\"; did you mean \"summary\"?");
  CHECK(message({.metrics = {"removal"}}) == "unknown monthly metric \"removal\"; did you mean \"removals\"?");
  CHECK(message({.partners = {"gamma"}}) == "unknown partner \"gamma\"; expected one of: alpha, beta, all");
}
