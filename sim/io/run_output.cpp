#include "readmit/io/run_output.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "readmit/io/atomic_file.hpp"
#include "readmit/io/comparison_timeseries.hpp"
#include "readmit/io/csv.hpp"
#include "readmit/io/data_dictionary.hpp"
#include "readmit/io/output_file.hpp"
#include "readmit/model/amendments.hpp"
#include "readmit/model/metrics.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/util/version.hpp"

namespace readmit {

namespace {

/// Writes a CSV file, compressed when asked, and returns its name on disk.
std::string write_csv(const Directory& directory, const std::string& name, bool gzip, StagedFiles* staging,
                      const std::function<void(CsvWriter&)>& rows) {
  OutputFile file(directory, name, gzip, staging);
  {
    CsvWriter csv(file);
    rows(csv);
  }
  file.commit();
  return file.path().filename().string();
}

bool selected(const std::vector<std::string>& chosen, std::string_view name) {
  return chosen.empty() || std::find(chosen.begin(), chosen.end(), name) != chosen.end();
}

constexpr std::string_view file_stems[] = {"replications",          "timeseries", "summary", "comparison",
                                           "comparison_timeseries", "events",     "monthly"};

std::array<double, 10> statistic_values(const Summary& s) {
  return {double(s.n), s.mean, s.sd, s.p05, s.p25, s.p50, s.p75, s.p95, s.ci95.low, s.ci95.high};
}

void write_replications(CsvWriter& csv, const ScenarioResults& s) {
  const auto& layout = s.layout();
  for (std::size_t r = 0; r < s.replications(); ++r) {
    const auto totals = s.replication_totals(r);
    for (std::size_t slot = 0; slot < layout.slots().size(); ++slot)
      for (std::size_t m = 0; m < layout.metrics().size(); ++m)
        csv.write_values(s.name(), r + 1, layout.slots()[slot], layout.metrics()[m],
                         totals[slot * layout.metrics().size() + m]);
  }
}

/// The rows of one month of timeseries.csv, from `values` laid out as
/// MonthlyStore::read_months gives them (`count` months, month `t` of them).
std::string timeseries_month(const ScenarioResults& s, const OutputSelection& selection,
                             const std::vector<std::string>& column_fields, const std::vector<double>& values,
                             std::size_t count, std::size_t t, std::size_t month) {
  const auto& store = s.monthly();
  const std::size_t partners = store.partners(), columns = store.columns();
  const std::string label = month_label(s.scenario(), month);
  std::string text;
  text.reserve((partners + 1) * columns * 96);  // about a row's length: no copies while growing
  CsvWriter csv(text);
  std::vector<double> sample, scratch;
  // The first four fields repeat: encode them once per partner and metric.
  const std::string scenario_and = csv_field(s.name()) + ",";
  std::string prefix;
  for (std::size_t slot = 0; slot <= partners; ++slot) {
    const std::string& partner = s.layout().slots()[slot];
    if (!selected(selection.partners, partner)) continue;
    const std::string partner_and_month = scenario_and + csv_field(partner) + "," + label + ",";
    for (std::size_t c = 0; c < columns; ++c) {
      if ((slot == partners && !monthly_column_has_overall(c)) || !selected(selection.metrics, s.columns()[c]))
        continue;
      store.gather(values, count, t, slot, c, sample);
      const auto v = statistic_values(summarize_finite(sample, scratch));
      prefix.assign(partner_and_month).append(column_fields[c]).push_back(',');
      csv.write_numbers(prefix, v);
    }
  }
  csv.flush();
  return text;
}

/// Months are formatted in parallel (each month's rows depend only on its
/// values) and written in month order, so the bytes never depend on the
/// thread count.
void write_timeseries(CsvWriter& out, const ScenarioResults& s, const OutputSelection& selection,
                      tbb::task_arena& arena) {
  const auto& store = s.monthly();
  const std::size_t month_bytes = std::max<std::size_t>(1, store.replications() * store.month_size() * sizeof(double));
  const std::size_t block = std::max<std::size_t>(1, statistics_block_bytes / month_bytes);
  std::vector<std::string> column_fields;
  for (const auto& column : s.columns()) column_fields.push_back(csv_field(column));
  std::vector<double> values;
  for (std::size_t first = 0; first < store.months(); first += block) {
    const std::size_t count = std::min(block, store.months() - first);
    store.read_months(first, count, values);
    std::vector<std::string> months(count);
    arena.execute([&] {
      tbb::parallel_for(std::size_t(0), count, [&](std::size_t t) {
        months[t] = timeseries_month(s, selection, column_fields, values, count, t, first + t);
      });
    });
    for (const auto& text : months) out.write_raw(text);
  }
}

void write_summary(CsvWriter& csv, const ScenarioResults& s) {
  const auto& layout = s.layout();
  for (std::size_t slot = 0; slot < layout.slots().size(); ++slot)
    for (std::size_t m = 0; m < layout.metrics().size(); ++m) {
      const auto v = statistic_values(s.total_summary(slot, m));
      csv.write_values(s.name(), layout.slots()[slot], layout.metrics()[m], v[0], v[1], v[2], v[3], v[4], v[5], v[6],
                       v[7], v[8], v[9]);
    }
}

void write_comparison(CsvWriter& csv, const ScenarioResults& base, const ScenarioResults& alt) {
  for (const auto& c : compare_totals(base, alt))
    csv.write_values(base.name(), alt.name(), c.partner, c.metric, double(c.difference.n), c.baseline.mean,
                     c.baseline.ci95.low, c.baseline.ci95.high, c.alternative.mean, c.alternative.ci95.low,
                     c.alternative.ci95.high, c.difference.mean, c.difference.sd, c.difference.ci95.low,
                     c.difference.ci95.high, c.unpaired.low, c.unpaired.high);
}

void write_monthly(CsvWriter& csv, const ScenarioResults& s, const OutputSelection& selection) {
  const auto& store = s.monthly();
  std::vector<std::string> months;
  for (std::size_t t = 0; t < store.months(); ++t) months.push_back(month_label(s.scenario(), t));
  std::vector<double> values;
  for (std::size_t r = 0; r < store.replications(); ++r) {
    store.read_replication(r, values);
    for (std::size_t t = 0; t < store.months(); ++t)
      for (std::size_t k = 0; k < store.partners(); ++k) {
        if (!selected(selection.partners, s.layout().slots()[k])) continue;
        for (std::size_t c = 0; c < store.columns(); ++c)
          if (selected(selection.metrics, s.columns()[c]))
            csv.write_values(s.name(), r + 1, months[t], s.layout().slots()[k], s.columns()[c],
                             values[t * store.month_size() + k * store.columns() + c]);
      }
  }
}

nlohmann::ordered_json number_or_null(double value) {
  return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

}  // namespace

void check_output_selection(const OutputSelection& selection, const Scenario& scenario) {
  auto check = [](const std::vector<std::string>& chosen, std::span<const std::string_view> known, const char* what) {
    for (const auto& name : chosen)
      if (std::find(known.begin(), known.end(), name) == known.end())
        throw std::invalid_argument(unknown_name_message(what, name, known));
  };
  check(selection.files, file_stems, "unknown output file");
  const auto columns = monthly_column_names(scenario);
  const std::vector<std::string_view> metrics(columns.begin(), columns.end());
  check(selection.metrics, metrics, "unknown monthly metric");
  std::vector<std::string_view> partners;
  for (const auto& partner : scenario.partners) partners.push_back(partner.name);
  partners.emplace_back("all");
  check(selection.partners, partners, "unknown partner");
}

bool monthly_column_has_overall(std::size_t column) {
  return column >= metric_count || metric_info[column].kind != MetricKind::level;
}

std::string text_hash(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

std::string month_label(const Scenario& scenario, std::size_t month) {
  const Date first = scenario.start_date.plus_months(int(month));
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u", first.year(), first.month());
  return buffer;
}

void write_outputs(const Directory& directory, std::span<const ScenarioResults* const> scenarios, const RunInfo& info,
                   StagedFiles* staging) {
  const auto writing_started = std::chrono::steady_clock::now();
  // Emitting YAML is slow (yaml-cpp checks every scalar): once per scenario.
  std::vector<std::string> resolved_texts;
  std::string resolved;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    resolved_texts.push_back(scenarios[i]->loaded().resolved_yaml());
    resolved += (i ? "---\n" : "") + resolved_texts.back();
  }
  write_file_atomically(directory, "scenario.resolved.yaml", resolved, staging);

  const auto& selection = info.outputs;
  const bool comparing = scenarios.size() > 1;
  auto wanted = [&](std::string_view stem) {
    if ((stem == "comparison" || stem == "comparison_timeseries") && !comparing) return false;
    if (selection.files.empty()) return stem != "monthly" || info.write_monthly;
    return selected(selection.files, stem) || (stem == "monthly" && info.write_monthly);
  };
  std::vector<std::string> written;
  auto csv_file = [&](std::string_view stem, const std::function<void(CsvWriter&)>& rows) {
    if (wanted(stem))
      written.push_back(write_csv(directory, std::string(stem) + ".csv", selection.gzip, staging, rows));
  };
  csv_file("replications", [&](CsvWriter& csv) {
    csv.write_row({"scenario", "replication", "partner", "metric", "value"});
    for (const auto* s : scenarios) write_replications(csv, *s);
  });
  csv_file("timeseries", [&](CsvWriter& csv) {
    tbb::task_arena arena(static_cast<int>(std::max(1u, info.threads)));
    csv.write_row({"scenario", "partner", "month", "metric", "n", "mean", "sd", "p05", "p25", "p50", "p75", "p95",
                   "ci95_low", "ci95_high"});
    for (const auto* s : scenarios) write_timeseries(csv, *s, selection, arena);
  });
  csv_file("summary", [&](CsvWriter& csv) {
    csv.write_row({"scenario", "partner", "metric", "n", "mean", "sd", "p05", "p25", "p50", "p75", "p95", "ci95_low",
                   "ci95_high"});
    for (const auto* s : scenarios) write_summary(csv, *s);
  });
  csv_file("comparison", [&](CsvWriter& csv) {
    csv.write_row({"baseline", "alternative", "partner", "metric", "n", "baseline_mean", "baseline_ci95_low",
                   "baseline_ci95_high", "alternative_mean", "alternative_ci95_low", "alternative_ci95_high",
                   "difference_mean", "difference_sd", "difference_ci95_low", "difference_ci95_high",
                   "unpaired_ci95_low", "unpaired_ci95_high"});
    for (std::size_t i = 1; i < scenarios.size(); ++i) write_comparison(csv, *scenarios[0], *scenarios[i]);
  });
  csv_file("comparison_timeseries", [&](CsvWriter& csv) {
    csv.write_raw(comparison_timeseries_header);
    for (std::size_t i = 1; i < scenarios.size(); ++i)
      write_comparison_timeseries(csv, *scenarios[0], *scenarios[i], info.threads);
  });
  csv_file("events", [&](CsvWriter& csv) {
    csv.write_row({"scenario", "replication", "date", "partner", "event", "detail"});
    for (const auto* s : scenarios) s->write_event_rows(csv);
  });
  csv_file("monthly", [&](CsvWriter& csv) {
    csv.write_row({"scenario", "replication", "month", "partner", "metric", "value"});
    for (const auto* s : scenarios) write_monthly(csv, *s, selection);
  });

  {
    // The dictionary of every scenario's metrics, each name once.
    std::vector<MetricDescription> metrics;
    for (const auto* s : scenarios)
      for (auto& m : data_dictionary(s->scenario()))
        if (std::none_of(metrics.begin(), metrics.end(), [&](const MetricDescription& known) {
              return known.name == m.name && known.table == m.table;
            }))
          metrics.push_back(std::move(m));
    written.push_back(write_csv(directory, "metrics.csv", selection.gzip, staging,
                                [&](CsvWriter& csv) { csv.write_raw(data_dictionary_csv(metrics)); }));
  }

  const Scenario& base = scenarios.front()->scenario();
  nlohmann::ordered_json meta;
  meta["readmit_version"] = std::string(version());
  meta["git_revision"] = std::string(git_revision());
  meta["compiler"] = std::string(compiler());
  meta["command"] = info.command;
  meta["scenario"] = base.name;
  meta["scenario_hash"] = text_hash(resolved_texts.front());
  meta["seed"] = base.seed;
  meta["replications"] = scenarios.front()->replications();
  meta["threads"] = info.threads;
  const auto now = std::chrono::steady_clock::now();
  meta["wall_seconds"] = std::chrono::duration<double>(now - info.started).count();
  // Where the time went: the replications' thread seconds, and the wall
  // time of writing these files.
  auto& timings = meta["timings"];
  double synthesis = 0, simulation = 0;
  std::size_t persons = 0;
  for (const auto* s : scenarios) {
    synthesis += s->timings().synthesis_seconds;
    simulation += s->timings().simulation_seconds;
    persons += s->persons();
  }
  timings["persons_simulated"] = persons;
  timings["synthesis_thread_seconds"] = synthesis;
  timings["simulation_thread_seconds"] = simulation;
  timings["output_seconds"] = std::chrono::duration<double>(now - writing_started).count();
  meta["command_line"] = info.command_line;
  auto& list = meta["scenarios"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const auto* s = scenarios[i];
    nlohmann::ordered_json entry;
    entry["name"] = s->name();
    entry["scenario_hash"] = text_hash(resolved_texts[i]);
    entry["source_files"] = s->loaded().source_files;
    entry["overrides"] = s->loaded().overrides;
    entry["start_date"] = s->scenario().start_date.to_string();
    entry["horizon_months"] = s->scenario().horizon_months;
    list.push_back(entry);
  }
  auto& windows = meta["outcome_windows"] = nlohmann::ordered_json::array();
  for (const auto& window : scenarios.front()->layout().windows())
    windows.push_back({{"name", window.name},
                       {"from", window.begin.to_string()},
                       {"through", window.end.plus_days(-1).to_string()},
                       {"complete", window.complete},
                       {"totals", window.totals}});
  if (info.stopping) {
    const auto& stop = *info.stopping;
    auto& until = meta["until_ci"];
    until["partner"] = stop.partner;
    until["metric"] = stop.metric;
    until["paired_difference"] = stop.paired;
    until["target_half_width"] = stop.target_half_width;
    until["achieved_half_width"] = number_or_null(stop.achieved_half_width);
    until["max_replications"] = stop.max_replications;
    until["stopped_by"] = stop.target_reached ? "target" : "max_replications";
  }
  if (info.uncertainty_assumptions) meta["uncertainty"] = "assumptions";
  if (info.assumptions) {
    auto& assumptions = meta["assumptions"];
    assumptions["ranges"] = info.assumptions->ranges;
    assumptions["replications"] = info.assumptions->replications;
  }
  auto& files = meta["files"] = nlohmann::ordered_json::array();
  files.push_back("scenario.resolved.yaml");
  for (const auto& name : written) files.push_back(name);
  for (const auto& name : info.extra_files) files.push_back(name);
  files.push_back("metadata.json");
  // Every text in it is UTF-8 (scenarios are checked on reading), but the
  // command line may not be: replace what is not, rather than fail at the end.
  write_file_atomically(directory, "metadata.json",
                        meta.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n", staging);
}

namespace {

/// One number format for the numbers shown together on a row: millions as
/// "1.23M", and fewer decimals for bigger numbers.
struct Scale {
  double divisor = 1;
  int decimals = 2;
  const char* suffix = "";
};

Scale scale_for(std::initializer_list<double> values) {
  double reference = 0;
  for (double v : values)
    if (std::isfinite(v)) reference = std::max(reference, std::fabs(v));
  if (reference >= 1e6) return {1e6, 2, "M"};
  return {1, reference >= 1000 ? 0 : reference >= 10 ? 1 : 2, ""};
}

std::string show(double value, const Scale& scale) {
  if (std::isnan(value)) return "NA";
  if (value == 0) return "0";
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*f%s", scale.decimals, value / scale.divisor, scale.suffix);
  return buffer;
}

std::string range(double low, double high) {
  const Scale scale = scale_for({low, high});
  return "[" + show(low, scale) + ", " + show(high, scale) + "]";
}

/// `text` in a column of `width` characters, at least one of them a space.
std::string padded(std::string text, std::size_t width) {
  if (text.size() >= width) text = text.substr(0, width - 2) + "~";
  text.resize(width, ' ');
  return text;
}

/// The label of a headline total: its metric name, as in the files, and its
/// unit (`readmit metrics` says what each means).
std::string label_of(const RunTotalInfo& total) {
  return std::string(total.name) + " (" + std::string(total.unit_or_metric()) + ")";
}

std::size_t label_width(const std::vector<const RunTotalInfo*>& headline) {
  std::size_t width = 0;
  for (const auto* total : headline) width = std::max(width, label_of(*total).size());
  return width + 2;
}

/// Whom each amendment would cover: its share of the docket at the start,
/// and how many of the removed it covers (docs/model.md section 7.19).
void coverage_lines(std::ostream& out, const ScenarioResults& base, std::size_t width) {
  const auto& layout = base.layout();
  const std::size_t all = layout.overall_slot();
  const auto index_of = [&](Metric source, Reduction reduction) {
    for (const auto& total : run_total_table)
      if (total.source == source && total.reduction == reduction) return layout.metric_index(total.name);
    return layout.metrics().size();
  };
  const Summary total = base.total_summary(all, layout.metric_index("removals"));
  out << "amendment coverage (terms in force or not): share of the docket at the start; of the removed\n";
  for (const auto& coverage : amendments::covered_removal_metrics) {
    const Summary share = base.total_summary(all, index_of(coverage.docket, Reduction::first_month));
    const Summary covered = base.total_summary(all, index_of(coverage.metric, Reduction::sum));
    char line[160];
    std::snprintf(line, sizeof line, "%.0f%% of the docket; %s of %s removed", 100 * share.mean,
                  show(covered.mean, scale_for({covered.mean})).c_str(),
                  show(total.mean, scale_for({total.mean})).c_str());
    out << padded("  " + std::string(amendment_names()[std::size_t(coverage.amendment)]), width) << line << "\n";
  }
}

}  // namespace

std::string with_interval(double mean, Interval interval) {
  const Scale scale = scale_for({mean, interval.low, interval.high});
  if (std::isnan(interval.low)) return show(mean, scale) + " [NA]";
  return show(mean, scale) + " [" + show(interval.low, scale) + ", " + show(interval.high, scale) + "]";
}

std::string summary_table(std::span<const ScenarioResults* const> scenarios) {
  std::ostringstream out;
  const ScenarioResults& base = *scenarios.front();
  const auto& layout = base.layout();
  const std::size_t all = layout.overall_slot();
  const std::string scope =
      layout.partners() > 1 ? "all partners (months_under_sanction: partner-months)" : layout.slots().front();
  const auto headline = headline_totals();
  const std::size_t width = label_width(headline);
  if (scenarios.size() == 1) {
    out << base.name() << ": " << base.replications() << " replications, seed " << base.scenario().seed << ", " << scope
        << "\n";
    out << padded("", width) << padded("mean [95% CI of the mean]", 28) << "5% - 95% of replications\n";
    for (const auto* total : headline) {
      const Summary s = base.total_summary(all, layout.metric_index(total->name));
      out << padded(label_of(*total), width) << padded(with_interval(s.mean, s.ci95), 28) << range(s.p05, s.p95)
          << "\n";
    }
    coverage_lines(out, base, width);
    return out.str();
  }
  for (std::size_t i = 1; i < scenarios.size(); ++i) {
    const ScenarioResults& alt = *scenarios[i];
    out << alt.name() << " vs " << base.name() << ": " << base.replications()
        << " paired replications (common random numbers), seed " << base.scenario().seed << ", " << scope << "\n";
    out << padded("mean [95% CI]", width) << padded(base.name(), 24) << padded(alt.name(), 24) << "difference\n";
    for (const auto* total : headline) {
      const auto c = compare_total(base, alt, "all", std::string(total->name));
      out << padded(label_of(*total), width) << padded(with_interval(c.baseline.mean, c.baseline.ci95), 24)
          << padded(with_interval(c.alternative.mean, c.alternative.ci95), 24)
          << with_interval(c.difference.mean, c.difference.ci95) << "\n";
    }
    if (i + 1 < scenarios.size()) out << "\n";
  }
  return out.str();
}

}  // namespace readmit
