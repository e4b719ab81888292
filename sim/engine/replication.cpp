// The daily loop of one replication. Read `Replication::run` top to bottom:
// timeline, amendments coming into force, arrivals, sanctions taking effect,
// due events (sentences, requests, decisions, custody reviews, document
// expiry, relief), the partners' document queues, interview rounds and
// raids, flights, daily tallies, and at each month's end returnee follow-up,
// visa demand, amendment requests, the compliance review with sanction and
// negotiation decisions, partner cooperation and the monthly snapshot.
#include "readmit/engine/replication.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

#include "readmit/model/compliance.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/stats/quantiles.hpp"

namespace readmit {

std::string_view person_state_name(PersonState state) {
  static constexpr std::string_view names[] = {"prison",  "detained", "awaiting_document", "scheduled",  "supervised",
                                               "removed", "relief",   "exempted",          "unremovable"};
  return names[std::size_t(state)];
}

namespace {

enum class EventKind : std::uint8_t {
  arrival,
  sentence_end,
  request_due,
  decision,
  custody_review,
  document_expiry,
  relief
};

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

/// One document request, for the review's undecided share.
struct RequestRecord {
  std::int32_t sent_day;
  std::int32_t resolved_day;  // decided or withdrawn; INT32_MAX while pending
  bool withdrawn;             // ended without a decision (relief, exemption)
};

// Month-end passes over persons run in parallel above this many persons;
// counts are integers, so the result does not depend on the split.
constexpr std::size_t parallel_grain = 8192;

struct PartnerRuntime {
  double cooperation = 1.0;
  std::int64_t sanction_step = 0;         // in force
  std::int64_t decided_step = 0;          // latest decision (in force after the lag)
  std::int64_t uncooperative_streak = 0;  // consecutive uncooperative reviews since the last decision
  std::int64_t compliant_streak = 0;      // consecutive compliant reviews since the last decision
  std::int32_t judged_from_day = 0;       // effect day of the last decision: reviews count from there
  double compliance_class = std::nan("");
  ReviewMeasures last_review{std::nan(""), std::nan(""), std::nan(""), std::nan(""), std::nan(""), std::nan("")};
  std::int64_t reviews_held = 0;
  std::vector<RequestRecord> requests;                   // in order of sending
  std::deque<std::vector<double>> window_decision_days;  // per month, newest last
  bool linkage_suspended = false;
  std::array<bool, amendment_kind_count> in_force{};
  bool request_open = false;  // an amendment request awaits agreement
  int cap_year = 0;           // calendar year counted by accepted_this_year
  std::int64_t accepted_this_year = 0;
  std::uint32_t next_local_id = 0;
  std::deque<QueueEntry> awaiting_interview;  // lazily cleaned
  std::deque<QueueEntry> queue;               // lazily cleaned
  std::int64_t queued = 0;                    // exact number of valid queue entries
  std::int64_t awaiting_interview_count = 0;  // exact number of valid awaiting_interview entries
  std::int64_t in_decision = 0;
  std::deque<ScheduledEntry> scheduled;  // by readiness; lazily cleaned
  std::int64_t detained_minors = 0;
  std::int64_t round_number = 0;
  bool round_planned = false;
  std::int64_t charter_number = 0;
  std::vector<std::uint32_t> returnees;      // in follow-up
  std::deque<std::int64_t> severe_by_month;  // last 12 months, for backlash
  std::vector<double> decision_days;         // this month
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
                {},
                0,
                {},
                {}},
        partners_(scenario.partners.size()) {
    result_.tallies.resize(scenario.partners.size());
    result_.days_request_to_removal.resize(scenario.partners.size());
    visa_categories_ = visa_categories(scenario);
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
      amendments_by_date(today);
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
    return RandomStream(base_.seed, replication_, person_entity(people_.partner[p], people_.local_id[p]), purpose,
                        sequence);
  }
  RandomStream partner_stream(std::size_t k, StreamPurpose purpose, std::uint64_t sequence) const {
    return RandomStream(base_.seed, replication_, partner_entity(k), purpose, sequence);
  }
  double& metric(int month, std::size_t k, Metric m) { return result_.monthly.at(std::size_t(month), k, m); }
  double& flow(std::size_t k, Metric m) { return metric(current_month_, k, m); }
  StateTally& tally(std::uint32_t p, PersonState s) { return result_.tallies[people_.partner[p]][std::size_t(s)]; }

  void log(std::size_t k, std::string kind, std::string detail) {
    result_.events.push_back({day_, k, std::move(kind), std::move(detail)});
  }
  bool in_force(std::size_t k, AmendmentKind a) const { return partners_[k].in_force[std::size_t(a)]; }
  Date today() const { return base_.start_date.plus_days(day_); }

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
    const RequestStatus previous = people_.request[p];
    if (next == RequestStatus::none && (previous == RequestStatus::awaiting_interview ||
                                        previous == RequestStatus::queued || previous == RequestStatus::in_decision))
      resolve_record(p, /*withdrawn=*/true);
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

