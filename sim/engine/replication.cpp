// The daily loop of one replication. Read `Replication::run` top to bottom:
// timeline, arrivals, due events (sentences, requests, decisions, custody
// reviews, document expiry, relief), the partners' document queues,
// interview rounds and raids, flights, daily tallies, and at each month's
// end partner cooperation, returnee follow-up and the monthly snapshot.
#include "readmit/engine/replication.hpp"

#include <algorithm>
#include <cmath>
#include <deque>

#include "readmit/scenario/parameters.hpp"
#include "readmit/stats/quantiles.hpp"

namespace readmit {

std::string_view person_state_name(PersonState state) {
  static constexpr std::string_view names[] = {"prison",     "detained", "awaiting_document",
                                               "scheduled",  "supervised", "removed",
                                               "relief",     "exempted", "unremovable"};
  return names[std::size_t(state)];
}

namespace {

enum class EventKind : std::uint8_t { arrival, sentence_end, request_due, decision, custody_review, document_expiry, relief };

struct Event {
  std::uint32_t person;
  EventKind kind;
  std::int32_t check;  // the value the person's record must still hold for the event to apply
};

/// Per-day buckets: a day touches only the persons with something due.
class Calendar {
 public:
  explicit Calendar(std::int32_t days) : buckets_(std::size_t(days)) {}
  void schedule(std::int32_t day, Event event) {
    if (day >= 0 && std::size_t(day) < buckets_.size()) buckets_[std::size_t(day)].push_back(event);
  }
  // Events may schedule more events for the same day, so the bucket is read by index.
  std::vector<Event>& bucket(std::int32_t day) { return buckets_[std::size_t(day)]; }

 private:
  std::vector<std::vector<Event>> buckets_;
};

struct QueueEntry {
  std::uint32_t person;
  std::uint16_t request_number;
};

/// A scheduled person and the state token they had when scheduled.
struct ScheduledEntry {
  std::uint32_t person;
  std::uint32_t token;
};

struct PartnerRuntime {
  double cooperation = 1.0;
  std::int64_t sanction_step = 0;
  std::uint32_t next_local_id = 0;
  std::deque<QueueEntry> awaiting_interview;  // lazily cleaned
  std::deque<QueueEntry> queue;               // lazily cleaned
  std::int64_t queued = 0;                    // exact number of valid queue entries
  std::int64_t awaiting_interview_count = 0;  // exact number of valid awaiting_interview entries
  std::int64_t in_decision = 0;
  std::deque<ScheduledEntry> scheduled;       // by readiness; lazily cleaned
  std::int64_t detained_minors = 0;
  std::int64_t round_number = 0;
  bool round_planned = false;
  std::int64_t charter_number = 0;
  std::vector<std::uint32_t> returnees;       // in follow-up
  std::deque<std::int64_t> severe_by_month;   // last 12 months, for backlash
  std::vector<double> decision_days;          // this month
};

class Replication {
 public:
  Replication(const Scenario& scenario, std::uint64_t replication)
      : base_(scenario),
        now_(scenario),
        replication_(replication),
        days_(scenario.end_date().days_since_epoch - scenario.start_date.days_since_epoch),
        calendar_(days_),
        result_{MonthlySeries(std::size_t(scenario.horizon_months), scenario.partners.size(),
                              monthly_column_names(scenario).size()),
                {}, 0, {}, {}},
        partners_(scenario.partners.size()) {
    result_.tallies.resize(scenario.partners.size());
    result_.days_request_to_removal.resize(scenario.partners.size());
  }

  ReplicationResult run() {
    synthesize_docket();
    std::size_t next_timeline = 0;
    int month = 0;
    Date month_end = base_.start_date.plus_months(1);
    bool month_begins = true;
    for (day_ = 0; day_ < days_; ++day_) {
      const Date today = base_.start_date.plus_days(day_);
      while (next_timeline < base_.timeline.size() && base_.timeline[next_timeline].date <= today)
        apply_timeline(base_.timeline[next_timeline++]);
      if (month_begins) schedule_month_arrivals(month);
      month_begins = false;
      apply_due_sanctions();
      process_events();
      for (std::size_t k = 0; k < partners_.size(); ++k) {
        start_decisions(k);
        interview_cycle(k);
        flights(k);
      }
      tally_day(month);
      if (today.plus_days(1) == month_end) {
        close_month(month);
        ++month;
        month_end = base_.start_date.plus_months(month + 1);
        month_begins = true;
      }
    }
    result_.persons = people_.size();
    return std::move(result_);
  }

