// Running an experiment (or a sweep): the points of a shard, resumably, on
// the work queue; then the merged tables, the database and the analysis.
#include "readmit/app/experiment.hpp"

#include <stdlib.h>
#include <unistd.h>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "byte_codec.hpp"
#include "experiment_tables.hpp"
#include "readmit/app/ensemble_run.hpp"
#include "readmit/engine/ensemble.hpp"
#include "readmit/io/run_output.hpp"
#include "readmit/util/version.hpp"

namespace readmit {

namespace fs = std::filesystem;

TableWriter::TableWriter(const fs::path& csv_file, ResultsDatabase& database, const std::string& table,
                         std::vector<Column> columns, const std::vector<std::string>& primary_key,
                         const std::vector<std::vector<std::string>>& indexes)
    : file_(csv_file), csv_(file_.stream()), columns_(std::move(columns)) {
  std::string sql = "CREATE TABLE " + ResultsDatabase::quoted(table) + " (";
  std::vector<std::string> names;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    sql += (i ? ", " : "") + ResultsDatabase::quoted(columns_[i].name) + " " + columns_[i].type;
    names.push_back(columns_[i].name);
  }
  if (!primary_key.empty()) {
    sql += ", PRIMARY KEY (";
    for (std::size_t i = 0; i < primary_key.size(); ++i)
      sql += (i ? ", " : "") + ResultsDatabase::quoted(primary_key[i]);
    sql += ")) WITHOUT ROWID;";
  } else {
    sql += ");";
  }
  for (std::size_t i = 0; i < indexes.size(); ++i) {
    sql += " CREATE INDEX " + ResultsDatabase::quoted(table + "_by_" + std::to_string(i + 1)) + " ON " +
           ResultsDatabase::quoted(table) + " (";
    for (std::size_t c = 0; c < indexes[i].size(); ++c) sql += (c ? ", " : "") + ResultsDatabase::quoted(indexes[i][c]);
    sql += ");";
  }
  database.execute(sql);
  insert_.emplace(database.inserter(table, names));
  csv_.write_row(names);
}

void TableWriter::row(const Row& values) {
  std::vector<std::string> fields;
  fields.reserve(values.size());
  for (const auto& value : values) {
    if (const auto* integer = std::get_if<std::int64_t>(&value))
      fields.push_back(format_number(*integer));
    else if (const auto* real = std::get_if<double>(&value))
      fields.push_back(format_number(*real));
    else if (const auto* text = std::get_if<std::string>(&value))
      fields.push_back(*text);
    else
      fields.emplace_back("NA");
  }
  csv_.write_row(fields);
  insert_->row(values);
}

