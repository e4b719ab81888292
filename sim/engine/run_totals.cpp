#include "readmit/engine/run_totals.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "readmit/scenario/parameters.hpp"
#include "readmit/stats/quantiles.hpp"
#include "readmit/util/text.hpp"

namespace readmit {

namespace {

// Totals summed over the months of one monthly metric, in output order after
// the headline ones. `redetentions` adds raid detentions (below).
struct SummedTotal {
  std::string_view name;
  Metric metric;
};
constexpr SummedTotal summed_totals[] = {
    {"removals", Metric::removals},
    {"custody_releases", Metric::custody_releases},
    {"detention_cost_usd", Metric::detention_cost_usd},
    {"bed_days", Metric::bed_days},
    {"children_affected", Metric::children_affected},
    {"child_days_separated", Metric::child_days_separated},
    {"severe_outcomes", Metric::severe_outcomes},
    {"visa_refusals", Metric::visa_refusals},
    {"visa_applications", Metric::visa_applications},
    {"requests", Metric::requests},
    {"acceptances", Metric::acceptances},
    {"denials", Metric::denials},
    {"relief", Metric::relief},
    {"exemptions", Metric::exemptions},
    {"main_earners_lost", Metric::main_earners_lost},
    {"homelessness", Metric::homelessness},
    {"sanction_decisions", Metric::sanction_decisions},
    {"amendment_requests", Metric::amendment_requests},
    {"negotiation_agreements", Metric::negotiation_agreements},
    {"removals_covered_family_unity", Metric::removals_covered_family_unity},
    {"removals_covered_childhood_arrival", Metric::removals_covered_childhood_arrival},
    {"removals_covered_long_residence", Metric::removals_covered_long_residence},
    {"removals_covered_humanitarian_review", Metric::removals_covered_humanitarian_review},
};

// Shares of the docket at the end of the first month that each amendment's
// terms cover (levels: the overall slot sums them, so read them per partner).
struct StartLevel {
  std::string_view name;
  Metric metric;
};
constexpr StartLevel start_levels[] = {
    {"docket_covered_family_unity", Metric::docket_covered_family_unity},
    {"docket_covered_childhood_arrival", Metric::docket_covered_childhood_arrival},
    {"docket_covered_long_residence", Metric::docket_covered_long_residence},
    {"docket_covered_humanitarian_review", Metric::docket_covered_humanitarian_review},
};

// Fixed positions of the totals that are not plain sums.
constexpr std::string_view median_days_name = "median_days_request_to_removal";
constexpr std::string_view redetentions_name = "redetentions";
constexpr std::string_view months_sanctioned_name = "months_under_sanction";
constexpr std::string_view pending_name = "pending_docket_at_end";

double median_of(std::vector<double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  return quantile_sorted(values, 0.5);
}

}  // namespace

int us_fiscal_year(const Date& first_of_month) {
  return first_of_month.year() + (first_of_month.month() >= 10 ? 1 : 0);
}

namespace {

/// One month's contribution of partner k to a windowed total.
double windowed_value(std::string_view name, const MonthlySeries& m, std::size_t t, std::size_t k) {
  if (name == months_sanctioned_name) return m.at(t, k, Metric::sanction_step) > 0 ? 1 : 0;
  if (name == redetentions_name) return m.at(t, k, Metric::redetentions) + m.at(t, k, Metric::raid_detentions);
  for (const auto& total : summed_totals)
    if (total.name == name) return m.at(t, k, total.metric);
  throw std::logic_error("run totals: no monthly value for windowed total " + std::string(name));
}

WindowTotals window_totals(const Scenario& scenario, std::string name, Date begin, Date end,
                           std::vector<std::string> metrics) {
  WindowTotals window;
  window.name = std::move(name);
  window.begin = begin;
  window.end = end;
  window.metrics = std::move(metrics);
  const auto months = std::int64_t(scenario.horizon_months);
  window.complete = begin >= scenario.start_date && end <= scenario.end_date();
  window.first_month = std::size_t(std::clamp<std::int64_t>(months_between(scenario.start_date, begin), 0, months));
  window.end_month = std::size_t(std::clamp<std::int64_t>(months_between(scenario.start_date, end), 0, months));
  for (const auto& metric : window.metrics)
    window.totals.push_back(metric + "_" + window.name + (window.complete ? "" : "_partial"));
  return window;
}

}  // namespace

bool is_windowed_metric(std::string_view name) {
  const auto names = split(windowed_metric_choices, '|');
  return std::find(names.begin(), names.end(), name) != names.end();
}

RunTotalsLayout::RunTotalsLayout(const Scenario& scenario) {
  metrics_.emplace_back(summed_totals[0].name);  // removals first
  metrics_.emplace_back(median_days_name);
  for (std::size_t i = 1; i < std::size(summed_totals); ++i) metrics_.emplace_back(summed_totals[i].name);
  metrics_.emplace_back(months_sanctioned_name);
  metrics_.emplace_back(redetentions_name);
  metrics_.emplace_back(pending_name);
  for (const auto& level : start_levels) metrics_.emplace_back(level.name);
  for (std::int64_t t = 0; t < scenario.horizon_months; ++t) {
    const int year = us_fiscal_year(scenario.start_date.plus_months(int(t)));
    if (!windows_.empty() && windows_.back().name == "fy" + std::to_string(year)) continue;
    windows_.push_back(window_totals(scenario, "fy" + std::to_string(year), Date::from_ymd(year - 1, 10, 1),
                                     Date::from_ymd(year, 10, 1), {std::string(summed_totals[0].name)}));
  }
  for (const auto& window : scenario.outcome_windows) {
    auto totals = window_totals(scenario, window.name, window.begin, window.end, window.metrics);
    const auto same =
        std::find_if(windows_.begin(), windows_.end(), [&](const auto& w) { return w.name == window.name; });
    if (same != windows_.end())
      *same = std::move(totals);
    else
      windows_.push_back(std::move(totals));
  }
  for (const auto& window : windows_) metrics_.insert(metrics_.end(), window.totals.begin(), window.totals.end());

  for (const auto& partner : scenario.partners) slots_.push_back(partner.name);
  slots_.emplace_back("all");
}

std::size_t RunTotalsLayout::metric_index(std::string_view name) const {
  return std::size_t(std::find(metrics_.begin(), metrics_.end(), name) - metrics_.begin());
}

std::size_t RunTotalsLayout::slot_index(std::string_view name) const {
  return std::size_t(std::find(slots_.begin(), slots_.end(), name) - slots_.begin());
}

std::vector<double> RunTotalsLayout::compute(const ReplicationResult& result) const {
  const auto& m = result.monthly;
  const std::size_t metric_total = metrics_.size();
  std::vector<double> values(values_per_replication(), 0.0);
  std::vector<double> pooled_days;
  for (std::size_t k = 0; k < partners(); ++k) {
    double* row = values.data() + k * metric_total;
    std::size_t i = 0;
    auto sum = [&](Metric metric) {
      double total = 0;
      for (std::size_t t = 0; t < m.months(); ++t) total += m.at(t, k, metric);
      return total;
    };
    row[i++] = sum(Metric::removals);
    std::vector<double> days;
    if (k < result.days_request_to_removal.size())
      days.assign(result.days_request_to_removal[k].begin(), result.days_request_to_removal[k].end());
    pooled_days.insert(pooled_days.end(), days.begin(), days.end());
    row[i++] = median_of(std::move(days));
    for (std::size_t s = 1; s < std::size(summed_totals); ++s) row[i++] = sum(summed_totals[s].metric);
    double months_sanctioned = 0;
    for (std::size_t t = 0; t < m.months(); ++t) months_sanctioned += m.at(t, k, Metric::sanction_step) > 0 ? 1 : 0;
    row[i++] = months_sanctioned;
    row[i++] = sum(Metric::redetentions) + sum(Metric::raid_detentions);
    const std::size_t last = m.months() - 1;
    row[i++] = m.at(last, k, Metric::stock_prison) + m.at(last, k, Metric::stock_detained) +
               m.at(last, k, Metric::stock_awaiting_document) + m.at(last, k, Metric::stock_scheduled) +
               m.at(last, k, Metric::stock_supervised);
    for (const auto& level : start_levels) row[i++] = m.at(0, k, level.metric);
    for (const auto& window : windows_)
      for (const auto& metric : window.metrics) {
        double total = 0;
        for (std::size_t t = window.first_month; t < window.end_month && t < m.months(); ++t)
          total += windowed_value(metric, m, t, k);
        row[i++] = total;
      }
  }
  // Overall: sums over partners in partner order (a fixed order, so the same
  // bits every time), and the median of every removal pooled.
  double* overall = values.data() + overall_slot() * metric_total;
  for (std::size_t k = 0; k < partners(); ++k)
    for (std::size_t i = 0; i < metric_total; ++i) overall[i] += values[k * metric_total + i];
  overall[1] = median_of(std::move(pooled_days));
  // Coverage shares: the partners' shares weighted by their pending dockets.
  for (const auto& level : start_levels) {
    const std::size_t i = metric_index(level.name);
    double covered = 0, pending = 0;
    for (std::size_t k = 0; k < partners(); ++k) {
      double docket = 0;
      for (Metric stock : {Metric::stock_prison, Metric::stock_detained, Metric::stock_awaiting_document,
                           Metric::stock_scheduled, Metric::stock_supervised})
        docket += m.at(0, k, stock);
      if (docket > 0 && !std::isnan(values[k * metric_total + i])) {
        covered += values[k * metric_total + i] * docket;
        pending += docket;
      }
    }
    overall[i] = pending > 0 ? covered / pending : std::numeric_limits<double>::quiet_NaN();
  }
  return values;
}

}  // namespace readmit