 private:
  // ---- helpers ----
  const PartnerParams& params(std::size_t k) const { return now_.partners[k]; }
  RandomStream person_stream(std::uint32_t p, StreamPurpose purpose, std::uint64_t sequence = 0) const {
    return RandomStream(base_.seed, replication_, person_entity(people_.partner[p], people_.local_id[p]), purpose, sequence);
  }
  RandomStream partner_stream(std::size_t k, StreamPurpose purpose, std::uint64_t sequence) const {
    return RandomStream(base_.seed, replication_, partner_entity(k), purpose, sequence);
  }
  double& metric(int month, std::size_t k, Metric m) { return result_.monthly.at(std::size_t(month), k, m); }
  double& flow(std::size_t k, Metric m) { return metric(current_month_, k, m); }
  StateTally& tally(std::uint32_t p, PersonState s) { return result_.tallies[people_.partner[p]][std::size_t(s)]; }

  std::int64_t document_servers(std::size_t k) const {
    return std::llround(double(params(k).agreement.document_officers) * partners_[k].cooperation);
  }

  void set_state(std::uint32_t p, PersonState next) {
    const std::size_t k = people_.partner[p];
    if (state_since_[p] == no_day) {  // first placement of a new person: an entry, no exit
      place(p, next);
      return;
    }
    const PersonState previous = people_.state[p];
    if (is_detained(previous) && !is_detained(next)) {
      partners_[k].detained_minors -= people_.detained_minors[p];
      people_.detained_minors[p] = 0;
      --detained_total_;
    } else if (!is_detained(previous) && is_detained(next)) {
      people_.detained_minors[p] = std::uint8_t(std::min(255, people_.minor_children(p, day_)));
      partners_[k].detained_minors += people_.detained_minors[p];
      ++detained_total_;
    }
    StateTally& out = tally(p, previous);
    out.exits += 1;
    out.completed_stay_days += double(day_ - state_since_[p]);
    tally(p, next).entries += 1;
    state_since_[p] = day_;
    ++stock_[k][std::size_t(next)];
    --stock_[k][std::size_t(previous)];
    people_.state[p] = next;
    ++people_.token[p];
  }

  void set_request(std::uint32_t p, RequestStatus next) {
    const std::size_t k = people_.partner[p];
    auto& partner = partners_[k];
    if (people_.request[p] == RequestStatus::queued) {
      --partner.queued;
      auto& t = result_.tallies[k][document_queue_tally];
      t.exits += 1;
      t.completed_stay_days += double(day_ - queued_since_[p]);
    }
    if (next == RequestStatus::queued) {
      ++partner.queued;
      result_.tallies[k][document_queue_tally].entries += 1;
      queued_since_[p] = day_;
      partner.queue.push_back({p, people_.requests_made[p]});
    }
    if (people_.request[p] == RequestStatus::awaiting_interview) --partner.awaiting_interview_count;
    if (next == RequestStatus::awaiting_interview) {
      ++partner.awaiting_interview_count;
      partner.awaiting_interview.push_back({p, people_.requests_made[p]});
    }
    people_.request[p] = next;
  }

  bool has_bed() const { return detained_total_ < now_.removing_state.detention_beds; }

  /// Creates a person with attributes but no state yet; place() or the
  /// first set_state() gives them one.
  std::uint32_t add_person(std::size_t k) {
    const auto id = partners_[k].next_local_id++;
    const std::uint32_t p = people_.add(std::uint16_t(k), id);
    state_since_.push_back(no_day);
    queued_since_.push_back(0);
    draw_attributes(p);
    return p;
  }

  void place(std::uint32_t p, PersonState initial) {
    const std::size_t k = people_.partner[p];
    state_since_[p] = day_;
    people_.state[p] = initial;
    ++stock_[k][std::size_t(initial)];
    tally(p, initial).entries += 1;
    if (is_detained(initial)) {
      ++detained_total_;
      people_.detained_minors[p] = std::uint8_t(std::min(255, people_.minor_children(p, day_)));
      partners_[k].detained_minors += people_.detained_minors[p];
    }
    ++people_.token[p];
  }