namespace {

/// The key of metadata.json that records what made a point.
constexpr std::string_view point_record_key = "experiment_point";

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct PointFolders {
  fs::path out_dir;
  std::size_t width = 4;
  fs::path dir(std::size_t point) const {  // 1-based
    std::string name = std::to_string(point);
    if (name.size() < width) name.insert(0, width - name.size(), '0');
    return out_dir / "points" / name;
  }
  bool complete(std::size_t point) const {
    std::error_code ec;
    return fs::exists(dir(point) / "metadata.json", ec);
  }
};

/// What makes a point's results: recorded next to them, compared on reruns.
/// The file's hash is not part of it: editing the analysis (outcomes, PRIM
/// thresholds) keeps the points.
nlohmann::ordered_json point_record(const Experiment& e, std::size_t point) {
  nlohmann::ordered_json record;
  record["point"] = point + 1;
  auto& policies = record["policies"] = nlohmann::ordered_json::array();
  for (std::size_t q = 0; q < e.policies.size(); ++q) {
    nlohmann::ordered_json policy;
    policy["name"] = e.policies[q].name;
    policy["overrides"] = e.overrides(point, q);
    std::vector<std::string> overlays;
    for (const auto& overlay : e.policies[q].overlays) overlays.push_back(overlay.string());
    policy["overlays"] = overlays;
    policy["scenario_hash"] = e.scenario_hashes[point * e.policies.size() + q];
    policies.push_back(policy);
  }
  record["seed"] = e.seeds[point];
  record["replications"] = e.point_replications[point];
  record["keep"] = {
      {"replications", e.keep.replications}, {"timeseries", e.keep.timeseries}, {"events", e.keep.events}};
  return record;
}

/// Why the folder's point cannot be reused, or empty.
std::string stale_reason(const fs::path& metadata_file, const nlohmann::ordered_json& expected) {
  nlohmann::json stored;
  try {
    stored = nlohmann::json::parse(read_bytes(metadata_file)).at(std::string(point_record_key));
  } catch (const std::exception&) {
    return "no readable " + std::string(point_record_key) + " in metadata.json";
  }
  for (const auto& [key, value] : expected.items())
    if (!stored.contains(key) || stored[key] != nlohmann::json(value))
      return key + " was " + (stored.contains(key) ? stored[key].dump() : "missing") + ", now " + value.dump();
  return {};
}

/// A private folder for one point's scratch files, removed when done.
class ScratchFolder {
 public:
  ScratchFolder() {
    // Scratch files are written and read back at once: on tmpfs when there is
    // one (their fsyncs cost nothing), unless TMPDIR says where.
    std::error_code ec;
    const fs::path root =
        std::getenv("TMPDIR") == nullptr && fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0
            ? fs::path("/dev/shm")
            : fs::temp_directory_path();
    std::string pattern = (root / "readmit-point-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw IoError("cannot create a temporary folder in " + pattern);
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// Runs every policy of a point and returns its output files, packed.
std::string compute_point(const Experiment& e, std::size_t point, unsigned threads, const std::string& command) {
  ScratchFolder scratch;
  std::vector<std::unique_ptr<ScenarioResults>> results;
  for (std::size_t q = 0; q < e.policies.size(); ++q) {
    LoadedScenario loaded = resolve_with_overrides(e.merged[q], e.overrides(point, q));
    loaded.scenario.seed = e.seeds[point];  // common random numbers
    results.push_back(std::make_unique<ScenarioResults>(std::move(loaded), scratch.path()));
    ScenarioResults& r = *results.back();
    EnsembleOptions ensemble;
    ensemble.replications = e.point_replications[point];
    ensemble.threads = threads;
    stream_ensemble(r.scenario(), ensemble, 0, [&r](std::uint64_t, ReplicationResult&& result) { r.add(result); });
  }
  std::vector<const ScenarioResults*> views;
  for (const auto& r : results) views.push_back(r.get());
  RunInfo info;
  info.command = command + " point";
  info.command_line = e.file.string() + " (point " + std::to_string(point + 1) + ")";
  info.threads = resolved_thread_count(threads);
  info.outputs.files = {"summary", "comparison"};
  if (e.keep.replications) info.outputs.files.emplace_back("replications");
  if (e.keep.timeseries) info.outputs.files.insert(info.outputs.files.end(), {"timeseries", "comparison_timeseries"});
  if (e.keep.events) info.outputs.files.emplace_back("events");
  write_outputs(scratch.path(), views, info);
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(scratch.path()))
    if (entry.is_regular_file() && entry.path().filename().string().front() != '.') files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  ByteWriter out;
  out.put(std::uint64_t(files.size()));
  for (const auto& file : files) {
    out.put_text(file.filename().string());
    out.put_text(read_bytes(file));
  }
  return out.take();
}

/// Writes a computed point into its folder: its files, then metadata.json
/// (with the point's record) last, each atomically.
void store_point(const PointFolders& folders, const Experiment& e, std::size_t point, const std::string& packed) {
  const fs::path dir = folders.dir(point + 1);
  std::error_code ec;
  fs::remove_all(dir, ec);  // a point killed half-way starts afresh
  fs::create_directories(dir, ec);
  if (ec) throw IoError("cannot create output folder '" + dir.string() + "': " + ec.message());
  ByteReader in(packed);
  const auto count = in.get<std::uint64_t>();
  std::string metadata;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::string name = in.get_text();
    std::string contents = in.get_text();
    if (name.find('/') != std::string::npos || name.starts_with('.')) throw IoError("a point sent a bad file name");
    if (name == "metadata.json")
      metadata = std::move(contents);
    else
      write_file_atomically(dir / name, contents);
  }
  auto meta = nlohmann::ordered_json::parse(metadata);
  meta[std::string(point_record_key)] = point_record(e, point);
  write_file_atomically(dir / "metadata.json", meta.dump(2) + "\n");
}

/// The fields of every data line of a point's CSV file.
std::vector<std::vector<std::string>> read_csv_rows(const fs::path& file, std::size_t fields) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError("cannot read '" + file.string() + "'");
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto row = parse_csv_record(line);
    if (!row || row->size() != fields)
      throw IoError("'" + file.string() + "' has a malformed line: " + line.substr(0, 80));
    rows.push_back(std::move(*row));
  }
  return rows;
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

struct MergeResult {
  OutcomeTable table;
  bool analysed = false;
};

/// Merges the selected points into the CSV tables and the database, and
/// analyses them when every point of the design is there.
MergeResult merge_points(const Experiment& e, const ExperimentOptions& options, const PointFolders& folders,
                         const std::vector<std::size_t>& selected, const fs::path& out_dir, unsigned threads) {
  const bool sweep = options.command == "sweep";
  ResultsDatabase database(out_dir / (sweep ? "sweep.sqlite" : "experiment.sqlite"));
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
    TableWriter points(out_dir / "points.csv", database, "points", columns, {"point"});
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
    TableWriter summary(out_dir / (sweep ? "sweep.csv" : "summary.csv"), database, "outcomes",
                        with_numbers(summary_columns, statistic_names), summary_key, {summary_index});
    std::optional<TableWriter> differences;
    if (Q > 1)
      differences.emplace(out_dir / "differences.csv", database, "differences",
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
      replications.emplace(out_dir / "replications.csv", database, "replications",
                           std::vector<Column>{{"point", "INTEGER"},
                                               {"policy", "TEXT"},
                                               {"replication", "INTEGER"},
                                               {"partner", "TEXT"},
                                               {"metric", "TEXT"},
                                               {"value", "REAL"}},
                           std::vector<std::string>{"point", "policy", "replication", "partner", "metric"});

    for (const std::size_t p : selected) {
      const fs::path dir = folders.dir(p + 1);
      const SqlValue point = std::int64_t(p + 1);
      for (const auto& f : read_csv_rows(dir / "summary.csv", 13)) {
        Row row{point};
        if (!sweep) row.push_back(f[0]);
        row.insert(row.end(), {f[1], f[2]});
        for (std::size_t i = 3; i < 13; ++i)
          row.push_back(i == 3 ? SqlValue(std::int64_t(number_of(f[3]))) : number_field(f[i]));
        summary.row(row);
        const auto o = outcome_index.find({f[1], f[2]});
        const auto q = policy_index.find(f[0]);
        if (o != outcome_index.end() && q != policy_index.end())
          merged.table.means[o->second][q->second][p] = number_of(f[4]);
      }
      if (differences) {
        for (const auto& f : read_csv_rows(dir / "comparison.csv", 17)) {
          Row row{point, f[0], f[1], f[2], f[3], SqlValue(std::int64_t(number_of(f[4])))};
          for (std::size_t i = 5; i < 17; ++i) row.push_back(number_field(f[i]));
          differences->row(row);
          const auto o = outcome_index.find({f[2], f[3]});
          const auto q = policy_index.find(f[1]);
          if (o != outcome_index.end() && q != policy_index.end())
            merged.table.differences[o->second][q->second][p] = number_of(f[11]);
        }
      }
      if (replications) {
        for (const auto& f : read_csv_rows(dir / "replications.csv", 5))
          replications->row(Row{point, f[0], SqlValue(std::int64_t(number_of(f[1]))), f[2], f[3], number_field(f[4])});
      }
    }
    summary.commit();
    if (differences) differences->commit();
    if (replications) replications->commit();
  }

  // The analysis needs every point of the design (Sobol and Morris their structure).
  std::error_code ignored;
  merged.analysed = selected.size() == P && !e.outcomes.empty() && !e.uncertainties.empty();
  if (merged.analysed) {
    TableWriter sensitivity(out_dir / "sensitivity.csv", database, "sensitivity", sensitivity_columns());
    for (const auto& row : sensitivity_rows(e, merged.table, threads)) sensitivity.row(row);
    sensitivity.commit();
    TableWriter boxes(out_dir / "prim_boxes.csv", database, "prim_boxes", prim_columns());
    for (const auto& row : prim_rows(e, merged.table)) boxes.row(row);
    boxes.commit();
  } else {
    fs::remove(out_dir / "sensitivity.csv", ignored);
    fs::remove(out_dir / "prim_boxes.csv", ignored);
  }
  database.commit();
  return merged;
}

/// A sweep file as it was understood (metadata.json's `sweep`, which
/// `readmit report` reads): scenario, replications, seed, the design in the
/// sweep's own terms, and the fixed overrides.
nlohmann::ordered_json resolved_sweep(const Experiment& e) {
  nlohmann::ordered_json sweep;
  sweep["scenario"] = e.scenario.string();
  sweep["replications"] = e.replications ? nlohmann::ordered_json(*e.replications) : nullptr;
  sweep["seed"] = e.seed ? nlohmann::ordered_json(*e.seed) : nullptr;
  auto& method = sweep[std::string(e.method_name())];
  if (e.method == DesignMethod::grid) {
    for (const auto& u : e.uncertainties) method[u.path] = u.labels;
  } else {
    method["samples"] = e.points();
    method["sample_seed"] = e.design_seed;
    for (const auto& u : e.uncertainties)
      method["ranges"][u.path] = {{"min", u.distribution.min_value()}, {"max", u.distribution.max_value()}};
  }
  auto& fixed = sweep["set"] = nlohmann::ordered_json::object();
  for (const auto& [path, value] : e.fixed) fixed[path] = value;
  return sweep;
}

std::uintmax_t folder_bytes(const fs::path& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  return total;
}

}  // namespace

