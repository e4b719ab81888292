#pragma once
// Custody (MODEL.md section 5): post-order detention when a sentence ends
// or a person is re-detained, limited by the removing state's beds, and the
// custody review of the 180-day rule (Zadvydas v. Davis): after
// custody_review_days without a document the person is released on
// supervision with release_prob, else held and reviewed again.
// Reads: the removing state's parameters. Changes: person states, detention
// spells, the calendar (request and review events), the month's flows.
#include <cstdint>

#include "readmit/model/world.hpp"

namespace readmit::custody {

/// Whether a detention bed is free today (all partners share the beds).
bool has_bed(const World& world);

/// Detains p (or releases p on supervision when no bed is free) and
/// schedules the document request and the custody review.
void begin_detention(World& world, std::uint32_t p);

/// Re-detains p from supervision if a bed is free; with a valid document p
/// is scheduled for a flight. Returns whether p was re-detained.
bool redetain(World& world, std::uint32_t p);

/// Calendar handler, EventKind::sentence_end: prison release into detention.
void on_sentence_end(World& world, std::uint32_t p);

/// Calendar handler, EventKind::custody_review, for the detention spell
/// that began on `detention_start`.
void on_custody_review(World& world, std::uint32_t p, std::int32_t detention_start);

/// Counts today's detention bed-days and their cost.
void count_day(World& world);

}  // namespace readmit::custody