  void draw_attributes(std::uint32_t p) {
    const auto& pop = params(people_.partner[p]).population;
    auto rng = person_stream(p, StreamPurpose::person_attributes);
    people_.entry_day[p] = day_;
    people_.age_at_arrival_years[p] = float(draw(pop.age_at_arrival_years, rng));
    people_.years_resident_at_entry[p] = float(draw(pop.years_resident, rng));
    people_.entry_status[p] = EntryStatus(draw_category(pop.entry_status_shares.data(), 3, rng));
    people_.offense[p] = Offense(draw_category(pop.offense_shares.data(), 4, rng));
    people_.spouse[p] = SpouseStatus(draw_category(pop.spouse_shares.data(), 3, rng));
    people_.mental_health[p] = MentalHealthRisk(draw_category(pop.mental_health_risk_shares.data(), 3, rng));
    people_.ties[p] = TiesToPartner(draw_category(pop.ties_shares.data(), 3, rng));
    people_.main_earner[p] = rng.bernoulli(pop.main_earner_prob);
    const int children = int(std::floor(draw(pop.children_count, rng)));
    people_.children_count[p] = std::uint8_t(std::clamp(children, 0, 255));
    for (int c = 0; c < people_.children_count[p]; ++c)
      people_.child_age_at_entry.push_back(float(draw(pop.child_age_years, rng)));
    // Relief is a constant monthly hazard: draw its time once.
    const double hazard = now_.removing_state.relief_hazard_per_month;
    if (hazard > 0.0) {
      auto relief_rng = person_stream(p, StreamPurpose::person_relief);
      const double rate_per_day = -std::log1p(-std::min(hazard, 0.999999)) / 30.436875;
      const double wait = -std::log1p(-relief_rng.uniform01()) / rate_per_day;
      if (wait < double(days_)) calendar_.schedule(day_ + std::int32_t(wait), {p, EventKind::relief, 0});
    }
  }

  // ---- population ----
  void synthesize_docket() {
    stock_.assign(partners_.size(), {});
    for (std::size_t k = 0; k < partners_.size(); ++k) {
      partners_[k].cooperation = params(k).cooperation.initial;
      const auto& pop = params(k).population;
      for (std::int64_t i = 0; i < pop.docket_at_start; ++i) {
        const std::uint32_t p = add_person(k);
        auto rng = person_stream(p, StreamPurpose::person_attributes, 1);
        const auto start = StartState(draw_category(pop.initial_state_shares.data(), 3, rng));
        place_new_person(p, start, rng);
        if (start == StartState::supervised && rng.bernoulli(pop.pending_request_prob)) {
          // Old requests: the backlog reached back years (ICE, 2017). They
          // are part of the initial state, not of month 0's flow.
          send_request(p, /*counted=*/false);
          people_.request_day[p] = people_.first_request_day[p] = -std::int32_t(rng.uniform01() * 3650.0);
        }
      }
    }
  }

  void schedule_month_arrivals(int month) {
    const Date first = base_.start_date.plus_months(month);
    const std::int32_t first_day = first.days_since_epoch - base_.start_date.days_since_epoch;
    const std::int32_t length = first.plus_months(1).days_since_epoch - first.days_since_epoch;
    for (std::size_t k = 0; k < partners_.size(); ++k) {
      auto rng = partner_stream(k, StreamPurpose::partner_arrivals, std::uint64_t(month));
      const std::int64_t count = draw_poisson(params(k).population.inflow_per_month, rng);
      std::vector<std::int32_t> days;
      for (std::int64_t i = 0; i < count; ++i) days.push_back(first_day + std::int32_t(rng.uniform01() * length));
      std::sort(days.begin(), days.end());
      // Arrivals are created when due; the partner index rides in `check`.
      for (auto d : days) calendar_.schedule(d, {0, EventKind::arrival, std::int32_t(k)});
    }
  }

  void arrive(std::size_t k) {
    const std::uint32_t p = add_person(k);
    flow(k, Metric::arrivals) += 1;
    auto rng = person_stream(p, StreamPurpose::person_attributes, 1);
    place_new_person(p, StartState(draw_category(params(k).population.inflow_state_shares.data(), 3, rng)), rng);
  }

  void place_new_person(std::uint32_t p, StartState start, RandomStream& rng) {
    switch (start) {
      case StartState::prison: {
        set_state(p, PersonState::prison);
        const double days = draw(params(people_.partner[p]).population.sentence_remaining_days, rng);
        calendar_.schedule(day_ + std::max<std::int32_t>(1, std::int32_t(std::lround(days))),
                           {p, EventKind::sentence_end, 0});
        break;
      }
      case StartState::detained: begin_detention(p); break;
      case StartState::supervised: set_state(p, PersonState::supervised); break;
    }
  }

  // ---- the case pipeline ----
  void begin_detention(std::uint32_t p) {
    const std::size_t k = people_.partner[p];
    if (!has_bed()) {
      set_state(p, PersonState::supervised);
      flow(k, Metric::released_no_bed) += 1;
      calendar_.schedule(day_ + std::int32_t(now_.removing_state.request_lag_days), {p, EventKind::request_due, people_.requests_made[p]});
      return;
    }
    set_state(p, PersonState::detained);
    flow(k, Metric::detentions) += 1;
    people_.detention_start[p] = day_;
    calendar_.schedule(day_ + std::int32_t(now_.removing_state.request_lag_days), {p, EventKind::request_due, people_.requests_made[p]});
    schedule_custody_review(p, std::int32_t(now_.removing_state.custody_review_days));
  }

