#include "readmit/scenario/config_node.hpp"

#include <yaml-cpp/yaml.h>
#if __has_include(<yaml-cpp/depthguard.h>)
#include <yaml-cpp/depthguard.h>  // YAML::DeepRecursion (yaml-cpp >= 0.7)
#define READMIT_YAML_DEPTH_GUARD 1
#endif

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

namespace readmit {

ConfigNode ConfigNode::make_scalar(std::string text, SourceLocation where) {
  ConfigNode node;
  node.kind_ = Kind::scalar;
  node.text_ = std::move(text);
  node.where_ = std::move(where);
  return node;
}

ConfigNode ConfigNode::make_map(SourceLocation where) {
  ConfigNode node;
  node.kind_ = Kind::map;
  node.where_ = std::move(where);
  return node;
}

ConfigNode ConfigNode::make_sequence(SourceLocation where) {
  ConfigNode node;
  node.kind_ = Kind::sequence;
  node.where_ = std::move(where);
  return node;
}

ConfigNode ConfigNode::make_null(SourceLocation where) {
  ConfigNode node;
  node.where_ = std::move(where);
  return node;
}

const ConfigNode* ConfigNode::find(std::string_view key) const {
  for (const auto& entry : entries_)
    if (entry.key == key) return &entry.value;
  return nullptr;
}

ConfigNode* ConfigNode::find(std::string_view key) {
  for (auto& entry : entries_)
    if (entry.key == key) return &entry.value;
  return nullptr;
}

ConfigNode& ConfigNode::set(std::string key, SourceLocation key_where, ConfigNode value) {
  if (ConfigNode* existing = find(key)) return *existing = std::move(value);
  entries_.push_back({std::move(key), std::move(key_where), std::move(value)});
  return entries_.back().value;
}

bool ConfigNode::erase(std::string_view key) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->key == key) {
      entries_.erase(it);
      return true;
    }
  }
  return false;
}

std::string ConfigNode::describe() const {
  switch (kind_) {
    case Kind::null:
      return "nothing";
    case Kind::scalar:
      return "\"" + text_ + "\"";
    case Kind::map:
      return "a map";
    case Kind::sequence:
      return "a list";
  }
  return "?";
}

namespace {

// Limits that keep hostile input (alias bombs, self-referencing anchors,
// absurd nesting) from hanging or crashing the loader.
constexpr int max_nesting_depth = 64;
constexpr std::size_t max_node_count = 1'000'000;

struct Converter {
  std::shared_ptr<const std::string> origin;
  DiagnosticSink& sink;
  std::size_t node_count = 0;
  bool failed = false;

  SourceLocation at(const YAML::Mark& mark) const { return {origin, mark.line + 1, mark.column + 1}; }