  /// A new person's draws. They come from the person's own streams only, so
  /// a large docket is drawn in parallel and then applied in order.
  struct NewPerson {
    float age_at_arrival_years = 0, years_resident = 0;
    EntryStatus entry_status{};
    Offense offense{};
    SpouseStatus spouse{};
    MentalHealthRisk mental_health{};
    TiesToPartner ties{};
    bool main_earner = false;
    std::vector<float> child_ages;
    double relief_wait_days = std::numeric_limits<double>::infinity();
    StartState start{};
    double sentence_days = 0;      // prison only
    bool pending_request = false;  // initial docket only: an old request is pending
    double backlog_u = 0;          // initial docket only: how far back it was sent
  };

  NewPerson draw_new_person(std::size_t k, std::uint32_t id, bool in_docket) const {
    const auto& pop = params(k).population;
    NewPerson n;
    RandomStream rng(base_.seed, replication_, person_entity(k, id), StreamPurpose::person_attributes);
    n.age_at_arrival_years = float(draw(pop.age_at_arrival_years, rng));
    n.years_resident = float(draw(pop.years_resident, rng));
    n.entry_status = EntryStatus(draw_category(pop.entry_status_shares.data(), 3, rng));
    n.offense = Offense(draw_category(pop.offense_shares.data(), 4, rng));
    n.spouse = SpouseStatus(draw_category(pop.spouse_shares.data(), 3, rng));
    n.mental_health = MentalHealthRisk(draw_category(pop.mental_health_risk_shares.data(), 3, rng));
    n.ties = TiesToPartner(draw_category(pop.ties_shares.data(), 3, rng));
    n.main_earner = rng.bernoulli(pop.main_earner_prob);
    const int children = std::clamp(int(std::floor(draw(pop.children_count, rng))), 0, 255);
    for (int c = 0; c < children; ++c) n.child_ages.push_back(float(draw(pop.child_age_years, rng)));
    // Relief is a constant monthly hazard: draw its time once.
    const double hazard = now_.removing_state.relief_hazard_per_month;
    if (hazard > 0.0) {
      RandomStream relief(base_.seed, replication_, person_entity(k, id), StreamPurpose::person_relief);
      const double rate_per_day = -std::log1p(-std::min(hazard, 0.999999)) / 30.436875;
      n.relief_wait_days = -std::log1p(-relief.uniform01()) / rate_per_day;
    }
    RandomStream placement(base_.seed, replication_, person_entity(k, id), StreamPurpose::person_attributes, 1);
    n.start = StartState(
        draw_category((in_docket ? pop.initial_state_shares : pop.inflow_state_shares).data(), 3, placement));
    if (n.start == StartState::prison) n.sentence_days = draw(pop.sentence_remaining_days, placement);
    if (in_docket && n.start == StartState::supervised && placement.bernoulli(pop.pending_request_prob)) {
      n.pending_request = true;
      n.backlog_u = placement.uniform01();
    }
    return n;
  }

