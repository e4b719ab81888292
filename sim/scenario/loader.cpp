// File inclusion (`extends`, `amendments`), the timeline's merge across
// files, and command-line overrides.
#include "readmit/scenario/loader.hpp"

#include <algorithm>
#include <charconv>

#include "readmit/scenario/parameters.hpp"
#include "readmit/util/text.hpp"
#include "value_parsing.hpp"

namespace readmit {

namespace {

struct IncludeState {
  DiagnosticSink& sink;
  std::vector<FileIdentity> stack;       // files being loaded, for cycle detection
  std::vector<std::string> stack_names;  // their names, for the message
  std::vector<std::string> loaded;       // every file, in merge order
  std::size_t files_read = 0;
};

// Reads `key` (a file name or a list of them) out of the map and removes it;
// returns the names with their locations.
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

/// A file's say over the timeline it inherits from its bases and overlays.
struct TimelineDirectives {
  bool replace = false;
  std::optional<SourceLocation> replace_where;
  std::vector<std::pair<std::string, SourceLocation>> drop;  // ids
  std::optional<SourceLocation> drop_where;
  bool drop_is_list = false;
};

TimelineDirectives take_timeline_directives(ConfigNode& tree, DiagnosticSink& sink) {
  TimelineDirectives directives;
  if (const ConfigNode* node = tree.find("timeline_replace")) {
    static const std::vector<std::string_view> yes = {"true", "True", "TRUE", "yes", "Yes", "on", "On"};
    static const std::vector<std::string_view> no = {"false", "False", "FALSE", "no", "No", "off", "Off"};
    const bool is_yes = node->is_scalar() && std::find(yes.begin(), yes.end(), node->text()) != yes.end();
    const bool is_no = node->is_scalar() && std::find(no.begin(), no.end(), node->text()) != no.end();
    if (!is_yes && !is_no)
      sink.error(node->where(), "timeline_replace", "expected true or false, found " + node->describe());
    directives.replace = is_yes;
    if (is_yes) directives.replace_where = node->where();
    tree.erase("timeline_replace");
  }
  if (const ConfigNode* node = tree.find("timeline_drop")) {
    directives.drop_where = node->where();
    auto add = [&](const ConfigNode& item, const std::string& path) {
      if (item.is_scalar() && !item.text().empty())
        directives.drop.emplace_back(item.text(), item.where());
      else
        sink.error(item.where(), path, "expected the id of a timeline entry, found " + item.describe());
    };
    directives.drop_is_list = node->is_sequence();
    if (node->is_sequence()) {
      for (std::size_t i = 0; i < node->items().size(); ++i)
        add(node->items()[i], "timeline_drop[" + std::to_string(i) + "]");
    } else {
      add(*node, "timeline_drop");
    }
    tree.erase("timeline_drop");
  }
  return directives;
}

/// The id of a timeline entry, if it has one.
std::optional<std::string> entry_id(const ConfigNode& entry) {
  if (!entry.is_map()) return std::nullopt;
  const ConfigNode* id = entry.find("id");
  if (id == nullptr || !id->is_scalar() || id->text().empty()) return std::nullopt;
  return id->text();
}

/// Applies a file's directives to the timeline merged from its bases and
/// overlays, before the file's own entries are appended.
void apply_timeline_directives(ConfigNode& merged, const TimelineDirectives& directives, DiagnosticSink& sink) {
  ConfigNode* timeline = merged.find("timeline");
  const bool inherited = timeline != nullptr && timeline->is_sequence() && !timeline->items().empty();
  if (directives.replace) {
    if (!inherited)
      sink.warning(*directives.replace_where, "timeline_replace",
                   "has no effect: no base or overlay has a timeline entry to replace");
    else
      timeline->items().clear();
    if (directives.drop_where)
      sink.warning(*directives.drop_where, "timeline_drop", "has no effect with timeline_replace: true");
    return;
  }
  if (directives.drop.empty()) return;
  std::vector<std::string> ids;
  if (inherited)
    for (const auto& entry : timeline->items())
      if (auto id = entry_id(entry)) ids.push_back(*id);
  const std::vector<std::string_view> known(ids.begin(), ids.end());
  for (std::size_t i = 0; i < directives.drop.size(); ++i) {
    const std::string& id = directives.drop[i].first;
    const SourceLocation& where = directives.drop[i].second;
    const std::string path =
        directives.drop_is_list ? "timeline_drop[" + std::to_string(i) + "]" : std::string("timeline_drop");
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      std::string message = unknown_name_message("no inherited timeline entry has the id", excerpt(id), known);
      if (ids.empty()) message += " (no base or overlay gives its timeline entries an id)";
      sink.error(where, path, message);
      continue;
    }
    auto& items = timeline->items();
    items.erase(std::remove_if(items.begin(), items.end(), [&](const ConfigNode& e) { return entry_id(e) == id; }),
                items.end());
  }
}

constexpr std::string_view off_table = "?";  // a pattern below a key the table does not know

// The parameter-table path of `key` below the table path `pattern` ("" for
// the top level; the entries of a map with free keys are `*`).
std::string child_pattern(const std::string& pattern, const std::string& key) {
  if (pattern == off_table) return std::string(off_table);
  std::string named = pattern.empty() ? key : pattern + "." + key;
  std::string free = pattern + ".*";
  for (const auto& spec : parameter_table())
    if (spec.path == named) return named;
  for (const auto& spec : parameter_table())
    if (!pattern.empty() && spec.path == free) return free;
  return std::string(off_table);
}

/// The row of the parameter value at table path `pattern`; null for a
/// section, a map with free keys, or a path off the table.
const ParamSpec* value_row(const std::string& pattern) {
  const ParamSpec* leaf = nullptr;
  for (const auto& spec : parameter_table())
    if (spec.path == pattern)
      leaf = spec.type != ParamType::section && spec.type != ParamType::map_of ? &spec : nullptr;
  return leaf;
}

/// Merges `overlay` into `base`, a value of `row` declared with its range
/// (the rule is merge_scenario's).
void merge_into_declared_range(ConfigNode& base, const ConfigNode& overlay, const ParamSpec& row) {
  const ConfigNode* own = overlay.is_map() ? overlay.find("range") : nullptr;
  if (own != nullptr && own->is_scalar() && own->text() == "none") {
    base = overlay;  // the later file's own value: nothing of the earlier declaration stays
  } else if (scenario_detail::is_declared_range(row, overlay)) {
    for (const auto& entry : overlay.entries()) base.set(entry.key, entry.key_where, entry.value);
  } else {
    base.set("value", overlay.where(), overlay);
  }
}

// Deep merge, except that a map holding a single parameter value (a
// distribution, shares, timeline changes) is replaced whole: merging
// `{none: 1}` into other shares, or a gamma's shape into a lognormal, would
// build a value that neither file wrote. A plain value over a value declared
// with its range (`{value: V, range: ...}`) replaces the value and keeps the
// range, as the file that declared it says; a declaration over another is
// merged key by key, unless it says `range: none` (its own value, replacing
// the declaration whole). The timeline is appended to.
void merge_scenario(ConfigNode& base, const ConfigNode& overlay, const std::string& pattern = "") {
  if (pattern == "timeline" && base.is_sequence() && overlay.is_sequence()) {
    base.items().insert(base.items().end(), overlay.items().begin(), overlay.items().end());
    return;
  }
  const ParamSpec* leaf = value_row(pattern);
  if (leaf != nullptr && scenario_detail::is_declared_range(*leaf, base)) {
    merge_into_declared_range(base, overlay, *leaf);
    return;
  }
  if (!base.is_map() || !overlay.is_map() || leaf != nullptr) {
    base = overlay;
    return;
  }
  for (const auto& entry : overlay.entries()) {
    if (ConfigNode* existing = base.find(entry.key))
      merge_scenario(*existing, entry.value, child_pattern(pattern, entry.key));
    else
      base.append(entry.key, entry.key_where, entry.value);
  }
}

/// What a top-level value that is not a map is, without echoing it: a file
/// named by mistake (`extends: /etc/passwd`) must not be printed.
std::string kind_of(const ConfigNode& node) {
  switch (node.kind()) {
    case ConfigNode::Kind::scalar:
      return "a text of " + std::to_string(node.text().size()) + " bytes";
    case ConfigNode::Kind::sequence:
      return "a list";
    default:
      return node.describe();
  }
}

// Loads `path` and what it includes, merged by the precedence rule: its bases,
// then its overlays, then its own keys. `key_path` names the key that
// included the file ("extends", "amendments"), empty for the file named on
// the command line.
std::optional<ConfigNode> load_tree(const std::filesystem::path& path, const SourceLocation& included_from,
                                    const std::string& key_path, IncludeState& state) {
  if (++state.files_read > max_included_files) {
    if (state.files_read == max_included_files + 1)
      state.sink.error(included_from, key_path,
                       "expected at most " + std::to_string(max_included_files) +
                           " file inclusions in all (bases and overlays including each other many times?)");
    return std::nullopt;
  }
  FileIdentity identity;
  auto text = read_text_file(path, included_from, state.sink, key_path, &identity);
  if (!text) return std::nullopt;
  if (const auto it = std::find(state.stack.begin(), state.stack.end(), identity); it != state.stack.end()) {
    std::string chain;
    for (const auto& name : state.stack_names) chain += name + " -> ";
    state.sink.error(included_from, key_path, "cyclic include: " + chain + path.filename().string());
    return std::nullopt;
  }
  auto tree = parse_yaml(*text, path.string(), state.sink);
  if (!tree) return std::nullopt;
  if (!tree->is_map()) {
    state.sink.error(tree->where(), "", "expected a map of scenario keys at the top level, found " + kind_of(*tree));
    return std::nullopt;
  }
  state.stack.push_back(identity);
  state.stack_names.push_back(path.filename().string());
  const auto directory = path.parent_path();
  const auto bases = take_file_list(*tree, "extends", state.sink);
  const auto overlays = take_file_list(*tree, "amendments", state.sink);
  const auto directives = take_timeline_directives(*tree, state.sink);

  ConfigNode result = ConfigNode::make_map(tree->where());
  for (const auto& [name, where] : bases)
    if (auto base = load_tree(directory / name, where, "extends", state)) merge_scenario(result, *base);
  for (const auto& [name, where] : overlays)
    if (auto overlay = load_tree(directory / name, where, "amendments", state)) merge_scenario(result, *overlay);
  apply_timeline_directives(result, directives, state.sink);
  state.loaded.push_back(path.string());
  merge_scenario(result, *tree);
  state.stack.pop_back();
  state.stack_names.pop_back();
  return result;
}

/// The merged timeline in date order (stable: entries of a day keep their
/// order), so that `readmit show`, `--set timeline.N` and messages number
/// entries alike. Dates are compared as text: YYYY-MM-DD sorts by time, and
/// malformed dates are reported later.
void sort_timeline(ConfigNode& tree) {
  ConfigNode* timeline = tree.find("timeline");
  if (timeline == nullptr || !timeline->is_sequence()) return;
  auto date_of = [](const ConfigNode& entry) -> std::string {
    const ConfigNode* date = entry.is_map() ? entry.find("date") : nullptr;
    return date != nullptr && date->is_scalar() ? date->text() : std::string();
  };
  std::stable_sort(timeline->items().begin(), timeline->items().end(),
                   [&](const ConfigNode& a, const ConfigNode& b) { return date_of(a) < date_of(b); });
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
      for (const auto& entry : node.entries()) out.append(entry.key, where, relocated(entry.value, where));
      return out;
    }
  }
  return ConfigNode::make_null(where);
}

