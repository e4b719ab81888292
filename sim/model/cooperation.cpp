#include "readmit/model/cooperation.hpp"

#include <algorithm>

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

}  // namespace

void update(World& world, std::size_t k, int month) {
  auto& diplomacy = world.partners[k].diplomacy;
  const auto& c = world.params(k).cooperation;
  diplomacy.severe_by_month.push_back(std::int64_t(world.metric(month, k, Metric::severe_outcomes)));
  while (std::int64_t(diplomacy.severe_by_month.size()) > c.backlash_window_months)
    diplomacy.severe_by_month.pop_front();
  double recent_severe = 0;
  for (auto n : diplomacy.severe_by_month) recent_severe += double(n);
  const double backlash = c.backlash_per_severe_outcome * recent_severe;
  world.metric(month, k, Metric::backlash) = backlash;
  const double target =
      std::clamp(c.baseline + sanctions::pressure(world, k) - backlash + amendment_bonus(world, k), 0.0, 1.0);
  auto rng = world.partner_stream(k, StreamPurpose::partner_cooperation, std::uint64_t(month));
  const double noise = c.noise_sd > 0 ? draw_normal(0.0, c.noise_sd, rng) : 0.0;
  diplomacy.cooperation = std::clamp(
      diplomacy.cooperation + c.adjustment_speed_per_month * (target - diplomacy.cooperation) + noise, 0.0, 1.0);
}

}  // namespace readmit::cooperation
