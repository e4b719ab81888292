#pragma once
// The scenario's timeline: dated parameter changes (through the parameter
// table's setters, into World::now), sanction decisions, amendment switches,
// partners' moves (requests opened or withdrawn) and new sanctions policies
// (the removing state's evidence restarted), applied at the start of their
// day. The scenario is frozen; the timeline is the only way parameters change
// during a run.
// Changes: World::now, and whatever the sanction and amendment sub-models change.
#include "readmit/model/world.hpp"

namespace readmit::timeline {

/// Applies the entries dated today or earlier that have not been applied;
/// `next` is the index of the first unapplied entry, advanced past them.
void apply_due(World& world, std::size_t& next);

}  // namespace readmit::timeline
