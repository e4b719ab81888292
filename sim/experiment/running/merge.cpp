// Merging an experiment's points: their summaries, paired differences and
// replications into one CSV file each and the tables of one SQLite database
// (with the experiment's facts, parameters, policies and points), and the
// analysis (sensitivity.csv, prim_boxes.csv) when every point is there.
#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "readmit/util/bounded_file.hpp"
#include "readmit/util/version.hpp"
#include "running/run.hpp"

namespace readmit::experiment_run {

namespace fs = std::filesystem;

namespace {

/// The fields of every data line of a point's CSV file, read through the
/// bounded reader (a regular file, no link followed, lines of at most 1 MiB).
std::vector<std::vector<std::string>> read_csv_rows(const Directory& point, const std::string& name,
                                                    std::size_t fields) {
  const fs::path shown = point.path() / name;
  BoundedLineReader in(name,
                       {.max_bytes = std::uint64_t(1) << 40,
                        .what = "a CSV file readmit wrote",
                        .follow_links = false,
                        .directory_fd = point.fd(),
                        .shown = shown.string()},
                       std::size_t(1) << 20);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  bool header = true;
  while (in.next(line)) {
    if (std::exchange(header, false) || line.empty()) continue;
    auto row = parse_csv_record(line);
    if (!row || row->size() != fields)
      throw IoError("'" + shown.string() + "' has a malformed line: " + excerpt(line, 80));
    rows.push_back(std::move(*row));
  }
  if (!in.problem().empty()) throw IoError("cannot read " + shown.string() + ": " + in.problem());
  return rows;
}

/// A point's rows must name the experiment's policies (their scenarios are
/// named after them): anything else is a folder of other inputs.
IoError foreign_policy(const Directory& point, const std::string& file, const std::string& name) {
  return IoError("'" + (point.path() / file).string() + "' holds rows of \"" + excerpt(name) +
                 "\", which is not a policy of this experiment (rerun with --restart to compute the point again)");
}

SqlValue number_field(const std::string& text) {
  const auto value = parse_csv_number(text);
  return value && std::isfinite(*value) ? SqlValue(*value) : SqlValue();
}

double number_of(const std::string& text) { return parse_csv_number(text).value_or(NAN); }

const std::vector<std::string> statistic_names = {"n",   "mean", "sd",  "p05",      "p25",
                                                  "p50", "p75",  "p95", "ci95_low", "ci95_high"};
const std::vector<std::string> comparison_names = {"n",
                                                   "baseline_mean",
                                                   "baseline_ci95_low",
                                                   "baseline_ci95_high",
                                                   "alternative_mean",
                                                   "alternative_ci95_low",
                                                   "alternative_ci95_high",
                                                   "difference_mean",
                                                   "difference_sd",
                                                   "difference_ci95_low",
                                                   "difference_ci95_high",
                                                   "unpaired_ci95_low",
                                                   "unpaired_ci95_high"};

std::vector<Column> with_numbers(std::vector<Column> columns, const std::vector<std::string>& names) {
  for (const auto& name : names) columns.push_back({name, name == "n" ? "INTEGER" : "REAL"});
  return columns;
}

bool numeric(const Uncertainty& u) {
  return std::all_of(u.labels.begin(), u.labels.end(), [](const std::string& label) {
    const auto v = parse_csv_number(label);
    return v && std::isfinite(*v);
  });
}

}  // namespace

MergeResult merge_points(const Experiment& e, const ExperimentOptions& options, const PointFolders& folders,
                         const std::vector<std::size_t>& selected, const Directory& out, StagedFiles& staged,
                         unsigned threads) {
  const bool sweep = options.command == "sweep";
  ResultsDatabase database(out, sweep ? "sweep.sqlite" : "experiment.sqlite", &staged);
  {
    database.execute("CREATE TABLE experiment (key TEXT PRIMARY KEY, value TEXT);");
    auto insert = database.inserter("experiment", std::vector<std::string>{"key", "value"});
    const std::vector<std::pair<std::string, std::string>> facts = {
        {"command", options.command},
        {"file", e.file.string()},
        {"file_hash", e.file_hash},
        {"scenario", e.scenario.string()},
        {"design", std::string(e.method_name())},
        {"design_seed", std::to_string(e.design_seed)},
        {"points_total", std::to_string(e.points())},
        {"points_merged", std::to_string(selected.size())},
        {"shard", std::to_string(options.shard.index) + "/" + std::to_string(options.shard.count)},
        {"readmit_version", std::string(version())},
        {"git_revision", std::string(git_revision())},
        {"base_scenario_resolved", e.base_resolved_yaml}};
    for (const auto& [key, value] : facts) insert.row(std::vector<SqlValue>{key, value});
  }
  {
    database.execute(
        "CREATE TABLE parameters (parameter INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, distribution TEXT, "
        "whole_numbers INTEGER);"
        "CREATE TABLE policies (policy INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, overlays TEXT, overrides "
        "TEXT);");
    auto parameters =
        database.inserter("parameters", std::vector<std::string>{"parameter", "path", "distribution", "whole_numbers"});
    for (std::size_t d = 0; d < e.uncertainties.size(); ++d) {
      const auto& u = e.uncertainties[d];
      parameters.row(std::vector<SqlValue>{std::int64_t(d + 1), u.path, u.description, std::int64_t(u.integer)});
    }
    auto policies = database.inserter("policies", std::vector<std::string>{"policy", "name", "overlays", "overrides"});
    for (std::size_t q = 0; q < e.policies.size(); ++q) {
      std::string overlays, overrides;
      for (const auto& o : e.policies[q].overlays) overlays += (overlays.empty() ? "" : "\n") + o.string();
      for (const auto& [path, value] : e.policies[q].overrides)
        overrides += (overrides.empty() ? "" : "\n") + path + "=" + value;
      policies.row(std::vector<SqlValue>{std::int64_t(q), e.policies[q].name, overlays, overrides});
    }
  }
  {
    std::vector<Column> columns{{"point", "INTEGER"}};
    for (const auto& u : e.uncertainties)
      columns.push_back({u.path, u.integer ? "INTEGER" : numeric(u) ? "REAL" : "TEXT"});
    TableWriter points(out, "points.csv", staged, database, "points", columns, {"point"});
    for (const std::size_t p : selected) {
      Row row{std::int64_t(p + 1)};
      for (std::size_t d = 0; d < e.uncertainties.size(); ++d) {
        const auto& u = e.uncertainties[d];
        const double value = e.point_values(p, d);
        row.push_back(u.integer    ? SqlValue(std::int64_t(std::llround(value)))
                      : numeric(u) ? SqlValue(value)
                                   : SqlValue(e.point_texts[p][d]));
      }
      points.row(row);
    }
    points.commit();
  }

  MergeResult merged;
  const std::size_t P = e.points(), Q = e.policies.size(), O = e.outcomes.size();
  merged.table.means.assign(O, std::vector<std::vector<double>>(Q, std::vector<double>(P, NAN)));
  merged.table.differences = merged.table.means;
  std::map<std::pair<std::string, std::string>, std::size_t> outcome_index;  // (partner, metric)
  for (std::size_t o = 0; o < O; ++o) outcome_index[{e.outcomes[o].partner, e.outcomes[o].metric}] = o;
  std::map<std::string, std::size_t> policy_index;
  for (std::size_t q = 0; q < Q; ++q) policy_index[e.policies[q].name] = q;

  {  // The tables' statements must be finalized before the database commits.
    // Sweeps keep their historical table: no policy column (one policy).
    std::vector<Column> summary_columns{{"point", "INTEGER"}};
    std::vector<std::string> summary_key{"point"};
    if (!sweep) summary_columns.push_back(Column{"policy", "TEXT"}), summary_key.emplace_back("policy");
    summary_columns.insert(summary_columns.end(), {{"partner", "TEXT"}, {"metric", "TEXT"}});
    summary_key.insert(summary_key.end(), {"partner", "metric"});
    std::vector<std::string> summary_index{"metric", "partner"};
    if (!sweep) summary_index.emplace_back("policy");
    TableWriter summary(out, sweep ? "sweep.csv" : "summary.csv", staged, database, "outcomes",
                        with_numbers(summary_columns, statistic_names), summary_key, {summary_index});
    std::optional<TableWriter> differences;
    if (Q > 1)
      differences.emplace(out, "differences.csv", staged, database, "differences",
                          with_numbers(
                              {
                                  {"point", "INTEGER"},
                                  {"baseline", "TEXT"},
                                  {"alternative", "TEXT"},
                                  {"partner", "TEXT"},
                                  {"metric", "TEXT"},
                              },
                              comparison_names),
                          std::vector<std::string>{"point", "alternative", "partner", "metric"},
                          std::vector<std::vector<std::string>>{{"metric", "partner", "alternative"}});
    std::optional<TableWriter> replications;
    if (e.keep.replications)
      replications.emplace(out, "replications.csv", staged, database, "replications",
                           std::vector<Column>{{"point", "INTEGER"},
                                               {"policy", "TEXT"},
                                               {"replication", "INTEGER"},
                                               {"partner", "TEXT"},
                                               {"metric", "TEXT"},
                                               {"value", "REAL"}},
                           std::vector<std::string>{"point", "policy", "replication", "partner", "metric"});

    for (const std::size_t p : selected) {
      const Directory dir = folders.dir(p + 1, false);
      const SqlValue point = std::int64_t(p + 1);
      for (const auto& f : read_csv_rows(dir, "summary.csv", 13)) {
        Row row{point};
        if (!sweep) row.push_back(f[0]);
        row.insert(row.end(), {f[1], f[2]});
        for (std::size_t i = 3; i < 13; ++i)
          row.push_back(i == 3 ? SqlValue(std::int64_t(number_of(f[3]))) : number_field(f[i]));
        summary.row(row);
        const auto o = outcome_index.find({f[1], f[2]});
        const auto q = policy_index.find(f[0]);
        if (q == policy_index.end()) throw foreign_policy(dir, "summary.csv", f[0]);
        if (o != outcome_index.end()) merged.table.means[o->second][q->second][p] = number_of(f[4]);
      }
      if (differences) {
        for (const auto& f : read_csv_rows(dir, "comparison.csv", 17)) {
          Row row{point, f[0], f[1], f[2], f[3], SqlValue(std::int64_t(number_of(f[4])))};
          for (std::size_t i = 5; i < 17; ++i) row.push_back(number_field(f[i]));
          differences->row(row);
          const auto o = outcome_index.find({f[2], f[3]});
          const auto q = policy_index.find(f[1]);
          if (q == policy_index.end()) throw foreign_policy(dir, "comparison.csv", f[1]);
          if (o != outcome_index.end()) merged.table.differences[o->second][q->second][p] = number_of(f[11]);
        }
      }
      if (replications) {
        for (const auto& f : read_csv_rows(dir, "replications.csv", 5))
          replications->row(Row{point, f[0], SqlValue(std::int64_t(number_of(f[1]))), f[2], f[3], number_field(f[4])});
      }
    }
    summary.commit();
    if (differences) differences->commit();
    if (replications) replications->commit();
  }

  // The analysis needs every point of the design (Sobol and Morris their structure).
  // Without it, an earlier analysis goes when the folder is published.
  merged.analysed = selected.size() == P && !e.outcomes.empty() && !e.uncertainties.empty();
  if (merged.analysed) {
    TableWriter sensitivity(out, "sensitivity.csv", staged, database, "sensitivity", sensitivity_columns());
    for (const auto& row : sensitivity_rows(e, merged.table, threads)) sensitivity.row(row);
    sensitivity.commit();
    TableWriter boxes(out, "prim_boxes.csv", staged, database, "prim_boxes", prim_columns());
    for (const auto& row : prim_rows(e, merged.table)) boxes.row(row);
    boxes.commit();
  }
  database.commit();
  return merged;
}

}  // namespace readmit::experiment_run
