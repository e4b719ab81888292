#pragma once
// Internal to the experiment module: reading an experiment or sweep file.
// Its keys are a key table like the parameter table (keys.cpp), read by the
// scenario's schema walker (scenario/schema_walker.hpp): the same walk, the
// same number parser, the same located messages. What the table cannot say
// (which keys a design method takes, how each distribution is given, what
// refers to what) is checked after the walk by the files below:
//   keys.cpp           the key tables, each row with how its value is stored
//   load.cpp           load_experiment: the walk, the checks across keys, and
//                      every point checked under every policy
//   overrides.cpp      `set` maps flattened into --set texts
//   uncertainties.cpp  distributions, lists of values, a sweep's ranges
//   design.cpp         the design: its size and its points
//   points_file.cpp    the CSV file of the `points` design
//   outcomes.cpp       outcomes and PRIM questions
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "readmit/engine/run_totals.hpp"
#include "readmit/experiment/experiment.hpp"
#include "readmit/scenario/schema_walker.hpp"

namespace readmit::experiment_file {

/// Why `name` cannot be uncertain (or a column of a points file).
inline constexpr std::string_view uncertain_name_message =
    "expected a parameter of the model, found `name`: it labels every row of a point (each policy's scenario is "
    "named after the policy), so it cannot vary";

/// A finite number by the schema engine's one number parser (YAML's
/// spellings); nullopt for text, .inf and .nan.
inline std::optional<double> finite_number(const std::string& text) {
  const auto value = parse_yaml_number(text);
  return value && std::isfinite(*value) ? value : std::nullopt;
}

/// "1,234,567" (for the number of points in messages).
std::string grouped(std::size_t value);

/// value * factor, or nullopt past max_design_points (no overflow).
std::optional<std::size_t> times(std::size_t value, std::size_t factor);

/// A scalar as YAML text that parses back to the same scalar: plain when
/// that is safe, double-quoted otherwise.
std::string yaml_scalar(const std::string& text);

/// A node as one line of flow YAML (the value of a --set override).
std::string flow_yaml(const ConfigNode& node);

/// Where an override of the file was written, to locate the scenario
/// loader's messages about it in this file rather than in `--set`.
struct OverrideSource {
  std::string path;
  SourceLocation key_where;
  SourceLocation value_where;
  std::string suffix;  // appended to the message
};

/// A value as written: the value and where (a default's position when not).
template <class Value>
struct Written {
  std::optional<Value> value;
  SourceLocation where;
};

/// A PRIM question as written, checked against the outcomes and policies
/// once both are read (outcomes.cpp).
struct PrimEntry {
  SourceLocation where{};
  PrimQuery query{};
  Written<std::string> outcome{};
  Written<std::string> policy{};
  Written<bool> difference{};
  Written<double> below{};
  Written<double> above{};
};

/// A sweep's latin_hypercube range as written.
struct RangeEntry {
  std::string path{};
  SourceLocation where{};
  Written<double> min{};
  Written<double> max{};
};

/// The numbers of a distribution as written ({dist: KIND, ...}).
struct DistributionEntry {
  std::string kind{};
  std::map<std::string, double, std::less<>> numbers{};  // min, max, mean, sd, mode
  const ConfigNode* values = nullptr;                    // discrete
  std::vector<double> weights{};                         // discrete
};

class Reader;

/// A value the walker read: where it is written, its key path, and the
/// indices the entries above it were entered with (Reader::enter).
struct Site {
  const PathKeys& keys;
  const ConfigNode& node;
  const std::string& path;
};

/// How a row's value is stored, an entry of its map or list entered (the
/// index to append to the keys below), a row read by hand.
using RowSetter = void (*)(Reader&, const ParamValue&, const Site&);
using RowEnter = std::optional<std::size_t> (*)(Reader&, std::string_view key, const SourceLocation& where);
using RowReader = void (*)(Reader&, const Site&, SchemaWalker&);

/// One key: its row (path, type, default, range, meaning) and what reading it does.
struct ExperimentRow {
  ParamSpec key;
  RowSetter set = nullptr;
  RowEnter enter = nullptr;  // map_of and list_of rows
  RowReader read = nullptr;  // overrides and custom rows
};

/// A key table: its rows, and the schema the walker reads against.
class KeyTable {
 public:
  explicit KeyTable(std::span<const ExperimentRow> rows);
  KeyTable(const KeyTable&) = delete;
  KeyTable& operator=(const KeyTable&) = delete;
  const KeySchema& schema() const { return schema_; }
  /// The row of `spec` (one of this table's), or null.
  const ExperimentRow* row_of(const ParamSpec& spec) const;

 private:
  std::vector<ExperimentRow> rows_;
  std::vector<ParamSpec> specs_;  // rows_[i].key, in one array for the schema
  KeySchema schema_;              // over specs_: built after it, which never moves again
};

/// The tables (keys.cpp): the file's keys; each design method's; each
/// distribution kind's.
const KeyTable& file_keys();
const KeyTable& design_keys(DesignMethod method);
const KeyTable& distribution_keys(std::string_view kind);
/// The rows `design.method` and an uncertainty's `dist`, read before the
/// table they choose.
const ParamSpec& design_method_row();
const ParamSpec& distribution_kind_row();
/// The index of the choice `row` (required) in the map `site.node`, read
/// before the table it chooses; nullopt after saying why not.
std::optional<std::size_t> read_choice(Reader& r, const ParamSpec& row, const Site& site, SchemaWalker& walker);

/// The state of a file being read: the experiment it fills, where each of
/// its parts was written (to locate later messages), and what the checks
/// after the walk need.
class Reader : public KeyTarget {
 public:
  Reader(Experiment& e, DiagnosticSink& s, std::filesystem::path dir)
      : experiment(e), sink(s), directory(std::move(dir)) {}