  void schedule_custody_review(std::uint32_t p, std::int32_t after_days) {
    calendar_.schedule(day_ + after_days, {p, EventKind::custody_review, people_.detention_start[p]});
  }

  /// Re-detains a person on supervision; with a document they are scheduled.
  bool redetain(std::uint32_t p) {
    if (!has_bed()) return false;
    const bool has_document = people_.request[p] == RequestStatus::issued;
    set_state(p, has_document ? PersonState::scheduled : PersonState::awaiting_document);
    people_.detention_start[p] = day_;
    if (has_document) make_ready(p);
    schedule_custody_review(p, std::int32_t(now_.removing_state.custody_review_days));
    return true;
  }

  void make_ready(std::uint32_t p) {
    people_.ready_day[p] = day_;
    partners_[people_.partner[p]].scheduled.push_back({p, people_.token[p]});
  }

  void send_request(std::uint32_t p, bool counted = true) {
    const std::size_t k = people_.partner[p];
    ++people_.requests_made[p];
    people_.request_day[p] = day_;
    if (people_.first_request_day[p] == no_day) people_.first_request_day[p] = day_;
    if (counted) flow(k, Metric::requests) += 1;
    set_request(p, params(k).agreement.interview_required ? RequestStatus::awaiting_interview : RequestStatus::queued);
    if (people_.state[p] == PersonState::detained) set_state(p, PersonState::awaiting_document);
  }

  void withdraw_request(std::uint32_t p) { set_request(p, RequestStatus::none); }

  void end_case(std::uint32_t p, PersonState terminal) {
    withdraw_request(p);
    set_state(p, terminal);
  }

  void process_events() {
    auto& bucket = calendar_.bucket(day_);
    for (std::size_t i = 0; i < bucket.size(); ++i) {
      const Event e = bucket[i];
      if (e.kind == EventKind::arrival) {
        arrive(std::size_t(e.check));
        continue;
      }
      const std::uint32_t p = e.person;
      if (is_terminal(people_.state[p])) {
        if (e.kind == EventKind::decision) --partners_[people_.partner[p]].in_decision;
        continue;
      }
      switch (e.kind) {
        case EventKind::sentence_end:
          flow(people_.partner[p], Metric::prison_releases) += 1;
          begin_detention(p);
          break;
        case EventKind::request_due:
          if (e.check == people_.requests_made[p] &&
              (people_.request[p] == RequestStatus::none || people_.request[p] == RequestStatus::rerequest_due))
            send_request(p);
          break;
        case EventKind::decision: decide(p, e.check); break;
        case EventKind::custody_review:
          if (is_detained(people_.state[p]) && people_.detention_start[p] == e.check) custody_review(p);
          break;
        case EventKind::document_expiry:
          if (people_.request[p] == RequestStatus::issued && people_.document_expiry[p] == e.check) expire_document(p);
          break;
        case EventKind::relief:
          flow(people_.partner[p], Metric::relief) += 1;
          end_case(p, PersonState::relief);
          break;
        case EventKind::arrival: break;
      }
    }
    bucket.clear();
    bucket.shrink_to_fit();
  }

  void custody_review(std::uint32_t p) {
    const std::size_t k = people_.partner[p];
    if (people_.state[p] == PersonState::scheduled) {
      // Removal is foreseeable while a valid document exists: look again later.
      schedule_custody_review(p, 30);
      return;
    }
    auto rng = person_stream(p, StreamPurpose::person_custody, std::uint64_t(day_));
    if (rng.bernoulli(now_.removing_state.release_prob)) {
      flow(k, Metric::custody_releases) += 1;
      set_state(p, PersonState::supervised);
    } else {
      flow(k, Metric::custody_holds) += 1;
      schedule_custody_review(p, std::int32_t(now_.removing_state.custody_review_days));
    }
  }

  void start_decisions(std::size_t k) {
    auto& partner = partners_[k];
    const std::int64_t servers = document_servers(k);
    const auto& agreement = params(k).agreement;
    while (partner.in_decision < servers && !partner.queue.empty()) {
      const QueueEntry entry = partner.queue.front();
      partner.queue.pop_front();
      const std::uint32_t p = entry.person;
      if (people_.request[p] != RequestStatus::queued || people_.requests_made[p] != entry.request_number) continue;
      set_request(p, RequestStatus::in_decision);
      ++partner.in_decision;
      auto rng = person_stream(p, StreamPurpose::person_decision, 2u * entry.request_number);
      const double slowdown = 1.0 + agreement.decision_slowdown_at_zero_cooperation * (1.0 - partner.cooperation);
      const double days = draw(agreement.decision_time_days, rng) * slowdown;
      calendar_.schedule(day_ + std::max<std::int32_t>(1, std::int32_t(std::lround(days))),
                         {p, EventKind::decision, entry.request_number});
    }
  }

