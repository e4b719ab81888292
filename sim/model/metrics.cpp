#include "readmit/model/metrics.hpp"

#include <algorithm>

#include "readmit/scenario/scenario.hpp"

namespace readmit {

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
