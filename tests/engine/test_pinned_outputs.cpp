// Pinned outputs: a short run of every library scenario (and of the Cambodia
// case with every amendment) must write exactly these bytes. A change that
// moves a hash changes the model's results: it must be a deliberate model
// change or a named bug fix, with the new hashes in the same commit.
// To print the current hashes: READMIT_PRINT_PINS=1 readmit_tests "[pinned]".
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "../scenario/scenario_test_support.hpp"
#include "readmit/app/ensemble_run.hpp"
#include "readmit/io/run_output.hpp"

using namespace readmit;
using readmit::test::read_text;
using readmit::test::TempDir;
namespace fs = std::filesystem;

namespace {

struct Pin {
  const char* scenario;  // relative to the source tree
  const char* file;
  const char* hash;  // text_hash of the file
};

// 3 replications, the scenario's own seed and horizon.
constexpr Pin pins[] = {
#include "pinned/pins.inc"
};

const char* const pinned_files[] = {"replications.csv", "timeseries.csv", "summary.csv", "events.csv"};
const char* const pinned_scenarios[] = {"scenarios/cambodia_2017.yaml", "scenarios/cambodia_2017_humanitarian.yaml",
                                        "scenarios/eu_art25a_gambia.yaml", "scenarios/us_2017_uncooperative.yaml",
                                        "tests/engine/pinned/all_amendments.yaml"};

}  // namespace

TEST_CASE("library scenarios write their pinned outputs", "[engine][pinned]") {
  const bool print = std::getenv("READMIT_PRINT_PINS") != nullptr;
  for (const char* scenario : pinned_scenarios) {
    TempDir dir;
    EnsembleRunOptions options;
    options.scenarios = {fs::path(READMIT_SOURCE_DIR) / scenario};
    options.replications = 3;
    options.threads = 2;
    options.out_dir = dir.path();
    options.command_line = "test";
    run_ensembles(options);
    for (const char* file : pinned_files) {
      const std::string hash = text_hash(read_text(dir.path() / file));
      if (print) {
        std::cout << "    {\"" << scenario << "\", \"" << file << "\", \"" << hash << "\"},\n";
        continue;
      }
      const auto pin = std::find_if(std::begin(pins), std::end(pins), [&](const Pin& p) {
        return std::string_view(p.scenario) == scenario && std::string_view(p.file) == file;
      });
      INFO(scenario << " " << file);
      REQUIRE(pin != std::end(pins));
      CHECK(hash == pin->hash);
    }
  }
}
