// The scenario library (scenarios/): every shipped scenario loads and runs
// with persons conserved, and every amendment overlay in scenarios/amendments/
// merges onto the Cambodia base and switches on its own amendment only.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "readmit/engine/replication.hpp"
#include "readmit/scenario/loader.hpp"
#include "scenario_test_support.hpp"

using namespace readmit;
namespace fs = std::filesystem;

namespace {

fs::path scenarios_dir() { return fs::path(READMIT_SOURCE_DIR) / "scenarios"; }

std::vector<fs::path> yaml_files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// The overlay file stem naming each amendment (docs/model.md §7.19).
const std::map<std::string, AmendmentKind>& amendment_names() {
  static const std::map<std::string, AmendmentKind> names{
      {"family_unity", AmendmentKind::family_unity},
      {"childhood_arrival", AmendmentKind::childhood_arrival},
      {"long_residence", AmendmentKind::long_residence},
      {"humanitarian_review", AmendmentKind::humanitarian_review},
      {"advance_notice", AmendmentKind::advance_notice},
      {"reintegration_support", AmendmentKind::reintegration_support},
      {"annual_cap", AmendmentKind::annual_cap}};
  return names;
}

// The fewest months from the start that keep every dated item of the
// scenario (timeline events, amendment start dates) inside the horizon,
// which validation requires; at least 6 and at most the full horizon.
std::int64_t short_horizon(const Scenario& s) {
  Date last = s.start_date;
  for (const auto& event : s.timeline) last = std::max(last, event.date);
  for (const auto& common : s.amendment_rules.common)
    if (common.in_force_from) last = std::max(last, *common.in_force_from);
  std::int64_t months = 6;
  while (months < s.horizon_months && s.start_date.plus_months(int(months)) <= last) ++months;
  return std::min(months, s.horizon_months);
}

constexpr Metric pending_states[] = {Metric::stock_prison, Metric::stock_detained, Metric::stock_awaiting_document,
                                     Metric::stock_scheduled, Metric::stock_supervised};
constexpr Metric terminal_states[] = {Metric::stock_removed, Metric::stock_relief, Metric::stock_exempted,
                                      Metric::stock_unremovable};
constexpr Metric outflows[] = {Metric::removals, Metric::relief, Metric::exemptions, Metric::category_refusals};

// Every month and partner: the stocks sum to the docket plus the arrivals so
// far, and the pending stock changes by arrivals minus outflows.
void require_conservation(const Scenario& s, const ReplicationResult& r) {
  REQUIRE(r.monthly.months() == std::size_t(s.horizon_months));
  REQUIRE(r.monthly.partners() == s.partners.size());
  for (std::size_t k = 0; k < r.monthly.partners(); ++k) {
    const double docket = double(s.partners[k].population.docket_at_start);
    double arrivals = 0;
    double previous_pending = docket;
    for (std::size_t t = 0; t < r.monthly.months(); ++t) {
      arrivals += r.monthly.at(t, k, Metric::arrivals);
      double pending = 0, terminal = 0, outflow = 0;
      for (Metric m : pending_states) pending += r.monthly.at(t, k, m);
      for (Metric m : terminal_states) terminal += r.monthly.at(t, k, m);
      for (Metric m : outflows) outflow += r.monthly.at(t, k, m);
      INFO("partner " << s.partners[k].name << ", month " << t);
      REQUIRE(pending + terminal == docket + arrivals);
      REQUIRE(pending - previous_pending == r.monthly.at(t, k, Metric::arrivals) - outflow);
      previous_pending = pending;
    }
  }
}

// The Cambodia base with one or more overlays merged on top, through a
// temporary scenario file that names them by absolute path.
LoadedScenario cambodia_with(const std::vector<fs::path>& overlays, const test::TempDir& dir) {
  std::string text = "extends: \"" + (scenarios_dir() / "cambodia_2017.yaml").string() + "\"\namendments:\n";
  for (const auto& overlay : overlays) text += "  - \"" + overlay.string() + "\"\n";
  return load_scenario(dir.write("combined.yaml", text));
}

}  // namespace

