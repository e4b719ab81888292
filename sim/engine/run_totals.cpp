#include "readmit/engine/run_totals.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "readmit/stats/quantiles.hpp"
#include "readmit/util/text.hpp"

namespace readmit {

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

double median_of(std::vector<double> values) {
  if (values.empty()) return not_a_number;
  std::sort(values.begin(), values.end());
  return quantile_sorted(values, 0.5);
}

/// The persons of partner k still in the pipeline at the end of month t.
double pending_docket(const MonthlySeries& m, std::size_t t, std::size_t k) {
  double pending = 0;
  for (const Metric stock : {Metric::stock_prison, Metric::stock_detained, Metric::stock_awaiting_document,
                             Metric::stock_scheduled, Metric::stock_supervised})
    pending += m.at(t, k, stock);
  return pending;
}

/// One month's contribution of partner k to a summed or counted total.
double month_value(const RunTotalInfo& total, const MonthlySeries& m, std::size_t t, std::size_t k) {
  switch (total.reduction) {
    case Reduction::sum:
      return m.at(t, k, total.source) + (total.plus ? m.at(t, k, *total.plus) : 0.0);
    case Reduction::months_positive:
      return m.at(t, k, total.source) > 0 ? 1 : 0;
    default:
      throw std::logic_error("run totals: " + std::string(total.name) + " is not a sum over months");
  }
}

/// The days from first request to removal of partner k's removals (with
/// requests_in_run, of those whose request was sent during the run).
std::vector<double> removal_days(const RunTotalInfo& total, const ReplicationResult& result, std::size_t k) {
  std::vector<double> days;
  if (k < result.removals.size())
    for (const auto& removal : result.removals[k])
      if (!total.requests_in_run || removal.first_request_day >= 0) days.push_back(removal.days_request_to_removal);
  return days;
}

/// Total `total` of partner k over months [first, end).
double partner_value(const RunTotalInfo& total, const ReplicationResult& result, std::size_t k, std::size_t first,
                     std::size_t end) {
  const auto& m = result.monthly;
  switch (total.reduction) {
    case Reduction::sum:
    case Reduction::months_positive: {
      double value = 0;
      for (std::size_t t = first; t < end && t < m.months(); ++t) value += month_value(total, m, t, k);
      return value;
    }
    case Reduction::first_month:
      return m.at(0, k, total.source);
    case Reduction::pending_at_end:
      return pending_docket(m, m.months() - 1, k);
    case Reduction::median_days_to_removal:
      return median_of(removal_days(total, result, k));
  }
  return not_a_number;
}

/// The overall value of `total` from its partners' values (`partner_values`,
/// in partner order: a fixed order, so the same bits every time).
double overall_value(const RunTotalInfo& total, const ReplicationResult& result,
                     const std::vector<double>& partner_values) {
  switch (total.reduction) {
    case Reduction::median_days_to_removal: {
      std::vector<double> pooled;
      for (std::size_t k = 0; k < partner_values.size(); ++k) {
        const auto days = removal_days(total, result, k);
        pooled.insert(pooled.end(), days.begin(), days.end());
      }
      return median_of(std::move(pooled));
    }
    case Reduction::first_month: {
      // Shares weighted by the partners' pending dockets then.
      double covered = 0, pending = 0;
      for (std::size_t k = 0; k < partner_values.size(); ++k) {
        const double docket = pending_docket(result.monthly, 0, k);
        if (docket > 0 && !std::isnan(partner_values[k])) {
          covered += partner_values[k] * docket;
          pending += docket;
        }
      }
      return pending > 0 ? covered / pending : not_a_number;
    }
    default: {
      double sum = 0;
      for (const double value : partner_values) sum += value;
      return sum;
    }
  }
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

const RunTotalInfo& windowed_total(std::string_view name) {
  const RunTotalInfo* total = find_run_total(name);
  if (total == nullptr || !total->windowed)
    throw std::logic_error("run totals: no windowed total " + std::string(name) + " (check_outcome_window_totals)");
  return *total;
}

}  // namespace

int us_fiscal_year(const Date& first_of_month) {
  return first_of_month.year() + (first_of_month.month() >= 10 ? 1 : 0);
}

std::vector<std::string_view> windowed_totals() {
  std::vector<std::string_view> names;
  for (const auto& total : run_total_table)
    if (total.windowed) names.push_back(total.name);
  return names;
}

std::vector<const RunTotalInfo*> headline_totals() {
  std::vector<const RunTotalInfo*> totals;
  for (const auto& total : run_total_table)
    if (total.headline > 0) totals.push_back(&total);
  std::sort(totals.begin(), totals.end(), [](const auto* a, const auto* b) { return a->headline < b->headline; });
  return totals;
}

RunTotalsLayout::RunTotalsLayout(const Scenario& scenario) {
  for (const auto& total : run_total_table) metrics_.emplace_back(total.name);
  for (std::int64_t t = 0; t < scenario.horizon_months; ++t) {
    const int year = us_fiscal_year(scenario.start_date.plus_months(int(t)));
    if (!windows_.empty() && windows_.back().name == "fy" + std::to_string(year)) continue;
    windows_.push_back(window_totals(scenario, "fy" + std::to_string(year), Date::from_ymd(year - 1, 10, 1),
                                     Date::from_ymd(year, 10, 1), {"removals"}));
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
  for (const auto& window : windows_) {
    for (const auto& metric : window.metrics) windowed_total(metric);
    metrics_.insert(metrics_.end(), window.totals.begin(), window.totals.end());
  }

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
  const std::size_t months = result.monthly.months(), metric_total = metrics_.size();
  std::vector<double> values(values_per_replication(), 0.0);
  std::vector<double> partner_values(partners());
  const auto fill = [&](std::size_t i, const RunTotalInfo& total, std::size_t first, std::size_t end) {
    for (std::size_t k = 0; k < partners(); ++k)
      values[k * metric_total + i] = partner_values[k] = partner_value(total, result, k, first, end);
    values[overall_slot() * metric_total + i] = overall_value(total, result, partner_values);
  };
  std::size_t i = 0;
  for (const auto& total : run_total_table) fill(i++, total, 0, months);
  for (const auto& window : windows_)
    for (const auto& metric : window.metrics) fill(i++, windowed_total(metric), window.first_month, window.end_month);
  return values;
}

void check_outcome_window_totals(const ConfigNode& resolved, DiagnosticSink& sink) {
  const ConfigNode* windows = resolved.find("outcome_windows");
  if (windows == nullptr || !windows->is_map()) return;
  const auto known = windowed_totals();
  for (const auto& window : windows->entries()) {
    const ConfigNode* metrics = window.value.is_map() ? window.value.find("metrics") : nullptr;
    if (metrics == nullptr || !metrics->is_sequence()) continue;
    for (std::size_t i = 0; i < metrics->items().size(); ++i) {
      const ConfigNode& name = metrics->items()[i];
      if (!name.is_scalar() || std::find(known.begin(), known.end(), name.text()) != known.end()) continue;
      sink.error(name.where(), "outcome_windows." + window.key + ".metrics[" + std::to_string(i) + "]",
                 unknown_name_message("unknown run total a window can sum", excerpt(name.text()), known));
    }
  }
}

LoadedScenario load_run_scenario(const std::filesystem::path& path, LoadOptions options) {
  options.check = check_outcome_window_totals;
  return load_scenario(path, options);
}

LoadedScenario resolve_run_scenario(const MergedScenario& merged, LoadOptions options) {
  options.check = check_outcome_window_totals;
  return resolve_with_overrides(merged, options);
}

}  // namespace readmit
