// The schedule of a replication: a day, and a month's end, as scripts that
// call the sub-models of sim/model/ top to bottom. The order is the model's
// (docs/model.md, "Process overview and scheduling"); the reasons:
//
// Each day
//  1. the timeline's dated changes and partners' moves, then amendments
//     entering into force: a change dated today governs all of today;
//  2. on a month's first day, that month's arrivals are drawn (and their
//     persons created; each enters on its own day);
//  3. sanction decisions reaching their effect day take effect (before the
//     partner acts, so a step in force today counts today; the partner
//     answers at once, e.g. ends a halt); a proposal whose effect day has
//     passed takes effect once the evidence justifies it;
//  4. each partner's day, partners as if one after another in partner order
//     (they compete only for detention beds; custody.hpp runs them in
//     parallel wherever beds cannot run out, which gives the same result):
//     a. its due events in the order they were scheduled (one handler per
//        kind): arrivals, sentence ends, requests, decisions, custody
//        reviews, document expiries, relief;
//     b. officers start decisions (after the day's requests joined the queue);
//     c. interview rounds and raids;
//     d. flights (after decisions, so a document issued today can fly once
//        the itinerary notice allows);
//     e. the day's person-days, bed-days and child-days;
//  5. on a review day (every review_interval_days, not tied to months: the
//     US monitors continuously, the EU assesses yearly), each partner's
//     review, and the removing state's decision on it (decisions.cpp),
//     judged on the day's conduct; decisions without a lag take effect at
//     once.
// At a month's end, per partner (in parallel: each touches only its own
// state): stocks, coverage (on census months) and decision times are
// recorded, returnees followed, visas applied for; then, partner by partner,
// negotiation (a request opened or agreed). Only then does each partner set
// next month's cooperation, so it answers this month's sanctions, outcomes
// and agreements; then, partner by partner, its stance is followed (a halt
// starting or ending is logged). The snapshot of the relationship comes
// last.
#include "readmit/engine/replication.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <chrono>
#include <vector>

#include "readmit/model/accounting.hpp"
#include "readmit/model/amendments.hpp"
#include "readmit/model/cooperation.hpp"
#include "readmit/model/custody.hpp"
#include "readmit/model/decisions.hpp"
#include "readmit/model/documents.hpp"
#include "readmit/model/flights.hpp"
#include "readmit/model/households.hpp"
#include "readmit/model/interviews.hpp"
#include "readmit/model/negotiation.hpp"
#include "readmit/model/pipeline.hpp"
#include "readmit/model/returnees.hpp"
#include "readmit/model/review.hpp"
#include "readmit/model/sanctions.hpp"
#include "readmit/model/synthesis.hpp"
#include "readmit/model/timeline.hpp"
#include "readmit/model/visas.hpp"
#include "readmit/model/world.hpp"

namespace readmit {

namespace {

void handle(World& world, const Event& e) {
  switch (e.kind) {
    case EventKind::arrival:
      synthesis::on_arrival(world, e.partner, e.person);
      break;
    case EventKind::sentence_end:
      custody::on_sentence_end(world, e.person);
      break;
    case EventKind::request_due:
      documents::on_request_due(world, e.person, e.guard);
      break;
    case EventKind::decision:
      documents::on_decision(world, e.person, e.guard);
      break;
    case EventKind::custody_review:
      custody::on_custody_review(world, e.person, e.guard);
      break;
    case EventKind::document_expiry:
      documents::on_document_expiry(world, e.person, e.guard);
      break;
    case EventKind::relief:
      pipeline::on_relief(world, e.person);
      break;
  }
}

/// The most detentions partner k can attempt today: events that may detain
/// (a sentence's end, an arrival, a document issued to a person on
/// supervision) and a raid. Handlers add only requests to today's events.
std::int64_t detention_bound(const World& world, std::size_t k) {
  std::int64_t bound = interviews::raid_bound(world, k);
  for (const Event& e : world.partners[k].calendar.bucket(world.day))
    bound += e.kind == EventKind::sentence_end || e.kind == EventKind::arrival || e.kind == EventKind::decision;
  return bound;
}

void run_partner_day(World& world, std::size_t k) {
  auto& bucket = world.partners[k].calendar.bucket(world.day);
  // By index: handlers may append to today's bucket, which invalidates iterators.
  for (std::size_t i = 0; i < bucket.size(); ++i) handle(world, bucket[i]);  // NOLINT(modernize-loop-convert)
  bucket.clear();
  bucket.shrink_to_fit();
  documents::start_decisions(world, k);
  interviews::run_cycle(world, k);
  flights::fly(world, k);
  pipeline::count_day(world, k);
  custody::count_day(world, k);
  households::count_day(world, k);
}

/// Runs partner_work(k) for every partner in parallel (each touches only its own state).
template <class PartnerWork>
void for_each_partner(World& world, PartnerWork&& partner_work) {
  if (world.partners.size() == 1) {
    partner_work(std::size_t{0});
    return;
  }
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, world.partners.size(), 1),
      [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t k = range.begin(); k != range.end(); ++k) partner_work(k);
      },
      tbb::simple_partitioner());
}