  void decide(std::uint32_t p, std::int32_t request_number) {
    const std::size_t k = people_.partner[p];
    auto& partner = partners_[k];
    --partner.in_decision;
    if (people_.request[p] != RequestStatus::in_decision || people_.requests_made[p] != request_number) return;
    const auto& agreement = params(k).agreement;
    flow(k, Metric::decisions) += 1;
    partner.decision_days.push_back(double(day_ - people_.request_day[p]));
    if (people_.age_at_arrival_years[p] < agreement.refuse_arrived_under_age_years) {
      flow(k, Metric::category_refusals) += 1;
      end_case(p, PersonState::unremovable);
      return;
    }
    auto rng = person_stream(p, StreamPurpose::person_decision, 2u * std::uint64_t(request_number) + 1);
    if (!rng.bernoulli(agreement.acceptance_base_prob * partner.cooperation)) {
      flow(k, Metric::denials) += 1;
      set_request(p, RequestStatus::rerequest_due);
      calendar_.schedule(day_ + std::int32_t(agreement.rerequest_lag_days), {p, EventKind::request_due, people_.requests_made[p]});
      return;
    }
    flow(k, Metric::acceptances) += 1;
    set_request(p, RequestStatus::issued);
    people_.document_expiry[p] = day_ + std::int32_t(agreement.document_validity_days) - 1;
    calendar_.schedule(people_.document_expiry[p] + 1, {p, EventKind::document_expiry, people_.document_expiry[p]});
    if (people_.state[p] == PersonState::awaiting_document) {
      set_state(p, PersonState::scheduled);
      make_ready(p);
    } else if (people_.state[p] == PersonState::supervised) {
      if (rng.bernoulli(now_.removing_state.redetention_prob) && redetain(p)) flow(k, Metric::redetentions) += 1;
    }
  }

  void expire_document(std::uint32_t p) {
    const std::size_t k = people_.partner[p];
    flow(k, Metric::documents_expired) += 1;
    set_request(p, RequestStatus::rerequest_due);
    if (people_.state[p] == PersonState::scheduled) set_state(p, PersonState::awaiting_document);
    calendar_.schedule(day_ + 1, {p, EventKind::request_due, people_.requests_made[p]});
  }

  // Interview rounds at detention centres, prepared by raids on the
  // non-detained docket `raid_lead_days` before.
  void interview_cycle(std::size_t k) {
    const auto& agreement = params(k).agreement;
    auto& partner = partners_[k];
    if (!agreement.interview_required) {
      // Requests left waiting when the timeline drops interviews go to the officers.
      for (const QueueEntry& entry : partner.awaiting_interview)
        if (people_.request[entry.person] == RequestStatus::awaiting_interview &&
            people_.requests_made[entry.person] == entry.request_number)
          set_request(entry.person, RequestStatus::queued);
      partner.awaiting_interview.clear();
      return;
    }
    const std::int32_t interval = std::int32_t(agreement.interview_interval_days);
    const std::int32_t lead = std::int32_t(std::min<std::int64_t>(now_.removing_state.raid_lead_days, interval - 1));
    const std::int32_t phase = (day_ + lead) % interval;
    if (phase == interval - 1) {  // raid day: the partner has agreed to the round, or not
      auto rng = partner_stream(k, StreamPurpose::partner_interviews, std::uint64_t(partner.round_number));
      partner.round_planned = document_servers(k) > 0 && rng.bernoulli(partner.cooperation);
      if (partner.round_planned) raid(k);
    }
    if ((day_ + 1) % interval == 0) {  // round day
      if (partner.round_planned) interview_round(k);
      partner.round_planned = false;
      ++partner.round_number;
    }
  }

  void raid(std::size_t k) {
    std::int64_t left = now_.removing_state.raid_size;
    for (const QueueEntry& entry : partners_[k].awaiting_interview) {
      if (left <= 0) break;
      const std::uint32_t p = entry.person;
      if (people_.request[p] != RequestStatus::awaiting_interview || people_.requests_made[p] != entry.request_number ||
          people_.state[p] != PersonState::supervised)
        continue;
      if (!redetain(p)) break;
      flow(k, Metric::raid_detentions) += 1;
      --left;
    }
  }