/// The position of the '=' of an override text, or nullopt after reporting
/// a text that is not UTF-8 or has no key before an '='.
std::optional<std::size_t> override_equals_sign(const std::string& text, const SourceLocation& where,
                                                DiagnosticSink& sink) {
  if (const auto bad = invalid_utf8_at(text); bad != std::string::npos) {
    sink.error(where, "", "expected UTF-8 text, found a byte that is not UTF-8 at byte offset " + std::to_string(bad));
    return std::nullopt;
  }
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0) {
    sink.error(where, "", "expected KEY.PATH=VALUE");
    return std::nullopt;
  }
  return equals;
}

/// Whether the parts of an override's key path are usable, after reporting why not.
bool key_parts_valid(const std::vector<std::string_view>& parts, const std::string& key_path,
                     const SourceLocation& where, DiagnosticSink& sink) {
  if (std::any_of(parts.begin(), parts.end(), [](std::string_view p) { return p.empty(); })) {
    sink.error(where, key_path, "expected a dotted key path without empty parts");
    return false;
  }
  if (parts.size() > max_key_path_parts) {
    sink.error(where, key_path, "expected a key path of at most " + std::to_string(max_key_path_parts) + " parts");
    return false;
  }
  return true;
}

/// The value of an override (the text after its '=', parsed), located at
/// the override; nullopt after reporting why not.
std::optional<ConfigNode> override_value(const std::string& text, std::size_t equals, const SourceLocation& where,
                                         DiagnosticSink& sink) {
  auto value = parse_yaml(text.substr(equals + 1), *where.origin, sink, SourceLocation::Kind::command_line);
  if (!value) return std::nullopt;
  // parse_yaml turns an empty document into an empty map; an empty value means null here.
  if (text.size() == equals + 1) value = ConfigNode::make_null(where);
  // Messages about the value name the override, not "line 1" of its text.
  return relocated(*value, where);
}

