// Overrides (`set`, a policy's `set`, `outcome_windows`) written back as the
// --set texts every point and policy loads its scenario with, located where
// the file writes them.
#include <algorithm>

#include "reading/reader.hpp"
#include "readmit/util/text.hpp"

namespace readmit::experiment_file {

std::string yaml_scalar(const std::string& text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == '+' || c == '/';
  });
  if (plain) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    quoted += c;
  }
  return quoted + "\"";
}

std::string flow_yaml(const ConfigNode& node) {
  switch (node.kind()) {
    case ConfigNode::Kind::null:
      return "";
    case ConfigNode::Kind::scalar:
      return yaml_scalar(node.text());
    case ConfigNode::Kind::sequence: {
      std::string text = "[";
      for (std::size_t i = 0; i < node.items().size(); ++i)
        text += (i ? ", " : "") + (node.items()[i].is_null() ? std::string("~") : flow_yaml(node.items()[i]));
      return text + "]";
    }
    case ConfigNode::Kind::map: {
      std::string text = "{";
      for (std::size_t i = 0; i < node.entries().size(); ++i) {
        const auto& entry = node.entries()[i];
        text += (i ? ", " : "") + yaml_scalar(entry.key) + ": " +
                (entry.value.is_null() ? std::string("~") : flow_yaml(entry.value));
      }
      return text + "}";
    }
  }
  return "";
}

namespace {

/// Flattens `node` (a map) under `prefix` into overrides and their sources.
void flatten(const ConfigNode& node, const std::string& key_path, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& out, std::vector<OverrideSource>& sources,
             DiagnosticSink& sink) {
  for (const auto& entry : node.entries()) {
    const std::string path = prefix.empty() ? entry.key : prefix + "." + entry.key;
    if (!is_parameter_path(entry.key))
      sink.error(entry.key_where, key_path + "." + path,
                 "expected a dotted parameter path, found " + quoted_excerpt(entry.key));
    else if (entry.value.is_map() && !entry.value.entries().empty())
      flatten(entry.value, key_path, path, out, sources, sink);
    else {
      out.emplace_back(path, flow_yaml(entry.value));
      sources.push_back({path, entry.key_where, entry.value.where(), ""});
    }
  }
}

}  // namespace

void read_overrides(Reader& r, const Site& site, SchemaWalker&) {
  if (site.node.is_null()) return;
  if (!site.node.is_map()) {
    r.sink.error(site.node.where(), site.path, "expected a map of PATH: VALUE, found " + site.node.describe());
    return;
  }
  // A policy's `set` sits below its entry (keys: the policy's index); the file's at the top.
  if (site.keys.empty()) {
    flatten(site.node, site.path, "", r.experiment.fixed, r.fixed_sources, r.sink);
    return;
  }
  const std::size_t policy = site.keys.front();
  auto& sources = r.policy_sources[policy];
  const std::size_t first = sources.size();
  flatten(site.node, site.path, "", r.experiment.policies[policy].overrides, sources, r.sink);
  for (std::size_t i = first; i < sources.size(); ++i)
    if (sources[i].path == "name")
      r.sink.error(sources[i].key_where, site.path + ".name", "expected no `name`: a policy's name is its key");
}

void read_outcome_windows(Reader& r, const Site& site, SchemaWalker&) {
  if (site.node.is_null()) return;
  if (!site.node.is_map()) {
    r.sink.error(site.node.where(), site.path, "expected a map of NAME: {...}, found " + site.node.describe());
    return;
  }
  // Passed whole to the scenario, whose loader checks each window where it is written here.
  for (const auto& entry : site.node.entries()) {
    const std::string path = site.path + "." + entry.key;
    r.experiment.fixed.emplace_back(path, flow_yaml(entry.value));
    r.fixed_sources.push_back({path, entry.key_where, entry.value.where(), ""});
  }
}

}  // namespace readmit::experiment_file
