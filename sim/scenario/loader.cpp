// File inclusion (`extends`, `amendments`) and command-line overrides.
#include "readmit/scenario/loader.hpp"
#include "readmit/scenario/parameters.hpp"

#include <algorithm>
#include <charconv>

namespace readmit {

namespace {

struct IncludeState {
  DiagnosticSink& sink;
  std::vector<std::filesystem::path> stack;  // files being loaded, for cycle detection
  std::vector<std::string> loaded;           // every file, in merge order
};

std::filesystem::path normalized(const std::filesystem::path& path) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(path, ec);
  return ec ? path.lexically_normal() : canonical;
}

// Reads `key` (a file name or, when `allow_list`, a list of them) out of the
// map and removes it; returns the names with their locations.
std::vector<std::pair<std::string, SourceLocation>> take_file_list(ConfigNode& tree, std::string_view key,
                                                                   DiagnosticSink& sink) {
  std::vector<std::pair<std::string, SourceLocation>> files;
  const ConfigNode* node = tree.find(key);
  if (node == nullptr) return files;
  auto add = [&](const ConfigNode& item) {
    if (item.is_scalar() && !item.text().empty())
      files.emplace_back(item.text(), item.where());
    else
      sink.error(item.where(), std::string(key), "expected a file name, found " + item.describe());
  };
  if (node->is_sequence())
    for (const auto& item : node->items()) add(item);
  else if (!node->is_null())
    add(*node);
  tree.erase(key);
  return files;
}

constexpr std::string_view off_table = "?";  // a pattern below a key the table does not know

// The parameter-table path of `key` below the table path `pattern` ("" for
// the top level; the entries of a map with free keys are `*`).
std::string child_pattern(const std::string& pattern, const std::string& key) {
  if (pattern == off_table) return std::string(off_table);
  const std::string named = pattern.empty() ? key : pattern + "." + key;
  const std::string free = pattern + ".*";
  for (const auto& spec : parameter_table())
    if (spec.path == named) return named;
  for (const auto& spec : parameter_table())
    if (!pattern.empty() && spec.path == free) return free;
  return std::string(off_table);
}

// Deep merge, except that a map holding a single parameter value (a
// distribution, shares, timeline changes) is replaced whole: merging
// `{none: 1}` into other shares, or a gamma's shape into a lognormal, would
// build a value that neither file wrote.
void merge_scenario(ConfigNode& base, const ConfigNode& overlay, const std::string& pattern = "") {
  bool single_value = false;
  for (const auto& spec : parameter_table())
    if (spec.path == pattern) single_value = spec.type != ParamType::section && spec.type != ParamType::map_of;
  if (!base.is_map() || !overlay.is_map() || single_value) {
    base = overlay;
    return;
  }
  for (const auto& entry : overlay.entries()) {
    if (ConfigNode* existing = base.find(entry.key))
      merge_scenario(*existing, entry.value, child_pattern(pattern, entry.key));
    else
      base.entries().push_back(entry);
  }
}

// `key_path` names the key that included the file ("extends", "amendments"),
// empty for the file named on the command line.
std::optional<ConfigNode> load_tree(const std::filesystem::path& path, const SourceLocation& included_from,
                                    const std::string& key_path, IncludeState& state) {
  const auto key = normalized(path);
  if (std::find(state.stack.begin(), state.stack.end(), key) != state.stack.end()) {
    std::string chain;
    for (const auto& p : state.stack) chain += p.filename().string() + " -> ";
    state.sink.error(included_from, key_path, "cyclic include: " + chain + key.filename().string());
    return std::nullopt;
  }
  auto tree = read_yaml_file(path, included_from, state.sink, key_path);
  if (!tree) return std::nullopt;
  if (!tree->is_map()) {
    state.sink.error(tree->where(), "", "expected a map of scenario keys at the top level, found " + tree->describe());
    return std::nullopt;
  }
  state.stack.push_back(key);
  const auto directory = path.parent_path();
  const auto bases = take_file_list(*tree, "extends", state.sink);
  const auto overlays = take_file_list(*tree, "amendments", state.sink);

  ConfigNode result = ConfigNode::make_map(tree->where());
  for (const auto& [name, where] : bases)
    if (auto base = load_tree(directory / name, where, "extends", state)) merge_scenario(result, *base);
  state.loaded.push_back(path.string());
  merge_scenario(result, *tree);
  for (const auto& [name, where] : overlays)
    if (auto overlay = load_tree(directory / name, where, "amendments", state)) merge_scenario(result, *overlay);
  state.stack.pop_back();
  return result;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    parts.emplace_back(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

// A list index in a --set path: decimal digits below `size`.
std::optional<std::size_t> list_index(std::string_view part, std::size_t size) {
  std::size_t index = 0;
  const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
  if (part.empty() || ec != std::errc{} || end != part.data() + part.size() || index >= size) return std::nullopt;
  return index;
}

// A copy of `node` whose every value and key is located at `where`.
ConfigNode relocated(const ConfigNode& node, const SourceLocation& where) {
  switch (node.kind()) {
    case ConfigNode::Kind::null:
      return ConfigNode::make_null(where);
    case ConfigNode::Kind::scalar:
      return ConfigNode::make_scalar(node.text(), where);
    case ConfigNode::Kind::sequence: {
      ConfigNode out = ConfigNode::make_sequence(where);
      for (const auto& item : node.items()) out.items().push_back(relocated(item, where));
      return out;
    }
    case ConfigNode::Kind::map: {
      ConfigNode out = ConfigNode::make_map(where);
      for (const auto& entry : node.entries())
        out.entries().push_back({entry.key, where, relocated(entry.value, where)});
      return out;
    }
  }
  return ConfigNode::make_null(where);
}

}  // namespace

void apply_overrides(ConfigNode& tree, const std::vector<std::string>& overrides, DiagnosticSink& sink) {
  for (std::size_t n = 0; n < overrides.size(); ++n) {
    const std::string& text = overrides[n];
    auto origin = std::make_shared<const std::string>("command line (--set " + text + ")");
    const SourceLocation where{origin, 0, 0};
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0) {
      sink.error(where, "", "expected KEY.PATH=VALUE");
      continue;
    }
    const auto parts = split_path(std::string_view(text).substr(0, equals));
    if (std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
      sink.error(where, text.substr(0, equals), "expected a dotted key path without empty parts");
      continue;
    }
    auto value = parse_yaml(text.substr(equals + 1), *origin, sink);
    if (!value) continue;
    // parse_yaml turns an empty document into an empty map; an empty value means null here.
    if (text.size() == equals + 1) value = ConfigNode::make_null(where);
    // Messages about the value name the override, not "line 1" of its text.
    value = relocated(*value, where);
    ConfigNode* node = &tree;
    std::string walked;
    bool ok = true;
    for (std::size_t i = 0; i + 1 < parts.size() && ok; ++i) {
      walked += (walked.empty() ? "" : ".") + parts[i];
      if (node->is_sequence()) {
        const auto index = list_index(parts[i], node->items().size());
        if (!index) {
          sink.error(where, walked, "expected an index below " + std::to_string(node->items().size()) + " into a list");
          ok = false;
          break;
        }
        node = &node->items()[*index];
        continue;
      }
      if (!node->is_map()) {
        if (!node->is_null()) {
          sink.error(where, walked, "cannot set a key inside " + node->describe());
          ok = false;
          break;
        }
        *node = ConfigNode::make_map(where);
      }
      ConfigNode* child = node->find(parts[i]);
      node = child != nullptr ? child : &node->set(parts[i], where, ConfigNode::make_map(where));
    }
    if (!ok) continue;
    const std::string& last = parts.back();
    if (node->is_sequence()) {
      const auto index = list_index(last, node->items().size());
      if (!index) {
        sink.error(where, text.substr(0, equals),
                   "expected an index below " + std::to_string(node->items().size()) + " into a list");
        continue;
      }
      node->items()[*index] = *value;
      continue;
    }
    if (!node->is_map()) {
      if (!node->is_null()) {
        sink.error(where, walked, "cannot set a key inside " + node->describe());
        continue;
      }
      *node = ConfigNode::make_map(where);
    }
    node->set(last, where, *value);
  }
}

MergedScenario merge_scenario_files(const std::filesystem::path& path,
                                    const std::vector<std::filesystem::path>& overlays) {
  DiagnosticSink sink;
  IncludeState state{sink, {}, {}};
  const SourceLocation command_line{std::make_shared<const std::string>(path.string()), 0, 0};
  auto tree = load_tree(path, command_line, "", state);
  for (const auto& overlay : overlays) {
    const SourceLocation named{std::make_shared<const std::string>(overlay.string()), 0, 0};
    if (auto extra = load_tree(overlay, named, "overlay", state); extra && tree) merge_scenario(*tree, *extra);
  }
  sink.throw_if_any();
  return {std::move(*tree), std::move(state.loaded)};
}

LoadedScenario resolve_with_overrides(const MergedScenario& merged, const std::vector<std::string>& overrides) {
  DiagnosticSink sink;
  ConfigNode tree = merged.tree;
  apply_overrides(tree, overrides, sink);
  sink.throw_if_any();
  LoadedScenario loaded = resolve_scenario(tree);
  loaded.source_files = merged.source_files;
  loaded.overrides = overrides;
  return loaded;
}

LoadedScenario load_scenario(const std::filesystem::path& path, const std::vector<std::string>& overrides,
                             const std::vector<std::filesystem::path>& overlays) {
  return resolve_with_overrides(merge_scenario_files(path, overlays), overrides);
}

std::string LoadedScenario::resolved_yaml() const {
  std::string header = "# readmit resolved scenario: every parameter, defaults filled in.\n";
  for (const auto& file : source_files) header += "# source: " + file + "\n";
  for (const auto& text : overrides) header += "# --set " + text + "\n";
  return header + to_yaml(resolved);
}

}  // namespace readmit
