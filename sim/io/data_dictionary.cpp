#include "readmit/io/data_dictionary.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "readmit/engine/run_totals.hpp"
#include "readmit/io/csv.hpp"
#include "readmit/model/metrics.hpp"

namespace readmit {

namespace {

/// Whether a total is summed (or counted) over months: over the run, or a window.
bool over_months(const RunTotalInfo& total) {
  return total.reduction == Reduction::sum || total.reduction == Reduction::months_positive;
}

MetricDescription run_total(const RunTotalInfo& total) {
  return {std::string(total.name),
          "run_total",
          std::string(reduction_kind_name(total.reduction)),
          std::string(total.unit_or_metric()),
          std::string(total.label_or_metric()),
          run_total_meaning(total) + (over_months(total) ? ", over the run" : ""),
          std::string(total.drivers),
          total.windowed,
          total.headline};
}

void add_monthly(std::vector<MetricDescription>& out, const std::vector<std::string>& categories) {
  for (const auto& info : metric_info)
    out.push_back({std::string(info.name), "monthly", std::string(metric_kind_name(info.kind)), std::string(info.unit),
                   std::string(info.label), std::string(info.meaning), std::string(info.drivers)});
  for (const auto& category : categories) {
    out.push_back({"visa_applications." + category, "monthly", "flow", "applications", "visa applications, " + category,
                   "visa applications in category " + category, ""});
    out.push_back({"visa_refusals." + category, "monthly", "flow", "applications", "visas refused, " + category,
                   "visa applications in category " + category + " refused under sanctions", ""});
  }
}

/// "in FY2019", "in 2019", or the window's own name as words ("from 2018").
std::string window_words(const WindowTotals& window) {
  const std::string& name = window.name;
  const bool year = name.size() == 6 && (name.starts_with("fy") || name.starts_with("cy")) &&
                    std::all_of(name.begin() + 2, name.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (year) return name.starts_with("fy") ? "in FY" + name.substr(2) : "in " + name.substr(2);
  std::string words = name;
  std::replace(words.begin(), words.end(), '_', ' ');
  for (const char* lead : {"from ", "in ", "during ", "before ", "after ", "until "})
    if (words.starts_with(lead)) return words;
  return "in " + words;
}

/// The total of `metric` over window `window`, stored as `name`.
MetricDescription window_total(const WindowTotals& window, const std::string& metric, const std::string& name) {
  const RunTotalInfo& total = *find_run_total(metric);
  MetricDescription d = run_total(total);
  d.name = name;
  d.windowed = false;
  d.headline = 0;
  d.label += " " + window_words(window) + (window.complete ? "" : ", partial");
  d.meaning = run_total_meaning(total) + ", over window " + window.name + " (" + window.begin.to_string() + " to " +
              window.end.plus_days(-1).to_string() + ")";
  if (!window.complete) d.meaning += "; partial: the run covers only part of the window";
  return d;
}

}  // namespace

std::vector<MetricDescription> data_dictionary(const Scenario& scenario) {
  std::vector<MetricDescription> out;
  for (const auto& total : run_total_table) out.push_back(run_total(total));
  const RunTotalsLayout layout(scenario);
  for (const auto& window : layout.windows())
    for (std::size_t i = 0; i < window.totals.size(); ++i)
      out.push_back(window_total(window, window.metrics[i], window.totals[i]));
  add_monthly(out, visa_categories(scenario));
  return out;
}

std::vector<MetricDescription> data_dictionary() {
  std::vector<MetricDescription> out;
  for (const auto& total : run_total_table) out.push_back(run_total(total));
  out.push_back({"METRIC_WINDOW", "run_total", "total", "as METRIC", "METRIC in WINDOW",
                 "METRIC summed over an outcome window: fyYYYY (US fiscal year, October to September), a calendar "
                 "year or the scenario's outcome_windows; _partial at the end when the run covers only part of it",
                 ""});
  add_monthly(out, {"CATEGORY"});
  return out;
}

std::string data_dictionary_csv(const std::vector<MetricDescription>& metrics) {
  std::ostringstream text;
  CsvWriter csv(text);
  csv.write_row({"metric", "table", "kind", "unit", "label", "meaning", "drivers", "windowed", "headline"});
  for (const auto& m : metrics) {
    const bool total = m.table == "run_total";
    csv.write_row({m.name, m.table, m.kind, m.unit, m.label, m.meaning, m.drivers,
                   total ? (m.windowed ? "true" : "false") : "", m.headline > 0 ? std::to_string(m.headline) : ""});
  }
  return std::move(text).str();
}

std::string data_dictionary_text(const std::vector<MetricDescription>& metrics) {
  std::size_t name_width = 6, unit_width = 4;
  for (const auto& m : metrics) {
    name_width = std::max(name_width, m.name.size());
    unit_width = std::max(unit_width, m.unit.size());
  }
  auto pad = [](std::string text, std::size_t width) {
    text.resize(std::max(text.size(), width), ' ');
    return text;
  };
  std::string out;
  std::string table;
  for (const auto& m : metrics) {
    if (m.table != table) {
      table = m.table;
      out += (out.empty() ? "" : "\n");
      out += table == "run_total" ? "Run totals (replications.csv, summary.csv, comparison.csv, the terminal):\n"
                                  : "Monthly metrics (timeseries.csv, monthly.csv):\n";
      out += "  " + pad("metric", name_width) + "  " + pad("unit", unit_width) + "  kind    meaning\n";
    }
    out += "  " + pad(m.name, name_width) + "  " + pad(m.unit, unit_width) + "  " + pad(m.kind, 6) + "  " + m.meaning +
           "\n";
  }
  std::string windowed;
  for (const auto& m : metrics)
    if (m.windowed) windowed += (windowed.empty() ? "" : ", ") + m.name;
  if (!windowed.empty())
    out += "\nRun totals an outcome window can sum (outcome_windows.*.metrics):\n  " + windowed + "\n";
  return out;
}

}  // namespace readmit
