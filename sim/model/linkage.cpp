#include "readmit/model/linkage.hpp"

namespace readmit::linkage {

void respond_to_step(World& world, std::size_t k, std::int64_t previous_step) {
  auto& diplomacy = world.partners[k].diplomacy;
  const auto& linkage = world.params(k).issue_linkage;
  const std::string what = linkage.name.empty() ? "linked cooperation" : linkage.name;
  if (diplomacy.sanction_step == 0 && diplomacy.linkage_suspended && linkage.resume_when_lifted) {
    diplomacy.linkage_suspended = false;
    world.log(k, "linkage_resumed", what);
    return;
  }
  for (std::int64_t step = previous_step + 1; step <= diplomacy.sanction_step && !diplomacy.linkage_suspended; ++step) {
    auto rng = world.partner_stream(k, StreamPurpose::partner_linkage, std::uint64_t(step));
    if (rng.bernoulli(linkage.suspend_prob_per_step)) {
      diplomacy.linkage_suspended = true;
      world.flow(k, Metric::linkage_suspensions) += 1;
      world.log(k, "linkage_suspended", what);
    }
  }
}

}  // namespace readmit::linkage
