// An experiment's policies (the levers): each a name, overlay files merged
// onto the scenario and overrides, checked where they are written.
#include <algorithm>

#include "reading/reader.hpp"

namespace readmit::experiment_file {

namespace {

constexpr std::string_view policy_keys[] = {"overlays", "set"};
constexpr std::size_t max_name_length = 64;

/// Names of policies: they label rows and name scenarios.
bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= max_name_length && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

void read_policies(Reader& r, const ConfigNode& policies) {
  Experiment& e = r.experiment;
  if (!policies.is_map() || policies.entries().empty()) {
    r.sink.error(policies.where(), "policies",
                 "expected a map of NAME: {overlays: [files], set: {PATH: VALUE}}, found " + policies.describe());
  } else {
    for (const auto& entry : policies.entries()) {
      const std::string key_path = "policies." + entry.key;
      if (!valid_name(entry.key)) {
        r.sink.error(entry.key_where, key_path,
                     "expected a name of at most 64 letters, digits, '_' or '-', found \"" + entry.key + "\"");
        continue;
      }
      Policy policy;
      policy.name = entry.key;
      std::vector<OverrideSource> sources;
      std::vector<FileReference> overlay_files;
      if (entry.value.is_map()) {
        check_keys(entry.value, key_path + ".", policy_keys, r.sink);
        if (const ConfigNode* overlays = entry.value.find("overlays")) {
          if (!overlays->is_sequence()) {
            r.sink.error(overlays->where(), key_path + ".overlays",
                         "expected a list of files, found " + overlays->describe());
          } else {
            for (std::size_t i = 0; i < overlays->items().size(); ++i) {
              const auto& item = overlays->items()[i];
              if (!item.is_scalar() || item.text().empty()) {
                r.sink.error(item.where(), key_path + ".overlays", "expected a file name, found " + item.describe());
                continue;
              }
              policy.overlays.push_back((r.directory / item.text()).lexically_normal());
              overlay_files.push_back(
                  {policy.overlays.back(), item.where(), key_path + ".overlays[" + std::to_string(i) + "]"});
            }
          }
        }
        if (const ConfigNode* set = entry.value.find("set")) {
          if (set->is_map())
            read_overrides(*set, key_path + ".set.", "", policy.overrides, sources, r.sink);
          else if (!set->is_null())
            r.sink.error(set->where(), key_path + ".set", "expected a map of PATH: VALUE, found " + set->describe());
        }
      } else if (!entry.value.is_null()) {
        r.sink.error(entry.value.where(), key_path,
                     "expected {overlays: [files], set: {PATH: VALUE}} or {}, found " + entry.value.describe());
        continue;
      }
      for (const auto& source : sources)
        if (source.path == "name")
          r.sink.error(source.key_where, key_path + ".set.name", "expected no `name`: a policy's name is its key");
      e.policies.push_back(std::move(policy));
      r.overlay_files.push_back(std::move(overlay_files));
      e.named_policies = true;
      r.policy_sources.push_back(std::move(sources));
      r.policy_where.push_back(entry.key_where);
    }
  }
}

}  // namespace readmit::experiment_file
