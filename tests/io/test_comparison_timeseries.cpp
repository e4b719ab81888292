// comparison_timeseries.csv: the monthly paired differences equal those
// computed by hand from monthly.csv.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include "readmit/app/ensemble_run.hpp"
#include "readmit/io/csv.hpp"
#include "readmit/stats/paired.hpp"
#include "scenario/scenario_test_support.hpp"

using namespace readmit;
using readmit::test::read_text;
using readmit::test::TempDir;

TEST_CASE("monthly paired differences with intervals, per partner and overall", "[io][compare]") {
  TempDir dir;
  const std::filesystem::path base = READMIT_TEST_DATA_DIR "/ensemble/two_partners.yaml";
  const auto alt = dir.write("alt.yaml", "extends: " + base.string() +
                                             "\nname: alt\npartners: {alpha: {agreement: {document_officers: 30}}}\n");
  EnsembleRunOptions options;
  options.scenarios = {base, alt};
  options.replications = 6;
  options.threads = 2;
  options.out_dir = dir.path() / "out";
  options.write_monthly = true;
  run_ensembles(options);

  // Monthly values by (scenario, partner, month, metric), in replication order.
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::vector<double>> monthly;
  std::istringstream lines(read_text(options.out_dir / "monthly.csv"));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    const auto f = *parse_csv_record(line);
    monthly[{f[0], f[3], f[2], f[4]}].push_back(*parse_csv_number(f[5]));
  }
  std::istringstream rows(read_text(options.out_dir / "comparison_timeseries.csv"));
  std::getline(rows, line);
  CHECK(line + "\n" ==
        "baseline,alternative,partner,month,metric,n,baseline_mean,alternative_mean,difference_mean,difference_sd,"
        "difference_ci95_low,difference_ci95_high\n");
  std::size_t checked = 0, overall = 0;
  while (std::getline(rows, line)) {
    const auto f = *parse_csv_record(line);
    REQUIRE(f.size() == 12);
    CHECK(f[0] == "two_partners");
    CHECK(f[1] == "alt");
    if (f[4] != "removals" && f[4] != "cooperation") continue;
    std::vector<double> b, a;
    if (f[2] == "all") {
      CHECK(f[4] == "removals");  // levels have no overall value
      b = monthly[{"two_partners", "alpha", f[3], f[4]}];
      a = monthly[{"alt", "alpha", f[3], f[4]}];
      const auto& b2 = monthly[{"two_partners", "beta", f[3], f[4]}];
      const auto& a2 = monthly[{"alt", "beta", f[3], f[4]}];
      for (std::size_t r = 0; r < b.size(); ++r) b[r] += b2[r], a[r] += a2[r];
      ++overall;
    } else {
      b = monthly[{"two_partners", f[2], f[3], f[4]}];
      a = monthly[{"alt", f[2], f[3], f[4]}];
    }
    REQUIRE(b.size() == 6);
    const Summary d = paired_difference_finite(a, b);
    CHECK(f[5] == format_number(double(d.n)));
    CHECK(f[8] == format_number(d.mean));
    CHECK(f[10] == format_number(d.ci95.low));
    CHECK(f[11] == format_number(d.ci95.high));
    ++checked;
  }
  CHECK(overall == 24);
  CHECK(checked == 24 * 5);  // removals of alpha, beta and all; cooperation of alpha and beta
}