ExperimentOutcome run_experiment(const ExperimentOptions& options, WorkQueue& queue) {
  const auto started = std::chrono::steady_clock::now();
  const std::string command = options.command;
  ExperimentOutcome outcome;
  if (!queue.coordinator()) {
    // A worker serves whatever happens: if its file does not load, it
    // answers every task with the error (the coordinator reports it too).
    std::optional<Experiment> loaded;
    std::exception_ptr failure;
    try {
      loaded = load_experiment(options.file, options.replications);
    } catch (...) {
      failure = std::current_exception();
    }
    queue.serve([&](const std::string& task) {
      if (failure) std::rethrow_exception(failure);
      return compute_point(*loaded, std::size_t(std::stoull(task)), options.threads, command);
    });
    return outcome;
  }
  const Experiment e = load_experiment(options.file, options.replications, options.announce);
  const auto compute = [&](const std::string& task) {
    const auto point = std::size_t(std::stoull(task));
    if (options.before_point) options.before_point(point + 1);
    return compute_point(e, point, options.threads, command);
  };
  const Shard shard = options.shard;
  if (shard.count < 1 || shard.index < 1 || shard.index > shard.count)
    throw UsageError("shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count) +
                     ": expected I/N with 1 <= I <= N");
  outcome.out_dir = options.out_dir.empty() ? fs::path("results") / e.name : options.out_dir;
  const fs::path& out_dir = outcome.out_dir;
  {
    std::error_code ec;
    fs::create_directories(out_dir / "points", ec);
    if (ec) throw IoError("cannot create output folder '" + (out_dir / "points").string() + "': " + ec.message());
  }
  const PointFolders folders{out_dir, std::max<std::size_t>(4, std::to_string(e.points()).size())};
  std::vector<std::size_t> selected;  // 0-based
  for (std::size_t p = 0; p < e.points(); ++p)
    if (shard.contains(p + 1)) selected.push_back(p);
  outcome.points_total = e.points();
  outcome.points_selected = selected.size();
  outcome.policies = e.policies.size();

  // Results of other inputs (scenario, policies, values, seed, replications) must not mix with these.
  std::vector<std::string> problems;
  for (const std::size_t p : selected) {
    if (!folders.complete(p + 1)) continue;
    const auto reason = stale_reason(folders.dir(p + 1) / "metadata.json", point_record(e, p));
    if (!reason.empty()) problems.push_back(folders.dir(p + 1).string() + ": " + reason);
  }
  if (!problems.empty() && !options.restart) {
    std::string message = out_dir.string() + " holds results of a different " + command +
                          " (its scenario, policies, values, seed or replications changed):";
    for (std::size_t i = 0; i < problems.size() && i < 5; ++i) message += "\n  " + problems[i];
    if (problems.size() > 5) message += "\n  ... and " + std::to_string(problems.size() - 5) + " more";
    message += "\nrerun with --restart to discard them, or choose another --out";
    throw UsageError(message);
  }
  std::error_code ignored;
  if (options.restart) {
    if (shard.count == 1) {
      fs::remove_all(out_dir / "points", ignored);
      fs::create_directories(out_dir / "points", ignored);
    } else {
      for (const std::size_t p : selected) fs::remove_all(folders.dir(p + 1), ignored);
    }
  }
  // As for a run: a metadata.json must never vouch for a folder about to change.
  fs::remove(out_dir / "metadata.json", ignored);

  std::vector<std::size_t> to_run;
  for (const std::size_t p : selected)
    if (!folders.complete(p + 1)) to_run.push_back(p);
  outcome.points_skipped = selected.size() - to_run.size();

  ProgressReporter progress(options.progress, command, "points");
  progress.start(outcome.points_skipped, selected.size());
  std::vector<std::string> tasks;
  for (const std::size_t p : to_run) tasks.push_back(std::to_string(p));
  queue.run(tasks, compute, [&](std::size_t index, std::string&& packed) {
    store_point(folders, e, to_run[index], packed);
    ++outcome.points_run;
    progress.update(outcome.points_skipped + outcome.points_run, selected.size());
  });
  progress.finish();

  const unsigned threads = resolved_thread_count(options.threads);
  const MergeResult merged = merge_points(e, options, folders, selected, out_dir, threads);
  outcome.analysed = merged.analysed;
  write_file_atomically(out_dir / "scenario.resolved.yaml", e.base_resolved_yaml);

  nlohmann::ordered_json meta;
  meta["readmit_version"] = std::string(version());
  meta["git_revision"] = std::string(git_revision());
  meta["compiler"] = std::string(compiler());
  meta["command"] = command;
  meta[command + "_file"] = e.file.string();
  meta[command + "_file_hash"] = e.file_hash;
  meta["scenario"] = e.scenario.string();
  if (e.sweep_syntax) meta["sweep"] = resolved_sweep(e);
  meta["design"] = {{"method", std::string(e.method_name())}, {"seed", e.design_seed}};
  if (e.method == DesignMethod::latin_hypercube) meta["design"]["samples"] = e.samples;
  if (e.method == DesignMethod::sobol) meta["design"]["base_samples"] = e.samples;
  if (e.method == DesignMethod::morris)
    meta["design"].update({{"trajectories", e.samples}, {"levels", e.levels}, {"candidates", e.candidates}});
  if (e.method == DesignMethod::points) meta["design"]["file"] = e.points_file.string();
  auto& parameters = meta["parameters"] = nlohmann::ordered_json::array();
  for (const auto& u : e.uncertainties) parameters.push_back({{"path", u.path}, {"distribution", u.description}});
  auto& policies = meta["policies"] = nlohmann::ordered_json::array();
  for (const auto& policy : e.policies) policies.push_back(policy.name);
  auto& outcomes = meta["outcomes"] = nlohmann::ordered_json::array();
  for (const auto& o : e.outcomes) outcomes.push_back(o.name());
  meta["shard"] = {{"index", shard.index}, {"count", shard.count}};
  meta["points_total"] = outcome.points_total;
  meta["points_done"] = outcome.points_selected;
  meta["points_run"] = outcome.points_run;
  meta["points_skipped"] = outcome.points_skipped;
  meta["analysed"] = merged.analysed;
  if (!merged.analysed && !e.outcomes.empty() && !e.uncertainties.empty())
    meta["analysis_skipped"] = "this shard holds " + std::to_string(selected.size()) + " of " +
                               std::to_string(e.points()) + " points; run without --shard to merge and analyse";
  meta["threads"] = threads;
  meta["processes"] = queue.description();
  outcome.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  meta["wall_seconds"] = outcome.wall_seconds;
  meta["command_line"] = options.command_line;
  std::vector<std::string> files{"points.csv", command == "sweep" ? "sweep.csv" : "summary.csv"};
  if (e.policies.size() > 1) files.emplace_back("differences.csv");
  if (e.keep.replications) files.emplace_back("replications.csv");
  if (merged.analysed) files.insert(files.end(), {"sensitivity.csv", "prim_boxes.csv"});
  files.insert(files.end(), {command + ".sqlite", "scenario.resolved.yaml", "metadata.json"});
  meta["files"] = files;
  write_file_atomically(out_dir / "metadata.json", meta.dump(2) + "\n");
  outcome.bytes_written = folder_bytes(out_dir);
  return outcome;
}

}  // namespace readmit