  /// Adds a person with their drawn attributes and places them in their first state.
  std::uint32_t add_person(std::size_t k, const NewPerson& n) {
    const auto id = partners_[k].next_local_id++;
    const std::uint32_t p = people_.add(std::uint16_t(k), id);
    state_since_.push_back(no_day);
    queued_since_.push_back(0);
    request_record_.push_back(no_record);
    people_.entry_day[p] = day_;
    people_.age_at_arrival_years[p] = n.age_at_arrival_years;
    people_.years_resident_at_entry[p] = n.years_resident;
    people_.entry_status[p] = n.entry_status;
    people_.offense[p] = n.offense;
    people_.spouse[p] = n.spouse;
    people_.mental_health[p] = n.mental_health;
    people_.ties[p] = n.ties;
    people_.main_earner[p] = n.main_earner;
    people_.children_count[p] = std::uint8_t(n.child_ages.size());
    people_.child_age_at_entry.insert(people_.child_age_at_entry.end(), n.child_ages.begin(), n.child_ages.end());
    if (n.relief_wait_days < double(days_))
      calendar_.schedule(day_ + std::int32_t(n.relief_wait_days), {p, EventKind::relief, 0});
    switch (n.start) {
      case StartState::prison:
        set_state(p, PersonState::prison);
        calendar_.schedule(day_ + std::max<std::int32_t>(1, std::int32_t(std::lround(n.sentence_days))),
                           {p, EventKind::sentence_end, 0});
        break;
      case StartState::detained:
        begin_detention(p);
        break;
      case StartState::supervised:
        set_state(p, PersonState::supervised);
        break;
    }
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

  // ---- population ----
  void synthesize_docket() {
    stock_.assign(partners_.size(), {});
    constexpr std::int64_t chunk = 1 << 16;  // bounds the memory of drawn, not yet added, persons
    for (std::size_t k = 0; k < partners_.size(); ++k) {
      partners_[k].cooperation = params(k).cooperation.initial;
      const std::int64_t docket = params(k).population.docket_at_start;
      std::vector<NewPerson> drawn;
      for (std::int64_t first = 0; first < docket; first += chunk) {
        drawn.resize(std::size_t(std::min(chunk, docket - first)));
        const auto first_id = partners_[k].next_local_id;
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, drawn.size(), 1024), [&](const auto& range) {
          for (std::size_t i = range.begin(); i != range.end(); ++i)
            drawn[i] = draw_new_person(k, first_id + std::uint32_t(i), /*in_docket=*/true);
        });
        for (const NewPerson& n : drawn) {
          const std::uint32_t p = add_person(k, n);
          if (n.pending_request) {
            // Old requests: the backlog reached back years (ICE, 2017). They
            // are part of the initial state, not of month 0's flow.
            send_request(p, /*counted=*/false);
            people_.request_day[p] = people_.first_request_day[p] = -std::int32_t(n.backlog_u * 3650.0);
          }
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
    flow(k, Metric::arrivals) += 1;
    const std::uint32_t p = add_person(k, draw_new_person(k, partners_[k].next_local_id, /*in_docket=*/false));
    exempt_if_covered(p);
  }

  // ---- the case pipeline ----
  void begin_detention(std::uint32_t p) {
    const std::size_t k = people_.partner[p];
    if (!has_bed()) {
      set_state(p, PersonState::supervised);
      flow(k, Metric::released_no_bed) += 1;
      calendar_.schedule(day_ + std::int32_t(now_.removing_state.request_lag_days),
                         {p, EventKind::request_due, people_.requests_made[p]});
      return;
    }
    set_state(p, PersonState::detained);
    flow(k, Metric::detentions) += 1;
    people_.detention_start[p] = day_;
    calendar_.schedule(day_ + std::int32_t(now_.removing_state.request_lag_days),
                       {p, EventKind::request_due, people_.requests_made[p]});
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
    if (exempt_if_covered(p)) return;
    const std::size_t k = people_.partner[p];
    ++people_.requests_made[p];
    people_.request_day[p] = day_;
    if (people_.first_request_day[p] == no_day) people_.first_request_day[p] = day_;
    if (counted) {
      open_record(p);
      flow(k, Metric::requests) += 1;
    }
    set_request(p, params(k).agreement.interview_required ? RequestStatus::awaiting_interview : RequestStatus::queued);
    if (people_.state[p] == PersonState::detained) set_state(p, PersonState::awaiting_document);
  }

  void withdraw_request(std::uint32_t p) { set_request(p, RequestStatus::none); }

  /// Starts the review's record of a request sent today.
  void open_record(std::uint32_t p) {
    auto& requests = partners_[people_.partner[p]].requests;
    request_record_[p] = std::uint32_t(requests.size());
    requests.push_back({day_, INT32_MAX, false});
  }

  /// Marks the person's current request decided (or withdrawn) today.
  void resolve_record(std::uint32_t p, bool withdrawn) {
    if (request_record_[p] == no_record) return;
    auto& record = partners_[people_.partner[p]].requests[request_record_[p]];
    record.resolved_day = day_;
    record.withdrawn = withdrawn;
    request_record_[p] = no_record;
  }

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
        case EventKind::decision:
          decide(p, e.check);
          break;
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
        case EventKind::arrival:
          break;
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
      double days = draw(agreement.decision_time_days, rng) * slowdown;
      if (in_force(k, AmendmentKind::humanitarian_review))
        days += double(now_.amendment_rules.humanitarian_review_extra_days);
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
    resolve_record(p, /*withdrawn=*/false);
    if (people_.age_at_arrival_years[p] < agreement.refuse_arrived_under_age_years) {
      flow(k, Metric::category_refusals) += 1;
      end_case(p, PersonState::unremovable);
      return;
    }
    if (exempt_if_covered(p)) return;
    if (in_force(k, AmendmentKind::humanitarian_review) && vulnerable(p)) {
      auto review = person_stream(p, StreamPurpose::person_amendment, std::uint64_t(request_number));
      if (review.bernoulli(now_.amendment_rules.humanitarian_review_vulnerable_denial_prob)) {
        flow(k, Metric::humanitarian_denials) += 1;
        flow(k, Metric::exemptions) += 1;
        end_case(p, PersonState::exempted);
        return;
      }
    }
    auto rng = person_stream(p, StreamPurpose::person_decision, 2u * std::uint64_t(request_number) + 1);
    if (!rng.bernoulli(agreement.acceptance_base_prob * partner.cooperation)) {
      flow(k, Metric::denials) += 1;
      set_request(p, RequestStatus::rerequest_due);
      calendar_.schedule(day_ + std::int32_t(agreement.rerequest_lag_days),
                         {p, EventKind::request_due, people_.requests_made[p]});
      return;
    }
    if (in_force(k, AmendmentKind::annual_cap) && cap_reached(k)) {
      // The partner accepts no more this calendar year: ask again on 1 January.
      flow(k, Metric::cap_deferrals) += 1;
      set_request(p, RequestStatus::rerequest_due);
      const Date next_year = Date::from_ymd(today().year() + 1, 1, 1);
      const std::int32_t due = std::max(day_ + std::int32_t(agreement.rerequest_lag_days),
                                        next_year.days_since_epoch - base_.start_date.days_since_epoch);
      calendar_.schedule(due, {p, EventKind::request_due, people_.requests_made[p]});
      return;
    }
    if (in_force(k, AmendmentKind::annual_cap)) ++partner.accepted_this_year;
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
      resubmit_request(p);
      --left;
    }
  }

  /// The removing state sends a fresh document packet for a re-detained
  /// person: the partner's clock, and the review's, restart today.
  void resubmit_request(std::uint32_t p) {
    resolve_record(p, /*withdrawn=*/true);
    people_.request_day[p] = day_;
    open_record(p);
  }

