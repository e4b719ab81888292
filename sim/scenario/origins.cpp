// `readmit show --origin`: every value of a resolved scenario with the place
// it came from.
#include <map>
#include <unordered_map>

#include "readmit/scenario/loader.hpp"
#include "readmit/scenario/parameters.hpp"
#include "value_parsing.hpp"

namespace readmit {

namespace {

const ParamSpec* spec_for(const std::string& pattern) {
  static const auto specs = [] {
    std::unordered_map<std::string, const ParamSpec*> map;
    for (const auto& spec : parameter_table()) map.emplace(std::string(spec.path), &spec);
    return map;
  }();
  const auto it = specs.find(pattern);
  return it == specs.end() ? nullptr : it->second;
}

/// `default`, FILE:LINE:COL, or the command-line option (`--set k=v`).
std::string origin_text(const SourceLocation& where) {
  switch (where.kind) {
    case SourceLocation::Kind::table_default:
      return "default";
    case SourceLocation::Kind::command_line: {
      std::string text = where.origin ? *where.origin : std::string();
      const std::string prefix = "command line (";
      if (text.starts_with(prefix) && text.ends_with(")"))
        return text.substr(prefix.size(), text.size() - prefix.size() - 1);
      return text;
    }
    case SourceLocation::Kind::file:
      break;
  }
  return where.to_string();
}

/// Whether every value in `node` came from one place.
bool one_origin(const ConfigNode& node, const std::string& origin) {
  if (origin_text(node.where()) != origin) return false;
  for (const auto& entry : node.entries())
    if (!one_origin(entry.value, origin)) return false;
  for (const auto& item : node.items())
    if (!one_origin(item, origin)) return false;
  return true;
}

/// A later value of a parameter, set by a timeline entry.
struct Change {
  std::string date;
  std::string value;
  std::string origin;
};

class Listing {
 public:
  explicit Listing(const ConfigNode& resolved) {
    const ConfigNode* timeline = resolved.find("timeline");
    if (timeline == nullptr || !timeline->is_sequence()) return;
    for (const auto& entry : timeline->items()) {
      const ConfigNode* set = entry.find("set");
      const ConfigNode* date = entry.find("date");
      if (set == nullptr || !set->is_map() || date == nullptr) continue;
      for (const auto& e : set->entries())
        changes_[e.key].push_back({date->text(), to_flow_yaml(e.value), origin_text(e.value.where())});
    }
  }

  void walk(const ConfigNode& node, const std::string& path, const std::string& pattern) {
    const ParamSpec* spec = spec_for(pattern);
    const ParamType type = spec != nullptr ? spec->type : ParamType::section;
    if ((type == ParamType::section || type == ParamType::map_of) && node.is_map()) {
      for (const auto& entry : node.entries()) {
        const std::string child = path.empty() ? entry.key : path + "." + entry.key;
        const std::string named = pattern.empty() ? entry.key : pattern + "." + entry.key;
        walk(entry.value, child, spec_for(named) != nullptr ? named : pattern + ".*");
      }
      return;
    }
    if (type == ParamType::list_of && node.is_sequence()) {
      for (std::size_t i = 0; i < node.items().size(); ++i)
        walk(node.items()[i], path + "[" + std::to_string(i) + "]", pattern + ".[]");
      return;
    }
    if (type == ParamType::overrides && node.is_map()) {
      for (const auto& entry : node.entries()) line(path + "." + entry.key, entry.value, false);
      return;
    }
    line(path, node, true, spec);
  }

  std::string text() const { return out_; }

 private:
  void line(const std::string& path, const ConfigNode& node, bool with_changes, const ParamSpec* spec = nullptr) {
    if (spec != nullptr && scenario_detail::is_declared_range(*spec, node)) {
      // The value, where it came from, and the range declared for it.
      const ConfigNode& value = *node.find("value");
      const ConfigNode* range = node.find("range");
      const ConfigNode* kind = node.find("origin");
      const ConfigNode* reason = node.find("reason");
      const bool own_value = range != nullptr && range->is_scalar() && range->text() == "none";
      out_ += path + ": " + to_flow_yaml(value) + "  # " + origin_text(value.where()) + "; " +
              (kind != nullptr ? kind->text() : std::string("assumed")) +
              (own_value ? std::string(", this scenario's own value, no range")
                         : " in " + (range != nullptr ? to_flow_yaml(*range) : std::string("?"))) +
              " (" + (range != nullptr ? origin_text(range->where()) : std::string("?")) + ")" +
              (reason != nullptr ? ": " + reason->text() : std::string());
      changes(path, with_changes);
      return;
    }
    const std::string origin = origin_text(node.where());
    if (node.is_map() && !node.entries().empty() && !one_origin(node, origin)) {
      for (const auto& entry : node.entries()) line(path + "." + entry.key, entry.value, false);
      return;
    }
    out_ += path + ": " + to_flow_yaml(node) + "  # " + origin;
    // A default says what the parameter table says of it: assumed, fitted or sourced.
    if (spec != nullptr && node.where().kind == SourceLocation::Kind::table_default && !spec->source.empty())
      out_ += std::string(" (") + std::string(value_origin_name(table_origin(*spec))) + ")";
    changes(path, with_changes);
  }

  void changes(const std::string& path, bool with_changes) {
    if (with_changes) {
      if (const auto it = changes_.find(path); it != changes_.end()) {
        out_ += "; timeline:";
        for (std::size_t i = 0; i < it->second.size(); ++i) {
          const Change& c = it->second[i];
          out_ += (i ? ", " : " ") + c.value + " from " + c.date + " (" + c.origin + ")";
        }
      }
    }
    out_ += "\n";
  }

  std::map<std::string, std::vector<Change>> changes_;
  std::string out_;
};

}  // namespace

std::string LoadedScenario::origin_listing() const {
  Listing listing(resolved);
  listing.walk(resolved, "", "");
  std::string header =
      "# readmit resolved scenario, every value with its origin: default (the parameter table), "
      "FILE:LINE:COL, or the command line.\n";
  header +=
      "# precedence: defaults < bases (in order) < overlays (in order) < the file's own keys < --set < --seed; "
      "the timeline changes values from its dates on.\n";
  for (const auto& file : source_files) header += "# source: " + file + "\n";
  return header + listing.text();
}

}  // namespace readmit
