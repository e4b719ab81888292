#include "readmit/model/timeline.hpp"

#include <algorithm>

#include "readmit/model/amendments.hpp"
#include "readmit/model/decisions.hpp"
#include "readmit/model/negotiation.hpp"
#include "readmit/model/sanctions.hpp"
#include "readmit/scenario/parameters.hpp"

namespace readmit::timeline {

namespace {

/// The partners an entry's note concerns: the partner of its sanction or
/// amendment, of its first parameter change, else every partner.
std::vector<std::size_t> concerned_partners(const World& world, const TimelineEvent& event) {
  if (event.sanction) return {event.sanction->partner};
  if (event.request) return {event.request->partner};
  if (event.amendment && !event.amendment->partners.empty()) return event.amendment->partners;
  if (!event.assignments.empty() && event.assignments.front().path.rfind("partners.", 0) == 0)
    return {event.assignments.front().keys.front()};
  std::vector<std::size_t> all(world.partners.size());
  for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
  return all;
}

void apply(World& world, const TimelineEvent& event) {
  for (const auto& assignment : event.assignments) assignment.spec->set(world.now, assignment.keys, assignment.value);
  if (!event.note.empty())
    for (auto k : concerned_partners(world, event)) world.log(k, "timeline", event.note);
  if (event.sanction) sanctions::decide(world, event.sanction->partner, event.sanction->step, "timeline");
  if (event.request) negotiation::move(world, event.request->partner, event.request->open);
  if (event.restart_evidence)
    for (std::size_t k = 0; k < world.partners.size(); ++k) decisions::start_afresh(world, k);
  if (event.amendment) {
    const auto& listed = event.amendment->partners;
    for (std::size_t k = 0; k < world.partners.size(); ++k)
      if (listed.empty() || std::find(listed.begin(), listed.end(), k) != listed.end())
        amendments::set(world, k, event.amendment->amendment, event.amendment->in_force, "timeline");
  }
}

}  // namespace

void apply_due(World& world, std::size_t& next) {
  const auto& entries = world.base.timeline;
  const Date today = world.today();
  while (next < entries.size() && entries[next].date <= today) apply(world, entries[next++]);
}

}  // namespace readmit::timeline
