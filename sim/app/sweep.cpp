#include "readmit/app/sweep.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "readmit/app/ensemble_run.hpp"
#include "readmit/engine/ensemble.hpp"
#include "readmit/io/atomic_file.hpp"
#include "readmit/io/csv.hpp"
#include "readmit/io/run_output.hpp"
#include "readmit/scenario/loader.hpp"
#include "readmit/scenario/parameters.hpp"
#include "readmit/util/mix.hpp"
#include "readmit/util/text.hpp"
#include "readmit/util/version.hpp"

namespace readmit {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view top_keys[] = {"scenario", "replications", "seed", "grid", "latin_hypercube", "set"};
constexpr std::string_view hypercube_keys[] = {"samples", "ranges"};
constexpr std::string_view range_keys[] = {"min", "max"};

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

void check_keys(const ConfigNode& map, const std::string& prefix, std::span<const std::string_view> known,
                DiagnosticSink& sink) {
  for (const auto& entry : map.entries())
    if (std::find(known.begin(), known.end(), entry.key) == known.end())
      sink.error(entry.key_where, prefix + entry.key, unknown_name_message("unknown key", entry.key, known));
}

template <class Integer>
std::optional<Integer> parse_integer(const std::string& text) {
  Integer value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_real(const std::string& text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

/// A parameter path usable in `--set PATH=VALUE`.
bool valid_path(std::string_view path) {
  if (path.empty() || path.front() == '.' || path.back() == '.' || path.find("..") != std::string_view::npos)
    return false;
  return std::none_of(path.begin(), path.end(), [](char c) { return c == '=' || c == ' ' || c == '\t'; });
}

/// The parameter table's row for a concrete path (partners.cambodia.x
/// matches partners.*.x), if any.
const ParamSpec* find_parameter(std::string_view path) {
  const auto parts = split(path, '.');
  for (const auto& spec : parameter_table()) {
    const auto pattern = split(spec.path, '.');
    if (pattern.size() != parts.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < parts.size() && match; ++i)
      match = pattern[i] == parts[i] || pattern[i] == "*" ||
              (pattern[i] == "[]" && parse_integer<std::size_t>(std::string(parts[i])).has_value());
    if (match) return &spec;
  }
  return nullptr;
}

/// Where a point's override came from in the sweep file, to relocate the
/// scenario loader's messages about it.
struct OverrideSource {
  std::string path;
  SourceLocation key_where;
  SourceLocation value_where;
  std::string suffix;  // appended to the message
};

/// Reads `set:` entries, flattening nested maps into dotted paths.
void read_fixed(const ConfigNode& node, const std::string& prefix, SweepDesign& design,
                std::vector<OverrideSource>& sources, DiagnosticSink& sink) {
  for (const auto& entry : node.entries()) {
    const std::string path = prefix.empty() ? entry.key : prefix + "." + entry.key;
    if (!valid_path(entry.key)) {
      sink.error(entry.key_where, "set." + path, "expected a dotted parameter path, found \"" + entry.key + "\"");
    } else if (entry.value.is_map()) {
      read_fixed(entry.value, path, design, sources, sink);
    } else if (!entry.value.is_scalar()) {
      sink.error(entry.value.where(), "set." + path, "expected a scalar value, found " + entry.value.describe());
    } else {
      design.fixed.emplace_back(path, entry.value.text());
      sources.push_back({path, entry.key_where, entry.value.where(), ""});
    }
  }
}

/// Moves the loader's diagnostics about `--set` texts of this sweep to the
/// sweep file position that produced them; others (inside the scenario
/// files) stay where they are.
void relocate_into(const ScenarioError& error, const std::map<std::string, OverrideSource>& by_origin,
                   std::vector<Diagnostic>& out, std::set<std::string>& seen) {
  for (Diagnostic d : error.diagnostics()) {
    if (d.where.origin) {
      if (const auto it = by_origin.find(*d.where.origin); it != by_origin.end()) {
        const auto& source = it->second;
        // A message about the value sits at the value; one about the path (an
        // unknown key, a missing sibling) at the key.
        d.where =
            d.key_path == source.path && !starts_with(d.message, "unknown") ? source.value_where : source.key_where;
        d.message += source.suffix;
      }
    }
    if (seen.insert(d.to_string()).second) out.push_back(std::move(d));
  }
}

std::string override_origin(const std::string& text) { return "command line (--set " + text + ")"; }

}  // namespace

std::vector<std::string> SweepDesign::overrides(const SweepPoint& point) const {
  std::vector<std::string> texts;
  for (const auto& [path, value] : fixed) texts.push_back(path + "=" + value);
  for (std::size_t i = 0; i < parameters.size() && i < point.values.size(); ++i)
    texts.push_back(parameters[i] + "=" + point.values[i]);
  return texts;
}

std::vector<std::vector<std::size_t>> grid_combinations(std::span<const std::vector<std::string>> values) {
  std::vector<std::vector<std::size_t>> combinations;
  if (values.empty() || std::any_of(values.begin(), values.end(), [](const auto& v) { return v.empty(); }))
    return combinations;
  std::vector<std::size_t> index(values.size(), 0);
  while (true) {
    combinations.push_back(index);
    std::size_t d = values.size();
    while (d > 0) {
      --d;
      if (++index[d] < values[d].size()) break;
      index[d] = 0;
      if (d == 0) return combinations;
    }
  }
}

std::vector<std::vector<double>> latin_hypercube(std::size_t samples, std::span<const SweepRange> ranges,
                                                 std::uint64_t seed) {
  std::vector<std::vector<double>> points(samples, std::vector<double>(ranges.size()));
  std::uint64_t state = seed;
  std::vector<std::size_t> strata(samples);
  for (std::size_t d = 0; d < ranges.size(); ++d) {
    for (std::size_t i = 0; i < samples; ++i) strata[i] = i;
    for (std::size_t i = samples; i > 1; --i) std::swap(strata[i - 1], strata[splitmix64(state) % i]);
    for (std::size_t i = 0; i < samples; ++i) {
      const double u = (double(strata[i]) + splitmix64_unit(state)) / double(samples);
      points[i][d] = std::min(ranges[d].max, ranges[d].min + u * (ranges[d].max - ranges[d].min));
    }
  }
  return points;
}

SweepDesign load_sweep(const fs::path& file, std::int64_t replications) {
  DiagnosticSink sink;
  SweepDesign design;
  design.file = file;
  design.name = file.stem().string();
  auto root = read_yaml_file(file, SourceLocation{}, sink);
  sink.throw_if_any();
  design.file_hash = text_hash(read_bytes(file));
  if (!root->is_map()) {
    sink.error(root->where(), "",
               "expected a map with `scenario` and `grid` or `latin_hypercube`, found " + root->describe());
    sink.throw_if_any();
  }
  check_keys(*root, "", top_keys, sink);

  std::vector<OverrideSource> fixed_sources;
  std::vector<OverrideSource> swept_sources;  // per parameter; value_where of grid values is per value
  std::vector<std::vector<SourceLocation>> grid_where;

  const ConfigNode* scenario = root->find("scenario");
  if (scenario == nullptr) {
    sink.error(root->where(), "scenario", "expected the scenario file to sweep, found nothing (required)");
  } else if (!scenario->is_scalar() || scenario->text().empty()) {
    sink.error(scenario->where(), "scenario", "expected a file path, found " + scenario->describe());
  } else {
    const fs::path given = scenario->text();
    design.scenario = given.is_absolute() ? given : (file.parent_path() / given).lexically_normal();
    std::error_code ec;
    if (!fs::is_regular_file(design.scenario, ec))
      sink.error(scenario->where(), "scenario",
                 "expected an existing scenario file (relative to the sweep file), found \"" + scenario->text() +
                     "\" (" + design.scenario.string() + " does not exist)");
  }
  if (const ConfigNode* node = root->find("replications")) {
    const auto value = node->is_scalar() ? parse_integer<std::int64_t>(node->text()) : std::nullopt;
    if (!value || *value < 1 || *value > 1000000)
      sink.error(node->where(), "replications", "expected a whole number in [1, 1000000], found " + node->describe());
    else
      design.replications = value;
  }
  if (replications > 0) design.replications = replications;
  if (const ConfigNode* node = root->find("seed")) {
    const auto value = node->is_scalar() ? parse_integer<std::uint64_t>(node->text()) : std::nullopt;
    if (!value)
      sink.error(node->where(), "seed", "expected a whole number in [0, 2^64), found " + node->describe());
    else
      design.seed = value;
  }

  const ConfigNode* grid = root->find("grid");
  const ConfigNode* hypercube = root->find("latin_hypercube");
  std::size_t samples = 0;
  if (grid != nullptr && hypercube != nullptr) {
    SourceLocation second = hypercube->where();
    for (const auto& entry : root->entries())
      if (entry.key == "latin_hypercube") second = entry.key_where;
    sink.error(second, "latin_hypercube", "expected either `grid` or `latin_hypercube`, found both");
  } else if (grid == nullptr && hypercube == nullptr) {
    sink.error(root->where(), "grid", "expected `grid` or `latin_hypercube`, found neither");
  } else if (grid != nullptr) {
    design.method = "grid";
    if (!grid->is_map())
      sink.error(grid->where(), "grid", "expected a map of PATH: [VALUE, ...], found " + grid->describe());
    else if (grid->entries().empty())
      sink.error(grid->where(), "grid", "expected at least one parameter, found an empty map");
    else
      for (const auto& entry : grid->entries()) {
        const std::string key_path = "grid." + entry.key;
        if (!valid_path(entry.key)) {
          sink.error(entry.key_where, key_path, "expected a dotted parameter path, found \"" + entry.key + "\"");
          continue;
        }
        if (!entry.value.is_sequence()) {
          sink.error(entry.value.where(), key_path, "expected a list of values, found " + entry.value.describe());
          continue;
        }
        if (entry.value.items().empty()) {
          sink.error(entry.value.where(), key_path, "expected at least one value, found an empty list");
          continue;
        }
        std::vector<std::string> values;
        std::vector<SourceLocation> where;
        bool ok = true;
        for (const auto& item : entry.value.items()) {
          if (!item.is_scalar()) {
            sink.error(item.where(), key_path, "expected a scalar value, found " + item.describe());
            ok = false;
          }
          values.push_back(item.text());
          where.push_back(item.where());
        }
        if (!ok) continue;
        design.parameters.push_back(entry.key);
        design.grid_values.push_back(std::move(values));
        grid_where.push_back(std::move(where));
        swept_sources.push_back({entry.key, entry.key_where, entry.value.where(), ""});
      }
  } else {
    design.method = "latin_hypercube";
    if (!hypercube->is_map()) {
      sink.error(hypercube->where(), "latin_hypercube",
                 "expected a map with `samples` and `ranges`, found " + hypercube->describe());
    } else {
      check_keys(*hypercube, "latin_hypercube.", hypercube_keys, sink);
      const ConfigNode* count = hypercube->find("samples");
      if (count == nullptr) {
        sink.error(hypercube->where(), "latin_hypercube.samples",
                   "expected a whole number >= 1, found nothing (required)");
      } else {
        const auto value = count->is_scalar() ? parse_integer<std::int64_t>(count->text()) : std::nullopt;
        if (!value || *value < 1 || *value > 1000000)
          sink.error(count->where(), "latin_hypercube.samples",
                     "expected a whole number in [1, 1000000], found " + count->describe());
        else
          samples = std::size_t(*value);
      }
      const ConfigNode* ranges = hypercube->find("ranges");
      if (ranges == nullptr)
        sink.error(hypercube->where(), "latin_hypercube.ranges",
                   "expected a map of PATH: {min: A, max: B}, found nothing (required)");
      else if (!ranges->is_map())
        sink.error(ranges->where(), "latin_hypercube.ranges",
                   "expected a map of PATH: {min: A, max: B}, found " + ranges->describe());
      else if (ranges->entries().empty())
        sink.error(ranges->where(), "latin_hypercube.ranges", "expected at least one parameter, found an empty map");
      else
        for (const auto& entry : ranges->entries()) {
          const std::string key_path = "latin_hypercube.ranges." + entry.key;
          if (!valid_path(entry.key)) {
            sink.error(entry.key_where, key_path, "expected a dotted parameter path, found \"" + entry.key + "\"");
            continue;
          }
          if (!entry.value.is_map()) {
            sink.error(entry.value.where(), key_path,
                       "expected a map {min: A, max: B}, found " + entry.value.describe());
            continue;
          }
          check_keys(entry.value, key_path + ".", range_keys, sink);
          std::optional<double> bounds[2];
          for (int b = 0; b < 2; ++b) {
            const std::string bound(range_keys[b]);
            const ConfigNode* node = entry.value.find(bound);
            if (node == nullptr)
              sink.error(entry.value.where(), key_path + "." + bound,
                         "expected a finite number, found nothing (required)");
            else if (!(bounds[b] = node->is_scalar() ? parse_real(node->text()) : std::nullopt))
              sink.error(node->where(), key_path + "." + bound, "expected a finite number, found " + node->describe());
          }
          if (!bounds[0] || !bounds[1]) continue;
          if (*bounds[0] > *bounds[1]) {
            sink.error(entry.value.find("max")->where(), key_path + ".max",
                       "expected a number >= min (" + format_number(*bounds[0]) + "), found " +
                           entry.value.find("max")->describe());
            continue;
          }
          design.parameters.push_back(entry.key);
          design.ranges.push_back({*bounds[0], *bounds[1]});
          swept_sources.push_back({entry.key, entry.key_where, entry.key_where, ""});
        }
    }
  }

  if (const ConfigNode* set = root->find("set")) {
    if (!set->is_map() && !set->is_null())
      sink.error(set->where(), "set", "expected a map of PATH: VALUE, found " + set->describe());
    else if (set->is_map())
      read_fixed(*set, "", design, fixed_sources, sink);
    for (const auto& source : fixed_sources)
      if (std::find(design.parameters.begin(), design.parameters.end(), source.path) != design.parameters.end())
        sink.error(
            source.key_where, "set." + source.path,
            "expected a parameter that is not swept, found \"" + source.path + "\", also under " + design.method);
  }
  sink.sort_by_position();
  sink.throw_if_any();

  // The scenario with the fixed overrides: its seed is the default seed of
  // the sweep, and of the Latin hypercube.
  std::map<std::string, OverrideSource> by_origin;
  for (std::size_t i = 0; i < design.fixed.size(); ++i)
    by_origin[override_origin(design.fixed[i].first + "=" + design.fixed[i].second)] = fixed_sources[i];
  std::vector<Diagnostic> diagnostics;
  std::set<std::string> seen;
  std::optional<LoadedScenario> base;
  try {
    std::vector<std::string> fixed;
    for (const auto& [path, value] : design.fixed) fixed.push_back(path + "=" + value);
    base = load_scenario(design.scenario, fixed);
  } catch (const ScenarioError& e) {
    relocate_into(e, by_origin, diagnostics, seen);
    // A grid's points are known without the scenario: report their problems too.
    if (design.method != "grid" && !design.seed) throw ScenarioError(std::move(diagnostics));
  }
  design.sample_seed = design.seed.value_or(base ? base->scenario.seed : 0);

  if (design.method == "grid") {
    for (const auto& combination : grid_combinations(design.grid_values)) {
      SweepPoint point{design.points.size() + 1, {}};
      for (std::size_t d = 0; d < combination.size(); ++d)
        point.values.push_back(design.grid_values[d][combination[d]]);
      design.points.push_back(std::move(point));
    }
  } else {
    const auto sample = latin_hypercube(samples, design.ranges, design.sample_seed);
    std::vector<bool> integer(design.parameters.size());
    for (std::size_t d = 0; d < design.parameters.size(); ++d) {
      const ParamSpec* spec = find_parameter(design.parameters[d]);
      integer[d] = spec != nullptr && spec->type == ParamType::integer;
    }
    for (const auto& row : sample) {
      SweepPoint point{design.points.size() + 1, {}};
      for (std::size_t d = 0; d < row.size(); ++d)
        point.values.push_back(integer[d] ? format_number(std::int64_t(std::llround(row[d]))) : format_number(row[d]));
      design.points.push_back(std::move(point));
    }
  }

  // Every point must load before anything runs.
  for (const auto& point : design.points) {
    auto origins = by_origin;
    for (std::size_t d = 0; d < design.parameters.size(); ++d) {
      OverrideSource source = swept_sources[d];
      if (design.method == "grid") {
        const auto& values = design.grid_values[d];
        source.value_where =
            grid_where[d][std::size_t(std::find(values.begin(), values.end(), point.values[d]) - values.begin())];
      } else {
        source.suffix = " (latin_hypercube sample " + std::to_string(point.number) + ")";
      }
      origins[override_origin(design.parameters[d] + "=" + point.values[d])] = source;
    }
    try {
      const auto loaded = load_scenario(design.scenario, design.overrides(point));
      design.scenario_hashes.push_back(text_hash(to_yaml(loaded.resolved)));
      design.seeds.push_back(design.seed.value_or(loaded.scenario.seed));
      design.point_replications.push_back(design.replications.value_or(loaded.scenario.replications));
    } catch (const ScenarioError& e) {
      relocate_into(e, origins, diagnostics, seen);
    }
  }
  if (!diagnostics.empty()) {
    // Ordered by file (in the order they first reported), then position.
    DiagnosticSink sorted;
    for (auto& d : diagnostics) sorted.error(d.where, std::move(d.key_path), std::move(d.message));
    sorted.sort_by_position();
    sorted.throw_if_any();
  }
  return design;
}

Shard parse_shard(std::string_view text) {
  const auto fail = [&]() -> Shard {
    throw UsageError("--shard \"" + std::string(text) + "\": expected I/N with 1 <= I <= N, e.g. 2/4");
  };
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return fail();
  const auto index = parse_integer<std::size_t>(std::string(text.substr(0, slash)));
  const auto count = parse_integer<std::size_t>(std::string(text.substr(slash + 1)));
  if (!index || !count || *index < 1 || *index > *count) return fail();
  return Shard{*index, *count};
}

namespace {

struct PointFiles {
  fs::path out_dir;
  std::size_t width = 4;
  fs::path dir(std::size_t point) const {
    std::string name = std::to_string(point);
    if (name.size() < width) name.insert(0, width - name.size(), '0');
    return out_dir / "points" / name;
  }
  bool complete(std::size_t point) const {
    std::error_code ec;
    return fs::exists(dir(point) / "metadata.json", ec);
  }
};

constexpr std::string_view point_record_name = "sweep_point.json";

/// What makes a point's results: recorded next to them, compared on reruns.
nlohmann::ordered_json point_record(const SweepDesign& design, const SweepPoint& point) {
  const std::size_t i = point.number - 1;
  nlohmann::ordered_json record;
  record["sweep_file_hash"] = design.file_hash;
  record["point"] = point.number;
  record["overrides"] = design.overrides(point);
  record["scenario_hash"] = design.scenario_hashes[i];
  record["seed"] = design.seeds[i];
  record["replications"] = design.point_replications[i];
  return record;
}

/// Why the folder's point cannot be reused, or empty.
std::string stale_reason(const fs::path& record_file, const nlohmann::ordered_json& expected) {
  nlohmann::json stored;
  try {
    stored = nlohmann::json::parse(read_bytes(record_file));
  } catch (const std::exception&) {
    return "no readable " + std::string(point_record_name);
  }
  for (const auto& [key, value] : expected.items())
    if (!stored.contains(key) || stored[key] != nlohmann::json(value))
      return key + " was " + (stored.contains(key) ? stored[key].dump() : "missing") + ", now " + value.dump();
  return {};
}

/// A summary.csv line without its first field (the scenario name, maybe quoted).
std::string_view without_first_field(std::string_view line) {
  std::size_t i = 0;
  if (!line.empty() && line[0] == '"') {
    for (i = 1; i < line.size(); ++i)
      if (line[i] == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"')
          ++i;
        else
          break;
      }
  }
  const auto comma = line.find(',', i);
  return comma == std::string_view::npos ? std::string_view{} : line.substr(comma + 1);
}

nlohmann::ordered_json resolved_sweep(const SweepDesign& design) {
  nlohmann::ordered_json sweep;
  sweep["scenario"] = design.scenario.string();
  sweep["replications"] = design.replications ? nlohmann::ordered_json(*design.replications) : nullptr;
  sweep["seed"] = design.seed ? nlohmann::ordered_json(*design.seed) : nullptr;
  auto& method = sweep[design.method];
  if (design.method == "grid") {
    for (std::size_t d = 0; d < design.parameters.size(); ++d) method[design.parameters[d]] = design.grid_values[d];
  } else {
    method["samples"] = design.points.size();
    method["sample_seed"] = design.sample_seed;
    for (std::size_t d = 0; d < design.parameters.size(); ++d)
      method["ranges"][design.parameters[d]] = {{"min", design.ranges[d].min}, {"max", design.ranges[d].max}};
  }
  auto& fixed = sweep["set"] = nlohmann::ordered_json::object();
  for (const auto& [path, value] : design.fixed) fixed[path] = value;
  return sweep;
}

}  // namespace

SweepOutcome run_sweep(const SweepOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const SweepDesign design = load_sweep(options.sweep_file, options.replications);
  const Shard shard = options.shard;
  if (shard.count < 1 || shard.index < 1 || shard.index > shard.count)
    throw UsageError("shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count) +
                     ": expected I/N with 1 <= I <= N");

  SweepOutcome outcome;
  outcome.out_dir = options.out_dir.empty() ? fs::path("results") / design.name : options.out_dir;
  const fs::path& out_dir = outcome.out_dir;
  {
    std::error_code ec;
    fs::create_directories(out_dir / "points", ec);
    if (ec) throw IoError("cannot create output folder '" + (out_dir / "points").string() + "': " + ec.message());
  }
  PointFiles files{out_dir, std::max<std::size_t>(4, std::to_string(design.points.size()).size())};

  std::vector<const SweepPoint*> selected;
  for (const auto& point : design.points)
    if (shard.contains(point.number)) selected.push_back(&point);
  outcome.points_total = design.points.size();
  outcome.points_selected = selected.size();

  // Results of another sweep file, scenario, seed or replication count must
  // not be mixed with these.
  std::vector<std::string> problems;
  const fs::path metadata_file = out_dir / "metadata.json";
  if (std::error_code ec; fs::exists(metadata_file, ec)) {
    std::string recorded;
    try {
      recorded = nlohmann::json::parse(read_bytes(metadata_file)).at("sweep_file_hash").get<std::string>();
    } catch (const std::exception&) {
      recorded = "unreadable";
    }
    if (recorded != design.file_hash)
      problems.push_back(metadata_file.string() + " records sweep file hash " + recorded + ", but " +
                         design.file.string() + " now hashes to " + design.file_hash);
  }
  for (const SweepPoint* point : selected) {
    if (!files.complete(point->number)) continue;
    const auto reason = stale_reason(files.dir(point->number) / point_record_name, point_record(design, *point));
    if (!reason.empty()) problems.push_back(files.dir(point->number).string() + ": " + reason);
  }
  if (!problems.empty() && !options.restart) {
    std::string message = out_dir.string() +
                          " holds results of a different sweep (the sweep file, its scenario, "
                          "seed or replications changed):";
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
      for (const SweepPoint* point : selected) fs::remove_all(files.dir(point->number), ignored);
    }
    fs::remove(out_dir / "sweep.csv", ignored);
    fs::remove(out_dir / "points.csv", ignored);
  }
  // As for a run: a metadata.json must never vouch for a folder about to change.
  fs::remove(metadata_file, ignored);

  std::vector<const SweepPoint*> to_run;
  for (const SweepPoint* point : selected)
    if (!files.complete(point->number)) to_run.push_back(point);
  outcome.points_skipped = selected.size() - to_run.size();

  for (std::size_t k = 0; k < to_run.size(); ++k) {
    const SweepPoint& point = *to_run[k];
    if (options.progress) options.progress(k + 1, to_run.size(), point);
    const fs::path dir = files.dir(point.number);
    // A point killed half-way may have left files (and hidden temporaries): start it afresh.
    fs::remove_all(dir, ignored);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw IoError("cannot create output folder '" + dir.string() + "': " + ec.message());
    write_file_atomically(dir / point_record_name, point_record(design, point).dump(2) + "\n");
    EnsembleRunOptions experiment;
    experiment.scenarios = {design.scenario};
    experiment.overrides = design.overrides(point);
    experiment.replications = design.point_replications[point.number - 1];
    experiment.seed = design.seeds[point.number - 1];
    experiment.threads = options.threads;
    experiment.out_dir = dir;
    experiment.command_line = options.command_line + " (point " + std::to_string(point.number) + ")";
    run_ensembles(experiment);
    ++outcome.points_run;
  }

  // Merge the shard's points (all complete now) in point order.
  {
    AtomicFileWriter file(out_dir / "points.csv");
    CsvWriter csv(file.stream());
    std::vector<std::string> header{"point"};
    header.insert(header.end(), design.parameters.begin(), design.parameters.end());
    csv.write_row(header);
    for (const SweepPoint* point : selected) {
      std::vector<std::string> row{std::to_string(point->number)};
      row.insert(row.end(), point->values.begin(), point->values.end());
      csv.write_row(row);
    }
    file.commit();
  }
  {
    AtomicFileWriter file(out_dir / "sweep.csv");
    file.stream() << "point,partner,metric,n,mean,sd,p05,p25,p50,p75,p95,ci95_low,ci95_high\n";
    for (const SweepPoint* point : selected) {
      const fs::path summary = files.dir(point->number) / "summary.csv";
      std::ifstream in(summary, std::ios::binary);
      if (!in) throw IoError("cannot read '" + summary.string() + "'");
      std::string line;
      std::getline(in, line);  // the header
      while (std::getline(in, line))
        if (!line.empty()) file.stream() << point->number << ',' << without_first_field(line) << '\n';
    }
    file.commit();
  }

  nlohmann::ordered_json meta;
  meta["readmit_version"] = std::string(version());
  meta["git_revision"] = std::string(git_revision());
  meta["compiler"] = std::string(compiler());
  meta["command"] = "sweep";
  meta["sweep_file"] = design.file.string();
  meta["sweep_file_hash"] = design.file_hash;
  meta["sweep"] = resolved_sweep(design);
  meta["parameters"] = design.parameters;
  meta["shard"] = {{"index", shard.index}, {"count", shard.count}};
  meta["points_total"] = outcome.points_total;
  meta["points_done"] = outcome.points_selected;
  meta["points_run"] = outcome.points_run;
  meta["points_skipped"] = outcome.points_skipped;
  meta["threads"] = resolved_thread_count(options.threads);
  outcome.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  meta["wall_seconds"] = outcome.wall_seconds;
  meta["command_line"] = options.command_line;
  meta["files"] = {"points.csv", "sweep.csv", "metadata.json"};
  write_file_atomically(metadata_file, meta.dump(2) + "\n");
  return outcome;
}

}  // namespace readmit
