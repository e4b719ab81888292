#include "readmit/io/run_output.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "readmit/io/atomic_file.hpp"
#include "readmit/io/csv.hpp"
#include "readmit/stats/quantiles.hpp"
#include "readmit/version.hpp"

namespace readmit {

namespace {

std::string month_label(const Scenario& scenario, std::size_t month) {
  const Date first = scenario.start_date.plus_months(int(month));
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u", first.year(), first.month());
  return buffer;
}

/// US fiscal year of a calendar month (October starts the next fiscal year).
int fiscal_year(const Date& first_of_month) { return first_of_month.year() + (first_of_month.month() >= 10 ? 1 : 0); }

void write_csv(const std::filesystem::path& path, const std::function<void(CsvWriter&)>& rows) {
  AtomicFileWriter file(path);
  CsvWriter csv(file.stream());
  rows(csv);
  file.commit();
}

}  // namespace

std::string text_hash(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

std::vector<RunTotal> run_totals(const Scenario& scenario, const ReplicationResult& result, std::size_t k) {
  const auto& m = result.monthly;
  auto sum = [&](Metric metric) {
    double total = 0;
    for (std::size_t t = 0; t < m.months(); ++t) total += m.at(t, k, metric);
    return total;
  };
  const std::size_t last = m.months() - 1;
  const double pending = m.at(last, k, Metric::stock_prison) + m.at(last, k, Metric::stock_detained) +
                         m.at(last, k, Metric::stock_awaiting_document) + m.at(last, k, Metric::stock_scheduled) +
                         m.at(last, k, Metric::stock_supervised);
  double months_sanctioned = 0;
  for (std::size_t t = 0; t < m.months(); ++t) months_sanctioned += m.at(t, k, Metric::sanction_step) > 0 ? 1 : 0;
  std::vector<RunTotal> totals = {
      {"removals", sum(Metric::removals)},
      {"custody_releases", sum(Metric::custody_releases)},
      {"requests", sum(Metric::requests)},
      {"acceptances", sum(Metric::acceptances)},
      {"denials", sum(Metric::denials)},
      {"redetentions", sum(Metric::redetentions) + sum(Metric::raid_detentions)},
      {"relief", sum(Metric::relief)},
      {"bed_days", sum(Metric::bed_days)},
      {"detention_cost_usd", sum(Metric::detention_cost_usd)},
      {"child_days_separated", sum(Metric::child_days_separated)},
      {"children_affected", sum(Metric::children_affected)},
      {"main_earners_lost", sum(Metric::main_earners_lost)},
      {"severe_outcomes", sum(Metric::severe_outcomes)},
      {"homelessness", sum(Metric::homelessness)},
      {"months_under_sanction", months_sanctioned},
      {"pending_docket_at_end", pending},
  };
  // Removals by US fiscal year, for comparison with ICE's figures.
  std::map<int, double> by_fiscal_year;
  for (std::size_t t = 0; t < m.months(); ++t)
    by_fiscal_year[fiscal_year(scenario.start_date.plus_months(int(t)))] += m.at(t, k, Metric::removals);
  for (const auto& [year, removals] : by_fiscal_year) totals.push_back({"removals_fy" + std::to_string(year), removals});
  return totals;
}

void write_run_outputs(const std::filesystem::path& directory, const LoadedScenario& loaded,
                       const std::vector<ReplicationResult>& results, const RunInfo& info) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) throw IoError("cannot create output folder " + directory.string() + ": " + ec.message());
  const Scenario& scenario = loaded.scenario;
  const std::string resolved = loaded.resolved_yaml();
  write_file_atomically(directory / "scenario.resolved.yaml", resolved);

  write_csv(directory / "monthly.csv", [&](CsvWriter& csv) {
    csv.write_row({"scenario", "replication", "month", "partner", "metric", "value"});
    for (std::size_t r = 0; r < results.size(); ++r) {
      const auto& m = results[r].monthly;
      for (std::size_t t = 0; t < m.months(); ++t) {
        const std::string month = month_label(scenario, t);
        for (std::size_t k = 0; k < m.partners(); ++k)
          for (std::size_t i = 0; i < metric_count; ++i)
            csv.write_values(scenario.name, r + 1, month, scenario.partners[k].name, metric_info[i].name,
                             m.at(t, k, Metric(i)));
      }
    }
  });
  write_csv(directory / "totals.csv", [&](CsvWriter& csv) {
    csv.write_row({"scenario", "replication", "partner", "metric", "value"});
    for (std::size_t r = 0; r < results.size(); ++r)
      for (std::size_t k = 0; k < scenario.partners.size(); ++k)
        for (const auto& total : run_totals(scenario, results[r], k))
          csv.write_values(scenario.name, r + 1, scenario.partners[k].name, total.metric, total.value);
  });
  write_csv(directory / "events.csv", [&](CsvWriter& csv) {
    csv.write_row({"date", "note"});
    for (const auto& event : scenario.timeline)
      if (!event.note.empty()) csv.write_values(event.date.to_string(), event.note);
  });

  nlohmann::ordered_json meta;
  meta["readmit_version"] = std::string(version());
  meta["git_revision"] = std::string(git_revision());
  meta["compiler"] = std::string(compiler());
  meta["scenario"] = scenario.name;
  meta["scenario_hash"] = text_hash(resolved);
  meta["source_files"] = loaded.source_files;
  meta["overrides"] = loaded.overrides;
  meta["seed"] = scenario.seed;
  meta["replications"] = results.size();
  meta["threads"] = info.threads;
  meta["wall_seconds"] = info.wall_seconds;
  meta["command_line"] = info.command_line;
  meta["start_date"] = scenario.start_date.to_string();
  meta["horizon_months"] = scenario.horizon_months;
  write_file_atomically(directory / "metadata.json", meta.dump(2) + "\n");
}

std::string summary_table(const Scenario& scenario, const std::vector<ReplicationResult>& results) {
  std::ostringstream out;
  const bool many = results.size() > 1;
  for (std::size_t k = 0; k < scenario.partners.size(); ++k) {
    std::vector<std::vector<double>> values;
    std::vector<std::string> names;
    for (const auto& result : results) {
      const auto totals = run_totals(scenario, result, k);
      if (names.empty())
        for (const auto& t : totals) names.push_back(t.metric), values.emplace_back();
      for (std::size_t i = 0; i < totals.size() && i < values.size(); ++i) values[i].push_back(totals[i].value);
    }
    out << scenario.partners[k].name << " (" << results.size() << (many ? " replications: mean [5%, 95%]" : " replication")
        << ")\n";
    for (std::size_t i = 0; i < names.size(); ++i) {
      double mean = 0;
      for (double v : values[i]) mean += v;
      mean /= double(values[i].size());
      char line[160];
      if (many) {
        const double probs[] = {0.05, 0.95};
        const auto q = quantiles(values[i], probs);
        std::snprintf(line, sizeof line, "  %-24s %14.1f  [%.1f, %.1f]\n", names[i].c_str(), mean, q[0], q[1]);
      } else {
        std::snprintf(line, sizeof line, "  %-24s %14.1f\n", names[i].c_str(), mean);
      }
      out << line;
    }
  }
  return out.str();
}

}  // namespace readmit
