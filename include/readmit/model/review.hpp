#pragma once
// The removing state's compliance review (docs/model.md §7.15). It judges the
// partner's own conduct, normalised by what was asked of it:
//  - a request counts from the day the partner could act on it: the day it
//    was sent or, where the partner interviews, the round at which the
//    detained person was presented, up to the round size the partner agreed
//    to (its interview capacity): a request of a person on supervision, or
//    beyond that size, waits for the removing state;
//  - charters count only when offered with passengers ready;
//  - 180-day releases count against the partner only for persons whose
//    received request it left undecided (not interviewed, or waiting for an
//    officer; a decision under way is the partner acting).
// So nothing the removing state did not provide (flights, beds, detainees to
// interview) weighs on the class. Reviews fall every review_interval_days
// from first_review_date (US: continuous monitoring, approximated weekly;
// EU: the yearly assessment), each over the window_months before it. What a
// class does to sanctions is sanctions.cpp.
// The documents, interview, flight and custody sub-models record the
// partner's conduct through the note_* functions below.
// Reads: the partner's ConductRecord. Changes: the ConductRecord (pruning),
// Diplomacy (last review, class, reviews held), the event log.
#include <cstdint>

#include "readmit/model/compliance.hpp"
#include "readmit/model/world.hpp"

namespace readmit::review {

/// Whether a review falls today.
bool due_today(const World& world);

/// First day of the window of a review held today.
std::int32_t window_start_day(const World& world);

/// Drops partner k's records older than the window of a review held today
/// (a window lengthened later by the timeline starts from what is kept).
void prune(World& world, std::size_t k);

/// What a review held today measures for partner k, over the records
/// prune() kept.
ReviewMeasures measure(const World& world, std::size_t k);

struct Held {
  ComplianceClass compliance_class;
  std::int64_t number;  // 0 for the partner's first review
};

/// Holds today's review of partner k on its measures (`measure(world, k)`,
/// taken today): records and logs them and the class.
Held hold(World& world, std::size_t k, const ReviewMeasures& m);

// ---- the partner's conduct, recorded as it happens ----

/// Opens the record of p's request, sent today; it is received today
/// unless the partner interviews first.
void open_record(World& world, std::uint32_t p);
/// Closes p's open record today: decided, or withdrawn (ended without a decision).
void resolve_record(World& world, std::uint32_t p, bool withdrawn);
/// p's request is now before the partner (presented at a round, or sent to
/// officers when interviews were dropped); no effect if already received.
void mark_received(World& world, std::uint32_t p);
/// Whether p's request is before the partner and it has not acted on it:
/// received, and neither decided nor being decided.
bool left_undecided(const World& world, std::uint32_t p);

/// Partner k decided p's request today.
void note_decision(World& world, std::size_t k, std::uint32_t p, bool denied);
/// Partner k was offered a charter with passengers ready today.
void note_charter(World& world, std::size_t k, bool refused);
/// An interview round fell today: `requested` persons presented (up to the
/// agreed round size), `held` of them interviewed.
void note_round(World& world, std::size_t k, std::int64_t requested, std::int64_t held);
/// A 180-day release of p today.
void note_custody_release(World& world, std::uint32_t p);

}  // namespace readmit::review
