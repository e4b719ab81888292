#pragma once
// Interviews and raids (docs/model.md §7.5): when the agreement requires an
// interview, requests wait for the partner's interview rounds at detention
// centres every interview_interval_days, the first on a day drawn per
// replication within the first interval. raid_lead_days before a round the
// partner states how many it will interview (the round size scaled by its
// target cooperation: 0 refuses the round); if it agreed to any, a raid
// re-detains persons on supervision whose request awaits an interview, and
// their document packet is sent again (only while the removing state has
// flights to the partner). A partner ending a halt offers a round at once
// (offer_round), replacing one planned under the halt.
// Reads: interview parameters, the partner's stance, beds. Changes: the
// desk's interview list and round calendar, person states, the review's
// records of the partner's conduct.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::interviews {

/// Day 0: the day of each partner's first interview round.
void start(World& world);

/// Today's raid or interview round for partner k, if one falls today.
void run_cycle(World& world, std::size_t k);

/// The most persons a raid for partner k can re-detain today (0 on other days).
std::int64_t raid_bound(const World& world, std::size_t k);

/// Partner k offers an interview round (a halt has ended): the round falls
/// 2 x raid_lead_days later (the removing state plans, then detains ahead),
/// unless one was due sooner and not yet planned.
void offer_round(World& world, std::size_t k);

}  // namespace readmit::interviews
