#pragma once
// The state of one replication, as plain data in one place: the scenario
// and the parameters in force today, the calendar, the persons, each
// partner's runtime state, the removing state's, and the metrics being
// recorded. The sub-models (one file each under sim/model/, named by the
// mechanism) are functions over a World; sim/engine/schedule.cpp calls them
// in the order of a day.
#include <array>
#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <vector>

#include "readmit/model/calendar.hpp"
#include "readmit/model/compliance.hpp"
#include "readmit/model/metrics.hpp"
#include "readmit/model/population.hpp"
#include "readmit/model/replication_result.hpp"
#include "readmit/model/rng.hpp"
#include "readmit/scenario/scenario.hpp"
#include "readmit/stats/quantiles.hpp"

namespace readmit {

/// A request waiting in a partner's queue, with the request number it had
/// when queued (a later request makes the entry stale).
struct QueueEntry {
  std::uint32_t person;
  std::uint16_t request_number;
};

/// A scheduled person and the state token they had when scheduled.
struct ScheduledEntry {
  std::uint32_t person;
  std::uint32_t token;
};

/// A partner's document desk (documents.cpp, interviews.cpp): requests
/// waiting for an interview or an officer, and those being decided. The
/// deques are cleaned lazily: an entry whose person has moved on is skipped
/// when reached; the counts are exact.
struct DocumentDesk {
  std::deque<QueueEntry> awaiting_interview;
  std::int64_t awaiting_interview_count = 0;
  std::deque<QueueEntry> queue;
  std::int64_t queued = 0;
  std::int64_t in_decision = 0;
  std::int64_t round_number = 0;        // interview rounds so far (held or not)
  std::int32_t next_round_day = -1;     // day of the coming interview round (-1: not yet set)
  std::int64_t planned_round_size = 0;  // interviews the partner agreed to for the coming round
  std::int32_t round_planned_day = -1;  // day that size was stated (-1: not yet)
  std::vector<double> decision_days;    // days from request to decision, this month (outputs)
};

/// One document request as the review sees it (docs/model.md §7.15).
struct RequestRecord {
  std::int32_t sent_day;
  std::int32_t received_day;  // first day the partner could act on it (sent, or presented at a round); INT32_MAX before
  std::int32_t resolved_day;  // decided or withdrawn; INT32_MAX while pending
  bool withdrawn;             // ended without a decision (relief, exemption, a packet sent again)
};

/// One day of the partner's conduct as the removing state records it for
/// its reviews; only days with something to record are kept.
struct ConductDay {
  std::int32_t day = 0;
  std::int32_t decisions = 0;
  std::int32_t denials = 0;  // including category and humanitarian refusals
  std::int32_t acceptances = 0;
  std::int32_t charters_offered = 0;  // offered with passengers ready
  std::int32_t charters_refused = 0;
  std::int32_t requests_received = 0;     // requests now before the partner (sent, or presented at a round)
  std::int32_t interviews_requested = 0;  // presented at a round, up to the agreed round size
  std::int32_t interviews_held = 0;
  std::int32_t custody_releases = 0;    // all 180-day releases (reported)
  std::int32_t undecided_releases = 0;  // of those, persons whose received request the partner left undecided
};

/// A decision as the review sees it: its day, and days from receipt.
struct DecisionRecord {
  std::int32_t day;
  std::uint32_t days_from_receipt;
};

/// What the removing state knows of one partner's conduct (review.cpp; the
/// documents, interview, flight and custody sub-models record into it).
struct ConductRecord {
  std::vector<RequestRecord> requests;   // in order of sending
  std::vector<std::uint32_t> received;   // indices into `requests`, in order of receipt
  std::deque<ConductDay> days;           // oldest first; pruned to the review window
  std::deque<DecisionRecord> decisions;  // oldest first; pruned to the review window
  WholeNumberQuantiles decision_days;    // the days_from_receipt of `decisions`, for their median
};

/// The partner's standing with the removing state and its own stance
/// (cooperation.cpp, negotiation.cpp, review.cpp, decisions.cpp,
/// sanctions.cpp, linkage.cpp).
struct Diplomacy {
  double cooperation = 1.0;
  double target = 1.0;                // the cooperation its interests support now (its intention)
  double sanction_sensitivity = 0.0;  // drawn once per replication
  bool halted = false;                // bargaining withholds all cooperation: no new documents
  bool awaiting_resumption = false;   // a halt ended and nobody has been removed since
  // Domestic attention, fading with backlash_half_life_months: returnees
  // received and the removals among them that broke family or childhood
  // ties; returnee-years in follow-up and their severe outcomes.
  double returned_salience = 0.0;
  double family_salience = 0.0;
  double exposure_salience = 0.0;
  double severe_salience = 0.0;
  double fading_months = 0.0;             // the fading weight of the months seen (the family rate's denominator)
  double expected_family_share = 0.0;     // of the docket at the start: the partner's prior
  double expected_severe_rate = 0.0;      // per returnee-year, from the docket and the hazards: its prior
  double backlash_prior_weight = 0.0;     // the prior's weight in returnees (and returnee-years)
  double backlash = 0.0;                  // domestic cost of receiving deportees (target units)
  double backlash_at_start = 0.0;         // what the disposition already allows for
  double family_rate_at_request = 0.0;    // recent removals breaking ties per month when the open request was made
  double demand_pressed = 0.0;            // cooperation withheld to press the open request (bargaining)
  double remembered_sanction_cost = 0.0;  // the highest cost borne, fading (cooperation.cpp)
  std::int64_t sanction_step = 0;         // in force
  std::int64_t decided_step = 0;          // latest decision (in force after the lag, or proposed)
  // The removing state's view (decisions.cpp).
  double evidence = 0.0;             // non-compliance on record, in uncooperative reviews' worth, fading
  double compliance_credit = 0.0;    // compliant reviews' worth since the last uncooperative one or decision
  double discretion = 1.0;           // multiplier of this partner's thresholds, drawn once per replication
  std::int32_t evidence_day = -1;    // day the evidence was last brought up to date
  bool proposal_pending = false;     // a step proposed, not yet adopted (waits for the standing to be weighed)
  std::int32_t judged_from_day = 0;  // effect day of the last decision: reviews count from there
  double compliance_class = std::numeric_limits<double>::quiet_NaN();
  ReviewMeasures last_review = ReviewMeasures::none();
  std::int64_t reviews_held = 0;
  bool linkage_suspended = false;
};

/// Amendments for one partner (amendments.cpp, negotiation.cpp).
struct AmendmentStatus {
  std::array<bool, amendment_kind_count> in_force{};
  bool request_open = false;       // a partner request awaits agreement
  std::int64_t requests_made = 0;  // keys the negotiation's draws
  int cap_year = 0;                // calendar year counted by accepted_this_year (annual_cap)
  std::int64_t accepted_this_year = 0;
};

/// One month of a partner's returnee ledger (returnees.cpp).
struct ReturneeMonth {
  std::int64_t severe = 0;
  std::int64_t homeless = 0;
  std::int64_t remigration = 0;
  std::int64_t followed_change = 0;  // returnees starting follow-up this month, minus those ending it
};

/// An arrival drawn at the start of its month, placed on its day.
struct PendingArrival {
  std::uint32_t person;
  StartState start;
  double sentence_days;  // prison only
};

/// Everything a partner's day touches is its own (this struct, its persons,
/// its cells of the metrics), so partners' days can run in parallel; the one
/// resource partners share, detention beds, is arbitrated by the schedule.
struct PartnerState {
  std::uint32_t next_local_id = 0;      // persons are numbered within their partner
  Calendar calendar;                    // the partner's due events, by day
  std::deque<PendingArrival> arrivals;  // this month's, in order of arrival
  std::int64_t detained = 0;            // persons in a detained state (beds in use)
  /// Set by the schedule while no detention the partner can attempt today
  /// could find the beds full (custody::has_bed need not look).
  bool beds_assured = false;
  std::array<std::int64_t, person_state_count> stock{};
  DocumentDesk desk;
  ConductRecord conduct;
  std::deque<ScheduledEntry> scheduled;        // persons with a document, by readiness; cleaned lazily (flights.cpp)
  std::int64_t charter_number = 0;             // charters offered so far
  std::int32_t charter_phase_days = 0;         // the charter cycle's phase, drawn per replication (flights.cpp)
  std::deque<std::int32_t> charters_booked;    // days of charters booked after interview rounds, in order
  std::int64_t detained_minors = 0;            // minor children of the partner's detained persons (households.cpp)
  std::int64_t supervised_with_request = 0;    // on supervision with a request pending or a document issued
  std::vector<std::uint32_t> new_returnees;    // removed this month, in removal order (returnees.cpp)
  std::vector<ReturneeMonth> returnee_ledger;  // per month of the horizon: what returnees' drawn events add up to
  std::int64_t returnees_followed = 0;
  Diplomacy diplomacy;
  AmendmentStatus amendments;
  std::vector<LoggedEvent> day_log;  // events logged in the partner's day, until the schedule merges them
};

/// A sanction decision waiting for its effect day. A weighed one (a
/// proposal) takes effect only if, by then, the evidence justifies it given
/// the partner's standing; otherwise it waits (decisions.cpp).
struct PendingSanction {
  std::int32_t effect_day;
  std::size_t partner;
  std::int64_t step;
  bool weighed = false;
};

/// An agreed amendment waiting for its entry into force.
struct PendingAmendment {
  std::int32_t effect_day;
  std::size_t partner;
  AmendmentKind amendment;
};

/// The scenario's names resolved to indices once, so that no loop of the
/// engine compares strings. None of these names can change in a run.
struct ResolvedNames {
  std::vector<std::vector<std::size_t>> demand_category;  // [partner][demand entry]: index into visa_categories
  std::vector<std::vector<bool>> step_names_category;     // [ladder step][category]
  std::vector<std::vector<AmendmentKind>> requested;      // [partner]: amendments it asks for
  std::array<std::vector<bool>, amendment_kind_count> rule_applies;  // [amendment][partner]: in_force_from applies
};

struct World {
  World(const Scenario& scenario, std::uint64_t replication_index);

