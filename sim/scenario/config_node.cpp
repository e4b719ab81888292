#include "readmit/scenario/config_node.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
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
    case Kind::null: return "nothing";
    case Kind::scalar: return "\"" + text_ + "\"";
    case Kind::map: return "a map";
    case Kind::sequence: return "a list";
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

  SourceLocation at(const YAML::Mark& mark) const {
    return {origin, mark.line + 1, mark.column + 1};
  }

  ConfigNode convert(const YAML::Node& node, int depth) {
    const SourceLocation where = at(node.Mark());
    if (failed) return ConfigNode::make_null(where);
    if (++node_count > max_node_count || depth > max_nesting_depth) {
      sink.error(where, "",
                 depth > max_nesting_depth
                     ? "nesting deeper than " + std::to_string(max_nesting_depth) + " levels"
                     : "more than " + std::to_string(max_node_count) +
                           " values (recursive or repeated aliases?)");
      failed = true;
      return ConfigNode::make_null(where);
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null: return ConfigNode::make_null(where);
      case YAML::NodeType::Scalar: return ConfigNode::make_scalar(node.Scalar(), where);
      case YAML::NodeType::Sequence: {
        ConfigNode out = ConfigNode::make_sequence(where);
        for (const auto& item : node) out.items().push_back(convert(item, depth + 1));
        return out;
      }
      case YAML::NodeType::Map: {
        ConfigNode out = ConfigNode::make_map(where);
        for (const auto& pair : node) {
          const SourceLocation key_where = at(pair.first.Mark());
          if (!pair.first.IsScalar()) {
            sink.error(key_where, "", "expected a plain key, found a map or list used as a key");
            continue;
          }
          const std::string key = pair.first.Scalar();
          if (out.find(key) != nullptr) {
            sink.error(key_where, key, "duplicate key (each key may appear once in a map)");
            continue;
          }
          out.entries().push_back({key, key_where, convert(pair.second, depth + 1)});
        }
        return out;
      }
    }
    return ConfigNode::make_null(where);
  }
};

}  // namespace

std::optional<ConfigNode> parse_yaml(const std::string& text, const std::string& origin,
                                     DiagnosticSink& sink) {
  auto origin_ptr = std::make_shared<const std::string>(origin);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    const int column = e.mark.is_null() ? 0 : e.mark.column + 1;
    sink.error({origin_ptr, line, column}, "", "malformed YAML: " + e.msg);
    return std::nullopt;
  }
  Converter converter{origin_ptr, sink};
  try {
    ConfigNode tree = converter.convert(root, 0);
    if (converter.failed) return std::nullopt;
    if (tree.is_null()) tree = ConfigNode::make_map({origin_ptr, 1, 1});
    return tree;
  } catch (const YAML::Exception& e) {
    sink.error({origin_ptr, 0, 0}, "", "malformed YAML: " + e.msg);
    return std::nullopt;
  }
}

std::optional<ConfigNode> read_yaml_file(const std::filesystem::path& path,
                                         const SourceLocation& included_from, DiagnosticSink& sink) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    sink.error(included_from, "", "file not found: " + path.string());
    return std::nullopt;
  }
  if (std::filesystem::is_directory(path, ec)) {
    sink.error(included_from, "", "expected a YAML file, found a directory: " + path.string());
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  if (in) buffer << in.rdbuf();
  if (!in || in.bad()) {
    sink.error(included_from, "", "cannot read file: " + path.string());
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
    case ConfigNode::Kind::null: out << YAML::Null; break;
    case ConfigNode::Kind::scalar: out << node.text(); break;
    case ConfigNode::Kind::sequence: {
      const bool flat = std::all_of(node.items().begin(), node.items().end(),
                                    [](const ConfigNode& n) { return n.is_scalar(); });
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
