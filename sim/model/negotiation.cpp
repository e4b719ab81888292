#include "readmit/model/negotiation.hpp"

#include <algorithm>
#include <cmath>

#include "readmit/model/amendments.hpp"
#include "readmit/model/cooperation.hpp"
#include "readmit/model/interviews.hpp"
#include "readmit/scenario/parameters.hpp"

namespace readmit::negotiation {

namespace {

std::string joined_names(const std::vector<AmendmentKind>& kinds) {
  std::string names;
  for (auto a : kinds) names += (names.empty() ? "" : ", ") + std::string(amendment_names()[std::size_t(a)]);
  return names;
}

void open_request(World& world, std::size_t k) {
  auto& status = world.partners[k].amendments;
  const auto kinds = wanted(world, k);
  if (status.request_open || kinds.empty()) return;
  status.request_open = true;
  ++status.requests_made;
  world.flow(k, Metric::amendment_requests) += 1;
  world.log(k, "amendment_requested", joined_names(kinds));
}

void end_halt(World& world, std::size_t k, const char* why) {
  auto& diplomacy = world.partners[k].diplomacy;
  if (!diplomacy.halted) return;
  diplomacy.halted = false;
  diplomacy.awaiting_resumption = true;
  world.log(k, "halt_ended", why);
  cooperation::restate_target(world, k);
  interviews::offer_round(world, k);
}

}  // namespace

std::vector<AmendmentKind> wanted(const World& world, std::size_t k) {
  std::vector<AmendmentKind> kinds;
  for (const AmendmentKind a : world.names.requested[k]) {
    const bool pending = std::any_of(world.pending_amendments.begin(), world.pending_amendments.end(),
                                     [&](const PendingAmendment& e) { return e.partner == k && e.amendment == a; });
    if (!amendments::in_force(world, k, a) && !pending) kinds.push_back(a);
  }
  return kinds;
}

void move(World& world, std::size_t k, bool active) {
  auto& diplomacy = world.partners[k].diplomacy;
  if (!active) {
    end_halt(world, k, "by a dated move");
    return;
  }
  if (diplomacy.halted) return;
  diplomacy.halted = true;
  world.log(k, "halt_started", "document issuing stopped");
  open_request(world, k);
  cooperation::restate_target(world, k);
}

void amendment_in_force(World& world, std::size_t k, AmendmentKind a) {
  auto& status = world.partners[k].amendments;
  const auto& requested = world.names.requested[k];
  if (std::find(requested.begin(), requested.end(), a) == requested.end() || !wanted(world, k).empty()) return;
  if (status.request_open) {
    status.request_open = false;
    world.log(k, "amendment_request_met", "every amendment asked for is in force");
  }
  end_halt(world, k, "its amendments are in force");
}

void reconsider_halt(World& world, std::size_t k) {
  if (!world.partners[k].diplomacy.halted) return;
  const double cost = cooperation::sanction_cost(world, k);
  if (cost > 0.0 && cost >= world.params(k).halt.value)
    end_halt(world, k, "the sanctions cost more than the halt is worth");
}

void month_end(World& world, std::size_t k, int month) {
  reconsider_halt(world, k);
  auto& status = world.partners[k].amendments;
  if (!status.request_open &&
      world.partners[k].diplomacy.backlash >= world.params(k).amendment_request.domestic_cost_threshold)
    open_request(world, k);
  if (!status.request_open) return;
  auto rng = world.partner_stream(k, StreamPurpose::partner_negotiation, std::uint64_t(month));
  const double per_month = 1.0 - std::pow(1.0 - world.now.negotiation.agree_prob_per_year, 1.0 / 12.0);
  if (!rng.bernoulli(per_month)) return;
  status.request_open = false;
  world.flow(k, Metric::negotiation_agreements) += 1;
  const std::int32_t effect_day = world.day + std::int32_t(world.now.negotiation.entry_into_force_lag_days);
  const auto kinds = wanted(world, k);
  for (auto a : kinds) world.pending_amendments.push_back({effect_day, k, a});
  world.log(k, "negotiation_agreed", joined_names(kinds));
  end_halt(world, k, "its amendments were agreed");
}

}  // namespace readmit::negotiation