  void interview_round(std::size_t k) {
    auto& partner = partners_[k];
    std::int64_t left = params(k).agreement.interview_round_size;
    std::deque<QueueEntry> waiting;
    flow(k, Metric::interview_rounds) += 1;
    for (const QueueEntry& entry : partner.awaiting_interview) {
      const std::uint32_t p = entry.person;
      if (people_.request[p] != RequestStatus::awaiting_interview || people_.requests_made[p] != entry.request_number) continue;
      if (left > 0 && people_.state[p] == PersonState::awaiting_document) {
        --left;
        flow(k, Metric::interviews) += 1;
        set_request(p, RequestStatus::queued);
      } else {
        waiting.push_back(entry);
      }
    }
    partner.awaiting_interview = std::move(waiting);
  }

  void flights(std::size_t k) {
    const auto& f = params(k).flights;
    if (f.commercial_seats_per_week > 0 && (day_ + 1) % 7 == 0) board(k, f.commercial_seats_per_week);
    if (f.charter_interval_days > 0 && day_ >= f.charter_offset_days &&
        (day_ - f.charter_offset_days) % f.charter_interval_days == 0) {
      auto& partner = partners_[k];
      auto rng = partner_stream(k, StreamPurpose::partner_charters, std::uint64_t(partner.charter_number++));
      if (!rng.bernoulli(f.charter_acceptance_base_prob * partner.cooperation)) {
        if (eligible_count(k) > 0) flow(k, Metric::charters_refused) += 1;
        return;
      }
      if (board(k, f.charter_seats) > 0) flow(k, Metric::charters_flown) += 1;
    }
  }

  bool eligible(std::uint32_t p, const ScheduledEntry& entry) const {
    return people_.state[p] == PersonState::scheduled && people_.token[p] == entry.token &&
           people_.ready_day[p] <= day_ - now_.removing_state.itinerary_notice_days && people_.document_expiry[p] >= day_;
  }

  std::int64_t eligible_count(std::size_t k) const {
    std::int64_t n = 0;
    for (const auto& entry : partners_[k].scheduled) n += eligible(entry.person, entry) ? 1 : 0;
    return n;
  }

  /// Boards up to `seats` eligible scheduled persons; returns how many flew.
  std::int64_t board(std::size_t k, std::int64_t seats) {
    auto& partner = partners_[k];
    std::deque<ScheduledEntry> keep;
    std::int64_t flown = 0;
    for (const ScheduledEntry& entry : partner.scheduled) {
      const std::uint32_t p = entry.person;
      if (people_.state[p] != PersonState::scheduled || people_.token[p] != entry.token) continue;  // stale
      if (seats <= 0 || !eligible(p, entry)) {
        keep.push_back(entry);
        continue;
      }
      --seats;
      auto rng = person_stream(p, StreamPurpose::person_flight, people_.flights_missed[p]);
      if (rng.bernoulli(now_.removing_state.flight_dropoff_prob)) {
        ++people_.flights_missed[p];
        flow(k, Metric::flight_dropoffs) += 1;
        if (rng.bernoulli(now_.removing_state.dropoff_relief_prob)) {
          flow(k, Metric::relief) += 1;
          end_case(p, PersonState::relief);
        } else {
          // A stay voids the document; the request starts again later.
          flow(k, Metric::stay_releases) += 1;
          set_request(p, RequestStatus::rerequest_due);
          set_state(p, PersonState::supervised);
          calendar_.schedule(day_ + std::int32_t(params(k).agreement.rerequest_lag_days),
                             {p, EventKind::request_due, people_.requests_made[p]});
        }
        continue;
      }
      remove(p);
      ++flown;
    }
    partner.scheduled = std::move(keep);
    return flown;
  }

  void remove(std::uint32_t p) {
    const std::size_t k = people_.partner[p];
    flow(k, Metric::removals) += 1;
    household_on_removal(p);
    set_request(p, RequestStatus::none);
    set_state(p, PersonState::removed);
    people_.removal_day[p] = day_;
    result_.days_request_to_removal[k].push_back(float(day_ - people_.first_request_day[p]));
    partners_[k].returnees.push_back(p);
  }

  void household_on_removal(std::uint32_t p) {
    const std::size_t k = people_.partner[p];
    const auto& h = params(k).household;
    const int minors = people_.minor_children(p, day_);
    const SpouseStatus spouse = people_.spouse[p];
    if (spouse == SpouseStatus::none && minors == 0) return;  // no household in the removing state
    double follow = spouse == SpouseStatus::citizen    ? h.follow_prob_citizen_spouse
                    : spouse == SpouseStatus::resident ? h.follow_prob_resident_spouse
                                                       : h.follow_prob_no_spouse;
    if (minors > 0 && people_.youngest_child_age(p, day_) < h.young_child_age_years) follow *= h.young_child_follow_multiplier;
    auto rng = person_stream(p, StreamPurpose::person_household);
    if (rng.bernoulli(std::min(1.0, follow))) {
      flow(k, Metric::households_followed) += 1;
      return;
    }
    flow(k, Metric::children_affected) += minors;
    if (people_.main_earner[p]) flow(k, Metric::main_earners_lost) += 1;
  }