TEST_CASE("every shipped scenario loads, runs and conserves persons", "[scenario][library]") {
  const auto files = yaml_files_in(scenarios_dir());
  // The library of issue #6: the base, its amendment scenario, the
  // multi-country and the EU scenario (more may be added).
  std::set<std::string> names;
  for (const auto& file : files) names.insert(file.filename().string());
  for (const char* expected :
       {"cambodia_2017.yaml", "cambodia_2017_humanitarian.yaml", "us_2017_uncooperative.yaml", "eu_art25a_gambia.yaml"})
    CHECK(names.count(expected) == 1);

  for (const auto& file : files) {
    DYNAMIC_SECTION(file.filename().string()) {
      const auto full = load_scenario(file);
      const std::int64_t months = short_horizon(full.scenario);
      INFO("horizon shortened to " << months << " of " << full.scenario.horizon_months << " months");
      const auto loaded = load_scenario(file, {"horizon_months=" + std::to_string(months)});
      REQUIRE(loaded.scenario.horizon_months == months);
      REQUIRE(loaded.scenario.timeline.size() == full.scenario.timeline.size());
      REQUIRE(!loaded.scenario.partners.empty());
      const auto r = run_replication(loaded.scenario, 0);
      require_conservation(loaded.scenario, r);
    }
  }
}

TEST_CASE("the amendment scenario is the base plus Cambodia's two requested amendments", "[scenario][library]") {
  const auto base = load_scenario(scenarios_dir() / "cambodia_2017.yaml").scenario;
  const auto amended = load_scenario(scenarios_dir() / "cambodia_2017_humanitarian.yaml").scenario;
  CHECK(amended.name == "cambodia_2017_humanitarian");
  CHECK(amended.start_date == base.start_date);
  CHECK(amended.horizon_months == base.horizon_months);
  CHECK(amended.seed == base.seed);  // paired replications in `readmit compare`
  REQUIRE(amended.partners.size() == base.partners.size());
  CHECK(amended.timeline.size() == base.timeline.size());
  for (const auto& [name, kind] : amendment_names()) {
    INFO(name);
    const bool requested = kind == AmendmentKind::family_unity || kind == AmendmentKind::childhood_arrival;
    CHECK(amended.amendment_rules.common[std::size_t(kind)].in_force_from.has_value() == requested);
  }
}

TEST_CASE("every amendment overlay merges onto the Cambodia base and sets only its own start date",
          "[scenario][library]") {
  const auto overlays = yaml_files_in(scenarios_dir() / "amendments");
  // One overlay per amendment, named after it.
  std::set<std::string> stems, all;
  for (const auto& overlay : overlays) stems.insert(overlay.stem().string());
  for (const auto& entry : amendment_names()) all.insert(entry.first);
  CHECK(stems == all);
  const test::TempDir dir;
  const auto base = load_scenario(scenarios_dir() / "cambodia_2017.yaml").scenario;
  for (const auto& overlay : overlays) {
    const std::string stem = overlay.stem().string();
    DYNAMIC_SECTION(overlay.filename().string()) {
      const auto named = amendment_names().find(stem);
      INFO("an overlay in scenarios/amendments/ must be named after an amendment of docs/model.md §7.19");
      REQUIRE(named != amendment_names().end());
      const Scenario s = cambodia_with({overlay}, dir).scenario;
      for (const auto& [name, kind] : amendment_names()) {
        INFO("amendment " << name);
        const auto& from = s.amendment_rules.common[std::size_t(kind)].in_force_from;
        if (kind == named->second) {
          REQUIRE(from.has_value());
          // After Cambodia's request of 28 Oct 2016, within the base's horizon.
          CHECK(*from > Date::from_ymd(2016, 10, 28));
          CHECK(*from < base.end_date());
        } else {
          CHECK_FALSE(from.has_value());
        }
      }
      // The overlay changes amendment terms only: the rest of the base is intact.
      CHECK(s.name == base.name);
      CHECK(s.horizon_months == base.horizon_months);
      CHECK(s.timeline.size() == base.timeline.size());
      CHECK(s.partners.size() == base.partners.size());
    }
  }
}

TEST_CASE("all seven overlays merge together and switch every amendment on", "[scenario][library]") {
  std::vector<fs::path> overlays;
  for (const auto& [name, kind] : amendment_names())
    overlays.push_back(scenarios_dir() / "amendments" / (name + ".yaml"));
  for (const auto& overlay : overlays) {
    INFO(overlay.string());
    REQUIRE(fs::exists(overlay));
  }
  const test::TempDir dir;
  const Scenario s = cambodia_with(overlays, dir).scenario;
  for (const auto& [name, kind] : amendment_names()) {
    INFO(name);
    CHECK(s.amendment_rules.common[std::size_t(kind)].in_force_from.has_value());
  }
}
