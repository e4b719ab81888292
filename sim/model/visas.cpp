#include "readmit/model/visas.hpp"

#include "readmit/model/sanctions.hpp"

namespace readmit::visas {

void demand(World& world, std::size_t k, int month) {
  const auto& steps = sanctions::ladder(world).steps;
  const auto& demands = world.params(k).visa_demand;
  const std::int64_t in_force = world.partners[k].diplomacy.sanction_step;
  for (std::size_t d = 0; d < demands.size(); ++d) {
    const std::size_t c = world.names.demand_category[k][d];
    auto rng =
        world.partner_stream(k, StreamPurpose::partner_visas, std::uint64_t(month) * world.visa_categories.size() + c);
    const std::int64_t applications = draw_poisson(demands[d].applications_per_month, rng);
    double pass_prob = 1.0;
    for (std::int64_t s = 0; s < in_force && s < std::int64_t(steps.size()); ++s)
      if (world.names.step_names_category[std::size_t(s)][c]) pass_prob *= 1.0 - steps[std::size_t(s)].refusal_prob;
    const std::int64_t refused = draw_binomial(applications, 1.0 - pass_prob, rng);
    world.result.monthly.at(std::size_t(month), k, visa_applications_column(c)) += double(applications);
    world.result.monthly.at(std::size_t(month), k, visa_refusals_column(c)) += double(refused);
    world.metric(month, k, Metric::visa_applications) += double(applications);
    world.metric(month, k, Metric::visa_refusals) += double(refused);
  }
}

}  // namespace readmit::visas
