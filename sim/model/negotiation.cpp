#include "readmit/model/negotiation.hpp"

#include <algorithm>

#include "readmit/model/amendments.hpp"
#include "readmit/scenario/parameters.hpp"

namespace readmit::negotiation {

namespace {

std::string joined_names(const std::vector<AmendmentKind>& kinds) {
  std::string names;
  for (auto a : kinds) names += (names.empty() ? "" : ", ") + std::string(amendment_names()[std::size_t(a)]);
  return names;
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

void maybe_request(World& world, std::size_t k, int month) {
  auto& status = world.partners[k].amendments;
  const auto& request = world.params(k).amendment_request;
  const auto kinds = wanted(world, k);
  if (status.request_open || kinds.empty()) return;
  double severe = 0;
  for (int t = std::max(0, month + 1 - int(request.window_months)); t <= month; ++t)
    severe += world.metric(t, k, Metric::severe_outcomes);
  if (severe < double(request.severe_outcome_threshold)) return;
  status.request_open = true;
  world.flow(k, Metric::amendment_requests) += 1;
  world.log(k, "amendment_requested", joined_names(kinds));
}

void negotiate(World& world, std::size_t k, std::int64_t review_number) {
  auto& status = world.partners[k].amendments;
  if (!status.request_open) return;
  auto rng = world.partner_stream(k, StreamPurpose::partner_negotiation, std::uint64_t(review_number));
  if (!rng.bernoulli(world.now.negotiation.agree_prob_per_review)) return;
  status.request_open = false;
  world.flow(k, Metric::negotiation_agreements) += 1;
  const std::int32_t effect_day = world.day + std::int32_t(world.now.negotiation.entry_into_force_lag_days);
  const auto kinds = wanted(world, k);
  for (auto a : kinds) world.pending_amendments.push_back({effect_day, k, a});
  world.log(k, "negotiation_agreed", joined_names(kinds));
}

}  // namespace readmit::negotiation
