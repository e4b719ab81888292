#include "readmit/model/returnees.hpp"

#include <algorithm>
#include <cmath>

#include "readmit/model/amendments.hpp"

namespace readmit::returnees {

namespace {

/// Months of a piecewise-constant monthly Bernoulli process, drawn as
/// geometric waiting times from one stream: each piece is [first, end) with
/// per-month probability `prob`.
class EventMonths {
 public:
  explicit EventMonths(RandomStream stream) : stream_(stream) {}

  /// First month in [first, end) with an event, or `end` if none.
  int first_event(int first, int end, double prob) {
    if (first >= end || prob <= 0.0) return end;
    if (prob >= 1.0) return first;
    // Failures before the first success: floor(ln U / ln(1 - p)), U in (0, 1].
    const double failures = std::floor(std::log(1.0 - stream_.uniform01()) / std::log1p(-prob));
    return failures < double(end - first) ? first + int(failures) : end;
  }

 private:
  RandomStream stream_;
};

/// The hazard multiplier of returnee p from their own attributes.
double attribute_multiplier(const World& world, std::uint32_t p, const ReturneeParams& r) {
  const auto& people = world.people;
  double multiplier = 1.0;
  if (people.age_at_arrival_years[p] < r.child_arrival_age_years) multiplier *= r.child_arrival_multiplier;
  if (people.ties[p] == TiesToPartner::none) multiplier *= r.no_ties_multiplier;
  if (people.mental_health[p] == MentalHealthRisk::medium) multiplier *= r.medium_mental_health_multiplier;
  if (people.mental_health[p] == MentalHealthRisk::high) multiplier *= r.high_mental_health_multiplier;
  return multiplier;
}

enum Hazard : std::uint64_t { severe = 0, homeless = 1, remigration = 2 };

}  // namespace

void enrol(World& world, std::uint32_t p) { world.partners[world.people.partner[p]].new_returnees.push_back(p); }

void follow(World& world, std::size_t k, int month) {
  auto& partner = world.partners[k];
  auto& ledger = partner.returnee_ledger;
  const auto& r = world.params(k).returnees;
  const auto& rules = world.now.amendment_rules;
  const int months = int(ledger.size());
  std::int64_t places = r.reintegration_capacity_per_month;
  std::int64_t extra_places = amendments::in_force(world, k, AmendmentKind::reintegration_support)
                                  ? rules.reintegration_support_capacity_per_month
                                  : 0;
  // Follow-up covers the removal month and the next followup_months - 1.
  const int follow_end = month + int(r.followup_months);
  for (const std::uint32_t p : partner.new_returnees) {
    double programme_multiplier = 1.0;
    if (places > 0 || extra_places > 0) {
      programme_multiplier = places > 0 ? r.reintegration_multiplier : rules.reintegration_support_hazard_multiplier;
      (places > 0 ? places : extra_places) -= 1;
      world.flow(k, Metric::reintegration_admissions) += 1;
    }
    const int programme_end = std::min(follow_end, month + int(r.reintegration_months));
    const double base = attribute_multiplier(world, p, r);
    // Two pieces: in the programme [month, programme_end), then out of it.
    auto first = [&](Hazard hazard, double prob_per_month, int from) {
      EventMonths events(world.person_stream(p, StreamPurpose::person_returnee, hazard));
      const int in_programme =
          events.first_event(from, programme_end, std::min(1.0, prob_per_month * base * programme_multiplier));
      return in_programme < programme_end
                 ? in_programme
                 : events.first_event(std::max(from, programme_end), follow_end, std::min(1.0, prob_per_month * base));
    };
    // A severe outcome ends follow-up: nothing else counts from its month on.
    const int severe_month = first(severe, r.severe_outcome_hazard_per_month, month);
    const int followed_end = std::min(severe_month, follow_end);
    if (severe_month < follow_end && severe_month < months) ledger[std::size_t(severe_month)].severe += 1;
    const int homeless_month = first(homeless, r.homelessness_hazard_per_month, month);
    if (homeless_month < followed_end && homeless_month < months) ledger[std::size_t(homeless_month)].homeless += 1;
    // Re-migration attempts recur: successive waiting times on one stream.
    EventMonths attempts(world.person_stream(p, StreamPurpose::person_returnee, remigration));
    for (int from = month; from < followed_end;) {
      const bool in_programme = from < programme_end;
      const int piece_end = in_programme ? programme_end : followed_end;
      const double prob =
          std::min(1.0, r.remigration_hazard_per_month * base * (in_programme ? programme_multiplier : 1.0));
      const int attempt = attempts.first_event(from, std::min(piece_end, followed_end), prob);
      if (attempt >= std::min(piece_end, followed_end)) {
        from = std::min(piece_end, followed_end);
        continue;
      }
      if (attempt < months) ledger[std::size_t(attempt)].remigration += 1;
      from = attempt + 1;
    }
    // Followed at the end of each month from the removal month until the follow-up ends.
    if (month < months) ledger[std::size_t(month)].followed_change += 1;
    if (followed_end < months) ledger[std::size_t(followed_end)].followed_change -= 1;
  }
  partner.new_returnees.clear();
  const auto& due = ledger[std::size_t(month)];
  partner.returnees_followed += due.followed_change;
  world.flow(k, Metric::severe_outcomes) += double(due.severe);
  world.flow(k, Metric::homelessness) += double(due.homeless);
  world.flow(k, Metric::remigration_attempts) += double(due.remigration);
  world.metric(month, k, Metric::returnees_followed) = double(partner.returnees_followed);
}

}  // namespace readmit::returnees
