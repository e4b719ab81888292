#pragma once
// Loading a scenario: read the YAML file, follow `extends` (a base file, or a
// list of them) and `amendments` (overlay files), apply `--set` overrides,
// then validate every value against the parameter table and build the typed
// Scenario.
//
// Precedence, lowest first: the parameter table's defaults < the bases (in
// order) < the overlays (in order) < the file's own keys < `--set` (then
// `--seed`). Each base and overlay is itself loaded by the same rule.
//
// Merging is deep: sections and maps with free keys (partners, visa_demand,
// ladders) merge key by key; lists, scalars and maps holding one parameter's
// value (a distribution, shares, timeline changes) are replaced whole. The
// timeline is the exception: a file's entries are appended to those of its
// bases and overlays, and all of them apply in date order. A file drops
// inherited entries with `timeline_drop: [ID, ...]` (entries carry an `id`)
// or all of them with `timeline_replace: true`.
//
// Every problem found is reported at once, through ScenarioError; settings
// that are legal but take no effect are warnings (LoadedScenario::warnings),
// or errors under LoadOptions::strict.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "readmit/scenario/config_node.hpp"
#include "readmit/scenario/scenario.hpp"

namespace readmit {

/// Limits of hostile input. Included files are bounded by max_yaml_file_bytes.
/// Counts and lengths are limited by the parameter table (`max` of each row).
inline constexpr std::size_t max_included_files = 256;
inline constexpr std::size_t max_key_path_parts = 64;  // of a --set path

/// A check of a resolved scenario that this module cannot make: of keys
/// that name what a module above defines (outcome windows name run totals,
/// engine/run_totals.hpp). Its errors join the loader's, in file order.
using ScenarioCheck = void (*)(const ConfigNode& resolved, DiagnosticSink& sink);

struct LoadOptions {
  /// --set texts, "key.path=value"; the value is parsed as YAML.
  std::vector<std::string> overrides{};
  /// --seed: the master seed as text, checked exactly like the `seed` key,
  /// applied after the overrides and recorded in the resolved scenario.
  std::optional<std::string> seed{};
  /// How messages and the resolved YAML name the seed's origin.
  std::string seed_origin = "--seed";
  /// Warnings are errors.
  bool strict = false;
  /// An experiment's policy: overlay files merged on top of the file (and
  /// of its own keys), before the overrides.
  std::vector<std::filesystem::path> overlays{};
  /// Run after the resolution (engine/run_totals.hpp: load_run_scenario sets it).
  ScenarioCheck check = nullptr;
};

struct LoadedScenario {
  Scenario scenario;
  ConfigNode resolved;                    // every parameter, defaults filled in, in table order
  std::vector<std::string> source_files;  // the file and everything it included, in merge order
  std::vector<std::string> overrides;     // the --set texts applied
  std::string seed_origin;                // "--seed 7" when the seed was given apart from the files
  /// Legal settings that take no effect, located (`FILE:L:C: warning: ...`).
  std::vector<Diagnostic> warnings;

  /// The resolved scenario as YAML, headed by comments naming its sources.
  std::string resolved_yaml() const;
  /// Every value of the resolved scenario on a line of its own,
  /// `path: value  # origin`, the origin being `default`, FILE:LINE:COL or
  /// the command-line option; values the timeline changes later say when and
  /// to what (`readmit show --origin`).
  std::string origin_listing() const;
};

/// Loads and validates `path`. Throws ScenarioError listing every problem
/// (with options.strict, the warnings too).
LoadedScenario load_scenario(const std::filesystem::path& path, const LoadOptions& options);
LoadedScenario load_scenario(const std::filesystem::path& path, const std::vector<std::string>& overrides = {});

/// A scenario file merged with its bases, amendments and `overlays`, before
/// overrides and validation: load_scenario is merge_scenario_files, then
/// resolve_with_overrides. Experiments merge once and resolve every point's
/// overrides from a copy. Throws ScenarioError.
struct MergedScenario {
  ConfigNode tree;
  std::vector<std::string> source_files;  // in merge order
  std::vector<Diagnostic> warnings;       // the merge's own (timeline directives)
};
MergedScenario merge_scenario_files(const std::filesystem::path& path,
                                    const std::vector<std::filesystem::path>& overlays = {});

/// A file named in another file (an experiment's `scenario`, a policy's
/// overlay): messages about the file itself (missing, not a regular file,
/// too large) are located where it is named, under `key_path`.
struct FileReference {
  std::filesystem::path path;
  SourceLocation where;
  std::string key_path;
};
MergedScenario merge_scenario_files(const FileReference& scenario, const std::vector<FileReference>& overlays);

/// The scenario of `merged` with the options' overrides and seed applied,
/// validated; as load_scenario for the files `merged` came from.
LoadedScenario resolve_with_overrides(const MergedScenario& merged, const LoadOptions& options);
LoadedScenario resolve_with_overrides(const MergedScenario& merged, const std::vector<std::string>& overrides);

/// Validates an already merged tree (used by load_scenario and by tests);
/// the warnings it finds are in the result.
LoadedScenario resolve_scenario(const ConfigNode& merged, ScenarioCheck check = nullptr);

/// Applies "key.path=value" overrides to a merged tree; errors go to `sink`.
void apply_overrides(ConfigNode& tree, const std::vector<std::string>& overrides, DiagnosticSink& sink);

/// The origin that messages about an override name: `command line (--set
/// TEXT)`, TEXT as excerpt() shows it (at most 200 bytes). Experiments look
/// it up to move such messages to the place in their file that wrote TEXT.
std::string override_origin(std::string_view text);

/// A --seed text as the `seed` key would read it. Throws ScenarioError
/// located at `origin` ("command line (--seed -1)").
std::uint64_t parse_seed(std::string_view text, const std::string& origin);

}  // namespace readmit
