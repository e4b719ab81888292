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
  world.partners[k].diplomacy.family_rate_at_request = cooperation::family_rate(world, k);
  world.flow(k, Metric::amendment_requests) += 1;
  world.log(k, "amendment_requested", joined_names(kinds));
  follow_stance(world, k);
}

void close_request(World& world, std::size_t k, const char* kind, const char* why) {
  auto& status = world.partners[k].amendments;
  if (!status.request_open) return;
  status.request_open = false;
  if (kind != nullptr) world.log(k, kind, why);
  follow_stance(world, k);
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

void move(World& world, std::size_t k, bool open) {
  if (open)
    open_request(world, k);
  else
    close_request(world, k, "amendment_request_withdrawn", "by a dated move");
}

void follow_stance(World& world, std::size_t k) {
  cooperation::restate_target(world, k);
  auto& diplomacy = world.partners[k].diplomacy;
  // A halt is bargaining that leaves nothing: not a partner whose interests
  // support no cooperation anyway.
  const bool halting =
      diplomacy.demand_pressed > 0.0 && diplomacy.target <= 0.0 && cooperation::unpressed_target(world, k) > 0.0;
  if (halting == diplomacy.halted) return;
  diplomacy.halted = halting;
  if (halting) {
    world.log(k, "halt_started", "document issuing stopped to press the request");
    return;
  }
  diplomacy.awaiting_resumption = true;
  world.log(k, "halt_ended",
            world.partners[k].amendments.request_open ? "the pull of its interests outweighs the demand"
                                                      : "its request ended");
  interviews::offer_round(world, k);
}

void amendment_in_force(World& world, std::size_t k, AmendmentKind a) {
  const auto& requested = world.names.requested[k];
  if (std::find(requested.begin(), requested.end(), a) == requested.end() || !wanted(world, k).empty()) return;
  close_request(world, k, "amendment_request_met", "every amendment asked for is in force");
}

void month_end(World& world, std::size_t k, int month) {
  auto& status = world.partners[k].amendments;
  if (!status.request_open &&
      world.partners[k].diplomacy.backlash >= world.params(k).amendment_request.domestic_cost_threshold)
    open_request(world, k);
  if (!status.request_open) return;
  auto rng = world.partner_stream(k, StreamPurpose::partner_negotiation, std::uint64_t(month));
  const double per_month = 1.0 - std::pow(1.0 - world.now.negotiation.agree_prob_per_year, 1.0 / 12.0);
  if (!rng.bernoulli(per_month)) return;
  world.flow(k, Metric::negotiation_agreements) += 1;
  const std::int32_t effect_day = world.day + std::int32_t(world.now.negotiation.entry_into_force_lag_days);
  const auto kinds = wanted(world, k);
  for (auto a : kinds) world.pending_amendments.push_back({effect_day, k, a});
  world.log(k, "negotiation_agreed", joined_names(kinds));
  close_request(world, k, nullptr, nullptr);  // the agreement is the event
}

}  // namespace readmit::negotiation
