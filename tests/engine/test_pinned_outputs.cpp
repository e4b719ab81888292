// Pinned outputs: a short run of every library scenario (and of the Cambodia
// case with every amendment) must write exactly these results. Each run's
// summary.csv is pinned as a readable file (pinned/NAME.summary.csv), so a
// failure names the run total, partner and statistic that moved and by how
// much; the other files (replications, monthly series, events) are pinned
// by hash (pinned/hashes.csv). A change that moves a pin changes the model's
// results: it must be a deliberate model change or a named bug fix, with the
// new pins in the same commit. To write the current ones:
//   READMIT_WRITE_PINS=1 build/release/tests/readmit_tests "[pinned]"
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "readmit/app/ensemble_run.hpp"
#include "readmit/io/csv.hpp"
#include "readmit/io/run_output.hpp"
#include "scenario/scenario_test_support.hpp"

using namespace readmit;
using readmit::test::read_text;
using readmit::test::TempDir;
namespace fs = std::filesystem;

namespace {

const fs::path pin_folder = fs::path(READMIT_SOURCE_DIR) / "tests" / "engine" / "pinned";
const char* const hashed_files[] = {"replications.csv", "timeseries.csv", "events.csv"};
// 3 replications, the scenario's own seed and horizon.
const char* const pinned_scenarios[] = {"scenarios/cambodia_2017.yaml", "scenarios/cambodia_2017_humanitarian.yaml",
                                        "scenarios/eu_art25a_gambia.yaml", "scenarios/us_2017_uncooperative.yaml",
                                        "tests/engine/pinned/all_amendments.yaml"};
/// The most differences one failure lists (a model change moves many).
constexpr std::size_t max_listed = 25;

/// A CSV text as rows of fields (the header first).
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line))
    if (auto fields = parse_csv_record(line)) rows.push_back(std::move(*fields));
  return rows;
}

/// A summary row's key: "scenario partner metric".
std::string row_key(const std::vector<std::string>& row) { return row.at(0) + " " + row.at(1) + " " + row.at(2); }

/// Every difference between the pinned summary and the new one, as
/// "cambodia_2017 cambodia removals mean: pinned 100.3, now 98.7".
std::vector<std::string> summary_differences(const std::string& pinned_text, const std::string& now_text) {
  const auto pinned = csv_rows(pinned_text), now = csv_rows(now_text);
  std::vector<std::string> out;
  if (pinned.empty() || now.empty() || pinned.front() != now.front()) return {"the columns differ"};
  const auto& header = now.front();
  std::map<std::string, const std::vector<std::string>*> by_key;
  for (std::size_t i = 1; i < now.size(); ++i) by_key[row_key(now[i])] = &now[i];
  for (std::size_t i = 1; i < pinned.size(); ++i) {
    const auto found = by_key.find(row_key(pinned[i]));
    if (found == by_key.end()) {
      out.push_back(row_key(pinned[i]) + ": pinned, now missing");
      continue;
    }
    for (std::size_t c = 3; c < header.size(); ++c)
      if (pinned[i].at(c) != found->second->at(c))
        out.push_back(row_key(pinned[i]) + " " + header[c] + ": pinned " + pinned[i].at(c) + ", now " +
                      found->second->at(c));
    by_key.erase(found);
  }
  for (const auto& [key, row] : by_key) out.push_back(key + ": new, not pinned");
  return out;
}

/// pinned/hashes.csv: (scenario, file) -> hash.
std::map<std::pair<std::string, std::string>, std::string> pinned_hashes() {
  std::map<std::pair<std::string, std::string>, std::string> hashes;
  const auto rows = csv_rows(read_text(pin_folder / "hashes.csv"));
  for (std::size_t i = 1; i < rows.size(); ++i) hashes[{rows[i].at(0), rows[i].at(1)}] = rows[i].at(2);
  return hashes;
}

std::string summary_pin_name(const std::string& scenario) {
  return fs::path(scenario).stem().string() + ".summary.csv";
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE(out.good());
}

}  // namespace

TEST_CASE("library scenarios write their pinned outputs", "[engine][pinned]") {
  const bool write = std::getenv("READMIT_WRITE_PINS") != nullptr;
  const auto hashes = write ? decltype(pinned_hashes()){} : pinned_hashes();
  std::string new_hashes = "scenario,file,hash\n";
  for (const char* scenario : pinned_scenarios) {
    TempDir dir;
    EnsembleRunOptions options;
    options.scenarios = {fs::path(READMIT_SOURCE_DIR) / scenario};
    options.replications = 3;
    options.threads = 2;
    options.out_dir = dir.path();
    options.command_line = "test";
    run_ensembles(options);
    const std::string summary = read_text(dir.path() / "summary.csv");
    if (write) {
      write_file(pin_folder / summary_pin_name(scenario), summary);
      for (const char* file : hashed_files)
        new_hashes += std::string(scenario) + "," + file + "," + text_hash(read_text(dir.path() / file)) + "\n";
      continue;
    }
    INFO(scenario);
    const auto moved = summary_differences(read_text(pin_folder / summary_pin_name(scenario)), summary);
    std::string listed;
    for (std::size_t i = 0; i < std::min(moved.size(), max_listed); ++i) listed += "\n  " + moved[i];
    if (moved.size() > max_listed) listed += "\n  ... " + std::to_string(moved.size() - max_listed) + " more";
    INFO("summary.csv moved:" << listed);
    CHECK(moved.empty());
    for (const char* file : hashed_files) {
      const auto pin = hashes.find({scenario, file});
      INFO(file << (moved.empty() ? " (the run totals are the pinned ones: a monthly series, a replication or an "
                                    "event moved)"
                                  : ""));
      REQUIRE(pin != hashes.end());
      CHECK(text_hash(read_text(dir.path() / file)) == pin->second);
    }
  }
  if (write) write_file(pin_folder / "hashes.csv", new_hashes);
}