  // ---- timeline and sanctions ----
  void apply_timeline(const TimelineEvent& event) {
    for (const auto& assignment : event.assignments) assignment.spec->set(now_, assignment.keys, assignment.value);
    if (event.sanction) {
      const auto lag = std::int32_t(now_.sanctions.effect_lag_days);
      pending_sanctions_.push_back({day_ + lag, event.sanction->partner, event.sanction->step});
    }
  }

  void apply_due_sanctions() {
    for (auto it = pending_sanctions_.begin(); it != pending_sanctions_.end();) {
      if (it->effect_day <= day_) {
        const auto steps = std::int64_t(now_.sanctions.active_ladder().steps.size());
        partners_[it->partner].sanction_step = std::clamp<std::int64_t>(it->step, 0, steps);
        it = pending_sanctions_.erase(it);
      } else {
        ++it;
      }
    }
  }

  double sanction_pressure(std::size_t k) const {
    const auto& steps = now_.sanctions.active_ladder().steps;
    double pressure = 0.0;
    for (std::int64_t s = 0; s < partners_[k].sanction_step && s < std::int64_t(steps.size()); ++s)
      pressure += steps[std::size_t(s)].pressure_weight;
    return pressure;
  }

  // ---- daily and monthly accounting ----
  void tally_day(int month) {
    for (std::size_t k = 0; k < partners_.size(); ++k) {
      const auto& s = stock_[k];
      const double detained = double(s[std::size_t(PersonState::detained)] + s[std::size_t(PersonState::awaiting_document)] +
                                     s[std::size_t(PersonState::scheduled)]);
      metric(month, k, Metric::bed_days) += detained;
      metric(month, k, Metric::detention_cost_usd) += detained * now_.removing_state.detention_cost_per_day_usd;
      metric(month, k, Metric::child_days_separated) += double(partners_[k].detained_minors);
      auto& tallies = result_.tallies[k];
      for (std::size_t st = 0; st < person_state_count; ++st) tallies[st].person_days += double(s[st]);
      tallies[document_queue_tally].person_days += double(partners_[k].queued);
    }
  }

  void close_month(int month) {
    const auto with_request = supervised_with_request_by_partner();
    for (std::size_t k = 0; k < partners_.size(); ++k) {
      auto& partner = partners_[k];
      const auto& s = stock_[k];
      auto stock = [&](PersonState st) { return double(s[std::size_t(st)]); };
      metric(month, k, Metric::stock_prison) = stock(PersonState::prison);
      metric(month, k, Metric::stock_detained) = stock(PersonState::detained);
      metric(month, k, Metric::stock_awaiting_document) = stock(PersonState::awaiting_document);
      metric(month, k, Metric::stock_scheduled) = stock(PersonState::scheduled);
      metric(month, k, Metric::stock_supervised) = stock(PersonState::supervised);
      metric(month, k, Metric::stock_removed) = stock(PersonState::removed);
      metric(month, k, Metric::stock_relief) = stock(PersonState::relief);
      metric(month, k, Metric::stock_exempted) = stock(PersonState::exempted);
      metric(month, k, Metric::stock_unremovable) = stock(PersonState::unremovable);
      metric(month, k, Metric::stock_document_queue) = double(partner.queued);
      metric(month, k, Metric::stock_awaiting_interview) = double(partner.awaiting_interview_count);
      metric(month, k, Metric::stock_in_decision) = double(partner.in_decision);
      metric(month, k, Metric::stock_supervised_with_request) = with_request[k];
      if (partner.decision_days.empty()) {
        metric(month, k, Metric::decision_days_p50) = std::nan("");
        metric(month, k, Metric::decision_days_p90) = std::nan("");
      } else {
        const double probs[] = {0.5, 0.9};
        const auto q = quantiles(std::move(partner.decision_days), probs);
        metric(month, k, Metric::decision_days_p50) = q[0];
        metric(month, k, Metric::decision_days_p90) = q[1];
      }
      partner.decision_days.clear();
      follow_returnees(k, month);
      update_cooperation(k, month);
      metric(month, k, Metric::cooperation) = partner.cooperation;
      metric(month, k, Metric::sanction_step) = double(partner.sanction_step);
    }
    current_month_ = month + 1 < int(base_.horizon_months) ? month + 1 : month;
  }

