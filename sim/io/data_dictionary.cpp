#include "readmit/io/data_dictionary.hpp"

#include <algorithm>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "readmit/engine/run_totals.hpp"
#include "readmit/io/csv.hpp"
#include "readmit/model/metrics.hpp"

namespace readmit {

namespace {

struct TotalDescription {
  std::string_view name;
  std::string_view kind;
  std::string_view unit;
  std::string_view meaning;
};

// One row per whole-run total of RunTotalsLayout; a window's totals
// (removals_fy2018, removals_from_2018_partial) take the row of their metric
// and say which months they cover. A test checks that every run total has its row.
constexpr TotalDescription run_totals[] = {
    {"removals", "total", "persons", "persons removed in the run"},
    {"median_days_request_to_removal", "median", "days",
     "median over removed persons of the days from their first document request to removal (NA if nobody was "
     "removed; overall: every partner's removals pooled)"},
    {"custody_releases", "total", "persons", "releases by the custody review (180-day rule) in the run"},
    {"detention_cost_usd", "total", "USD", "detention bed-days times the cost of a bed-day"},
    {"bed_days", "total", "person-days", "days spent in post-order detention"},
    {"children_affected", "total", "children", "children left behind by a removal (children separated)"},
    {"child_days_separated", "total", "child-days", "days children spent separated from a detained parent"},
    {"severe_outcomes", "total", "persons", "returnee severe adverse outcomes (suicide or death)"},
    {"visa_refusals", "total", "applications", "visa applications refused under sanctions, all categories"},
    {"visa_applications", "total", "applications", "visa applications, all categories"},
    {"requests", "total", "requests", "travel-document requests sent"},
    {"acceptances", "total", "requests", "requests accepted (documents issued)"},
    {"denials", "total", "requests", "requests denied"},
    {"relief", "total", "persons", "cases ended in relief (pardon, reopened case)"},
    {"exemptions", "total", "persons", "persons exempted by an amendment"},
    {"main_earners_lost", "total", "households", "households that lost their main earner to a removal"},
    {"homelessness", "total", "persons", "returnees becoming homeless"},
    {"sanction_decisions", "total", "decisions", "sanction decisions taken (rule or timeline)"},
    {"amendment_requests", "total", "requests", "amendment requests made by the partner"},
    {"negotiation_agreements", "total", "agreements", "amendment requests agreed by the removing state"},
    {"months_under_sanction", "count", "months",
     "months ending with a sanction step above 0 (overall: partner-months)"},
    {"redetentions", "total", "persons", "persons on supervision re-detained, for a document or in raids"},
    {"pending_docket_at_end", "level", "persons",
     "persons still in the pipeline (prison, detained, supervised) at the end of the run"},
};

MetricDescription run_total(const std::string& name) {
  for (const auto& t : run_totals)
    if (t.name == name) return {name, "run_total", std::string(t.kind), std::string(t.unit), std::string(t.meaning)};
  throw std::logic_error("data dictionary: no description of the run total " + name);
}

std::string_view kind_name(MetricKind kind) {
  switch (kind) {
    case MetricKind::stock:
      return "stock";
    case MetricKind::flow:
      return "flow";
    case MetricKind::level:
      return "level";
  }
  return "?";
}

void add_monthly(std::vector<MetricDescription>& out, const std::vector<std::string>& categories) {
  for (const auto& info : metric_info)
    out.push_back({std::string(info.name), "monthly", std::string(kind_name(info.kind)), std::string(info.unit),
                   std::string(info.meaning)});
  for (const auto& category : categories) {
    out.push_back({"visa_applications." + category, "monthly", "flow", "applications",
                   "visa applications in category " + category});
    out.push_back({"visa_refusals." + category, "monthly", "flow", "applications",
                   "visa applications in category " + category + " refused under sanctions"});
  }
}

/// The total of `metric` over window `window`, stored as `name`.
MetricDescription window_total(const WindowTotals& window, const std::string& metric, const std::string& name) {
  MetricDescription d = run_total(metric);
  d.name = name;
  d.meaning += ", in window " + window.name + " (" + window.begin.to_string() + " to " +
               window.end.plus_days(-1).to_string() + ")";
  if (!window.complete) d.meaning += "; partial: the run covers only part of the window";
  return d;
}

}  // namespace

std::vector<MetricDescription> data_dictionary(const Scenario& scenario) {
  std::vector<MetricDescription> out;
  const RunTotalsLayout layout(scenario);
  for (const auto& name : layout.metrics()) {
    std::optional<MetricDescription> windowed;
    for (const auto& window : layout.windows())
      for (std::size_t i = 0; i < window.totals.size() && !windowed; ++i)
        if (window.totals[i] == name) windowed = window_total(window, window.metrics[i], name);
    out.push_back(windowed ? *windowed : run_total(name));
  }
  add_monthly(out, visa_categories(scenario));
  return out;
}

std::vector<MetricDescription> data_dictionary() {
  std::vector<MetricDescription> out;
  for (const auto& t : run_totals) out.push_back(run_total(std::string(t.name)));
  out.push_back({"METRIC_WINDOW", "run_total", "total", "as METRIC",
                 "METRIC summed over an outcome window: fyYYYY (US fiscal year, October to September), a calendar "
                 "year or the scenario's outcome_windows; _partial at the end when the run covers only part of it"});
  add_monthly(out, {"CATEGORY"});
  return out;
}

std::string data_dictionary_csv(const std::vector<MetricDescription>& metrics) {
  std::ostringstream text;
  CsvWriter csv(text);
  csv.write_row({"metric", "table", "kind", "unit", "meaning"});
  for (const auto& m : metrics) csv.write_row({m.name, m.table, m.kind, m.unit, m.meaning});
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
  return out;
}

}  // namespace readmit