/// The item of `list` at the index `part`, or null after reporting why not.
ConfigNode* list_item(ConfigNode& list, std::string_view part, const std::string& path, const SourceLocation& where,
                      DiagnosticSink& sink) {
  const auto index = list_index(part, list.items().size());
  if (!index) {
    sink.error(where, path, "expected an index below " + std::to_string(list.items().size()) + " into a list");
    return nullptr;
  }
  return &list.items()[*index];
}

/// Whether a key can be set in `node` (`walked`: its path): a map can, and
/// nothing becomes an empty map; any other value is reported.
bool make_map_to_set_in(ConfigNode& node, const std::string& walked, const SourceLocation& where,
                        DiagnosticSink& sink) {
  if (node.is_map()) return true;
  if (!node.is_null()) {
    sink.error(where, walked, "cannot set a key inside " + node.describe());
    return false;
  }
  node = ConfigNode::make_map(where);
  return true;
}

/// The node that holds the last of `parts`, with the maps on the way to it
/// made where missing; null after reporting why not. `walked` ends as its path.
ConfigNode* holder_of_last_part(ConfigNode& tree, const std::vector<std::string_view>& parts,
                                const SourceLocation& where, std::string& walked, DiagnosticSink& sink) {
  ConfigNode* node = &tree;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    walked += (walked.empty() ? "" : ".") + excerpt(parts[i], 200);
    if (node->is_sequence()) {
      node = list_item(*node, parts[i], walked, where, sink);
      if (node == nullptr) return nullptr;
      continue;
    }
    if (!make_map_to_set_in(*node, walked, where, sink)) return nullptr;
    ConfigNode* child = node->find(parts[i]);
    node = child != nullptr ? child : &node->append(std::string(parts[i]), where, ConfigNode::make_map(where));
  }
  return node;
}