  void interview_round(std::size_t k) {
    auto& partner = partners_[k];
    std::int64_t left = params(k).agreement.interview_round_size;
    std::deque<QueueEntry> waiting;
    flow(k, Metric::interview_rounds) += 1;
    for (const QueueEntry& entry : partner.awaiting_interview) {
      const std::uint32_t p = entry.person;
      if (people_.request[p] != RequestStatus::awaiting_interview || people_.requests_made[p] != entry.request_number)
        continue;
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
    std::int64_t notice = now_.removing_state.itinerary_notice_days;
    if (in_force(people_.partner[p], AmendmentKind::advance_notice))
      notice = std::max(notice, now_.amendment_rules.advance_notice_days);
    return people_.state[p] == PersonState::scheduled && people_.token[p] == entry.token &&
           people_.ready_day[p] <= day_ - notice && people_.document_expiry[p] >= day_;
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
    if (minors > 0 && people_.youngest_child_age(p, day_) < h.young_child_age_years)
      follow *= h.young_child_follow_multiplier;
    auto rng = person_stream(p, StreamPurpose::person_household);
    const bool followed = rng.bernoulli(std::min(1.0, follow));
    bool prepared = false;
    if (in_force(k, AmendmentKind::advance_notice)) {
      flow(k, Metric::households_notified) += 1;
      auto notice = person_stream(p, StreamPurpose::person_amendment, 1u << 16);
      prepared = notice.bernoulli(now_.amendment_rules.advance_notice_crisis_reduction_prob);
    }
    if (followed) {
      flow(k, Metric::households_followed) += 1;
      return;
    }
    if (!prepared) flow(k, Metric::children_affected) += minors;
    if (people_.main_earner[p]) flow(k, Metric::main_earners_lost) += 1;
  }

  // ---- timeline ----
  void apply_timeline(const TimelineEvent& event) {
    for (const auto& assignment : event.assignments) assignment.spec->set(now_, assignment.keys, assignment.value);
    if (!event.note.empty()) {
      // The note goes to the partner the event concerns, else to every partner.
      std::vector<std::size_t> concerned;
      if (event.sanction)
        concerned.push_back(event.sanction->partner);
      else if (event.amendment && !event.amendment->partners.empty())
        concerned = event.amendment->partners;
      else if (!event.assignments.empty() && event.assignments.front().path.rfind("partners.", 0) == 0)
        concerned.push_back(event.assignments.front().keys.front());
      else
        for (std::size_t k = 0; k < partners_.size(); ++k) concerned.push_back(k);
      for (auto k : concerned) log(k, "timeline", event.note);
    }
    if (event.sanction) decide_sanction(event.sanction->partner, event.sanction->step, "timeline");
    if (event.amendment) {
      for (std::size_t k = 0; k < partners_.size(); ++k)
        if (event.amendment->partners.empty() ||
            std::find(event.amendment->partners.begin(), event.amendment->partners.end(), k) !=
                event.amendment->partners.end())
          set_amendment(k, event.amendment->amendment, event.amendment->in_force, "timeline");
    }
  }

  // ---- sanctions (MODEL.md section 8) ----
  const SanctionLadder& ladder() const { return now_.sanctions.active_ladder(); }

  std::string step_label(std::int64_t step) const {
    if (step == 0) return "step 0 (none)";
    return "step " + std::to_string(step) + " (" + ladder().steps[std::size_t(step - 1)].name + ")";
  }

  /// A decision to move partner k to `step`; it takes effect after the lag.
  void decide_sanction(std::size_t k, std::int64_t step, const char* by) {
    auto& partner = partners_[k];
    step = std::clamp<std::int64_t>(step, 0, std::int64_t(ladder().steps.size()));
    if (step == partner.decided_step) return;
    partner.uncooperative_streak = partner.compliant_streak = 0;
    partner.decided_step = step;
    flow(k, Metric::sanction_decisions) += 1;
    log(k, "sanction_decided", step_label(step) + " by " + by);
    partner.judged_from_day = day_ + std::int32_t(now_.sanctions.effect_lag_days);
    pending_sanctions_.push_back({partner.judged_from_day, k, step});
  }

  void apply_due_sanctions() {
    for (auto it = pending_sanctions_.begin(); it != pending_sanctions_.end();) {
      if (it->effect_day > day_) {
        ++it;
        continue;
      }
      const std::size_t k = it->partner;
      auto& partner = partners_[k];
      const std::int64_t previous = partner.sanction_step;
      partner.sanction_step = it->step;
      it = pending_sanctions_.erase(it);
      if (partner.sanction_step == previous) continue;
      log(k, "sanction_in_force", step_label(partner.sanction_step));
      issue_linkage(k, previous);
    }
  }

  /// The partner may answer each new step by suspending a linked cooperation.
  void issue_linkage(std::size_t k, std::int64_t previous_step) {
    auto& partner = partners_[k];
    const auto& linkage = params(k).issue_linkage;
    const std::string what = linkage.name.empty() ? "linked cooperation" : linkage.name;
    if (partner.sanction_step == 0 && partner.linkage_suspended && linkage.resume_when_lifted) {
      partner.linkage_suspended = false;
      log(k, "linkage_resumed", what);
      return;
    }
    for (std::int64_t step = previous_step + 1; step <= partner.sanction_step && !partner.linkage_suspended; ++step) {
      auto rng = partner_stream(k, StreamPurpose::partner_linkage, std::uint64_t(step));
      if (rng.bernoulli(linkage.suspend_prob_per_step)) {
        partner.linkage_suspended = true;
        flow(k, Metric::linkage_suspensions) += 1;
        log(k, "linkage_suspended", what);
      }
    }
  }

  double sanction_pressure(std::size_t k) const {
    const auto& steps = ladder().steps;
    double pressure = 0.0;
    for (std::int64_t s = 0; s < partners_[k].sanction_step && s < std::int64_t(steps.size()); ++s)
      pressure += steps[std::size_t(s)].pressure_weight;
    return pressure;
  }

  /// Visa applications this month by category, and those refused under the
  /// steps in force (a category named by several steps is refused by any).
  void visa_demand(std::size_t k, int month) {
    const auto& steps = ladder().steps;
    for (const auto& demand : params(k).visa_demand) {
      const auto c = std::size_t(std::lower_bound(visa_categories_.begin(), visa_categories_.end(), demand.category) -
                                 visa_categories_.begin());
      auto rng = partner_stream(k, StreamPurpose::partner_visas, std::uint64_t(month) * visa_categories_.size() + c);
      const std::int64_t applications = draw_poisson(demand.applications_per_month, rng);
      double pass_prob = 1.0;
      for (std::int64_t s = 0; s < partners_[k].sanction_step && s < std::int64_t(steps.size()); ++s) {
        const auto& named = steps[std::size_t(s)].visa_categories;
        if (std::find(named.begin(), named.end(), demand.category) != named.end())
          pass_prob *= 1.0 - steps[std::size_t(s)].refusal_prob;
      }
      const std::int64_t refused = draw_binomial(applications, 1.0 - pass_prob, rng);
      result_.monthly.at(std::size_t(month), k, visa_applications_column(c)) += double(applications);
      result_.monthly.at(std::size_t(month), k, visa_refusals_column(c)) += double(refused);
      metric(month, k, Metric::visa_applications) += double(applications);
      metric(month, k, Metric::visa_refusals) += double(refused);
    }
  }

  // ---- compliance review ----
  /// Sum of a monthly flow over the review window ending with `month`.
  double window_sum(std::size_t k, int month, Metric m) const {
    double total = 0;
    const int first = std::max(0, month + 1 - int(now_.compliance.window_months));
    for (int t = first; t <= month; ++t) total += result_.monthly.at(std::size_t(t), k, m);
    return total;
  }

  ReviewMeasures measure(std::size_t k, int month) const {
    const auto& partner = partners_[k];
    const double nan = std::nan("");
    auto ratio = [nan](double numerator, double denominator) {
      return denominator > 0 ? numerator / denominator : numerator > 0 ? std::numeric_limits<double>::infinity() : nan;
    };
    ReviewMeasures m{};
    std::vector<double> days;
    for (const auto& monthly : partner.window_decision_days) days.insert(days.end(), monthly.begin(), monthly.end());
    const double half[] = {0.5};
    m.median_decision_days = days.empty() ? nan : quantiles(std::move(days), half)[0];
    // Requests that reached the age of timely_days within the window.
    const std::int32_t review_day = day_ + 1;
    const std::int32_t window_start = window_start_day(month);
    const std::int32_t timely = std::int32_t(now_.compliance.timely_days);
    auto first = std::lower_bound(partner.requests.begin(), partner.requests.end(), window_start - timely,
                                  [](const RequestRecord& r, std::int32_t d) { return r.sent_day < d; });
    double old_enough = 0, undecided = 0;
    for (auto r = first; r != partner.requests.end() && r->sent_day <= review_day - timely; ++r) {
      if (r->withdrawn && r->resolved_day - r->sent_day <= timely) continue;  // ended before it could be late
      old_enough += 1;
      if (r->resolved_day - r->sent_day > timely) undecided += 1;
    }
    m.undecided_share = old_enough > 0 ? undecided / old_enough : nan;
    const double decisions = window_sum(k, month, Metric::decisions);
    const double denied = window_sum(k, month, Metric::denials) + window_sum(k, month, Metric::category_refusals) +
                          window_sum(k, month, Metric::humanitarian_denials);
    m.denied_share = decisions > 0 ? denied / decisions : nan;
    const double refused = window_sum(k, month, Metric::charters_refused);
    const double offered = refused + window_sum(k, month, Metric::charters_flown);
    m.charter_refused_share = offered > 0 ? refused / offered : nan;
    m.custody_releases = window_sum(k, month, Metric::custody_releases);
    m.release_removal_ratio = ratio(m.custody_releases, window_sum(k, month, Metric::removals));
    return m;
  }

  /// Review at the end of `month`: classify, then escalate after
  /// escalate_after uncooperative reviews in a row, or step down after
  /// deescalate_after compliant ones when the ladder allows it.
  void review(std::size_t k, int month) {
    auto& partner = partners_[k];
    const ReviewMeasures m = measure(k, month);
    const ComplianceClass c = classify(now_.compliance, m);
    partner.last_review = m;
    partner.compliance_class = double(int(c));
    flow(k, Metric::reviews) += 1;
    log(k, "review", std::string(compliance_class_name(c)));
    negotiate(k, partner.reviews_held++);
    const auto& sanctions = now_.sanctions;
    if (sanctions.reviews_wait_for_effect && window_start_day(month) < partner.judged_from_day) return;
    if (c == ComplianceClass::uncooperative) {
      ++partner.uncooperative_streak;
      partner.compliant_streak = 0;
      if (partner.uncooperative_streak >= sanctions.escalate_after &&
          partner.decided_step < std::int64_t(ladder().steps.size()))
        decide_sanction(k, partner.decided_step + 1, "review");
    } else if (c == ComplianceClass::compliant) {
      ++partner.compliant_streak;
      partner.uncooperative_streak = 0;
      if (sanctions.allow_deescalation && partner.compliant_streak >= sanctions.deescalate_after &&
          partner.decided_step > 0)
        decide_sanction(k, partner.decided_step - 1, "review");
    } else {
      partner.uncooperative_streak = partner.compliant_streak = 0;
    }
  }

  /// First day of the review window that ends with `month`.
  std::int32_t window_start_day(int month) const {
    return base_.start_date.plus_months(std::max(0, month + 1 - int(now_.compliance.window_months))).days_since_epoch -
           base_.start_date.days_since_epoch;
  }

  // ---- amendments and negotiation (MODEL.md sections 7 and 10) ----
  static bool applies_to(const AmendmentRules::Common& rule, const std::string& partner) {
    return rule.partners.empty() ||
           std::find(rule.partners.begin(), rule.partners.end(), partner) != rule.partners.end();
  }

  void amendments_by_date(const Date& today) {
    for (std::size_t a = 0; a < amendment_kind_count; ++a) {
      const auto& rule = now_.amendment_rules.common[a];
      if (!rule.in_force_from || *rule.in_force_from != today) continue;
      for (std::size_t k = 0; k < partners_.size(); ++k)
        if (applies_to(rule, params(k).name)) set_amendment(k, AmendmentKind(a), true, "date");
    }
    for (auto it = pending_amendments_.begin(); it != pending_amendments_.end();) {
      if (it->effect_day > day_) {
        ++it;
        continue;
      }
      set_amendment(it->partner, it->amendment, true, "negotiation");
      it = pending_amendments_.erase(it);
    }
  }

  void set_amendment(std::size_t k, AmendmentKind a, bool on, const char* by) {
    bool& state = partners_[k].in_force[std::size_t(a)];
    if (state == on) return;
    state = on;
    log(k, on ? "amendment_in_force" : "amendment_ended", std::string(amendment_names()[std::size_t(a)]) + " by " + by);
    if (on && (a == AmendmentKind::family_unity || a == AmendmentKind::childhood_arrival ||
               a == AmendmentKind::long_residence))
      for (std::uint32_t p = 0; p < people_.size(); ++p)
        if (people_.partner[p] == k && !is_terminal(people_.state[p])) exempt_if_covered(p);
  }

  /// Whether an amendment in force exempts person p today.
  bool covered(std::uint32_t p) const {
    const std::size_t k = people_.partner[p];
    const auto& rules = now_.amendment_rules;
    if (in_force(k, AmendmentKind::family_unity) &&
        ((rules.family_unity_citizen_spouse && people_.spouse[p] == SpouseStatus::citizen) ||
         people_.youngest_child_age(p, day_) < rules.family_unity_child_under_age_years))
      return true;
    if (in_force(k, AmendmentKind::childhood_arrival) &&
        people_.age_at_arrival_years[p] < rules.childhood_arrival_under_age_years)
      return true;
    if (in_force(k, AmendmentKind::long_residence) &&
        double(people_.years_resident_at_entry[p]) + double(day_ - people_.entry_day[p]) / 365.25 >=
            rules.long_residence_min_years)
      return true;
    return false;
  }

  bool exempt_if_covered(std::uint32_t p) {
    if (is_terminal(people_.state[p]) || !covered(p)) return false;
    flow(people_.partner[p], Metric::exemptions) += 1;
    end_case(p, PersonState::exempted);
    return true;
  }

  /// Child arrival, high mental-health risk, or a young child.
  bool vulnerable(std::uint32_t p) const {
    const std::size_t k = people_.partner[p];
    return people_.age_at_arrival_years[p] < params(k).returnees.child_arrival_age_years ||
           people_.mental_health[p] == MentalHealthRisk::high ||
           people_.youngest_child_age(p, day_) < params(k).household.young_child_age_years;
  }

  bool cap_reached(std::size_t k) {
    auto& partner = partners_[k];
    const int year = today().year();
    if (partner.cap_year != year) partner.cap_year = year, partner.accepted_this_year = 0;
    return partner.accepted_this_year >= now_.amendment_rules.annual_cap_removals_per_year;
  }

  /// Requested amendments not yet in force (nor agreed).
  std::vector<AmendmentKind> wanted_amendments(std::size_t k) const {
    std::vector<AmendmentKind> wanted;
    for (const auto& name : params(k).amendment_request.amendments) {
      const auto a = *amendment_from_name(name);
      const bool pending = std::any_of(pending_amendments_.begin(), pending_amendments_.end(),
                                       [&](const PendingAmendment& e) { return e.partner == k && e.amendment == a; });
      if (!in_force(k, a) && !pending) wanted.push_back(a);
    }
    return wanted;
  }

  /// The partner asks for its amendments once severe outcomes over the
  /// window reach the threshold.
  void maybe_request_amendments(std::size_t k, int month) {
    auto& partner = partners_[k];
    const auto& request = params(k).amendment_request;
    const auto wanted = wanted_amendments(k);
    if (partner.request_open || wanted.empty()) return;
    double severe = 0;
    for (int t = std::max(0, month + 1 - int(request.window_months)); t <= month; ++t)
      severe += metric(t, k, Metric::severe_outcomes);
    if (severe < double(request.severe_outcome_threshold)) return;
    partner.request_open = true;
    flow(k, Metric::amendment_requests) += 1;
    std::string names;
    for (auto a : wanted) names += (names.empty() ? "" : ", ") + std::string(amendment_names()[std::size_t(a)]);
    log(k, "amendment_requested", names);
  }

  /// At each review the removing state may agree to an open request.
  void negotiate(std::size_t k, std::int64_t review_number) {
    auto& partner = partners_[k];
    if (!partner.request_open) return;
    auto rng = partner_stream(k, StreamPurpose::partner_negotiation, std::uint64_t(review_number));
    if (!rng.bernoulli(now_.negotiation.agree_prob_per_review)) return;
    partner.request_open = false;
    flow(k, Metric::negotiation_agreements) += 1;
    const std::int32_t effect = day_ + std::int32_t(now_.negotiation.entry_into_force_lag_days);
    std::string names;
    for (auto a : wanted_amendments(k)) {
      pending_amendments_.push_back({effect, k, a});
      names += (names.empty() ? "" : ", ") + std::string(amendment_names()[std::size_t(a)]);
    }
    log(k, "negotiation_agreed", names);
  }

  double amendment_bonus(std::size_t k) const {
    for (const auto& name : params(k).amendment_request.amendments)
      if (in_force(k, *amendment_from_name(name))) return params(k).cooperation.amendment_bonus;
    return 0.0;
  }

  // ---- daily and monthly accounting ----
  void tally_day(int month) {
    for (std::size_t k = 0; k < partners_.size(); ++k) {
      const auto& s = stock_[k];
      const double detained =
          double(s[std::size_t(PersonState::detained)] + s[std::size_t(PersonState::awaiting_document)] +
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
    const bool review_due = (month + 1) % int(now_.compliance.review_period_months) == 0;
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
        const auto q = quantiles(partner.decision_days, probs);
        metric(month, k, Metric::decision_days_p50) = q[0];
        metric(month, k, Metric::decision_days_p90) = q[1];
      }
      partner.window_decision_days.push_back(std::move(partner.decision_days));
      partner.decision_days.clear();
      while (std::int64_t(partner.window_decision_days.size()) > now_.compliance.window_months)
        partner.window_decision_days.pop_front();
      follow_returnees(k, month);
      visa_demand(k, month);
      maybe_request_amendments(k, month);
      if (review_due) review(k, month);
    }
    apply_due_sanctions();  // decisions without a lag take effect this month
    for (std::size_t k = 0; k < partners_.size(); ++k) {
      auto& partner = partners_[k];
      update_cooperation(k, month);
      metric(month, k, Metric::cooperation) = partner.cooperation;
      metric(month, k, Metric::sanction_step) = double(partner.sanction_step);
      metric(month, k, Metric::sanction_pressure) = sanction_pressure(k);
      metric(month, k, Metric::compliance_class) = partner.compliance_class;
      metric(month, k, Metric::review_median_decision_days) = partner.last_review.median_decision_days;
      metric(month, k, Metric::review_undecided_share) = partner.last_review.undecided_share;
      metric(month, k, Metric::review_denied_share) = partner.last_review.denied_share;
      metric(month, k, Metric::review_charter_refused_share) = partner.last_review.charter_refused_share;
      metric(month, k, Metric::review_custody_releases) = partner.last_review.custody_releases;
      metric(month, k, Metric::review_release_removal_ratio) = partner.last_review.release_removal_ratio;
      metric(month, k, Metric::linkage_suspended) = partner.linkage_suspended ? 1 : 0;
      metric(month, k, Metric::amendment_request_open) = partner.request_open ? 1 : 0;
      double in_force_count = 0;
      for (std::size_t a = 0; a < amendment_kind_count; ++a) {
        const double on = partner.in_force[a] ? 1 : 0;
        metric(month, k, Metric(std::size_t(Metric::in_force_family_unity) + a)) = on;
        in_force_count += on;
      }
      metric(month, k, Metric::amendments_in_force) = in_force_count;
    }
    current_month_ = month + 1 < int(base_.horizon_months) ? month + 1 : month;
  }

  /// One pass over persons for every partner's count.
  std::vector<double> supervised_with_request_by_partner() const {
    using Counts = std::vector<std::int64_t>;
    const Counts counts = tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, people_.size(), parallel_grain), Counts(partners_.size(), 0),
        [&](const tbb::blocked_range<std::size_t>& range, Counts local) {
          for (std::size_t p = range.begin(); p != range.end(); ++p)
            if (people_.state[p] == PersonState::supervised && people_.request[p] != RequestStatus::none)
              ++local[people_.partner[p]];
          return local;
        },
        [](Counts a, const Counts& b) {
          for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
          return a;
        });
    return std::vector<double>(counts.begin(), counts.end());
  }

