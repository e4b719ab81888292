#include "readmit/model/review.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "readmit/stats/quantiles.hpp"

namespace readmit::review {

namespace {

constexpr std::int32_t never = std::numeric_limits<std::int32_t>::max();

ConductDay& today(World& world, std::size_t k) {
  auto& days = world.partners[k].conduct.days;
  if (days.empty() || days.back().day != world.day) days.push_back(ConductDay{.day = world.day});
  return days.back();
}

std::int32_t first_review_day(const World& world) {
  const auto& c = world.now.compliance;
  return c.first_review_date ? world.day_of(*c.first_review_date) : std::int32_t(c.review_interval_days) - 1;
}

}  // namespace

bool due_today(const World& world) {
  const std::int32_t first = first_review_day(world);
  return world.day >= first && (world.day - first) % std::int32_t(world.now.compliance.review_interval_days) == 0;
}

std::int32_t window_start_day(const World& world) {
  return world.day_of(world.today().plus_months(-int(world.now.compliance.window_months))) + 1;
}

void prune(World& world, std::size_t k) {
  auto& conduct = world.partners[k].conduct;
  const std::int32_t start = window_start_day(world);
  while (!conduct.days.empty() && conduct.days.front().day < start) conduct.days.pop_front();
  while (!conduct.decisions.empty() && conduct.decisions.front().day < start) {
    conduct.decision_days.erase(conduct.decisions.front().days_from_receipt);
    conduct.decisions.pop_front();
  }
}

ReviewMeasures measure(const World& world, std::size_t k) {
  const auto& conduct = world.partners[k].conduct;
  const double nan = std::nan("");
  const std::int32_t start = window_start_day(world);
  ReviewMeasures m = ReviewMeasures::none();

  // A share or a median of fewer than min_cases cases is no evidence.
  const auto enough = [&](double cases) { return cases >= double(world.now.compliance.min_cases) && cases > 0; };
  m.median_decision_days = enough(double(conduct.decision_days.size())) ? conduct.decision_days.quantile(0.5) : nan;

  // Received requests that reached the age of timely_days within the window.
  const std::int32_t timely = std::int32_t(world.now.compliance.timely_days);
  const auto& requests = conduct.requests;
  auto first = std::lower_bound(conduct.received.begin(), conduct.received.end(), start - timely,
                                [&](std::uint32_t i, std::int32_t d) { return requests[i].received_day < d; });
  double old_enough = 0, undecided = 0;
  for (auto it = first; it != conduct.received.end(); ++it) {
    const RequestRecord& r = requests[*it];
    if (r.received_day > world.day - timely) break;
    const std::int32_t age_at_end = r.resolved_day == never ? never : r.resolved_day - r.received_day;
    if (r.withdrawn && age_at_end <= timely) continue;  // ended before it could be late
    old_enough += 1;
    if (age_at_end > timely) undecided += 1;
  }
  m.undecided_share = enough(old_enough) ? undecided / old_enough : nan;

  ConductDay sum;
  for (const auto& d : conduct.days) {  // prune() kept the window's days only
    sum.decisions += d.decisions;
    sum.denials += d.denials;
    sum.acceptances += d.acceptances;
    sum.requests_received += d.requests_received;
    sum.charters_offered += d.charters_offered;
    sum.charters_refused += d.charters_refused;
    sum.interviews_requested += d.interviews_requested;
    sum.interviews_held += d.interviews_held;
    sum.custody_releases += d.custody_releases;
    sum.undecided_releases += d.undecided_releases;
  }
  auto share = [&](double part, double whole) { return enough(whole) ? part / whole : nan; };
  m.denied_share = share(sum.denials, sum.decisions);
  // Charters are few and each is a deliberate act: one offered is evidence.
  m.charter_refused_share = sum.charters_offered > 0 ? double(sum.charters_refused) / sum.charters_offered : nan;
  m.interview_shortfall = share(sum.interviews_requested - sum.interviews_held, sum.interviews_requested);
  m.undecided_release_share = share(sum.undecided_releases, sum.requests_received);
  m.custody_releases = sum.custody_releases;
  return m;
}

Held hold(World& world, std::size_t k, const ReviewMeasures& m) {
  auto& diplomacy = world.partners[k].diplomacy;
  const ComplianceClass c = classify(world.now.compliance, m);
  diplomacy.last_review = m;
  diplomacy.compliance_class = double(int(c));
  world.flow(k, Metric::reviews) += 1;
  world.log(k, "review", std::string(compliance_class_name(c)));
  return {c, diplomacy.reviews_held++};
}

void open_record(World& world, std::uint32_t p) {
  const std::size_t k = world.people.partner[p];
  auto& conduct = world.partners[k].conduct;
  const auto index = std::uint32_t(conduct.requests.size());
  world.people.request_record[p] = index;
  // Where the partner interviews, it can act once the person is presented
  // at a round (interviews.cpp); otherwise once the packet is sent.
  const bool received = !world.params(k).agreement.interview_required;
  conduct.requests.push_back({world.day, received ? world.day : never, never, false});
  if (received) {
    conduct.received.push_back(index);
    today(world, k).requests_received += 1;
  }
}

void resolve_record(World& world, std::uint32_t p, bool withdrawn) {
  auto& people = world.people;
  if (people.request_record[p] == no_record) return;
  auto& record = world.partners[people.partner[p]].conduct.requests[people.request_record[p]];
  record.resolved_day = world.day;
  record.withdrawn = withdrawn;
  people.request_record[p] = no_record;
}

void mark_received(World& world, std::uint32_t p) {
  const auto index = world.people.request_record[p];
  if (index == no_record) return;
  auto& conduct = world.partners[world.people.partner[p]].conduct;
  auto& record = conduct.requests[index];
  if (record.received_day != never) return;
  record.received_day = world.day;
  conduct.received.push_back(index);
  today(world, world.people.partner[p]).requests_received += 1;
}

bool left_undecided(const World& world, std::uint32_t p) {
  const auto index = world.people.request_record[p];
  if (index == no_record || world.people.request[p] == RequestStatus::in_decision) return false;
  const auto& record = world.partners[world.people.partner[p]].conduct.requests[index];
  return record.received_day != never && record.resolved_day == never;
}

void note_decision(World& world, std::size_t k, std::uint32_t p, bool denied) {
  const auto index = world.people.request_record[p];
  ConductDay& d = today(world, k);
  d.decisions += 1;
  (denied ? d.denials : d.acceptances) += 1;
  if (index == no_record) return;  // an old request of the initial docket: no receipt day on record
  const auto& record = world.partners[k].conduct.requests[index];
  const std::int32_t received = record.received_day == never ? world.day : record.received_day;
  const auto days_from_receipt = std::uint32_t(world.day - received);
  world.partners[k].conduct.decisions.push_back({world.day, days_from_receipt});
  world.partners[k].conduct.decision_days.insert(days_from_receipt);
}

void note_charter(World& world, std::size_t k, bool refused) {
  ConductDay& d = today(world, k);
  d.charters_offered += 1;
  if (refused) d.charters_refused += 1;
}

void note_round(World& world, std::size_t k, std::int64_t requested, std::int64_t held) {
  if (requested == 0) return;
  ConductDay& d = today(world, k);
  d.interviews_requested += std::int32_t(requested);
  d.interviews_held += std::int32_t(held);
}

void note_custody_release(World& world, std::uint32_t p) {
  ConductDay& d = today(world, world.people.partner[p]);
  d.custody_releases += 1;
  if (left_undecided(world, p)) d.undecided_releases += 1;
}

}  // namespace readmit::review
