// Outcome windows: default fiscal years, named windows of every form, their
// totals against the monthly values, partial windows, and located errors.
#include <catch2/catch.hpp>

#include "readmit/engine/run_totals.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/util/text.hpp"
#include "scenario/scenario_test_support.hpp"

using namespace readmit;
using readmit::test::TempDir;

namespace {

// Two partners, January 2020 for 24 months.
const std::filesystem::path two_partners = READMIT_TEST_DATA_DIR "/ensemble/two_partners.yaml";

LoadedScenario with_windows(const TempDir& dir, const std::string& windows) {
  return load_run_scenario(dir.write("windows.yaml", "extends: " + two_partners.string() + "\n" + windows));
}

/// The run totals after the whole-run ones (the last of which is the last
/// amendment's docket coverage): the windows' totals, in layout order.
std::vector<std::string> window_totals(const RunTotalsLayout& layout) {
  const auto& all = layout.metrics();
  const auto first = std::find(all.begin(), all.end(), "docket_covered_humanitarian_review") + 1;
  return {first, all.end()};
}

}  // namespace

TEST_CASE("every run has one removals window per fiscal year, partial ones marked", "[engine][windows]") {
  const auto loaded = load_scenario(two_partners);
  const RunTotalsLayout layout(loaded.scenario);
  // FY2020 starts in October 2019, before the run; FY2022 ends after it.
  CHECK(window_totals(layout) ==
        std::vector<std::string>{"removals_fy2020_partial", "removals_fy2021", "removals_fy2022_partial"});
  REQUIRE(layout.windows().size() == 3);
  CHECK(layout.windows()[0].first_month == 0);
  CHECK(layout.windows()[0].end_month == 9);
  CHECK(layout.windows()[1].first_month == 9);
  CHECK(layout.windows()[1].end_month == 21);
  CHECK(layout.windows()[2].end_month == 24);
  CHECK_FALSE(layout.windows()[0].complete);
  CHECK(layout.windows()[1].complete);
}

TEST_CASE("named windows add their totals after the fiscal years", "[engine][windows]") {
  TempDir dir;
  const auto loaded = with_windows(dir,
                                   "outcome_windows:\n"
                                   "  second_half: {from: 2020-07-01, through: 2021-06-30, metrics: [removals, "
                                   "children_affected]}\n"
                                   "  cy2021: {calendar_year: 2021}\n"
                                   "  fy2021: {fiscal_year: 2021, metrics: [custody_releases]}\n"
                                   "  early: {from: 2019-11-01, through: 2020-02-29}\n");
  const RunTotalsLayout layout(loaded.scenario);
  // fy2021 replaces the default window of that name in place.
  CHECK(window_totals(layout) == std::vector<std::string>{"removals_fy2020_partial", "custody_releases_fy2021",
                                                          "removals_fy2022_partial", "removals_second_half",
                                                          "children_affected_second_half", "removals_cy2021",
                                                          "removals_early_partial"});
}

TEST_CASE("window totals sum the months of the window, per partner and overall", "[engine][windows]") {
  TempDir dir;
  std::string metrics;
  for (const auto name : windowed_totals()) metrics += (metrics.empty() ? "" : ", ") + std::string(name);
  const auto loaded = with_windows(dir,
                                   "outcome_windows:\n"
                                   "  whole: {from: 2020-01-01, through: 2021-12-31, metrics: [" +
                                       metrics +
                                       "]}\n"
                                       "  spring: {from: 2020-03-01, through: 2020-05-31, metrics: [removals, "
                                       "visa_refusals]}\n");
  const RunTotalsLayout layout(loaded.scenario);
  const auto result = run_replication(loaded.scenario, 0);
  const auto values = layout.compute(result);
  const auto at = [&](std::size_t slot, std::string_view metric) {
    const auto m = layout.metric_index(metric);
    REQUIRE(m < layout.metrics().size());
    return values[slot * layout.metrics().size() + m];
  };
  // A window over the whole run equals the whole-run total of every windowable metric.
  for (const auto name : windowed_totals()) {
    INFO(name);
    for (std::size_t slot = 0; slot < layout.slots().size(); ++slot)
      CHECK(at(slot, std::string(name) + "_whole") == at(slot, name));
  }
  double overall = 0;
  for (std::size_t k = 0; k < layout.partners(); ++k) {
    double removals = 0, refusals = 0;
    for (std::size_t t = 2; t < 5; ++t) {
      removals += result.monthly.at(t, k, Metric::removals);
      refusals += result.monthly.at(t, k, Metric::visa_refusals);
    }
    CHECK(at(k, "removals_spring") == removals);
    CHECK(at(k, "visa_refusals_spring") == refusals);
    overall += removals;
  }
  CHECK(at(layout.overall_slot(), "removals_spring") == overall);
  CHECK(at(layout.overall_slot(), "removals_whole") > 0);
}

TEST_CASE("malformed outcome windows give located errors", "[engine][windows][errors]") {
  TempDir dir;
  const std::string f = (dir.path() / "windows.yaml").string();
  const auto errors_of = [&](const std::string& windows) {
    return test::diagnostics_of([&] { with_windows(dir, "outcome_windows:\n" + windows); });
  };
  CHECK(errors_of("  a: {from: 2020-01-02, through: 2020-12-31, metrics: [removal]}\n") ==
        std::vector<std::string>{
            f + ":3:13: error: outcome_windows.a.from: expected the first day of a month (YYYY-MM-01), found "
                "\"2020-01-02\"",
            f + ":3:56: error: outcome_windows.a.metrics[0]: unknown run total a window can sum \"removal\"; did you "
                "mean "
                "\"removals\"?"});
  CHECK(errors_of("  b: {from: 2020-01-01}\n"
                  "  c: {calendar_year: 2030}\n"
                  "  d: {calendar_year: 2020, fiscal_year: 2020}\n"
                  "  e: {from: 2020-01-01, through: 2020-06-15}\n"
                  "  f: {}\n"
                  "  g: {from: 2020-06-01, through: 2020-03-31}\n") ==
        std::vector<std::string>{
            f + ":3:3: error: outcome_windows.b: expected `through` with `from`, found no `through`",
            f + ":4:3: error: outcome_windows.c: expected a window that overlaps the run (2020-01-01 to 2021-12-31), "
                "found 2030-01-01 to 2030-12-31: its totals would always be 0",
            f + ":5:3: error: outcome_windows.d: expected `from` and `through`, or `calendar_year`, or `fiscal_year`, "
                "found more than one",
            f + ":6:34: error: outcome_windows.e.through: expected the last day of a month (windows are whole "
                "months), found \"2020-06-15\"",
            f + ":7:3: error: outcome_windows.f: expected `from` and `through`, or `calendar_year`, or `fiscal_year`, "
                "found none of them",
            f + ":8:34: error: outcome_windows.g.through: expected a date on or after `from` (2020-06-01), found "
                "\"2020-03-31\""});
  CHECK(errors_of("  \"bad name\": {calendar_year: 2020}\n") ==
        std::vector<std::string>{f +
                                 ":3:3: error: outcome_windows.bad name: expected a name of letters, digits, '_' "
                                 "or '-', starting with a letter or a digit, at most 64 bytes, found \"bad name\""});
}