  /// One pass over persons for every partner's count.
  std::vector<double> supervised_with_request_by_partner() const {
    std::vector<double> counts(partners_.size(), 0.0);
    for (std::size_t p = 0; p < people_.size(); ++p)
      if (people_.state[p] == PersonState::supervised && people_.request[p] != RequestStatus::none)
        counts[people_.partner[p]] += 1;
    return counts;
  }

  void update_cooperation(std::size_t k, int month) {
    auto& partner = partners_[k];
    const auto& c = params(k).cooperation;
    partner.severe_by_month.push_back(std::int64_t(metric(month, k, Metric::severe_outcomes)));
    if (partner.severe_by_month.size() > 12) partner.severe_by_month.pop_front();
    double recent_severe = 0;
    for (auto n : partner.severe_by_month) recent_severe += double(n);
    const double target =
        std::clamp(c.baseline + sanction_pressure(k) - c.backlash_per_severe_outcome * recent_severe, 0.0, 1.0);
    auto rng = partner_stream(k, StreamPurpose::partner_cooperation, std::uint64_t(month));
    const double noise = c.noise_sd > 0 ? draw_normal(0.0, c.noise_sd, rng) : 0.0;
    partner.cooperation =
        std::clamp(partner.cooperation + c.adjustment_speed_per_month * (target - partner.cooperation) + noise, 0.0, 1.0);
  }

  void follow_returnees(std::size_t k, int month) {
    auto& partner = partners_[k];
    const auto& r = params(k).returnees;
    std::int64_t places = r.reintegration_capacity_per_month;
    std::vector<std::uint32_t> still;
    for (const std::uint32_t p : partner.returnees) {
      const int months_since = month - removal_month(p);
      if (months_since >= r.followup_months) continue;
      if (months_since == 0 && places > 0) {
        --places;
        people_.programme_until_month[p] = month + int(r.reintegration_months);
        flow(k, Metric::reintegration_admissions) += 1;
      }
      double multiplier = 1.0;
      if (people_.age_at_arrival_years[p] < r.child_arrival_age_years) multiplier *= r.child_arrival_multiplier;
      if (people_.ties[p] == TiesToPartner::none) multiplier *= r.no_ties_multiplier;
      if (people_.mental_health[p] == MentalHealthRisk::medium) multiplier *= r.medium_mental_health_multiplier;
      if (people_.mental_health[p] == MentalHealthRisk::high) multiplier *= r.high_mental_health_multiplier;
      if (month < people_.programme_until_month[p]) multiplier *= r.reintegration_multiplier;
      // One stream per hazard and month, so that one draw never shifts another.
      auto draw_event = [&](int hazard, double prob) {
        auto rng = person_stream(p, StreamPurpose::person_returnee, std::uint64_t(months_since) * 3 + std::uint64_t(hazard));
        return rng.bernoulli(std::min(1.0, prob * multiplier));
      };
      if (draw_event(0, r.severe_outcome_hazard_per_month)) {
        flow(k, Metric::severe_outcomes) += 1;
        continue;  // follow-up ends
      }
      if (draw_event(1, r.homelessness_hazard_per_month) && !people_.homeless[p]) {
        people_.homeless[p] = 1;
        flow(k, Metric::homelessness) += 1;
      }
      if (draw_event(2, r.remigration_hazard_per_month)) flow(k, Metric::remigration_attempts) += 1;
      still.push_back(p);
    }
    partner.returnees = std::move(still);
    metric(month, k, Metric::returnees_followed) = double(partner.returnees.size());
  }

  int removal_month(std::uint32_t p) const {
    return months_between(base_.start_date, base_.start_date.plus_days(people_.removal_day[p]));
  }

  struct PendingSanction {
    std::int32_t effect_day;
    std::size_t partner;
    std::int64_t step;
  };

  const Scenario& base_;
  Scenario now_;  // the parameters in force today (the timeline changes them)
  std::uint64_t replication_;
  std::int32_t days_;
  std::int32_t day_ = 0;
  int current_month_ = 0;
  Calendar calendar_;
  ReplicationResult result_;
  Population people_;
  std::vector<std::int32_t> state_since_;
  std::vector<std::int32_t> queued_since_;
  std::vector<PartnerRuntime> partners_;
  std::vector<std::array<std::int64_t, person_state_count>> stock_;
  std::int64_t detained_total_ = 0;
  std::vector<PendingSanction> pending_sanctions_;
};

}  // namespace

ReplicationResult run_replication(const Scenario& scenario, std::uint64_t replication) {
  return Replication(scenario, replication).run();
}

}  // namespace readmit