/// Whether `existing`, at the key path `parts`, is a parameter's value declared with its range.
bool declared_with_range(const std::vector<std::string_view>& parts, const ConfigNode& existing) {
  std::string pattern;
  for (const auto part : parts) pattern = child_pattern(pattern, std::string(part));
  const auto table = parameter_table();
  return std::any_of(table.begin(), table.end(), [&](const ParamSpec& spec) {
    return spec.path == pattern && scenario_detail::is_declared_range(spec, existing);
  });
}

/// Applies one "key.path=value" text; messages name `origin_text`
/// ("command line (--set k=v)").
void apply_override(ConfigNode& tree, const std::string& text, const std::string& origin_text, DiagnosticSink& sink) {
  const SourceLocation where{std::make_shared<const std::string>(origin_text), 0, 0,
                             SourceLocation::Kind::command_line};
  const auto equals = override_equals_sign(text, where, sink);
  if (!equals) return;
  const std::string key_path = excerpt(std::string_view(text).substr(0, *equals), 200);
  const auto parts = split(std::string_view(text).substr(0, *equals), '.');
  if (!key_parts_valid(parts, key_path, where, sink)) return;
  const auto value = override_value(text, *equals, where, sink);
  if (!value) return;
  std::string walked;
  ConfigNode* node = holder_of_last_part(tree, parts, where, walked, sink);
  if (node == nullptr) return;
  const std::string last(parts.back());
  if (node->is_sequence()) {
    if (ConfigNode* item = list_item(*node, last, key_path, where, sink)) *item = *value;
    return;
  }
  if (!make_map_to_set_in(*node, walked, where, sink)) return;
  // A plain value for a parameter declared with its range keeps the range.
  if (ConfigNode* existing = node->find(last);
      existing != nullptr && !value->is_map() && declared_with_range(parts, *existing)) {
    existing->set("value", where, *value);
    return;
  }
  node->set(last, where, *value);
}

}  // namespace

