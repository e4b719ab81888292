#pragma once
// Interviews and raids (MODEL.md section 6): when the agreement requires an
// interview, requests wait for the partner's interview rounds at detention
// centres every interview_interval_days (the partner agrees to each round
// with a probability equal to its cooperation). raid_lead_days before a
// round, a raid re-detains persons on supervision whose request awaits an
// interview, and their document packet is sent again.
// Reads: interview parameters, cooperation, beds. Changes: the desk's
// interview list, person states, the review's request records.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::interviews {

/// Today's raid or interview round for partner k, if one falls today.
void run_cycle(World& world, std::size_t k);

/// The most persons a raid for partner k can re-detain today (0 on other days).
std::int64_t raid_bound(const World& world, std::size_t k);

}  // namespace readmit::interviews
