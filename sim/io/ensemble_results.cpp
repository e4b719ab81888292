#include "readmit/io/ensemble_results.hpp"

#include <algorithm>
#include <stdexcept>

#include "readmit/io/csv.hpp"

#include "readmit/model/metrics.hpp"
#include "readmit/stats/moments.hpp"
#include "readmit/stats/paired.hpp"

namespace readmit {

namespace {

/// Event rows held in memory before they go to the temporary file, and the
/// size of the chunks read back.
constexpr std::size_t event_buffer_bytes = std::size_t(1) << 20;

}  // namespace

ScenarioResults::ScenarioResults(LoadedScenario loaded, const std::filesystem::path& work_directory)
    : loaded_(std::move(loaded)),
      layout_(loaded_.scenario),
      columns_(monthly_column_names(loaded_.scenario)),
      event_file_(work_directory, "event rows") {
  monthly_ = std::make_unique<MonthlyStore>(work_directory, std::size_t(loaded_.scenario.horizon_months),
                                            loaded_.scenario.partners.size(), columns_.size());
}

void ScenarioResults::add(const ReplicationResult& result) {
  monthly_->append(result.monthly);
  {
    CsvWriter csv(event_rows_);
    const auto& scenario = loaded_.scenario;
    for (const auto& e : result.events)
      csv.write_values(scenario.name, replications_ + 1, scenario.start_date.plus_days(e.day).to_string(),
                       scenario.partners[e.partner].name, e.kind, e.detail);
  }
  if (event_rows_.size() >= event_buffer_bytes) {
    event_file_.append(event_rows_);
    event_rows_.clear();
  }
  const auto values = layout_.compute(result);
  totals_.insert(totals_.end(), values.begin(), values.end());
  timings_.synthesis_seconds += result.timings.synthesis_seconds;
  timings_.simulation_seconds += result.timings.simulation_seconds;
  persons_ += result.persons;
  ++replications_;
}

void ScenarioResults::write_event_rows(CsvWriter& csv) const {
  std::string chunk;
  for (std::size_t offset = 0; offset < event_file_.size(); offset += chunk.size()) {
    chunk.resize(std::min(event_buffer_bytes, event_file_.size() - offset));
    event_file_.read_at(chunk.data(), chunk.size(), offset);
    csv.write_raw(chunk);
  }
  csv.write_raw(event_rows_);
}

std::vector<double> ScenarioResults::total_values(std::size_t slot, std::size_t metric) const {
  const std::size_t stride = layout_.values_per_replication();
  const std::size_t offset = slot * layout_.metrics().size() + metric;
  std::vector<double> values(replications_);
  for (std::size_t r = 0; r < replications_; ++r) values[r] = totals_[r * stride + offset];
  return values;
}

std::span<const double> ScenarioResults::replication_totals(std::size_t replication) const {
  const std::size_t stride = layout_.values_per_replication();
  return std::span<const double>(totals_).subspan(replication * stride, stride);
}

Summary ScenarioResults::total_summary(std::size_t slot, std::size_t metric) const {
  return summarize_finite(total_values(slot, metric));
}

namespace {

RunningMoments finite_moments(std::span<const double> values) {
  RunningMoments moments;
  for (double v : values)
    if (std::isfinite(v)) moments.add(v);
  return moments;
}

TotalComparison compare_at(const ScenarioResults& baseline, const ScenarioResults& alternative, std::size_t base_slot,
                           std::size_t base_metric, std::size_t alt_slot, std::size_t alt_metric) {
  const auto base_values = baseline.total_values(base_slot, base_metric);
  const auto alt_values = alternative.total_values(alt_slot, alt_metric);
  return TotalComparison{
      .partner = baseline.layout().slots()[base_slot],
      .metric = baseline.layout().metrics()[base_metric],
      .baseline = summarize_finite(base_values),
      .alternative = summarize_finite(alt_values),
      .difference = paired_difference_finite(alt_values, base_values),
      .unpaired = unpaired_difference_interval(finite_moments(alt_values), finite_moments(base_values)),
  };
}

void check_same_count(const ScenarioResults& baseline, const ScenarioResults& alternative) {
  if (baseline.replications() != alternative.replications())
    throw std::invalid_argument("paired comparison needs the same replications: " + baseline.name() + " has " +
                                std::to_string(baseline.replications()) + ", " + alternative.name() + " has " +
                                std::to_string(alternative.replications()));
}

}  // namespace

std::vector<TotalComparison> compare_totals(const ScenarioResults& baseline, const ScenarioResults& alternative) {
  check_same_count(baseline, alternative);
  std::vector<TotalComparison> rows;
  const auto& base = baseline.layout();
  const auto& alt = alternative.layout();
  for (std::size_t s = 0; s < base.slots().size(); ++s) {
    const std::size_t alt_slot = alt.slot_index(base.slots()[s]);
    if (alt_slot == alt.slots().size()) continue;
    for (std::size_t m = 0; m < base.metrics().size(); ++m) {
      const std::size_t alt_metric = alt.metric_index(base.metrics()[m]);
      if (alt_metric == alt.metrics().size()) continue;
      rows.push_back(compare_at(baseline, alternative, s, m, alt_slot, alt_metric));
    }
  }
  return rows;
}

TotalComparison compare_total(const ScenarioResults& baseline, const ScenarioResults& alternative,
                              std::string_view partner, std::string_view metric) {
  check_same_count(baseline, alternative);
  const auto& base = baseline.layout();
  const auto& alt = alternative.layout();
  const std::size_t bs = base.slot_index(partner), as = alt.slot_index(partner);
  const std::size_t bm = base.metric_index(metric), am = alt.metric_index(metric);
  if (bs == base.slots().size() || as == alt.slots().size() || bm == base.metrics().size() ||
      am == alt.metrics().size())
    throw std::invalid_argument("run total " + std::string(partner) + ":" + std::string(metric) + " is not in both " +
                                baseline.name() + " and " + alternative.name());
  return compare_at(baseline, alternative, bs, bm, as, am);
}

}  // namespace readmit