void apply_overrides(ConfigNode& tree, const std::vector<std::string>& overrides, DiagnosticSink& sink) {
  for (const auto& text : overrides) apply_override(tree, text, override_origin(text), sink);
}

std::string override_origin(std::string_view text) { return "command line (--set " + excerpt(text, 200) + ")"; }

MergedScenario merge_scenario_files(const std::filesystem::path& path,
                                    const std::vector<std::filesystem::path>& overlays) {
  const SourceLocation command_line{std::make_shared<const std::string>(excerpt(path.string(), 1024)), 0, 0};
  std::vector<FileReference> named;
  for (const auto& overlay : overlays)
    named.push_back({overlay, {std::make_shared<const std::string>(overlay.string()), 0, 0}, "overlay"});
  return merge_scenario_files(FileReference{path, command_line, ""}, named);
}

MergedScenario merge_scenario_files(const FileReference& scenario, const std::vector<FileReference>& overlays) {
  DiagnosticSink sink;
  IncludeState state{sink, {}, {}, {}, 0};
  auto tree = load_tree(scenario.path, scenario.where, scenario.key_path, state);
  for (const auto& overlay : overlays) {
    if (auto extra = load_tree(overlay.path, overlay.where, overlay.key_path, state); extra && tree)
      merge_scenario(*tree, *extra);
  }
  sink.throw_if_any();
  sort_timeline(*tree);
  return {std::move(*tree), std::move(state.loaded), sink.warnings()};
}

LoadedScenario resolve_with_overrides(const MergedScenario& merged, const LoadOptions& options) {
  DiagnosticSink sink;
  ConfigNode tree = merged.tree;
  apply_overrides(tree, options.overrides, sink);
  std::string seed_label;
  if (options.seed) {
    seed_label = options.seed_origin + " " + excerpt(*options.seed, 40);
    apply_override(tree, "seed=" + *options.seed, "command line (" + seed_label + ")", sink);
  }
  sink.throw_if_any();
  LoadedScenario loaded = resolve_scenario(tree, options.check);
  loaded.source_files = merged.source_files;
  loaded.overrides = options.overrides;
  loaded.seed_origin = seed_label;
  // The loader's own warnings (timeline directives) come first: they are about the files' structure.
  loaded.warnings.insert(loaded.warnings.begin(), merged.warnings.begin(), merged.warnings.end());
  if (options.strict && !loaded.warnings.empty()) {
    std::vector<Diagnostic> errors = loaded.warnings;
    for (auto& d : errors) {
      d.severity = Severity::error;
      d.message += " (an error under --strict)";
    }
    throw ScenarioError(std::move(errors));
  }
  return loaded;
}

LoadedScenario resolve_with_overrides(const MergedScenario& merged, const std::vector<std::string>& overrides) {
  LoadOptions options;
  options.overrides = overrides;
  return resolve_with_overrides(merged, options);
}

LoadedScenario load_scenario(const std::filesystem::path& path, const LoadOptions& options) {
  return resolve_with_overrides(merge_scenario_files(path, options.overlays), options);
}

LoadedScenario load_scenario(const std::filesystem::path& path, const std::vector<std::string>& overrides) {
  LoadOptions options;
  options.overrides = overrides;
  return load_scenario(path, options);
}

std::string LoadedScenario::resolved_yaml() const {
  std::string header = "# readmit resolved scenario: every parameter, defaults filled in.\n";
  for (const auto& file : source_files) header += "# source: " + excerpt(file, 1024) + "\n";
  for (const auto& text : overrides) header += "# --set " + excerpt(text, 200) + "\n";
  if (!seed_origin.empty()) header += "# " + seed_origin + "\n";
  return header + to_yaml(resolved);
}

}  // namespace readmit