  const Scenario& base;  // as loaded; never changes
  Scenario now;          // the parameters in force today (the timeline changes them)
  std::uint64_t replication;
  std::int32_t days;     // days in the horizon
  std::int32_t day = 0;  // today, in days since the start
  int month = 0;         // the month flows are counted in
  Population people;
  std::vector<PartnerState> partners;
  std::vector<PendingSanction> pending_sanctions;
  std::vector<PendingAmendment> pending_amendments;
  std::vector<std::string> visa_categories;  // sorted; columns of the visa metrics
  ResolvedNames names;
  ReplicationResult result;
  /// True while partners' days run (perhaps in parallel): logging then goes
  /// to the partner's day log, which the schedule merges in partner order.
  bool partner_phase = false;

  const PartnerParams& params(std::size_t k) const { return now.partners[k]; }
  Date today() const { return base.start_date.plus_days(day); }
  /// `date` in days since the start.
  std::int32_t day_of(Date date) const { return date.days_since_epoch - base.start_date.days_since_epoch; }

  /// The person's (or partner's) stream for a purpose: keyed by identity,
  /// never by thread or order of work.
  RandomStream person_stream(std::uint32_t p, StreamPurpose purpose, std::uint64_t sequence = 0) const {
    return RandomStream(base.seed, replication, person_entity(people.partner[p], people.local_id[p]), purpose,
                        sequence);
  }
  RandomStream partner_stream(std::size_t k, StreamPurpose purpose, std::uint64_t sequence) const {
    return RandomStream(base.seed, replication, partner_entity(k), purpose, sequence);
  }

  double& metric(int m, std::size_t k, Metric metric_id) { return result.monthly.at(std::size_t(m), k, metric_id); }
  double metric(int m, std::size_t k, Metric metric_id) const {
    return result.monthly.at(std::size_t(m), k, metric_id);
  }
  /// A flow of the current month.
  double& flow(std::size_t k, Metric metric_id) { return metric(month, k, metric_id); }

  /// Schedules `event` on `day` in its partner's calendar.
  void schedule(std::int32_t on_day, const Event& event) { partners[event.partner].calendar.schedule(on_day, event); }

  void log(std::size_t k, std::string kind, std::string detail) {
    auto& events = partner_phase ? partners[k].day_log : result.events;
    events.push_back({day, k, std::move(kind), std::move(detail)});
  }
};

}  // namespace readmit