void run_day(World& world, std::size_t& next_timeline_entry, bool month_begins, std::vector<std::int64_t>& bounds) {
  timeline::apply_due(world, next_timeline_entry);
  amendments::enter_into_force(world);
  if (month_begins) synthesis::schedule_arrivals(world, world.month);
  sanctions::apply_due(world);
  for (std::size_t k = 0; k < world.partners.size(); ++k) bounds[k] = detention_bound(world, k);
  world.partner_phase = true;  // events logged now wait in their partner's day log
  custody::for_each_partner_sharing_beds(world, bounds, [&](std::size_t k) { run_partner_day(world, k); });
  world.partner_phase = false;
  for (auto& partner : world.partners) {  // in partner order, as if the partners' days had run one by one
    world.result.events.insert(world.result.events.end(), partner.day_log.begin(), partner.day_log.end());
    partner.day_log.clear();
  }
  if (review::due_today(world)) {
    // Pruning and measuring touch only each partner's own records (in
    // parallel); holding the reviews and answering them logs and decides in
    // partner order.
    std::vector<ReviewMeasures> measures(world.partners.size());
    for_each_partner(world, [&](std::size_t k) {
      review::prune(world, k);
      measures[k] = review::measure(world, k);
    });
    for (std::size_t k = 0; k < world.partners.size(); ++k)
      decisions::respond_to_review(world, k, review::hold(world, k, measures[k]).compliance_class);
    sanctions::apply_due(world);
  }
}

void close_month(World& world) {
  const int month = world.month;
  std::vector<accounting::Coverage> coverage;
  if (accounting::census_month(month)) coverage = accounting::coverage_census(world);
  for_each_partner(world, [&](std::size_t k) {
    accounting::record_stocks(world, k, month);
    accounting::record_coverage(world, k, month, coverage.empty() ? nullptr : &coverage[k]);
    documents::close_month(world, k, month);
    returnees::follow(world, k, month);
    visas::demand(world, k, month);
  });
  for (std::size_t k = 0; k < world.partners.size(); ++k) negotiation::month_end(world, k, month);
  for_each_partner(world, [&](std::size_t k) { cooperation::update(world, k, month); });
  for (std::size_t k = 0; k < world.partners.size(); ++k) {
    negotiation::follow_stance(world, k);
    accounting::record_diplomacy(world, k, month);
  }
}

}  // namespace

ReplicationResult run_replication(const Scenario& scenario, std::uint64_t replication) {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  World world(scenario, replication);
  synthesis::synthesize_docket(world);
  cooperation::start(world);
  decisions::start(world);
  interviews::start(world);
  flights::start(world);
  const auto synthesized = Clock::now();
  std::size_t next_timeline_entry = 0;
  std::vector<std::int64_t> bounds(world.partners.size());
  Date month_end = scenario.start_date.plus_months(1);
  bool month_begins = true;
  const int last_month = int(scenario.horizon_months) - 1;
  for (world.day = 0; world.day < world.days; ++world.day) {
    run_day(world, next_timeline_entry, month_begins, bounds);
    month_begins = world.today().plus_days(1) == month_end;
    if (month_begins) {
      close_month(world);
      if (world.month == last_month) break;
      ++world.month;
      month_end = scenario.start_date.plus_months(world.month + 1);
    }
  }
  world.result.persons = world.people.size();
  world.result.timings = {std::chrono::duration<double>(synthesized - started).count(),
                          std::chrono::duration<double>(Clock::now() - synthesized).count()};
  return std::move(world.result);
}

}  // namespace readmit
