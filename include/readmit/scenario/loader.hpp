#pragma once
// Loading a scenario: read the YAML file, follow `extends` (a base file, or a
// list of them, merged first) and `amendments` (overlay files merged on top),
// apply `--set` overrides, then validate every value against the parameter
// table and build the typed Scenario.
//
// Merging is deep: sections and maps with free keys (partners, visa_demand,
// ladders) merge key by key; lists, scalars and maps holding one parameter's
// value (a distribution, shares, timeline changes) are replaced whole.
//
// Every problem found is reported at once, through ScenarioError.
#include <filesystem>
#include <string>
#include <vector>

#include "readmit/scenario/config_node.hpp"
#include "readmit/scenario/scenario.hpp"

namespace readmit {

struct LoadedScenario {
  Scenario scenario;
  ConfigNode resolved;                    // every parameter, defaults filled in, in table order
  std::vector<std::string> source_files;  // the file and everything it included, in merge order
  std::vector<std::string> overrides;     // the --set texts applied

  /// The resolved scenario as YAML, headed by comments naming its sources.
  std::string resolved_yaml() const;
};

/// Loads and validates `path`. `overrides` are "key.path=value" texts whose
/// value is parsed as YAML. `overlays` (an experiment's policy) are merged on
/// top of the file and its amendments, before the overrides. Throws
/// ScenarioError listing every problem.
LoadedScenario load_scenario(const std::filesystem::path& path, const std::vector<std::string>& overrides = {},
                             const std::vector<std::filesystem::path>& overlays = {});

/// A scenario file merged with its bases, amendments and `overlays`, before
/// overrides and validation: load_scenario is merge_scenario_files, then
/// apply_overrides and resolve_scenario. Experiments merge once and resolve
/// every point's overrides from a copy. Throws ScenarioError.
struct MergedScenario {
  ConfigNode tree;
  std::vector<std::string> source_files;  // in merge order
};
MergedScenario merge_scenario_files(const std::filesystem::path& path,
                                    const std::vector<std::filesystem::path>& overlays = {});

/// The scenario of `merged` with `overrides` applied, validated; as
/// load_scenario(path, overrides, overlays) for the files `merged` came from.
LoadedScenario resolve_with_overrides(const MergedScenario& merged, const std::vector<std::string>& overrides);

/// Validates an already merged tree (used by load_scenario and by tests).
LoadedScenario resolve_scenario(const ConfigNode& merged);

/// Applies "key.path=value" overrides to a merged tree; errors go to `sink`.
void apply_overrides(ConfigNode& tree, const std::vector<std::string>& overrides, DiagnosticSink& sink);

}  // namespace readmit
