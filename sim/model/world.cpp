#include "readmit/model/world.hpp"

#include <algorithm>

#include "readmit/scenario/parameters.hpp"

namespace readmit {

namespace {

ResolvedNames resolve_names(const Scenario& scenario, const std::vector<std::string>& categories) {
  auto category_index = [&](const std::string& name) {
    return std::size_t(std::lower_bound(categories.begin(), categories.end(), name) - categories.begin());
  };
  ResolvedNames names;
  for (const auto& partner : scenario.partners) {
    auto& indices = names.demand_category.emplace_back();
    for (const auto& demand : partner.visa_demand) indices.push_back(category_index(demand.category));
    auto& kinds = names.requested.emplace_back();
    for (const auto& name : partner.amendment_request.amendments) kinds.push_back(*amendment_from_name(name));
  }
  for (const auto& step : scenario.sanctions.active_ladder().steps) {
    auto& named = names.step_names_category.emplace_back(categories.size(), false);
    for (const auto& category : step.visa_categories) named[category_index(category)] = true;
  }
  for (std::size_t a = 0; a < amendment_kind_count; ++a) {
    const auto& listed = scenario.amendment_rules.common[a].partners;
    for (const auto& partner : scenario.partners)
      names.rule_applies[a].push_back(listed.empty() ||
                                      std::find(listed.begin(), listed.end(), partner.name) != listed.end());
  }
  return names;
}

}  // namespace

World::World(const Scenario& scenario, std::uint64_t replication_index)
    : base(scenario),
      now(scenario),
      replication(replication_index),
      days(scenario.end_date().days_since_epoch - scenario.start_date.days_since_epoch),
      people(scenario.partners.size()),
      partners(scenario.partners.size()),
      visa_categories(readmit::visa_categories(scenario)),
      names(resolve_names(scenario, visa_categories)),
      result{MonthlySeries(std::size_t(scenario.horizon_months), scenario.partners.size(),
                           monthly_column_names(scenario).size()),
             std::vector<std::array<StateTally, person_state_count + 1>>(scenario.partners.size()),
             0,
             std::vector<std::vector<RemovalTiming>>(scenario.partners.size()),
             {},
             {}} {
  for (auto& partner : partners) {
    partner.calendar = Calendar(days);
    partner.returnee_ledger.resize(std::size_t(scenario.horizon_months));
  }
}

}  // namespace readmit
