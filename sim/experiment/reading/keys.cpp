// The key tables of experiment and sweep files: every key with its type,
// default, range and meaning (as the parameter table states a scenario's),
// and what storing its value does. The schema walker reads a file against
// them; the Reader below is the walker's target.
#include <limits>
#include <utility>

#include "reading/reader.hpp"

namespace readmit::experiment_file {

namespace {

using T = ParamType;

constexpr double largest_seed = 9007199254740991;  // 2^53 - 1: exact in a double and in JSON
constexpr double max_file_name_bytes = 4096;
constexpr double max_outcome_bytes = 200;

std::int64_t integer(const ParamValue& v) { return std::get<std::int64_t>(v); }
double real(const ParamValue& v) { return std::get<double>(v); }
const std::string& text(const ParamValue& v) { return std::get<std::string>(v); }

/// The last part of a row's path: the name a distribution's number is kept under.
std::string last_key(std::string_view path) { return std::string(path.substr(path.rfind('.') + 1)); }

PrimEntry& prim_of(Reader& r, const Site& s) { return r.prim[s.keys.back()]; }

// ---- the file ----

const ExperimentRow file_rows[] = {
    {.key = {.path = "scenario",
             .type = T::text,
             .required = true,
             .max = max_file_name_bytes,
             .meaning = "the scenario file, relative to this file"},
     .set =
         [](Reader& r, const ParamValue& v, const Site& s) {
           if (text(v).empty()) {
             r.sink.error(s.node.where(), s.path, "expected a file name, found " + s.node.describe());
             return;
           }
           r.experiment.scenario = r.directory / text(v);
           r.scenario_where = s.node.where();
         }},
    {.key = {.path = "replications",
             .type = T::integer,
             .default_yaml = "~",
             .min = 1,
             .max = 1000000,
             .meaning = "replications per point and policy (default: the scenario's)"},
     .set = [](Reader& r, const ParamValue& v, const Site&) { r.experiment.replications = integer(v); }},
    {.key = {.path = "seed",
             .type = T::integer,
             .default_yaml = "~",
             .min = 0,
             .max = largest_seed,
             .meaning = "the seed of every point and policy (default: the scenario's)"},
     .set = [](Reader& r, const ParamValue& v, const Site&) { r.experiment.seed = std::uint64_t(integer(v)); }},
    {.key = {.path = "set",
             .type = T::overrides,
             .default_yaml = "~",
             .choices = "{PATH: VALUE}",
             .meaning = "fixed overrides of the scenario"},
     .read = read_overrides},
    {.key = {.path = "outcome_windows",
             .type = T::custom,
             .default_yaml = "~",
             .choices = "{NAME: {from: DATE, through: DATE}}",
             .meaning = "outcome windows added to the scenario's"},
     .read = read_outcome_windows},
    {.key = {.path = "keep",
             .type = T::name_list,
             .default_yaml = "[]",
             .max = 3,
             .choices = "replications|timeseries|events",
             .meaning = "files each point keeps besides its summary"},
     .set =
         [](Reader& r, const ParamValue& v, const Site&) {
           for (const auto& name : std::get<std::vector<std::string>>(v)) {
             r.experiment.keep.replications |= name == "replications";
             r.experiment.keep.timeseries |= name == "timeseries";
             r.experiment.keep.events |= name == "events";
           }
         }},
    {.key = {.path = "outcomes",
             .type = T::list_of,
             .default_yaml = "[]",
             .meaning = "run totals analysed, METRIC or PARTNER:METRIC (default: the headline totals)"}},
    {.key = {.path = "outcomes.[]",
             .type = T::text,
             .required = true,
             .max = max_outcome_bytes,
             .meaning = "a run total, METRIC or PARTNER:METRIC"},
     .set =
         [](Reader& r, const ParamValue& v, const Site& s) {
           const auto colon = text(v).find(':');
           Outcome outcome;
           if (colon == std::string::npos) {
             outcome.metric = text(v);
           } else {
             outcome.partner = text(v).substr(0, colon);
             outcome.metric = text(v).substr(colon + 1);
           }
           r.experiment.outcomes.push_back(std::move(outcome));
           r.outcome_where.push_back(s.node.where());
         }},
    {.key = {.path = "analysis", .type = T::section, .meaning = "options of the analysis"}},
    {.key = {.path = "analysis.bootstrap_samples",
             .type = T::integer,
             .default_yaml = "1000",
             .min = 0,
             .max = 100000,
             .meaning = "bootstrap resamples of each confidence interval"},
     .set = [](Reader& r, const ParamValue& v,
               const Site&) { r.experiment.bootstrap_samples = std::size_t(integer(v)); }},
    {.key = {.path = "prim",
             .type = T::list_of,
             .default_yaml = "[]",
             .max = 100,
             .meaning = "scenario discovery questions (PRIM)"},
     .enter = [](Reader& r, std::string_view, const SourceLocation& where) -> std::optional<std::size_t> {
       r.prim.push_back(PrimEntry{.where = where});
       return r.prim.size() - 1;
     }},
    {.key = {.path = "prim.[]",
             .type = T::section,
             .meaning = "{outcome: NAME, below: X} or {outcome: NAME, above: X}"}},
    {.key = {.path = "prim.[].outcome",
             .type = T::text,
             .required = true,
             .max = max_outcome_bytes,
             .meaning = "one of the outcomes"},
     .set =
         [](Reader& r, const ParamValue& v, const Site& s) {
           prim_of(r, s).outcome = {text(v), s.node.where()};
         }},
    {.key = {.path = "prim.[].policy",
             .type = T::text,
             .default_yaml = "~",
             .meaning = "the policy whose outcome is asked about (default: the reference)",
             .safe_name = true},
     .set =
         [](Reader& r, const ParamValue& v, const Site& s) {
           prim_of(r, s).policy = {text(v), s.node.where()};
         }},
    {.key = {.path = "prim.[].difference",
             .type = T::boolean,
             .default_yaml = "false",
             .meaning = "ask about the paired difference policy - reference"},
     .set =
         [](Reader& r, const ParamValue& v, const Site& s) {
           prim_of(r, s).difference = {std::get<bool>(v), s.node.where()};
         }},
    {.key = {.path = "prim.[].below", .type = T::real, .default_yaml = "~", .meaning = "cases of interest: below this"},
     .set =
         [](Reader& r, const ParamValue& v, const Site& s) {
           prim_of(r, s).below = {real(v), s.node.where()};
         }},
    {.key = {.path = "prim.[].above", .type = T::real, .default_yaml = "~", .meaning = "cases of interest: above this"},
     .set =
         [](Reader& r, const ParamValue& v, const Site& s) {
           prim_of(r, s).above = {real(v), s.node.where()};
         }},
    {.key = {.path = "prim.[].peel_alpha",
             .type = T::real,
             .default_yaml = "0.05",
             .min = 0.001,
             .max = 0.499,
             .meaning = "fraction of a box's points one peel removes"},
     .set = [](Reader& r, const ParamValue& v, const Site& s) { prim_of(r, s).query.options.peel_alpha = real(v); }},
    {.key = {.path = "prim.[].paste_alpha",
             .type = T::real,
             .default_yaml = "0.05",
             .min = 0.001,
             .max = 0.499,
             .meaning = "fraction of the candidates one paste adds"},
     .set = [](Reader& r, const ParamValue& v, const Site& s) { prim_of(r, s).query.options.paste_alpha = real(v); }},
    {.key = {.path = "prim.[].min_mass",
             .type = T::real,
             .default_yaml = "0.05",
             .min = 0,
             .max = 0.999,
             .meaning = "smallest fraction of the points a box may hold"},
     .set = [](Reader& r, const ParamValue& v, const Site& s) { prim_of(r, s).query.options.min_mass = real(v); }},
    {.key = {.path = "prim.[].threshold_density",
             .type = T::real,
             .default_yaml = "0.8",
             .min = 0.001,
             .max = 1,
             .meaning = "smallest density of a box kept"},
     .set = [](Reader& r, const ParamValue& v,
               const Site& s) { prim_of(r, s).query.options.threshold_density = real(v); }},
    {.key = {.path = "prim.[].max_boxes",
             .type = T::integer,
             .default_yaml = "5",
             .min = 1,
             .max = 100,
             .meaning = "most boxes covered"},
     .set = [](Reader& r, const ParamValue& v,
               const Site& s) { prim_of(r, s).query.options.max_boxes = std::size_t(integer(v)); }},
    {.key = {.path = "grid",
             .type = T::map_of,
             .default_yaml = "{}",
             .max = 1000,
             .meaning = "a sweep over every combination of the values",
             .path_keys = true}},
    {.key = {.path = "grid.*", .type = T::custom, .choices = "[values]", .meaning = "a parameter's values"},
     .read = read_grid_values},
    {.key = {.path = "latin_hypercube",
             .type = T::section,
             .meaning = "a sweep over a Latin hypercube of ranges",
             .optional_section = true}},
    {.key = {.path = "latin_hypercube.samples",
             .type = T::integer,
             .required = true,
             .min = 1,
             .max = 1000000,
             .meaning = "points of the hypercube"},
     .set = [](Reader& r, const ParamValue& v, const Site&) { r.experiment.samples = std::size_t(integer(v)); }},
    {.key = {.path = "latin_hypercube.ranges",
             .type = T::map_of,
             .required = true,
             .max = 1000,
             .meaning = "each parameter's range",
             .path_keys = true},
     .enter = [](Reader& r, std::string_view key, const SourceLocation& where) -> std::optional<std::size_t> {
       r.ranges.push_back(RangeEntry{.path = std::string(key), .where = where});
       return r.ranges.size() - 1;
     }},
    {.key = {.path = "latin_hypercube.ranges.*", .type = T::section, .meaning = "{min: A, max: B}"}},
    {.key = {.path = "latin_hypercube.ranges.*.min", .type = T::real, .required = true, .meaning = "the lowest value"},
     .set =
         [](Reader& r, const ParamValue& v, const Site& s) {
           r.ranges[s.keys.back()].min = {real(v), s.node.where()};
         }},
    {.key = {.path = "latin_hypercube.ranges.*.max", .type = T::real, .required = true, .meaning = "the highest value"},
     .set =
         [](Reader& r, const ParamValue& v, const Site& s) {
           r.ranges[s.keys.back()].max = {real(v), s.node.where()};
         }},
    {.key = {.path = "policies",
             .type = T::map_of,
             .default_yaml = "{}",
             .max = 100,
             .meaning = "the levers compared at every point; the first is the reference"},
     .enter = [](Reader& r, std::string_view key, const SourceLocation& where) -> std::optional<std::size_t> {
       r.experiment.named_policies = true;
       r.experiment.policies.emplace_back().name = std::string(key);
       r.overlay_files.emplace_back();
       r.policy_sources.emplace_back();
       r.policy_where.push_back(where);
       return r.experiment.policies.size() - 1;
     }},
    {.key = {.path = "policies.*", .type = T::section, .meaning = "{overlays: [files], set: {PATH: VALUE}}"}},
    {.key = {.path = "policies.*.overlays",
             .type = T::list_of,
             .default_yaml = "[]",
             .max = 100,
             .meaning = "overlay files merged onto the scenario, relative to this file"}},
    {.key = {.path = "policies.*.overlays.[]",
             .type = T::text,
             .required = true,
             .max = max_file_name_bytes,
             .meaning = "an overlay file"},
     .set =
         [](Reader& r, const ParamValue& v, const Site& s) {
           if (text(v).empty()) {
             r.sink.error(s.node.where(), s.path, "expected a file name, found " + s.node.describe());
             return;
           }
           auto& policy = r.experiment.policies[s.keys.front()];
           policy.overlays.push_back((r.directory / text(v)).lexically_normal());
           r.overlay_files[s.keys.front()].push_back({policy.overlays.back(), s.node.where(), s.path});
         }},
    {.key = {.path = "policies.*.set",
             .type = T::overrides,
             .default_yaml = "~",
             .choices = "{PATH: VALUE}",
             .meaning = "the policy's overrides"},
     .read = read_overrides},
    {.key = {.path = "uncertainties",
             .type = T::map_of,
             .default_yaml = "{}",
             .max = 1000,
             .meaning = "the parameters the experiment is unsure of",
             .path_keys = true}},
    {.key = {.path = "uncertainties.*",
             .type = T::custom,
             .choices = "{dist: uniform|log_uniform|normal|triangular|discrete, ...} or [values]",
             .meaning = "a parameter's distribution"},
     .read = read_uncertainty},
    {.key = {.path = "design",
             .type = T::custom,
             .default_yaml = "~",
             .choices = "{method: ..., ...}",
             .meaning = "how the points are drawn from the uncertainties"},
     .read = read_design},
};

// ---- a design's keys, by method ----

void set_method(Reader& r, const ParamValue& v, const Site&) { r.experiment.method = DesignMethod(integer(v)); }
void set_samples(Reader& r, const ParamValue& v, const Site&) { r.experiment.samples = std::size_t(integer(v)); }
void set_design_seed(Reader& r, const ParamValue& v, const Site&) { r.design_seed = std::uint64_t(integer(v)); }

constexpr ParamSpec method_row = {.path = "method",
                                  .type = T::choice,
                                  .required = true,
                                  .choices = "grid|latin_hypercube|sobol|morris|points",
                                  .meaning = "how the points are drawn"};
constexpr ParamSpec design_seed_row = {.path = "seed",
                                       .type = T::integer,
                                       .default_yaml = "~",
                                       .min = 0,
                                       .max = largest_seed,
                                       .meaning = "the design's seed (default: the file's)"};

const ExperimentRow grid_rows[] = {
    {.key = method_row, .set = set_method},
    {.key = {.path = "levels",
             .type = T::integer,
             .default_yaml = "~",
             .min = 1,
             .max = max_design_points,
             .meaning = "levels of each continuous distribution"},
     .set = [](Reader& r, const ParamValue& v, const Site&) { r.experiment.levels = std::size_t(integer(v)); }},
};
const ExperimentRow hypercube_rows[] = {
    {.key = method_row, .set = set_method},
    {.key = {.path = "samples",
             .type = T::integer,
             .required = true,
             .min = 1,
             .max = max_design_points,
             .meaning = "points of the hypercube"},
     .set = set_samples},
    {.key = design_seed_row, .set = set_design_seed},
};
const ExperimentRow sobol_rows[] = {
    {.key = method_row, .set = set_method},
    {.key = {.path = "base_samples",
             .type = T::integer,
             .required = true,
             .min = 2,
             .max = max_design_points,
             .meaning = "Saltelli's N: N (k + 2) points"},
     .set = set_samples},
};
const ExperimentRow morris_rows[] = {
    {.key = method_row, .set = set_method},
    {.key = {.path = "trajectories",
             .type = T::integer,
             .required = true,
             .min = 2,
             .max = max_design_points,
             .meaning = "trajectories r: r (k + 1) points"},
     .set = set_samples},
    {.key = {.path = "levels",
             .type = T::integer,
             .default_yaml = "4",
             .min = 2,
             .max = 1000,
             .meaning = "grid levels, an even number"},
     .set =
         [](Reader& r, const ParamValue& v, const Site& s) {
           r.experiment.levels = std::size_t(integer(v));
           r.levels_node = &s.node;
         }},
    {.key = {.path = "candidates",
             .type = T::integer,
             .default_yaml = "0",
             .min = 0,
             .max = 100000,
             .meaning = "trajectories drawn to keep the most spread out (0: none)"},
     .set =
         [](Reader& r, const ParamValue& v, const Site& s) {
           r.experiment.candidates = std::size_t(integer(v));
           r.candidates_node = &s.node;
         }},
    {.key = design_seed_row, .set = set_design_seed},
};
const ExperimentRow points_rows[] = {
    {.key = method_row, .set = set_method},
    {.key = {.path = "file",
             .type = T::text,
             .required = true,
             .max = max_file_name_bytes,
             .meaning = "the CSV file of the points, relative to this file"},
     .set =
         [](Reader& r, const ParamValue& v, const Site& s) {
           if (text(v).empty()) {
             r.sink.error(s.node.where(), s.path, "expected a CSV file, found " + s.node.describe());
             return;
           }
           r.experiment.points_file = (r.directory / text(v)).lexically_normal();
           r.points_file_where = s.node.where();
         }},
};

// ---- a distribution's keys, by kind ----

void set_number(Reader& r, const ParamValue& v, const Site& s) { r.distribution.numbers[last_key(s.path)] = real(v); }

constexpr ParamSpec kind_row = {.path = "dist",
                                .type = T::choice,
                                .required = true,
                                .choices = "uniform|log_uniform|normal|triangular|discrete",
                                .meaning = "the kind of distribution"};
constexpr ParamSpec number_row(std::string_view name, bool required, std::string_view meaning) {
  return {.path = name, .type = T::real, .default_yaml = "~", .required = required, .meaning = meaning};
}

const ExperimentRow uniform_rows[] = {
    {.key = kind_row},
    {.key = number_row("min", true, "the lowest value"), .set = set_number},
    {.key = number_row("max", true, "the highest value"), .set = set_number},
};
const ExperimentRow normal_rows[] = {
    {.key = kind_row},
    {.key = number_row("mean", true, "the mean"), .set = set_number},
    {.key = number_row("sd", true, "the standard deviation"), .set = set_number},
    {.key = number_row("min", false, "truncated below here"), .set = set_number},
    {.key = number_row("max", false, "truncated above here"), .set = set_number},
};
const ExperimentRow triangular_rows[] = {
    {.key = kind_row},
    {.key = number_row("min", true, "the lowest value"), .set = set_number},
    {.key = number_row("mode", true, "the most likely value"), .set = set_number},
    {.key = number_row("max", true, "the highest value"), .set = set_number},
};
const ExperimentRow discrete_rows[] = {
    {.key = kind_row},
    {.key = {.path = "values",
             .type = T::custom,
             .required = true,
             .choices = "[values]",
             .meaning = "the values, numbers or texts"},
     .read = read_distribution_values},
    {.key = {.path = "weights", .type = T::list_of, .default_yaml = "[]", .meaning = "each value's weight"}},
    {.key = {.path = "weights.[]", .type = T::real, .required = true, .min = 0, .meaning = "a weight >= 0"},
     .set = [](Reader& r, const ParamValue& v, const Site&) { r.distribution.weights.push_back(real(v)); }},
};

}  // namespace

KeyTable::KeyTable(std::span<const ExperimentRow> rows)
    : rows_(rows.begin(), rows.end()),
      specs_([&] {
        std::vector<ParamSpec> specs;
        for (const auto& row : rows) specs.push_back(row.key);
        return specs;
      }()),
      schema_(specs_) {}

const ExperimentRow* KeyTable::row_of(const ParamSpec& spec) const {
  if (&spec < specs_.data() || &spec >= specs_.data() + specs_.size()) return nullptr;
  return &rows_[std::size_t(&spec - specs_.data())];
}

const KeyTable& file_keys() {
  static const KeyTable table(file_rows);
  return table;
}

const KeyTable& design_keys(DesignMethod method) {
  static const KeyTable tables[] = {KeyTable(grid_rows), KeyTable(hypercube_rows), KeyTable(sobol_rows),
                                    KeyTable(morris_rows), KeyTable(points_rows)};
  return tables[std::size_t(method)];
}

const KeyTable& distribution_keys(std::string_view kind) {
  static const KeyTable uniform(uniform_rows), normal(normal_rows), triangular(triangular_rows),
      discrete(discrete_rows);
  if (kind == "normal") return normal;
  if (kind == "triangular") return triangular;
  if (kind == "discrete") return discrete;
  return uniform;  // uniform and log_uniform take the same keys
}

const ParamSpec& design_method_row() { return method_row; }
const ParamSpec& distribution_kind_row() { return kind_row; }

std::optional<std::size_t> read_choice(Reader& r, const ParamSpec& row, const Site& site, SchemaWalker& walker) {
  const std::string path = site.path + "." + std::string(row.path);
  const ConfigNode* node = site.node.find(row.path);
  if (node == nullptr) {
    r.sink.error(site.node.where(), path, "expected " + describe_expectation(row) + ", found nothing (required)");
    return std::nullopt;
  }
  const auto index = walker.parse_leaf(row, *node, path);
  return index ? std::optional(std::size_t(std::get<std::int64_t>(*index))) : std::nullopt;
}

// ---- the walker's target ----

bool Reader::walk(const KeyTable& table, const ConfigNode* node, const SourceLocation& where, const std::string& path) {
  const std::size_t errors_before = sink.diagnostics().size();
  const KeyTable* outer = std::exchange(table_, &table);
  SchemaWalker walker(table.schema(), *this, sink);
  ConfigNode resolved;
  walker.section(table.schema().root(), node, where, path, {}, resolved);
  table_ = outer;
  return sink.diagnostics().size() == errors_before;
}

std::optional<std::size_t> Reader::enter(const ParamSpec& spec, const PathKeys&, std::string_view key,
                                         const SourceLocation& where) {
  entry_key = std::string(key);
  entry_where = where;
  const ExperimentRow* row = table_->row_of(spec);
  return row != nullptr && row->enter != nullptr ? row->enter(*this, key, where) : std::nullopt;
}

void Reader::store(const ParamSpec& spec, const PathKeys& keys, const ParamValue& value, const ConfigNode& node,
                   const std::string& path) {
  const ExperimentRow* row = table_->row_of(spec);
  if (row != nullptr && row->set != nullptr) row->set(*this, value, Site{keys, node, path});
}

void Reader::custom(const ParamSpec& spec, const ConfigNode& node, const std::string& path, const PathKeys& keys,
                    SchemaWalker& walker) {
  const ExperimentRow* row = table_->row_of(spec);
  if (row == nullptr || row->read == nullptr) return KeyTarget::custom(spec, node, path, keys, walker);
  row->read(*this, Site{keys, node, path}, walker);
}

}  // namespace readmit::experiment_file
