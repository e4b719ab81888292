#include "readmit/model/review.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "readmit/stats/quantiles.hpp"

namespace readmit::review {

namespace {

/// Sum of a monthly flow over the review window ending with `month`.
double window_sum(const World& world, std::size_t k, int month, Metric m) {
  double total = 0;
  const int first = std::max(0, month + 1 - int(world.now.compliance.window_months));
  for (int t = first; t <= month; ++t) total += world.metric(t, k, m);
  return total;
}

}  // namespace

std::int32_t window_start_day(const World& world, int month) {
  return world.day_of(
      world.base.start_date.plus_months(std::max(0, month + 1 - int(world.now.compliance.window_months))));
}

ReviewMeasures measure(const World& world, std::size_t k, int month) {
  const auto& desk = world.partners[k].desk;
  const double nan = std::nan("");
  ReviewMeasures m{};
  std::vector<double> days;
  for (const auto& monthly : desk.window_decision_days) days.insert(days.end(), monthly.begin(), monthly.end());
  const double half[] = {0.5};
  m.median_decision_days = days.empty() ? nan : quantiles(std::move(days), half)[0];
  // Requests that reached the age of timely_days within the window.
  const std::int32_t review_day = world.day + 1;
  const std::int32_t window_start = window_start_day(world, month);
  const std::int32_t timely = std::int32_t(world.now.compliance.timely_days);
  auto first = std::lower_bound(desk.requests.begin(), desk.requests.end(), window_start - timely,
                                [](const RequestRecord& r, std::int32_t d) { return r.sent_day < d; });
  double old_enough = 0, undecided = 0;
  for (auto r = first; r != desk.requests.end() && r->sent_day <= review_day - timely; ++r) {
    if (r->withdrawn && r->resolved_day - r->sent_day <= timely) continue;  // ended before it could be late
    old_enough += 1;
    if (r->resolved_day - r->sent_day > timely) undecided += 1;
  }
  m.undecided_share = old_enough > 0 ? undecided / old_enough : nan;
  const double decisions = window_sum(world, k, month, Metric::decisions);
  const double denied = window_sum(world, k, month, Metric::denials) +
                        window_sum(world, k, month, Metric::category_refusals) +
                        window_sum(world, k, month, Metric::humanitarian_denials);
  m.denied_share = decisions > 0 ? denied / decisions : nan;
  const double refused = window_sum(world, k, month, Metric::charters_refused);
  const double offered = refused + window_sum(world, k, month, Metric::charters_flown);
  m.charter_refused_share = offered > 0 ? refused / offered : nan;
  m.custody_releases = window_sum(world, k, month, Metric::custody_releases);
  const double removals = window_sum(world, k, month, Metric::removals);
  m.release_removal_ratio = removals > 0             ? m.custody_releases / removals
                            : m.custody_releases > 0 ? std::numeric_limits<double>::infinity()
                                                     : nan;
  return m;
}

Held hold(World& world, std::size_t k, int month) {
  auto& diplomacy = world.partners[k].diplomacy;
  const ReviewMeasures m = measure(world, k, month);
  const ComplianceClass c = classify(world.now.compliance, m);
  diplomacy.last_review = m;
  diplomacy.compliance_class = double(int(c));
  world.flow(k, Metric::reviews) += 1;
  world.log(k, "review", std::string(compliance_class_name(c)));
  return {c, diplomacy.reviews_held++};
}

}  // namespace readmit::review