  /// Reads `node` (a map, or null) against `table` at `path`; returns
  /// whether it gave no error.
  bool walk(const KeyTable& table, const ConfigNode* node, const SourceLocation& where, const std::string& path);

  std::optional<std::size_t> enter(const ParamSpec& spec, const PathKeys& keys, std::string_view key,
                                   const SourceLocation& where) override;
  void store(const ParamSpec& spec, const PathKeys& keys, const ParamValue& value, const ConfigNode& node,
             const std::string& path) override;
  void custom(const ParamSpec& spec, const ConfigNode& node, const std::string& path, const PathKeys& keys,
              SchemaWalker& walker) override;

  Experiment& experiment;
  DiagnosticSink& sink;
  std::filesystem::path directory;
  std::vector<OverrideSource> fixed_sources{};
  std::vector<std::vector<OverrideSource>> policy_sources{};
  std::vector<SourceLocation> policy_where{};
  std::vector<std::vector<FileReference>> overlay_files{};  // per policy: its overlays, where they are named
  std::vector<SourceLocation> uncertainty_where{};          // the key of each uncertainty
  std::vector<std::vector<SourceLocation>> label_where{};   // discrete lists: each value
  std::vector<SourceLocation> outcome_where{};
  std::vector<PrimEntry> prim{};
  std::vector<RangeEntry> ranges{};
  DistributionEntry distribution{};  // the one being read
  std::string entry_key{};           // the key of the map entry last entered
  SourceLocation entry_where{};      // and where it is written
  SourceLocation design_where{};
  SourceLocation points_file_where{};
  SourceLocation scenario_where{};
  std::optional<std::uint64_t> design_seed{};
  const ConfigNode* levels_node = nullptr;      // design.levels, when given
  const ConfigNode* candidates_node = nullptr;  // design.candidates, when given

 private:
  const KeyTable* table_ = nullptr;  // the table being walked
};

/// The index of a discrete uncertainty's label (by text) or value (by
/// number): the first of equal ones. Built once per uncertainty, so that
/// looking points up stays linear in the points.
class LabelLookup {
 public:
  explicit LabelLookup(const Uncertainty& u) {
    for (std::size_t i = 0; i < u.labels.size(); ++i) by_text_.emplace(u.labels[i], i);
    if (u.distribution.values.size() == u.labels.size())
      for (std::size_t i = 0; i < u.distribution.values.size(); ++i) by_value_.emplace(u.distribution.values[i], i);
  }
  std::optional<std::size_t> of_text(const std::string& text) const {
    const auto it = by_text_.find(text);
    return it == by_text_.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<std::size_t> of_value(double value) const {
    const auto it = by_value_.find(value);
    return it == by_value_.end() ? std::nullopt : std::optional(it->second);
  }

 private:
  std::unordered_map<std::string, std::size_t> by_text_;
  std::map<double, std::size_t> by_value_;
};

// ---- the readers of rows the table leaves to them ----

/// `set` (of the file, or of a policy: the last key its index): PATH:
/// VALUE, nested maps flattened into dotted paths; lists are kept whole.
void read_overrides(Reader& r, const Site& site, SchemaWalker& walker);
/// `outcome_windows`: windows added to the scenario's, passed as overrides.
void read_outcome_windows(Reader& r, const Site& site, SchemaWalker& walker);
/// An entry of `uncertainties`: {dist: KIND, ...} or a list of values.
void read_uncertainty(Reader& r, const Site& site, SchemaWalker& walker);
/// An entry of `grid`: a list of values.
void read_grid_values(Reader& r, const Site& site, SchemaWalker& walker);
/// `design`: {method: ..., and the method's keys}.
void read_design(Reader& r, const Site& site, SchemaWalker& walker);
/// A discrete distribution's `values`, kept for the distribution.
void read_distribution_values(Reader& r, const Site& site, SchemaWalker& walker);

// ---- the checks after the walk ----

/// The sweep syntax (`grid` or `latin_hypercube`) against the experiment's
/// (`policies`, `uncertainties`, `design`); sets the method.
void check_syntax(Reader& r, const ConfigNode& root);
/// A sweep's latin_hypercube ranges made uncertainties.
void read_ranges(Reader& r);
/// What the design needs of the uncertainties; morris' levels and candidates.
void check_design(Reader& r, const ConfigNode& root);
/// PRIM questions, once outcomes and policies are known.
void read_prim(Reader& r);
/// Whether the run totals of `layout` have `outcome`; otherwise the reason.
std::string missing_outcome(const RunTotalsLayout& layout, const Outcome& outcome);
/// Levers and fixed values that are also uncertain; an uncertainty twice.
void check_overlaps(Reader& r);

/// Reads the points CSV of the `points` design. Its header names the
/// parameters (a first column `point` is allowed); with `uncertainties`,
/// exactly theirs, and each value must lie in its distribution's range.
void read_points_file(Reader& r);

/// The number (for the analysis) of each point's text: a number, or the
/// index of the label.
void fill_point_values(Experiment& e);

/// How many points the design has, computed without expanding it; nullopt
/// when it is more than max_design_points.
std::optional<std::size_t> design_size(Reader& r);

/// The formula of the design's size, for the message refusing it.
std::string size_formula(const Experiment& e);

/// The design's points (Experiment::point_texts), in order.
void expand_design(Experiment& e);

}  // namespace readmit::experiment_file
