// The schedule of a replication: a day, and a month's end, as scripts that
// call the sub-models of sim/model/ top to bottom. The order is the model's
// (docs/model.md, "Process overview and scheduling"); the reasons:
//
// Each day
//  1. the timeline's dated changes and partners' moves, then amendments
//     entering into force: a change dated today governs all of today;
//  2. on a month's first day, that month's arrivals are drawn and scheduled;
//  3. sanction decisions reaching their effect day take effect (before the
//     partner acts, so a step in force today counts today; the partner
//     answers at once, e.g. ends a halt);
//  4. due events in the order they were scheduled (one handler per kind):
//     arrivals, sentence ends, requests, decisions, custody reviews,
//     document expiries, relief;
//  5. per partner, in partner order: officers start decisions (after the
//     day's requests joined the queue), interview rounds and raids, then
//     flights (after decisions, so a document issued today can fly once the
//     itinerary notice allows);
//  6. on a review day (every review_interval_days, not tied to months: the
//     US monitors continuously, the EU assesses yearly), each partner's
//     review and the sanction rule's answer, judged on the day's conduct;
//     decisions without a lag take effect at once;
//  7. the day's person-days, bed-days and child-days are counted.
// At a month's end, per partner: stocks, coverage and decision times are
// recorded, returnees followed, visas applied for, then negotiation (a halt
// reconsidered, a request opened or agreed). Only then does each partner set
// next month's cooperation, so it answers this month's sanctions, outcomes
// and agreements. The snapshot of the relationship comes last.
#include "readmit/engine/replication.hpp"

#include "readmit/model/accounting.hpp"
#include "readmit/model/amendments.hpp"
#include "readmit/model/cooperation.hpp"
#include "readmit/model/custody.hpp"
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
      synthesis::on_arrival(world, e.partner);
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

void handle_due_events(World& world) {
  auto& bucket = world.calendar.bucket(world.day);
  for (std::size_t i = 0; i < bucket.size(); ++i) handle(world, bucket[i]);  // handlers may append to today
  bucket.clear();
  bucket.shrink_to_fit();
}

void run_day(World& world, std::size_t& next_timeline_entry, bool month_begins) {
  timeline::apply_due(world, next_timeline_entry);
  amendments::enter_into_force(world);
  if (month_begins) synthesis::schedule_arrivals(world, world.month);
  sanctions::apply_due(world);
  handle_due_events(world);
  for (std::size_t k = 0; k < world.partners.size(); ++k) {
    documents::start_decisions(world, k);
    interviews::run_cycle(world, k);
    flights::fly(world, k);
  }
  if (review::due_today(world)) {
    for (std::size_t k = 0; k < world.partners.size(); ++k)
      sanctions::respond_to_review(world, k, review::hold(world, k).compliance_class);
    sanctions::apply_due(world);
  }
  pipeline::count_day(world);
  custody::count_day(world);
  households::count_day(world);
}

void close_month(World& world) {
  const int month = world.month;
  const auto census = accounting::census(world);
  for (std::size_t k = 0; k < world.partners.size(); ++k) {
    accounting::record_stocks(world, k, month, census[k]);
    documents::close_month(world, k, month);
    returnees::follow(world, k, month);
    visas::demand(world, k, month);
    negotiation::month_end(world, k, month);
  }
  for (std::size_t k = 0; k < world.partners.size(); ++k) {
    cooperation::update(world, k, month);
    accounting::record_diplomacy(world, k, month);
  }
}

}  // namespace

ReplicationResult run_replication(const Scenario& scenario, std::uint64_t replication) {
  World world(scenario, replication);
  synthesis::synthesize_docket(world);
  cooperation::start(world);
  std::size_t next_timeline_entry = 0;
  Date month_end = scenario.start_date.plus_months(1);
  bool month_begins = true;
  const int last_month = int(scenario.horizon_months) - 1;
  for (world.day = 0; world.day < world.days; ++world.day) {
    run_day(world, next_timeline_entry, month_begins);
    month_begins = world.today().plus_days(1) == month_end;
    if (month_begins) {
      close_month(world);
      if (world.month == last_month) break;
      ++world.month;
      month_end = scenario.start_date.plus_months(world.month + 1);
    }
  }
  world.result.persons = world.people.size();
  return std::move(world.result);
}

}  // namespace readmit