  // `path` is the key path of `node`, for messages ("partners.alpha", "timeline[0]").
  ConfigNode convert(const YAML::Node& node, int depth, const std::string& path) {
    const SourceLocation where = at(node.Mark());
    if (failed) return ConfigNode::make_null(where);
    if (++node_count > max_node_count || depth > max_nesting_depth) {
      sink.error(where, "",
                 depth > max_nesting_depth
                     ? "nesting deeper than " + std::to_string(max_nesting_depth) + " levels"
                     : "more than " + std::to_string(max_node_count) + " values (recursive or repeated aliases?)");
      failed = true;
      return ConfigNode::make_null(where);
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        return ConfigNode::make_null(where);
      case YAML::NodeType::Scalar:
        return ConfigNode::make_scalar(node.Scalar(), where);
      case YAML::NodeType::Sequence: {
        ConfigNode out = ConfigNode::make_sequence(where);
        for (const auto& item : node)
          out.items().push_back(convert(item, depth + 1, path + "[" + std::to_string(out.items().size()) + "]"));
        return out;
      }
      case YAML::NodeType::Map: {
        ConfigNode out = ConfigNode::make_map(where);
        for (const auto& pair : node) {
          const SourceLocation key_where = at(pair.first.Mark());
          if (!pair.first.IsScalar()) {
            sink.error(key_where, path, "expected a plain key, found a map or list used as a key");
            continue;
          }
          const std::string key = pair.first.Scalar();
          const std::string key_path = path.empty() ? key : path + "." + key;
          if (out.find(key) != nullptr) {
            sink.error(key_where, key_path, "duplicate key (each key may appear once in a map)");
            continue;
          }
          out.entries().push_back({key, key_where, convert(pair.second, depth + 1, key_path)});
        }
        return out;
      }
    }
    return ConfigNode::make_null(where);
  }
};

// The column of a tab in a line's indentation, if any: a YAML error that
// yaml-cpp reports as an unrelated "illegal map value" or similar.
std::optional<int> tab_in_indentation(std::string_view line) {
  for (std::size_t i = 0; i < line.size() && (line[i] == ' ' || line[i] == '\t'); ++i)
    if (line[i] == '\t') return int(i) + 1;
  return std::nullopt;
}

std::string_view line_of(const std::string& text, int line_number) {
  std::size_t start = 0;
  for (int line = 1; line < line_number; ++line) {
    start = text.find('\n', start);
    if (start == std::string::npos) return {};
    ++start;
  }
  const auto end = text.find('\n', start);
  return std::string_view(text).substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The flow bracket (`[` or `{`) that is never closed, found by a rough scan
// that knows comments, quoted scalars and block scalars. Used only to point
// yaml-cpp's "end of ... flow not found", which it reports at the end of the
// input, at the bracket the user has to fix.
struct OpenBracket {
  int line = 0;
  int column = 0;
  char bracket = 0;
};

std::optional<OpenBracket> unclosed_flow_bracket(const std::string& text) {
  std::vector<OpenBracket> open;
  std::optional<OpenBracket> unmatched;  // left open inside a collection closed around it
  int block_scalar_parent = -1;          // indentation of the line that started a block scalar
  char quote = 0;
  int line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    const std::string_view line = std::string_view(text).substr(start, end - start);
    start = end + 1;
    ++line_number;
    const auto first = line.find_first_not_of(" \t\r");
    const int indent = first == std::string_view::npos ? -1 : int(first);
    if (block_scalar_parent >= 0) {
      if (indent < 0 || indent > block_scalar_parent) continue;  // content of a block scalar
      block_scalar_parent = -1;
    }
    char previous = 0;  // last character that is not a space, on this line
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quote != 0) {
        if (quote == '"' && c == '\\')
          ++i;
        else if (c == quote) {
          if (quote == '\'' && i + 1 < line.size() && line[i + 1] == '\'')
            ++i;
          else
            quote = 0, previous = c;
        }
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') continue;
      if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) break;
      const bool value_start = previous == 0 || previous == ':' || previous == '-' || previous == '?' ||
                               (!open.empty() && (previous == ',' || previous == '[' || previous == '{'));
      if ((c == '"' || c == '\'') && value_start) {
        quote = c;
      } else if ((c == '[' || c == '{') && (value_start || !open.empty())) {
        open.push_back({line_number, int(i) + 1, c});
      } else if ((c == ']' || c == '}') && !open.empty()) {
        const char opening = c == ']' ? '[' : '{';
        auto match =
            std::find_if(open.rbegin(), open.rend(), [&](const OpenBracket& b) { return b.bracket == opening; });
        if (match != open.rend()) {
          if (match != open.rbegin() && !unmatched) unmatched = open.back();
          open.erase(std::prev(match.base()), open.end());
        }
      } else if ((c == '|' || c == '>') && open.empty() && (previous == ':' || previous == '-')) {
        block_scalar_parent = indent;
      }
      previous = c;
    }
  }
  if (unmatched) return unmatched;
  if (!open.empty()) return open.back();
  return std::nullopt;
}

// yaml-cpp's messages, with a hint where its wording does not say what to fix.
std::string explain(const std::string& message) {
  if (message == YAML::ErrorMsg::MAP_VALUE)
    return message +
           " (a key indented differently from the keys around it, or a value containing ': ' that needs quotes)";
  if (message == YAML::ErrorMsg::END_OF_MAP || message == YAML::ErrorMsg::END_OF_SEQ ||
      message == YAML::ErrorMsg::BLOCK_ENTRY || message == YAML::ErrorMsg::MAP_KEY)
    return message + " (check the indentation of this line)";
  return message;
}

}  // namespace

