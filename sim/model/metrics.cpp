#include "readmit/model/metrics.hpp"

#include <algorithm>

#include "readmit/scenario/scenario.hpp"

namespace readmit {

const RunTotalInfo* find_run_total(std::string_view name) {
  for (const auto& total : run_total_table)
    if (total.name == name) return &total;
  return nullptr;
}

std::string run_total_meaning(const RunTotalInfo& total) {
  if (!total.meaning.empty()) return std::string(total.meaning);
  return std::string(metric_info[std::size_t(total.source)].meaning);
}

std::string_view metric_kind_name(MetricKind kind) {
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

std::string_view reduction_kind_name(Reduction reduction) {
  switch (reduction) {
    case Reduction::sum:
      return "total";
    case Reduction::months_positive:
      return "count";
    case Reduction::first_month:
    case Reduction::pending_at_end:
      return "level";
    case Reduction::median_days_to_removal:
      return "median";
  }
  return "?";
}

std::vector<std::string> visa_categories(const Scenario& scenario) {
  std::vector<std::string> categories;
  for (const auto& partner : scenario.partners)
    for (const auto& demand : partner.visa_demand) categories.push_back(demand.category);
  for (const auto& step : scenario.sanctions.active_ladder().steps)
    categories.insert(categories.end(), step.visa_categories.begin(), step.visa_categories.end());
  std::sort(categories.begin(), categories.end());
  categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
  return categories;
}

std::vector<std::string> monthly_column_names(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const auto& info : metric_info) names.emplace_back(info.name);
  for (const auto& category : visa_categories(scenario)) {
    names.push_back("visa_applications." + category);
    names.push_back("visa_refusals." + category);
  }
  return names;
}

}  // namespace readmit
