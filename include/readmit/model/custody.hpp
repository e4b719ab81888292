#pragma once
// Custody (docs/model.md §7.2, §7.8): post-order detention when a sentence ends
// or a person is re-detained, limited by the removing state's beds, and the
// custody review of the 180-day rule (Zadvydas v. Davis): after
// custody_review_days without a document the person is released on
// supervision with release_prob, else held and reviewed again.
// Reads: the removing state's parameters. Changes: person states, detention
// spells, the calendar (request and review events), the month's flows.
#include <cstdint>
#include <functional>
#include <span>

#include "readmit/model/world.hpp"

namespace readmit::custody {

/// Whether a detention bed is free now for a person of partner k (all
/// partners share the beds).
bool has_bed(const World& world, std::size_t k);

/// Detention beds in use, all partners.
std::int64_t beds_in_use(const World& world);

/// Runs `run(k)` for every partner k with the result of running them one
/// after another in partner order, the only order in which partners compete
/// (for beds). `most_beds[k]` bounds the detentions run(k) can attempt.
/// Partners run in parallel in waves whose bounds fit in the free beds
/// (no detention of theirs can find the beds full, so the order does not
/// matter); a partner whose bound does not fit runs alone, with the beds
/// counted as it goes. run(k) must touch only partner k's state.
void for_each_partner_sharing_beds(World& world, std::span<const std::int64_t> most_beds,
                                   const std::function<void(std::size_t)>& run);

/// Detains p (or places p on supervision when the removing state has no
/// flight to p's partner, or no bed is free) and schedules the document
/// request and the custody review.
void begin_detention(World& world, std::uint32_t p);

/// Re-detains p from supervision if there are flights to p's partner and a
/// bed is free; with a valid document p is scheduled for a flight. Returns
/// whether p was re-detained.
bool redetain(World& world, std::uint32_t p);

/// Calendar handler, EventKind::sentence_end: prison release into detention.
void on_sentence_end(World& world, std::uint32_t p);

/// Calendar handler, EventKind::custody_review, for the detention spell
/// that began on `detention_start`.
void on_custody_review(World& world, std::uint32_t p, std::int32_t detention_start);

/// Counts today's detention bed-days and their cost for partner k.
void count_day(World& world, std::size_t k);

}  // namespace readmit::custody
