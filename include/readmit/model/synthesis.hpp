#pragma once
// Population synthesis (docs/model.md §5, §7.1): the docket at the start
// and the monthly inflow of new final orders, each person drawn from the
// partner's configured distributions and placed in a first state (prison,
// detained, or supervised with perhaps an old request pending).
// A month's arrivals are drawn, and their persons created, on the month's
// first day (serially, partner by partner); each is placed on its arrival
// day by its partner's calendar, so that partners' days never add persons.
// Reads: population parameters. Changes: Population (new persons), the
// calendars (arrivals, sentence ends, relief), first placements.
#include <cstdint>
#include <limits>
#include <vector>

#include "readmit/model/world.hpp"

namespace readmit::synthesis {

/// A new person's draws: attributes and first state. They come from the
/// person's own streams only, so a large docket is drawn in parallel and
/// then applied in order.
struct NewPerson {
  float age_at_arrival_years = 0, years_resident = 0;
  EntryStatus entry_status{};
  Offense offense{};
  SpouseStatus spouse{};
  MentalHealthRisk mental_health{};
  TiesToPartner ties{};
  bool main_earner = false;
  std::vector<float> child_ages;
  StartState start{};
  double sentence_days = 0;      // prison only
  bool pending_request = false;  // initial docket only: an old request is pending
  double backlog_u = 0;          // initial docket only: how far back it was sent, as a share of the maximum age
};

/// The draws of person `id` of partner k (`in_docket`: at the start, or in
/// the inflow), who enters on `entry` (cohorts give ages and residence then).
NewPerson draw(const World& world, std::size_t k, std::uint32_t id, bool in_docket, Date entry);

/// Writes the drawn attributes into person p's slot.
void fill(World& world, std::uint32_t p, const NewPerson& n);

/// Person p enters today: the relief time is drawn and p is placed in the
/// first state (prison with its sentence, detention, or supervision).
void place(World& world, std::uint32_t p, StartState start, double sentence_days);

/// Adds a person of partner k today with the drawn attributes, and places them.
std::uint32_t add(World& world, std::size_t k, const NewPerson& n);

/// Day 0: every partner's docket at the start, with its old pending requests.
/// Partners are synthesized in parallel where detention beds cannot run out.
void synthesize_docket(World& world);

/// First day of `month`: draws each partner's arrivals of the month, creates
/// their persons and schedules them on their days.
void schedule_arrivals(World& world, int month);

/// Calendar handler, EventKind::arrival: person p (created at the start of
/// the month) arrives: a new final order for partner k.
void on_arrival(World& world, std::size_t k, std::uint32_t p);

}  // namespace readmit::synthesis