std::optional<ConfigNode> parse_yaml(const std::string& text, const std::string& origin, DiagnosticSink& sink) {
  auto origin_ptr = std::make_shared<const std::string>(origin);
  YAML::Node root;
  try {
    root = YAML::Load(text);
#ifdef READMIT_YAML_DEPTH_GUARD
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp stops its recursive descent at a fixed depth and calls it a "bad file".
    const bool known = !e.mark.is_null();
    sink.error({origin_ptr, known ? e.mark.line + 1 : 0, known ? e.mark.column + 1 : 0}, "",
               "nesting deeper than " + std::to_string(max_nesting_depth) + " levels");
    return std::nullopt;
#endif
  } catch (const YAML::Exception& e) {
    int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    int column = e.mark.is_null() ? 0 : e.mark.column + 1;
    std::string message = explain(e.msg);
    if (line > 0) {
      const std::string_view line_text = line_of(text, line);
      const auto key_start = line_text.find_first_not_of(' ');
      if (auto tab = tab_in_indentation(line_text)) {
        column = *tab;
        message = "tab character in indentation (YAML indents with spaces only)";
      } else if (e.msg == YAML::ErrorMsg::MAP_VALUE && key_start != std::string_view::npos &&
                 std::size_t(column - 1) > key_start + 1024) {
        column = int(key_start) + 1;
        message = "a key longer than 1024 characters (YAML's limit for a key without '?')";
      } else if (e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW || e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW) {
        if (auto bracket = unclosed_flow_bracket(text)) {
          line = bracket->line;
          column = bracket->column;
          message = std::string("'") + bracket->bracket + "' is never closed with '" +
                    (bracket->bracket == '[' ? ']' : '}') + "'";
        }
      }
    }
    sink.error({origin_ptr, line, column}, "", "malformed YAML: " + message);
    return std::nullopt;
  }
  Converter converter{origin_ptr, sink};
  try {
    ConfigNode tree = converter.convert(root, 0, "");
    if (converter.failed) return std::nullopt;
    if (tree.is_null()) tree = ConfigNode::make_map({origin_ptr, 1, 1});
    return tree;
  } catch (const YAML::Exception& e) {
    sink.error({origin_ptr, 0, 0}, "", "malformed YAML: " + e.msg);
    return std::nullopt;
  }
}

std::optional<ConfigNode> read_yaml_file(const std::filesystem::path& path, const SourceLocation& included_from,
                                         DiagnosticSink& sink, const std::string& key_path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    sink.error(included_from, key_path, "file not found: " + path.string());
    return std::nullopt;
  }
  if (std::filesystem::is_directory(path, ec)) {
    sink.error(included_from, key_path, "expected a YAML file, found a directory: " + path.string());
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  if (in) buffer << in.rdbuf();
  if (!in || in.bad()) {
    sink.error(included_from, key_path, "cannot read file: " + path.string());
    return std::nullopt;
  }
  const std::string text = buffer.str();
  if (text.find('\0') != std::string::npos) {
    sink.error({std::make_shared<const std::string>(path.string()), 0, 0}, "",
               "expected a YAML text file, found binary data");
    return std::nullopt;
  }
  return parse_yaml(text, path.string(), sink);
}

void merge_into(ConfigNode& base, const ConfigNode& overlay) {
  if (!base.is_map() || !overlay.is_map()) {
    base = overlay;
    return;
  }
  for (const auto& entry : overlay.entries()) {
    if (ConfigNode* existing = base.find(entry.key))
      merge_into(*existing, entry.value);
    else
      base.entries().push_back(entry);
  }
}

namespace {
void emit(YAML::Emitter& out, const ConfigNode& node) {
  switch (node.kind()) {
    case ConfigNode::Kind::null:
      out << YAML::Null;
      break;
    case ConfigNode::Kind::scalar:
      out << node.text();
      break;
    case ConfigNode::Kind::sequence: {
      const bool flat =
          std::all_of(node.items().begin(), node.items().end(), [](const ConfigNode& n) { return n.is_scalar(); });
      out << (flat ? YAML::Flow : YAML::Block) << YAML::BeginSeq;
      for (const auto& item : node.items()) emit(out, item);
      out << YAML::EndSeq;
      break;
    }
    case ConfigNode::Kind::map: {
      out << YAML::BeginMap;
      for (const auto& entry : node.entries()) {
        out << YAML::Key << entry.key << YAML::Value;
        emit(out, entry.value);
      }
      out << YAML::EndMap;
      break;
    }
  }
}
}  // namespace

std::string to_yaml(const ConfigNode& node) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, node);
  return std::string(out.c_str()) + "\n";
}

}  // namespace readmit
