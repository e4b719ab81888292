#pragma once
// The data dictionary: every output metric with its unit, label and
// meaning, as `readmit metrics` prints it and metrics.csv (next to the
// outputs) holds it, made from the outputs table (model/metrics.hpp). The
// names are the ones in the files and on the terminal; the report's labels
// are read from metrics.csv.
#include <string>
#include <vector>

#include "readmit/scenario/scenario.hpp"

namespace readmit {

struct MetricDescription {
  std::string name;   // as in the files: removals, visa_refusals.b_general, removals_fy2018
  std::string table;  // run_total (replications, summary, comparison .csv) or monthly (timeseries, monthly .csv)
  std::string kind;   // monthly: stock, flow or level; run totals: total, median, count or level
  std::string unit;   // persons, days, USD, share in [0, 1], ...
  std::string label;  // short, for figures and tables: "180-day releases", "removals in FY2019"
  std::string meaning;
  std::string drivers;    // what moves it (docs/model.md sections); empty if not stated
  bool windowed = false;  // a run total an outcome window can sum
  int headline = 0;       // a run total's place in the terminal's table and the report's headline (1, 2, ...); 0: none
};

/// Every metric a run of `scenario` writes: its run totals, then its
/// monthly metrics (with its visa categories and fiscal years).
std::vector<MetricDescription> data_dictionary(const Scenario& scenario);

/// The same without a scenario: names that depend on one are patterns
/// (visa_applications.CATEGORY, removals_fyYYYY).
std::vector<MetricDescription> data_dictionary();

/// `metric,table,kind,unit,label,meaning,drivers,windowed,headline` rows with a header.
std::string data_dictionary_csv(const std::vector<MetricDescription>& metrics);

/// An aligned text table for the terminal.
std::string data_dictionary_text(const std::vector<MetricDescription>& metrics);

}  // namespace readmit
