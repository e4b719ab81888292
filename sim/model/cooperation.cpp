#include "readmit/model/cooperation.hpp"

#include <algorithm>
#include <cmath>

#include "readmit/model/amendments.hpp"
#include "readmit/model/sanctions.hpp"

namespace readmit::cooperation {

namespace {

/// While any amendment the partner asked for is in force.
double amendment_bonus(const World& world, std::size_t k) {
  for (const AmendmentKind a : world.names.requested[k])
    if (amendments::in_force(world, k, a)) return world.params(k).cooperation.amendment_bonus;
  return 0.0;
}

double domestic_cost(const World& world, std::size_t k) {
  const auto& d = world.partners[k].diplomacy;
  const auto& c = world.params(k).cooperation;
  const double prior = d.backlash_prior_weight;
  const double severe = (d.severe_salience + prior * d.expected_severe_rate) / (d.exposure_salience + prior);
  const double family = (d.family_salience + prior * d.expected_family_share) / (d.returned_salience + prior);
  const double cost = c.backlash_per_severe_rate * severe + c.backlash_per_family_share * family;
  return std::isfinite(cost) ? cost : 0.0;  // nothing received yet and no prior
}

/// The docket's share of persons whose removal would break ties, and their
/// expected severe-outcome rate per returnee-year (without a programme).
void expectations(World& world) {
  const auto& people = world.people;
  std::vector<double> persons(world.partners.size()), ties(world.partners.size()), hazard(world.partners.size());
  for (std::uint32_t p = 0; p < people.size(); ++p) {
    const std::size_t k = people.partner[p];
    const auto& r = world.params(k).returnees;
    double multiplier = 1.0;
    if (people.age_at_arrival_years[p] < r.child_arrival_age_years) multiplier *= r.child_arrival_multiplier;
    if (people.ties[p] == TiesToPartner::none) multiplier *= r.no_ties_multiplier;
    if (people.mental_health[p] == MentalHealthRisk::medium) multiplier *= r.medium_mental_health_multiplier;
    if (people.mental_health[p] == MentalHealthRisk::high) multiplier *= r.high_mental_health_multiplier;
    persons[k] += 1;
    ties[k] += breaks_ties(world, p) ? 1 : 0;
    hazard[k] += std::min(1.0, r.severe_outcome_hazard_per_month * multiplier);
  }
  for (std::size_t k = 0; k < world.partners.size(); ++k) {
    auto& d = world.partners[k].diplomacy;
    d.expected_family_share = persons[k] > 0 ? ties[k] / persons[k] : 0.0;
    d.expected_severe_rate = persons[k] > 0 ? 12.0 * hazard[k] / persons[k] : 0.0;
  }
}

}  // namespace

void start(World& world) {
  expectations(world);
  for (std::size_t k = 0; k < world.partners.size(); ++k) {
    auto& diplomacy = world.partners[k].diplomacy;
    const auto& c = world.params(k).cooperation;
    diplomacy.cooperation = c.initial;
    auto rng = world.partner_stream(k, StreamPurpose::partner_disposition, 0);
    diplomacy.sanction_sensitivity = draw(c.sanction_sensitivity, rng);
    diplomacy.backlash_prior_weight = c.backlash_prior_share * double(world.params(k).population.docket_at_start);
    diplomacy.backlash = diplomacy.backlash_at_start = domestic_cost(world, k);
    diplomacy.target = target(world, k);
  }
}

double sanction_cost(const World& world, std::size_t k) {
  const auto& steps = sanctions::ladder(world).steps;
  double total = 0.0;
  for (std::int64_t s = 0; s < world.partners[k].diplomacy.sanction_step && s < std::int64_t(steps.size()); ++s)
    total += steps[std::size_t(s)].cost;
  return total;
}

double felt_sanction_cost(const World& world, std::size_t k) {
  return std::max(sanction_cost(world, k), world.partners[k].diplomacy.remembered_sanction_cost);
}

double sanction_response(const World& world, std::size_t k) {
  const double cost = felt_sanction_cost(world, k);
  if (cost <= 0.0) return 0.0;
  return world.partners[k].diplomacy.sanction_sensitivity *
         (1.0 - std::exp(-cost / world.params(k).cooperation.sanction_cost_scale));
}

double family_rate(const World& world, std::size_t k) {
  const auto& d = world.partners[k].diplomacy;
  return d.fading_months > 0 ? d.family_salience / d.fading_months : 0.0;
}

double demand_value(const World& world, std::size_t k) {
  if (!world.partners[k].amendments.request_open) return 0.0;
  const auto& b = world.params(k).bargaining;
  if (b.demand_value <= 0.0 || b.value_elasticity == 0.0) return b.demand_value;
  const double now = std::max(family_rate(world, k), rate_floor_per_month);
  const double then = std::max(world.partners[k].diplomacy.family_rate_at_request, rate_floor_per_month);
  return b.demand_value * std::pow(now / then, b.value_elasticity);
}

double unpressed_target(const World& world, std::size_t k) {
  const auto& diplomacy = world.partners[k].diplomacy;
  const auto& c = world.params(k).cooperation;
  const double backlash_change = diplomacy.backlash - diplomacy.backlash_at_start;
  return c.baseline + sanction_response(world, k) - backlash_change + amendment_bonus(world, k);
}

double target(const World& world, std::size_t k) {
  return std::clamp(unpressed_target(world, k) - demand_value(world, k), 0.0, 1.0);
}

void restate_target(World& world, std::size_t k) {
  auto& diplomacy = world.partners[k].diplomacy;
  diplomacy.demand_pressed = demand_value(world, k);
  diplomacy.target = target(world, k);
}

bool breaks_ties(const World& world, std::uint32_t p) {
  const auto& people = world.people;
  const std::size_t k = people.partner[p];
  return people.spouse[p] != SpouseStatus::none || people.minor_children(p, world.day) > 0 ||
         people.age_at_arrival_years[p] < world.params(k).returnees.child_arrival_age_years;
}

void update(World& world, std::size_t k, int month) {
  auto& diplomacy = world.partners[k].diplomacy;
  const auto& c = world.params(k).cooperation;
  const double keep = std::pow(0.5, 1.0 / c.backlash_half_life_months);
  // Rates, so that volume alone does nothing: severe outcomes per
  // returnee-year in follow-up, and the share of removals that broke ties.
  diplomacy.fading_months = keep * diplomacy.fading_months + 1.0;
  diplomacy.returned_salience = keep * diplomacy.returned_salience + world.metric(month, k, Metric::removals);
  diplomacy.family_salience = keep * diplomacy.family_salience + world.metric(month, k, Metric::removals_breaking_ties);
  diplomacy.exposure_salience =
      keep * diplomacy.exposure_salience + world.metric(month, k, Metric::returnees_followed) / 12.0;
  diplomacy.severe_salience = keep * diplomacy.severe_salience + world.metric(month, k, Metric::severe_outcomes);
  diplomacy.backlash = domestic_cost(world, k);
  // The memory of sanctions borne fades; the steps in force renew it.
  const double memory =
      c.sanction_memory_half_life_months > 0
          ? diplomacy.remembered_sanction_cost * std::pow(0.5, 1.0 / c.sanction_memory_half_life_months)
          : 0.0;
  diplomacy.remembered_sanction_cost =
      std::max(memory, c.sanction_memory_half_life_months > 0 ? sanction_cost(world, k) : 0.0);
  restate_target(world, k);
  auto rng = world.partner_stream(k, StreamPurpose::partner_cooperation, std::uint64_t(month));
  const double noise = c.noise_sd > 0 ? draw_normal(0.0, c.noise_sd, rng) : 0.0;
  diplomacy.cooperation = std::clamp(
      diplomacy.cooperation + c.adjustment_speed_per_month * (diplomacy.target - diplomacy.cooperation) + noise, 0.0,
      1.0);
}

}  // namespace readmit::cooperation