  void update_cooperation(std::size_t k, int month) {
    auto& partner = partners_[k];
    const auto& c = params(k).cooperation;
    partner.severe_by_month.push_back(std::int64_t(metric(month, k, Metric::severe_outcomes)));
    if (partner.severe_by_month.size() > 12) partner.severe_by_month.pop_front();
    double recent_severe = 0;
    for (auto n : partner.severe_by_month) recent_severe += double(n);
    const double backlash = c.backlash_per_severe_outcome * recent_severe;
    metric(month, k, Metric::backlash) = backlash;
    const double target = std::clamp(c.baseline + sanction_pressure(k) - backlash + amendment_bonus(k), 0.0, 1.0);
    auto rng = partner_stream(k, StreamPurpose::partner_cooperation, std::uint64_t(month));
    const double noise = c.noise_sd > 0 ? draw_normal(0.0, c.noise_sd, rng) : 0.0;
    partner.cooperation = std::clamp(
        partner.cooperation + c.adjustment_speed_per_month * (target - partner.cooperation) + noise, 0.0, 1.0);
  }

  /// Returnee follow-up: programme admissions in removal order, then each
  /// returnee's monthly hazards, which are independent (own streams) and
  /// so run in parallel for large cohorts.
  void follow_returnees(std::size_t k, int month) {
    auto& partner = partners_[k];
    const auto& r = params(k).returnees;
    const auto& rules = now_.amendment_rules;
    std::int64_t places = r.reintegration_capacity_per_month;
    std::int64_t extra_places =
        in_force(k, AmendmentKind::reintegration_support) ? rules.reintegration_support_capacity_per_month : 0;
    std::vector<std::uint32_t> cohort;
    cohort.reserve(partner.returnees.size());
    for (const std::uint32_t p : partner.returnees) {
      const int months_since = month - removal_month(p);
      if (months_since >= r.followup_months) continue;
      cohort.push_back(p);
      if (months_since != 0) continue;
      if (places > 0) {
        --places;
        people_.programme_until_month[p] = month + int(r.reintegration_months);
        people_.programme_multiplier[p] = float(r.reintegration_multiplier);
        flow(k, Metric::reintegration_admissions) += 1;
      } else if (extra_places > 0) {
        --extra_places;
        people_.programme_until_month[p] = month + int(r.reintegration_months);
        people_.programme_multiplier[p] = float(rules.reintegration_support_hazard_multiplier);
        flow(k, Metric::reintegration_admissions) += 1;
      }
    }
    enum Outcome : std::uint8_t { severe = 1, homeless = 2, remigration = 4 };
    std::vector<std::uint8_t> outcomes(cohort.size(), 0);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cohort.size(), parallel_grain), [&](const auto& range) {
      for (std::size_t i = range.begin(); i != range.end(); ++i) {
        const std::uint32_t p = cohort[i];
        const int months_since = month - removal_month(p);
        double multiplier = 1.0;
        if (people_.age_at_arrival_years[p] < r.child_arrival_age_years) multiplier *= r.child_arrival_multiplier;
        if (people_.ties[p] == TiesToPartner::none) multiplier *= r.no_ties_multiplier;
        if (people_.mental_health[p] == MentalHealthRisk::medium) multiplier *= r.medium_mental_health_multiplier;
        if (people_.mental_health[p] == MentalHealthRisk::high) multiplier *= r.high_mental_health_multiplier;
        if (month < people_.programme_until_month[p]) multiplier *= double(people_.programme_multiplier[p]);
        // One stream per hazard and month, so that one draw never shifts another.
        auto draw_event = [&](int hazard, double prob) {
          auto rng =
              person_stream(p, StreamPurpose::person_returnee, std::uint64_t(months_since) * 3 + std::uint64_t(hazard));
          return rng.bernoulli(std::min(1.0, prob * multiplier));
        };
        if (draw_event(0, r.severe_outcome_hazard_per_month)) {
          outcomes[i] = severe;  // follow-up ends
          continue;
        }
        if (draw_event(1, r.homelessness_hazard_per_month) && !people_.homeless[p]) outcomes[i] |= homeless;
        if (draw_event(2, r.remigration_hazard_per_month)) outcomes[i] |= remigration;
      }
    });
    std::vector<std::uint32_t> still;
    still.reserve(cohort.size());
    for (std::size_t i = 0; i < cohort.size(); ++i) {
      const std::uint32_t p = cohort[i];
      if (outcomes[i] & severe) {
        flow(k, Metric::severe_outcomes) += 1;
        continue;
      }
      if (outcomes[i] & homeless) {
        people_.homeless[p] = 1;
        flow(k, Metric::homelessness) += 1;
      }
      if (outcomes[i] & remigration) flow(k, Metric::remigration_attempts) += 1;
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
  struct PendingAmendment {
    std::int32_t effect_day;
    std::size_t partner;
    AmendmentKind amendment;
  };
  static constexpr std::uint32_t no_record = UINT32_MAX;

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
  std::vector<PendingAmendment> pending_amendments_;
  std::vector<std::uint32_t> request_record_;  // per person: index of the current request's record, or no_record
  std::vector<std::string> visa_categories_;
};

}  // namespace

ReplicationResult run_replication(const Scenario& scenario, std::uint64_t replication) {
  return Replication(scenario, replication).run();
}

}  // namespace readmit
