// The YAML pieces of experiment and sweep files: numbers, parameter paths and
// keys checked, and overrides written back as the --set texts every point
// and policy loads its scenario with.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "reading/reader.hpp"
#include "readmit/util/text.hpp"

namespace readmit::experiment_file {

std::optional<double> parse_real(std::string_view text) {
  double value = 0;
  const char* begin = text.data() + (!text.empty() && text[0] == '+' ? 1 : 0);
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

bool valid_path(std::string_view path) {
  if (path.empty() || path.front() == '.' || path.back() == '.' || path.find("..") != std::string_view::npos)
    return false;
  return std::none_of(path.begin(), path.end(), [](char c) { return c == '=' || c == ' ' || c == '\t'; });
}

bool check_keys(const ConfigNode& map, const std::string& prefix, std::span<const std::string_view> known,
                DiagnosticSink& sink, std::string_view what, const std::string& qualifier) {
  bool all_known = true;
  for (const auto& entry : map.entries())
    if (std::find(known.begin(), known.end(), entry.key) == known.end()) {
      sink.error(entry.key_where, prefix + entry.key, unknown_name_message(what, entry.key, known, qualifier));
      all_known = false;
    }
  return all_known;
}

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

void read_overrides(const ConfigNode& node, const std::string& key_prefix, const std::string& prefix,
                    std::vector<std::pair<std::string, std::string>>& out, std::vector<OverrideSource>& sources,
                    DiagnosticSink& sink) {
  for (const auto& entry : node.entries()) {
    const std::string path = prefix.empty() ? entry.key : prefix + "." + entry.key;
    if (!valid_path(entry.key)) {
      sink.error(entry.key_where, key_prefix + path, "expected a dotted parameter path, found \"" + entry.key + "\"");
    } else if (entry.value.is_map() && !entry.value.entries().empty()) {
      read_overrides(entry.value, key_prefix, path, out, sources, sink);
    } else {
      out.emplace_back(path, flow_yaml(entry.value));
      sources.push_back({path, entry.key_where, entry.value.where(), ""});
    }
  }
}

}  // namespace readmit::experiment_file
