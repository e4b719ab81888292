#include "readmit/io/comparison_timeseries.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <algorithm>
#include <stdexcept>

#include "readmit/io/csv.hpp"
#include "readmit/io/run_output.hpp"
#include "readmit/stats/paired.hpp"

namespace readmit {

namespace {

struct Pairing {
  const ScenarioResults& baseline;
  const ScenarioResults& alternative;
  std::vector<std::size_t> base_columns;  // baseline column, paired with
  std::vector<std::size_t> alt_columns;   // the alternative's of the same name
};

std::string month_rows(const Pairing& pair, const std::vector<double>& base_values,
                       const std::vector<double>& alt_values, std::size_t count, std::size_t t, std::size_t month) {
  const auto& base_store = pair.baseline.monthly();
  const auto& alt_store = pair.alternative.monthly();
  const std::size_t partners = base_store.partners();
  const std::string label = month_label(pair.baseline.scenario(), month);
  std::string text;
  CsvWriter csv(text);
  std::vector<double> base_sample, alt_sample, scratch;
  for (std::size_t slot = 0; slot <= partners; ++slot) {
    const std::string& partner = pair.baseline.layout().slots()[slot];
    for (std::size_t i = 0; i < pair.base_columns.size(); ++i) {
      const std::size_t bc = pair.base_columns[i], ac = pair.alt_columns[i];
      if (slot == partners && !monthly_column_has_overall(bc)) continue;
      base_store.gather(base_values, count, t, slot, bc, base_sample);
      alt_store.gather(alt_values, count, t, slot, ac, alt_sample);
      const Summary difference = paired_difference_finite(alt_sample, base_sample);
      const Summary base = summarize_finite(base_sample, scratch);
      const Summary alt = summarize_finite(alt_sample, scratch);
      csv.write_values(pair.baseline.name(), pair.alternative.name(), partner, label, pair.baseline.columns()[bc],
                       double(difference.n), base.mean, alt.mean, difference.mean, difference.sd, difference.ci95.low,
                       difference.ci95.high);
    }
  }
  csv.flush();
  return text;
}

}  // namespace

void write_comparison_timeseries(CsvWriter& out, const ScenarioResults& baseline, const ScenarioResults& alternative,
                                 unsigned threads) {
  const auto& base_store = baseline.monthly();
  const auto& alt_store = alternative.monthly();
  if (base_store.replications() != alt_store.replications() || base_store.partners() != alt_store.partners() ||
      base_store.months() != alt_store.months())
    throw std::invalid_argument("comparison_timeseries: " + alternative.name() + " and " + baseline.name() +
                                " differ in replications, partners or months");
  Pairing pair{baseline, alternative, {}, {}};
  for (std::size_t c = 0; c < baseline.columns().size(); ++c) {
    const auto& names = alternative.columns();
    const auto it = std::find(names.begin(), names.end(), baseline.columns()[c]);
    if (it == names.end()) continue;
    pair.base_columns.push_back(c);
    pair.alt_columns.push_back(std::size_t(it - names.begin()));
  }
  const std::size_t month_bytes = std::max<std::size_t>(
      1, base_store.replications() * (base_store.month_size() + alt_store.month_size()) * sizeof(double));
  const std::size_t block = std::max<std::size_t>(1, statistics_block_bytes / month_bytes);
  tbb::task_arena arena(static_cast<int>(std::max(1u, threads)));
  std::vector<double> base_values, alt_values;
  for (std::size_t first = 0; first < base_store.months(); first += block) {
    const std::size_t count = std::min(block, base_store.months() - first);
    base_store.read_months(first, count, base_values);
    alt_store.read_months(first, count, alt_values);
    std::vector<std::string> months(count);
    arena.execute([&] {
      tbb::parallel_for(std::size_t(0), count, [&](std::size_t t) {
        months[t] = month_rows(pair, base_values, alt_values, count, t, first + t);
      });
    });
    for (const auto& text : months) out.write_raw(text);
  }
}

}  // namespace readmit
